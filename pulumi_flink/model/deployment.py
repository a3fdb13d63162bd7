"""The VVP ``Deployment`` resource.

Every container the model knows under ``spec.template.spec`` has a default
(an empty map or list, or the documented resources), so a patch such as
``add /spec/template/spec/flinkConfiguration/state.checkpoints.dir`` works on
a Deployment that never mentioned ``flinkConfiguration``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from functools import lru_cache, partial
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from pulumi_flink.memory import memory_bytes
from pulumi_flink.model._base import (
    DOCUMENT_KEYS,
    MAX_CPU,
    MAX_PARALLELISM,
    MIN_CPU,
    AnnotationMap,
    Count,
    LabelMap,
    Number,
    StringMap,
    UpperCase,
    VvpModel,
    checked_by,
    resource_document,
)
from pulumi_flink.model.flink_configuration import TASK_SLOTS_KEY, FlinkConfiguration
from pulumi_flink.model.kubernetes import (
    AFFINITY,
    ENV_VAR_SOURCE,
    POD_SECURITY_CONTEXT,
    POD_TEMPLATE,
    TOLERATION,
    VOLUME,
    VOLUME_MOUNT,
    shaped_as,
)
from pulumi_flink.model.metadata import Metadata
from pulumi_flink.model.names import (
    code_name_problem,
    deployment_name_problem,
    dns1123_label_problem,
    dns1123_subdomain_problem,
    flink_env_var_problem,
    image_part_problem,
    uri_problem,
)
from pulumi_flink.model.versions import (
    SUPPORTED_FLINK_VERSIONS,
    engine_flink_version,
    known_flink_version,
)

DEFAULT_FLINK_VERSION = "1.20"
"""Flink version used when the artifact names none."""

LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF")

LOGGER_NAME = re.compile(r"[A-Za-z0-9_$][A-Za-z0-9_$.\-]*")
"""Logger names: Java package and class names (``$`` for nested classes)."""


class DeploymentMetadata(Metadata):
    """``metadata`` of a Deployment: the name follows VVP's Deployment rules."""

    name: Annotated[str, checked_by(deployment_name_problem)] = Field(
        description="Deployment name (VVP's rules); never changes once created."
    )


class UpgradeStrategy(VvpModel):
    """How a running job takes a spec change."""

    kind: Annotated[Literal["STATEFUL", "STATELESS", "NONE"], UpperCase] = Field(
        default="STATEFUL",
        description=(
            "STATEFUL: suspend with a savepoint, then start; STATELESS: cancel, "
            "then start; NONE: see the README's mapping table."
        ),
    )


class RestoreStrategy(VvpModel):
    """Which state a starting job restores."""

    kind: Annotated[Literal["LATEST_STATE", "LATEST_SAVEPOINT", "NONE"], UpperCase] = Field(
        default="LATEST_STATE", description="The state a starting job restores."
    )
    allow_non_restored_state: bool = Field(
        default=False, description="Skip savepoint state that maps to no operator."
    )


_PATCH_RELEASE = re.compile(r"(\d+\.\d+)\.\d+")


def flink_version_input(version: object) -> object:
    """A ``flinkVersion`` as given, its text when it was written as a number.

    YAML and JSON read 1.20 as the float 1.2. The loaders keep the text
    (``str()`` gives ``"1.20"``); a float from elsewhere has only its digits.
    A patch release (``"1.18.1"``, as VVP-based services write it) is its
    minor version: the operator and the image tag know minor versions, and
    ``flinkImageTag`` names the exact image.

    >>> flink_version_input("1.18.1"), flink_version_input("1.19")
    ('1.18', '1.19')
    """
    if isinstance(version, str):
        patch = _PATCH_RELEASE.fullmatch(version)
        return patch.group(1) if patch else version
    if isinstance(version, float | int) and not isinstance(version, bool):
        text = str(version)
        if text not in SUPPORTED_FLINK_VERSIONS:
            raise ValueError(
                f"{text} is a number, and a number loses what makes it a version "
                f'(1.20 reads as 1.2); quote it: flinkVersion: "{_closest_version(text)}"'
            )
        return text
    return version


def _closest_version(text: str) -> str:
    """A supported version ``text`` may have meant (``1.2`` -> ``1.20``), else the default."""
    for candidate in (f"{text}0", f"{text}.0"):
        if candidate in SUPPORTED_FLINK_VERSIONS:
            return candidate
    return DEFAULT_FLINK_VERSION


FlinkVersion = Annotated[
    str,
    BeforeValidator(flink_version_input),
    AfterValidator(known_flink_version),
    Field(description='Flink version, ``"1.20"`` style.'),
]
"""``flinkVersion`` of an artifact or a session cluster: a supported version's text."""


Uri = Annotated[str, checked_by(uri_problem)]
"""A location Flink or an init container fetches: no spaces or control characters."""

ImageRegistry = Annotated[
    str | None,
    checked_by(partial(image_part_problem, "registry")),
    Field(description="Image registry."),
]
ImageRepository = Annotated[
    str | None,
    checked_by(partial(image_part_problem, "repository")),
    Field(description="Image repository; unset: the public ``flink`` image."),
]
ImageTag = Annotated[
    str | None,
    checked_by(partial(image_part_problem, "tag")),
    Field(description="Image tag; unset: the Flink version."),
]


class Artifact(VvpModel):
    """The job's code and the Flink image it runs on."""

    kind: Annotated[Literal["JAR", "SQLSCRIPT", "PYTHON"], UpperCase] = Field(
        default="JAR", description="Artifact kind, compared case-insensitively."
    )
    jar_uri: Uri | None = Field(default=None, description="Location of the job jar.")
    entry_class: Annotated[str | None, checked_by(partial(code_name_problem, "Java class"))] = (
        Field(default=None, description="The job's main class.")
    )
    main_args: str | None = Field(
        default=None, description="ONE string of program arguments, split shell-style."
    )
    additional_dependencies: list[Uri] = Field(
        default_factory=list, description="URIs of extra jars (connectors, UDFs); every kind."
    )
    python_artifact_uri: Uri | None = Field(
        default=None,
        description="PYTHON: the job's ``.py`` file, or with ``entryModule`` a zip/wheel of it.",
    )
    entry_module: Annotated[str | None, checked_by(partial(code_name_problem, "Python module"))] = (
        Field(default=None, description="PYTHON: the module to run (``-pym``) from the artifact.")
    )
    additional_python_libraries: list[Uri] | None = Field(
        default=None, description="PYTHON: URIs of extra Python files (``python.files``)."
    )
    additional_python_archives: list[Uri] | None = Field(
        default=None, description="PYTHON: URIs of archives (``python.archives``)."
    )
    sql_script: str | None = Field(
        default=None, description="SQLSCRIPT: the statements, kept byte for byte."
    )
    flink_version: FlinkVersion = DEFAULT_FLINK_VERSION
    engine_version_name: str | None = Field(
        default=None,
        description="VVP 3's engine (``vera-4.1-flink-1.20``): its Flink part is the "
        "``flinkVersion`` when that is not given.",
    )
    flink_image_registry: ImageRegistry = None
    flink_image_repository: ImageRepository = None
    flink_image_tag: ImageTag = None

    @model_validator(mode="before")
    @classmethod
    def _version_of_engine(cls, data: Any) -> Any:
        # Every Artifact passes here: a dict without the field returns at once.
        if type(data) is dict:
            if "engineVersionName" not in data:
                return data
        elif not isinstance(data, Mapping) or "engineVersionName" not in data:
            return data
        engine = data["engineVersionName"]
        if "flinkVersion" in data or "flink_version" in data or not isinstance(engine, str):
            return data
        version = engine_flink_version(engine)
        if version is None:
            raise ValueError(
                f"engineVersionName {engine[:80]!r} names no Flink version "
                "(vera-<release>-flink-<version>); add flinkVersion"
            )
        return {**data, "flinkVersion": version}

    @field_validator("main_args")
    @classmethod
    def _splittable_args(cls, main_args: str | None) -> str | None:
        if main_args is not None:
            try:
                split_arguments(main_args)
            except ValueError as error:
                raise ValueError(
                    f"{main_args!r} cannot be split shell-style ({error}); balance the quotes"
                ) from None
        return main_args


@lru_cache(maxsize=4096)
def split_arguments(main_args: str) -> tuple[str, ...]:
    """``mainArgs`` split shell-style, as the job receives them.

    Cached: a Deployment's arguments are split when it is validated, checked
    and rendered.

    Raises
    ------
    ValueError
        When the quotes are unbalanced.

    >>> split_arguments("--topic 'orders v2'")
    ('--topic', 'orders v2')
    """
    return tuple(shlex.split(main_args))


class ProcessResources(VvpModel):
    """CPU and memory of one Flink process (JobManager or TaskManager)."""

    cpu: Annotated[float, Number] = Field(
        default=1.0, ge=MIN_CPU, le=MAX_CPU, description="CPU cores (at least one millicore)."
    )
    memory: str = Field(
        default="1g", description='Memory in VVP units (decimal): ``"1g"``, ``"1500m"``.'
    )

    @field_validator("memory")
    @classmethod
    def _parsable_memory(cls, memory: str) -> str:
        memory_bytes(memory)
        return memory


class Resources(VvpModel):
    """Resources of the JobManager and of each TaskManager."""

    jobmanager: ProcessResources = Field(
        default_factory=ProcessResources, description="Default: 1 CPU, 1g."
    )
    taskmanager: ProcessResources = Field(
        default_factory=lambda: ProcessResources(memory="2g"),
        description="Default: 1 CPU, 2g.",
    )


class Logging(VvpModel):
    """Log levels, rendered as Flink's ``log4j-console.properties``."""

    # to_camel would spell it "log4JLoggers"; VVP's wire name is "log4jLoggers".
    log4j_loggers: dict[str, str] = Field(
        alias="log4jLoggers",
        default_factory=lambda: {"": "INFO"},
        description='Logger name to level; ``""`` is the root logger.',
    )
    logging_profile: str | None = Field(
        default=None, description="VVP logging profile name; kept, not rendered."
    )
    # to_camel would spell it "log4J2ConfigurationTemplate".
    log4j2_configuration_template: str | None = Field(
        alias="log4j2ConfigurationTemplate",
        default=None,
        description="VVP's log4j2 template; kept, not rendered (log4jLoggers is).",
    )

    @field_validator("log4j_loggers")
    @classmethod
    def _known_levels(cls, loggers: dict[str, str]) -> dict[str, str]:
        normalized = {name: level.upper() for name, level in loggers.items()}
        for name, level in normalized.items():
            if name and not LOGGER_NAME.fullmatch(name):
                raise ValueError(
                    f"logger name {name[:80]!r} is not a Java logger name: use letters, "
                    "digits, '.', '_', '$' and '-', like org.apache.kafka"
                )
            if level not in LOG_LEVELS:
                raise ValueError(
                    f"logger {name or '<root>'!r} has level {level!r}; "
                    f"use one of {', '.join(LOG_LEVELS)}"
                )
        return normalized


class VolumeMount(VvpModel):
    """A volume and where the Flink containers mount it."""

    name: Annotated[str, checked_by(partial(dns1123_label_problem, what="volume name"))] = Field(
        description="Name shared by the volume and its mount (a DNS-1123 label)."
    )
    volume: Annotated[dict[str, Any], shaped_as(VOLUME, named_elsewhere=True)] = Field(
        description="A Kubernetes Volume (without name)."
    )
    volume_mount: Annotated[dict[str, Any], shaped_as(VOLUME_MOUNT, named_elsewhere=True)] = Field(
        description="A Kubernetes VolumeMount (without name)."
    )


class EnvVar(VvpModel):
    """An environment variable of the Flink containers."""

    name: Annotated[str, checked_by(flink_env_var_problem)] = Field(description="Variable name.")
    value: str | None = Field(default=None, description="Literal value.")
    value_from: Annotated[dict[str, Any], shaped_as(ENV_VAR_SOURCE)] | None = Field(
        default=None, description="A Kubernetes EnvVarSource, e.g. a Secret key."
    )

    @model_validator(mode="after")
    def _one_source(self) -> EnvVar:
        if self.value and self.value_from is not None:
            raise ValueError("give value or valueFrom, not both (Kubernetes refuses both)")
        return self


class LocalObjectReference(VvpModel):
    """A reference to an object in the same namespace, by name."""

    name: Annotated[str, checked_by(dns1123_subdomain_problem)] = Field(
        description="Object name (a DNS-1123 subdomain)."
    )


class Pods(VvpModel):
    """Settings applied to the JobManager and TaskManager pods."""

    annotations: AnnotationMap = Field(default_factory=dict, description="Pod annotations.")
    labels: LabelMap = Field(default_factory=dict, description="Pod labels.")
    node_selector: LabelMap = Field(default_factory=dict, description="Node selector.")
    tolerations: list[Annotated[dict[str, Any], shaped_as(TOLERATION)]] = Field(
        default_factory=list, description="Kubernetes Tolerations."
    )
    affinity: Annotated[dict[str, Any], shaped_as(AFFINITY)] | None = Field(
        default=None, description="A Kubernetes Affinity."
    )
    security_context: Annotated[dict[str, Any], shaped_as(POD_SECURITY_CONTEXT)] | None = Field(
        default=None, description="A Kubernetes PodSecurityContext."
    )
    volume_mounts: list[VolumeMount] = Field(
        default_factory=list, description="Volumes and their mounts."
    )
    env_vars: list[EnvVar] = Field(default_factory=list, description="Environment.")
    image_pull_secrets: list[LocalObjectReference] = Field(
        default_factory=list, description="Secrets for pulling the image."
    )

    @field_validator("volume_mounts")
    @classmethod
    def _unique_volume_names(cls, volume_mounts: list[VolumeMount]) -> list[VolumeMount]:
        names = [mount.name for mount in volume_mounts]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"the volume name {twice[0]!r} is given twice; names are unique")
        return volume_mounts

    def is_empty(self) -> bool:
        """True when no pod setting is given."""
        return self == Pods()


class DeploymentKubernetes(VvpModel):
    """Kubernetes settings of a Deployment."""

    labels: LabelMap = Field(
        default_factory=dict, description="Extra labels on every object created."
    )
    pods: Pods = Field(default_factory=Pods, description="Settings for both pods.")
    job_manager_pod_template: Annotated[dict[str, Any], shaped_as(POD_TEMPLATE)] | None = Field(
        default=None,
        description="Full JobManager pod template (a Kubernetes PodTemplateSpec); exclusive "
        "with pods.",
    )
    task_manager_pod_template: Annotated[dict[str, Any], shaped_as(POD_TEMPLATE)] | None = Field(
        default=None,
        description="Full TaskManager pod template (a Kubernetes PodTemplateSpec); "
        "exclusive with pods.",
    )


class DeploymentTemplateSpec(VvpModel):
    """``spec.template.spec``: what runs and how."""

    artifact: Artifact = Field(default_factory=Artifact, description="Code and image.")
    parallelism: Annotated[int, Number] = Field(
        default=1, ge=1, le=MAX_PARALLELISM, description="Job parallelism."
    )
    number_of_task_managers: Count | None = Field(
        default=None, description="TaskManager count (Kubernetes replicas); unset: derived."
    )
    resources: Resources = Field(default_factory=Resources, description="CPU and memory.")
    flink_configuration: FlinkConfiguration = Field(
        default_factory=dict, description="Flink configuration, string to string."
    )
    logging: Logging = Field(default_factory=Logging, description="Log levels.")
    kubernetes: DeploymentKubernetes = Field(
        default_factory=DeploymentKubernetes, description="Kubernetes settings."
    )


class TemplateMetadata(VvpModel):
    """``spec.template.metadata``."""

    annotations: StringMap = Field(default_factory=dict, description="Annotations.")


class DeploymentTemplate(VvpModel):
    """``spec.template``."""

    metadata: TemplateMetadata = Field(
        default_factory=TemplateMetadata, description="Template metadata."
    )
    spec: DeploymentTemplateSpec = Field(
        default_factory=DeploymentTemplateSpec, description="What runs and how."
    )


class DeploymentSpec(VvpModel):
    """``spec`` of a Deployment."""

    state: Annotated[Literal["RUNNING", "SUSPENDED", "CANCELLED"], UpperCase] = Field(
        default="RUNNING", description="Desired state of the job."
    )
    deployment_target_name: str | None = Field(
        default=None, description="Name of the DeploymentTarget (application mode)."
    )
    deployment_target_id: str | None = Field(
        default=None, description="Id of the DeploymentTarget (application mode)."
    )
    session_cluster_name: str | None = Field(
        default=None,
        description=(
            "Session mode: the SessionCluster the job runs in, instead of a "
            "deploymentTarget; see :mod:`pulumi_flink.session` for what such a "
            "Deployment may contain."
        ),
    )
    upgrade_strategy: UpgradeStrategy = Field(
        default_factory=UpgradeStrategy, description="How spec changes are applied."
    )
    restore_strategy: RestoreStrategy = Field(
        default_factory=RestoreStrategy, description="What a starting job restores."
    )
    max_savepoint_creation_attempts: Count = Field(
        default=4, description="VVP setting; no operator equivalent."
    )
    max_job_creation_attempts: Count = Field(
        default=4, description="VVP setting; no operator equivalent."
    )
    job_failure_expiration_time: str | None = Field(
        default=None, description="VVP setting; no operator equivalent."
    )
    template: DeploymentTemplate = Field(
        default_factory=DeploymentTemplate, description="The job template."
    )


class Deployment(VvpModel):
    """A VVP ``Deployment``: a Flink job and how it runs."""

    api_version: Literal["v1"] = Field(default="v1", description="Always ``v1``.")
    kind: Literal["Deployment"] = Field(default="Deployment", description="Always ``Deployment``.")
    metadata: DeploymentMetadata = Field(description="Name, labels and server fields.")
    spec: DeploymentSpec = Field(default_factory=DeploymentSpec, description="The job.")
    status: dict[str, Any] | None = Field(
        default=None, description="Server-reported status of an export; ignored."
    )


def task_slots(spec: DeploymentTemplateSpec) -> int:
    """Slots per TaskManager: ``taskmanager.numberOfTaskSlots``, default 1."""
    return int(spec.flink_configuration.get(TASK_SLOTS_KEY, "1"))


def deployment_document(value: Mapping[str, Any] | Deployment, *, name: str) -> dict[str, Any]:
    """Accept a Deployment document or just its ``spec``; return a document.

    A bare ``spec`` (a mapping without ``metadata``, ``spec``, ``kind`` or
    ``apiVersion``) is wrapped, and a document without a name gets ``name``.

    >>> deployment_document({"state": "SUSPENDED"}, name="x")["metadata"]
    {'name': 'x'}
    """
    if isinstance(value, Deployment):
        return value.to_wire()
    return resource_document(value, name=name)


def declared_artifact_kind(value: object) -> str:
    """The artifact kind a Deployment document (or bare ``spec``) states as plain values.

    ``JAR`` (the default) when it states none or the value is not plain yet.

    >>> declared_artifact_kind({"template": {"spec": {"artifact": {"kind": "sqlscript"}}}})
    'SQLSCRIPT'
    """
    if not isinstance(value, Mapping):
        return "JAR"
    node: object = value.get("spec") if DOCUMENT_KEYS & set(value) else value
    for key in ("template", "spec", "artifact", "kind"):
        if not isinstance(node, Mapping):
            return "JAR"
        node = node.get(key)
    return node.upper() if isinstance(node, str) else "JAR"
