"""Turn VVP documents into validated models, or say exactly what is wrong.

Shape and single-field rules live on the pydantic models; the rules that look
at several fields at once live here. Every problem becomes a
:class:`~pulumi_flink.errors.FieldProblem` naming the field in VVP camelCase.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.limits import json_problem
from pulumi_flink.model import (
    Deployment,
    DeploymentKubernetes,
    DeploymentSpec,
    DeploymentTemplateSpec,
    SessionCluster,
    task_slots,
)
from pulumi_flink.model.flink_configuration import TASK_SLOTS_KEY
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


def parse_session_cluster(document: Mapping[str, Any] | SessionCluster) -> SessionCluster:
    """Validate a SessionCluster document, including the rules across fields.

    Raises
    ------
    SpecValidationError
        Naming every bad field.
    """
    cluster = parse_model(SessionCluster, document)
    problems = exclusive_pods_problems(cluster.spec.kubernetes, "spec.kubernetes.pods")
    if problems:
        raise SpecValidationError(problems)
    return cluster


def cross_field_problems(deployment: Deployment) -> list[FieldProblem]:
    """The rules no single field can check on its own (application mode)."""
    spec = deployment.spec.template.spec
    problems: list[FieldProblem] = []
    if deployment.spec.session_cluster_name is not None:
        problems.append(
            FieldProblem(
                "spec.sessionClusterName",
                f"the Deployment runs in SessionCluster {deployment.spec.session_cluster_name!r}, "
                "not on a deploymentTarget; place it on that session cluster instead",
            )
        )
    problems += artifact_problems(spec)
    problems += exclusive_pods_problems(spec.kubernetes, f"{TEMPLATE_SPEC}.kubernetes.pods")
    if spec.number_of_task_managers is not None:
        problems += capacity_problems(
            spec.parallelism,
            spec.number_of_task_managers,
            task_slots(spec),
            fix="raise numberOfTaskManagers or flinkConfiguration.taskmanager.numberOfTaskSlots",
        )
    problems += state_directory_problems(
        deployment.spec,
        spec.flink_configuration,
        fix="set it in the Deployment or add it through the target's deploymentPatchSet "
        f"(add /{TEMPLATE_SPEC.replace('.', '/')}/flinkConfiguration/{{key}})",
    )
    return problems


def exclusive_pods_problems(kubernetes: DeploymentKubernetes, field: str) -> list[FieldProblem]:
    """``pods`` and the full pod templates exclude each other; ``field`` names ``pods``."""
    if (
        kubernetes.job_manager_pod_template or kubernetes.task_manager_pod_template
    ) and not kubernetes.pods.is_empty():
        return [
            FieldProblem(
                field,
                "pods and jobManagerPodTemplate/taskManagerPodTemplate are "
                "exclusive: use one or the other",
            )
        ]
    return []


def artifact_problems(spec: DeploymentTemplateSpec) -> list[FieldProblem]:
    """What makes the artifact unrunnable: only JAR artifacts with a ``jarUri`` run."""
    artifact = spec.artifact
    if artifact.kind != "JAR":
        return [
            FieldProblem(
                f"{TEMPLATE_SPEC}.artifact.kind",
                f"{artifact.kind} artifacts are not supported; only JAR",
            )
        ]
    if not artifact.jar_uri:
        return [
            FieldProblem(
                f"{TEMPLATE_SPEC}.artifact.jarUri",
                "required for a JAR artifact: the location of the job jar, "
                "e.g. local:///opt/flink/usrlib/job.jar or s3://bucket/job.jar",
            )
        ]
    return []


def capacity_problems(
    parallelism: int, task_managers: int, slots: int, *, fix: str
) -> list[FieldProblem]:
    """A job's parallelism must fit the TaskManagers' slots; ``fix`` says how."""
    if parallelism <= task_managers * slots:
        return []
    return [
        FieldProblem(
            f"{TEMPLATE_SPEC}.parallelism",
            f"{parallelism} does not fit {task_managers} TaskManagers x {slots} slots; {fix}",
        )
    ]


def state_directory_problems(
    deployment_spec: DeploymentSpec, configuration: Mapping[str, str], *, fix: str
) -> list[FieldProblem]:
    """The state directories the upgrade mode needs, missing from ``configuration``.

    ``fix`` says where to set one; ``{key}`` in it is replaced by the key.
    """
    mode = upgrade_mode(deployment_spec)
    return [
        FieldProblem(
            f"{TEMPLATE_SPEC}.flinkConfiguration",
            f"{key!r} is required for upgrade mode {mode!r} "
            f"(upgradeStrategy {deployment_spec.upgrade_strategy.kind}, "
            f"restoreStrategy {deployment_spec.restore_strategy.kind}); "
            + fix.replace("{key}", key),
        )
        for key in required_state_directories(mode)
        if key not in configuration
    ]


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


DEFAULT_SESSION_JAR_SCHEMES = ("https",)
"""URI schemes the Flink operator fetches a FlinkSessionJob's jar from by default.

The operator itself downloads a session job's jar (Flink's file systems, or
HTTP) and, from release 1.15 on, accepts only the schemes of its own
allowlist, the operator-level setting
``kubernetes.operator.user.artifacts.allowed-schemes`` (default ``https``;
values in a resource's ``flinkConfiguration`` are ignored). Pass the schemes
your operator allows where a function takes ``allowed_jar_schemes``.
"""

SESSION_MODE_REFUSED = {
    "numberOfTaskManagers": (
        "the SessionCluster sets how many TaskManagers its jobs share (and their slots)"
    ),
    "resources": "the SessionCluster sets the JobManager's and TaskManagers' CPU and memory",
    "logging": "the SessionCluster's logging applies to every job in it",
    "kubernetes": "pods and pod templates are the SessionCluster's (VVP: configure them there)",
}
"""``spec.template.spec`` fields a Deployment in session mode may not set, and why.

VVP: "in session mode, the Deployment will be executed in a shared Flink
cluster and some template attributes have to be omitted: the cluster-level
configuration happens as part of the SessionCluster". Job-level settings stay:
artifact (without image coordinates), parallelism, flinkConfiguration (the
operator passes it to the job), the strategies and the state.
"""

SESSION_MODE_REFUSED_ARTIFACT = {
    "flinkImageRegistry": "the job runs on the SessionCluster's image",
    "flinkImageRepository": "the job runs on the SessionCluster's image",
    "flinkImageTag": "the job runs on the SessionCluster's image",
}
"""``artifact`` fields a session-mode Deployment may not set (``flinkVersion``
may be given when it equals the cluster's)."""


def session_mode_problems(deployment: Deployment) -> list[FieldProblem]:
    """What a Deployment in session mode sets that belongs to its SessionCluster.

    Looks at the fields the document *gives* (defaults are not settings), so
    call it on the user's document before defaulting.
    """
    spec = deployment.spec
    problems = [
        FieldProblem(
            f"spec.{field}",
            "a Deployment runs either on a deploymentTarget or in a session cluster "
            "(spec.sessionClusterName), not both; the session cluster's target applies",
        )
        for field, value in (
            ("deploymentTargetName", spec.deployment_target_name),
            ("deploymentTargetId", spec.deployment_target_id),
        )
        if value is not None
    ]
    template_spec = spec.template.spec
    given = template_spec.model_fields_set
    for name, field in DeploymentTemplateSpec.model_fields.items():
        wire = field.alias or name
        if name in given and wire in SESSION_MODE_REFUSED:
            problems.append(
                FieldProblem(
                    f"{TEMPLATE_SPEC}.{wire}",
                    f"not allowed in session mode: {SESSION_MODE_REFUSED[wire]}",
                )
            )
    artifact = template_spec.artifact
    for name, field in type(artifact).model_fields.items():
        wire = field.alias or name
        if name in artifact.model_fields_set and wire in SESSION_MODE_REFUSED_ARTIFACT:
            problems.append(
                FieldProblem(
                    f"{TEMPLATE_SPEC}.artifact.{wire}",
                    f"not allowed in session mode: {SESSION_MODE_REFUSED_ARTIFACT[wire]}",
                )
            )
    return problems


def session_job_problems(
    deployment: Deployment,
    cluster: SessionCluster,
    *,
    allowed_jar_schemes: Collection[str] = DEFAULT_SESSION_JAR_SCHEMES,
) -> list[FieldProblem]:
    """The rules of a defaulted session-mode Deployment against its SessionCluster.

    The operator's own ``validateSessionJob`` checks the same: a job, a
    jar URI its allowlist accepts, and the state directories the upgrade mode
    needs in the cluster's configuration merged with the job's.
    """
    template_spec = deployment.spec.template.spec
    cluster_spec = cluster.spec
    problems = artifact_problems(template_spec)
    if not problems and template_spec.artifact.jar_uri:
        problems += jar_scheme_problems(template_spec.artifact.jar_uri, allowed_jar_schemes)
    if (
        "flink_version" in template_spec.artifact.model_fields_set
        and template_spec.artifact.flink_version != cluster_spec.flink_version
    ):
        problems.append(
            FieldProblem(
                f"{TEMPLATE_SPEC}.artifact.flinkVersion",
                f"{template_spec.artifact.flink_version!r} differs from SessionCluster "
                f"{cluster.metadata.name!r}, which runs Flink {cluster_spec.flink_version!r}; "
                "leave it out or match it",
            )
        )
    slots = int(cluster_spec.flink_configuration.get(TASK_SLOTS_KEY, "1"))
    problems += capacity_problems(
        template_spec.parallelism,
        cluster_spec.number_of_task_managers,
        slots,
        fix=f"lower it or give SessionCluster {cluster.metadata.name!r} more TaskManagers or slots",
    )
    if cluster_spec.state == "STOPPED":
        problems.append(
            FieldProblem(
                "spec.sessionClusterName",
                f"SessionCluster {cluster.metadata.name!r} is STOPPED: every job in it must be "
                "gone before it stops (VVP; the operator also deletes a session cluster only "
                "after its FlinkSessionJobs); remove this Deployment or start the cluster",
            )
        )
    merged = {**cluster_spec.flink_configuration, **template_spec.flink_configuration}
    problems += state_directory_problems(
        deployment.spec,
        merged,
        fix=f"set it in SessionCluster {cluster.metadata.name!r}'s flinkConfiguration "
        "(or through its target's deploymentPatchSet: "
        "add /spec/template/spec/flinkConfiguration/{key})",
    )
    return problems


def jar_scheme_problems(jar_uri: str, allowed_schemes: Collection[str]) -> list[FieldProblem]:
    """A session job's jar URI must name a scheme the operator's allowlist holds.

    >>> jar_scheme_problems("https://repo/job.jar", ("https",))
    []
    >>> jar_scheme_problems("s3://jobs/job.jar", ("https",))[0].reason  # doctest: +ELLIPSIS
    "scheme 's3' is not in the Flink operator's allowlist ['https']; ...
    """
    field = f"{TEMPLATE_SPEC}.artifact.jarUri"
    scheme = urlsplit(jar_uri).scheme.lower()
    allowed = sorted({allowed.lower() for allowed in allowed_schemes})
    if not scheme:
        return [
            FieldProblem(
                field,
                f"{jar_uri!r} has no URI scheme; the operator fetches "
                f"a session job's jar by URI ({', '.join(allowed)})",
            )
        ]
    if scheme in allowed:
        return []
    return [
        FieldProblem(
            field,
            f"scheme {scheme!r} is not in the Flink operator's allowlist {allowed}; the "
            "operator downloads a session job's jar itself and refuses other schemes: "
            "use one of those, or extend kubernetes.operator.user.artifacts.allowed-schemes "
            "in the operator's configuration and pass the same schemes here",
        )
    ]
