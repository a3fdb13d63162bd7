"""What every renderer needs to know about one Deployment, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pulumi_flink.model import Deployment, DeploymentTemplateSpec
from pulumi_flink.render.actions import NO_ACTIONS, JobActions
from pulumi_flink.render.labels import (
    provenance_annotations,
    workload_annotations,
    workload_labels,
    workload_selector_labels,
)
from pulumi_flink.render.naming import workload_name
from pulumi_flink.secrets import NO_SECRETS, SecretDelivery

MAIN_CONTAINER = "flink-main-container"
"""The container name the Flink operator (and our standalone pods) use for Flink."""


@dataclass(frozen=True)
class RenderContext:
    """One effective Deployment placed in a namespace on behalf of a target."""

    deployment: Deployment
    target_name: str
    namespace: str
    actions: JobActions = NO_ACTIONS
    """Operator actions asked for beyond the spec (restore, nonces); none by default."""
    secrets: SecretDelivery = NO_SECRETS
    """How the secret values the Deployment references reach Flink (:mod:`pulumi_flink.secrets`)."""
    session_cluster: str | None = None
    """Session mode: the job's SessionCluster, or the cluster itself when
    ``deployment`` is its Deployment view."""

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
        return workload_selector_labels(self.name, self.deployment.metadata.name)

    def labels(self, component: str | None = None) -> dict[str, str]:
        """All labels of an object: the user's, then ours (ours win)."""
        return workload_labels(
            self.spec.kubernetes.labels,
            self.selector_labels,
            self.target_name,
            component,
            self.session_cluster,
        )

    def metadata(self, name: str, component: str | None = None) -> dict[str, Any]:
        """``metadata`` of an object named ``name`` in the target namespace."""
        return {
            "name": name,
            "namespace": self.namespace,
            "labels": self.labels(component),
            "annotations": {
                **self.provenance,
                **workload_annotations(
                    self.deployment.metadata.name, self.target_name, self.session_cluster
                ),
            },
        }

    @cached_property
    def provenance(self) -> dict[str, str]:
        """Annotations recording the Deployment's VVP metadata."""
        metadata = self.deployment.metadata
        return provenance_annotations(
            display_name=metadata.display_name,
            vvp_namespace=metadata.namespace,
            vvp_labels=metadata.labels,
            vvp_annotations=metadata.annotations,
        )
