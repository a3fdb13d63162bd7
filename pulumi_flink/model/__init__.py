"""The VVP resource model: DeploymentTarget, Deployment, SessionCluster and Savepoint.

Python field names are snake_case; the wire format (``to_wire``, aliases) is
VVP's camelCase, as VVP exports it.
"""

from pulumi_flink.model.defaults import DeploymentDefaults
from pulumi_flink.model.deployment import (
    Artifact,
    Deployment,
    DeploymentKubernetes,
    DeploymentMetadata,
    DeploymentSpec,
    DeploymentTemplate,
    DeploymentTemplateSpec,
    EnvVar,
    Logging,
    Pods,
    ProcessResources,
    Resources,
    RestoreStrategy,
    UpgradeStrategy,
    VolumeMount,
    declared_artifact_kind,
    deployment_document,
    task_slots,
)
from pulumi_flink.model.savepoint import Savepoint, SavepointMetadata, SavepointSpec
from pulumi_flink.model.session_cluster import (
    SessionCluster,
    SessionClusterMetadata,
    SessionClusterSpec,
    session_cluster_document,
)
from pulumi_flink.model.target import (
    DeploymentTarget,
    DeploymentTargetSpec,
    TargetKubernetes,
    TargetMetadata,
)

__all__ = [
    "Artifact",
    "Deployment",
    "DeploymentDefaults",
    "DeploymentKubernetes",
    "DeploymentMetadata",
    "DeploymentSpec",
    "DeploymentTarget",
    "DeploymentTargetSpec",
    "DeploymentTemplate",
    "DeploymentTemplateSpec",
    "EnvVar",
    "Logging",
    "Pods",
    "ProcessResources",
    "Resources",
    "RestoreStrategy",
    "Savepoint",
    "SavepointMetadata",
    "SavepointSpec",
    "SessionCluster",
    "SessionClusterMetadata",
    "SessionClusterSpec",
    "TargetKubernetes",
    "TargetMetadata",
    "UpgradeStrategy",
    "VolumeMount",
    "declared_artifact_kind",
    "deployment_document",
    "session_cluster_document",
    "task_slots",
]
