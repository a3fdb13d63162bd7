"""The real-Flink runner runs a pod's init containers first, as the kubelet does.

Against a fake API client: the rendered standalone JobManager pod's own init
container (the secret-rendering script) runs with the cluster's ConfigMap and
Secret bytes, and a failing init container leaves the pod Pending with its
exit code.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import yaml
from lightkube.resources.core_v1 import ConfigMap, Secret

from pulumi_flink import render_manifests
from pulumi_flink.devcluster._flink import FlinkDistributions
from pulumi_flink.devcluster._runner import (
    ContainerConfigError,
    FlinkProcessRunner,
    RealPod,
    pod_status,
    resolve_environment,
)
from pulumi_flink.secrets import SecretKeyRef
from tests.unit.documents import deployment, target

VALUE = 'pw "quoted" \\ $HOME & \n next'


class _Object:
    def __init__(self, data: dict[str, str]) -> None:
        self.data = data


class FakeClient:
    """The ConfigMaps and Secrets of one namespace, as lightkube returns them."""

    def __init__(self, objects: dict[tuple[type[Any], str], dict[str, str]]) -> None:
        self.objects = objects

    def get(self, resource: type[Any], name: str, namespace: str) -> _Object:
        return _Object(self.objects[(resource, name)])


def _runner(tmp_path: Path, client: FakeClient) -> FlinkProcessRunner:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        yaml.safe_dump(
            {
                "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1"}}],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
                "current-context": "x",
            }
        )
    )
    distributions = FlinkDistributions(root=tmp_path, jobs=tmp_path / "jobs", pins={})
    runner = FlinkProcessRunner(kubeconfig, tmp_path / "state", distributions)
    runner.client = client  # type: ignore[assignment]
    return runner


def _initialized(runner: FlinkProcessRunner, real: RealPod, pod: dict[str, Any]) -> bool:
    """Advance the init containers until they are done or one failed (no sleeps: wait())."""
    home = real.root / "opt-flink"
    while True:
        done = runner._initialize(real, pod, home)
        if done or real.init_exit is not None:
            return done
        assert real.init_process is not None
        real.init_process.wait()


def _standalone_jobmanager() -> tuple[dict[str, Any], FakeClient]:
    document = deployment(
        jar_uri="local:///opt/flink/usrlib/job.jar",
        artifact={"flinkVersion": "1.20"},
        flinkConfiguration={"db.password": "${pw}"},
    )
    document["spec"]["restoreStrategy"] = {"kind": "NONE"}
    manifests = render_manifests(
        document,
        target(),
        engine="standalone",
        secret_values={"pw": SecretKeyRef("credentials", "password")},
    )
    (config_map,) = [m for m in manifests if m["kind"] == "ConfigMap"]
    (jobmanager,) = [
        m
        for m in manifests
        if m["kind"] == "Deployment" and m["metadata"]["name"].endswith("-jobmanager")
    ]
    pod = {
        "metadata": {"name": "jm-0", "namespace": "jobs", "uid": "u1"},
        "spec": jobmanager["spec"]["template"]["spec"],
    }
    client = FakeClient(
        {
            (ConfigMap, config_map["metadata"]["name"]): config_map["data"],
            (Secret, "credentials"): {"password": base64.b64encode(VALUE.encode()).decode()},
        }
    )
    return pod, client


def test_the_init_container_renders_the_configuration_flink_reads_from_the_secret(
    tmp_path: Path,
) -> None:
    pod, client = _standalone_jobmanager()
    runner = _runner(tmp_path, client)
    real = RealPod("jobs", "jm-0", "u1", tmp_path / "pod")
    (real.root / "opt-flink").mkdir(parents=True)
    conf_dir = runner._mounts(real, pod, pod["spec"]["containers"][0])["/opt/flink/conf"]

    assert _initialized(runner, real, pod), _init_log(real)

    rendered = yaml.safe_load((conf_dir / "config.yaml").read_text())
    assert rendered["db.password"] == VALUE
    status = pod_status(real, pod)
    assert {c["type"]: c["status"] for c in status["conditions"]}["Initialized"] == "True"
    [init] = status["initContainerStatuses"]
    assert init["state"] == {"terminated": {"exitCode": 0, "reason": "Completed"}}


def _init_log(real: RealPod) -> str:
    return "\n".join(log.read_text() for log in real.root.glob("init-*.log"))


def test_a_failing_init_container_leaves_the_pod_pending_with_its_exit_code(
    tmp_path: Path,
) -> None:
    pod = {
        "metadata": {"name": "jm-0", "namespace": "jobs", "uid": "u1"},
        "spec": {
            "initContainers": [
                {"name": "fails", "image": "flink:1.20", "command": ["/bin/sh", "-c", "exit 3"]}
            ],
            "containers": [{"name": "flink-main-container", "image": "flink:1.20"}],
        },
    }
    runner = _runner(tmp_path, FakeClient({}))
    real = RealPod("jobs", "jm-0", "u1", tmp_path / "pod")
    real.root.mkdir()

    assert not _initialized(runner, real, pod)

    status = pod_status(real, pod)
    assert status["phase"] == "Pending"
    assert {c["type"]: c["status"] for c in status["conditions"]}["Initialized"] == "False"
    [init] = status["initContainerStatuses"]
    assert init["lastState"]["terminated"]["exitCode"] == 3
    assert init["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert init["restartCount"] == 1
    [main] = status["containerStatuses"]
    assert main["state"] == {"waiting": {"reason": "PodInitializing"}}
    # Retried only after the back-off: nothing runs now.
    assert runner._initialize(real, pod, real.root) is False
    assert real.init_process is None


def test_a_missing_secret_key_makes_the_container_wait(tmp_path: Path) -> None:
    runner = _runner(tmp_path, FakeClient({(Secret, "s"): {"other": "eA=="}}))
    container = {"env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}

    with pytest.raises(ContainerConfigError, match="secretKeyRef s/k does not exist in jobs"):
        runner._environment("jobs", container)


def test_an_optional_absent_key_sets_no_variable() -> None:
    container = {
        "env": [
            {
                "name": "A",
                "valueFrom": {"secretKeyRef": {"name": "s", "key": "k", "optional": True}},
            },
            {"name": "B", "value": "[$(A)]"},
        ]
    }

    assert resolve_environment(container, lambda source: None) == {"B": "[$(A)]"}
