"""Session mode: one Flink session cluster, two small jobs sharing it.

The platform's target carries the checkpoint directory in its patch set; it
reaches the session cluster (a target's patch set applies to the session
clusters on it) and so every job in it. Each job is a VVP Deployment with
``sessionClusterName`` semantics: only job-level fields (jar, parallelism,
strategies, state), rendered as a FlinkSessionJob. The Flink operator fetches
a session job's jar itself, by default only over ``https``.
"""

import pulumi

from pulumi_flink import Deployment, SessionCluster, TargetNamespace

config = pulumi.Config()
examples = "https://repo1.maven.org/maven2/org/apache/flink/flink-examples-streaming/1.20.0"
top_speed_jar = f"{examples}/flink-examples-streaming-1.20.0-TopSpeedWindowing.jar"
state_machine_class = "org.apache.flink.streaming.examples.statemachine.StateMachineExample"

platform = TargetNamespace(
    "analytics",
    namespace=config.get("namespace", "flink-analytics"),
    deployment_patch_set=[
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
            "value": config.get("checkpoints", "s3://flink-state/analytics/checkpoints"),
        },
        {
            # Where a job's savepoint goes when its Deployment is deleted or replaced.
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/state.savepoints.dir",
            "value": config.get("savepoints", "s3://flink-state/analytics/savepoints"),
        },
    ],
)
shared = SessionCluster(
    "shared",
    target=platform.target,
    spec={
        "flinkVersion": "1.20",
        "numberOfTaskManagers": 2,
        "resources": {"taskmanager": {"cpu": 1, "memory": "2g"}},
        "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "4"},
    },
)
top_speed = Deployment(
    "top-speed-windowing",
    session_cluster=shared,
    spec={
        "template": {
            "spec": {
                "artifact": {
                    "jarUri": f"{examples}/flink-examples-streaming-1.20.0-TopSpeedWindowing.jar"
                },
                "parallelism": 2,
            }
        }
    },
)
state_machine = Deployment(
    "state-machine",
    session_cluster=shared,
    spec={
        "upgradeStrategy": {"kind": "STATELESS"},
        "template": {
            "spec": {
                "artifact": {
                    "jarUri": f"{examples}/flink-examples-streaming-1.20.0.jar",
                    "entryClass": state_machine_class,
                },
                "parallelism": 2,
            }
        },
    },
)

pulumi.export("namespace", shared.namespace)
pulumi.export("session_cluster", shared.workload_name)
pulumi.export("rest_url", shared.rest_url)
pulumi.export("jobs", [top_speed.workload_name, state_machine.workload_name])
