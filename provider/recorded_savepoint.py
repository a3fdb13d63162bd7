"""The ``RecordedSavepoint`` dynamic resource: where a re-created Deployment starts from.

When a stateful Deployment's job is stopped for good (see
:mod:`pulumi_flink.provider.flink_job`), the savepoint's path is recorded in
the cluster per workload (namespace and FlinkDeployment name). A new
Deployment of the same name reads that record through this resource, made
before its FlinkDeployment, and the job's first deployment starts from the
savepoint (``job.initialSavepointPath``). Its output ``path`` is empty when
there is no record.

The record is read once, when this resource is created (with the new
Deployment): a running job is never redeployed because a record changed.

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource

from pulumi_flink.provider._cluster import ClusterProvider
from pulumi_flink.provider._unknowns import identity_diff

INPUTS = ("namespace", "workload")


class RecordedSavepointProvider(ClusterProvider):
    """Dynamic provider of :class:`RecordedSavepoint`."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Another workload is another record: replace."""
        return identity_diff(olds, news, INPUTS, INPUTS)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Read the workload's savepoint record, if any."""
        from pulumi_flink.registry._savepoints import recorded_savepoint

        with self.cluster() as cluster:
            record = recorded_savepoint(
                cluster.client, cluster.registry.namespace, props["namespace"], props["workload"]
            )
        outputs = {
            "namespace": props["namespace"],
            "workload": props["workload"],
            "path": record.path if record else "",
            "recorded_at": record.recorded_at if record else "",
        }
        return CreateResult(f"{props['namespace']}/{props['workload']}", outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """What was read at creation stays: refresh does not move a job's starting point."""
        return ReadResult(id_, props)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """The record belongs to the cluster, not to this resource: keep it."""


class RecordedSavepoint(Resource, module="flink", name="RecordedSavepoint"):
    """The savepoint recorded when a workload of this name was last stopped for good.

    Made by :class:`~pulumi_flink.Deployment` for stateful Deployments of the
    operator engine without ``restore_from``; not usually created directly.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    namespace, workload
        The FlinkDeployment's namespace and name.
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
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            RecordedSavepointProvider(),
            resource_name,
            {"namespace": namespace, "workload": workload, "path": None, "recorded_at": None},
            opts,
        )
