"""The in-cluster registry of DeploymentTargets and the stacks using them.

Pulumi-free: the Pulumi dynamic providers call it from ``create``, ``read``
and ``delete``, passing a :class:`lightkube.Client`. Targets are recorded as
immutable ConfigMaps in a registry namespace (``pulumi-flink`` by default);
the claims of the stacks using a target are annotations on its record, and
a target cannot be deleted while any remain. :mod:`pulumi_flink.registry._registry`
explains why that check cannot be raced.

Names are imported on first use: the Pulumi program needs only
:data:`DEFAULT_REGISTRY_NAMESPACE`, not the Kubernetes client.

Examples
--------
>>> from lightkube import Client
>>> from pulumi_flink.registry import Reference, TargetRegistry
>>> registry = TargetRegistry(Client())  # doctest: +SKIP
>>> target = registry.create_target("prod", "jobs", [])  # doctest: +SKIP
>>> registry.bind(
...     target.target_id,
...     Reference(binding="prod-binding", namespace="jobs", owner="app/dev"),
... )  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi_flink.registry._cluster import (
        check_same_cluster,
        cluster_id,
        default_namespace_of_kubeconfig,
    )
    from pulumi_flink.registry._names import DEFAULT_REGISTRY_NAMESPACE
    from pulumi_flink.registry._records import Reference, TargetRecord
    from pulumi_flink.registry._registry import TargetRegistry
    from pulumi_flink.registry.errors import (
        ClusterIdentityError,
        ClusterMismatchError,
        ClusterUnreachableError,
        CorruptRecordError,
        InvalidReferenceError,
        KubeConfigNotFoundError,
        RegistryContentionError,
        TargetBeingDeletedError,
        TargetInUseError,
        TargetLookupError,
        TargetNotFoundError,
    )

_MODULES = {
    "check_same_cluster": "_cluster",
    "cluster_id": "_cluster",
    "default_namespace_of_kubeconfig": "_cluster",
    "DEFAULT_REGISTRY_NAMESPACE": "_names",
    "Reference": "_records",
    "TargetRecord": "_records",
    "TargetRegistry": "_registry",
    "ClusterIdentityError": "errors",
    "ClusterMismatchError": "errors",
    "ClusterUnreachableError": "errors",
    "CorruptRecordError": "errors",
    "InvalidReferenceError": "errors",
    "KubeConfigNotFoundError": "errors",
    "RegistryContentionError": "errors",
    "TargetBeingDeletedError": "errors",
    "TargetInUseError": "errors",
    "TargetLookupError": "errors",
    "TargetNotFoundError": "errors",
}

__all__ = [
    "DEFAULT_REGISTRY_NAMESPACE",
    "ClusterIdentityError",
    "ClusterMismatchError",
    "ClusterUnreachableError",
    "CorruptRecordError",
    "InvalidReferenceError",
    "KubeConfigNotFoundError",
    "Reference",
    "RegistryContentionError",
    "TargetBeingDeletedError",
    "TargetInUseError",
    "TargetLookupError",
    "TargetNotFoundError",
    "TargetRecord",
    "TargetRegistry",
    "check_same_cluster",
    "cluster_id",
    "default_namespace_of_kubeconfig",
]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
