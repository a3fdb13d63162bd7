"""Platform stack: one DeploymentTarget per environment, with its namespace.

Each target's patch set gives every Deployment on it the environment's
checkpoint and savepoint directories, a pod label and an env var, the way a
VVP platform team sets them once for all jobs.
"""

import pulumi

from pulumi_flink import TargetNamespace

config = pulumi.Config()
state_root = config.get("stateRoot", "s3://flink-state")

FLINK_CONFIGURATION = "/spec/template/spec/flinkConfiguration"
PODS = "/spec/template/spec/kubernetes/pods"


def add(path: str, value: object) -> dict[str, object]:
    return {"op": "add", "path": path, "value": value}


def patch_set(environment: str) -> list[dict[str, object]]:
    state = f"{state_root}/{environment}"
    return [
        add(f"{FLINK_CONFIGURATION}/state.checkpoints.dir", f"{state}/checkpoints"),
        add(f"{FLINK_CONFIGURATION}/state.savepoints.dir", f"{state}/savepoints"),
        add(f"{PODS}/labels/environment", environment),
        add(f"{PODS}/envVars/-", {"name": "ENVIRONMENT", "value": environment}),
    ]


for environment in ("staging", "production"):
    platform = TargetNamespace(
        environment,
        namespace=config.get(f"{environment}Namespace", f"flink-{environment}"),
        deployment_patch_set=patch_set(environment),
    )
    pulumi.export(f"{environment}_target", platform.target.name)
    pulumi.export(f"{environment}_namespace", platform.namespace)
