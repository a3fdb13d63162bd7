"""The ``RecordedSavepoint`` dynamic resource: where a stateful Deployment's workload starts from.

When a stateful Deployment's job is stopped for good (see
:mod:`pulumi_flink.provider.flink_job`), the savepoint's path is recorded in
the cluster per workload (namespace and FlinkDeployment name). A new
Deployment of the same name reads that record through this resource, made
before its FlinkDeployment, and the job's first deployment starts from the
savepoint (``job.initialSavepointPath``). Its output ``path`` is empty when
there is no record.

The record is read once, when this resource is created (with the new
Deployment): a running job is never redeployed because a record changed.

**A replace hands the state over.** When the workload moves (a new
namespace or name: pulumi-kubernetes replaces the workload, creating the new
one before deleting the old), this resource *updates* instead of being
replaced, and its update runs before the new workload exists, because the
new workload's ``initialSavepointPath`` waits for its ``path``: it stops the
old workload's job with a savepoint (and records it, exactly as the delete
of a :class:`~pulumi_flink.provider.flink_job.FlinkJob` does, through the
same :func:`~pulumi_flink.provider.flink_job.stop_and_record`), and outputs
that path, so the new job starts from the old one's state. A failing
savepoint fails the update: the old spec is put back and nothing is
replaced. When the old workload is already gone, the new one's record is read
as on create.

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from pulumi_flink.provider._cluster import ClusterProvider
from pulumi_flink.provider._unknowns import identity_diff
from pulumi_flink.provider.flink_job import stop_and_record

INPUTS = ("namespace", "workload")
"""The workload whose record is read; a change moves the state (an update)."""
STOP_INPUTS = ("deployment", "timeout_seconds", "kind")
"""How to stop the old workload's job when it moves (not diffed)."""


class RecordedSavepointProvider(ClusterProvider):
    """Dynamic provider of :class:`RecordedSavepoint`."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Another workload updates (the state moves to it); how to stop it changes nothing."""
        return identity_diff(olds, news, INPUTS, ())

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Read the workload's savepoint record, if any."""
        return CreateResult(f"{props['namespace']}/{props['workload']}", self._recorded(props))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """The workload moves: stop the old one's job with a savepoint, start the new from it."""
        old_workload = {
            **news,
            "namespace": olds["namespace"],
            "workload": olds["workload"],
            # Recorded with the old workload's name (older states lack it).
            "deployment": olds.get("deployment") or news["deployment"],
        }
        path = stop_and_record(self, old_workload)
        if path is None:
            return UpdateResult(self._recorded(news))
        return UpdateResult(
            {
                **_identity(news),
                "path": path,
                "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )

    def _recorded(self, props: dict[str, Any]) -> dict[str, Any]:
        from pulumi_flink.registry._savepoints import recorded_savepoint

        with self.cluster() as cluster:
            record = recorded_savepoint(
                cluster.client, cluster.registry.namespace, props["namespace"], props["workload"]
            )
        return {
            **_identity(props),
            "path": record.path if record else "",
            "recorded_at": record.recorded_at if record else "",
        }

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """What was read at creation stays: refresh does not move a job's starting point."""
        return ReadResult(id_, props)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """The record belongs to the cluster, not to this resource: keep it."""


def _identity(props: dict[str, Any]) -> dict[str, Any]:
    return {prop: props.get(prop) for prop in ("namespace", "workload", *STOP_INPUTS)}


class RecordedSavepoint(Resource, module="flink", name="RecordedSavepoint"):
    """The savepoint recorded when a workload of this name was last stopped for good.

    Made by :class:`~pulumi_flink.Deployment` for stateful Deployments of the
    operator engine without ``restore_from``; not usually created directly.
    When ``namespace`` or ``workload`` changes, the old workload's job is
    stopped with a savepoint and ``path`` becomes that savepoint.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    namespace, workload
        The workload's (FlinkDeployment's or FlinkSessionJob's) namespace and name.
    deployment
        The VVP Deployment name (recorded with a savepoint).
    timeout_seconds
        How long stopping the old workload's job may take.
    kind
        ``FlinkSessionJob`` for a session-mode Deployment; unset: ``FlinkDeployment``.
    opts
        Pulumi resource options.
    """

    path: pulumi.Output[str]
    """The recorded savepoint's path; empty when there is none."""
    recorded_at: pulumi.Output[str]
    """When it was recorded; empty when there is none."""

    def __init__(
        self,
        resource_name: str,
        *,
        namespace: pulumi.Input[str],
        workload: pulumi.Input[str],
        deployment: pulumi.Input[str],
        timeout_seconds: int,
        kind: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        named_kind = {"kind": kind} if kind is not None else {}
        super().__init__(
            RecordedSavepointProvider(),
            resource_name,
            {
                **named_kind,
                "namespace": namespace,
                "workload": workload,
                "deployment": deployment,
                "timeout_seconds": timeout_seconds,
                "path": None,
                "recorded_at": None,
            },
            opts,
        )
