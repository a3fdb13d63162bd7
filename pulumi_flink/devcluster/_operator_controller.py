"""The simulated operator's Python half: what kwok Stages cannot do.

kwok Stages only patch the object they match (see
:mod:`pulumi_flink.devcluster._simulation`). Two things the Apache Flink
Kubernetes Operator does (1.10+, checked in its sources) need more: creating
another object, and holding a deletion back. This controller does them, as a
process of the dev cluster (``flink-operator-simulation``, recorded and
stopped like the others), reading the operator's objects every
:data:`TICK_SECONDS`. The decisions are pure functions below, unit-tested.

* **UPGRADE snapshots.** When a FlinkDeployment's or FlinkSessionJob's job is
  stopped with a savepoint, the operator records the path in
  ``status.jobStatus.upgradeSavepointPath`` *and* as a FlinkStateSnapshot
  (``FlinkStateSnapshotUtils.createUpgradeSnapshotResource``):
  ``<name>-savepoint-upgrade-<epoch ms>``, labelled
  ``snapshot.trigger-type: UPGRADE``, ``spec.savepoint.alreadyExists: true``,
  ``disposeOnDelete`` from ``kubernetes.operator.savepoint.dispose-on-delete``
  (default false), a ``jobReference`` to the job and no owner: it outlives
  the job's resource. The Stages write the upgrade path (a savepoint suspend);
  this controller creates the snapshot for every path it has not recorded
  yet, never for the last-state marker :data:`LAST_STATE_MARKER` (no
  savepoint was taken); the Stages then complete it (``alreadyExists``).
* **Savepoint on deletion.** With ``kubernetes.operator.job.savepoint-on-deletion:
  "true"`` in a job's ``flinkConfiguration`` (FKO 1.6+), deleting its
  resource stops a running job with a savepoint first
  (``ApplicationReconciler.cleanupInternal``, ``SuspendMode.SAVEPOINT``). The
  operator holds its finalizer on every resource; this controller holds
  :data:`FINALIZER` only on those that ask for a savepoint on deletion, and on
  their deletion writes ``upgradeSavepointPath`` (under ``state.savepoints.dir``),
  creates the UPGRADE snapshot and releases the finalizer. With the
  annotation ``savepoint-failed`` the savepoint fails instead: ``status.error``
  is set and the finalizer kept, so the resource stays terminating, as with
  the real operator, until the annotation is removed. A job that is not
  running is deleted without a savepoint.

Without real Flink it also serves the API server's "cluster" egress, where
the faked standalone JobManagers' REST API is simulated
(:mod:`._standalone_simulation`).
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lightkube import Client, KubeConfig
from lightkube.core.exceptions import ApiError
from lightkube.generic_resource import create_namespaced_resource
from lightkube.types import PatchType

from ..operator_status import LAST_STATE_MARKER
from ._egress import EgressProxy
from ._reconcile_loop import ReconcileLoop
from ._simulation import SIMULATE_ANNOTATION, SIMULATE_SAVEPOINT_FAILED
from ._standalone_simulation import SimulatedJobManagers

__all__ = [
    "FINALIZER",
    "SAVEPOINT_ON_DELETION",
    "TICK_SECONDS",
    "OperatorController",
    "deletion_savepoint_path",
    "main",
    "upgrade_snapshot",
]

TICK_SECONDS = 0.25
"""How often the controller reads the operator's objects."""
SAVEPOINT_ON_DELETION = "kubernetes.operator.job.savepoint-on-deletion"
"""The job configuration key asking for a savepoint when the resource is deleted."""
DISPOSE_ON_DELETE = "kubernetes.operator.savepoint.dispose-on-delete"
"""Whether the operator's own snapshots dispose of their files when deleted (default false)."""
FINALIZER = "flink.apache.org/simulated-operator"
"""Held on resources that take a savepoint on deletion, until it is taken."""
TRIGGER_TYPE_LABEL = "snapshot.trigger-type"
"""The operator's label of a FlinkStateSnapshot's trigger type."""
JOB_KINDS = {"FlinkDeployment": "flinkdeployments", "FlinkSessionJob": "flinksessionjobs"}
"""The operator's resources that run a job, by kind: their plural."""

_FIELD_MANAGER = "pulumi-flink-operator-simulation"
_API_VERSION = "flink.apache.org/v1beta1"
_SAVEPOINTS_DIR = "state.savepoints.dir"
_SIMULATED_SAVEPOINTS = "simulated:///savepoints"

Doc = dict[str, Any]


def _configuration(obj: Mapping[str, Any]) -> Mapping[str, str]:
    return (obj.get("spec") or {}).get("flinkConfiguration") or {}


def _job_status(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return (obj.get("status") or {}).get("jobStatus") or {}


def upgrade_snapshot(kind: str, obj: Mapping[str, Any], *, now_ms: int) -> Doc | None:
    """The UPGRADE FlinkStateSnapshot the operator creates for ``obj``'s upgrade savepoint.

    ``None`` when its ``upgradeSavepointPath`` holds no savepoint (unset, or
    the last-state marker).

    >>> fd = {"metadata": {"name": "orders", "namespace": "jobs"},
    ...       "status": {"jobStatus": {"upgradeSavepointPath": "s3://sp/savepoint-1"}}}
    >>> upgrade_snapshot("FlinkDeployment", fd, now_ms=7)["metadata"]["name"]
    'orders-savepoint-upgrade-7'
    >>> fd["status"]["jobStatus"]["upgradeSavepointPath"] = LAST_STATE_MARKER
    >>> upgrade_snapshot("FlinkDeployment", fd, now_ms=7) is None
    True
    """
    path = _job_status(obj).get("upgradeSavepointPath")
    if not path or path == LAST_STATE_MARKER:
        return None
    metadata = obj["metadata"]
    dispose = str(_configuration(obj).get(DISPOSE_ON_DELETE, "false")).lower() == "true"
    return {
        "apiVersion": _API_VERSION,
        "kind": "FlinkStateSnapshot",
        "metadata": {
            "name": f"{metadata['name']}-savepoint-upgrade-{now_ms}",
            "namespace": metadata["namespace"],
            "labels": {TRIGGER_TYPE_LABEL: "UPGRADE"},
        },
        "spec": {
            "jobReference": {"kind": kind, "name": metadata["name"]},
            "savepoint": {
                "path": str(path),
                "alreadyExists": True,
                "disposeOnDelete": dispose,
                "formatType": "CANONICAL",
            },
        },
    }


def takes_savepoint_on_deletion(obj: Mapping[str, Any]) -> bool:
    """Whether the job's configuration asks for a savepoint when its resource is deleted."""
    return str(_configuration(obj).get(SAVEPOINT_ON_DELETION, "false")).lower() == "true"


def deletion_savepoint_path(obj: Mapping[str, Any], suffix: str) -> str | None:
    """Where the savepoint taken on deleting ``obj`` goes; ``None`` when its job is not running.

    >>> fd = {"spec": {"flinkConfiguration": {"state.savepoints.dir": "s3://sp/"}},
    ...       "status": {"jobStatus": {"state": "RUNNING", "jobId": "0123456789"}}}
    >>> deletion_savepoint_path(fd, "abc")
    's3://sp/savepoint-012345-abc'
    """
    job = _job_status(obj)
    if job.get("state") != "RUNNING":
        return None
    directory = str(_configuration(obj).get(_SAVEPOINTS_DIR, _SIMULATED_SAVEPOINTS)).rstrip("/")
    return f"{directory}/savepoint-{str(job.get('jobId', '000000'))[:6]}-{suffix}"


def _recorded_key(snapshot: Mapping[str, Any]) -> tuple[str, str, str]:
    spec = snapshot.get("spec") or {}
    return (
        snapshot["metadata"]["namespace"],
        (spec.get("jobReference") or {}).get("name", ""),
        (spec.get("savepoint") or {}).get("path", ""),
    )


class OperatorController(ReconcileLoop):
    """Creates UPGRADE snapshots and takes savepoints on deletion (see the module docstring).

    Parameters
    ----------
    client
        A client of the dev cluster, as its admin.
    """

    def __init__(self, client: Client) -> None:
        super().__init__("flink-operator-simulation", TICK_SECONDS)
        self.client = client
        # Generic resources are untyped (Any), like their dicts.
        self._kinds: dict[str, Any] = {
            kind: create_namespaced_resource("flink.apache.org", "v1beta1", kind, plural)
            for kind, plural in JOB_KINDS.items()
        }
        self._snapshots: Any = create_namespaced_resource(
            "flink.apache.org", "v1beta1", "FlinkStateSnapshot", "flinkstatesnapshots"
        )

    def reconcile(self) -> None:
        """One pass over every FlinkDeployment and FlinkSessionJob."""
        recorded = {
            _recorded_key(snapshot.to_dict())
            for snapshot in self.client.list(
                self._snapshots, namespace="*", labels={TRIGGER_TYPE_LABEL: "UPGRADE"}
            )
        }
        for kind, resource in self._kinds.items():
            for item in self.client.list(resource, namespace="*"):
                obj: Doc = item.to_dict()
                self._record_upgrade_savepoint(kind, obj, recorded)
                if takes_savepoint_on_deletion(obj) or FINALIZER in _finalizers(obj):
                    self._savepoint_on_deletion(kind, obj)

    def _record_upgrade_savepoint(
        self, kind: str, obj: Doc, recorded: set[tuple[str, str, str]]
    ) -> None:
        snapshot = upgrade_snapshot(kind, obj, now_ms=int(time.time() * 1000))
        if snapshot is None or _recorded_key(snapshot) in recorded:
            return
        self.client.create(self._snapshots.from_dict(snapshot))
        recorded.add(_recorded_key(snapshot))
        metadata = obj["metadata"]
        print(
            f"flink-operator-simulation: {kind} {metadata['namespace']}/{metadata['name']}: "
            f"UPGRADE snapshot {snapshot['metadata']['name']}",
            flush=True,
        )

    def _savepoint_on_deletion(self, kind: str, obj: Doc) -> None:
        metadata = obj["metadata"]
        finalizers = _finalizers(obj)
        if not metadata.get("deletionTimestamp"):
            if FINALIZER not in finalizers:
                self._set_finalizers(kind, metadata, [*finalizers, FINALIZER])
            return
        if FINALIZER not in finalizers:
            return
        path = deletion_savepoint_path(obj, secrets.token_hex(6))
        if path is not None:
            annotations = metadata.get("annotations") or {}
            if annotations.get(SIMULATE_ANNOTATION) == SIMULATE_SAVEPOINT_FAILED:
                self._patch_status(
                    kind,
                    metadata,
                    {
                        "error": "simulated savepoint failure: savepoint on deletion of job "
                        f"{metadata['name']} failed (annotation {SIMULATE_ANNOTATION}="
                        f"{SIMULATE_SAVEPOINT_FAILED}; pulumi-flink dev cluster, no Flink "
                        "operator runs here)"
                    },
                )
                return
            self._patch_status(
                kind,
                metadata,
                {"jobStatus": {"state": "FINISHED", "upgradeSavepointPath": path}},
            )
        self._set_finalizers(kind, metadata, [f for f in finalizers if f != FINALIZER])

    def _patch_status(self, kind: str, metadata: Mapping[str, Any], status: Doc) -> None:
        self.client.patch(
            self._kinds[kind].Status,
            metadata["name"],
            {"status": status},
            namespace=metadata["namespace"],
            patch_type=PatchType.MERGE,
        )

    def _set_finalizers(
        self, kind: str, metadata: Mapping[str, Any], finalizers: list[str]
    ) -> None:
        # Optimistic concurrency: the list replaces the object's, so it must be
        # the one read.
        patch = {
            "metadata": {"finalizers": finalizers, "resourceVersion": metadata["resourceVersion"]}
        }
        with contextlib.suppress(ApiError):  # changed meanwhile: the next pass retries
            self.client.patch(
                self._kinds[kind],
                metadata["name"],
                patch,
                namespace=metadata["namespace"],
                patch_type=PatchType.MERGE,
            )


def _finalizers(obj: Mapping[str, Any]) -> list[str]:
    return list(obj["metadata"].get("finalizers") or [])


def main(argv: list[str] | None = None) -> None:
    """``python -m pulumi_flink.devcluster._operator_controller --kubeconfig K``."""
    parser = argparse.ArgumentParser(description="The dev cluster's simulated operator controller.")
    parser.add_argument("--kubeconfig", type=Path, required=True)
    parser.add_argument("--egress-socket", type=Path, default=None)
    options = parser.parse_args(argv)
    client = Client(config=KubeConfig.from_file(options.kubeconfig), field_manager=_FIELD_MANAGER)
    if options.egress_socket is not None:
        # Without real Flink: the faked standalone JobManagers' REST API.
        EgressProxy(options.egress_socket, SimulatedJobManagers(client).route)
    OperatorController(client).serve()


if __name__ == "__main__":
    main()
