"""What each engine renders: an effective Deployment in, plain Kubernetes manifests out.

This package is the one source of truth for the objects pulumi-flink makes.
Its callers read the facts from here instead of restating them:

- :data:`LAYOUTS` — per engine, the kinds, API versions and order of the
  objects, and the name suffix of each one's Pulumi resource;
  :func:`render_effective_deployment` checks every render against it;
- :func:`rest_url` — where a Deployment's JobManager REST endpoint is;
- :func:`render_effective_session_cluster` and
  :func:`render_effective_session_job` — session mode (operator engine only),
  laid out by :func:`session_cluster_layout` and :data:`SESSION_JOB_LAYOUT`;
- :func:`render_target_namespace` and :func:`target_namespace_layout` — the
  Namespace and the platform's Role/RoleBinding of a ``TargetNamespace``;
- :mod:`pulumi_flink.render.labels` — every label we set.

The Pulumi components and the offline CLI both render through here, so what
``pulumi-flink render`` prints is exactly what ``pulumi up`` creates. The
package takes an already effective Deployment and imports nothing above it
in the chain (:mod:`pulumi_flink.effective`, :mod:`pulumi_flink.validation`):
:func:`pulumi_flink.render_manifests` composes the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pulumi_flink.errors import FieldProblem, UnsupportedEngineError
from pulumi_flink.model import Deployment, SessionCluster
from pulumi_flink.render.actions import NO_ACTIONS, JobActions, with_restore
from pulumi_flink.render.artifacts import plan_for, render_sql_script_config_map
from pulumi_flink.render.collisions import FLINK_NATIVE_POD_PARTS, pod_collision_problems
from pulumi_flink.render.context import RenderContext
from pulumi_flink.render.naming import workload_name
from pulumi_flink.render.operator import (
    FLINK_API_VERSION,
    operator_pod_parts,
    render_flink_deployment,
    rest_service_name,
)
from pulumi_flink.render.ordering import in_apply_order
from pulumi_flink.render.pods import merge_pod_templates
from pulumi_flink.render.rbac import (
    OPERATOR_RULES,
    STANDALONE_RULES,
    render_namespace,
    render_platform_rbac,
    render_rbac,
)
from pulumi_flink.render.session import render_session_cluster, render_session_job
from pulumi_flink.render.snapshot import SNAPSHOT_KIND, render_savepoint_snapshot
from pulumi_flink.render.standalone import (
    REST_PORT,
    ha_storage,
    job_graph_digest,
    jobmanager_service_name,
    main_container_args,
    render_standalone,
    savepoint_args,
    standalone_pod_parts,
    with_main_container_args,
)
from pulumi_flink.secrets import SecretDelivery, SecretKeyRef, secret_delivery

Engine = Literal["operator", "standalone"]
ENGINES: tuple[Engine, ...] = get_args(Engine)

__all__ = [
    "ENGINES",
    "FLINK_API_VERSION",
    "LAYOUTS",
    "SESSION_JOB_LAYOUT",
    "SESSION_MODE",
    "SNAPSHOT_KIND",
    "Engine",
    "JobActions",
    "LayoutEntry",
    "deployment_layout",
    "ha_storage",
    "job_graph_digest",
    "main_container_args",
    "pod_part_problems",
    "render_effective_deployment",
    "render_effective_session_cluster",
    "render_effective_session_job",
    "render_savepoint_snapshot",
    "render_target_namespace",
    "require_engine",
    "rest_url",
    "savepoint_args",
    "session_cluster_layout",
    "target_namespace_layout",
    "with_main_container_args",
    "with_restore",
    "workload_name",
]


@dataclass(frozen=True)
class LayoutEntry:
    """One object a renderer emits: its type, and the suffix of its resource's name.

    The Pulumi resource of the object is named ``<component name>-<suffix>``;
    the suffix is stored in Pulumi state, so it never changes.
    """

    api_version: str
    kind: str
    suffix: str


_RBAC_LAYOUT = (
    LayoutEntry("v1", "ServiceAccount", "service-account"),
    LayoutEntry("rbac.authorization.k8s.io/v1", "Role", "role"),
    LayoutEntry("rbac.authorization.k8s.io/v1", "RoleBinding", "role-binding"),
)

LAYOUTS: dict[str, tuple[LayoutEntry, ...]] = {
    "operator": (
        *_RBAC_LAYOUT,
        LayoutEntry(FLINK_API_VERSION, "FlinkDeployment", "flink-deployment"),
    ),
    "standalone": (
        *_RBAC_LAYOUT,
        LayoutEntry("v1", "ConfigMap", "config"),
        LayoutEntry("v1", "Service", "jobmanager-service"),
        LayoutEntry("apps/v1", "Deployment", "jobmanager"),
        LayoutEntry("apps/v1", "Deployment", "taskmanager"),
    ),
}
"""What each engine renders, in apply order."""

_SQL_SCRIPT_ENTRY = LayoutEntry("v1", "ConfigMap", "sql-script")
SESSION_JOB_LAYOUT = (LayoutEntry(FLINK_API_VERSION, "FlinkSessionJob", "flink-session-job"),)
"""What a Deployment in session mode renders (operator engine only)."""

SESSION_MODE = (
    "session mode (a FlinkDeployment without job plus FlinkSessionJobs; "
    "the standalone engine has no job submission)"
)
"""The feature :class:`~pulumi_flink.errors.UnsupportedEngineError` names for session mode."""

_NAMESPACE_ENTRY = LayoutEntry("v1", "Namespace", "namespace")
_PLATFORM_RBAC_LAYOUT = (
    LayoutEntry("rbac.authorization.k8s.io/v1", "Role", "platform-role"),
    LayoutEntry("rbac.authorization.k8s.io/v1", "RoleBinding", "platform-role-binding"),
)


def require_engine(engine: str) -> None:
    """Raise :class:`~pulumi_flink.errors.UnsupportedEngineError` unless ``engine`` is known."""
    if engine not in ENGINES:
        raise UnsupportedEngineError(engine)


def pod_part_problems(
    effective: Deployment, engine: str, secrets: SecretDelivery
) -> list[FieldProblem]:
    """The user's pod parts that collide with those ``engine`` adds (see :mod:`.collisions`).

    What rendering the Deployment refuses, found without rendering it: the
    check ``validate`` makes. ``secrets``: how its secret values reach Flink
    (:func:`~pulumi_flink.secrets.secret_delivery`), which decides some parts.
    """
    require_engine(engine)
    context = RenderContext(deployment=effective, target_name="", namespace="", secrets=secrets)
    kubernetes = effective.spec.template.spec.kubernetes
    if engine == "operator":
        ours = operator_pod_parts(context, plan_for(context, "operator"))
        ours = merge_pod_templates(ours, FLINK_NATIVE_POD_PARTS)
    else:
        ours = standalone_pod_parts(context)
    return pod_collision_problems(ours, kubernetes, ("jobmanager", "taskmanager"))


def render_effective_deployment(
    effective: Deployment,
    *,
    target_name: str,
    namespace: str,
    engine: str = "operator",
    actions: JobActions = NO_ACTIONS,
    secret_values: Mapping[str, SecretKeyRef] | None = None,
) -> list[dict[str, Any]]:
    """Render an effective Deployment (:func:`~pulumi_flink.effective.effective_deployment_model`).

    Returns the objects of :func:`deployment_layout`, in that order.
    ``actions`` (restore from a savepoint, one-shot nonces;
    :mod:`pulumi_flink.render.actions`) are for the operator engine only.
    ``secret_values`` name the Kubernetes Secret keys behind ``${name}``
    references (:mod:`pulumi_flink.secrets`); only references are rendered,
    and a reference the engine cannot deliver safely is a
    :class:`~pulumi_flink.errors.SpecValidationError` naming the key.
    """
    require_engine(engine)
    if engine != "operator" and actions != NO_ACTIONS:
        raise UnsupportedEngineError(engine, "savepoint restore and operator nonces")
    context = RenderContext(
        deployment=effective,
        target_name=target_name,
        namespace=namespace,
        actions=actions,
        secrets=secret_delivery(effective, secret_values or {}, engine),
    )
    if engine == "operator":
        manifests = [
            *render_rbac(context, OPERATOR_RULES),
            *render_sql_script_config_map(context),
            render_flink_deployment(context),
        ]
    else:
        manifests = [*render_rbac(context, STANDALONE_RULES), *render_standalone(context)]
    layout = deployment_layout(engine, effective.spec.template.spec.artifact.kind)
    return _as_laid_out(in_apply_order(manifests), layout)


def deployment_layout(engine: str, artifact_kind: str = "JAR") -> tuple[LayoutEntry, ...]:
    """What :func:`render_effective_deployment` renders for an artifact kind, in apply order.

    :data:`LAYOUTS` ``[engine]``, plus the SQL script's ConfigMap for SQLSCRIPT
    artifacts (after the other ConfigMaps).

    >>> [entry.suffix for entry in deployment_layout("operator", "SQLSCRIPT")][-2:]
    ['sql-script', 'flink-deployment']
    """
    require_engine(engine)
    layout = LAYOUTS[engine]
    if artifact_kind != "SQLSCRIPT":
        return layout
    after_config_maps = max(
        index + 1
        for index, entry in enumerate(layout)
        if entry.kind in ("RoleBinding", "ConfigMap")
    )
    return (*layout[:after_config_maps], _SQL_SCRIPT_ENTRY, *layout[after_config_maps:])


def session_cluster_layout(state: str) -> tuple[LayoutEntry, ...]:
    """What a SessionCluster in ``state`` renders, in apply order (operator engine only).

    A STOPPED cluster keeps its RBAC and has no FlinkDeployment.
    """
    return LAYOUTS["operator"] if state == "RUNNING" else _RBAC_LAYOUT


def require_session_engine(engine: str) -> None:
    """Raise :class:`~pulumi_flink.errors.UnsupportedEngineError` unless ``engine`` runs sessions.

    Only the operator engine does: the standalone engine has no job submission.
    """
    require_engine(engine)
    if engine != "operator":
        raise UnsupportedEngineError(engine, SESSION_MODE)


def render_effective_session_cluster(
    cluster: SessionCluster,
    *,
    target_name: str,
    namespace: str,
    engine: str = "operator",
    secret_values: Mapping[str, SecretKeyRef] | None = None,
) -> list[dict[str, Any]]:
    """Render an effective SessionCluster.

    ``cluster`` comes from :func:`~pulumi_flink.effective.effective_session_cluster_model`.
    Returns the objects of :func:`session_cluster_layout`, in that order; see
    :mod:`pulumi_flink.render.session`. ``secret_values`` as for
    :func:`render_effective_deployment` (the operator engine's rules).
    """
    require_session_engine(engine)
    manifests = render_session_cluster(
        cluster, target_name=target_name, namespace=namespace, secret_values=secret_values
    )
    return _as_laid_out(manifests, session_cluster_layout(cluster.spec.state))


def render_effective_session_job(
    deployment: Deployment,
    cluster: SessionCluster,
    *,
    target_name: str,
    namespace: str,
    engine: str = "operator",
    actions: JobActions = NO_ACTIONS,
) -> list[dict[str, Any]]:
    """Render an effective session-mode Deployment in ``cluster`` (its target and namespace).

    See :func:`~pulumi_flink.effective.effective_session_deployment_model`;
    returns the objects of :data:`SESSION_JOB_LAYOUT`.
    """
    require_session_engine(engine)
    manifest = render_session_job(
        deployment, cluster, target_name=target_name, namespace=namespace, actions=actions
    )
    return _as_laid_out([manifest], SESSION_JOB_LAYOUT)


def rest_url(engine: str, workload: str, namespace: str) -> str:
    """In-cluster URL of the JobManager REST endpoint of the workload named ``workload``.

    >>> rest_url("operator", "orders", "jobs")
    'http://orders-rest.jobs.svc:8081'
    >>> rest_url("standalone", "orders", "jobs")
    'http://orders-jobmanager.jobs.svc:8081'
    """
    require_engine(engine)
    service = (
        rest_service_name(workload) if engine == "operator" else jobmanager_service_name(workload)
    )
    return f"http://{service}.{namespace}.svc:{REST_PORT}"


def target_namespace_layout(create_namespace: bool) -> tuple[LayoutEntry, ...]:
    """What :func:`render_target_namespace` renders, in apply order."""
    return (_NAMESPACE_ENTRY, *_PLATFORM_RBAC_LAYOUT) if create_namespace else _PLATFORM_RBAC_LAYOUT


def render_target_namespace(
    namespace: str,
    *,
    create_namespace: bool,
    platform_service_account: str,
    platform_namespace: str,
) -> list[dict[str, Any]]:
    """The Namespace (when created) and the rights of the platform's service account in it.

    Returns the objects of :func:`target_namespace_layout`, in that order.
    """
    manifests = render_platform_rbac(namespace, platform_service_account, platform_namespace)
    if create_namespace:
        manifests.insert(0, render_namespace(namespace))
    return _as_laid_out(manifests, target_namespace_layout(create_namespace))


def _as_laid_out(
    manifests: list[dict[str, Any]], layout: tuple[LayoutEntry, ...]
) -> list[dict[str, Any]]:
    rendered = [(manifest["apiVersion"], manifest["kind"]) for manifest in manifests]
    if rendered != [(entry.api_version, entry.kind) for entry in layout]:
        # Unreachable from any input: a renderer and its layout disagree.
        raise RuntimeError(f"pulumi-flink bug: rendered {rendered}, the layout says {layout}")
    return manifests
