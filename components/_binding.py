"""One :class:`~pulumi_flink.provider.TargetBinding` per claimed record and Kubernetes provider.

Every Deployment of a stack on a target shares its binding, made by the
first of them; so do the session jobs of a stack in one session cluster
(whose record is claimed like a target's). A SessionCluster claims its own
target with a binding of its own, so a refused target delete names it. With
an explicit Kubernetes provider the binding also carries the identity of
that provider's cluster (the uid of ``kube-system``), read once, so a
registry on another cluster is refused.
"""

from __future__ import annotations

import weakref

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_flink.provider import DeploymentTarget, TargetBinding
from pulumi_flink.target import PreparedTarget

_BINDINGS: weakref.WeakKeyDictionary[
    pulumi.Resource, dict[pulumi.ProviderResource | None, TargetBinding]
] = weakref.WeakKeyDictionary()


def target_binding(
    target: DeploymentTarget, provider: pulumi.ProviderResource | None
) -> TargetBinding:
    """The stack's binding to ``target`` for workloads made through ``provider``."""
    bindings = _BINDINGS.setdefault(target, {})
    if provider not in bindings:
        bindings[provider] = claim(
            f"{target.pulumi_resource_name}-binding", target, provider, opts=None
        )
    return bindings[provider]


def shared_claim(
    owner: pulumi.Resource,
    record_id: pulumi.Input[str],
    name: pulumi.Input[str],
    namespace: pulumi.Input[str],
    provider: pulumi.ProviderResource | None,
) -> TargetBinding:
    """The stack's one claim on the record ``record_id`` (a session cluster's) via ``provider``."""
    bindings = _BINDINGS.setdefault(owner, {})
    if provider not in bindings:
        binding_name = f"{owner.pulumi_resource_name}-binding"
        if provider is not None:
            binding_name = f"{binding_name}-{provider.pulumi_resource_name}"
        bindings[provider] = TargetBinding(
            binding_name,
            target_id=record_id,
            target_name=name,
            namespace=namespace,
            owner=_stack(),
            cluster_id=None if provider is None else _cluster_id(binding_name, provider),
        )
    return bindings[provider]


def claim(
    name: str,
    target: DeploymentTarget,
    provider: pulumi.ProviderResource | None,
    opts: pulumi.ResourceOptions | None,
) -> TargetBinding:
    """A claim on ``target`` named ``name`` (the name a refused delete shows)."""
    if provider is not None:
        name = f"{name}-{provider.pulumi_resource_name}"
    prepared = target.prepared
    return TargetBinding(
        name,
        target_id=target.target_id,
        target_name=prepared.name if isinstance(prepared, PreparedTarget) else target.name,
        namespace=target.deployment_namespace,
        owner=_stack(),
        cluster_id=None if provider is None else _cluster_id(name, provider),
        opts=opts,
    )


def _stack() -> str:
    return f"{pulumi.get_project()}/{pulumi.get_stack()}"


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
