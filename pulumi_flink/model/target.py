"""The VVP ``DeploymentTarget`` resource."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from pulumi_flink.model._base import VvpModel, checked_by
from pulumi_flink.model.metadata import Metadata
from pulumi_flink.model.names import namespace_problem, target_name_problem


class TargetMetadata(Metadata):
    """``metadata`` of a DeploymentTarget: the name follows VVP's target rules."""

    name: Annotated[str, checked_by(target_name_problem)] = Field(
        description="DeploymentTarget name (VVP's rules); never changes once created."
    )


class TargetKubernetes(VvpModel):
    """Where the target's Deployments run."""

    namespace: Annotated[str, checked_by(namespace_problem)] | None = Field(
        default=None,
        description=(
            "Kubernetes namespace for the target's Deployments; unset means the "
            "namespace of the current kube context."
        ),
    )


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
