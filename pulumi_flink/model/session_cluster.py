"""The VVP ``SessionCluster`` resource: a long-lived Flink cluster that runs many jobs.

A SessionCluster configures the Flink cluster only (VVP: "fewer configurable
options than Deployments since this resource only configures the Flink
cluster itself"); the jobs are Deployments naming it in
``spec.sessionClusterName``. Its fields are the cluster-level fields of a
Deployment's ``spec.template.spec``, at the top of ``spec``, with the same
models and defaults.

The *Deployment view* of a SessionCluster places those fields where a
Deployment has them (``spec.template.spec.flinkConfiguration``,
``spec.template.spec.artifact.flinkVersion``, ...). A target's
``deploymentPatchSet`` is written against Deployment paths, so it is applied
to that view (see :mod:`pulumi_flink.session`), and the renderers render the
cluster from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model._base import Count, UpperCase, VvpModel, checked_by, resource_document
from pulumi_flink.model.deployment import (
    DEFAULT_FLINK_VERSION,
    Deployment,
    DeploymentKubernetes,
    FlinkVersion,
    ImageRegistry,
    ImageRepository,
    ImageTag,
    Logging,
    Resources,
)
from pulumi_flink.model.flink_configuration import FlinkConfiguration
from pulumi_flink.model.metadata import Metadata
from pulumi_flink.model.names import session_cluster_name_problem

DEFAULT_SESSION_TASK_MANAGERS = 1
"""TaskManagers of a SessionCluster that names no ``numberOfTaskManagers``."""

ARTIFACT_FIELDS = ("flinkVersion", "flinkImageRegistry", "flinkImageRepository", "flinkImageTag")
"""SessionCluster ``spec`` fields that a Deployment has under ``template.spec.artifact``."""

TEMPLATE_FIELDS = (
    "numberOfTaskManagers",
    "resources",
    "flinkConfiguration",
    "logging",
    "kubernetes",
)
"""SessionCluster ``spec`` fields that a Deployment has under ``template.spec``."""

REFERENCE_FIELDS = ("state", "deploymentTargetName", "deploymentTargetId")
"""SessionCluster ``spec`` fields at the same place in a Deployment."""


class SessionClusterMetadata(Metadata):
    """``metadata`` of a SessionCluster: the name follows VVP's Deployment rules."""

    name: Annotated[str, checked_by(session_cluster_name_problem)] = Field(
        description="SessionCluster name (VVP's Deployment rules); never changes once created."
    )


class SessionClusterSpec(VvpModel):
    """``spec`` of a SessionCluster: the Flink cluster, without any job."""

    state: Annotated[Literal["RUNNING", "STOPPED"], UpperCase] = Field(
        default="RUNNING",
        description=(
            "RUNNING: provision the cluster and keep it running; STOPPED: tear it "
            "down (the operator has no stopped session cluster: nothing is rendered)."
        ),
    )
    deployment_target_name: str | None = Field(
        default=None, description="Name of the DeploymentTarget the cluster runs on."
    )
    deployment_target_id: str | None = Field(
        default=None, description="Id of the DeploymentTarget the cluster runs on."
    )
    flink_version: FlinkVersion = DEFAULT_FLINK_VERSION
    flink_image_registry: ImageRegistry = None
    flink_image_repository: ImageRepository = None
    flink_image_tag: ImageTag = None
    number_of_task_managers: Count = Field(
        default=DEFAULT_SESSION_TASK_MANAGERS,
        description="TaskManagers; their slots are shared by every job in the cluster.",
    )
    resources: Resources = Field(default_factory=Resources, description="CPU and memory.")
    flink_configuration: FlinkConfiguration = Field(
        default_factory=dict, description="Flink configuration of the cluster."
    )
    logging: Logging = Field(default_factory=Logging, description="Log levels.")
    kubernetes: DeploymentKubernetes = Field(
        default_factory=DeploymentKubernetes,
        description="Labels, pod settings or full pod templates of the cluster.",
    )


class SessionCluster(VvpModel):
    """A VVP ``SessionCluster``: a Flink cluster that Deployments in session mode share."""

    api_version: Literal["v1"] = Field(default="v1", description="Always ``v1``.")
    kind: Literal["SessionCluster"] = Field(
        default="SessionCluster", description="Always ``SessionCluster``."
    )
    metadata: SessionClusterMetadata = Field(description="Name, labels and server fields.")
    spec: SessionClusterSpec = Field(
        default_factory=SessionClusterSpec, description="The Flink cluster."
    )
    status: dict[str, Any] | None = Field(
        default=None, description="Server-reported status of an export; ignored."
    )

    def deployment_view(self) -> Deployment:
        """The cluster as a Deployment that runs no job of its own.

        The view is stateless (``upgradeStrategy: STATELESS``): a session
        cluster has no job whose state it restores, so nothing job-level
        (Kubernetes HA for ``last-state``) is switched on for it.
        """
        document = deployment_view_document(self.to_wire())
        spec = document["spec"]
        spec["state"] = "RUNNING"
        spec["upgradeStrategy"] = {"kind": "STATELESS"}
        return Deployment.model_validate({"metadata": document["metadata"], "spec": spec})


def session_cluster_document(
    value: Mapping[str, Any] | SessionCluster, *, name: str
) -> dict[str, Any]:
    """Accept a SessionCluster document or just its ``spec``; return a document.

    >>> session_cluster_document({"numberOfTaskManagers": 2}, name="s")["kind"]
    'SessionCluster'
    """
    if isinstance(value, SessionCluster):
        return value.to_wire()
    return resource_document(value, name=name, kind="SessionCluster")


def deployment_view_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """Move a SessionCluster document's fields to where a Deployment has them.

    >>> view = deployment_view_document({"metadata": {"name": "s"},
    ...     "spec": {"flinkVersion": "1.19", "numberOfTaskManagers": 2}})
    >>> view["spec"]["template"]["spec"]
    {'artifact': {'flinkVersion': '1.19'}, 'numberOfTaskManagers': 2}
    """
    spec = dict(document.get("spec") or {})
    artifact = {key: spec.pop(key) for key in ARTIFACT_FIELDS if key in spec}
    template_spec = {"artifact": artifact} if artifact else {}
    template_spec.update({key: spec.pop(key) for key in TEMPLATE_FIELDS if key in spec})
    return {**document, "spec": {**spec, "template": {"spec": template_spec}}}


def session_cluster_from_view(view: Mapping[str, Any]) -> dict[str, Any]:
    """Reverse :func:`deployment_view_document`, refusing what a SessionCluster lacks.

    Raises
    ------
    SpecValidationError
        Naming every field (at its Deployment path) that a SessionCluster has
        no place for, such as ``spec.template.spec.parallelism``.
    """
    problems: list[FieldProblem] = []
    spec = dict(view.get("spec") or {})
    template = spec.pop("template", None)
    cluster_spec = {}
    for key, value in spec.items():
        if key in REFERENCE_FIELDS:
            cluster_spec[key] = value
        else:
            problems.append(_no_place(f"spec.{key}"))
    if isinstance(template, Mapping):
        template_spec = template.get("spec") or {}
        problems += [_no_place(f"spec.template.{key}") for key in template if key != "spec"]
        if isinstance(template_spec, Mapping):
            for key, value in template_spec.items():
                if key == "artifact" and isinstance(value, Mapping):
                    for artifact_key, artifact_value in value.items():
                        if artifact_key in ARTIFACT_FIELDS:
                            cluster_spec[artifact_key] = artifact_value
                        else:
                            problems.append(
                                _no_place(f"spec.template.spec.artifact.{artifact_key}")
                            )
                elif key in TEMPLATE_FIELDS:
                    cluster_spec[key] = value
                else:
                    problems.append(_no_place(f"spec.template.spec.{key}"))
    if problems:
        raise SpecValidationError(problems)
    return {**view, "spec": cluster_spec}


def _no_place(field: str) -> FieldProblem:
    return FieldProblem(
        field,
        "a SessionCluster has no such field: it takes only the cluster-level fields "
        f"({', '.join((*REFERENCE_FIELDS, *ARTIFACT_FIELDS, *TEMPLATE_FIELDS))})",
    )


def cluster_field(view_field: str) -> str:
    """The SessionCluster field a field of its Deployment view stands for.

    >>> cluster_field("spec.template.spec.kubernetes.pods")
    'spec.kubernetes.pods'
    >>> cluster_field("spec.template.spec.artifact.flinkVersion")
    'spec.flinkVersion'
    """
    for prefix in ("spec.template.spec.artifact.", "spec.template.spec."):
        if view_field.startswith(prefix):
            return "spec." + view_field.removeprefix(prefix)
    return view_field
