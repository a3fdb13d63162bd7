"""Turn VVP documents into validated models, or say exactly what is wrong.

Shape and single-field rules live on the pydantic models; the rules that look
at several fields at once live here, as data: :data:`RULES` is a tuple of
small named functions, each a Deployment in and its problems out. Every
problem is a :class:`~pulumi_flink.errors.FieldProblem` naming the field in
VVP camelCase.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from pulumi_flink.artifacts import artifact_problems, not_a_uri, uri_scheme
from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import (
    Deployment,
    DeploymentSpec,
    DeploymentTemplateSpec,
    SessionCluster,
    task_slots,
)
from pulumi_flink.model.defaults import DeploymentDefaults, defaulted_document
from pulumi_flink.model.flink_configuration import TASK_SLOTS_KEY, line_configuration_problem
from pulumi_flink.model.session_cluster import cluster_field
from pulumi_flink.model.versions import FLINK_CONF_YAML, flink_version
from pulumi_flink.strategy import required_state_directories, upgrade_mode
from pulumi_flink.vvp_settings import vvp_setting_problems

_Model = TypeVar("_Model", bound=BaseModel)

TEMPLATE_SPEC = "spec.template.spec"


def parse_deployment(
    document: Mapping[str, Any] | Deployment, *, plain_json: bool = False
) -> Deployment:
    """Validate a Deployment document, including the rules across fields.

    ``plain_json``: the document is known to be plain JSON data within the
    limits (a patch set's result), so that check is skipped.

    Raises
    ------
    SpecValidationError
        Naming every bad field.
    """
    if plain_json and isinstance(document, Mapping):
        deployment = Deployment.model_validate_plain_json(document)
    else:
        deployment = parse_model(Deployment, document)
    problems = cross_field_problems(deployment)
    if problems:
        raise SpecValidationError(problems)
    return deployment


def parse_session_cluster(document: Mapping[str, Any] | SessionCluster) -> SessionCluster:
    """Validate a SessionCluster document, including the rules across fields.

    The cluster-level rules of :data:`RULES` (:data:`SESSION_CLUSTER_RULES`)
    run on the cluster's Deployment view; problems name the cluster's fields.

    Raises
    ------
    SpecValidationError
        Naming every bad field.
    """
    cluster = parse_model(SessionCluster, document)
    view = cluster.deployment_view()
    problems = [
        FieldProblem(cluster_field(problem.field), problem.reason)
        for rule in SESSION_CLUSTER_RULES
        for problem in rule(view)
    ]
    if problems:
        raise SpecValidationError(problems)
    return cluster


def parse_defaults(document: Mapping[str, Any] | DeploymentDefaults) -> DeploymentDefaults:
    """Validate DeploymentDefaults: their partial spec must fit the Deployment schema.

    Raises
    ------
    SpecValidationError
        Naming every bad field (``spec.…`` as in a Deployment).
    """
    defaults = parse_model(DeploymentDefaults, document)
    parse_model(Deployment, {"metadata": {"name": "defaults"}, "spec": defaults.spec})
    return defaults


def apply_deployment_defaults(
    deployment: Mapping[str, Any] | Deployment,
    defaults: Sequence[Mapping[str, Any] | DeploymentDefaults],
) -> Deployment:
    """``deployment`` with the DeploymentDefaults that apply to it merged in, VVP's way.

    See :func:`~pulumi_flink.model.defaults.defaulted_document`: global,
    then namespaced defaults, then what the Deployment wrote. Applied before
    the target's patch set.

    Raises
    ------
    SpecValidationError
        When a document, or the merged result, breaks the model's rules.
    """
    model = parse_model(Deployment, deployment)
    document = defaulted_document(model, [parse_defaults(d) for d in defaults])
    return model if document is None else parse_model(Deployment, document)


def cross_field_problems(deployment: Deployment) -> list[FieldProblem]:
    """The problems every rule of :data:`RULES` finds, in the rules' order."""
    return [problem for rule in RULES for problem in rule(deployment)]


Rule = Callable[[Deployment], Iterator[FieldProblem]]
"""A rule across fields: a Deployment in, the problems it finds out."""


def runs_on_a_target(deployment: Deployment) -> Iterator[FieldProblem]:
    """A Deployment on a target names no session cluster (session mode has its own rules)."""
    name = deployment.spec.session_cluster_name
    if name is not None:
        yield FieldProblem(
            "spec.sessionClusterName",
            f"the Deployment runs in SessionCluster {name!r}, not on a deploymentTarget; "
            "place it in that session cluster instead",
        )


def session_job_artifact_problems(deployment: Deployment) -> Iterator[FieldProblem]:
    """A session job is a JAR the operator submits: nothing to stage, no extra jars.

    The operator fetches a FlinkSessionJob's ``jarURI`` itself; the session
    cluster's pods are shared, so no init container can bring files for one
    job, and a FlinkSessionJob has no field for more jars.
    """
    artifact = deployment.spec.template.spec.artifact
    if artifact.kind != "JAR":
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.artifact.kind",
            f"a session job runs a JAR; {artifact.kind} artifacts run in application mode "
            "(a deploymentTarget instead of sessionClusterName)",
        )
        return
    if not artifact.jar_uri:
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.artifact.jarUri",
            "required for a JAR artifact: the location of the job jar, "
            "e.g. local:///opt/flink/usrlib/job.jar or s3://bucket/job.jar",
        )
    if artifact.additional_dependencies:
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.artifact.additionalDependencies",
            "a session job cannot bring extra jars (a FlinkSessionJob has no field for them "
            "and the session cluster's pods are shared): put them into the session "
            "cluster's image, or build them into the job jar",
        )


def artifact_runs(deployment: Deployment) -> Iterator[FieldProblem]:
    """The artifact has its kind's fields only, and every file it names can reach the job.

    See :mod:`pulumi_flink.artifacts`: what each kind requires, and which URI
    schemes each Flink version can bring to the job.
    """
    template = deployment.spec.template
    yield from artifact_problems(template.spec.artifact, template.metadata.annotations)


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
    yield from capacity_problems(
        spec.parallelism,
        spec.number_of_task_managers,
        task_slots(spec),
        fix="raise numberOfTaskManagers or flinkConfiguration.taskmanager.numberOfTaskSlots",
    )


def capacity_problems(
    parallelism: int, task_managers: int, slots: int, *, fix: str
) -> Iterator[FieldProblem]:
    """A job's parallelism must fit the TaskManagers' slots; ``fix`` says how."""
    if parallelism > task_managers * slots:
        yield FieldProblem(
            f"{TEMPLATE_SPEC}.parallelism",
            f"{parallelism} does not fit {task_managers} TaskManagers x {slots} slots; {fix}",
        )


def state_directories_are_set(deployment: Deployment) -> Iterator[FieldProblem]:
    """The upgrade mode's state directories are set, and not blank."""
    yield from state_directory_problems(
        deployment.spec,
        deployment.spec.template.spec.flink_configuration,
        fix="set it in the Deployment or add it through the target's deploymentPatchSet "
        f"(add /{TEMPLATE_SPEC.replace('.', '/')}/flinkConfiguration/{{key}}); VVP filled "
        "it from its Universal Blob Storage (vvp.blobStorage.baseUri): give the same base "
        "URI as the target's blob_storage (--blob-storage) to fill it the same way; or run "
        "stateless (restoreStrategy NONE)",
    )


def state_directory_problems(
    deployment_spec: DeploymentSpec, configuration: Mapping[str, str], *, fix: str
) -> Iterator[FieldProblem]:
    """The state directories the upgrade mode needs, missing or blank in ``configuration``.

    ``fix`` says where to set one; ``{key}`` in it is replaced by the key.
    """
    mode = upgrade_mode(deployment_spec)
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
            f"(upgradeStrategy {deployment_spec.upgrade_strategy.kind}, "
            f"restoreStrategy {deployment_spec.restore_strategy.kind}); "
            + fix.replace("{key}", key),
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


def vvp_settings_translate(deployment: Deployment) -> Iterator[FieldProblem]:
    """VVP-only settings can be translated as given (:mod:`pulumi_flink.vvp_settings`)."""
    yield from vvp_setting_problems(deployment)


RULES: tuple[Rule, ...] = (
    runs_on_a_target,
    artifact_runs,
    pods_and_pod_templates_are_exclusive,
    parallelism_fits_the_task_managers,
    state_directories_are_set,
    configuration_fits_the_flink_version,
    vvp_settings_translate,
)
"""The rules across fields, in the order their problems are reported."""

SESSION_CLUSTER_RULES: tuple[Rule, ...] = (
    pods_and_pod_templates_are_exclusive,
    configuration_fits_the_flink_version,
)
"""The rules of :data:`RULES` about cluster-level fields, which SessionClusters follow too."""


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


def session_mode_defaults(defaults: Sequence[DeploymentDefaults]) -> list[DeploymentDefaults]:
    """The DeploymentDefaults a session-mode Deployment takes: without cluster-level fields.

    VVP keeps the cluster-level configuration on the SessionCluster; defaults
    for it (``resources``, ``kubernetes``, ...) would make every session-mode
    Deployment invalid, so they are left out for those.
    """
    stripped = []
    for default in defaults:
        spec = copy.deepcopy(default.spec)
        template_spec = spec.get("template", {}).get("spec", {})
        if isinstance(template_spec, dict):
            for field in SESSION_MODE_REFUSED:
                template_spec.pop(field, None)
            artifact = template_spec.get("artifact")
            if isinstance(artifact, dict):
                for field in SESSION_MODE_REFUSED_ARTIFACT:
                    artifact.pop(field, None)
        stripped.append(default.model_copy(update={"spec": spec}))
    return stripped


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
    problems = list(session_job_artifact_problems(deployment))
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
    scheme = uri_scheme(jar_uri)
    allowed = sorted({allowed.lower() for allowed in allowed_schemes})
    if scheme is None:
        return [FieldProblem(field, not_a_uri(jar_uri))]
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
