"""Turn VVP documents into validated models, or say exactly what is wrong.

Shape and single-field rules live on the pydantic models; the rules that look
at several fields at once live here. Every problem becomes a
:class:`~pulumi_flink.errors.FieldProblem` naming the field in VVP camelCase.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import Deployment, DeploymentTarget, task_slots
from pulumi_flink.patching import PatchSet
from pulumi_flink.strategy import required_state_directories, upgrade_mode

_Model = TypeVar("_Model", bound=BaseModel)

TEMPLATE_SPEC = "spec.template.spec"

SHARED_TARGETS = 64
"""How many distinct target documents :func:`shared_target` remembers."""


@dataclass(frozen=True)
class PreparedTarget:
    """A validated DeploymentTarget with its patch set ready to apply."""

    model: DeploymentTarget
    patch_set: PatchSet


def prepare_target(
    document: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
) -> PreparedTarget:
    """Validate a DeploymentTarget once, so its patch set can be applied many times.

    A model is taken as it is, but its patch set is validated too.

    Raises
    ------
    SpecValidationError
        Naming every bad field.
    PatchSetError
        When the patch set is malformed, naming the operation's index and path.
    """
    if isinstance(document, PreparedTarget):
        return document
    target = parse_model(DeploymentTarget, document)
    patch_set = PatchSet(
        target.spec.deployment_patch_set, target_name=target.metadata.name, object_root=True
    )
    return PreparedTarget(target, patch_set)


def shared_target(
    document: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
) -> PreparedTarget:
    """Like :func:`prepare_target`, parsing each distinct target document once.

    A stack applies a handful of targets to many Deployments, each time with
    an equal document. The result may be shared by every caller that passes an
    equal document, so it must never be mutated; it holds no reference into
    ``document``, which the caller may change afterwards.
    """
    text = _exact_json(document) if isinstance(document, Mapping) else None
    if text is None:
        return prepare_target(document)
    return _prepared_from_json(text)


@lru_cache(maxsize=SHARED_TARGETS)
def _prepared_from_json(text: str) -> PreparedTarget:
    # Parsed from the text, so nothing outside this cache can reach the result.
    return prepare_target(json.loads(text))


def _exact_json(document: Mapping[str, Any]) -> str | None:
    """The JSON text of ``document``, or ``None`` when the text would not tell all.

    Values JSON conflates (a tuple and a list, the keys ``1`` and ``"1"``)
    fail the round trip and stay out of the cache; so does anything JSON
    cannot encode (NaN, sets, non-dict mappings).
    """
    try:
        text = json.dumps(document, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return text if json.loads(text) == document else None


def parse_deployment_target(document: Mapping[str, Any] | DeploymentTarget) -> DeploymentTarget:
    """Validate a DeploymentTarget document: name, namespace and patch set.

    Raises
    ------
    SpecValidationError
        Naming every bad field.
    PatchSetError
        When the patch set is malformed, naming the operation's index and path.
    """
    if isinstance(document, DeploymentTarget):
        # Already a model: applying its patch set validates the operations.
        return document
    return prepare_target(document).model


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
    artifact = spec.artifact
    if artifact.kind != "JAR":
        problems.append(
            FieldProblem(
                f"{TEMPLATE_SPEC}.artifact.kind",
                f"{artifact.kind} artifacts are not supported; only JAR",
            )
        )
    elif not artifact.jar_uri:
        problems.append(
            FieldProblem(
                f"{TEMPLATE_SPEC}.artifact.jarUri",
                "required for a JAR artifact: the location of the job jar, "
                "e.g. local:///opt/flink/usrlib/job.jar or s3://bucket/job.jar",
            )
        )
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
    """Validate ``document`` against one model's shape and single-field rules."""
    if isinstance(document, model):
        return document
    if not isinstance(document, Mapping):
        raise SpecValidationError.single(
            model.__name__, f"expected a mapping, got {type(document).__name__}"
        )
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


def field_path(location: tuple[int | str, ...]) -> str:
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
