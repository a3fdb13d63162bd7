"""pulumi-kubernetes resources for rendered manifests, one factory per kind.

The objects a component makes are known before the manifests are: the
renderer's layout (:data:`pulumi_flink.render.LAYOUTS`) names their kinds,
API versions and order. So each object becomes a typed resource whose
arguments are the rendered manifest's fields (plain values, or Outputs of
them when the manifests are not known yet): ``pulumi preview --diff`` shows
the concrete fields that change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, reduce
from typing import Any

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_flink._program import lift
from pulumi_flink.render import LayoutEntry

Manifests = list[dict[str, Any]] | pulumi.Output[list[dict[str, Any]]]

_RESOURCE_CLASSES = {
    "Namespace": "core.v1.Namespace",
    "ServiceAccount": "core.v1.ServiceAccount",
    "ConfigMap": "core.v1.ConfigMap",
    "Service": "core.v1.Service",
    "Role": "rbac.v1.Role",
    "RoleBinding": "rbac.v1.RoleBinding",
    "Deployment": "apps.v1.Deployment",
}
"""The pulumi-kubernetes class of each kind, by its path in the package.

Looked up when first used: pulumi-kubernetes loads an API group's module on
first access, and a program with operator Deployments only never needs
``apps.v1`` (about 2 MiB)."""
_ARGUMENTS = {
    "Namespace": ("metadata",),
    "ServiceAccount": ("metadata",),
    "ConfigMap": ("metadata", "data"),
    "Service": ("metadata", "spec"),
    "Role": ("metadata", "rules"),
    "RoleBinding": ("metadata", "role_ref", "subjects"),
    "Deployment": ("metadata", "spec"),
}
_CUSTOM_RESOURCE_ARGUMENTS = ("metadata", "spec")


@cache
def _resource_class(kind: str) -> Any:
    return reduce(getattr, _RESOURCE_CLASSES[kind].split("."), kubernetes)


def _wire_key(argument: str) -> str:
    head, *rest = argument.split("_")
    return head + "".join(part.title() for part in rest)


def kubernetes_resource(
    entry: LayoutEntry,
    resource_name: str,
    manifests: Manifests,
    index: int,
    opts: pulumi.ResourceOptions,
) -> pulumi.CustomResource:
    """Create the resource for ``manifests[index]``, which the layout describes as ``entry``."""

    def field(key: str) -> Any:
        return lift(lambda rendered: rendered[index].get(key), manifests)

    if entry.kind not in _RESOURCE_CLASSES:
        return kubernetes.apiextensions.CustomResource(
            resource_name,
            api_version=entry.api_version,
            kind=entry.kind,
            **{argument: field(argument) for argument in _CUSTOM_RESOURCE_ARGUMENTS},
            opts=opts,
        )
    resource_class: Callable[..., pulumi.CustomResource] = _resource_class(entry.kind)
    arguments = {argument: field(_wire_key(argument)) for argument in _ARGUMENTS[entry.kind]}
    return resource_class(resource_name, **arguments, opts=opts)


def metadata_field(field: str, metadata: Any) -> Any:
    """``metadata[field]`` of a resource's ``metadata`` output (a mapping or an ObjectMeta)."""
    if isinstance(metadata, dict):
        return metadata.get(field)
    return getattr(metadata, field, None)
