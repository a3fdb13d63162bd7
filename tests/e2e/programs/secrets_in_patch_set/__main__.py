"""Secrets in a target's patch set and in a Deployment's spec (issue 11, item 12)."""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget

config = pulumi.Config()
bucket = config.require_secret("checkpointBucket")
secret_key = config.require_secret("s3SecretKey")
patch_set = [
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
]
target = DeploymentTarget(
    "target",
    name=config.require("targetName"),
    kubernetes_namespace=config.get("namespace"),
    # Reordered: the Secret keys are named after what they hold, so no workload changes.
    deployment_patch_set=patch_set[::-1] if config.get_bool("reversed") else patch_set,
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
                "flinkConfiguration": {"fs.s3a.secret.key": secret_key},
                "kubernetes": {"pods": {"envVars": [{"name": "S3_KEY", "value": secret_key}]}},
            }
        }
    },
    engine="standalone",
    wait_for_ready=False,
)
# An environment variable's value from a Pulumi secret on the operator engine too
# (on a target of its own: the operator cannot take the secret checkpoints dir).
plain = DeploymentTarget(
    "plain-target",
    name=config.require("targetName") + "-plain",
    kubernetes_namespace=config.get("namespace"),
)
Deployment(
    "payments",
    target=plain,
    spec={
        "upgradeStrategy": {"kind": "STATELESS"},
        "template": {
            "spec": {
                "artifact": {"jarUri": "local:///opt/flink/usrlib/job.jar"},
                "kubernetes": {"pods": {"envVars": [{"name": "S3_KEY", "value": secret_key}]}},
            }
        },
    },
    wait_for_ready=False,
)
