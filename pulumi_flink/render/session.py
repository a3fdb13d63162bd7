"""Session mode for the Flink operator: a session cluster and the jobs in it.

A SessionCluster becomes the operator's FlinkDeployment without ``job``, with
the same least-privilege RBAC as a Deployment's cluster (its JobManager
creates the TaskManager pods). ``STOPPED`` renders no FlinkDeployment: the
operator has no stopped session cluster (its session reconciler only deploys
and deletes; ``job.state`` exists only for jobs), so stopping is removal; the
ServiceAccount, Role and RoleBinding stay for the next start.

A Deployment in session mode becomes a FlinkSessionJob in the cluster's
namespace, ``spec.deploymentName`` naming the cluster's FlinkDeployment and
``job`` rendered as for application mode (the same strategy table). It needs
no RBAC of its own: the operator submits it to the cluster's JobManager.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import Deployment, SessionCluster
from pulumi_flink.model.session_cluster import cluster_field
from pulumi_flink.render.actions import NO_ACTIONS, JobActions
from pulumi_flink.render.context import RenderContext
from pulumi_flink.render.naming import workload_name
from pulumi_flink.render.operator import render_flink_deployment, render_flink_session_job
from pulumi_flink.render.ordering import in_apply_order
from pulumi_flink.render.rbac import OPERATOR_RULES, render_rbac
from pulumi_flink.secrets import (
    SecretDelivery,
    SecretKeyRef,
    pulumi_secret_references,
    secret_delivery,
)


def session_cluster_context(
    cluster: SessionCluster,
    *,
    target_name: str,
    namespace: str,
    secret_values: Mapping[str, SecretKeyRef] | None = None,
) -> RenderContext:
    """The render context of a session cluster: its Deployment view, labelled as the cluster.

    Secret values are delivered as a Deployment's on the operator engine
    (:func:`~pulumi_flink.secrets.secret_delivery`).

    Raises
    ------
    SpecValidationError
        A secret value the operator cannot deliver, naming the cluster's field.
    """
    return RenderContext(
        deployment=cluster.deployment_view(),
        target_name=target_name,
        namespace=namespace,
        session_cluster=cluster.metadata.name,
        secrets=session_secret_delivery(cluster, secret_values or {}),
    )


def session_secret_delivery(
    cluster: SessionCluster, secret_values: Mapping[str, SecretKeyRef]
) -> SecretDelivery:
    """How a session cluster's secret values reach Flink: a Deployment's rules, operator engine.

    Raises
    ------
    SpecValidationError
        A secret value the operator cannot deliver, naming the cluster's field.
    """
    try:
        return secret_delivery(
            cluster.deployment_view(), secret_values, "operator", session_cluster=True
        )
    except SpecValidationError as error:
        raise SpecValidationError(
            [FieldProblem(cluster_field(p.field), p.reason) for p in error.problems]
        ) from None


def render_session_cluster(
    cluster: SessionCluster,
    *,
    target_name: str,
    namespace: str,
    secret_values: Mapping[str, SecretKeyRef] | None = None,
) -> list[dict[str, Any]]:
    """RBAC and the FlinkDeployment without job (none when STOPPED), in apply order."""
    context = session_cluster_context(
        cluster, target_name=target_name, namespace=namespace, secret_values=secret_values
    )
    manifests = render_rbac(context, OPERATOR_RULES)
    if cluster.spec.state == "RUNNING":
        try:
            manifests.append(render_flink_deployment(context, with_job=False))
        except SpecValidationError as error:
            # Refusals name the Deployment view's fields: name the cluster's.
            raise SpecValidationError(
                [FieldProblem(cluster_field(p.field), p.reason) for p in error.problems]
            ) from None
    return in_apply_order(manifests)


def render_session_job(
    deployment: Deployment,
    cluster: SessionCluster,
    *,
    target_name: str,
    namespace: str,
    actions: JobActions = NO_ACTIONS,
) -> dict[str, Any]:
    """The FlinkSessionJob of an effective session-mode Deployment in ``cluster``.

    ``target_name`` and ``namespace`` are the cluster's.

    Raises
    ------
    SpecValidationError
        Naming each field holding a Pulumi secret: the operator writes a
        session job's fields into the FlinkSessionJob, so none can be delivered.
    """
    problems = [
        FieldProblem(
            field,
            f"holds a Pulumi secret ({name!r}), which cannot be delivered safely to a session "
            "job: its fields are written into the FlinkSessionJob. Give the session cluster "
            "the secret instead (an S3 credential in its flinkConfiguration)",
        )
        for field, name in pulumi_secret_references(deployment.to_wire())
    ]
    if problems:
        raise SpecValidationError(problems)
    context = RenderContext(
        deployment=deployment,
        target_name=target_name,
        namespace=namespace,
        actions=actions,
        session_cluster=cluster.metadata.name,
    )
    return render_flink_session_job(context, workload_name(cluster.metadata.name))
