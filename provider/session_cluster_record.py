"""The ``SessionClusterRecord`` dynamic resource: a SessionCluster in the registry.

A session cluster is recorded like a DeploymentTarget (see
:mod:`pulumi_flink.registry`): the jobs of every stack that run in it claim
its record through their stack's :class:`~pulumi_flink.provider.TargetBinding`,
and deleting the record (so the cluster) is refused while any claim remains,
with the same race-free compare-and-delete. The record also keeps the
cluster's effective document, so a stack that looks the cluster up by name
(``SessionCluster.get``) validates its jobs against it at preview.

The name and namespace are its identity (a change replaces it, create before
delete); a change of the document is written in place.

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_flink.provider._cluster import ClusterProvider, resource_creator
from pulumi_flink.provider._unknowns import identity_diff
from pulumi_flink.registry.errors import TargetLookupError
from pulumi_flink.render.labels import RECORD_KIND_SESSION_CLUSTER

if TYPE_CHECKING:
    from pulumi_flink.registry import TargetRecord

IDENTITY = ("name", "namespace")
"""Inputs that identify the record: a change replaces it."""
INPUTS = (*IDENTITY, "document")


class SessionClusterRecordProvider(ClusterProvider):
    """Dynamic provider of :class:`SessionClusterRecord`."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """A new name or namespace replaces the record; a new document updates it."""
        return identity_diff(olds, news, INPUTS, IDENTITY)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Record the session cluster, with no claims yet."""
        with self.cluster() as cluster:
            record = cluster.registry.create_session_cluster(
                props["name"],
                namespace=props["namespace"],
                document=props["document"],
                creator=props.get("creator"),
            )
        return CreateResult(record.target_id, _outputs(record))

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Keep the record, with the cluster's new document."""
        with self.cluster() as cluster:
            record = cluster.registry.update_session_cluster(id_, news["document"])
        return UpdateResult(_outputs(record))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Read the record back: by its id on refresh, by the cluster's name for ``get``."""
        with self.cluster() as cluster:
            if props.get("record_id"):
                record = cluster.registry.get_target_by_id(props["record_id"])
            else:
                record = cluster.registry.get_target(id_, kind=RECORD_KIND_SESSION_CLUSTER)
                if record is None:
                    # `SessionCluster.get` of a name the registry does not hold: fail
                    # the read, at preview, before any job is planned on it.
                    raise TargetLookupError(
                        id_, cluster.registry.namespace, self.context_name, kind="SessionCluster"
                    )
        if record is None:
            return ReadResult(None, {})
        outputs = _outputs(record)
        return ReadResult(record.target_id, outputs, {prop: outputs[prop] for prop in INPUTS})

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        """Delete the record; refused while the jobs of any stack run in the cluster."""
        with self.cluster() as cluster:
            cluster.registry.delete_target(id_)


def _outputs(record: TargetRecord) -> dict[str, Any]:
    return {
        "name": record.name,
        "namespace": record.namespace,
        "document": dict(record.document or {}),
        "record_id": record.target_id,
    }


class SessionClusterRecord(Resource, module="flink", name="SessionClusterRecord"):
    """Records a SessionCluster in the cluster's registry; made by ``SessionCluster``.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    name
        The SessionCluster's VVP name.
    namespace
        The Kubernetes namespace it runs in.
    document
        Its effective SessionCluster document (VVP wire format).
    opts
        Pulumi resource options.
    """

    name: pulumi.Output[str]
    """VVP name of the session cluster."""
    namespace: pulumi.Output[str]
    """Kubernetes namespace of the session cluster."""
    document: pulumi.Output[dict[str, Any]]
    """The effective SessionCluster document."""
    record_id: pulumi.Output[str]
    """Id of the record: the claims of the jobs running in the cluster name it."""

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str] | None = None,
        namespace: pulumi.Input[str] | None = None,
        document: pulumi.Input[dict[str, Any]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            SessionClusterRecordProvider(),
            resource_name,
            {
                "name": name,
                "namespace": namespace,
                "document": document,
                # Not compared by `diff`: only how a repeated create finds its lost twin.
                "creator": None
                if opts is not None and opts.id
                else resource_creator(resource_name),
                "record_id": None,
            },
            opts,
        )
