"""The FlinkJob provider: fail fast while waiting, stop with a savepoint before a delete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_flink.errors import OperatorError, OperatorTimeoutError
from pulumi_flink.operator_status import LAST_STATE_MARKER
from pulumi_flink.provider import FlinkJobProvider, RecordedSavepointProvider, flink_job
from pulumi_flink.provider import _operator as operator_access
from pulumi_flink.provider import _polling as polling
from pulumi_flink.provider._cluster import Cluster, ClusterProvider
from pulumi_flink.registry import _savepoints


class FakeRegistry:
    namespace = "pulumi-flink"


class FakeOperator:
    """Answers reads with the statuses given, in order (the last one repeats)."""

    def __init__(self, *statuses: dict[str, Any], job: dict[str, Any] | None = None) -> None:
        self.statuses = list(statuses)
        self.job = job or {"state": "running", "upgradeMode": "last-state"}
        self.reads = 0
        self.present = True
        self.read_names: list[tuple[str, str]] = []
        self.patches: list[dict[str, Any]] = []
        self.records: list[_savepoints.SavepointRecord] = []

    def read(self, _client: object, _kind: str, ns: str, name: str) -> dict[str, Any] | None:
        self.read_names.append((ns, name))
        if not self.present:
            return None
        status = self.statuses[min(self.reads, len(self.statuses) - 1)]
        self.reads += 1
        return {"metadata": {"generation": 2}, "spec": {"job": self.job}, "status": status}

    def patch(
        self, _client: object, _kind: str, _ns: str, _name: str, patch: dict[str, Any]
    ) -> None:
        self.patches.append(patch)

    def record(self, _client: object, _namespace: str, record: Any) -> None:
        self.records.append(record)


@pytest.fixture
def operator(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOperator]:
    fake = FakeOperator({})
    monkeypatch.setattr(
        ClusterProvider,
        "_connect",
        lambda self: Cluster(object(), FakeRegistry(), "default", "https://fake"),  # type: ignore[arg-type]
    )
    monkeypatch.setattr(polling, "POLL_SECONDS", 0)
    monkeypatch.setattr(operator_access, "read_operator_object", lambda *a: fake.read(*a))
    monkeypatch.setattr(flink_job, "read_operator_object", lambda *a: fake.read(*a))
    monkeypatch.setattr(flink_job, "merge_patch_operator_object", lambda *a: fake.patch(*a))
    monkeypatch.setattr(_savepoints, "record_savepoint", lambda *a: fake.record(*a))
    yield fake


def props(**overrides: Any) -> dict[str, Any]:
    return {
        "namespace": "jobs",
        "workload": "orders",
        "uid": "u1",
        "generation": 2,
        "deployment": "orders",
        "job_state": "running",
        "wait": True,
        "timeout_seconds": 30,
        "keep_state": True,
        **overrides,
    }


STABLE = {"observedGeneration": 2, "lifecycleState": "STABLE", "jobStatus": {"state": "RUNNING"}}
UNOBSERVED = {**STABLE, "observedGeneration": 1}


def suspended(path: str | None) -> dict[str, Any]:
    job = {"state": "SUSPENDED", "upgradeSavepointPath": path}
    return {"observedGeneration": 2, "lifecycleState": "SUSPENDED", "jobStatus": job}


def test_create_fails_at_the_first_read_that_shows_an_operator_error(
    operator: FakeOperator,
) -> None:
    operator.statuses = [{"observedGeneration": 2, "error": '{"message": "jar not found"}'}]

    with pytest.raises(OperatorError, match="FlinkDeployment jobs/orders: jar not found"):
        FlinkJobProvider().create(props())
    assert operator.reads == 1


def test_create_waits_until_the_operator_observed_the_spec(operator: FakeOperator) -> None:
    operator.statuses = [UNOBSERVED, UNOBSERVED, STABLE]

    FlinkJobProvider().create(props())

    assert operator.reads == 3


def test_create_times_out_naming_what_it_saw(operator: FakeOperator) -> None:
    operator.statuses = [UNOBSERVED]

    with pytest.raises(OperatorTimeoutError, match="not observed generation 2"):
        FlinkJobProvider().create(props(timeout_seconds=0))


def test_create_without_waiting_reads_nothing(operator: FakeOperator) -> None:
    FlinkJobProvider().create(props(wait=False))

    assert operator.reads == 0


def test_a_new_generation_updates_and_a_new_uid_replaces() -> None:
    provider = FlinkJobProvider()

    assert provider.diff("id", props(), props(generation=3)).replaces == []
    assert provider.diff("id", props(), props(uid="u2")).replaces == ["uid"]


def test_delete_stops_a_stateful_job_with_a_savepoint_and_records_it(
    operator: FakeOperator,
) -> None:
    operator.statuses = [STABLE, STABLE, suspended("s3://sp/savepoint-1")]

    FlinkJobProvider().delete("id", props())

    assert operator.patches == [
        {"spec": {"job": {"state": "suspended", "upgradeMode": "savepoint"}}}
    ]
    [record] = operator.records
    assert (record.namespace, record.workload, record.path) == (
        "jobs",
        "orders",
        "s3://sp/savepoint-1",
    )


def test_a_failing_savepoint_fails_the_delete_and_puts_the_spec_back(
    operator: FakeOperator,
) -> None:
    failed = {**STABLE, "error": "stop-with-savepoint failed: checkpoint declined"}
    operator.statuses = [STABLE, STABLE, failed]

    with pytest.raises(OperatorError, match=r"checkpoint declined.*savepoint_on_delete=False"):
        FlinkJobProvider().delete("id", props())

    assert operator.patches[-1] == {
        "spec": {"job": {"state": "running", "upgradeMode": "last-state"}}
    }
    assert operator.records == []


def test_a_suspend_that_took_no_savepoint_fails_the_delete(operator: FakeOperator) -> None:
    operator.statuses = [STABLE, STABLE, suspended(LAST_STATE_MARKER)]

    with pytest.raises(OperatorError, match="without a savepoint"):
        FlinkJobProvider().delete("id", props())
    assert operator.records == []


def test_delete_of_a_suspended_job_records_the_savepoint_it_was_suspended_with(
    operator: FakeOperator,
) -> None:
    operator.job = {"state": "suspended", "upgradeMode": "savepoint"}
    operator.statuses = [suspended("s3://sp/savepoint-7")]

    FlinkJobProvider().delete("id", props())

    assert operator.patches == []
    assert [record.path for record in operator.records] == ["s3://sp/savepoint-7"]


def test_delete_of_a_failed_job_fails_before_touching_it(operator: FakeOperator) -> None:
    operator.statuses = [{**STABLE, "lifecycleState": "FAILED", "jobStatus": {"state": "FAILED"}}]

    with pytest.raises(OperatorError, match="lifecycle FAILED"):
        FlinkJobProvider().delete("id", props())
    assert (operator.patches, operator.records) == ([], [])


def test_delete_without_state_to_keep_touches_nothing(operator: FakeOperator) -> None:
    FlinkJobProvider().delete("id", props(keep_state=False))

    assert (operator.reads, operator.patches, operator.records) == (0, [], [])


def test_recorded_savepoint_outputs_the_record_or_nothing(
    operator: FakeOperator, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = _savepoints.SavepointRecord("jobs", "orders", "orders", "s3://sp/1", "2026-11-30")
    monkeypatch.setattr(_savepoints, "recorded_savepoint", lambda *a: record)

    outputs = RecordedSavepointProvider().create({"namespace": "jobs", "workload": "orders"}).outs

    assert outputs is not None and outputs["path"] == "s3://sp/1"


# RecordedSavepoint: a moved workload hands its state over


def moved(**overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Old and new inputs of a RecordedSavepoint whose workload was renamed."""
    olds = {"namespace": "jobs", "workload": "orders", "path": "", "recorded_at": ""}
    news = {
        "namespace": "jobs",
        "workload": "orders-v2",
        "deployment": "orders",
        "timeout_seconds": 30,
        **overrides,
    }
    return olds, news


def test_a_moved_workload_updates_its_recorded_savepoint_instead_of_replacing_it() -> None:
    olds, news = moved()

    diff = RecordedSavepointProvider().diff("id", olds, news)

    assert (diff.changes, diff.replaces) == (True, [])


def test_how_to_stop_the_job_is_no_change() -> None:
    olds, news = moved(workload="orders")

    assert RecordedSavepointProvider().diff("id", olds, news).changes is False


def test_a_move_stops_the_old_workloads_job_and_starts_the_new_one_from_its_savepoint(
    operator: FakeOperator,
) -> None:
    operator.statuses = [STABLE, STABLE, suspended("s3://sp/savepoint-9")]

    outputs = RecordedSavepointProvider().update("id", *moved()).outs

    assert outputs is not None
    assert (outputs["workload"], outputs["path"]) == ("orders-v2", "s3://sp/savepoint-9")
    assert set(operator.read_names) == {("jobs", "orders")}
    assert operator.patches == [
        {"spec": {"job": {"state": "suspended", "upgradeMode": "savepoint"}}}
    ]
    [record] = operator.records
    assert (record.workload, record.path) == ("orders", "s3://sp/savepoint-9")


def test_a_failing_savepoint_fails_the_move(operator: FakeOperator) -> None:
    failed = {**STABLE, "error": "stop-with-savepoint failed: checkpoint declined"}
    operator.statuses = [STABLE, STABLE, failed]

    with pytest.raises(OperatorError, match="checkpoint declined"):
        RecordedSavepointProvider().update("id", *moved())

    assert operator.patches[-1]["spec"]["job"]["state"] == "running"
    assert operator.records == []


def test_a_move_from_a_workload_that_is_gone_reads_the_new_record(
    operator: FakeOperator, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator.present = False
    record = _savepoints.SavepointRecord("jobs", "orders-v2", "orders", "s3://sp/2", "2026-11-30")
    monkeypatch.setattr(
        _savepoints,
        "recorded_savepoint",
        lambda _c, _r, ns, name: record if name == "orders-v2" else None,
    )

    outputs = RecordedSavepointProvider().update("id", *moved()).outs

    assert outputs is not None and outputs["path"] == "s3://sp/2"
    assert operator.patches == []


def test_an_older_savepoint_left_in_the_status_is_not_taken_for_the_stops(
    operator: FakeOperator,
) -> None:
    older = {**STABLE, "jobStatus": {"state": "RUNNING", "upgradeSavepointPath": "s3://sp/old"}}
    operator.statuses = [older, older, suspended("s3://sp/old")]

    with pytest.raises(OperatorError, match="without a savepoint"):
        FlinkJobProvider().delete("id", props())
    assert operator.records == []


def test_a_last_state_suspend_is_not_taken_for_a_savepoint_whatever_the_status_holds(
    operator: FakeOperator,
) -> None:
    operator.job = {"state": "suspended", "upgradeMode": "last-state"}
    operator.statuses = [suspended("s3://sp/older-savepoint")]

    with pytest.raises(OperatorError, match="suspended without a savepoint"):
        FlinkJobProvider().delete("id", props())
    assert operator.records == []
