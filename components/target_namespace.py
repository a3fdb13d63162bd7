"""``TargetNamespace``: a namespace made ready for Flink jobs, and its DeploymentTarget.

VVP needs rights in every namespace it deploys to; its Helm chart grants them
through ``rbac.additionalNamespaces``. This component does the same for the
platform's service account (by default the Flink operator's), in order:
the Namespace (optional), the Role and RoleBinding, then the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from pulumi_flink.components._arguments import require_flag, require_name, require_text
from pulumi_flink.components._kubernetes import kubernetes_resource
from pulumi_flink.model.names import dns1123_subdomain_problem, namespace_problem
from pulumi_flink.provider import DeploymentTarget
from pulumi_flink.render import render_target_namespace, target_namespace_layout

TYPE_TOKEN = "pulumi-flink:index:TargetNamespace"
DEFAULT_PLATFORM_SERVICE_ACCOUNT = "flink-operator"
DEFAULT_PLATFORM_NAMESPACE = "flink-operator"


class TargetNamespace(pulumi.ComponentResource):
    """Prepare a Kubernetes namespace for Flink jobs and register it as a target.

    Parameters
    ----------
    resource_name
        The Pulumi resource name; also the target's name unless ``target_name``.
    namespace
        The Kubernetes namespace the jobs run in.
    create_namespace
        Create the Namespace (``False``: it exists already).
    target_name
        VVP name of the DeploymentTarget; default ``resource_name``.
    deployment_patch_set
        The target's patch set.
    blob_storage
        VVP's blob storage base URI for the target's Deployments (see
        :class:`~pulumi_flink.DeploymentTarget`).
    platform_service_account, platform_namespace
        The service account that manages Flink clusters (the Flink operator's
        by default) and its namespace: it gets rights in ``namespace``.
    opts
        Pulumi resource options.
    """

    target: DeploymentTarget
    """The DeploymentTarget for ``namespace``; pass it to Deployments."""
    namespace: pulumi.Output[str]
    """The prepared namespace."""

    def __init__(
        self,
        resource_name: str,
        *,
        namespace: str,
        create_namespace: bool = True,
        target_name: str | None = None,
        deployment_patch_set: Sequence[dict[str, Any]] | None = None,
        platform_service_account: str = DEFAULT_PLATFORM_SERVICE_ACCOUNT,
        platform_namespace: str = DEFAULT_PLATFORM_NAMESPACE,
        blob_storage: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        require_name("namespace", namespace, namespace_problem)
        require_name("platform_namespace", platform_namespace, namespace_problem)
        require_name(
            "platform_service_account", platform_service_account, dns1123_subdomain_problem
        )
        require_flag("create_namespace", create_namespace)
        require_text("target_name", target_name)
        require_text("blob_storage", blob_storage)
        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        if namespace == platform_namespace:
            pulumi.log.warn(
                f"target namespace {namespace!r} is the platform's own namespace; "
                "run Flink jobs in a namespace of their own",
                resource=self,
            )
        layout = target_namespace_layout(create_namespace)
        manifests = render_target_namespace(
            namespace,
            create_namespace=create_namespace,
            platform_service_account=platform_service_account,
            platform_namespace=platform_namespace,
        )
        # Each object waits for the one before: the namespace, the Role, its binding.
        previous: list[pulumi.Resource] = []
        for index, entry in enumerate(layout):
            previous = [
                kubernetes_resource(
                    entry,
                    f"{resource_name}-{entry.suffix}",
                    manifests,
                    index,
                    pulumi.ResourceOptions(parent=self, depends_on=previous),
                )
            ]
        self.target = DeploymentTarget(
            resource_name,
            name=target_name,
            kubernetes_namespace=namespace,
            deployment_patch_set=deployment_patch_set,
            blob_storage=blob_storage,
            opts=pulumi.ResourceOptions(parent=self, depends_on=previous),
        )
        self.namespace = self.target.namespace
        self.register_outputs({"namespace": self.namespace, "target_name": self.target.name})
