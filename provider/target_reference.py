"""The ``TargetReference`` dynamic resource: a Deployment's claim on its target.

Every :class:`~pulumi_flink.Deployment` owns one. Creating it registers the
Deployment on the target's record in the cluster (refused if the target is
gone or being deleted); deleting it removes the registration. While any
registration remains, the target cannot be deleted, from any stack.

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_flink.provider._cluster import ClusterProvider
from pulumi_flink.provider._unknowns import contains_unknown
from pulumi_flink.registry import Reference

IDENTITY = ("target_id", "deployment", "namespace")
"""Inputs that identify the reference: a change moves it (replace)."""
INPUTS = (*IDENTITY, "target_name", "owner", "cluster_id")


class TargetReferenceProvider(ClusterProvider):
    """Dynamic provider of :class:`TargetReference`."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Moving to another target or name replaces, create before delete."""
        changed = [
            prop
            for prop in INPUTS
            if contains_unknown(news.get(prop)) or olds.get(prop) != news.get(prop)
        ]
        return DiffResult(
            changes=bool(changed),
            replaces=[prop for prop in changed if prop in IDENTITY],
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Register the Deployment on its target, on the same cluster as its workload."""
        registry = self.registry()
        if props.get("cluster_id"):
            registry.check_same_cluster(props["cluster_id"])
        registry.bind(props["target_id"], _reference(props), target_name=props["target_name"])
        return CreateResult(_id(props), {prop: props.get(prop) for prop in INPUTS})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only the owner or cluster id changed: register anew, then drop the old.

        Binding before unbinding means the target is never without this
        Deployment's claim, so a concurrent delete cannot slip in between.
        """
        registry = self.registry()
        registry.bind(news["target_id"], _reference(news), target_name=news["target_name"])
        registry.unbind(olds["target_id"], _reference(olds))
        return UpdateResult({prop: news.get(prop) for prop in INPUTS})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Gone when the target's record no longer lists this Deployment."""
        record = self.registry().get_target_by_id(props["target_id"])
        if record is None or _reference(props) not in record.references:
            return ReadResult(None, {})
        outputs = {prop: props.get(prop) for prop in INPUTS}
        return ReadResult(id_, outputs, outputs)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Remove the registration; a missing target is fine."""
        self.registry().unbind(props["target_id"], _reference(props))


def _reference(props: dict[str, Any]) -> Reference:
    return Reference(
        deployment=props["deployment"], namespace=props["namespace"], owner=props["owner"]
    )


def _id(props: dict[str, Any]) -> str:
    return f"{props['target_id']}/{props['namespace']}/{props['deployment']}"


class TargetReference(Resource, module="flink", name="TargetReference"):
    """Registers one Deployment as a user of one DeploymentTarget, in the cluster.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    target_id, target_name
        The target's ``target_id`` and ``name`` outputs.
    deployment, namespace
        The Deployment's VVP name and Kubernetes namespace.
    owner
        Who owns the Deployment (``project/stack``), shown when a delete is refused.
    cluster_id
        Identity of the cluster the workload goes to, when known; creating
        the reference fails if the registry is on another cluster.
    opts
        Pulumi resource options.
    """

    target_id: pulumi.Output[str]
    """Id of the referenced target."""

    def __init__(
        self,
        resource_name: str,
        *,
        target_id: pulumi.Input[str],
        target_name: pulumi.Input[str],
        deployment: pulumi.Input[str],
        namespace: pulumi.Input[str],
        owner: pulumi.Input[str],
        cluster_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            TargetReferenceProvider(),
            resource_name,
            {
                "target_id": target_id,
                "target_name": target_name,
                "deployment": deployment,
                "namespace": namespace,
                "owner": owner,
                "cluster_id": cluster_id,
            },
            opts,
        )
