"""Secrets in a target's patch set and in a Deployment's spec (issue 11, item 12)."""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget

config = pulumi.Config()
bucket = config.require_secret("checkpointBucket")
target = DeploymentTarget(
    "target",
    name=config.require("targetName"),
    kubernetes_namespace=config.get("namespace"),
    deployment_patch_set=[
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
            "value": bucket,
        },
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/state.savepoints.dir",
            "value": bucket,
        },
    ],
)
# The standalone engine renders the secret configuration values at start
# (the operator engine refuses them: it writes them into a ConfigMap).
Deployment(
    "orders",
    target=target,
    spec={
        "template": {
            "spec": {
                "artifact": {"jarUri": "local:///opt/flink/usrlib/job.jar"},
                "flinkConfiguration": {
                    "fs.s3a.secret.key": config.require_secret("s3SecretKey"),
                },
            }
        }
    },
    engine="standalone",
    wait_for_ready=False,
)
