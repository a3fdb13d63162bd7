"""Specification of how the operator's status is judged (issue 15, rule 5)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_flink.operator_status import (
    LAST_STATE_MARKER,
    flink_deployment_status,
    operator_message,
    state_snapshot_status,
)


def _deployment(generation: int = 3, **status: Any) -> dict[str, Any]:
    return {"metadata": {"generation": generation}, "status": {"observedGeneration": 3, **status}}


def test_stable_running_job_is_ready() -> None:
    obj = _deployment(lifecycleState="STABLE", jobStatus={"state": "RUNNING"})

    assert flink_deployment_status(obj, job_state="running").verdict == "ready"


def test_status_from_before_an_update_is_never_ready() -> None:
    obj = _deployment(4, lifecycleState="STABLE", jobStatus={"state": "RUNNING"})

    status = flink_deployment_status(obj, job_state="running")

    assert status.verdict == "waiting"
    assert "generation 4" in status.message


def test_failure_from_before_an_update_does_not_fail_the_update() -> None:
    obj = _deployment(4, lifecycleState="FAILED", error="old problem")

    assert flink_deployment_status(obj, job_state="running").verdict == "waiting"


def test_status_error_fails_with_the_operators_message() -> None:
    error = json.dumps({"type": "ValidationException", "message": "Job jar missing"})
    obj = _deployment(lifecycleState="UPGRADING", error=error)

    status = flink_deployment_status(obj, job_state="running")

    assert (status.verdict, status.message) == ("failed", "Job jar missing")


def test_plain_text_status_error_is_the_message() -> None:
    assert operator_message("Forbidden: pods") == "Forbidden: pods"


def test_lifecycle_failed_fails() -> None:
    obj = _deployment(lifecycleState="FAILED")

    assert flink_deployment_status(obj, job_state="running").verdict == "failed"


def test_failed_job_fails_a_deployment_that_should_run() -> None:
    obj = _deployment(lifecycleState="DEPLOYED", jobStatus={"state": "FAILED"})

    assert flink_deployment_status(obj, job_state="running").message == "job FAILED"


@pytest.mark.parametrize("reason", ["Failed", "Error"])
def test_running_condition_with_a_failure_reason_fails(reason: str) -> None:
    condition = {
        "type": "Running",
        "status": "False",
        "reason": reason,
        "message": "Job status FAILED",
    }
    obj = _deployment(lifecycleState="DEPLOYED", conditions=[condition])

    status = flink_deployment_status(obj, job_state="running")

    assert (status.verdict, status.message) == ("failed", "Job status FAILED")


def test_running_condition_that_is_only_not_yet_true_waits() -> None:
    condition = {"type": "Running", "status": "False", "reason": "Reconciling"}
    obj = _deployment(lifecycleState="DEPLOYED", conditions=[condition])

    assert flink_deployment_status(obj, job_state="running").verdict == "waiting"


def test_deployed_but_not_stable_waits() -> None:
    obj = _deployment(lifecycleState="DEPLOYED", jobStatus={"state": "RECONCILING"})

    assert flink_deployment_status(obj, job_state="running").verdict == "waiting"


def test_suspended_deployment_is_ready_when_suspended_and_reports_its_savepoint() -> None:
    obj = _deployment(
        lifecycleState="SUSPENDED",
        jobStatus={"state": "SUSPENDED", "upgradeSavepointPath": "s3://sp/savepoint-1"},
    )

    status = flink_deployment_status(obj, job_state="suspended")

    assert (status.verdict, status.savepoint_path) == ("ready", "s3://sp/savepoint-1")


def test_last_state_marker_is_not_a_savepoint() -> None:
    obj = _deployment(
        lifecycleState="SUSPENDED",
        jobStatus={"state": "SUSPENDED", "upgradeSavepointPath": LAST_STATE_MARKER},
    )

    assert flink_deployment_status(obj, job_state="suspended").savepoint_path is None


def test_completed_snapshot_is_ready_with_its_path() -> None:
    status = state_snapshot_status({"status": {"state": "COMPLETED", "path": "file:///sp/1"}})

    assert (status.verdict, status.savepoint_path) == ("ready", "file:///sp/1")


@pytest.mark.parametrize("state", ["TRIGGER_PENDING", "IN_PROGRESS"])
def test_pending_snapshot_waits(state: str) -> None:
    assert state_snapshot_status({"status": {"state": state}}).verdict == "waiting"


def test_snapshot_without_status_waits() -> None:
    assert state_snapshot_status({}).verdict == "waiting"


@pytest.mark.parametrize("state", ["FAILED", "ABANDONED"])
def test_failed_snapshot_fails_with_the_operators_message(state: str) -> None:
    status = state_snapshot_status({"status": {"state": state, "error": "Job not running"}})

    assert (status.verdict, status.message) == ("failed", f"{state}: Job not running")
