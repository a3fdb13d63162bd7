"""Effective documents: defaults, then the target's patch set, then validation.

For Deployments on a target, SessionClusters on a target, and Deployments
running in a SessionCluster (session mode).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pulumi_flink.blob_storage import with_blob_storage
from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import Deployment, DeploymentTarget, SessionCluster
from pulumi_flink.model.session_cluster import deployment_view_document, session_cluster_from_view
from pulumi_flink.target import PreparedTarget, prepare_target
from pulumi_flink.validation import (
    DEFAULT_SESSION_JAR_SCHEMES,
    SESSION_MODE_REFUSED,
    parse_deployment,
    parse_model,
    parse_session_cluster,
    session_job_problems,
    session_mode_problems,
)

_PROTECTED_FIELDS = {
    "/metadata/name": "a patch may not rename the Deployment (/metadata/name)",
    "/spec/deploymentTargetName": (
        "a patch may not re-point the Deployment to another target (/spec/deploymentTargetName)"
    ),
    "/spec/deploymentTargetId": (
        "a patch may not re-point the Deployment to another target (/spec/deploymentTargetId)"
    ),
}

_SESSION_CLUSTER_PROTECTED_FIELDS = {
    **_PROTECTED_FIELDS,
    "/spec/state": (
        "a patch may not start or stop a session cluster (/spec/state): "
        "its state decides which objects exist"
    ),
}


def effective_deployment(
    deployment: Mapping[str, Any] | Deployment,
    target: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
) -> dict[str, Any]:
    """Return the Deployment document as it will run on ``target``.

    The document is defaulted (every container under ``spec.template.spec``
    exists), bound to the target (``spec.deploymentTargetName``), given the
    state directories of the target's blob storage that it does not set
    (:mod:`pulumi_flink.blob_storage`; only when the target has one), patched
    with the target's ``deploymentPatchSet`` in order, and validated again.

    Parameters
    ----------
    deployment
        A VVP Deployment document (wire-format dict) or model.
    target
        A VVP DeploymentTarget document (wire-format dict) or model, or one
        prepared once for many Deployments (:func:`~pulumi_flink.target.prepare_target`).

    Returns
    -------
    dict
        The effective VVP Deployment document, camelCase keys.

    Raises
    ------
    PatchSetError
        When an operation of the patch set fails, naming its index and path.
    SpecValidationError
        When the Deployment or target breaks a rule, naming the field.

    Examples
    --------
    >>> target = {"metadata": {"name": "prod"}, "spec": {"deploymentPatchSet": [
    ...     {"op": "add", "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
    ...      "value": "s3://ckpt"}]}}
    >>> deployment = {"metadata": {"name": "orders"}, "spec": {"template": {"spec": {
    ...     "artifact": {"jarUri": "s3://jobs/orders.jar"}}}}}
    >>> doc = effective_deployment(deployment, target)
    >>> doc["spec"]["template"]["spec"]["flinkConfiguration"]
    {'state.checkpoints.dir': 's3://ckpt'}
    """
    return effective_deployment_model(deployment, prepare_target(target)).to_wire()


def effective_deployment_model(
    deployment: Mapping[str, Any] | Deployment, target: PreparedTarget
) -> Deployment:
    """Like :func:`effective_deployment`, for a prepared target, returning the validated model.

    The Deployment is placed on ``target`` as it is: its namespace, which may
    not be resolved yet, plays no part.
    """
    target_name = target.name
    defaulted = with_blob_storage(
        _bound_to_target(_defaulted(deployment), target.model), target.blob_storage
    )
    # A model's wire form: plain JSON data within the limits.
    patched = target.patch_set.apply(defaulted, protected=_PROTECTED_FIELDS, plain_json=True)
    patch_set = target.operations
    try:
        # The patch engine keeps its result plain JSON within the limits.
        return parse_deployment(patched, plain_json=True)
    except SpecValidationError as error:
        if not patch_set:
            raise
        raise _after_patch_set(error, target_name) from None


def _defaulted(deployment: Mapping[str, Any] | Deployment) -> dict[str, Any]:
    """Validate the shape of the user's document and fill in every default."""
    return parse_model(Deployment, deployment).to_wire()


def _bound_to_target(
    document: dict[str, Any], target: DeploymentTarget, kind: str = "Deployment"
) -> dict[str, Any]:
    spec = document["spec"]
    name = target.metadata.name
    given_name = spec.get("deploymentTargetName")
    if given_name not in (None, name):
        raise SpecValidationError.single(
            "spec.deploymentTargetName",
            f"the {kind} names target {given_name!r} but is deployed to {name!r}",
        )
    target_id = target.metadata.id
    given_id = spec.get("deploymentTargetId")
    if given_id is not None and target_id is not None and given_id != target_id:
        raise SpecValidationError.single(
            "spec.deploymentTargetId",
            f"the {kind} names target id {given_id!r} but {name!r} has id {target_id!r}",
        )
    bound = {"deploymentTargetName": name}
    if target_id is not None:
        bound["deploymentTargetId"] = target_id
    return {**document, "spec": {**spec, **bound}}


def effective_session_cluster(
    cluster: Mapping[str, Any] | SessionCluster,
    target: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
) -> dict[str, Any]:
    """Return the SessionCluster document as it will run on ``target``.

    As for a Deployment: defaulted, bound to the target, patched with the
    target's ``deploymentPatchSet`` and validated (VVP: a target serves
    Deployments and SessionClusters alike). Patch sets address Deployment
    paths (``/spec/template/spec/flinkConfiguration/...``), so they are
    applied to the cluster's *Deployment view*
    (:func:`~pulumi_flink.model.session_cluster.deployment_view_document`),
    and a patch that writes a field a SessionCluster lacks (``parallelism``,
    ``artifact.jarUri``, ``template.metadata``) is an error naming it.

    Raises
    ------
    PatchSetError, SpecValidationError
        As :func:`effective_deployment` does.

    Examples
    --------
    >>> target = {"metadata": {"name": "prod"}, "spec": {"deploymentPatchSet": [
    ...     {"op": "add", "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
    ...      "value": "s3://ckpt"}]}}
    >>> cluster = {"metadata": {"name": "shared"}, "spec": {"numberOfTaskManagers": 2}}
    >>> effective_session_cluster(cluster, target)["spec"]["flinkConfiguration"]
    {'state.checkpoints.dir': 's3://ckpt'}
    """
    return effective_session_cluster_model(cluster, prepare_target(target)).to_wire()


def effective_session_cluster_model(
    cluster: Mapping[str, Any] | SessionCluster, target: PreparedTarget
) -> SessionCluster:
    """Like :func:`effective_session_cluster`, for a prepared target, returning the model."""
    defaulted = _bound_to_target(
        parse_model(SessionCluster, cluster).to_wire(), target.model, "SessionCluster"
    )
    view = with_blob_storage(
        deployment_view_document(defaulted), target.blob_storage, "sessionclusters"
    )
    patched = target.patch_set.apply(view, protected=_SESSION_CLUSTER_PROTECTED_FIELDS)
    try:
        return parse_session_cluster(session_cluster_from_view(patched))
    except SpecValidationError as error:
        if not target.operations:
            raise
        raise _after_patch_set(error, target.name) from None


def effective_session_deployment(
    deployment: Mapping[str, Any] | Deployment,
    cluster: SessionCluster,
    *,
    allowed_jar_schemes: Collection[str] = DEFAULT_SESSION_JAR_SCHEMES,
) -> dict[str, Any]:
    """Return a session-mode Deployment document as it will run in ``cluster``.

    The Deployment is defaulted, bound to the cluster
    (``spec.sessionClusterName``) and validated against it. No patch set
    applies: VVP applies a target's patch set to the Deployments that
    *reference* the target, and a session-mode Deployment references a
    SessionCluster instead (VVP: a target is referenced by "Deployments in
    application mode or SessionCluster resources"). The target's patch set
    reaches the job through its cluster, where the cluster-level settings of
    session mode live. The document leaves out the cluster-level fields a
    session-mode Deployment may not set.

    Parameters
    ----------
    deployment
        A VVP Deployment document or model naming the cluster (or naming no
        target and no session cluster).
    cluster
        The effective SessionCluster (:func:`effective_session_cluster_model`).
    allowed_jar_schemes
        The jar URI schemes the Flink operator accepts for session jobs (its
        ``kubernetes.operator.user.artifacts.allowed-schemes``).

    Raises
    ------
    SpecValidationError
        Naming every field that breaks a rule.

    Examples
    --------
    >>> cluster = SessionCluster.model_validate({"metadata": {"name": "shared"}})
    >>> job = {"metadata": {"name": "clicks"}, "spec": {
    ...     "upgradeStrategy": {"kind": "STATELESS"},
    ...     "template": {"spec": {"artifact": {"jarUri": "https://repo/clicks.jar"}}}}}
    >>> effective_session_deployment(job, cluster)["spec"]["sessionClusterName"]
    'shared'
    """
    effective = effective_session_deployment_model(
        deployment, cluster, allowed_jar_schemes=allowed_jar_schemes
    )
    return session_deployment_wire(effective)


def effective_session_deployment_model(
    deployment: Mapping[str, Any] | Deployment,
    cluster: SessionCluster,
    *,
    allowed_jar_schemes: Collection[str] = DEFAULT_SESSION_JAR_SCHEMES,
) -> Deployment:
    """Like :func:`effective_session_deployment`, returning the validated model."""
    given = parse_model(Deployment, deployment)
    problems = session_mode_problems(given)
    name = cluster.metadata.name
    named = given.spec.session_cluster_name
    if named not in (None, name):
        problems.append(
            FieldProblem(
                "spec.sessionClusterName",
                f"the Deployment names session cluster {named!r} but runs in {name!r}",
            )
        )
    if problems:
        raise SpecValidationError(problems)
    bound = given.model_copy(
        update={"spec": given.spec.model_copy(update={"session_cluster_name": name})}
    )
    problems = session_job_problems(bound, cluster, allowed_jar_schemes=allowed_jar_schemes)
    if problems:
        raise SpecValidationError(problems)
    return bound


def session_deployment_wire(deployment: Deployment) -> dict[str, Any]:
    """The wire document of a session-mode Deployment, without cluster-level fields."""
    document = deployment.to_wire()
    spec: dict[str, Any] = document["spec"]  # type: ignore[assignment]
    template_spec: dict[str, Any] = spec["template"]["spec"]
    for field in SESSION_MODE_REFUSED:
        template_spec.pop(field, None)
    return document


def _after_patch_set(error: SpecValidationError, target_name: str) -> SpecValidationError:
    return SpecValidationError(
        [
            FieldProblem(
                problem.field,
                f"{problem.reason} (after applying the deploymentPatchSet of "
                f"deploymentTarget {target_name!r})",
            )
            for problem in error.problems
        ]
    )
