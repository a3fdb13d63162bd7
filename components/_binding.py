"""One :class:`~pulumi_flink.provider.TargetBinding` per target and Kubernetes provider.

Every Deployment of a stack on a target shares its binding, made by the
first of them. With an explicit Kubernetes provider the binding also carries
the identity of that provider's cluster (the uid of ``kube-system``), read
once, so a registry on another cluster is refused.
"""

from __future__ import annotations

import weakref

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_flink.provider import DeploymentTarget, TargetBinding
from pulumi_flink.target import PreparedTarget

_BINDINGS: weakref.WeakKeyDictionary[
    DeploymentTarget, dict[pulumi.ProviderResource | None, TargetBinding]
] = weakref.WeakKeyDictionary()


def target_binding(
    target: DeploymentTarget, provider: pulumi.ProviderResource | None
) -> TargetBinding:
    """The stack's binding to ``target`` for workloads made through ``provider``."""
    bindings = _BINDINGS.setdefault(target, {})
    if provider not in bindings:
        bindings[provider] = _new_binding(target, provider)
    return bindings[provider]


def _new_binding(
    target: DeploymentTarget, provider: pulumi.ProviderResource | None
) -> TargetBinding:
    name = f"{target.pulumi_resource_name}-binding"
    if provider is not None:
        name = f"{name}-{provider.pulumi_resource_name}"
    prepared = target.prepared
    return TargetBinding(
        name,
        target_id=target.target_id,
        target_name=prepared.name if isinstance(prepared, PreparedTarget) else target.name,
        namespace=target.deployment_namespace,
        owner=f"{pulumi.get_project()}/{pulumi.get_stack()}",
        cluster_id=None if provider is None else _cluster_id(name, provider),
    )


def _cluster_id(binding_name: str, provider: pulumi.ProviderResource) -> pulumi.Output[str]:
    """The uid of ``kube-system`` on ``provider``'s cluster.

    Without an explicit provider, the workloads and the target registry both
    use the ambient configuration (or the same stack keys), so they share a
    cluster by construction and nothing needs reading.
    """
    kube_system = kubernetes.core.v1.Namespace.get(
        f"{binding_name}-cluster-identity",
        "kube-system",
        opts=pulumi.ResourceOptions(provider=provider),
    )
    return kube_system.metadata.apply(lambda metadata: metadata.uid or "")
