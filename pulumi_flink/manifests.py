"""The whole one-way chain for one resource: document and target in, manifests out.

Defaults, the target's patch set and validation
(:func:`~pulumi_flink.effective.effective_deployment_model`), then the
engine's renderer (:func:`~pulumi_flink.render.render_effective_deployment`);
the same for a SessionCluster and for a Deployment in session mode.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pulumi_flink.effective import (
    effective_deployment_model,
    effective_session_cluster_model,
    effective_session_deployment_model,
)
from pulumi_flink.model import Deployment, DeploymentTarget, SessionCluster
from pulumi_flink.render import (
    render_effective_deployment,
    render_effective_session_cluster,
    render_effective_session_job,
    require_engine,
    require_session_engine,
)
from pulumi_flink.secrets import SecretKeyRef
from pulumi_flink.target import PreparedTarget, prepare_target
from pulumi_flink.validation import DEFAULT_SESSION_JAR_SCHEMES


def render_manifests(
    deployment: Mapping[str, Any] | Deployment,
    target: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
    *,
    engine: str = "operator",
    default_namespace: str = "default",
    secret_values: Mapping[str, SecretKeyRef] | None = None,
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
    secret_values
        The Kubernetes Secret keys behind ``${name}`` references
        (:mod:`pulumi_flink.secrets`); only references are rendered.

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
        secret_values=secret_values,
    )


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
    then rendered (:func:`~pulumi_flink.render.render_effective_session_cluster`).

    Raises
    ------
    UnsupportedEngineError
        For any engine but ``operator``: session mode needs the Flink operator.
    PatchSetError, SpecValidationError
        All are ``ValueError`` subclasses.

    Examples
    --------
    >>> target = {"metadata": {"name": "dev"}, "spec": {"kubernetes": {"namespace": "flink"}}}
    >>> cluster = {"metadata": {"name": "shared"}, "spec": {"numberOfTaskManagers": 2}}
    >>> [m["kind"] for m in render_session_cluster_manifests(cluster, target)]
    ['ServiceAccount', 'Role', 'RoleBinding', 'FlinkDeployment']
    """
    require_session_engine(engine)
    prepared = prepare_target(target)
    return render_effective_session_cluster(
        effective_session_cluster_model(cluster, prepared),
        target_name=prepared.name,
        namespace=prepared.namespace_or(default_namespace),
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
    UnsupportedEngineError
        For any engine but ``operator``: session mode needs the Flink operator.
    PatchSetError, SpecValidationError
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
    require_session_engine(engine)
    prepared = prepare_target(target)
    effective_cluster = effective_session_cluster_model(cluster, prepared)
    return render_effective_session_job(
        effective_session_deployment_model(
            deployment, effective_cluster, allowed_jar_schemes=allowed_jar_schemes
        ),
        effective_cluster,
        target_name=prepared.name,
        namespace=prepared.namespace_or(default_namespace),
    )
