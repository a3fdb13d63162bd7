"""Every field of VVP's resource schemas, and what pulumi-flink does with it.

VVP's API reference is the truth for the field list: the AppManager API's
OpenAPI description (``Deployment``, ``DeploymentTarget``,
``DeploymentDefaults``, ``Savepoint``, ``SecretValue``, and the ``Job``,
``Event`` and ``SystemInformation`` we skip), the docs pages of each
resource (Deployments, Deployment Templates, Artifacts, Resources, Kubernetes
Resources, Session Clusters, Deployment Targets, Deployment Defaults,
Savepoints, Secret Values, Logging), and VVP 3's ``engineVersionName``. Each
field is

- **mapped**: it changes what we render;
- **kept**: accepted and carried in the model or onto annotations, without
  an operator equivalent;
- **ignored**: accepted and dropped, with the reason (server-set fields,
  values never used);
- **refused**: a value VVP takes that we cannot carry out, refused naming
  the feature (never "unknown field").

A test reads a document with each one set and checks that none is called an
unknown field; a table-driven test reads each scalar in every form VVP
accepts. The README's field table is :func:`field_table_markdown`, checked
by a test, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Handling = Literal["mapped", "kept", "ignored", "refused"]

METADATA_KINDS = (
    "Deployment",
    "DeploymentTarget",
    "DeploymentDefaults",
    "SessionCluster",
    "SecretValue",
)
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
        VvpField(kinds, "metadata.createdAt", "ignored", "server-set"),
        VvpField(kinds, "metadata.modifiedAt", "ignored", "server-set"),
        VvpField(kinds, "metadata.resourceVersion", "ignored", "server-set (a number)"),
        VvpField(kinds, "status", "ignored", "server-reported, in exports"),
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
            kinds,
            f"{t}.artifact.kind",
            "mapped",
            "`JAR`, `PYTHON`, `SQLSCRIPT` (case-insensitive; see "
            "[Artifacts](#artifacts-jar-python-sqlscript))",
        ),
        VvpField(
            kinds, f"{t}.artifact.jarUri", "mapped", "`job.jarURI`; `${name}` secret references"
        ),
        VvpField(kinds, f"{t}.artifact.entryClass", "mapped", "`job.entryClass`"),
        VvpField(kinds, f"{t}.artifact.mainArgs", "mapped", "`job.args`, split shell-style"),
        VvpField(
            kinds,
            f"{t}.artifact.additionalDependencies",
            "mapped",
            "extra jars on the job's classpath, every kind (see "
            "[Artifacts](#artifacts-jar-python-sqlscript))",
        ),
        VvpField(
            kinds,
            f"{t}.artifact.flinkVersion",
            "mapped",
            "`flinkVersion`, image tag; unquoted `1.20` keeps its text, a patch release "
            "`1.18.1` reads as `1.18`",
        ),
        VvpField(
            kinds,
            f"{t}.artifact.engineVersionName",
            "mapped",
            "VVP 3's engine (`vera-4.1-flink-1.20`): its Flink part is `flinkVersion` when "
            "none is given",
        ),
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
            "`flinkConfiguration` (numbers and booleans as Flink reads them); "
            "`high-availability: vvp-kubernetes` becomes Kubernetes HA",
        ),
        VvpField(
            kinds,
            f"{t}.flinkConfiguration.kubernetes.namespace",
            "refused",
            "the Flink operator sets it from the target (so do `kubernetes.cluster-id` and "
            "`high-availability.cluster-id`, from the name)",
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


_SAVEPOINT_ROWS: tuple[tuple[str, Handling, str], ...] = (
    ("metadata.id", "mapped", "names it (it has no name) and its FlinkStateSnapshot in `render`"),
    ("metadata.namespace", "ignored", "the Deployment's namespace counts"),
    ("metadata.deploymentId", "mapped", "the Deployment (by `metadata.id`) it belongs to"),
    ("metadata.jobId", "kept", "the Flink job"),
    ("metadata.origin", "kept", "why it was taken"),
    ("metadata.type", "kept", "savepoint or retained checkpoint"),
    ("metadata.annotations", "ignored", "VVP's own bookkeeping"),
    ("metadata.createdAt", "mapped", "orders a Deployment's savepoints (`latest_savepoint`)"),
    ("metadata.modifiedAt", "ignored", "server-set"),
    ("metadata.resourceVersion", "ignored", "server-set"),
    ("spec.savepointLocation", "mapped", "the adopted FlinkStateSnapshot's path; `restore_from`"),
    ("spec.flinkSavepointId", "kept", "Flink's id"),
    ("spec.savepointFormatType", "kept", "CANONICAL or NATIVE"),
    ("status", "mapped", "only COMPLETED savepoints (or ones without status) are used"),
)


_SESSION_CLUSTER_ROWS: tuple[tuple[str, Handling, str], ...] = (
    (
        "spec.state",
        "mapped",
        "RUNNING: the FlinkDeployment without `job`; STOPPED: none is rendered (the operator "
        "has no stopped session cluster), RBAC stays; no Deployment may run in a STOPPED one",
    ),
    (
        "spec.deploymentTargetName",
        "mapped",
        "the target: its namespace, its patch set (applied to the cluster's Deployment view)",
    ),
    ("spec.deploymentTargetId", "mapped", "resolved against the targets' `metadata.id`"),
    ("spec.flinkVersion", "mapped", "`flinkVersion`, image tag; a job may only repeat it"),
    ("spec.flinkImageRegistry", "mapped", "`image`"),
    ("spec.flinkImageRepository", "mapped", "`image`"),
    ("spec.flinkImageTag", "mapped", "`image`"),
    (
        "spec.numberOfTaskManagers",
        "mapped",
        "`taskManager.replicas` (default 1); its slots bound each job's parallelism",
    ),
    ("spec.resources", "mapped", "`jobManager/taskManager.resource`, as for a Deployment"),
    (
        "spec.flinkConfiguration",
        "mapped",
        "`flinkConfiguration` (no Kubernetes HA switched on: no job of its own); the state "
        "directories its jobs' upgrade modes need",
    ),
    ("spec.logging", "mapped", "`logConfiguration`, as for a Deployment"),
    ("spec.kubernetes", "mapped", "labels, `podTemplate` or the full pod templates"),
)
"""What becomes of each field of a VVP ``SessionCluster``'s ``spec`` (session mode)."""


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
    *(VvpField(("SessionCluster",), *row) for row in _SESSION_CLUSTER_ROWS),
    *(VvpField(("Savepoint",), *row) for row in _SAVEPOINT_ROWS),
    VvpField(
        ("SecretValue",),
        "metadata.name",
        "mapped",
        "`${name}` is this secret: key `<name>` of the Kubernetes Secret `vvp-secret-values`",
    ),
    VvpField(("SecretValue",), "spec.kind", "ignored", "every kind is a Secret key"),
    VvpField(
        ("SecretValue",),
        "spec.value",
        "ignored",
        "never used nor rendered (a warning says to remove it from the export)",
    ),
)
"""Every VVP field, per kind, in schema order."""


def field_table_markdown() -> str:
    """The README's table of every VVP field: kinds, field, handling, what we do."""
    lines = ["| kinds | field | handling | what pulumi-flink does |", "| --- | --- | --- | --- |"]
    for field in VVP_FIELDS:
        kinds = ", ".join(field.kinds) if field.kinds != METADATA_KINDS else "all but Savepoint"
        lines.append(f"| {kinds} | `{field.path}` | {field.handling} | {field.note} |")
    return "\n".join(lines) + "\n"


_SQL_EDITOR_REGISTRY = (
    "an entry of VVP's SQL editor registry; a Deployment lists its jars in `additionalDependencies`"
)

_SESSION_CLUSTER_DEFAULTS = (
    "VVP applies them only in its web UI when a SessionCluster is created, so an "
    "exported SessionCluster already holds them; not applied again"
)

SKIPPED_KINDS: dict[str, str] = {
    "Job": "a run of a Deployment, which VVP starts and reports; the Deployment says what runs",
    "Event": "VVP's record of what happened to a resource",
    "Namespace": (
        "a VVP namespace; each resource keeps its `metadata.namespace` as provenance and "
        "DeploymentTargets give the Kubernetes namespace"
    ),
    "ApiToken": "VVP API credentials; access is Kubernetes RBAC here",
    "RoleBinding": "VVP access control; access is Kubernetes RBAC here",
    "Member": "VVP access control; access is Kubernetes RBAC here",
    "SessionClusterDefaults": _SESSION_CLUSTER_DEFAULTS,
    "GlobalSessionClusterDefaults": _SESSION_CLUSTER_DEFAULTS,
    "Artifact": "a file in VVP's artifact storage; Deployments name their artifacts by URI",
    "SqlScript": (
        "a script saved in VVP's SQL editor; a Deployment runs SQL through a `SQLSCRIPT` artifact"
    ),
    "Catalog": "VVP's SQL catalog, used by its SQL editor; no Flink job reads it",
    "UdfArtifact": _SQL_EDITOR_REGISTRY,
    "Connector": _SQL_EDITOR_REGISTRY,
    "Format": _SQL_EDITOR_REGISTRY,
    "Status": "VVP's health report",
    "SystemInformation": "VVP's own version and quota (`GET /api/v1/status/system-info`)",
    "License": "VVP's license (`GET /api/v1/license`)",
}
"""VVP kinds we read and skip, each with a ``warning:`` saying why (``<Kind>List`` too).

They describe VVP itself (its runs, log, access control, SQL editor), not
what runs on Kubernetes; an export of a whole namespace holds them beside
the resources we deploy. A kind in neither this table nor the ones we read
is still an error, so a misspelt kind is not skipped.
"""


def skipped_kinds_markdown() -> str:
    """The README's table of the VVP kinds read and skipped, and why."""
    lines = ["| kind | skipped with a warning, because it is |", "| --- | --- |"]
    lines += [f"| `{kind}` | {why} |" for kind, why in SKIPPED_KINDS.items()]
    return "\n".join(lines) + "\n"
