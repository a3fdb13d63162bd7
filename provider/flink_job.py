"""The ``FlinkJob`` dynamic resource: a FlinkDeployment's job, as the operator runs it.

One per Deployment of the operator engine, made by the ``Deployment``
component after its FlinkDeployment and depending on it. It does two things
pulumi-kubernetes cannot:

**Fail fast.** Creating or updating it waits until the operator has observed
the FlinkDeployment's current spec and runs (or suspended) the job, and fails
*as soon as* the operator reports an error (``status.error``, lifecycle
FAILED, job FAILED, a failed ``Running`` condition), with the operator's
message: see :mod:`pulumi_flink.operator_status`. Its inputs include the
FlinkDeployment's ``metadata.generation`` and ``uid``, so every spec change
(and every replacement) waits again.

**No silent state loss.** Because it depends on the FlinkDeployment, Pulumi
deletes it *before* the FlinkDeployment, on ``destroy``, on removal from the
program and before a replacement. For a stateful Deployment
(``keep_state``: upgrade strategy STATEFUL or NONE, not CANCELLED, and
``savepoint_on_delete`` left on) its delete first stops the job with a
savepoint, the operator's own way (``job.state: suspended`` with upgrade mode
``savepoint``), waits for the operator to record the savepoint
(``status.jobStatus.upgradeSavepointPath``), and writes the path to the
registry's savepoint record of the workload
(:mod:`pulumi_flink.registry._savepoints`), where the next Deployment of the
same name finds it. If the savepoint fails, the spec is put back and the
delete fails with the operator's message, so Pulumi deletes nothing.

**The standalone engine** has no operator: its ``FlinkJob`` (``kind``
:data:`STANDALONE_JOB`, never waiting: pulumi-kubernetes awaits the standalone
Deployments) depends on the JobManager and TaskManager Deployments and the
Service, and its delete stops the job through Flink's REST API
(:mod:`pulumi_flink.provider._standalone`), then records and reports the
savepoint by the same code.

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, UpdateResult

from pulumi_flink.errors import OperatorError
from pulumi_flink.operator_status import (
    OperatorStatus,
    flink_deployment_status,
    stop_savepoint_path,
)
from pulumi_flink.provider._cluster import ClusterProvider
from pulumi_flink.provider._operator import (
    await_operator,
    merge_patch_operator_object,
    read_operator_object,
)
from pulumi_flink.provider._standalone import stop_standalone_job
from pulumi_flink.provider._unknowns import identity_diff

KIND = "FlinkDeployment"
"""The object whose job is awaited, unless the ``kind`` input says otherwise."""
STANDALONE_JOB = "standalone"
"""The ``kind`` of a standalone Deployment's job: stopped through Flink's REST API
(:func:`~pulumi_flink.provider._standalone.stop_standalone_job`), never awaited here."""
IDENTITY = ("namespace", "workload", "uid")
"""Inputs that identify the job: a change replaces (the old one is deleted: stopped)."""
INPUTS = (
    *IDENTITY,
    "deployment",
    "generation",
    "job_state",
    "wait",
    "timeout_seconds",
    "keep_state",
    "kind",
)

SAVEPOINT_ON_DELETE_FIX = (
    "nothing was deleted; fix the cause and retry, or set savepoint_on_delete=False "
    "on the Deployment to delete it without a savepoint (its state is then lost)"
)


class FlinkJobProvider(ClusterProvider):
    """Dynamic provider of :class:`FlinkJob`."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Another workload replaces; anything else (a new generation) updates."""
        return identity_diff(olds, news, INPUTS, IDENTITY)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Wait until the operator runs the job as specified (fails fast)."""
        self._await_ready(props)
        return CreateResult(f"{props['namespace']}/{props['workload']}", _outputs(props))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """The spec (or how to wait) changed: wait again."""
        self._await_ready(news)
        return UpdateResult(_outputs(news))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Before its FlinkDeployment goes: stop a stateful job with a savepoint and record it."""
        if props.get("keep_state"):
            stop_and_record(self, props)

    def _await_ready(self, props: dict[str, Any]) -> None:
        if not props.get("wait"):
            return
        job_state = props["job_state"]
        await_operator(
            self,
            _kind(props),
            props["namespace"],
            props["workload"],
            lambda obj: flink_deployment_status(obj, job_state=job_state),
            timeout_seconds=float(props["timeout_seconds"]),
        )


def stop_and_record(provider: ClusterProvider, props: dict[str, Any]) -> str | None:
    """Stop the job of ``props``' workload with a savepoint and record it; the path.

    ``props`` names the workload (``namespace``, ``workload``, ``kind``), the
    VVP ``deployment`` recorded with it and ``timeout_seconds``. A job
    already suspended with a savepoint is recorded as it is; a workload that
    is gone gives ``None``. The path goes to the registry's savepoint record
    of the workload and to the ``up``/``destroy`` output. Shared by the
    delete of a :class:`FlinkJob` and the move of a
    :class:`~pulumi_flink.provider.recorded_savepoint.RecordedSavepoint`.

    Raises
    ------
    OperatorError
        The job failed, or the savepoint did; the spec is put back first
        (a standalone job keeps running).
    """
    if _kind(props) == STANDALONE_JOB:
        path = stop_standalone_job(provider, props, fix=SAVEPOINT_ON_DELETE_FIX)
    else:
        path = _stop_with_savepoint(provider, props)
    if path is None:
        return None
    from pulumi_flink.registry._savepoints import (
        SavepointRecord,
        record_savepoint,
        savepoint_record_name,
    )

    record = SavepointRecord(
        namespace=props["namespace"],
        workload=props["workload"],
        deployment=props["deployment"],
        path=path,
        recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    with provider.cluster() as cluster:
        record_savepoint(cluster.client, cluster.registry.namespace, record)
        registry_namespace = cluster.registry.namespace
    name = savepoint_record_name(record.namespace, record.workload)
    # The provider process's stderr reaches `up`/`destroy` output.
    print(
        f"pulumi-flink: Deployment {record.deployment!r} "
        f"({record.namespace}/{record.workload}) stopped with savepoint {path}; "
        f"recorded in ConfigMap {registry_namespace}/{name}",
        file=sys.stderr,
        flush=True,
    )
    return path


def _stop_with_savepoint(provider: ClusterProvider, props: dict[str, Any]) -> str | None:
    namespace, workload = props["namespace"], props["workload"]
    kind = _kind(props)
    with provider.cluster() as cluster:
        obj = read_operator_object(cluster.client, kind, namespace, workload)
    if obj is None:
        return None
    job = obj.get("spec", {}).get("job") or {}
    if job.get("state") == "suspended":
        return _savepoint_of_suspended(obj, kind, namespace, workload)
    # The field keeps an older savepoint's path until a new one replaces it.
    earlier = stop_savepoint_path(obj.get("status") or {})

    def job_in(job_state: str) -> OperatorStatus:
        return await_operator(
            provider,
            kind,
            namespace,
            workload,
            lambda current: flink_deployment_status(current, job_state=job_state),
            timeout_seconds=float(props["timeout_seconds"]),
            fix=SAVEPOINT_ON_DELETE_FIX,
        )

    # A job still starting cannot take a savepoint yet: wait until it runs
    # (a failed job fails here, with the operator's message).
    job_in("running")
    stop = {"spec": {"job": {"state": "suspended", "upgradeMode": "savepoint"}}}
    with provider.cluster() as cluster:
        merge_patch_operator_object(cluster.client, kind, namespace, workload, stop)
    try:
        status = job_in("suspended")
        if status.savepoint_path in (None, earlier):
            raise OperatorError(
                kind,
                namespace,
                workload,
                "the job was suspended without a savepoint (the operator fell back to "
                "last-state: was the job running?)",
                fix=SAVEPOINT_ON_DELETE_FIX,
            )
    except OperatorError:
        restore = {
            "spec": {"job": {"state": job.get("state"), "upgradeMode": job.get("upgradeMode")}}
        }
        with provider.cluster() as cluster:
            merge_patch_operator_object(cluster.client, kind, namespace, workload, restore)
        raise
    return status.savepoint_path


def _savepoint_of_suspended(obj: dict[str, Any], kind: str, namespace: str, workload: str) -> str:
    # Only a savepoint suspend takes one: after any other, the field still
    # holds the marker of a last-state deploy or an older savepoint's path.
    took_savepoint = (obj.get("spec", {}).get("job") or {}).get("upgradeMode") == "savepoint"
    path = stop_savepoint_path(obj.get("status") or {}) if took_savepoint else None
    if path is None:
        raise OperatorError(
            kind,
            namespace,
            workload,
            "the job is suspended without a savepoint (upgrade mode last-state keeps its "
            "state in checkpoints that deleting the FlinkDeployment loses)",
            fix="resume it (state RUNNING) and delete again, or set savepoint_on_delete=False",
        )
    return path


def _kind(props: dict[str, Any]) -> str:
    return str(props.get("kind") or KIND)


def _outputs(props: dict[str, Any]) -> dict[str, Any]:
    return {prop: props.get(prop) for prop in INPUTS}


class FlinkJob(Resource, module="flink", name="FlinkJob"):
    """Waits for the operator to run a FlinkDeployment's job; stops it with a savepoint on delete.

    Made by :class:`~pulumi_flink.Deployment` (operator engine); not usually
    created directly.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    namespace, workload
        The FlinkDeployment's namespace and name.
    uid, generation
        The FlinkDeployment's ``metadata.uid`` and ``metadata.generation``
        outputs: a new generation waits again, a new uid replaces.
    deployment
        The VVP Deployment name (recorded with a savepoint).
    job_state
        ``running`` or ``suspended``: what to wait for.
    wait, timeout_seconds
        Whether to wait, and for how long at most.
    keep_state
        Stop the job with a savepoint and record it before the FlinkDeployment is deleted.
    kind
        ``FlinkSessionJob`` for a session-mode Deployment's job (its status
        reads the same), :data:`STANDALONE_JOB` for a standalone Deployment's;
        unset: ``FlinkDeployment``.
    opts
        Pulumi resource options.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        namespace: pulumi.Input[str],
        workload: pulumi.Input[str],
        uid: pulumi.Input[str],
        generation: pulumi.Input[int],
        deployment: pulumi.Input[str],
        job_state: pulumi.Input[str],
        wait: bool,
        timeout_seconds: int,
        keep_state: pulumi.Input[bool],
        kind: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Only a session job names its kind, so the FlinkJobs already in
        # state see no change.
        named_kind = {"kind": kind} if kind is not None else {}
        super().__init__(
            FlinkJobProvider(),
            resource_name,
            {
                **named_kind,
                "namespace": namespace,
                "workload": workload,
                "uid": uid,
                "generation": generation,
                "deployment": deployment,
                "job_state": job_state,
                "wait": wait,
                "timeout_seconds": timeout_seconds,
                "keep_state": keep_state,
            },
            opts,
        )
