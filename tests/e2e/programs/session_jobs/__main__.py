"""Deployments in a session cluster another stack owns, found by name.

Each Deployment entry: ``name``, ``spec``, and optionally ``savepointOnDelete``.
"""

import pulumi

from pulumi_flink import Deployment, SessionCluster

config = pulumi.Config()
cluster = SessionCluster.get("cluster", config.require("clusterName"))
for item in config.get_object("deployments") or []:
    deployment = Deployment(
        item["name"],
        session_cluster=cluster,
        spec=item["spec"],
        savepoint_on_delete=item.get("savepointOnDelete", True),
    )
    pulumi.export(f"{item['name']}_restore_path", deployment.restore_path)
