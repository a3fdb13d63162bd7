"""pulumi-kubernetes resources for rendered manifests, one factory per kind.

The kinds a Deployment renders are known before the manifests are (they
depend only on the engine), so each object becomes a typed resource whose
arguments are the rendered manifest's fields (plain values, or Outputs of
them when the manifests are not known yet): ``pulumi preview --diff`` shows
the concrete fields that change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_flink._program import lift

Manifests = list[dict[str, Any]] | pulumi.Output[list[dict[str, Any]]]

_RESOURCE_CLASSES: dict[str, Any] = {
    "ServiceAccount": kubernetes.core.v1.ServiceAccount,
    "ConfigMap": kubernetes.core.v1.ConfigMap,
    "Service": kubernetes.core.v1.Service,
    "Role": kubernetes.rbac.v1.Role,
    "RoleBinding": kubernetes.rbac.v1.RoleBinding,
    "Deployment": kubernetes.apps.v1.Deployment,
}
_ARGUMENTS = {
    "ServiceAccount": ("metadata",),
    "ConfigMap": ("metadata", "data"),
    "Service": ("metadata", "spec"),
    "Role": ("metadata", "rules"),
    "RoleBinding": ("metadata", "role_ref", "subjects"),
    "Deployment": ("metadata", "spec"),
}


def _wire_key(argument: str) -> str:
    head, *rest = argument.split("_")
    return head + "".join(part.title() for part in rest)


def kubernetes_resource(
    kind: str,
    resource_name: str,
    manifests: Manifests,
    index: int,
    opts: pulumi.ResourceOptions,
) -> pulumi.CustomResource:
    """Create the resource for ``manifests[index]``, which is of ``kind``."""

    def field(key: str) -> Any:
        return lift(lambda rendered: rendered[index].get(key), manifests)

    if kind == "FlinkDeployment":
        return kubernetes.apiextensions.CustomResource(
            resource_name,
            api_version="flink.apache.org/v1beta1",
            kind="FlinkDeployment",
            metadata=field("metadata"),
            spec=field("spec"),
            opts=opts,
        )
    resource_class: Callable[..., pulumi.CustomResource] = _RESOURCE_CLASSES[kind]
    arguments = {argument: field(_wire_key(argument)) for argument in _ARGUMENTS[kind]}
    return resource_class(resource_name, **arguments, opts=opts)
