"""A Flink job on the standalone engine: no Flink operator needed.

The job runs as a JobManager and a TaskManager Deployment with a Service and a
ConfigMap; Kubernetes HA keeps its state across restarts, and a destroy stops
it with a savepoint first (through Flink's REST API), which a re-created
Deployment of the same name starts from.
"""

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_flink import Deployment, DeploymentTarget

config = pulumi.Config()
state_dir = config.get("stateDir", "s3://flink-state/standalone")

namespace = kubernetes.core.v1.Namespace(
    "namespace", metadata={"name": config.get("namespace", "flink-standalone")}
)
target = DeploymentTarget(
    "standalone",
    kubernetes_namespace=namespace.metadata.name,
    deployment_patch_set=[
        {
            "op": "add",
            "path": f"/spec/template/spec/flinkConfiguration/state.{kind}.dir",
            "value": f"{state_dir}/{kind}",
        }
        for kind in ("checkpoints", "savepoints")
    ],
)
job = Deployment(
    "state-machine",
    target=target,
    engine="standalone",
    spec={
        "template": {
            "spec": {
                "artifact": {
                    "jarUri": "local:///opt/flink/examples/streaming/StateMachineExample.jar",
                    "flinkVersion": "1.20",
                },
                "parallelism": 2,
                "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"},
            }
        }
    },
)

pulumi.export("namespace", job.namespace)
pulumi.export("workload_name", job.workload_name)
pulumi.export("rest_url", job.rest_url)
