"""The ``SnapshotCompletion`` dynamic resource: a FlinkStateSnapshot, once COMPLETED.

Made by :class:`~pulumi_flink.Savepoint` after its ``FlinkStateSnapshot``:
creating it waits until the operator reports the snapshot ``COMPLETED`` and
outputs its ``path``, or fails at once with the operator's message when the
snapshot is ``FAILED`` or ``ABANDONED``. A new snapshot (another ``uid``)
replaces it. Deleting it does nothing: the snapshot (and, with
``disposeOnDelete: false``, its files) are pulumi-kubernetes' and Flink's.

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, UpdateResult

from pulumi_flink.operator_status import state_snapshot_status
from pulumi_flink.provider._cluster import ClusterProvider
from pulumi_flink.provider._operator import await_operator
from pulumi_flink.provider._unknowns import identity_diff

IDENTITY = ("namespace", "snapshot", "uid")
"""Inputs that identify the snapshot: a change replaces."""
INPUTS = (*IDENTITY, "timeout_seconds")


class SnapshotCompletionProvider(ClusterProvider):
    """Dynamic provider of :class:`SnapshotCompletion`."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Another snapshot replaces; a new timeout changes nothing that matters."""
        return identity_diff(olds, news, INPUTS, IDENTITY)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Wait for COMPLETED and output the path (fails fast on FAILED)."""
        status = await_operator(
            self,
            "FlinkStateSnapshot",
            props["namespace"],
            props["snapshot"],
            state_snapshot_status,
            timeout_seconds=float(props["timeout_seconds"]),
        )
        outputs = {prop: props.get(prop) for prop in INPUTS}
        outputs["path"] = status.savepoint_path or ""
        return CreateResult(f"{props['namespace']}/{props['snapshot']}", outputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only the timeout changed: the completed snapshot stays as it was."""
        return UpdateResult({**olds, "timeout_seconds": news["timeout_seconds"]})


class SnapshotCompletion(Resource, module="flink", name="SnapshotCompletion"):
    """A FlinkStateSnapshot once the operator completed it; its ``path``.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    namespace, snapshot, uid
        The FlinkStateSnapshot's namespace, name and ``metadata.uid``.
    timeout_seconds
        How long to wait at most.
    opts
        Pulumi resource options.
    """

    path: pulumi.Output[str]
    """Where the savepoint is, as the operator reports it."""

    def __init__(
        self,
        resource_name: str,
        *,
        namespace: pulumi.Input[str],
        snapshot: pulumi.Input[str],
        uid: pulumi.Input[str],
        timeout_seconds: int,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            SnapshotCompletionProvider(),
            resource_name,
            {
                "namespace": namespace,
                "snapshot": snapshot,
                "uid": uid,
                "timeout_seconds": timeout_seconds,
                "path": None,
            },
            opts,
        )
