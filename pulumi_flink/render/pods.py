"""Pod templates from VVP's ``kubernetes.pods`` and full pod templates."""

from __future__ import annotations

from typing import Any

from pulumi_flink._values import json_copy
from pulumi_flink.model import Pods
from pulumi_flink.render.context import MAIN_CONTAINER

VVP_MAIN_CONTAINERS = ("flink-jobmanager", "flink-taskmanager", MAIN_CONTAINER)
"""Names VVP pod templates give the Flink container; all become MAIN_CONTAINER."""


def pods_template(pods: Pods, labels: dict[str, str]) -> dict[str, Any]:
    """A pod template carrying ``labels`` and every ``kubernetes.pods`` setting."""
    container: dict[str, Any] = {"name": MAIN_CONTAINER}
    if pods.env_vars:
        container["env"] = [env.to_wire() for env in pods.env_vars]
    if pods.volume_mounts:
        container["volumeMounts"] = [
            {**mount.volume_mount, "name": mount.name} for mount in pods.volume_mounts
        ]
    spec: dict[str, Any] = {
        "nodeSelector": pods.node_selector,
        "tolerations": pods.tolerations,
        "affinity": pods.affinity,
        "securityContext": pods.security_context,
        "imagePullSecrets": [secret.to_wire() for secret in pods.image_pull_secrets],
        "volumes": [{**mount.volume, "name": mount.name} for mount in pods.volume_mounts],
    }
    spec = {key: value for key, value in spec.items() if value}
    spec["containers"] = [container]
    return {
        "metadata": _non_empty(
            {"labels": {**pods.labels, **labels}, "annotations": pods.annotations}
        ),
        "spec": spec,
    }


def vvp_pod_template(template: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """A VVP full pod template with our labels and the main container renamed."""
    result: dict[str, Any] = json_copy(template)
    metadata = result.setdefault("metadata", {})
    metadata["labels"] = {**metadata.get("labels", {}), **labels}
    for container in result.get("spec", {}).get("containers", []):
        if container.get("name") in VVP_MAIN_CONTAINERS:
            container["name"] = MAIN_CONTAINER
    return result


def merge_pod_templates(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Merge ``overlay`` into ``base``: maps recursively, containers by name.

    Lists of containers and init containers are merged by container name (a
    container in both is merged field by field); other lists are concatenated,
    base first; scalars from ``overlay`` win.
    """
    merged: dict[str, Any] = json_copy(base)
    for key, value in overlay.items():
        current = merged.get(key)
        if key in ("containers", "initContainers") and isinstance(current, list):
            merged[key] = _merge_by_name(current, value)
        elif isinstance(current, dict) and isinstance(value, dict):
            merged[key] = merge_pod_templates(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            merged[key] = current + json_copy(value)
        else:
            merged[key] = json_copy(value)
    return merged


def _merge_by_name(
    base: list[dict[str, Any]], overlay: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    by_name = {container.get("name"): container for container in base}
    merged = list(base)
    for container in overlay:
        name = container.get("name")
        if name in by_name:
            merged[merged.index(by_name[name])] = merge_pod_templates(by_name[name], container)
        else:
            merged.append(json_copy(container))
    return merged


def _non_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value}
