"""The StandaloneHaData provider: a standalone job's Kubernetes HA data reset (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lightkube import ApiError
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.apps_v1 import Deployment
from lightkube.resources.core_v1 import ConfigMap, Pod

from pulumi_flink.errors import JobManagerStopTimeoutError
from pulumi_flink.provider import StandaloneHaDataProvider
from pulumi_flink.provider import _polling as polling
from pulumi_flink.provider._cluster import Cluster, ClusterProvider
from pulumi_flink.provider.standalone_ha import planned_reset

HA = {"app": "orders", "configmap-type": "high-availability", "type": "flink-native-kubernetes"}
HA_2 = {"app": "orders", "type": "flink-native-kubernetes"}
"""Flink 2.0 labels its HA ConfigMaps without ``configmap-type``."""
JOB_ID = "00000000000000000000000000000000"


def _config_map(name: str, data: dict[str, str], labels: dict[str, str] = HA) -> ConfigMap:
    return ConfigMap(
        metadata=ObjectMeta(name=name, namespace="jobs", labels=dict(labels)), data=dict(data)
    )


class FakeCluster:
    """The few API calls the provider makes, on Flink's HA ConfigMaps of two clusters."""

    def __init__(self, *, jobmanager_pods: int = 1, pods_never_go: bool = False) -> None:
        self.config_maps = {
            "orders-cluster-config-map": _config_map(
                "orders-cluster-config-map",
                {"jobGraph-" + JOB_ID: "graph-handle", "dispatcher": "leader"},
            ),
            f"orders-{JOB_ID}-config-map": _config_map(
                f"orders-{JOB_ID}-config-map",
                {"checkpointID-0000000000000000007": "chk-7", "counter": "8"},
                HA_2,
            ),
            # Another cluster's HA data, and a ConfigMap of ours: never touched.
            "billing-cluster-config-map": _config_map(
                "billing-cluster-config-map",
                {"jobGraph-" + JOB_ID: "other"},
                {**HA, "app": "billing"},
            ),
            "orders-config": _config_map("orders-config", {"config.yaml": "a: b"}, {}),
        }
        self.pods = jobmanager_pods
        self.pods_never_go = pods_never_go
        self.calls: list[tuple[str, str]] = []
        self.conflicts = 0

    def list(self, resource: type, *, namespace: str, labels: dict[str, str]) -> list[Any]:
        if resource is Pod:
            self.calls.append(("list-pods", ",".join(f"{k}={v}" for k, v in labels.items())))
            pods = [Pod(metadata=ObjectMeta(name=f"jm-{i}")) for i in range(self.pods)]
            if not self.pods_never_go:
                self.pods = 0  # terminated after the first look
            return pods
        assert resource is ConfigMap
        return [
            _config_map(cm.metadata.name, cm.data or {}, cm.metadata.labels or {})
            for cm in self.config_maps.values()
            if all((cm.metadata.labels or {}).get(k) == v for k, v in labels.items())
        ]

    def patch(self, resource: type, name: str, patch: dict[str, Any], **options: Any) -> None:
        assert resource is Deployment
        self.calls.append(("scale", f"{name} {patch} {options['field_manager']}"))

    def replace(self, config_map: ConfigMap) -> None:
        if self.conflicts:
            self.conflicts -= 1
            raise ApiError(status=_status(409))  # type: ignore[arg-type]
        self.calls.append(("replace", config_map.metadata.name))
        self.config_maps[config_map.metadata.name] = config_map

    def data(self, name: str) -> dict[str, str]:
        return dict(self.config_maps[name].data or {})


def _status(code: int) -> Any:
    from lightkube.models.meta_v1 import Status

    return Status(code=code, message="conflict")


@pytest.fixture
def cluster(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCluster]:
    fake = FakeCluster()
    monkeypatch.setattr(
        ClusterProvider,
        "_connect",
        lambda self: Cluster(fake, object(), "default", "https://fake"),  # type: ignore[arg-type]
    )
    monkeypatch.setattr(polling, "POLL_SECONDS", 0)
    yield fake


def props(**overrides: Any) -> dict[str, Any]:
    return {
        "namespace": "jobs",
        "workload": "orders",
        "jobmanager": "orders-jobmanager",
        "selector": {"app.kubernetes.io/instance": "orders", "component": "jobmanager"},
        "job_graph": "template-1",
        "upgrade_mode": "last-state",
        "timeout_seconds": 5,
        **overrides,
    }


CHECKPOINTS = f"orders-{JOB_ID}-config-map"


@pytest.mark.parametrize(
    ("old", "new", "reset"),
    [
        (props(), props(), "none"),
        (props(), props(timeout_seconds=9), "none"),
        (props(), props(job_graph="template-2"), "job-graph"),
        (props(upgrade_mode="stateless"), props(job_graph="template-2"), "job-graph"),
        (props(), props(job_graph="template-2", upgrade_mode="stateless"), "all"),
        (props(), props(upgrade_mode="stateless"), "all"),
        (props(upgrade_mode="stateless"), props(upgrade_mode="stateless"), "none"),
        (props(upgrade_mode="savepoint"), props(upgrade_mode="stateless"), "all"),
    ],
    ids=[
        "nothing-changed",
        "only-the-timeout",
        "new-template-keeps-state",
        "cancelled-to-running",
        "to-cancelled",
        "to-restore-none",
        "stays-stateless",
        "savepoint-to-stateless",
    ],
)
def test_the_reset_follows_the_template_and_the_upgrade_mode(
    old: dict[str, Any], new: dict[str, Any], reset: str
) -> None:
    assert planned_reset(old, new) == reset


def test_a_new_template_under_last_state_removes_only_the_job_graph(cluster: FakeCluster) -> None:
    StandaloneHaDataProvider().update("id", props(), props(job_graph="template-2"))

    assert cluster.data("orders-cluster-config-map") == {"dispatcher": "leader"}
    assert cluster.data(CHECKPOINTS) == {
        "checkpointID-0000000000000000007": "chk-7",
        "counter": "8",
    }


def test_flink_2_execution_plans_are_job_graphs_too(cluster: FakeCluster) -> None:
    cluster.config_maps["orders-cluster-config-map"].data = {"executionPlan-" + JOB_ID: "plan"}

    StandaloneHaDataProvider().update("id", props(), props(job_graph="template-2"))

    assert cluster.data("orders-cluster-config-map") == {}


def test_the_jobmanager_is_stopped_before_the_data_changes(cluster: FakeCluster) -> None:
    StandaloneHaDataProvider().update("id", props(), props(job_graph="template-2"))

    kinds = [kind for kind, _ in cluster.calls]
    assert kinds == ["scale", "list-pods", "list-pods", "replace"]
    assert cluster.calls[0][1] == "orders-jobmanager {'spec': {'replicas': 0}} pulumi-kubernetes"
    assert cluster.calls[1][1] == "app.kubernetes.io/instance=orders,component=jobmanager"


def test_a_cancel_removes_the_checkpoints_but_keeps_the_counter(cluster: FakeCluster) -> None:
    StandaloneHaDataProvider().update("id", props(), props(upgrade_mode="stateless"))

    assert cluster.data(CHECKPOINTS) == {"counter": "8"}
    assert cluster.data("orders-cluster-config-map") == {"dispatcher": "leader"}


def test_other_clusters_and_our_own_config_maps_are_untouched(cluster: FakeCluster) -> None:
    StandaloneHaDataProvider().update("id", props(), props(upgrade_mode="stateless"))

    assert cluster.data("billing-cluster-config-map") == {"jobGraph-" + JOB_ID: "other"}
    assert cluster.data("orders-config") == {"config.yaml": "a: b"}


def test_nothing_to_remove_leaves_the_jobmanager_running(cluster: FakeCluster) -> None:
    StandaloneHaDataProvider().update("id", props(), props(job_graph="template-2"))
    cluster.calls.clear()

    StandaloneHaDataProvider().update("id", props(), props(job_graph="template-3"))

    assert cluster.calls == []


def test_create_does_nothing(cluster: FakeCluster) -> None:
    result = StandaloneHaDataProvider().create(props())

    assert result.id == "jobs/orders"
    assert cluster.calls == []


def test_delete_leaves_no_state_for_a_later_deployment_of_the_name(cluster: FakeCluster) -> None:
    StandaloneHaDataProvider().delete("jobs/orders", props())

    assert cluster.data(CHECKPOINTS) == {"counter": "8"}
    assert "jobGraph-" + JOB_ID not in cluster.data("orders-cluster-config-map")


def test_a_write_conflict_is_read_again_and_retried(cluster: FakeCluster) -> None:
    cluster.conflicts = 1

    StandaloneHaDataProvider().update("id", props(), props(job_graph="template-2"))

    assert cluster.data("orders-cluster-config-map") == {"dispatcher": "leader"}


def test_a_jobmanager_that_does_not_stop_fails_before_anything_is_removed(
    cluster: FakeCluster,
) -> None:
    cluster.pods_never_go = True

    with pytest.raises(JobManagerStopTimeoutError, match=r"jobs/orders-jobmanager.*jm-0"):
        StandaloneHaDataProvider().update(
            "id", props(), props(job_graph="template-2", timeout_seconds=0)
        )
    assert "jobGraph-" + JOB_ID in cluster.data("orders-cluster-config-map")


def test_a_new_template_updates_and_another_workload_replaces() -> None:
    provider = StandaloneHaDataProvider()

    update = provider.diff("id", props(), props(job_graph="template-2"))
    replace = provider.diff("id", props(), props(workload="payments"))

    assert update.changes and not update.replaces
    assert replace.replaces == ["workload"]


def _storage(root: Path) -> dict[str, str]:
    """Flink's HA storage layout of cluster ``orders`` under ``root`` (``file://``)."""
    files = {
        "orders/submittedJobGraph1a2b": "graph",
        "orders/completedCheckpoint3c4d": "chk-7",
        "orders/notes.txt": "not Flink's",
        "job-result-store/orders/" + JOB_ID + ".json": "result",
        "job-result-store/billing/" + JOB_ID + ".json": "other cluster",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return {
        "cluster": f"file://{root}/orders",
        "job_result_store": f"file://{root}/job-result-store/orders",
    }


def _left(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_new_template_also_removes_the_job_graph_files(
    cluster: FakeCluster, tmp_path: Path
) -> None:
    storage = _storage(tmp_path)

    StandaloneHaDataProvider().update(
        "id", props(ha_storage=storage), props(ha_storage=storage, job_graph="template-2")
    )

    assert "orders/submittedJobGraph1a2b" not in _left(tmp_path)
    assert "orders/completedCheckpoint3c4d" in _left(tmp_path)


def test_a_delete_removes_the_clusters_ha_files_and_job_results_only(
    cluster: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    storage = _storage(tmp_path)

    StandaloneHaDataProvider().delete("jobs/orders", props(ha_storage=storage))

    assert _left(tmp_path) == [
        "job-result-store/billing/" + JOB_ID + ".json",
        "orders/notes.txt",
    ]
    assert "3 file(s) in the HA storage dir" in capsys.readouterr().err


def test_leftover_files_alone_are_removed_with_the_jobmanager_stopped(
    cluster: FakeCluster, tmp_path: Path
) -> None:
    cluster.config_maps = {}
    storage = _storage(tmp_path)

    StandaloneHaDataProvider().delete("jobs/orders", props(ha_storage=storage))

    assert cluster.calls[0][0] == "scale"
    assert "orders/completedCheckpoint3c4d" not in _left(tmp_path)


def test_files_in_a_remote_store_are_left_and_the_output_says_so(
    cluster: FakeCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    storage = {
        "cluster": "s3://b/ha/orders",
        "job_result_store": "s3://b/ha/job-result-store/orders",
    }

    StandaloneHaDataProvider().delete("jobs/orders", props(ha_storage=storage))

    assert "files under s3://b/ha/orders, s3://b/ha/job-result-store/orders are left in place" in (
        capsys.readouterr().err
    )
