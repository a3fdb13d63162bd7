"""One target and the Deployments listed in stack config (JSON), for end-to-end scenarios."""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget

config = pulumi.Config()
target = DeploymentTarget(
    "target",
    name=config.require("targetName"),
    kubernetes_namespace=config.get("namespace"),
    # A whole patch set given as a Pulumi secret (its values go into the target's Secret).
    deployment_patch_set=config.get_secret_object("secretPatchSet")
    or config.get_object("patchSet")
    or [],
)
pulumi.export("target_id", target.target_id)
pulumi.export("target_namespace", target.namespace)

for item in config.get_object("deployments") or []:
    deployment = Deployment(
        item["name"],
        target=target,
        spec=item["spec"],
        engine=item.get("engine", "operator"),
        wait_for_ready=item.get("wait", False),
        ready_timeout_seconds=item.get("timeout", 120),
        savepoint_on_delete=item.get("savepointOnDelete", True),
    )
    pulumi.export(f"{item['name']}_workload", deployment.workload_name)
    pulumi.export(f"{item['name']}_restore_path", deployment.restore_path)
