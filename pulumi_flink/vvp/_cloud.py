"""Ververica Cloud (and VVP 3 / Realtime Compute) deployments, read as VVP 2 Deployments.

Ververica Cloud's API describes a deployment flat, without ``kind``,
``metadata`` or ``spec`` (``GET /deployments/{id}`` answers one, tools and
its console's YAML tab show the same)::

    {"name": "orders", "engineVersion": "vera-1.0.3-flink-1.17",
     "artifact": {"kind": "JAR", "jarArtifact": {"jarUri": ..., "entryClass": ...}},
     "deploymentTarget": {"mode": "PER_JOB", "name": "default-queue"},
     "streamingResourceSetting": {"resourceSettingMode": "BASIC",
         "basicResourceSetting": {"parallelism": 2,
             "jobmanagerResourceSettingSpec": {"cpu": 1, "memory": "4GiB"}, ...}},
     "flinkConf": {...}, "logging": {"log4jLoggers": [{"loggerName": "", ...}]}}

Each field becomes the VVP 2 field with the same meaning (:data:`CLOUD_FIELDS`
is the table, and the README's); server-set fields (``creator``,
``jobSummary``, ...) are ignored; what has no VVP 2 field (an expert
resource plan, local variables, ...) is named in a warning. API answers
wrapped as ``{"data": ...}`` (one deployment or a list) or ``{"items": [...]}``
are unwrapped, and so is ``vvctl get deployments -o yaml``'s ``{"deployments": [...]}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final, TypeGuard

from pulumi_flink.model.names import deployment_name_problem
from pulumi_flink.model.versions import engine_flink_version

ARTIFACT_PARTS: Final = ("jarArtifact", "sqlArtifact", "pythonArtifact", "cdcYamlArtifact")
"""Where Ververica Cloud keeps the fields of each artifact kind."""

CLOUD_FIELDS: Final = (
    (
        "name",
        "metadata.name (and metadata.displayName, when it is no VVP name: `My_Job` is `my-job`)",
    ),
    ("deploymentId", "metadata.id"),
    ("namespace", "metadata.namespace"),
    ("labels", "metadata.labels"),
    ("description", "metadata.annotations.description"),
    ("createdAt, modifiedAt", "metadata.createdAt, metadata.modifiedAt"),
    ("engineVersion", "spec.template.spec.artifact.flinkVersion (its `flink-<version>` part)"),
    ("executionMode: BATCH", "flinkConfiguration `execution.runtime-mode: BATCH`"),
    ("artifact.kind", "spec.template.spec.artifact.kind"),
    (
        "artifact.jarArtifact / sqlArtifact / pythonArtifact",
        "the fields of spec.template.spec.artifact (same names)",
    ),
    ("deploymentTarget.mode: PER_JOB, name", "spec.deploymentTargetName"),
    ("deploymentTarget.mode: SESSION, name", "spec.sessionClusterName"),
    (
        "streamingResourceSetting / batchResourceSetting .basicResourceSetting.parallelism",
        "spec.template.spec.parallelism",
    ),
    (
        "... .jobmanagerResourceSettingSpec, .taskmanagerResourceSettingSpec",
        "spec.template.spec.resources.jobmanager, .taskmanager",
    ),
    ("flinkConf", "spec.template.spec.flinkConfiguration"),
    (
        "logging.log4jLoggers (a list of loggerName, loggerLevel)",
        "spec.template.spec.logging.log4jLoggers (a map)",
    ),
    ("logging.loggingProfile, log4j2ConfigurationTemplate", "the same fields of logging"),
)
"""Each Ververica Cloud field we read, and the VVP 2 field it becomes."""

IGNORED_FIELDS: Final = frozenset(
    {
        "creator",
        "creatorName",
        "modifier",
        "modifierName",
        "workspace",
        "deploymentHasChanged",
        "jobSummary",
        "status",
        "referencedDeploymentDraftId",
        "latestJob",
    }
)
"""Server-set fields of a Ververica Cloud deployment: ignored."""


_MARKERS: Final = frozenset({"engineVersion", "deploymentTarget", "streamingResourceSetting"})


def cloud_fields_markdown() -> str:
    """The README's table of the Ververica Cloud fields we read and what each becomes."""
    lines = ["| Ververica Cloud field | becomes |", "| --- | --- |"]
    lines += [f"| `{field}` | {vvp} |" for field, vvp in CLOUD_FIELDS]
    return "\n".join(lines) + "\n"


def is_cloud_deployment(body: object) -> TypeGuard[Mapping[str, Any]]:
    """True for a Ververica Cloud deployment: flat, no ``kind``, ``metadata`` or ``spec``.

    >>> is_cloud_deployment({"name": "x", "artifact": {"kind": "JAR", "jarArtifact": {}}})
    True
    >>> is_cloud_deployment({"metadata": {"name": "x"}, "spec": {"template": {}}})
    False
    """
    if not isinstance(body, Mapping) or {"kind", "metadata", "spec"} & set(body):
        return False
    artifact = body.get("artifact")
    nested = isinstance(artifact, Mapping) and any(part in artifact for part in ARTIFACT_PARTS)
    return nested or (isinstance(artifact, Mapping) and bool(_MARKERS & set(body)))


def cloud_deployments(body: object) -> list[Mapping[str, Any]] | None:
    """The Ververica Cloud deployments a document holds; ``None`` when it is not one.

    A deployment itself, an array of them, or an API answer wrapping one or
    a list of them in ``data``, ``items`` or ``deployments``.

    >>> len(cloud_deployments({"data": [{"name": "a", "artifact": {"jarArtifact": {}}}]}))
    1
    """
    if is_cloud_deployment(body):
        return [body]
    if isinstance(body, Mapping) and "kind" not in body:
        for wrapper in ("data", "items", "deployments"):
            found = cloud_deployments(body[wrapper]) if wrapper in body else None
            if found is not None:
                return found
    if isinstance(body, list) and body and all(map(is_cloud_deployment, body)):
        return body
    return None


def vvp_deployment(cloud: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The VVP 2 Deployment document a Ververica Cloud deployment describes.

    Returns
    -------
    document, left_out
        The Deployment (its ``kind`` set), and the fields it does not carry
        over (with no VVP 2 field), to name in a warning.

    Examples
    --------
    >>> document, left_out = vvp_deployment({"name": "orders",
    ...     "engineVersion": "vvr-8.0.5-flink-1.17",
    ...     "artifact": {"kind": "SQLSCRIPT", "sqlArtifact": {"sqlScript": "SELECT 1"}},
    ...     "deploymentTarget": {"mode": "PER_JOB", "name": "default-queue"}})
    >>> document["spec"]["template"]["spec"]["artifact"]
    {'kind': 'SQLSCRIPT', 'sqlScript': 'SELECT 1', 'flinkVersion': '1.17'}
    >>> document["spec"]["deploymentTargetName"], left_out
    ('default-queue', [])
    """
    left_out: list[str] = []
    known = {"name", "deploymentId", "namespace", "labels", "description", "createdAt"}
    known |= {"modifiedAt", "engineVersion", "executionMode", "artifact", "deploymentTarget"}
    known |= {"streamingResourceSetting", "batchResourceSetting", "flinkConf", "logging"}
    left_out += [key for key in cloud if key not in known and key not in IGNORED_FIELDS]
    template: dict[str, Any] = {"artifact": _artifact(cloud, left_out)}
    spec: dict[str, Any] = {"template": {"spec": template}}
    target = _mapping(cloud.get("deploymentTarget"))
    if "name" in target:
        mode = target.get("mode")
        key = "sessionClusterName" if str(mode).upper() == "SESSION" else "deploymentTargetName"
        spec[key] = target["name"]
    configuration = cloud.get("flinkConf")
    if str(cloud.get("executionMode", "")).upper() == "BATCH":
        configuration = {"execution.runtime-mode": "BATCH", **_mapping(configuration)}
    if configuration is not None:
        template["flinkConfiguration"] = configuration
    template.update(_resources(cloud, left_out))
    if "logging" in cloud:
        template["logging"] = _logging(cloud["logging"], left_out)
    return {"kind": "Deployment", "metadata": _metadata(cloud), "spec": spec}, left_out


def vvp_name(name: str) -> str:
    """A VVP Deployment name for a Ververica Cloud one, which may hold ``_`` and capitals.

    >>> vvp_name("Flink_Streaming_Test"), vvp_name("orders")
    ('flink-streaming-test', 'orders')
    """
    slug = re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-")[:63].rstrip("-")
    return slug or "deployment"


def _metadata(cloud: Mapping[str, Any]) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        vvp: cloud[field]
        for field, vvp in (
            ("name", "name"),
            ("deploymentId", "id"),
            ("namespace", "namespace"),
            ("labels", "labels"),
            ("createdAt", "createdAt"),
            ("modifiedAt", "modifiedAt"),
        )
        if field in cloud
    }
    if "description" in cloud:
        metadata["annotations"] = {"description": cloud["description"]}
    name = metadata.get("name")
    if isinstance(name, str) and deployment_name_problem(name):
        # Ververica Cloud's name is what VVP shows as the display name.
        metadata["name"] = vvp_name(name)
        metadata["displayName"] = name
    return metadata


def _artifact(cloud: Mapping[str, Any], left_out: list[str]) -> Any:
    artifact = cloud.get("artifact")
    if not isinstance(artifact, Mapping):
        return artifact  # the model names what is wrong with it
    result: dict[str, Any] = {k: v for k, v in artifact.items() if k not in ARTIFACT_PARTS}
    for part in ARTIFACT_PARTS:
        fields = artifact.get(part)
        if isinstance(fields, Mapping):
            result.update(fields)
        elif fields is not None:
            result[part] = fields  # the model names it
    version = cloud.get("engineVersion")
    if isinstance(version, str) and "flinkVersion" not in result:
        found = engine_flink_version(version)
        if found is None:
            left_out.append(f"engineVersion {version!r} (names no flink-<version>)")
        else:
            result["flinkVersion"] = found
    return result


def _resources(cloud: Mapping[str, Any], left_out: list[str]) -> dict[str, Any]:
    template: dict[str, Any] = {}
    for setting in ("streamingResourceSetting", "batchResourceSetting"):
        resource_setting = _mapping(cloud.get(setting))
        mode = resource_setting.get("resourceSettingMode")
        basic = _mapping(resource_setting.get("basicResourceSetting"))
        expert = _mapping(resource_setting.get("expertResourceSetting"))
        if "parallelism" in basic:
            template["parallelism"] = basic["parallelism"]
        resources = {}
        for process in ("jobmanager", "taskmanager"):
            field = f"{process}ResourceSettingSpec"
            spec = basic.get(field, expert.get(field))
            if spec is not None:
                resources[process] = spec
        if resources:
            template["resources"] = resources
        if str(mode).upper() == "EXPERT" or "resourcePlan" in expert:
            left_out.append(f"{setting}.expertResourceSetting (its resource plan)")
        if "maxSlot" in resource_setting:
            left_out.append(f"{setting}.maxSlot")
    return template


def _logging(logging: object, left_out: list[str]) -> object:
    if not isinstance(logging, Mapping):
        return logging
    result = {
        key: value
        for key, value in logging.items()
        if key in ("loggingProfile", "log4j2ConfigurationTemplate")
    }
    loggers = logging.get("log4jLoggers")
    if isinstance(loggers, list):
        result["log4jLoggers"] = {
            str(logger.get("loggerName") or ""): logger.get("loggerLevel")
            for logger in loggers
            if isinstance(logger, Mapping)
        }
    elif loggers is not None:
        result["log4jLoggers"] = loggers
    left_out += [
        f"logging.{key}"
        for key in logging
        if key not in ("loggingProfile", "log4j2ConfigurationTemplate", "log4jLoggers")
    ]
    return result


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
