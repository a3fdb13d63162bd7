"""A target and a session cluster on it (the platform's stack)."""

import pulumi

from pulumi_flink import DeploymentTarget, SessionCluster

config = pulumi.Config()
target = DeploymentTarget(
    "target",
    name=config.require("targetName"),
    kubernetes_namespace=config.require("namespace"),
    deployment_patch_set=config.get_object("patchSet") or [],
)
cluster = SessionCluster(
    config.require("clusterName"), target=target, spec=config.get_object("clusterSpec") or {}
)
pulumi.export("workload_name", cluster.workload_name)
pulumi.export("rest_url", cluster.rest_url)
