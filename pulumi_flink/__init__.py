"""pulumi-flink: Apache Flink on Kubernetes with Pulumi, the way VVP models it.

The Pulumi-free core is importable without a Pulumi engine:

- :func:`apply_patch_set` — RFC 6902 JSON Patch, exact and atomic;
- :func:`effective_deployment` — a Deployment after defaults, its target's
  patch set and validation;
- :func:`render_manifests` — the Kubernetes objects of one Deployment.

The Pulumi resources (``DeploymentTarget``, ``Deployment``,
``TargetNamespace``) are loaded on first use, so the core stays light.
"""

from __future__ import annotations

from typing import Any

from pulumi_flink.effective import effective_deployment
from pulumi_flink.errors import (
    FieldProblem,
    PatchSetError,
    PulumiFlinkError,
    SpecValidationError,
    UnsupportedEngineError,
)
from pulumi_flink.model import Deployment as DeploymentDocument
from pulumi_flink.model import DeploymentTarget as DeploymentTargetDocument
from pulumi_flink.patching import apply_patch_set
from pulumi_flink.render import render_manifests

__all__ = [
    "DeploymentDocument",
    "DeploymentTargetDocument",
    "FieldProblem",
    "PatchSetError",
    "PulumiFlinkError",
    "SpecValidationError",
    "UnsupportedEngineError",
    "apply_patch_set",
    "effective_deployment",
    "render_manifests",
]
