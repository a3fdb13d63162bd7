"""Renderers: an effective Deployment in, plain Kubernetes manifests out.

The Pulumi components and the offline CLI both call :func:`render_manifests`,
so what ``pulumi-flink render`` prints is exactly what ``pulumi up`` creates.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal, get_args

from pulumi_flink.effective import (
    effective_deployment_model,
    effective_session_cluster_model,
    effective_session_deployment_model,
)
from pulumi_flink.errors import SessionModeEngineError, SpecValidationError, UnsupportedEngineError
from pulumi_flink.model import Deployment, DeploymentTarget, SessionCluster
from pulumi_flink.model.names import namespace_problem
from pulumi_flink.render.context import RenderContext
from pulumi_flink.render.operator import render_flink_deployment
from pulumi_flink.render.ordering import in_apply_order
from pulumi_flink.render.rbac import OPERATOR_RULES, STANDALONE_RULES, render_rbac
from pulumi_flink.render.session import render_session_cluster, render_session_job
from pulumi_flink.render.standalone import render_standalone
from pulumi_flink.validation import DEFAULT_SESSION_JAR_SCHEMES, PreparedTarget, shared_target

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
    namespace = target_namespace(prepared, default_namespace)
    return render_effective_deployment(
        effective_deployment_model(deployment, prepared),
        target_name=prepared.model.metadata.name,
        namespace=namespace,
        engine=engine,
    )


def render_effective_deployment(
    effective: Deployment, *, target_name: str, namespace: str, engine: str = "operator"
) -> list[dict[str, Any]]:
    """Render an already effective Deployment (see :func:`effective_deployment_model`).

    For callers that need the effective spec too and should not compute it
    twice, such as the Pulumi component.
    """
    _require_engine(engine)
    context = RenderContext(deployment=effective, target_name=target_name, namespace=namespace)
    if engine == "operator":
        return in_apply_order(
            [*render_rbac(context, OPERATOR_RULES), render_flink_deployment(context)]
        )
    return in_apply_order([*render_rbac(context, STANDALONE_RULES), *render_standalone(context)])


def target_namespace(target: PreparedTarget, default_namespace: str = "default") -> str:
    """The namespace a target's workloads land in: its own, else ``default_namespace``.

    Raises
    ------
    SpecValidationError
        When ``default_namespace`` is used and is not a namespace name.
    """
    namespace = target.model.spec.kubernetes.namespace or default_namespace
    problem = namespace_problem(namespace)
    if problem:
        raise SpecValidationError.single("default_namespace", problem)
    return namespace


def render_session_cluster_manifests(
    cluster: Mapping[str, Any] | SessionCluster,
    target: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
    *,
    engine: str = "operator",
    default_namespace: str = "default",
) -> list[dict[str, Any]]:
    """Render the Kubernetes objects of one SessionCluster, in apply order.

    The cluster is made effective on ``target`` (defaults, the target's patch
    set, validation; :func:`~pulumi_flink.effective.effective_session_cluster`),
    then rendered by :func:`~pulumi_flink.render.session.render_session_cluster`.

    Raises
    ------
    SessionModeEngineError
        For ``engine="standalone"``.
    UnsupportedEngineError, PatchSetError, SpecValidationError
        All are ``ValueError`` subclasses.

    Examples
    --------
    >>> target = {"metadata": {"name": "dev"}, "spec": {"kubernetes": {"namespace": "flink"}}}
    >>> cluster = {"metadata": {"name": "shared"}, "spec": {"numberOfTaskManagers": 2}}
    >>> [m["kind"] for m in render_session_cluster_manifests(cluster, target)]
    ['ServiceAccount', 'Role', 'RoleBinding', 'FlinkDeployment']
    """
    _require_session_engine(engine, "SessionCluster", cluster)
    prepared = shared_target(target)
    namespace = target_namespace(prepared, default_namespace)
    return render_session_cluster(
        effective_session_cluster_model(cluster, prepared),
        target_name=prepared.model.metadata.name,
        namespace=namespace,
    )


def render_session_job_manifests(
    deployment: Mapping[str, Any] | Deployment,
    cluster: Mapping[str, Any] | SessionCluster,
    target: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
    *,
    engine: str = "operator",
    default_namespace: str = "default",
    allowed_jar_schemes: Collection[str] = DEFAULT_SESSION_JAR_SCHEMES,
) -> list[dict[str, Any]]:
    """Render a session-mode Deployment: its FlinkSessionJob in ``cluster``.

    ``cluster`` runs on ``target``; the job lands in the cluster's namespace.
    See :func:`~pulumi_flink.effective.effective_session_deployment` for the
    rules and ``allowed_jar_schemes``.

    Raises
    ------
    SessionModeEngineError
        For ``engine="standalone"``.
    UnsupportedEngineError, PatchSetError, SpecValidationError
        All are ``ValueError`` subclasses.

    Examples
    --------
    >>> target = {"metadata": {"name": "dev"}, "spec": {"kubernetes": {"namespace": "flink"}}}
    >>> cluster = {"metadata": {"name": "shared"}}
    >>> job = {"metadata": {"name": "clicks"}, "spec": {"sessionClusterName": "shared",
    ...     "upgradeStrategy": {"kind": "STATELESS"},
    ...     "template": {"spec": {"artifact": {"jarUri": "https://repo/clicks.jar"}}}}}
    >>> [(m["kind"], m["spec"]["deploymentName"])
    ...  for m in render_session_job_manifests(job, cluster, target)]
    [('FlinkSessionJob', 'shared')]
    """
    _require_session_engine(engine, "Deployment", deployment)
    prepared = shared_target(target)
    namespace = target_namespace(prepared, default_namespace)
    effective_cluster = effective_session_cluster_model(cluster, prepared)
    effective = effective_session_deployment_model(
        deployment, effective_cluster, allowed_jar_schemes=allowed_jar_schemes
    )
    return [
        render_session_job(
            effective,
            effective_cluster,
            target_name=prepared.model.metadata.name,
            namespace=namespace,
        )
    ]


def _require_session_engine(engine: str, kind: str, document: object) -> None:
    _require_engine(engine)
    if engine != "operator":
        name = _name_of(document)
        raise SessionModeEngineError(engine, f"{kind} {name!r}" if name else kind)


def _name_of(document: object) -> str | None:
    if isinstance(document, Deployment | SessionCluster):
        return document.metadata.name
    metadata = document.get("metadata") if isinstance(document, Mapping) else None
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return name if isinstance(name, str) else None


def _require_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise UnsupportedEngineError(engine)
