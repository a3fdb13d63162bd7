"""Specification of savepoint rendering: FlinkStateSnapshot, restore and nonces (issue 15)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_flink.effective import effective_deployment_model
from pulumi_flink.errors import UnsupportedEngineError
from pulumi_flink.render import render_effective_deployment
from pulumi_flink.render.actions import JobActions, redeploy_nonce, with_restore
from pulumi_flink.render.snapshot import render_savepoint_snapshot
from pulumi_flink.target import prepare_target
from tests.unit.documents import deployment as _deployment
from tests.unit.documents import target as _target


def _flink_deployment(actions: JobActions) -> dict[str, Any]:
    effective = effective_deployment_model(_deployment(), prepare_target(_target()))
    manifests = render_effective_deployment(
        effective, target_name="t", namespace="flink", actions=actions
    )
    [manifest] = [m for m in manifests if m["kind"] == "FlinkDeployment"]
    return manifest


def test_no_actions_render_no_action_fields() -> None:
    manifest = _flink_deployment(JobActions())

    assert "restartNonce" not in manifest["spec"]
    assert not {
        "initialSavepointPath",
        "savepointRedeployNonce",
        "savepointTriggerNonce",
        "checkpointTriggerNonce",
    } & set(manifest["spec"]["job"])


def _restored_job(restore_from: str | None, recorded: str | None) -> dict[str, Any]:
    spec = _flink_deployment(JobActions())["spec"]
    job: dict[str, Any] = with_restore(spec, restore_from=restore_from, recorded=recorded)["job"]
    return job


def test_restore_from_sets_the_initial_savepoint_and_a_redeploy_nonce() -> None:
    job = _restored_job("s3://sp/savepoint-1", None)

    assert job["initialSavepointPath"] == "s3://sp/savepoint-1"
    assert job["savepointRedeployNonce"] == redeploy_nonce("s3://sp/savepoint-1")


def test_another_restore_path_changes_the_redeploy_nonce() -> None:
    assert redeploy_nonce("s3://sp/savepoint-1") != redeploy_nonce("s3://sp/savepoint-2")


def test_redeploy_nonce_is_exact_in_json_numbers() -> None:
    assert 0 < redeploy_nonce("s3://sp/savepoint-1") < 2**53


def test_recorded_savepoint_sets_the_initial_savepoint_without_a_nonce() -> None:
    job = _restored_job(None, "s3://sp/savepoint-9")

    assert job["initialSavepointPath"] == "s3://sp/savepoint-9"
    assert "savepointRedeployNonce" not in job


def test_explicit_restore_wins_over_the_recorded_savepoint() -> None:
    job = _restored_job("s3://sp/chosen", "s3://sp/recorded")

    assert job["initialSavepointPath"] == "s3://sp/chosen"


def test_no_savepoint_leaves_the_spec_as_rendered() -> None:
    spec = _flink_deployment(JobActions())["spec"]

    assert with_restore(spec, restore_from=None, recorded="") is spec


def test_one_shot_nonces_land_where_the_operator_reads_them() -> None:
    spec = _flink_deployment(JobActions(restart_nonce=2, savepoint_nonce=3, checkpoint_nonce=4))[
        "spec"
    ]

    assert spec["restartNonce"] == 2
    assert spec["job"]["savepointTriggerNonce"] == 3
    assert spec["job"]["checkpointTriggerNonce"] == 4


def test_actions_need_the_operator_engine() -> None:
    effective = effective_deployment_model(_deployment(), prepare_target(_target()))

    with pytest.raises(UnsupportedEngineError, match="standalone"):
        render_effective_deployment(
            effective,
            target_name="t",
            namespace="flink",
            engine="standalone",
            actions=JobActions(restart_nonce=1),
        )


def test_savepoint_of_a_job_references_its_flink_deployment() -> None:
    snapshot = render_savepoint_snapshot("before-v2", "flink", job_name="orders")

    assert snapshot["spec"]["jobReference"] == {"kind": "FlinkDeployment", "name": "orders"}
    assert "path" not in snapshot["spec"]["savepoint"]


def test_dispose_on_delete_is_written_and_false_by_default() -> None:
    snapshot = render_savepoint_snapshot("before-v2", "flink", job_name="orders")

    assert snapshot["spec"]["savepoint"]["disposeOnDelete"] is False


def test_a_failed_savepoint_is_not_retried() -> None:
    snapshot = render_savepoint_snapshot("before-v2", "flink", job_name="orders")

    assert snapshot["spec"]["backoffLimit"] == 0


def test_adopted_savepoint_already_exists_at_its_path() -> None:
    snapshot = render_savepoint_snapshot("old", "flink", path="s3://sp/savepoint-1")

    assert snapshot["spec"]["savepoint"]["alreadyExists"] is True
    assert snapshot["spec"]["savepoint"]["path"] == "s3://sp/savepoint-1"
    assert "jobReference" not in snapshot["spec"]


def test_restore_and_nonces_match_the_operators_crd_schema() -> None:
    from tests.unit.test_crd_schema import _errors

    manifest = _flink_deployment(JobActions(restart_nonce=1, savepoint_nonce=2, checkpoint_nonce=3))
    manifest["spec"] = with_restore(manifest["spec"], restore_from="s3://sp/1", recorded=None)

    assert _errors(manifest) == []
