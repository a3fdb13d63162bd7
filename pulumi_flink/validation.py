"""Turn VVP documents into validated models, or say exactly what is wrong.

Shape and single-field rules live on the pydantic models; the rules that look
at several fields at once live here, as data: :data:`RULES` is a tuple of
small named functions, each a Deployment in and its problems out. Every
problem is a :class:`~pulumi_flink.errors.FieldProblem` naming the field in
VVP camelCase.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import Deployment, task_slots
from pulumi_flink.model.flink_configuration import line_configuration_problem
from pulumi_flink.model.versions import FLINK_CONF_YAML, flink_version
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
    """The problems every rule of :data:`RULES` finds, in the rules' order."""
    return [problem for rule in RULES for problem in rule(deployment)]


Rule = Callable[[Deployment], Iterator[FieldProblem]]
"""A rule across fields: a Deployment in, the problems it finds out."""


def session_mode_is_not_supported(deployment: Deployment) -> Iterator[FieldProblem]:
    """``spec.sessionClusterName`` (VVP session mode) is refused."""
    if deployment.spec.session_cluster_name is not None:
        yield FieldProblem(
            "spec.sessionClusterName", "session mode is not supported; use a deploymentTarget"
        )


def artifact_is_a_jar_with_a_uri(deployment: Deployment) -> Iterator[FieldProblem]:
    """The artifact is a ``JAR`` and says where the jar is."""
    artifact = deployment.spec.template.spec.artifact
    if artifact.kind != "JAR":
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.artifact.kind",
            f"{artifact.kind} artifacts are not supported; only JAR",
        )
    elif not artifact.jar_uri:
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.artifact.jarUri",
            "required for a JAR artifact: the location of the job jar, "
            "e.g. local:///opt/flink/usrlib/job.jar or s3://bucket/job.jar",
        )


def pods_and_pod_templates_are_exclusive(deployment: Deployment) -> Iterator[FieldProblem]:
    """``kubernetes.pods`` and the full pod templates are not combined."""
    kubernetes = deployment.spec.template.spec.kubernetes
    templates = kubernetes.job_manager_pod_template or kubernetes.task_manager_pod_template
    if templates and not kubernetes.pods.is_empty():
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.kubernetes.pods",
            "pods and jobManagerPodTemplate/taskManagerPodTemplate are "
            "exclusive: use one or the other",
        )


def parallelism_fits_the_task_managers(deployment: Deployment) -> Iterator[FieldProblem]:
    """With ``numberOfTaskManagers``, the parallelism fits their slots."""
    spec = deployment.spec.template.spec
    if spec.number_of_task_managers is None:
        return
    slots = task_slots(spec)
    if spec.parallelism > spec.number_of_task_managers * slots:
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.parallelism",
            f"{spec.parallelism} does not fit {spec.number_of_task_managers} "
            f"TaskManagers x {slots} slots; raise numberOfTaskManagers or "
            "flinkConfiguration.taskmanager.numberOfTaskSlots",
        )


def state_directories_are_set(deployment: Deployment) -> Iterator[FieldProblem]:
    """The upgrade mode's state directories are set, and not blank."""
    configuration = deployment.spec.template.spec.flink_configuration
    mode = upgrade_mode(deployment.spec)
    for key in required_state_directories(mode):
        if configuration.get(key, "").strip():
            continue
        need = (
            f"is empty, but upgrade mode {mode!r} needs a directory"
            if key in configuration
            else f"is required for upgrade mode {mode!r}"
        )
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.flinkConfiguration",
            f"{key!r} {need} "
            f"(upgradeStrategy {deployment.spec.upgrade_strategy.kind}, "
            f"restoreStrategy {deployment.spec.restore_strategy.kind}); "
            "set it in the Deployment or add it through the target's "
            f"deploymentPatchSet (add /{TEMPLATE_SPEC.replace('.', '/')}"
            f"/flinkConfiguration/{key})",
        )


def configuration_fits_the_flink_version(deployment: Deployment) -> Iterator[FieldProblem]:
    """Every configuration value is one the Flink version reads back exactly.

    Flink before 1.19 reads ``flink-conf.yaml`` line by line, so a value with
    a line break would write more keys (getting round the forbidden keys), a
    ``#`` starts a comment, and surrounding spaces are trimmed.
    """
    spec = deployment.spec.template.spec
    if flink_version(spec.artifact.flink_version).config_file != FLINK_CONF_YAML:
        return
    for key, value in spec.flink_configuration.items():
        problem = line_configuration_problem(value)
        if problem is not None:
            yield FieldProblem(
                f"{TEMPLATE_SPEC}.flinkConfiguration.{key}",
                f"{problem}; Flink {spec.artifact.flink_version} reads its configuration "
                "line by line and cannot read such a value (Flink 1.19 and later can)",
            )


RULES: tuple[Rule, ...] = (
    session_mode_is_not_supported,
    artifact_is_a_jar_with_a_uri,
    pods_and_pod_templates_are_exclusive,
    parallelism_fits_the_task_managers,
    state_directories_are_set,
    configuration_fits_the_flink_version,
)
"""The rules across fields, in the order their problems are reported."""


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
    return model.model_validate(dict(document))
