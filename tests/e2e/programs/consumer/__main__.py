"""Deploy onto an existing target looked up by name (another stack owns it)."""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget

config = pulumi.Config()
target = DeploymentTarget.get("shared-target", config.require("targetName"))
pulumi.export("target_namespace", target.namespace)
pulumi.export("target_patch_set", target.deployment_patch_set)

for item in config.get_object("deployments") or []:
    Deployment(
        item["name"],
        target=target,
        spec=item["spec"],
        engine=item.get("engine", "operator"),
        wait_for_ready=False,
    )
