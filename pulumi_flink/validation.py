"""Turn VVP documents into validated models, or say exactly what is wrong.

Shape and single-field rules live on the pydantic models; the rules that look
at several fields at once live here. Every problem becomes a
:class:`~pulumi_flink.errors.FieldProblem` naming the field in VVP camelCase.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pulumi_flink.artifacts import artifact_problems
from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.limits import json_problem
from pulumi_flink.model import Deployment, task_slots
from pulumi_flink.strategy import required_state_directories, upgrade_mode

_Model = TypeVar("_Model", bound=BaseModel)

TEMPLATE_SPEC = "spec.template.spec"


def parse_deployment(document: Mapping[str, Any] | Deployment) -> Deployment:
    """Validate a Deployment document, including the rules across fields.

    Raises
    ------
    SpecValidationError
        Naming every bad field.
    """
    deployment = parse_model(Deployment, document)
    problems = cross_field_problems(deployment)
    if problems:
        raise SpecValidationError(problems)
    return deployment


def cross_field_problems(deployment: Deployment) -> list[FieldProblem]:
    """The rules no single field can check on its own."""
    spec = deployment.spec.template.spec
    problems: list[FieldProblem] = []
    if deployment.spec.session_cluster_name is not None:
        problems.append(
            FieldProblem(
                "spec.sessionClusterName",
                "session mode is not supported; use a deploymentTarget",
            )
        )
    problems.extend(artifact_problems(spec.artifact, deployment.spec.template.metadata.annotations))
    kubernetes = spec.kubernetes
    if (
        kubernetes.job_manager_pod_template or kubernetes.task_manager_pod_template
    ) and not kubernetes.pods.is_empty():
        problems.append(
            FieldProblem(
                f"{TEMPLATE_SPEC}.kubernetes.pods",
                "pods and jobManagerPodTemplate/taskManagerPodTemplate are "
                "exclusive: use one or the other",
            )
        )
    if spec.number_of_task_managers is not None:
        slots = task_slots(spec)
        if spec.parallelism > spec.number_of_task_managers * slots:
            problems.append(
                FieldProblem(
                    f"{TEMPLATE_SPEC}.parallelism",
                    f"{spec.parallelism} does not fit {spec.number_of_task_managers} "
                    f"TaskManagers x {slots} slots; raise numberOfTaskManagers or "
                    "flinkConfiguration.taskmanager.numberOfTaskSlots",
                )
            )
    mode = upgrade_mode(deployment.spec)
    for key in required_state_directories(mode):
        if key not in spec.flink_configuration:
            problems.append(
                FieldProblem(
                    f"{TEMPLATE_SPEC}.flinkConfiguration",
                    f"{key!r} is required for upgrade mode {mode!r} "
                    f"(upgradeStrategy {deployment.spec.upgrade_strategy.kind}, "
                    f"restoreStrategy {deployment.spec.restore_strategy.kind}); "
                    "set it in the Deployment or add it through the target's "
                    f"deploymentPatchSet (add /{TEMPLATE_SPEC.replace('.', '/')}"
                    f"/flinkConfiguration/{key})",
                )
            )
    return problems


def parse_model(model: type[_Model], document: Mapping[str, Any] | _Model) -> _Model:
    """Validate ``document`` against one model's shape and single-field rules.

    The document must first be plain JSON data within the limits of
    :mod:`pulumi_flink.limits`; the problem names the field where it is not.
    """
    if isinstance(document, model):
        return document
    if not isinstance(document, Mapping):
        raise SpecValidationError.single(
            model.__name__, f"expected a mapping, got {type(document).__name__}"
        )
    problem = json_problem(document)
    if problem is not None:
        raise SpecValidationError.single(field_path(problem.parts), problem.reason)
    try:
        return model.model_validate(dict(document))
    except ValidationError as error:
        raise SpecValidationError(problems_of(error)) from None


def problems_of(error: ValidationError) -> list[FieldProblem]:
    """Translate pydantic's errors into problems naming VVP camelCase fields."""
    return [
        FieldProblem(field_path(detail["loc"]), _reason(detail["type"], detail["msg"]))
        for detail in error.errors(include_url=False)
    ]


def field_path(location: Sequence[int | str]) -> str:
    """Render a pydantic location as a dotted VVP path.

    >>> field_path(("spec", "template", "spec", "kubernetes", "pods", "envVars", 0, "name"))
    'spec.template.spec.kubernetes.pods.envVars[0].name'
    """
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or "<document>"


def _reason(error_type: str, message: str) -> str:
    if error_type == "extra_forbidden":
        return "unknown field; check the spelling (VVP fields are camelCase)"
    if error_type == "missing":
        return "required field is missing"
    return message.removeprefix("Value error, ")
