"""Deployments in a session cluster another stack owns, found by name."""

import pulumi

from pulumi_flink import Deployment, SessionCluster

config = pulumi.Config()
cluster = SessionCluster.get("cluster", config.require("clusterName"))
for item in config.get_object("deployments") or []:
    Deployment(item["name"], session_cluster=cluster, spec=item["spec"])
