"""Apply order of rendered objects, written down as data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

KIND_RANK = {
    "Namespace": 0,
    "ServiceAccount": 1,
    "Role": 2,
    "RoleBinding": 3,
    "ConfigMap": 4,
    "Service": 5,
    "Deployment": 6,
    "FlinkDeployment": 6,
    "FlinkSessionJob": 7,
}
"""Identity first, then its rights, then configuration, then workloads; a
session job after the session cluster it runs in."""


def in_apply_order(manifests: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort manifests by :data:`KIND_RANK`, keeping the given order within a kind."""
    return sorted(manifests, key=lambda manifest: KIND_RANK[manifest["kind"]])
