"""The ``Savepoint`` component: a savepoint of a Deployment's job, as a resource.

A Flink operator ``FlinkStateSnapshot`` (FKO 1.10+; rendered by
:func:`~pulumi_flink.render.snapshot.render_savepoint_snapshot`) and a
:class:`~pulumi_flink.provider.SnapshotCompletion` that waits until the
operator reports it ``COMPLETED`` (or fails with the operator's message) and
gives its ``path``. Pass it to another Deployment's ``restore_from`` to start
that job from it.

``dispose_on_delete`` is ``False`` unless asked (the operator's default is
``True``): deleting the resource then leaves the savepoint's files in place.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_flink._program import lift
from pulumi_flink.components._arguments import require_flag, require_whole_number
from pulumi_flink.components._kubernetes import metadata_field
from pulumi_flink.components.deployment import Deployment
from pulumi_flink.provider import SnapshotCompletion
from pulumi_flink.render import FLINK_API_VERSION, SNAPSHOT_KIND, render_savepoint_snapshot

TYPE_TOKEN = "pulumi-flink:index:Savepoint"

DEFAULT_TIMEOUT_SECONDS = 600


class Savepoint(pulumi.ComponentResource):
    """A savepoint of a running Deployment (operator engine), taken once.

    Parameters
    ----------
    resource_name
        The Pulumi resource name; also the FlinkStateSnapshot's name.
    deployment
        The :class:`~pulumi_flink.Deployment` to take the savepoint of; it
        must run (operator engine).
    dispose_on_delete
        Delete the savepoint's files when this resource is deleted.
    timeout_seconds
        How long ``up`` waits for the savepoint to complete.
    opts
        Pulumi resource options.

    Examples
    --------
    >>> before_v2 = Savepoint("orders-before-v2", deployment=orders)  # doctest: +SKIP
    >>> Deployment("orders-v2", target=prod, spec=v2, restore_from=before_v2)  # doctest: +SKIP
    """

    path: pulumi.Output[str]
    """Where the savepoint is, as the operator reports it."""

    def __init__(
        self,
        resource_name: str,
        *,
        deployment: Deployment,
        dispose_on_delete: bool = False,
        timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        require_flag("dispose_on_delete", dispose_on_delete)
        require_whole_number("timeout_seconds", timeout_seconds, minimum=1)
        manifest = lift(
            partial(_of_job, resource_name, dispose_on_delete),
            deployment.namespace,
            deployment.workload_name,
        )
        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        # After the whole Deployment, so its job runs when the savepoint is asked for.
        self._declare(resource_name, manifest, timeout_seconds, depends_on=[deployment])

    @classmethod
    def from_path(
        cls,
        resource_name: str,
        path: str,
        *,
        namespace: pulumi.Input[str],
        dispose_on_delete: bool = False,
        timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
        opts: pulumi.ResourceOptions | None = None,
    ) -> Savepoint:
        """Adopt an existing savepoint at ``path`` (``alreadyExists``), e.g. to restore from it.

        Parameters
        ----------
        resource_name
            The Pulumi resource name; also the FlinkStateSnapshot's name.
        path
            The savepoint's path, as Flink reported it.
        namespace
            Kubernetes namespace for the FlinkStateSnapshot (that of the jobs using it).
        dispose_on_delete, timeout_seconds, opts
            As for :class:`Savepoint`.
        """
        adopted = cls.__new__(cls)
        manifest = lift(partial(_adopted, resource_name, path, dispose_on_delete), namespace)
        pulumi.ComponentResource.__init__(adopted, TYPE_TOKEN, resource_name, None, opts)
        adopted._declare(resource_name, manifest, timeout_seconds, depends_on=[])
        return adopted

    def _declare(
        self,
        resource_name: str,
        manifest: Any,
        timeout_seconds: int,
        *,
        depends_on: list[pulumi.Resource],
    ) -> None:
        snapshot = kubernetes.apiextensions.CustomResource(
            f"{resource_name}-snapshot",
            api_version=FLINK_API_VERSION,
            kind=SNAPSHOT_KIND,
            metadata=lift(lambda rendered: rendered["metadata"], manifest),
            spec=lift(lambda rendered: rendered["spec"], manifest),
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends_on),
        )
        completion = SnapshotCompletion(
            f"{resource_name}-completion",
            namespace=lift(lambda rendered: rendered["metadata"]["namespace"], manifest),
            snapshot=lift(lambda rendered: rendered["metadata"]["name"], manifest),
            uid=snapshot.metadata.apply(partial(metadata_field, "uid")),  # type: ignore[attr-defined]
            timeout_seconds=timeout_seconds,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.path = completion.path
        self.register_outputs({"path": self.path})


def _of_job(name: str, dispose_on_delete: bool, namespace: str, workload: str) -> dict[str, Any]:
    return render_savepoint_snapshot(
        name, namespace, job_name=workload, dispose_on_delete=dispose_on_delete
    )


def _adopted(name: str, path: str, dispose_on_delete: bool, namespace: str) -> dict[str, Any]:
    return render_savepoint_snapshot(
        name, namespace, path=path, dispose_on_delete=dispose_on_delete
    )
