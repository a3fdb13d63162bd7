"""The VVP ``DeploymentTarget`` resource."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from pulumi_flink.model._base import VvpModel
from pulumi_flink.model.metadata import Metadata
from pulumi_flink.model.names import namespace_problem, target_name_problem


class TargetMetadata(Metadata):
    """``metadata`` of a DeploymentTarget: the name follows VVP's target rules."""

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str) -> str:
        problem = target_name_problem(name)
        if problem:
            raise ValueError(problem)
        return name


class TargetKubernetes(VvpModel):
    """Where the target's Deployments run."""

    namespace: str | None = Field(
        default=None,
        description=(
            "Kubernetes namespace for the target's Deployments; unset means the "
            "namespace of the current kube context."
        ),
    )

    @field_validator("namespace")
    @classmethod
    def _valid_namespace(cls, namespace: str | None) -> str | None:
        problem = namespace_problem(namespace) if namespace is not None else None
        if problem:
            raise ValueError(problem)
        return namespace


class DeploymentTargetSpec(VvpModel):
    """``spec`` of a DeploymentTarget: immutable once created."""

    kubernetes: TargetKubernetes = Field(
        default_factory=TargetKubernetes, description="Kubernetes placement."
    )
    deployment_patch_set: list[dict[str, Any]] = Field(
        default_factory=list,
        description=(
            "Ordered RFC 6902 JSON Patch operations applied to every Deployment "
            "that references this target, whenever it is created or modified."
        ),
    )


class DeploymentTarget(VvpModel):
    """A VVP ``DeploymentTarget``: a namespace plus a deployment patch set."""

    api_version: Literal["v1"] = Field(default="v1", description="Always ``v1``.")
    kind: Literal["DeploymentTarget"] = Field(
        default="DeploymentTarget", description="Always ``DeploymentTarget``."
    )
    metadata: TargetMetadata = Field(description="Name, labels and server fields.")
    spec: DeploymentTargetSpec = Field(
        default_factory=DeploymentTargetSpec, description="Namespace and patch set."
    )
    status: dict[str, Any] | None = Field(
        default=None, description="Server-reported status of an export; ignored."
    )
