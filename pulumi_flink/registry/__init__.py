"""The in-cluster registry of DeploymentTargets and the Deployments using them.

Pulumi-free: the Pulumi dynamic providers call it from ``create``, ``read``
and ``delete``, passing a :class:`lightkube.Client`. Targets are recorded as
immutable ConfigMaps in a registry namespace (``pulumi-flink`` by default);
the Deployments using a target are annotations on its record, and a target
cannot be deleted while any remain. :mod:`pulumi_flink.registry._registry`
explains why that check cannot be raced.

Examples
--------
>>> from lightkube import Client
>>> from pulumi_flink.registry import Reference, TargetRegistry
>>> registry = TargetRegistry(Client())  # doctest: +SKIP
>>> target = registry.create_target("prod", "jobs", [])  # doctest: +SKIP
>>> registry.bind(
...     target.target_id,
...     Reference(deployment="wordcount", namespace="jobs", owner="dev"),
... )  # doctest: +SKIP
"""

from pulumi_flink.registry._cluster import (
    check_same_cluster,
    cluster_id,
    default_namespace_of_kubeconfig,
)
from pulumi_flink.registry._names import DEFAULT_REGISTRY_NAMESPACE
from pulumi_flink.registry._records import Reference, TargetRecord
from pulumi_flink.registry._registry import TargetRegistry
from pulumi_flink.registry.errors import (
    ClusterMismatchError,
    CorruptRecordError,
    InvalidReferenceError,
    RegistryContentionError,
    TargetBeingDeletedError,
    TargetInUseError,
    TargetNotFoundError,
)

__all__ = [
    "DEFAULT_REGISTRY_NAMESPACE",
    "ClusterMismatchError",
    "CorruptRecordError",
    "InvalidReferenceError",
    "Reference",
    "RegistryContentionError",
    "TargetBeingDeletedError",
    "TargetInUseError",
    "TargetNotFoundError",
    "TargetRecord",
    "TargetRegistry",
    "check_same_cluster",
    "cluster_id",
    "default_namespace_of_kubeconfig",
]
