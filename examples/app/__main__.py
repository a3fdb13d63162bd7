"""Application stack: a Flink job on a target the platform stack created.

The target is read from the cluster by name, so this stack needs no access to
the platform stack's state; the platform cannot delete the target while this
Deployment uses it.
"""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget

config = pulumi.Config()
target = DeploymentTarget.get("target", config.get("target", "staging"))

job = Deployment(
    "state-machine",
    target=target,
    spec={
        "template": {
            "spec": {
                "artifact": {
                    "jarUri": "local:///opt/flink/examples/streaming/StateMachineExample.jar",
                    "flinkVersion": "1.20",
                },
                "parallelism": config.get_int("parallelism", 2),
            }
        }
    },
)

pulumi.export("namespace", job.namespace)
pulumi.export("workload_name", job.workload_name)
pulumi.export("rest_url", job.rest_url)
