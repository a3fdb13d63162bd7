"""Standalone jobs on real Flink: the dev cluster runs their pods as local JVMs (issue 17).

The module's own dev cluster is started with ``real_flink=True``: the
JobManager and TaskManager pods of the standalone engine become JVMs of the
pinned Flink distribution (``toolchain/flink.env``), running pulumi-flink's
test job (``toolchain/flink-job/CounterJob.java``: counters in keyed state,
shown by the gauge ``highestCount``). What is asserted comes from Flink's
own REST API and from the checkpoint directory on disk.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lightkube import ApiError
from lightkube.resources.apps_v1 import Deployment as KubeDeployment
from lightkube.resources.core_v1 import ConfigMap, Pod
from pulumi import automation as auto

from pulumi_flink.devcluster import DevCluster
from pulumi_flink.devcluster._flink import COUNTER_JOB_IMAGE, read_pins
from pulumi_flink.registry import DEFAULT_REGISTRY_NAMESPACE
from tests.e2e.pulumi_fixtures import _versions
from tests.e2e.stacks import PulumiEnvironment

pytestmark = pytest.mark.e2e

LINES = sorted(read_pins(), key=lambda line: tuple(int(p) for p in line.split(".")))
WAIT_SECONDS = 240


@pytest.fixture(scope="module")
def dev_cluster(
    tmp_path_factory: pytest.TempPathFactory, toolchain_bin_dir: Path
) -> Iterator[DevCluster]:
    """This module's own dev cluster (the CRDs we ship), running standalone Flink pods for real."""
    cluster = DevCluster(
        tmp_path_factory.mktemp("real-flink-cluster"),
        bin_dir=toolchain_bin_dir,
        tie_to_parent=True,
        real_flink=True,
    )
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def pulumi_env(
    tmp_path_factory: pytest.TempPathFactory, dev_cluster: DevCluster
) -> PulumiEnvironment:
    """A Pulumi home and backend for this module's cluster."""
    environment = PulumiEnvironment(
        home=tmp_path_factory.mktemp("real-flink-pulumi-home"),
        backend=tmp_path_factory.mktemp("real-flink-pulumi-state"),
        bin_dir=dev_cluster.bin_dir,
        kubeconfig=dev_cluster.kubeconfig,
    )
    environment.install_kubernetes_plugin(_versions()["PULUMI_KUBERNETES_VERSION"])
    return environment


def _state_patch_set(state_dir: Path) -> list[dict[str, Any]]:
    return [
        {
            "op": "add",
            "path": f"/spec/template/spec/flinkConfiguration/state.{kind}.dir",
            "value": f"file://{state_dir}/{kind}",
        }
        for kind in ("checkpoints", "savepoints")
    ]


def _counter_job(
    line: str,
    *,
    state: str = "RUNNING",
    parallelism: int = 1,
    savepointOnDelete: bool = True,  # noqa: N803  (the program's config key)
    **spec: Any,
) -> dict[str, Any]:
    return {
        "name": "counter",
        "engine": "standalone",
        "wait": True,
        "timeout": WAIT_SECONDS,
        "savepointOnDelete": savepointOnDelete,
        "spec": {
            **spec,
            "state": state,
            "template": {
                "spec": {
                    "artifact": {
                        "jarUri": "local:///opt/flink/usrlib/counter-job.jar",
                        "flinkVersion": line,
                        "flinkImageRepository": COUNTER_JOB_IMAGE,
                    },
                    "parallelism": parallelism,
                    "flinkConfiguration": {"execution.checkpointing.interval": "2s"},
                }
            },
        },
    }


class FlinkRest:
    """Flink's REST API of the ``counter`` job's JobManager, through the runner's proxy."""

    def __init__(self, cluster: DevCluster, namespace: str) -> None:
        self.url = cluster.service_url(namespace, "counter-jobmanager", 8081)

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.load(response)

    def job(self) -> dict[str, Any]:
        [job] = self.get("/jobs/overview")["jobs"]
        return dict(job)

    def wait_for(self, what: str, check: Callable[[], Any]) -> Any:
        """Poll ``check`` until it returns a truthy value (real processes take seconds)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                value = check()
            except (OSError, ValueError):
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"Flink never reached: {what}")
            time.sleep(1)

    def wait_for_running(self) -> None:
        """After a roll: the runner's Service proxy may still reset a connection while it
        moves to the new JobManager's port; the job itself is RUNNING when up returns."""
        assert self.wait_for("the job after the change", self.job)["state"] == "RUNNING"

    def wait_for_count_above(self, floor: int) -> int:
        """The ``highestCount`` gauge once it is above ``floor``."""
        return int(
            self.wait_for(f"counts above {floor}", lambda: max(self.highest_count() - floor, 0))
            + floor
        )

    def latest_checkpoint_id(self) -> int:
        """The id of the job's latest completed checkpoint (0: none yet)."""
        latest = self.get(f"/jobs/{self.job()['jid']}/checkpoints")["latest"]
        return int((latest.get("completed") or {}).get("id", 0))

    def completed_checkpoints(self) -> int:
        counts = self.get(f"/jobs/{self.job()['jid']}/checkpoints")["counts"]
        return int(counts["completed"])

    def restored_checkpoint(self) -> dict[str, Any] | None:
        latest = self.get(f"/jobs/{self.job()['jid']}/checkpoints")["latest"]
        restored: dict[str, Any] | None = latest.get("restored")
        return restored

    def highest_count(self) -> int:
        """The ``highestCount`` gauge of the job's counters, highest over subtasks."""
        jid = self.job()["jid"]
        [vertex] = [v for v in self.get(f"/jobs/{jid}")["vertices"] if "counts" in v["name"]]
        base = f"/jobs/{jid}/vertices/{vertex['id']}/subtasks/metrics"
        [metric] = [m["id"] for m in self.get(base) if m["id"].endswith("highestCount")]
        [value] = self.get(f"{base}?get={metric}&agg=max")
        return int(float(value["max"]))

    def parallelism(self) -> int:
        vertices = self.get(f"/jobs/{self.job()['jid']}")["vertices"]
        return max(int(v["parallelism"]) for v in vertices)


def _pods(cluster: DevCluster, namespace: str) -> list[str]:
    return [p.metadata.name for p in cluster.client().list(Pod, namespace=namespace)]


def _up(stack: auto.Stack, deployment: dict[str, Any]) -> None:
    stack.set_config("deployments", auto.ConfigValue(json.dumps([deployment])))
    stack.up()


@pytest.mark.parametrize("line", LINES)
def test_real_job_checkpoints_and_resumes(  # short: the name makes the namespace
    single_stack: Callable[..., auto.Stack],
    dev_cluster: DevCluster,
    namespace: str,
    tmp_path: Path,
    line: str,
) -> None:
    """A standalone job (LATEST_STATE, Kubernetes HA) through VVP's life cycle, on real Flink.

    It runs and checkpoints; a parallelism change runs with the new
    parallelism and keeps its state; SUSPENDED then RUNNING with another
    parallelism keeps it too; CANCELLED then RUNNING starts from empty state.
    """
    stack = single_stack(deployments=[_counter_job(line)], patch_set=_state_patch_set(tmp_path))

    stack.up()

    # `up` returned: the standalone readiness waited for the job itself.
    rest = FlinkRest(dev_cluster, namespace)
    assert rest.job()["state"] == "RUNNING"
    rest.wait_for("a completed checkpoint", rest.completed_checkpoints)
    assert list((tmp_path / "checkpoints").glob(f"{rest.job()['jid']}/chk-*"))
    before = rest.wait_for_count_above(20)

    # A new parallelism under LATEST_STATE: the job graph is submitted anew
    # (not recovered from HA) and the latest checkpoint restored.
    _up(stack, _counter_job(line, parallelism=2))
    rest.wait_for_running()
    assert rest.parallelism() == 2
    assert rest.wait_for("a restored checkpoint", rest.restored_checkpoint)
    before = rest.wait_for_count_above(before)

    _up(stack, _counter_job(line, state="SUSPENDED", parallelism=2))
    rest.wait_for("every pod gone", lambda: not _pods(dev_cluster, namespace))
    _up(stack, _counter_job(line))

    rest.wait_for_running()
    assert rest.parallelism() == 1
    assert rest.wait_for("a restored checkpoint", rest.restored_checkpoint)
    before = rest.wait_for_count_above(before)
    last_checkpoint = rest.wait_for("a new checkpoint", rest.latest_checkpoint_id)

    _up(stack, _counter_job(line, state="CANCELLED"))
    rest.wait_for("every pod gone", lambda: not _pods(dev_cluster, namespace))
    _up(stack, _counter_job(line))

    rest.wait_for_running()
    first = rest.wait_for("a checkpoint after the cancel", rest.latest_checkpoint_id)
    # Empty state: nothing restored, the counters start again...
    assert rest.restored_checkpoint() is None
    assert rest.wait_for("counting again", rest.highest_count) < before
    # ...and the checkpoint ids go on, so no chk-<n> of the cancelled run is overwritten.
    assert first > last_checkpoint


MARKER_KEY = "pulumi.flink.test.marker"
"""A key Flink's REST API shows as it is (keys with ``secret``/``password`` it masks)."""


def test_a_real_jobmanager_starts_from_a_configuration_rendered_from_a_secret(
    single_stack: Callable[..., auto.Stack],
    pulumi_env: PulumiEnvironment,
    dev_cluster: DevCluster,
    namespace: str,
    stack_name: str,
) -> None:
    """A Pulumi secret in the target's patch set reaches a real Flink 1.20 JobManager.

    The standalone init container renders it from the target's Secret into
    ``config.yaml`` (the runner runs init containers with the cluster's
    Secret); Flink's own ``/jobmanager/config`` shows the key set to exactly
    the value (compared by hash), while the state file and the API server's
    ConfigMaps, Deployments and Pods hold no plaintext.
    """
    # Characters a shell, awk or YAML would mangle; random, so no other object holds it.
    value = f"mark-{secrets.token_hex(8)} \"q\" \\b\\\\n $HOME & 'x' #c"
    digest = hashlib.sha256(value.encode()).hexdigest()
    [line] = [line for line in LINES if line == "1.20"]
    stack = single_stack(deployments=[_counter_job(line, upgradeStrategy={"kind": "STATELESS"})])
    patch = [
        {
            "op": "add",
            "path": f"/spec/template/spec/flinkConfiguration/{MARKER_KEY}",
            "value": value,
        }
    ]
    stack.set_config("secretPatchSet", auto.ConfigValue(json.dumps(patch), secret=True))

    stack.up()

    rest = FlinkRest(dev_cluster, namespace)
    assert rest.job()["state"] == "RUNNING"
    shown = {entry["key"]: entry["value"] for entry in rest.get("/jobmanager/config")}
    assert hashlib.sha256(shown.get(MARKER_KEY, "").encode()).hexdigest() == digest
    [state] = pulumi_env.backend.glob(f".pulumi/stacks/*/{stack_name}.json")
    assert value not in state.read_text()
    assert json.dumps(value)[1:-1] not in state.read_text()
    client = dev_cluster.client()
    copies = [
        *client.list(ConfigMap, namespace=namespace),
        *client.list(KubeDeployment, namespace=namespace),
        *client.list(Pod, namespace=namespace),
    ]
    assert copies
    leaking = [c.metadata.name for c in copies if "mark-" in json.dumps(c.to_dict())]
    assert leaking == []


def _savepoint_record(cluster: DevCluster, namespace: str) -> dict[str, str] | None:
    try:
        record = cluster.client().get(
            ConfigMap, f"savepoint.{namespace}.counter", namespace=DEFAULT_REGISTRY_NAMESPACE
        )
    except ApiError:
        return None
    return dict(record.data or {})


def test_real_destroy_stops_with_a_savepoint_that_a_recreated_job_starts_from(
    single_stack: Callable[..., auto.Stack],
    dev_cluster: DevCluster,
    namespace: str,
    tmp_path: Path,
) -> None:
    """Issue 15's "no silent state loss" on the standalone engine, on real Flink 1.20.

    ``savepoint_on_delete=False`` destroys without a savepoint (and the
    reset HA data's files leave the HA storage dir); a stateful
    job's destroy stops it with a savepoint through Flink's REST API (reached
    through the API server's service proxy), records and reports it; a
    re-created Deployment of the same name starts from it (counters continue).
    """
    line = "1.20"
    patch_set = _state_patch_set(tmp_path)
    stack = single_stack(
        deployments=[_counter_job(line, savepointOnDelete=False)], patch_set=patch_set
    )
    stack.up()
    rest = FlinkRest(dev_cluster, namespace)
    rest.wait_for_count_above(5)
    output: list[str] = []
    stack.destroy(on_output=output.append)
    assert not any("stopped with savepoint" in line for line in output)
    assert _savepoint_record(dev_cluster, namespace) is None
    # The delete reset the HA data: its files in the storage dir went with it.
    ha_files = tmp_path / "checkpoints" / "ha"
    assert not [p.name for p in ha_files.rglob("*") if p.is_file()]

    stack = single_stack(deployments=[_counter_job(line)], patch_set=patch_set)
    stack.up()
    # A re-created Service gets a new local port from the runner.
    rest = FlinkRest(dev_cluster, namespace)
    before = rest.wait_for_count_above(20)
    output.clear()
    stack.destroy(on_output=output.append)

    record = _savepoint_record(dev_cluster, namespace)
    assert record is not None
    path = record["path"]
    # Flink writes the location as file:/<path>.
    local = Path("/" + path.removeprefix("file:").lstrip("/"))
    assert (local.parent, local.name[:10]) == (tmp_path / "savepoints", "savepoint-")
    assert (local / "_metadata").is_file()
    assert any("stopped with savepoint" in line and path in line for line in output)

    stack.up()
    assert stack.outputs()["counter_restore_path"].value == path
    rest = FlinkRest(dev_cluster, namespace)
    rest.wait_for_running()
    restored = rest.wait_for("a restored savepoint", rest.restored_checkpoint)
    assert (restored["is_savepoint"], restored["external_path"]) == (True, path)
    assert rest.wait_for_count_above(before) > before
