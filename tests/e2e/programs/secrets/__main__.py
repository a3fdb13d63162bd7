"""A VVP secret value given as a Pulumi secret, referenced by Deployments on both engines."""

import pulumi

from pulumi_flink import Deployment, DeploymentTarget

config = pulumi.Config()
target = DeploymentTarget(
    "target", name=config.require("targetName"), kubernetes_namespace=config.require("namespace")
)
secret_values = {"storage-key": config.require_secret("storageKey")}
jar = {"jarUri": "local:///opt/flink/usrlib/job.jar"}

Deployment(
    "credentials",
    target=target,
    spec={
        "restoreStrategy": {"kind": "NONE"},
        "template": {
            "spec": {"artifact": jar, "flinkConfiguration": {"s3.secret-key": "${storage-key}"}}
        },
    },
    secret_values=secret_values,
    wait_for_ready=False,
)
Deployment(
    "rendered",
    target=target,
    spec={
        "restoreStrategy": {"kind": "NONE"},
        "template": {
            "spec": {
                "artifact": jar,
                "flinkConfiguration": {"fs.azure.account.key": "${storage-key}"},
            }
        },
    },
    engine="standalone",
    secret_values=secret_values,
    wait_for_ready=False,
)
# A Pulumi secret given directly as a configuration value: the same case.
Deployment(
    "direct",
    target=target,
    spec={
        "restoreStrategy": {"kind": "NONE"},
        "template": {
            "spec": {
                "artifact": jar,
                "flinkConfiguration": {"s3.access-key": config.require_secret("storageKey")},
            }
        },
    },
    wait_for_ready=False,
)
