"""pulumi-flink: Apache Flink on Kubernetes with Pulumi, the way VVP models it.

The Pulumi-free core works without a Pulumi engine:

- :func:`apply_patch_set` — RFC 6902 JSON Patch, exact and atomic;
- :func:`effective_deployment` — a Deployment after defaults, its target's
  patch set and validation;
- :func:`render_manifests` — the Kubernetes objects of one Deployment;
  :func:`render_session_cluster_manifests` and
  :func:`render_session_job_manifests` — session mode;
- :func:`load_vvp_documents` — typed documents from VVP exports.

The Pulumi resources — :class:`DeploymentTarget` (a dynamic resource),
:class:`Deployment`, :class:`SessionCluster`, :class:`Savepoint` and
:class:`TargetNamespace` (components) — are imported
on first use, so tools built on the core (the CLI) start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pulumi_flink.effective import effective_deployment
from pulumi_flink.errors import (
    FieldProblem,
    PatchSetError,
    PulumiFlinkError,
    SpecValidationError,
    UnsupportedEngineError,
)
from pulumi_flink.manifests import (
    render_manifests,
    render_session_cluster_manifests,
    render_session_job_manifests,
)
from pulumi_flink.model import Deployment as DeploymentDocument
from pulumi_flink.model import DeploymentTarget as DeploymentTargetDocument
from pulumi_flink.patching import apply_patch_set
from pulumi_flink.vvp import load_vvp_documents

if TYPE_CHECKING:
    from pulumi_flink.components import Deployment, Savepoint, SessionCluster, TargetNamespace
    from pulumi_flink.provider import DeploymentTarget

_PULUMI_RESOURCES = {
    "Deployment": "pulumi_flink.components",
    "Savepoint": "pulumi_flink.components",
    "SessionCluster": "pulumi_flink.components",
    "TargetNamespace": "pulumi_flink.components",
    "DeploymentTarget": "pulumi_flink.provider",
}

__all__ = [
    "Deployment",
    "DeploymentDocument",
    "DeploymentTarget",
    "DeploymentTargetDocument",
    "FieldProblem",
    "PatchSetError",
    "PulumiFlinkError",
    "Savepoint",
    "SessionCluster",
    "SpecValidationError",
    "TargetNamespace",
    "UnsupportedEngineError",
    "apply_patch_set",
    "effective_deployment",
    "load_vvp_documents",
    "render_manifests",
    "render_session_cluster_manifests",
    "render_session_job_manifests",
]


def __getattr__(name: str) -> Any:
    if name in _PULUMI_RESOURCES:
        return getattr(importlib.import_module(_PULUMI_RESOURCES[name]), name)
    raise AttributeError(f"module 'pulumi_flink' has no attribute {name!r}")
