"""A standalone job stopped with a savepoint through Flink's REST API (issue 15 on standalone)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lightkube.resources.apps_v1 import Deployment

from pulumi_flink.errors import OperatorError
from pulumi_flink.provider import FlinkJobProvider, RecordedSavepointProvider
from pulumi_flink.provider import _polling as polling
from pulumi_flink.provider._cluster import Cluster, ClusterProvider
from pulumi_flink.provider._standalone import STOPPED_WITH_SAVEPOINT
from pulumi_flink.registry import _savepoints

JOB_ID = "00000000000000000000000000000000"
PROXY = "/api/v1/namespaces/jobs/services/orders-jobmanager:webui/proxy"
SAVEPOINT = "file:///state/savepoints/savepoint-000000-0a1b2c3d4e5f"


class Answer:
    def __init__(self, status_code: int, body: Any) -> None:
        self.status_code = status_code
        self.body = body
        self.text = str(body)

    def json(self) -> Any:
        if isinstance(self.body, str):
            raise ValueError(self.body)
        return self.body


class FakeFlink:
    """A JobManager Deployment and its REST API, as the API server's service proxy shows them.

    ``overviews`` and ``savepoints`` are answered in order (the last repeats).
    """

    def __init__(self) -> None:
        self.deployment: dict[str, Any] | None = {"metadata": {}, "spec": {"replicas": 1}}
        self.overviews: list[Answer] = [Answer(200, {"jobs": [_job("RUNNING")]})]
        self.savepoints: list[Answer] = [
            Answer(200, {"status": {"id": "IN_PROGRESS"}}),
            Answer(200, {"status": {"id": "COMPLETED"}, "operation": {"location": SAVEPOINT}}),
        ]
        self.requests: list[tuple[str, str, Any]] = []
        self.scaled: list[tuple[str, dict[str, Any]]] = []
        self.records: list[_savepoints.SavepointRecord] = []
        self._client = self  # lightkube's generic client ...
        self.namespace = "pulumi-flink"  # ... and the registry's namespace

    @property
    def registry(self) -> FakeFlink:
        return self

    def get(self, resource: type, name: str, *, namespace: str) -> Any:
        assert (resource, name, namespace) == (Deployment, "orders-jobmanager", "jobs")
        if self.deployment is None:
            from lightkube import ApiError
            from lightkube.models.meta_v1 import Status

            raise ApiError(status=Status(code=404, message="gone"))  # type: ignore[arg-type]
        deployment = self.deployment

        class Found:
            def to_dict(self) -> dict[str, Any]:
                return deployment

        return Found()

    def patch(self, resource: type, name: str, patch: dict[str, Any], **options: Any) -> None:
        assert resource is Deployment and options["field_manager"] == "pulumi-kubernetes"
        self.scaled.append((name, patch))

    def request(self, method: str, url: str, *, json: Any, timeout: float) -> Answer:
        assert url.startswith(PROXY)
        path = url.removeprefix(PROXY)
        self.requests.append((method, path, json))
        if path == "/jobs/overview":
            return self.overviews.pop(0) if len(self.overviews) > 1 else self.overviews[0]
        if method == "POST" and path == f"/jobs/{JOB_ID}/stop":
            return Answer(202, {"request-id": "trigger-1"})
        assert path == f"/jobs/{JOB_ID}/savepoints/trigger-1"
        return self.savepoints.pop(0) if len(self.savepoints) > 1 else self.savepoints[0]


def _job(state: str) -> dict[str, str]:
    return {"jid": JOB_ID, "name": "orders", "state": state}


@pytest.fixture
def flink(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFlink]:
    fake = FakeFlink()
    monkeypatch.setattr(
        ClusterProvider,
        "_connect",
        lambda self: Cluster(fake, fake, "default", "https://fake"),  # type: ignore[arg-type]
    )
    monkeypatch.setattr(polling, "POLL_SECONDS", 0)
    monkeypatch.setattr(_savepoints, "record_savepoint", lambda _c, _n, r: fake.records.append(r))
    yield fake


def props(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "standalone",
        "namespace": "jobs",
        "workload": "orders",
        "uid": "u-1",
        "generation": 1,
        "deployment": "orders",
        "job_state": "",
        "wait": False,
        "timeout_seconds": 2,
        "keep_state": True,
        **overrides,
    }


def test_a_delete_stops_the_job_with_a_savepoint_through_the_service_proxy(
    flink: FakeFlink, capsys: pytest.CaptureFixture[str]
) -> None:
    FlinkJobProvider().delete("jobs/orders", props())

    assert ("POST", f"/jobs/{JOB_ID}/stop", {"drain": False}) in flink.requests
    [record] = flink.records
    assert (record.namespace, record.workload, record.path) == ("jobs", "orders", SAVEPOINT)
    assert f"stopped with savepoint {SAVEPOINT}" in capsys.readouterr().err


def test_after_the_savepoint_both_deployments_are_scaled_to_zero_and_the_path_kept(
    flink: FakeFlink,
) -> None:
    FlinkJobProvider().delete("jobs/orders", props())

    assert flink.scaled == [
        (
            "orders-jobmanager",
            {
                "spec": {"replicas": 0},
                "metadata": {"annotations": {STOPPED_WITH_SAVEPOINT: SAVEPOINT}},
            },
        ),
        ("orders-taskmanager", {"spec": {"replicas": 0}}),
    ]


def test_a_job_still_starting_is_awaited_before_the_stop(flink: FakeFlink) -> None:
    flink.overviews = [
        Answer(503, "no endpoints available for service"),
        Answer(200, {"jobs": [_job("INITIALIZING")]}),
        Answer(200, {"jobs": [_job("RUNNING")]}),
    ]

    FlinkJobProvider().delete("jobs/orders", props())

    assert [path for _, path, _ in flink.requests].count("/jobs/overview") == 3
    assert flink.records[0].path == SAVEPOINT


def test_a_failing_savepoint_fails_the_delete_with_flinks_reason_and_scales_nothing(
    flink: FakeFlink,
) -> None:
    flink.savepoints = [
        Answer(
            200,
            {
                "status": {"id": "COMPLETED"},
                "operation": {
                    "failure-cause": {"stack-trace": "java.io.IOException: disk full\n\tat x"}
                },
            },
        )
    ]

    with pytest.raises(OperatorError, match="disk full") as failed:
        FlinkJobProvider().delete("jobs/orders", props())

    assert "savepoint_on_delete=False" in str(failed.value)
    assert (flink.scaled, flink.records) == ([], [])


def test_a_failed_job_fails_the_delete(flink: FakeFlink) -> None:
    flink.overviews = [Answer(200, {"jobs": [_job("FAILED")]})]

    with pytest.raises(OperatorError, match="FAILED"):
        FlinkJobProvider().delete("jobs/orders", props())

    assert flink.scaled == []


def test_a_job_that_never_runs_fails_the_delete_when_the_time_is_up(flink: FakeFlink) -> None:
    flink.overviews = [Answer(503, "no endpoints available for service")]

    with pytest.raises(OperatorError, match="no running job to stop"):
        FlinkJobProvider().delete("jobs/orders", props(timeout_seconds=0))

    assert flink.scaled == []


def test_a_jobmanager_already_stopped_with_a_savepoint_is_recorded_as_it_is(
    flink: FakeFlink,
) -> None:
    flink.deployment = {
        "metadata": {"annotations": {STOPPED_WITH_SAVEPOINT: SAVEPOINT}},
        "spec": {"replicas": 0},
    }

    FlinkJobProvider().delete("jobs/orders", props())

    assert (flink.requests, flink.records[0].path) == ([], SAVEPOINT)


def test_a_suspended_job_has_no_savepoint_to_keep_and_fails_the_delete(flink: FakeFlink) -> None:
    flink.deployment = {"metadata": {}, "spec": {"replicas": 0}}

    with pytest.raises(OperatorError, match="suspended without a savepoint"):
        FlinkJobProvider().delete("jobs/orders", props())


def test_a_workload_already_gone_records_nothing(flink: FakeFlink) -> None:
    flink.deployment = None

    FlinkJobProvider().delete("jobs/orders", props())

    assert (flink.requests, flink.records) == ([], [])


def test_a_moved_standalone_workload_hands_its_savepoint_to_the_new_one(flink: FakeFlink) -> None:
    olds = {"namespace": "jobs", "workload": "orders", "deployment": "orders"}
    news = {**olds, "workload": "orders-v2", "timeout_seconds": 2, "kind": "standalone"}

    result = RecordedSavepointProvider().update("jobs/orders", olds, news)

    assert result.outs is not None and result.outs["path"] == SAVEPOINT
    assert flink.records[0].workload == "orders"
