"""The effective Deployment: defaults, then the target's patch set, then validation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import Deployment, DeploymentTarget
from pulumi_flink.target import PreparedTarget, prepare_target
from pulumi_flink.validation import parse_deployment, parse_model

_PROTECTED_FIELDS = {
    "/metadata/name": "a patch may not rename the Deployment (/metadata/name)",
    "/spec/deploymentTargetName": (
        "a patch may not re-point the Deployment to another target (/spec/deploymentTargetName)"
    ),
    "/spec/deploymentTargetId": (
        "a patch may not re-point the Deployment to another target (/spec/deploymentTargetId)"
    ),
}


def effective_deployment(
    deployment: Mapping[str, Any] | Deployment,
    target: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
) -> dict[str, Any]:
    """Return the Deployment document as it will run on ``target``.

    The document is defaulted (every container under ``spec.template.spec``
    exists), bound to the target (``spec.deploymentTargetName``), patched
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
    defaulted = _bound_to_target(_defaulted(deployment), target.model)
    patched = target.patch_set.apply(defaulted, protected=_PROTECTED_FIELDS)
    patch_set = target.operations
    try:
        return parse_deployment(patched)
    except SpecValidationError as error:
        if not patch_set:
            raise
        raise SpecValidationError(
            [
                FieldProblem(
                    problem.field,
                    f"{problem.reason} (after applying the deploymentPatchSet of "
                    f"deploymentTarget {target_name!r})",
                )
                for problem in error.problems
            ]
        ) from None


def _defaulted(deployment: Mapping[str, Any] | Deployment) -> dict[str, Any]:
    """Validate the shape of the user's document and fill in every default."""
    return parse_model(Deployment, deployment).to_wire()


def _bound_to_target(document: dict[str, Any], target: DeploymentTarget) -> dict[str, Any]:
    spec = document["spec"]
    name = target.metadata.name
    given_name = spec.get("deploymentTargetName")
    if given_name not in (None, name):
        raise SpecValidationError.single(
            "spec.deploymentTargetName",
            f"the Deployment names target {given_name!r} but is deployed to {name!r}",
        )
    target_id = target.metadata.id
    given_id = spec.get("deploymentTargetId")
    if given_id is not None and target_id is not None and given_id != target_id:
        raise SpecValidationError.single(
            "spec.deploymentTargetId",
            f"the Deployment names target id {given_id!r} but {name!r} has id {target_id!r}",
        )
    bound = {"deploymentTargetName": name}
    if target_id is not None:
        bound["deploymentTargetId"] = target_id
    return {**document, "spec": {**spec, **bound}}
