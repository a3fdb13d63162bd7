"""Pulumi component resources: Deployment, SessionCluster, Savepoint and TargetNamespace."""

from pulumi_flink.components.deployment import Deployment
from pulumi_flink.components.savepoint import Savepoint
from pulumi_flink.components.session_cluster import SessionCluster, SessionClusterReference
from pulumi_flink.components.target_namespace import TargetNamespace

__all__ = [
    "Deployment",
    "Savepoint",
    "SessionCluster",
    "SessionClusterReference",
    "TargetNamespace",
]
