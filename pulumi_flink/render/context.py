"""What every renderer needs to know about one Deployment, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pulumi_flink.model import Deployment, DeploymentTemplateSpec
from pulumi_flink.render.naming import label_value, workload_name

LABEL_DEPLOYMENT = "pulumi-flink.dev/deployment"
"""Label naming the VVP Deployment an object belongs to (hashed when too long)."""
LABEL_TARGET = "pulumi-flink.dev/deployment-target"
"""Label naming the DeploymentTarget (hashed when too long)."""
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
MANAGED_BY = "pulumi-flink"
ANNOTATION_DEPLOYMENT_NAME = "pulumi-flink.dev/deployment-name"
ANNOTATION_TARGET_NAME = "pulumi-flink.dev/deployment-target-name"
LABEL_SESSION_CLUSTER = "pulumi-flink.dev/session-cluster"
"""Label naming the SessionCluster a session cluster's or session job's object belongs to."""
ANNOTATION_SESSION_CLUSTER_NAME = "pulumi-flink.dev/session-cluster-name"
LABEL_COMPONENT = "app.kubernetes.io/component"

MAIN_CONTAINER = "flink-main-container"
"""The container name the Flink operator (and our standalone pods) use for Flink."""


@dataclass(frozen=True)
class RenderContext:
    """One effective Deployment placed in a namespace on behalf of a target.

    ``session_cluster`` names the SessionCluster in session mode: the job's
    cluster, or the cluster itself when ``deployment`` is its Deployment view.
    """

    deployment: Deployment
    target_name: str
    namespace: str
    session_cluster: str | None = None

    @cached_property
    def name(self) -> str:
        """Kubernetes name of the workload (and of its RBAC objects)."""
        return workload_name(self.deployment.metadata.name)

    @property
    def spec(self) -> DeploymentTemplateSpec:
        """``spec.template.spec`` of the effective Deployment."""
        return self.deployment.spec.template.spec

    @cached_property
    def selector_labels(self) -> dict[str, str]:
        """Labels that identify this Deployment's objects; stable for selectors."""
        return {
            "app.kubernetes.io/name": "flink",
            "app.kubernetes.io/instance": self.name,
            LABEL_DEPLOYMENT: label_value(self.deployment.metadata.name),
        }

    def labels(self, component: str | None = None) -> dict[str, str]:
        """All labels of an object: the user's, then ours (ours win)."""
        labels = {
            **self.spec.kubernetes.labels,
            **self.selector_labels,
            LABEL_TARGET: label_value(self.target_name),
            LABEL_MANAGED_BY: MANAGED_BY,
        }
        if self.session_cluster is not None:
            labels[LABEL_SESSION_CLUSTER] = label_value(self.session_cluster)
        if component:
            labels[LABEL_COMPONENT] = component
        return labels

    def metadata(self, name: str, component: str | None = None) -> dict[str, Any]:
        """``metadata`` of an object named ``name`` in the target namespace."""
        annotations = {
            ANNOTATION_DEPLOYMENT_NAME: self.deployment.metadata.name,
            ANNOTATION_TARGET_NAME: self.target_name,
        }
        if self.session_cluster is not None:
            annotations[ANNOTATION_SESSION_CLUSTER_NAME] = self.session_cluster
        return {
            "name": name,
            "namespace": self.namespace,
            "labels": self.labels(component),
            "annotations": annotations,
        }
