"""Several targets in one namespace, each with the Deployments that stack config lists."""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget

config = pulumi.Config()
namespace = config.require("namespace")
patch_set = config.get_object("patchSet") or []
for target_name in config.require_object("targets"):
    target = DeploymentTarget(
        target_name,
        kubernetes_namespace=namespace,
        deployment_patch_set=patch_set,
    )
    pulumi.export(f"{target_name}_target_id", target.target_id)
    for job in config.get_object("jobs") or []:
        Deployment(
            f"{target_name}-{job}",
            target=target,
            spec={
                "template": {
                    "spec": {
                        "artifact": {"jarUri": "local:///opt/flink/usrlib/job.jar"},
                        "parallelism": 1,
                    }
                }
            },
            wait_for_ready=False,
        )
