"""The simulated REST API of faked standalone JobManagers (dev cluster without real Flink)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_flink.devcluster._standalone_simulation import JOB_ID, SimulatedRestApi


@pytest.fixture
def api() -> Iterator[SimulatedRestApi]:
    simulated = SimulatedRestApi("file:///state/savepoints/")
    yield simulated
    simulated.close()


def _call(api: SimulatedRestApi, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{api.port}{path}", data=data)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def test_the_job_runs_until_stopped_with_a_savepoint_under_the_savepoints_dir(
    api: SimulatedRestApi,
) -> None:
    assert _call(api, "/jobs/overview")["jobs"][0]["state"] == "RUNNING"

    trigger = _call(api, f"/jobs/{JOB_ID}/stop", {"drain": False})["request-id"]
    status = _call(api, f"/jobs/{JOB_ID}/savepoints/{trigger}")

    assert status["status"]["id"] == "COMPLETED"
    assert status["operation"]["location"].startswith("file:///state/savepoints/savepoint-000000-")
    assert _call(api, "/jobs/overview")["jobs"][0]["state"] == "FINISHED"
