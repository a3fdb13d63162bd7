"""State safety in the components: savepoints, restore, keeping state on delete (issue 15)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_flink import Deployment, DeploymentTarget, Savepoint
from pulumi_flink.errors import SpecValidationError, UnsupportedEngineError
from pulumi_flink.render.actions import redeploy_nonce
from tests.component.conftest import JOB_SPEC, RecordingMocks, run_program
from tests.seed import SEED_PATCH_SET


def _target() -> DeploymentTarget:
    return DeploymentTarget(
        "prod", kubernetes_namespace="flink-jobs", deployment_patch_set=SEED_PATCH_SET
    )


def _job(mocks: RecordingMocks, name: str = "orders") -> dict[str, Any]:
    return mocks.named(f"{name}-job").inputs


def _flink_job_spec(mocks: RecordingMocks, name: str = "orders") -> dict[str, Any]:
    spec: dict[str, Any] = mocks.named(f"{name}-flink-deployment").inputs["spec"]["job"]
    return spec


def test_stateful_deployment_keeps_its_state_on_delete(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC))

    assert _job(mocks)["keep_state"] is True


def test_savepoint_on_delete_off_deletes_without_a_savepoint(mocks: RecordingMocks) -> None:
    run_program(
        lambda: Deployment("orders", target=_target(), spec=JOB_SPEC, savepoint_on_delete=False)
    )

    assert _job(mocks)["keep_state"] is False
    assert not mocks.of_type("flink:RecordedSavepoint")


@pytest.mark.parametrize(
    "spec_fields",
    [{"state": "CANCELLED"}, {"upgradeStrategy": {"kind": "STATELESS"}}],
    ids=["cancelled", "stateless"],
)
def test_deployment_without_state_to_keep_takes_no_savepoint(
    mocks: RecordingMocks, spec_fields: dict[str, Any]
) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec={**JOB_SPEC, **spec_fields}))

    assert _job(mocks)["keep_state"] is False
    assert "initialSavepointPath" not in _flink_job_spec(mocks)


def test_recorded_savepoint_seeds_a_new_stateful_deployment(mocks: RecordingMocks) -> None:
    mocks.recorded_savepoint = "s3://savepoints/savepoint-0rd3r5"

    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC))

    job = _flink_job_spec(mocks)
    assert job["initialSavepointPath"] == "s3://savepoints/savepoint-0rd3r5"
    assert "savepointRedeployNonce" not in job


def test_recorded_savepoint_is_looked_up_for_the_workload(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC))

    recorded = mocks.named("orders-recorded-savepoint").inputs
    assert (recorded["namespace"], recorded["workload"]) == ("flink-jobs", "orders")


def test_restore_from_a_path_redeploys_from_it(mocks: RecordingMocks) -> None:
    mocks.recorded_savepoint = "s3://savepoints/ignored"

    run_program(
        lambda: Deployment(
            "orders", target=_target(), spec=JOB_SPEC, restore_from="s3://savepoints/chosen"
        )
    )

    job = _flink_job_spec(mocks)
    assert job["initialSavepointPath"] == "s3://savepoints/chosen"
    assert job["savepointRedeployNonce"] == redeploy_nonce("s3://savepoints/chosen")
    assert not mocks.of_type("flink:RecordedSavepoint")


def test_restore_from_a_savepoint_resource_uses_its_path(mocks: RecordingMocks) -> None:
    def program() -> None:
        target = _target()
        orders = Deployment("orders", target=target, spec=JOB_SPEC)
        before = Savepoint("before-v2", deployment=orders)
        Deployment("orders-v2", target=target, spec=JOB_SPEC, restore_from=before)

    run_program(program)

    assert _flink_job_spec(mocks, "orders-v2")["initialSavepointPath"] == (
        "s3://savepoints/before-v2"
    )


def test_one_shot_nonces_reach_the_flink_deployment(mocks: RecordingMocks) -> None:
    run_program(
        lambda: Deployment(
            "orders",
            target=_target(),
            spec=JOB_SPEC,
            restart_nonce=1,
            savepoint_nonce=2,
            checkpoint_nonce=3,
        )
    )

    spec = mocks.named("orders-flink-deployment").inputs["spec"]
    assert spec["restartNonce"] == 1
    assert (spec["job"]["savepointTriggerNonce"], spec["job"]["checkpointTriggerNonce"]) == (2, 3)


def test_standalone_cannot_restore_from_a_savepoint(mocks: RecordingMocks) -> None:
    with pytest.raises(UnsupportedEngineError, match="restore_from"):
        Deployment(
            "orders",
            target=_target(),
            spec=JOB_SPEC,
            engine="standalone",
            restore_from="s3://savepoints/chosen",
        )


def _jobmanager_args(mocks: RecordingMocks) -> list[str]:
    [container] = mocks.named("orders-jobmanager").inputs["spec"]["template"]["spec"]["containers"]
    args: list[str] = container["args"]
    return args


def test_a_stateful_standalone_job_is_stopped_through_flink_without_waiting(
    mocks: RecordingMocks,
) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC, engine="standalone"))

    job = _job(mocks)
    assert (job["kind"], job["keep_state"], job["wait"]) == ("standalone", True, False)
    assert mocks.named("orders-recorded-savepoint").inputs["kind"] == "standalone"


def test_a_recorded_savepoint_starts_a_new_standalone_job_from_it(mocks: RecordingMocks) -> None:
    mocks.recorded_savepoint = "s3://savepoints/savepoint-0rd3r5"

    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC, engine="standalone"))

    args = _jobmanager_args(mocks)
    assert args[args.index("--fromSavepoint") + 1] == "s3://savepoints/savepoint-0rd3r5"


@pytest.mark.parametrize(
    ("spec_fields", "option"),
    [({"state": "CANCELLED"}, True), ({}, False)],
    ids=["cancelled", "savepoint-on-delete-off"],
)
def test_a_standalone_job_without_state_to_keep_takes_no_savepoint_nor_restores(
    mocks: RecordingMocks, spec_fields: dict[str, Any], option: bool
) -> None:
    mocks.recorded_savepoint = "s3://savepoints/ignored"

    run_program(
        lambda: Deployment(
            "orders",
            target=_target(),
            spec={**JOB_SPEC, **spec_fields},
            engine="standalone",
            savepoint_on_delete=option,
        )
    )

    assert all(job.inputs["keep_state"] is False for job in mocks.of_type("flink:FlinkJob"))
    assert not mocks.of_type("flink:RecordedSavepoint")
    assert "--fromSavepoint" not in _jobmanager_args(mocks)


def test_a_cancelled_job_keeps_its_flink_job_so_a_cancel_never_deletes_it(
    mocks: RecordingMocks,
) -> None:
    # Removed from the program, the FlinkJob would be deleted with the inputs
    # it had while RUNNING, and stop the job with a savepoint.
    cancelled = {**JOB_SPEC, "state": "CANCELLED"}
    run_program(
        lambda: Deployment(
            "orders", target=_target(), spec=cancelled, engine="standalone", wait_for_ready=False
        )
    )

    assert _job(mocks)["keep_state"] is False


def test_savepoint_is_a_flink_state_snapshot_of_the_job_kept_on_delete(
    mocks: RecordingMocks,
) -> None:
    def program() -> None:
        Savepoint("before-v2", deployment=Deployment("orders", target=_target(), spec=JOB_SPEC))

    run_program(program)

    snapshot = mocks.named("before-v2-snapshot").inputs
    assert snapshot["spec"]["jobReference"] == {"kind": "FlinkDeployment", "name": "orders"}
    assert snapshot["spec"]["savepoint"]["disposeOnDelete"] is False
    assert snapshot["metadata"]["namespace"] == "flink-jobs"


def test_adopted_savepoint_already_exists(mocks: RecordingMocks) -> None:
    run_program(
        lambda: Savepoint.from_path("old", "s3://savepoints/savepoint-9", namespace="flink-jobs")
    )

    savepoint = mocks.named("old-snapshot").inputs["spec"]["savepoint"]
    assert savepoint == {
        "alreadyExists": True,
        "disposeOnDelete": False,
        "path": "s3://savepoints/savepoint-9",
    }


def test_keeping_state_needs_a_savepoint_directory(mocks: RecordingMocks) -> None:
    target = DeploymentTarget("bare", kubernetes_namespace="flink-jobs", deployment_patch_set=[])
    spec = {**JOB_SPEC, "restoreStrategy": {"kind": "LATEST_STATE"}}
    spec["template"] = {
        "spec": {
            **JOB_SPEC["template"]["spec"],  # type: ignore[index]
            "flinkConfiguration": {"state.checkpoints.dir": "s3://flink/checkpoints"},
        }
    }

    with pytest.raises(
        SpecValidationError, match=r"state.savepoints.dir.*savepoint_on_delete=False"
    ):
        Deployment("orders", target=target, spec=spec)


# Session jobs keep their state the same way (the same RecordedSavepoint and FlinkJob)


def _session_cluster() -> Any:
    from pulumi_flink import SessionCluster

    return SessionCluster(
        "shared",
        target=_target(),
        spec={
            "numberOfTaskManagers": 1,
            "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"},
        },
    )


SESSION_JOB_SPEC = {
    "template": {
        "spec": {"artifact": {"jarUri": "https://repo.example.com/clicks.jar"}, "parallelism": 1}
    }
}


def _session_job_spec(mocks: RecordingMocks, name: str = "clicks") -> dict[str, Any]:
    spec: dict[str, Any] = mocks.named(f"{name}-flink-session-job").inputs["spec"]["job"]
    return spec


def test_a_stateful_session_job_keeps_its_state_on_delete(mocks: RecordingMocks) -> None:
    run_program(
        lambda: Deployment(
            "clicks",
            session_cluster=_session_cluster(),
            spec=SESSION_JOB_SPEC,
            wait_for_ready=False,
        )
    )

    job = _job(mocks, "clicks")
    recorded = mocks.named("clicks-recorded-savepoint").inputs
    assert (job["kind"], job["keep_state"], job["wait"]) == ("FlinkSessionJob", True, False)
    assert (recorded["kind"], recorded["namespace"], recorded["workload"]) == (
        "FlinkSessionJob",
        "flink-jobs",
        "clicks",
    )


def test_a_recorded_savepoint_seeds_a_new_session_job(mocks: RecordingMocks) -> None:
    mocks.recorded_savepoint = "s3://savepoints/savepoint-c11ck5"

    run_program(
        lambda: Deployment("clicks", session_cluster=_session_cluster(), spec=SESSION_JOB_SPEC)
    )

    job = _session_job_spec(mocks)
    assert job["initialSavepointPath"] == "s3://savepoints/savepoint-c11ck5"
    assert "savepointRedeployNonce" not in job


def test_a_session_job_restores_from_a_chosen_savepoint(mocks: RecordingMocks) -> None:
    run_program(
        lambda: Deployment(
            "clicks",
            session_cluster=_session_cluster(),
            spec=SESSION_JOB_SPEC,
            restore_from="s3://savepoints/chosen",
        )
    )

    job = _session_job_spec(mocks)
    assert (job["initialSavepointPath"], job["savepointRedeployNonce"]) == (
        "s3://savepoints/chosen",
        redeploy_nonce("s3://savepoints/chosen"),
    )
    assert not mocks.of_type("flink:RecordedSavepoint")


@pytest.mark.parametrize("savepoint_on_delete", [True, False], ids=["cancelled", "opted-out"])
def test_a_session_job_without_state_to_keep_takes_no_savepoint(
    mocks: RecordingMocks, savepoint_on_delete: bool
) -> None:
    spec = {**SESSION_JOB_SPEC, "state": "CANCELLED"} if savepoint_on_delete else SESSION_JOB_SPEC
    run_program(
        lambda: Deployment(
            "clicks",
            session_cluster=_session_cluster(),
            spec=spec,
            savepoint_on_delete=savepoint_on_delete,
        )
    )

    assert _job(mocks, "clicks")["keep_state"] is False
    assert "initialSavepointPath" not in _session_job_spec(mocks)
