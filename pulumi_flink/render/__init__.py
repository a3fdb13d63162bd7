"""Renderers: an effective Deployment in, plain Kubernetes manifests out.

The Pulumi components and the offline CLI both call :func:`render_manifests`,
so what ``pulumi-flink render`` prints is exactly what ``pulumi up`` creates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

from pulumi_flink.effective import effective_deployment_model
from pulumi_flink.errors import SpecValidationError, UnsupportedEngineError
from pulumi_flink.model import Deployment, DeploymentTarget
from pulumi_flink.model.names import namespace_problem
from pulumi_flink.render.actions import NO_ACTIONS, JobActions
from pulumi_flink.render.context import RenderContext
from pulumi_flink.render.operator import render_flink_deployment
from pulumi_flink.render.ordering import in_apply_order
from pulumi_flink.render.rbac import OPERATOR_RULES, STANDALONE_RULES, render_rbac
from pulumi_flink.render.standalone import render_standalone
from pulumi_flink.validation import PreparedTarget, shared_target

Engine = Literal["operator", "standalone"]
ENGINES: tuple[Engine, ...] = get_args(Engine)


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
        for many Deployments (:func:`~pulumi_flink.validation.prepare_target`).
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
    _require_engine(engine)
    prepared = shared_target(target)
    namespace = prepared.model.spec.kubernetes.namespace or default_namespace
    problem = namespace_problem(namespace)
    if problem:
        raise SpecValidationError.single("default_namespace", problem)
    return render_effective_deployment(
        effective_deployment_model(deployment, prepared),
        target_name=prepared.model.metadata.name,
        namespace=namespace,
        engine=engine,
    )


def render_effective_deployment(
    effective: Deployment,
    *,
    target_name: str,
    namespace: str,
    engine: str = "operator",
    actions: JobActions = NO_ACTIONS,
) -> list[dict[str, Any]]:
    """Render an already effective Deployment (see :func:`effective_deployment_model`).

    For callers that need the effective spec too and should not compute it
    twice, such as the Pulumi component. ``actions`` (restore from a
    savepoint, one-shot nonces; :mod:`pulumi_flink.render.actions`) are for
    the operator engine only.
    """
    _require_engine(engine)
    if engine != "operator" and actions != NO_ACTIONS:
        raise UnsupportedEngineError(engine, "savepoint restore and operator nonces")
    context = RenderContext(
        deployment=effective, target_name=target_name, namespace=namespace, actions=actions
    )
    if engine == "operator":
        return in_apply_order(
            [*render_rbac(context, OPERATOR_RULES), render_flink_deployment(context)]
        )
    return in_apply_order([*render_rbac(context, STANDALONE_RULES), *render_standalone(context)])


def _require_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise UnsupportedEngineError(engine)
