"""The ``TargetBinding`` dynamic resource: a stack's claim on a DeploymentTarget.

A stack whose Deployments run on a target owns one binding for it (one per
Kubernetes provider those Deployments use); the Deployments' objects depend
on it, so Pulumi creates it before the first of them and deletes it after
the last. Creating it registers the stack on the target's record in the
cluster (refused if the target is gone or being deleted); deleting it
removes the registration. While any registration remains, the target cannot
be deleted, from any stack.

One claim per stack rather than one per Deployment keeps the cost of the
guarantee independent of the number of Deployments: one registry write per
target and stack, and no dynamic-provider call per Deployment.

No claim nobody can clear: every binding comes with a :class:`ClaimIntent`,
which Pulumi records in the stack's state *before* the binding writes its
claim (the binding depends on it) and deletes *after* the binding (for the
same reason) but before the target (whose id it takes as an input). Its
create touches nothing; its delete removes the claim, idempotently. So a
claim whose binding's create committed but whose answer was lost (the
provider process killed, the CLI interrupted, the API server gone) still has
its intent in state: once the program stops using the target, the next
``up`` (or ``destroy``) deletes the intent, and with it the claim, before it
deletes the target. Only the claim's own stack removes it, by its exact
key (namespace, binding, ``project/stack``): another stack's claim is never
touched.

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_flink.provider._cluster import ClusterProvider
from pulumi_flink.provider._unknowns import identity_diff

if TYPE_CHECKING:
    from pulumi_flink.registry import Reference

IDENTITY = ("target_id", "binding", "namespace")
"""Inputs that identify the claim: a change moves it (replace)."""
INPUTS = (*IDENTITY, "target_name", "owner", "cluster_id")
INTENT_INPUTS = (*IDENTITY, "owner")
"""A :class:`ClaimIntent`'s inputs, all identifying: the claim it may have to remove."""


class TargetBindingProvider(ClusterProvider):
    """Dynamic provider of :class:`TargetBinding`."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Moving to another target or namespace replaces, create before delete."""
        return identity_diff(olds, news, INPUTS, IDENTITY)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Register the stack on the target, on the same cluster as its workloads."""
        with self.cluster() as cluster:
            if props.get("cluster_id"):
                cluster.registry.check_same_cluster(props["cluster_id"])
            cluster.registry.bind(
                props["target_id"], _reference(props), target_name=props["target_name"]
            )
        return CreateResult(_id(props), {prop: props.get(prop) for prop in INPUTS})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only the owner or cluster id changed: register anew, then drop the old.

        Binding before unbinding means the target is never without this
        stack's claim, so a concurrent delete cannot slip in between.
        """
        with self.cluster() as cluster:
            cluster.registry.bind(
                news["target_id"], _reference(news), target_name=news["target_name"]
            )
            cluster.registry.unbind(olds["target_id"], _reference(olds))
        return UpdateResult({prop: news.get(prop) for prop in INPUTS})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Gone when the target's record no longer holds this claim."""
        with self.cluster() as cluster:
            record = cluster.registry.get_target_by_id(props["target_id"])
        if record is None or _reference(props) not in record.references:
            return ReadResult(None, {})
        outputs = {prop: props.get(prop) for prop in INPUTS}
        return ReadResult(id_, outputs, outputs)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Remove the claim; a missing target is fine."""
        with self.cluster() as cluster:
            cluster.registry.unbind(props["target_id"], _reference(props))


class ClaimIntentProvider(ClusterProvider):
    """Dynamic provider of :class:`ClaimIntent`: nothing on create, unbind on delete."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Any change is another claim: replace, create before delete."""
        return identity_diff(olds, news, INTENT_INPUTS, INTENT_INPUTS)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Only recorded in state: the binding that follows writes the claim."""
        return CreateResult(_id(props), {prop: props.get(prop) for prop in INTENT_INPUTS})

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Remove the claim, whether or not its binding heard back; a missing target is fine."""
        with self.cluster() as cluster:
            cluster.registry.unbind(props["target_id"], _reference(props))


def _reference(props: dict[str, Any]) -> Reference:
    from pulumi_flink.registry import Reference

    return Reference(binding=props["binding"], namespace=props["namespace"], owner=props["owner"])


def _id(props: dict[str, Any]) -> str:
    return f"{props['target_id']}/{props['namespace']}/{props['binding']}"


class TargetBinding(Resource, module="flink", name="TargetBinding"):
    """Registers a stack as a user of one DeploymentTarget, in the cluster.

    Made by the components for the Deployments of a stack; not usually
    created directly. Makes its :class:`ClaimIntent` (``<name>-intent``,
    same parent) and depends on it.

    Parameters
    ----------
    resource_name
        The Pulumi resource name; also the claim's name in the registry.
    target_id, target_name
        The target's ``target_id`` and ``name`` outputs.
    namespace
        The Kubernetes namespace the stack's Deployments run in.
    owner
        Who owns the Deployments (``project/stack``), shown when a delete is refused.
    cluster_id
        Identity of the cluster the workloads go to, when known; creating
        the binding fails if the registry is on another cluster.
    opts
        Pulumi resource options.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        target_id: pulumi.Input[str],
        target_name: pulumi.Input[str],
        namespace: pulumi.Input[str],
        owner: pulumi.Input[str],
        cluster_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        intent = ClaimIntent(
            f"{resource_name}-intent",
            target_id=target_id,
            binding=resource_name,
            namespace=namespace,
            owner=owner,
            opts=pulumi.ResourceOptions(parent=opts.parent if opts is not None else None),
        )
        super().__init__(
            TargetBindingProvider(),
            resource_name,
            {
                "target_id": target_id,
                "target_name": target_name,
                "binding": resource_name,
                "namespace": namespace,
                "owner": owner,
                "cluster_id": cluster_id,
            },
            pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[intent])),
        )


class ClaimIntent(Resource, module="flink", name="ClaimIntent"):
    """The state's record that a :class:`TargetBinding` may have written its claim.

    Recorded before the binding writes, deleted after the binding is: its
    delete removes the claim, so a claim whose binding Pulumi never recorded
    is still removed once the program stops using the target (see the module
    documentation). Made by :class:`TargetBinding`.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    binding
        The binding's resource name: the claim's name in the registry.
    target_id
        Id of the record the binding claims.
    namespace
        The Kubernetes namespace of the binding's Deployments.
    owner
        The stack, ``project/stack``.
    opts
        Pulumi resource options.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        target_id: pulumi.Input[str],
        binding: str,
        namespace: pulumi.Input[str],
        owner: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            ClaimIntentProvider(),
            resource_name,
            {
                "target_id": target_id,
                "binding": binding,
                "namespace": namespace,
                "owner": owner,
            },
            opts,
        )
