"""The dev cluster behaves like the Kubernetes the end-to-end tests rely on."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from lightkube import Client
from lightkube.core.exceptions import ApiError
from lightkube.generic_resource import create_namespaced_resource
from lightkube.models.apps_v1 import DeploymentSpec
from lightkube.models.core_v1 import Container, PodSpec, PodTemplateSpec
from lightkube.models.meta_v1 import LabelSelector, ObjectMeta
from lightkube.models.rbac_v1 import PolicyRule, RoleRef, Subject
from lightkube.resources.apps_v1 import Deployment
from lightkube.resources.core_v1 import Namespace, Pod, ServiceAccount
from lightkube.resources.rbac_authorization_v1 import Role, RoleBinding
from lightkube.types import PatchType

from pulumi_flink.devcluster import SIMULATE_ANNOTATION, SIMULATE_FAILED, DevCluster

REPO_ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


pytestmark = pytest.mark.e2e

FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)


@pytest.fixture
def namespace(dev_cluster: DevCluster) -> str:
    """A fresh namespace per test."""
    name = f"t-{uuid.uuid4().hex[:8]}"
    dev_cluster.client().create(Namespace(metadata=ObjectMeta(name=name)))
    return name


def eventually(probe: Callable[[], T | None], what: str, timeout: float = 60.0) -> T:
    """Poll ``probe`` until it returns something other than ``None``.

    Controllers work asynchronously: tests observe outcomes by polling with a
    deadline rather than sleeping a fixed time.
    """
    deadline = time.monotonic() + timeout
    while (result := probe()) is None:
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)
    return result


def flink_deployment(
    name: str, namespace: str, annotations: dict[str, str] | None = None, **job: Any
) -> Any:
    """A minimal valid application-mode FlinkDeployment."""
    return FlinkDeployment(
        metadata=ObjectMeta(name=name, namespace=namespace, annotations=annotations),
        spec={
            "image": "flink:1.20",
            "flinkVersion": "v1_20",
            "serviceAccount": "flink",
            "jobManager": {"resource": {"cpu": 1, "memory": "1024m"}},
            "taskManager": {"resource": {"cpu": 1, "memory": "1024m"}},
            "job": {
                "jarURI": "local:///opt/flink/examples/streaming/StateMachineExample.jar",
                "parallelism": 1,
                "upgradeMode": "stateless",
                **job,
            },
        },
    )


def status_when(
    client: Client, name: str, namespace: str, lifecycle: str, job_state: str | None
) -> dict[str, Any] | None:
    """The status once it shows ``lifecycle``/``job_state`` for the current spec."""
    obj = client.get(FlinkDeployment, name, namespace=namespace)
    status: dict[str, Any] = dict(obj.get("status") or {})
    assert obj.metadata is not None
    if status.get("observedGeneration") != obj.metadata.generation:
        return None
    if status.get("lifecycleState") != lifecycle:
        return None
    if job_state is not None and (status.get("jobStatus") or {}).get("state") != job_state:
        return None
    return status


def test_deployment_becomes_available_with_running_pods(
    dev_cluster: DevCluster, namespace: str
) -> None:
    client = dev_cluster.client()
    labels = {"app": "web"}
    client.create(
        Deployment(
            metadata=ObjectMeta(name="web", namespace=namespace),
            spec=DeploymentSpec(
                replicas=2,
                selector=LabelSelector(matchLabels=labels),
                template=PodTemplateSpec(
                    metadata=ObjectMeta(labels=labels),
                    spec=PodSpec(containers=[Container(name="web", image="nginx:1.27")]),
                ),
            ),
        )
    )

    def available() -> bool | None:
        status = client.get(Deployment, "web", namespace=namespace).status
        conditions = (status.conditions if status else None) or []
        ok = any(c.type == "Available" and c.status == "True" for c in conditions)
        return True if ok and status is not None and status.availableReplicas == 2 else None

    eventually(available, what="Deployment web to become Available")
    phases = [p.status.phase for p in client.list(Pod, namespace=namespace) if p.status]
    assert phases == ["Running", "Running"]


def test_rbac_decides_what_a_service_account_may_do(
    dev_cluster: DevCluster, namespace: str
) -> None:
    client = dev_cluster.client()
    client.create(ServiceAccount(metadata=ObjectMeta(name="reader", namespace=namespace)))
    client.create(
        Role(
            metadata=ObjectMeta(name="read-configmaps", namespace=namespace),
            rules=[PolicyRule(apiGroups=[""], resources=["configmaps"], verbs=["get", "list"])],
        )
    )
    client.create(
        RoleBinding(
            metadata=ObjectMeta(name="reader-reads", namespace=namespace),
            roleRef=RoleRef(
                apiGroup="rbac.authorization.k8s.io", kind="Role", name="read-configmaps"
            ),
            subjects=[Subject(kind="ServiceAccount", name="reader", namespace=namespace)],
        )
    )
    who = f"--as=system:serviceaccount:{namespace}:reader"

    allowed = dev_cluster.kubectl("auth", "can-i", "list", "configmaps", who, "-n", namespace)
    denied = dev_cluster.kubectl(
        "auth", "can-i", "delete", "pods", who, "-n", namespace, check=False
    )

    assert allowed.stdout.strip() == "yes"
    assert denied.stdout.strip() == "no"


def test_service_account_tokens_are_issued(dev_cluster: DevCluster, namespace: str) -> None:
    dev_cluster.client().create(
        ServiceAccount(metadata=ObjectMeta(name="robot", namespace=namespace))
    )

    token = dev_cluster.kubectl("create", "token", "robot", "-n", namespace).stdout.strip()

    assert token.count(".") == 2  # a signed JWT


def test_crd_rejects_an_invalid_flink_deployment(dev_cluster: DevCluster, namespace: str) -> None:
    invalid = flink_deployment("bad", namespace, upgradeMode="whenever")

    with pytest.raises(ApiError) as raised:
        dev_cluster.client().create(invalid)

    assert raised.value.status.code == 422
    assert "upgradeMode" in str(raised.value.status.message)


def test_flink_deployment_becomes_stable_and_running(
    dev_cluster: DevCluster, namespace: str
) -> None:
    client = dev_cluster.client()
    client.create(flink_deployment("orders", namespace))

    status = eventually(
        lambda: status_when(client, "orders", namespace, "STABLE", "RUNNING"),
        what="FlinkDeployment orders to become STABLE/RUNNING",
    )

    reconciled = json.loads(status["reconciliationStatus"]["lastReconciledSpec"])
    assert reconciled["job"]["parallelism"] == 1
    assert status["jobManagerDeploymentStatus"] == "READY"


def test_a_spec_change_is_reconciled_again(dev_cluster: DevCluster, namespace: str) -> None:
    client = dev_cluster.client()
    client.create(flink_deployment("orders", namespace))
    eventually(lambda: status_when(client, "orders", namespace, "STABLE", "RUNNING"), what="STABLE")

    client.patch(
        FlinkDeployment,
        "orders",
        {"spec": {"job": {"parallelism": 3}}},
        namespace=namespace,
        patch_type=PatchType.MERGE,
    )
    status = eventually(
        lambda: status_when(client, "orders", namespace, "STABLE", "RUNNING"),
        what="the new generation to become STABLE",
    )

    assert (
        json.loads(status["reconciliationStatus"]["lastReconciledSpec"])["job"]["parallelism"] == 3
    )
    assert json.loads(status["reconciliationStatus"]["lastStableSpec"])["job"]["parallelism"] == 3


def test_a_suspended_job_is_reported_suspended(dev_cluster: DevCluster, namespace: str) -> None:
    client = dev_cluster.client()
    client.create(flink_deployment("paused", namespace, state="suspended"))

    eventually(
        lambda: status_when(client, "paused", namespace, "SUSPENDED", "SUSPENDED"),
        what="FlinkDeployment paused to become SUSPENDED",
    )


def test_failure_annotation_drives_failed_and_removing_it_recovers(
    dev_cluster: DevCluster, namespace: str
) -> None:
    client = dev_cluster.client()
    client.create(
        flink_deployment("broken", namespace, annotations={SIMULATE_ANNOTATION: SIMULATE_FAILED})
    )

    status = eventually(
        lambda: status_when(client, "broken", namespace, "FAILED", "FAILED"),
        what="FlinkDeployment broken to become FAILED",
    )
    assert SIMULATE_ANNOTATION in status["error"]

    client.patch(
        FlinkDeployment,
        "broken",
        {"metadata": {"annotations": {SIMULATE_ANNOTATION: None}}},
        namespace=namespace,
        patch_type=PatchType.MERGE,
    )
    eventually(
        lambda: status_when(client, "broken", namespace, "STABLE", "RUNNING"),
        what="FlinkDeployment broken to recover",
    )


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _port_free(port: int) -> bool:
    """Whether a server could listen on ``port`` again (as servers do, with
    SO_REUSEADDR, so connections still in TIME_WAIT do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_cli_up_replaces_a_previous_run_and_down_leaves_nothing_running(
    tmp_path: Path, toolchain_bin_dir: Path, official_flink_deployment_crd: Path
) -> None:
    state_dir = tmp_path / "cluster"
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    cli = [sys.executable, "-m", "pulumi_flink.devcluster"]
    up = [
        *cli,
        "up",
        f"--state-dir={state_dir}",
        f"--bin-dir={toolchain_bin_dir}",
        f"--crd={official_flink_deployment_crd}",
        "--nodes=1",
    ]

    def recorded() -> tuple[dict[str, int], dict[str, int]]:
        pids = {p.stem: int(p.read_text().split()[0]) for p in (state_dir / "pids").glob("*.pid")}
        ports = json.loads((state_dir / "state.json").read_text())["ports"]
        return pids, ports

    subprocess.run(up, check=True, env=env, capture_output=True, timeout=300)
    first_pids, _ = recorded()
    subprocess.run(up, check=True, env=env, capture_output=True, timeout=300)
    second_pids, second_ports = recorded()
    exports = subprocess.run(
        [*cli, "env", f"--state-dir={state_dir}"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    subprocess.run([*cli, "down", f"--state-dir={state_dir}"], check=True, env=env, timeout=120)

    assert f"export KUBECONFIG={state_dir / 'kubeconfig'}" in exports
    assert set(first_pids) == {
        "etcd",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
        "kwok",
        "flink-operator-simulation",
    }
    assert not any(_alive(pid) for pid in first_pids.values())
    assert not any(_alive(pid) for pid in second_pids.values())
    assert all(_port_free(port) for port in second_ports.values())
