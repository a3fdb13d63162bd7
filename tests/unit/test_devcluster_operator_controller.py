"""The dev cluster's simulated operator controller: UPGRADE snapshots, savepoint on deletion."""

from __future__ import annotations

from typing import Any

from pulumi_flink.devcluster._operator_controller import (
    SAVEPOINT_ON_DELETION,
    deletion_savepoint_path,
    takes_savepoint_on_deletion,
    upgrade_snapshot,
)
from pulumi_flink.operator_status import LAST_STATE_MARKER


def job(path: str | None = None, state: str = "RUNNING", **configuration: str) -> dict[str, Any]:
    return {
        "metadata": {"name": "orders", "namespace": "jobs"},
        "spec": {"flinkConfiguration": configuration},
        "status": {
            "jobStatus": {"state": state, "jobId": "abcdef0123", "upgradeSavepointPath": path}
        },
    }


def test_an_upgrade_savepoint_becomes_an_upgrade_snapshot_that_outlives_its_job() -> None:
    snapshot = upgrade_snapshot("FlinkSessionJob", job("s3://sp/savepoint-1"), now_ms=42)

    assert snapshot is not None
    assert snapshot["metadata"] == {
        "name": "orders-savepoint-upgrade-42",
        "namespace": "jobs",
        "labels": {"snapshot.trigger-type": "UPGRADE"},
    }
    assert snapshot["spec"] == {
        "jobReference": {"kind": "FlinkSessionJob", "name": "orders"},
        "savepoint": {
            "path": "s3://sp/savepoint-1",
            "alreadyExists": True,
            "disposeOnDelete": False,
            "formatType": "CANONICAL",
        },
    }


def test_the_operators_dispose_setting_reaches_the_upgrade_snapshot() -> None:
    obj = job("s3://sp/savepoint-1", **{"kubernetes.operator.savepoint.dispose-on-delete": "true"})

    snapshot = upgrade_snapshot("FlinkDeployment", obj, now_ms=1)

    assert snapshot is not None and snapshot["spec"]["savepoint"]["disposeOnDelete"] is True


def test_the_last_state_marker_makes_no_snapshot() -> None:
    assert upgrade_snapshot("FlinkDeployment", job(LAST_STATE_MARKER), now_ms=1) is None
    assert upgrade_snapshot("FlinkDeployment", job(None), now_ms=1) is None


def test_savepoint_on_deletion_is_asked_for_in_the_jobs_configuration() -> None:
    assert takes_savepoint_on_deletion(job(**{SAVEPOINT_ON_DELETION: "true"}))
    assert not takes_savepoint_on_deletion(job())


def test_only_a_running_job_takes_a_savepoint_on_deletion() -> None:
    running = job(**{"state.savepoints.dir": "s3://sp"})

    assert deletion_savepoint_path(running, "x1") == "s3://sp/savepoint-abcdef-x1"
    assert deletion_savepoint_path(job(state="FAILED"), "x1") is None
