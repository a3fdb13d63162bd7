"""The whole one-way chain for one Deployment: document and target in, manifests out.

Defaults, the target's patch set and validation
(:func:`~pulumi_flink.effective.effective_deployment_model`), then the
engine's renderer (:func:`~pulumi_flink.render.render_effective_deployment`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_flink.effective import effective_deployment_model
from pulumi_flink.model import Deployment, DeploymentTarget
from pulumi_flink.render import render_effective_deployment, require_engine
from pulumi_flink.target import PreparedTarget, prepare_target


def render_manifests(
    deployment: Mapping[str, Any] | Deployment,
    target: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
    *,
    engine: str = "operator",
    default_namespace: str = "default",
) -> list[dict[str, Any]]:
    """Render the Kubernetes objects of one Deployment, in apply order.

    Parameters
    ----------
    deployment
        A VVP Deployment document or model (before the target's patch set).
    target
        The DeploymentTarget it runs on: a document, a model, or prepared once
        for many Deployments (:func:`~pulumi_flink.target.prepare_target`).
    engine
        ``"operator"`` for a FlinkDeployment of the Flink Kubernetes Operator,
        ``"standalone"`` for plain JobManager/TaskManager Deployments.
    default_namespace
        Namespace used when the target sets none.

    Raises
    ------
    UnsupportedEngineError, PatchSetError, SpecValidationError
        All are ``ValueError`` subclasses.

    Examples
    --------
    >>> target = {"metadata": {"name": "dev"}, "spec": {"kubernetes": {"namespace": "flink"}}}
    >>> deployment = {"metadata": {"name": "wordcount"}, "spec": {
    ...     "restoreStrategy": {"kind": "NONE"},
    ...     "template": {"spec": {"artifact": {"jarUri": "local:///opt/flink/job.jar"}}}}}
    >>> [m["kind"] for m in render_manifests(deployment, target)]
    ['ServiceAccount', 'Role', 'RoleBinding', 'FlinkDeployment']
    """
    require_engine(engine)
    prepared = prepare_target(target)
    namespace = prepared.namespace_or(default_namespace)
    return render_effective_deployment(
        effective_deployment_model(deployment, prepared),
        target_name=prepared.name,
        namespace=namespace,
        engine=engine,
    )
