"""End-to-end state scenarios (issue 15) on the dev cluster's simulated operator.

Savepoints of a running job and a Deployment restored from one; ``destroy``
of a stateful Deployment stopping it with a savepoint that a re-created
Deployment starts from; a failing savepoint blocking the delete; ``up``
failing with the operator's message; a restart nonce restarting once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lightkube.core.exceptions import ApiError
from lightkube.generic_resource import create_namespaced_resource
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap, Namespace
from pulumi import automation as auto

from pulumi_flink.devcluster import (
    SIMULATE_ANNOTATION,
    SIMULATE_FAILED,
    SIMULATE_SAVEPOINT_FAILED,
    DevCluster,
)
from pulumi_flink.operator_status import LAST_STATE_MARKER
from pulumi_flink.registry import DEFAULT_REGISTRY_NAMESPACE
from tests.e2e.stacks import PulumiEnvironment
from tests.seed import SEED_PATCH_SET

pytestmark = pytest.mark.e2e

FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
FlinkStateSnapshot = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkStateSnapshot", "flinkstatesnapshots"
)
SAVEPOINTS_DIR = next(
    op["value"] for op in SEED_PATCH_SET if op["path"].endswith("state.savepoints.dir")
)


def job(name: str, *, annotations: dict[str, str] | None = None, **options: Any) -> dict[str, Any]:
    """One Deployment entry of the ``state`` program: stateful (the defaults), waited for."""
    template: dict[str, Any] = {
        "spec": {"artifact": {"jarUri": "local:///opt/flink/usrlib/job.jar"}, "parallelism": 1}
    }
    if annotations:
        template["metadata"] = {"annotations": annotations}
    return {"name": name, "spec": {"template": template}, **options}


@pytest.fixture
def state_stack(
    pulumi_env: PulumiEnvironment, tmp_path: Path, stack_name: str, namespace: str
) -> Callable[..., auto.Stack]:
    """Make (or re-configure) the ``state`` program's stack."""

    def make(
        *,
        deployments: list[dict[str, Any]],
        savepoints: list[dict[str, Any]] | None = None,
        in_namespace: str | None = None,
    ) -> auto.Stack:
        return pulumi_env.stack(
            "state",
            stack_name,
            tmp_path / "state",
            {
                "targetName": stack_name,
                "namespace": in_namespace or namespace,
                "patchSet": SEED_PATCH_SET,
                "deployments": deployments,
                "savepoints": savepoints or [],
            },
        )

    return make


def _job_spec(dev_cluster: DevCluster, name: str, namespace: str) -> dict[str, Any]:
    spec: dict[str, Any] = dev_cluster.client().get(FlinkDeployment, name, namespace=namespace)[
        "spec"
    ]
    return spec


def _record(dev_cluster: DevCluster, namespace: str, workload: str) -> dict[str, str]:
    record = dev_cluster.client().get(
        ConfigMap, f"savepoint.{namespace}.{workload}", namespace=DEFAULT_REGISTRY_NAMESPACE
    )
    return dict(record.data or {})


def test_a_savepoint_of_a_running_job_and_a_new_deployment_restored_from_it(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = state_stack(
        deployments=[job("orders"), job("orders-v2", restoreFrom={"savepoint": "before-v2"})],
        savepoints=[{"name": "before-v2", "deployment": "orders"}],
    )

    outputs = stack.up().outputs

    path = outputs["before-v2_path"].value
    assert path.startswith("simulated:///savepoints/")
    snapshot = dev_cluster.client().get(FlinkStateSnapshot, "before-v2", namespace=namespace)
    assert (snapshot["status"]["state"], snapshot["spec"]["savepoint"]["disposeOnDelete"]) == (
        "COMPLETED",
        False,
    )
    job_spec = _job_spec(dev_cluster, "orders-v2", namespace)["job"]
    assert job_spec["initialSavepointPath"] == path
    assert "savepointRedeployNonce" in job_spec


def test_destroy_records_a_savepoint_that_a_recreated_deployment_starts_from(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = state_stack(deployments=[job("orders")])
    stack.up()
    output: list[str] = []

    stack.destroy(on_output=output.append)

    recorded = _record(dev_cluster, namespace, "orders")["path"]
    assert recorded.startswith(f"{SAVEPOINTS_DIR}/savepoint-")
    assert any("stopped with savepoint" in line and recorded in line for line in output)
    outputs = stack.up().outputs
    assert outputs["orders_restore_path"].value == recorded
    assert _job_spec(dev_cluster, "orders", namespace)["job"]["initialSavepointPath"] == recorded


def test_a_failing_savepoint_blocks_the_delete_and_nothing_is_lost(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    failing = {SIMULATE_ANNOTATION: SIMULATE_SAVEPOINT_FAILED}
    stack = state_stack(deployments=[job("orders", annotations=failing)])
    stack.up()

    with pytest.raises(auto.CommandError) as failed:
        stack.destroy()

    assert "simulated savepoint failure" in str(failed.value)
    assert "savepoint_on_delete=False" in str(failed.value)
    job_spec = _job_spec(dev_cluster, "orders", namespace)["job"]
    assert job_spec["state"] == "running"


def test_savepoint_on_delete_off_deletes_without_a_savepoint(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    failing = {SIMULATE_ANNOTATION: SIMULATE_SAVEPOINT_FAILED}
    stack = state_stack(deployments=[job("orders", annotations=failing, savepointOnDelete=False)])
    stack.up()

    stack.destroy()

    remaining = dev_cluster.client().list(FlinkDeployment, namespace=namespace)
    assert [flink_deployment.metadata.name for flink_deployment in remaining] == []


def test_up_of_a_job_the_operator_fails_fails_with_the_operators_message(
    state_stack: Callable[..., auto.Stack],
) -> None:
    failing = {SIMULATE_ANNOTATION: SIMULATE_FAILED}
    # A long timeout: only failing fast, on the operator's report, ends this `up` soon.
    stack = state_stack(
        deployments=[job("orders", annotations=failing, timeout=600, savepointOnDelete=False)]
    )

    with pytest.raises(auto.CommandError) as failed:
        stack.up()

    message = str(failed.value)
    assert f"FlinkDeployment {stack.name}/orders: simulated failure" in message
    assert "not ready after" not in message


def test_a_restart_nonce_restarts_exactly_once(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = state_stack(deployments=[job("orders", restartNonce=1)])
    stack.up()
    generation = dev_cluster.client().get(FlinkDeployment, "orders", namespace=namespace)
    first = generation.metadata.generation

    unchanged = stack.up().summary.resource_changes or {}
    state_stack(deployments=[job("orders", restartNonce=2)])
    restarted = stack.up().summary.resource_changes or {}

    after = dev_cluster.client().get(FlinkDeployment, "orders", namespace=namespace)
    assert unchanged.get("update", 0) == 0
    assert restarted.get("update") == 2  # the FlinkDeployment, and its FlinkJob waiting again
    assert after.metadata.generation == first + 1
    assert after["spec"]["restartNonce"] == 2


def test_a_replace_stops_the_old_job_with_a_savepoint_and_starts_the_new_one_from_it(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = state_stack(deployments=[job("orders")])
    stack.up()
    renamed = job("orders")
    # A new workload name: pulumi-kubernetes replaces the FlinkDeployment.
    renamed["spec"] = {"metadata": {"name": "orders-v2"}, "spec": renamed["spec"]}
    state_stack(deployments=[renamed])

    preview = stack.preview(diff=True).stdout
    output: list[str] = []
    stack.up(on_output=output.append)

    assert "orders-recorded-savepoint" in preview and "~ workload" in preview
    handed_over = _record(dev_cluster, namespace, "orders")["path"]
    assert handed_over.startswith(f"{SAVEPOINTS_DIR}/savepoint-")
    assert any("stopped with savepoint" in line and handed_over in line for line in output)
    new_job = _job_spec(dev_cluster, "orders-v2", namespace)["job"]
    assert (new_job["state"], new_job["initialSavepointPath"]) == ("running", handed_over)
    remaining = dev_cluster.client().list(FlinkDeployment, namespace=namespace)
    assert [flink_deployment.metadata.name for flink_deployment in remaining] == ["orders-v2"]


def _upgrade_snapshots(dev_cluster: DevCluster, namespace: str) -> list[dict[str, Any]]:
    snapshots = dev_cluster.client().list(
        FlinkStateSnapshot, namespace=namespace, labels={"snapshot.trigger-type": "UPGRADE"}
    )
    return [snapshot.to_dict() for snapshot in snapshots]


def test_a_stop_with_a_savepoint_is_also_an_upgrade_snapshot_that_outlives_the_job(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = state_stack(deployments=[job("orders")])
    stack.up()

    stack.destroy()

    recorded = _record(dev_cluster, namespace, "orders")["path"]
    [snapshot] = _upgrade_snapshots(dev_cluster, namespace)
    assert (snapshot["spec"]["savepoint"]["path"], snapshot["spec"]["jobReference"]) == (
        recorded,
        {"kind": "FlinkDeployment", "name": "orders"},
    )
    assert snapshot["spec"]["savepoint"]["alreadyExists"] is True
    assert list(dev_cluster.client().list(FlinkDeployment, namespace=namespace)) == []


def test_the_marker_of_a_last_state_upgrade_is_never_taken_for_a_savepoint(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = state_stack(deployments=[job("orders")])
    stack.up()
    upgraded = job("orders")
    upgraded["spec"]["template"]["spec"]["parallelism"] = 2
    state_stack(deployments=[upgraded])
    stack.up()
    status = dev_cluster.client().get(FlinkDeployment, "orders", namespace=namespace)["status"]
    assert status["jobStatus"]["upgradeSavepointPath"] == LAST_STATE_MARKER
    suspended = job("orders")
    suspended["spec"]["state"] = "SUSPENDED"
    state_stack(deployments=[suspended])
    stack.up()

    with pytest.raises(auto.CommandError) as refused:
        stack.destroy()

    assert "suspended without a savepoint" in str(refused.value)
    assert _upgrade_snapshots(dev_cluster, namespace) == []
    with pytest.raises(ApiError):
        _record(dev_cluster, namespace, "orders")


def test_the_operators_savepoint_on_deletion_is_simulated(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    own = job("orders", savepointOnDelete=False)
    own["spec"]["template"]["spec"]["flinkConfiguration"] = {
        "kubernetes.operator.job.savepoint-on-deletion": "true"
    }
    stack = state_stack(deployments=[own])
    stack.up()

    stack.destroy()

    [snapshot] = _upgrade_snapshots(dev_cluster, namespace)
    assert snapshot["spec"]["savepoint"]["path"].startswith(f"{SAVEPOINTS_DIR}/savepoint-")
    assert list(dev_cluster.client().list(FlinkDeployment, namespace=namespace)) == []


def test_a_target_moved_to_another_namespace_takes_its_jobs_state_along(
    state_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = state_stack(deployments=[job("orders")])
    stack.up()
    moved = f"{namespace[:55]}-moved"
    dev_cluster.client().create(Namespace(metadata=ObjectMeta(name=moved)))
    state_stack(deployments=[job("orders")], in_namespace=moved)

    stack.up()

    handed_over = _record(dev_cluster, namespace, "orders")["path"]
    new_job = _job_spec(dev_cluster, "orders", moved)["job"]
    assert (new_job["state"], new_job["initialSavepointPath"]) == ("running", handed_over)
    assert list(dev_cluster.client().list(FlinkDeployment, namespace=namespace)) == []
