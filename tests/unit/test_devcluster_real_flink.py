"""The real-Flink runner's pure parts: images, configuration, kwok stages, status, proxy."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from pulumi_flink.devcluster._flink import (
    COUNTER_JOB_IMAGE,
    FlinkDistributions,
    FlinkImageError,
    flink_line,
    java_options,
    read_flink_configuration,
    read_pins,
)
from pulumi_flink.devcluster._runner import (
    RealPod,
    ServiceProxy,
    is_real_pod,
    kwok_skips_real_pods,
    pod_status,
    rewrite_paths,
)
from pulumi_flink.render.java import JAVA_17_OPTIONS


@pytest.mark.parametrize(
    ("image", "line"),
    [
        ("flink:1.20", "1.20"),
        ("flink:1.18.1-scala_2.12-java17", "1.18"),
        ("registry.example.com:5000/flink:2.0.0", "2.0"),
        (f"{COUNTER_JOB_IMAGE}:1.20", "1.20"),
    ],
)
def test_the_image_tag_names_the_flink_line(image: str, line: str) -> None:
    assert flink_line(image) == line


@pytest.mark.parametrize("image", ["flink", "flink:latest", "registry:5000/flink"])
def test_an_image_without_a_version_tag_cannot_run(image: str) -> None:
    with pytest.raises(FlinkImageError, match="does not start with a Flink version"):
        flink_line(image)


def test_the_pins_cover_1_18_1_20_and_a_2_x_line() -> None:
    lines = read_pins()

    assert {"1.18", "1.20"} <= set(lines)
    assert any(line.startswith("2.") for line in lines)


def _distributions(tmp_path: Path) -> FlinkDistributions:
    return FlinkDistributions(root=tmp_path, jobs=tmp_path / "jobs", pins={"1.20": "1.20.3"})


def test_the_flink_image_is_the_plain_distribution_with_an_empty_usrlib(tmp_path: Path) -> None:
    image = _distributions(tmp_path).image("docker.io/library/flink:1.20")

    assert (image.version, image.home, image.usrlib) == ("1.20.3", tmp_path / "flink-1.20.3", ())


def test_the_counter_job_image_has_the_test_job_in_usrlib(tmp_path: Path) -> None:
    image = _distributions(tmp_path).image(f"{COUNTER_JOB_IMAGE}:1.20")

    assert image.usrlib == (tmp_path / "jobs" / "1.20.3" / "counter-job.jar",)


@pytest.mark.parametrize(
    ("image", "reason"),
    [("flink:1.19", "not one of the real Flink lines"), ("acme/orders:1.20", "runs only")],
)
def test_other_images_cannot_run_and_say_why(tmp_path: Path, image: str, reason: str) -> None:
    with pytest.raises(FlinkImageError, match=reason):
        _distributions(tmp_path).image(image)


def test_config_yaml_is_read_flat_with_nested_keys_joined(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(
        "env:\n  java:\n    opts:\n      all: -Da=1\nrest.port: '8081'\nx.enabled: true\n"
    )

    assert read_flink_configuration(tmp_path) == {
        "env.java.opts.all": "-Da=1",
        "rest.port": "8081",
        "x.enabled": "true",
    }


def test_flink_conf_yaml_wins_and_is_read_line_by_line(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("rest.port: 1\n")
    (tmp_path / "flink-conf.yaml").write_text(
        "# a comment: no\nrest.port: 8081\nenv.java.opts.all: -Da=1 -Db=2  # trailing\n"
        "rest.port: 8082\n"
    )

    assert read_flink_configuration(tmp_path) == {
        "rest.port": "8082",
        "env.java.opts.all": "-Da=1 -Db=2",
    }


def test_java_options_follow_config_sh_default_options_first() -> None:
    configuration = {
        "env.java.default-opts.all": "-Dall-default=1",
        "env.java.opts.all": "-Dall=1",
        "env.java.default-opts.taskmanager": "-Dtm-default=1",
        "env.java.opts.taskmanager": "-Dtm=1",
        "env.java.opts.jobmanager": "-Djm=1",
    }

    assert java_options(configuration, "taskmanager") == [
        "-XX:+IgnoreUnrecognizedVMOptions",
        "-Dall-default=1",
        "-Dall=1",
        "-Dtm-default=1",
        "-Dtm=1",
    ]


def test_the_rendered_java_17_options_reach_the_jvm() -> None:
    options = java_options({"env.java.default-opts.all": JAVA_17_OPTIONS}, "jobmanager")

    assert "--add-opens=java.base/java.util=ALL-UNNAMED" in options


def _stage() -> dict[str, Any]:
    return {
        "kind": "Stage",
        "spec": {
            "selector": {"matchExpressions": [{"key": ".status.phase", "operator": "In"}]},
            "next": {},
        },
    }


def test_kwok_stages_skip_the_runners_pods_and_keep_their_own_selector() -> None:
    stage = _stage()

    skipping = kwok_skips_real_pods(stage)

    expressions = skipping["spec"]["selector"]["matchExpressions"]
    assert expressions[0] == {"key": ".status.phase", "operator": "In"}
    assert expressions[1]["operator"] == "NotIn"
    assert expressions[1]["values"] == ["pulumi-flink/jobmanager", "pulumi-flink/taskmanager"]
    assert stage == _stage()


def _pod(component: str = "jobmanager", managed_by: str = "pulumi-flink") -> dict[str, Any]:
    return {
        "metadata": {
            "name": "orders-jobmanager-abc",
            "namespace": "jobs",
            "uid": "u1",
            "labels": {
                "app.kubernetes.io/managed-by": managed_by,
                "app.kubernetes.io/component": component,
            },
        },
        "spec": {"containers": [{"name": "flink-main-container", "image": "flink:1.20"}]},
    }


@pytest.mark.parametrize(
    ("pod", "real"),
    [
        (_pod("jobmanager"), True),
        (_pod("taskmanager"), True),
        (_pod("config"), False),
        (_pod("jobmanager", managed_by="someone-else"), False),
    ],
)
def test_the_runner_runs_only_our_jobmanager_and_taskmanager_pods(
    pod: dict[str, Any], real: bool
) -> None:
    assert is_real_pod(pod) is real


@pytest.mark.parametrize(
    ("value", "rewritten"),
    [
        ("file:///flink-data/checkpoints", "file:///tmp/pod/volumes/data/checkpoints"),
        ("/flink-data", "/tmp/pod/volumes/data"),
        ("file:///flink-database", "file:///flink-database"),
        ("s3://bucket/flink-data", "s3://bucket/flink-data"),
    ],
)
def test_paths_under_a_volume_mount_point_at_its_local_directory(
    value: str, rewritten: str
) -> None:
    assert rewrite_paths(value, {"/flink-data": Path("/tmp/pod/volumes/data")}) == rewritten


def _real(tmp_path: Path) -> RealPod:
    return RealPod("jobs", "orders-jobmanager-abc", "u1", tmp_path)


def test_a_pod_that_cannot_run_waits_with_the_reason(tmp_path: Path) -> None:
    real = _real(tmp_path)
    real.failure = "image 'acme/orders:1.20': the dev cluster runs only ..."

    status = pod_status(real, _pod())

    [container] = status["containerStatuses"]
    assert container["state"]["waiting"]["message"] == real.failure
    assert status["phase"] == "Pending"


def test_a_dead_process_reports_its_exit_code_and_restart_count(tmp_path: Path) -> None:
    real = _real(tmp_path)
    real.restarts = 1
    real.last_exit = {"exitCode": 1, "reason": "Error", "startedAt": "a", "finishedAt": "b"}

    status = pod_status(real, _pod())

    [container] = status["containerStatuses"]
    assert container["lastState"]["terminated"]["exitCode"] == 1
    assert container["restartCount"] == 1
    assert container["ready"] is False
    assert {c["type"]: c["status"] for c in status["conditions"]}["Ready"] == "False"


def test_an_unchanged_condition_keeps_its_transition_time(tmp_path: Path) -> None:
    pod = _pod()
    pod["status"] = {
        "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": "then"}]
    }

    status = pod_status(_real(tmp_path), pod)

    ready = next(c for c in status["conditions"] if c["type"] == "Ready")
    assert ready["lastTransitionTime"] == "then"


def _echo_server() -> socket.socket:
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            connection.sendall(connection.recv(1024).upper())

    threading.Thread(target=serve, daemon=True).start()
    return server


def test_the_service_proxy_forwards_to_a_backend() -> None:
    backend = _echo_server()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proxy = ServiceProxy(port)
    proxy.backends = [backend.getsockname()[1]]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"flink")
            assert client.recv(1024) == b"FLINK"
    finally:
        proxy.close()
        backend.close()


def test_the_service_proxy_closes_connections_while_it_has_no_backend() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proxy = ServiceProxy(port)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            assert client.recv(1024) == b""
    finally:
        proxy.close()
