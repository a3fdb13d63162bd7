"""Pulumi component resources: Deployment and TargetNamespace."""

from pulumi_flink.components.deployment import Deployment
from pulumi_flink.components.target_namespace import TargetNamespace

__all__ = ["Deployment", "TargetNamespace"]
