"""Every field of VVP's resource schemas, and what pulumi-flink does with it.

VVP's API reference (AppManager 2.x: ``Deployment``, ``DeploymentTarget``,
``DeploymentDefaults``, ``SessionCluster``, ``Savepoint``) is the truth for
the field list. Each field is **mapped** (it changes what we render), **kept**
(accepted and carried in the model or onto annotations, without an operator
equivalent) or **refused** (an error that names the feature, never "unknown
field"). The README's field table is :func:`field_table_markdown`, checked by
a test, so the two cannot drift apart.

A refused field the model does not define is reported through
:func:`refusal_of`, which the validation layer asks before calling anything
an unknown field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Handling = Literal["mapped", "kept", "refused"]

METADATA_KINDS = ("Deployment", "DeploymentTarget", "DeploymentDefaults", "SessionCluster")
"""Kinds with the common VVP metadata (Savepoints have their own)."""

TEMPLATE = "spec.template.spec"


@dataclass(frozen=True)
class VvpField:
    """One field of a VVP schema and what pulumi-flink does with it."""

    kinds: tuple[str, ...]
    path: str
    handling: Handling
    note: str


def _metadata_fields() -> list[VvpField]:
    kinds = METADATA_KINDS
    return [
        VvpField(
            kinds, "metadata.name", "mapped", "object names (shortened with a hash when too long)"
        ),
        VvpField(
            kinds,
            "metadata.namespace",
            "kept",
            "the VVP namespace: annotation `pulumi-flink.dev/vvp-namespace`; selects the "
            "namespace's DeploymentDefaults (unset reads as `default`)",
        ),
        VvpField(
            kinds, "metadata.displayName", "kept", "annotation `pulumi-flink.dev/display-name`"
        ),
        VvpField(
            kinds, "metadata.labels", "kept", "annotation `pulumi-flink.dev/vvp-labels` (JSON)"
        ),
        VvpField(
            kinds,
            "metadata.annotations",
            "kept",
            "annotation `pulumi-flink.dev/vvp-annotations` (JSON)",
        ),
        VvpField(
            kinds,
            "metadata.id",
            "kept",
            "a target's id resolves `spec.deploymentTargetId`; otherwise ignored (server-set)",
        ),
        VvpField(kinds, "metadata.createdAt", "kept", "ignored (server-set)"),
        VvpField(kinds, "metadata.modifiedAt", "kept", "ignored (server-set)"),
        VvpField(kinds, "metadata.resourceVersion", "kept", "ignored (server-set)"),
        VvpField(kinds, "status", "kept", "ignored (server-reported, in exports)"),
    ]


def _deployment_spec_fields(kinds: tuple[str, ...]) -> list[VvpField]:
    t = TEMPLATE
    return [
        VvpField(kinds, "spec.state", "mapped", "`job.state`; standalone: replicas"),
        VvpField(kinds, "spec.deploymentTargetName", "mapped", "the target the Deployment runs on"),
        VvpField(
            kinds,
            "spec.deploymentTargetId",
            "mapped",
            "resolved against the targets' `metadata.id`",
        ),
        VvpField(
            kinds,
            "spec.sessionClusterName",
            "mapped",
            "session mode: a `FlinkSessionJob` in that SessionCluster's FlinkDeployment",
        ),
        VvpField(kinds, "spec.upgradeStrategy.kind", "mapped", "`job.upgradeMode`"),
        VvpField(kinds, "spec.restoreStrategy.kind", "mapped", "`job.upgradeMode`"),
        VvpField(
            kinds,
            "spec.restoreStrategy.allowNonRestoredState",
            "mapped",
            "`job.allowNonRestoredState`",
        ),
        VvpField(kinds, "spec.maxSavepointCreationAttempts", "kept", "no operator equivalent"),
        VvpField(kinds, "spec.maxJobCreationAttempts", "kept", "no operator equivalent"),
        VvpField(kinds, "spec.jobFailureExpirationTime", "kept", "no operator equivalent"),
        VvpField(
            kinds,
            "spec.template.metadata.annotations",
            "mapped",
            "FlinkDeployment annotations; VVP feature switches translated, or dropped "
            "with a warning",
        ),
        VvpField(
            kinds, f"{t}.artifact.kind", "mapped", "`JAR` (case-insensitive); other kinds refused"
        ),
        VvpField(
            kinds, f"{t}.artifact.jarUri", "mapped", "`job.jarURI`; `${name}` secret references"
        ),
        VvpField(kinds, f"{t}.artifact.entryClass", "mapped", "`job.entryClass`"),
        VvpField(kinds, f"{t}.artifact.mainArgs", "mapped", "`job.args`, split shell-style"),
        VvpField(kinds, f"{t}.artifact.additionalDependencies", "mapped", "extra jars"),
        VvpField(kinds, f"{t}.artifact.flinkVersion", "mapped", "`flinkVersion`, image tag"),
        VvpField(kinds, f"{t}.artifact.flinkImageRegistry", "mapped", "`image`"),
        VvpField(kinds, f"{t}.artifact.flinkImageRepository", "mapped", "`image`"),
        VvpField(kinds, f"{t}.artifact.flinkImageTag", "mapped", "`image`"),
        VvpField(
            kinds,
            f"{t}.artifact.sqlScript",
            "mapped",
            "SQLSCRIPT: the script the SQL runner executes (see the artifacts section)",
        ),
        *(
            VvpField(
                kinds,
                f"{t}.artifact.{field}",
                "mapped",
                "PYTHON: run through PyFlink's PythonDriver (see the artifacts section)",
            )
            for field in (
                "pythonArtifactUri",
                "entryModule",
                "additionalPythonLibraries",
                "additionalPythonArchives",
            )
        ),
        VvpField(kinds, f"{t}.parallelism", "mapped", "`job.parallelism`"),
        VvpField(kinds, f"{t}.numberOfTaskManagers", "mapped", "`taskManager.replicas`"),
        VvpField(kinds, f"{t}.resources.jobmanager.cpu", "mapped", "`jobManager.resource.cpu`"),
        VvpField(
            kinds, f"{t}.resources.jobmanager.memory", "mapped", "`jobManager.resource.memory`"
        ),
        VvpField(kinds, f"{t}.resources.taskmanager.cpu", "mapped", "`taskManager.resource.cpu`"),
        VvpField(
            kinds, f"{t}.resources.taskmanager.memory", "mapped", "`taskManager.resource.memory`"
        ),
        VvpField(
            kinds,
            f"{t}.flinkConfiguration",
            "mapped",
            "`flinkConfiguration`; `high-availability: vvp-kubernetes` becomes Kubernetes HA",
        ),
        VvpField(kinds, f"{t}.logging.log4jLoggers", "mapped", "`log4j-console.properties`"),
        VvpField(kinds, f"{t}.logging.loggingProfile", "kept", "not rendered (a warning says so)"),
        VvpField(
            kinds,
            f"{t}.logging.log4j2ConfigurationTemplate",
            "kept",
            "not rendered: we write `log4j-console.properties` from `log4jLoggers` "
            "(a warning says so)",
        ),
        VvpField(kinds, f"{t}.kubernetes.labels", "mapped", "labels of every object"),
        *(
            VvpField(kinds, f"{t}.kubernetes.pods.{field}", "mapped", "`podTemplate`")
            for field in (
                "annotations",
                "labels",
                "nodeSelector",
                "tolerations",
                "affinity",
                "securityContext",
                "volumeMounts",
                "envVars",
                "imagePullSecrets",
            )
        ),
        VvpField(
            kinds, f"{t}.kubernetes.jobManagerPodTemplate", "mapped", "`jobManager.podTemplate`"
        ),
        VvpField(
            kinds, f"{t}.kubernetes.taskManagerPodTemplate", "mapped", "`taskManager.podTemplate`"
        ),
    ]


def _savepoint_fields() -> list[VvpField]:
    kinds = ("Savepoint",)
    return [
        VvpField(
            kinds,
            "metadata.id",
            "mapped",
            "names the Savepoint (it has no name) and its FlinkStateSnapshot "
            "(`<workload>-<first 8 characters>`)",
        ),
        VvpField(kinds, "metadata.namespace", "kept", "the VVP namespace"),
        VvpField(
            kinds,
            "metadata.deploymentId",
            "mapped",
            "the Deployment (by `metadata.id`) it belongs to; one not among the files is a problem",
        ),
        VvpField(kinds, "metadata.jobId", "kept", "no operator equivalent"),
        VvpField(kinds, "metadata.origin", "kept", "no operator equivalent"),
        VvpField(kinds, "metadata.type", "kept", "no operator equivalent"),
        VvpField(kinds, "metadata.annotations", "kept", "no operator equivalent"),
        VvpField(
            kinds,
            "metadata.createdAt",
            "mapped",
            "orders a Deployment's Savepoints: the newest is `latest_savepoint`",
        ),
        VvpField(kinds, "metadata.modifiedAt", "kept", "server-set"),
        VvpField(kinds, "metadata.resourceVersion", "kept", "server-set"),
        VvpField(
            kinds,
            "spec.savepointLocation",
            "mapped",
            "`spec.savepoint.path` of a FlinkStateSnapshot that adopts it (`alreadyExists: true`, "
            "`disposeOnDelete: false`); where `restore_from` can start a job",
        ),
        VvpField(kinds, "spec.flinkSavepointId", "kept", "no operator equivalent"),
        VvpField(
            kinds,
            "status.state",
            "mapped",
            "only COMPLETED Savepoints (or ones without status) are rendered and restorable",
        ),
        VvpField(kinds, "status.failure", "kept", "ignored"),
    ]


VVP_FIELDS: tuple[VvpField, ...] = (
    *_metadata_fields(),
    *_deployment_spec_fields(("Deployment", "DeploymentDefaults")),
    VvpField(
        ("DeploymentTarget",),
        "spec.kubernetes.namespace",
        "mapped",
        "the namespace of the workloads",
    ),
    VvpField(
        ("DeploymentTarget",), "spec.deploymentPatchSet", "mapped", "applied in order (RFC 6902)"
    ),
    *(
        VvpField(("SessionCluster",), path, "mapped", "the session cluster's FlinkDeployment")
        for path in [
            "spec.state",
            "spec.deploymentTargetName",
            "spec.deploymentTargetId",
            "spec.flinkVersion",
            "spec.flinkImageRegistry",
            "spec.flinkImageRepository",
            "spec.flinkImageTag",
            "spec.numberOfTaskManagers",
            "spec.resources",
            "spec.flinkConfiguration",
            "spec.logging",
            "spec.kubernetes",
        ]
    ),
    *_savepoint_fields(),
)
"""Every VVP field, per kind, in schema order."""


def refusal_of(kind: str, location: Sequence[int | str]) -> str | None:
    """The message for a refused VVP field at a model location, else ``None``.

    List indices in ``location`` are skipped.

    >>> refusal_of("Deployment", ("spec", "paralelism")) is None
    True
    """
    path = ".".join(part for part in location if isinstance(part, str))
    for field in VVP_FIELDS:
        if field.handling == "refused" and field.path == path and kind in field.kinds:
            return field.note
    return None


def field_table_markdown() -> str:
    """The README's table of every VVP field: kinds, field, handling, what we do."""
    lines = ["| kinds | field | handling | what pulumi-flink does |", "| --- | --- | --- | --- |"]
    for field in VVP_FIELDS:
        kinds = ", ".join(field.kinds) if field.kinds != METADATA_KINDS else "all but Savepoint"
        lines.append(f"| {kinds} | `{field.path}` | {field.handling} | {field.note} |")
    return "\n".join(lines) + "\n"
