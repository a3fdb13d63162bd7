"""End-to-end session mode: a session cluster of one stack, jobs of two others.

The dev cluster simulates the operator (kwok stages): the session cluster's
FlinkDeployment goes STABLE with its JobManager READY, each FlinkSessionJob
RUNNING; the official FlinkSessionJob CRD validates what we create.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lightkube.generic_resource import create_namespaced_resource
from lightkube.resources.core_v1 import ConfigMap
from pulumi import automation as auto

from pulumi_flink.devcluster import (
    SIMULATE_ANNOTATION,
    SIMULATE_FAILED,
    SIMULATE_SAVEPOINT_FAILED,
    DevCluster,
)
from pulumi_flink.registry import DEFAULT_REGISTRY_NAMESPACE
from tests.e2e.stacks import PulumiEnvironment
from tests.seed import SEED_PATCH_SET

pytestmark = pytest.mark.e2e

FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
FlinkSessionJob = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkSessionJob", "flinksessionjobs"
)
SAVEPOINTS = {"state.savepoints.dir": "s3://flink/clicks/savepoints"}
"""A session job's own savepoint directory (the simulation reads only the job's configuration)."""
JAR = "https://repo1.maven.org/maven2/org/apache/flink/flink-examples-streaming/1.20.0/flink-examples-streaming-1.20.0-TopSpeedWindowing.jar"


def session_job(
    name: str,
    *,
    annotations: dict[str, str] | None = None,
    savepoint_on_delete: bool = True,
    **template: Any,
) -> dict[str, Any]:
    """One Deployment entry of the ``session_jobs`` program's config (stateful: the defaults)."""
    spec = {"artifact": {"jarUri": JAR}, "parallelism": 1, **template}
    metadata = {"metadata": {"annotations": annotations}} if annotations else {}
    return {
        "name": name,
        "spec": {"template": {**metadata, "spec": spec}},
        "savepointOnDelete": savepoint_on_delete,
    }


@pytest.fixture
def session_stacks(
    pulumi_env: PulumiEnvironment, tmp_path: Path, stack_name: str, namespace: str
) -> tuple[auto.Stack, Callable[[str, list[dict[str, Any]]], auto.Stack]]:
    """The platform's stack (target + session cluster) and a maker of job stacks."""
    cluster_name = f"{stack_name[:30]}-sc".strip("-")
    platform = pulumi_env.stack(
        "session_platform",
        stack_name,
        tmp_path / "platform",
        {
            "targetName": stack_name,
            "namespace": namespace,
            "patchSet": SEED_PATCH_SET,
            "clusterName": cluster_name,
            "clusterSpec": {
                "numberOfTaskManagers": 2,
                "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"},
            },
        },
    )

    def jobs(suffix: str, deployments: list[dict[str, Any]]) -> auto.Stack:
        return pulumi_env.stack(
            "session_jobs",
            f"{stack_name[:40]}-{suffix}",
            tmp_path / f"jobs-{suffix}",
            {"clusterName": cluster_name, "deployments": deployments},
        )

    return platform, jobs


def test_two_stacks_run_jobs_in_one_session_cluster_which_outlives_them(
    session_stacks: tuple[auto.Stack, Callable[[str, list[dict[str, Any]]], auto.Stack]],
    dev_cluster: DevCluster,
    namespace: str,
) -> None:
    platform, jobs = session_stacks
    outputs = platform.up().outputs
    first = jobs("a", [session_job("clicks")])
    second = jobs("b", [session_job("views")])
    first.up()
    second.up()

    client = dev_cluster.client()
    cluster = client.get(FlinkDeployment, outputs["workload_name"].value, namespace=namespace)
    assert "job" not in cluster["spec"]
    assert cluster["status"]["jobManagerDeploymentStatus"] == "READY"
    session_jobs = {
        job.metadata.name: (job["spec"]["deploymentName"], job["status"]["jobStatus"]["state"])
        for job in client.list(FlinkSessionJob, namespace=namespace)
    }
    assert session_jobs == {
        "clicks": (outputs["workload_name"].value, "RUNNING"),
        "views": (outputs["workload_name"].value, "RUNNING"),
    }

    with pytest.raises(auto.CommandError) as refused:
        platform.destroy()
    assert "still used by Deployments of 2 stack(s)" in str(refused.value)
    first.destroy()
    with pytest.raises(auto.CommandError) as still_refused:
        platform.destroy()
    assert "still used by Deployments of 1 stack(s)" in str(still_refused.value)
    assert f"{second.name}" in str(still_refused.value)
    second.destroy()
    platform.destroy()
    assert list(client.list(FlinkDeployment, namespace=namespace)) == []


def test_a_missing_session_cluster_read_by_name_fails_preview_naming_it_and_creates_nothing(
    session_stacks: tuple[auto.Stack, Callable[[str, list[dict[str, Any]]], auto.Stack]],
    dev_cluster: DevCluster,
    namespace: str,
) -> None:
    _, jobs = session_stacks  # the platform's stack is never brought up
    orphan = jobs("orphan", [session_job("clicks")])

    with pytest.raises(auto.CommandError) as failed:
        orphan.preview()

    message = str(failed.value)
    assert "SessionCluster '" in message
    assert "does not exist in the target registry" in message
    assert f"namespace '{DEFAULT_REGISTRY_NAMESPACE}'" in message
    assert "Traceback" not in message
    assert list(dev_cluster.client().list(FlinkSessionJob, namespace=namespace)) == []


def test_a_bad_session_job_fails_preview_and_creates_nothing(
    session_stacks: tuple[auto.Stack, Callable[[str, list[dict[str, Any]]], auto.Stack]],
    dev_cluster: DevCluster,
    namespace: str,
) -> None:
    platform, jobs = session_stacks
    platform.up()
    bad = jobs("bad", [session_job("clicks", resources={"taskmanager": {"cpu": 2}})])

    with pytest.raises(auto.CommandError) as failed:
        bad.preview()
    with pytest.raises(auto.CommandError):
        bad.up()

    assert "spec.template.spec.resources: not allowed in session mode" in str(failed.value)
    assert list(dev_cluster.client().list(FlinkSessionJob, namespace=namespace)) == []
    platform.destroy()


def test_a_session_job_the_operator_fails_fails_up_with_its_message(
    session_stacks: tuple[auto.Stack, Callable[[str, list[dict[str, Any]]], auto.Stack]],
) -> None:
    platform, jobs = session_stacks
    platform.up()
    failed_job = session_job(
        "broken", annotations={SIMULATE_ANNOTATION: SIMULATE_FAILED}, savepoint_on_delete=False
    )
    failing = jobs("failing", [failed_job])

    with pytest.raises(auto.CommandError) as failed:
        failing.up()

    assert "simulated failure" in str(failed.value)
    failing.destroy()
    platform.destroy()


def test_destroy_of_a_stateful_session_job_records_a_savepoint_it_restarts_from(
    session_stacks: tuple[auto.Stack, Callable[[str, list[dict[str, Any]]], auto.Stack]],
    dev_cluster: DevCluster,
    namespace: str,
) -> None:
    platform, jobs = session_stacks
    platform.up()
    stack = jobs("state", [session_job("clicks", flinkConfiguration=SAVEPOINTS)])
    stack.up()
    output: list[str] = []

    stack.destroy(on_output=output.append)

    record = dev_cluster.client().get(
        ConfigMap, f"savepoint.{namespace}.clicks", namespace=DEFAULT_REGISTRY_NAMESPACE
    )
    recorded = (record.data or {})["path"]
    assert recorded.startswith("s3://flink/clicks/savepoints/savepoint-")
    assert any("stopped with savepoint" in line and recorded in line for line in output)
    assert stack.up().outputs["clicks_restore_path"].value == recorded
    restarted = dev_cluster.client().get(FlinkSessionJob, "clicks", namespace=namespace)
    assert restarted["spec"]["job"]["initialSavepointPath"] == recorded
    stack.destroy()
    platform.destroy()


def test_a_failing_session_job_savepoint_blocks_the_delete(
    session_stacks: tuple[auto.Stack, Callable[[str, list[dict[str, Any]]], auto.Stack]],
    dev_cluster: DevCluster,
    namespace: str,
) -> None:
    platform, jobs = session_stacks
    platform.up()
    failing = {SIMULATE_ANNOTATION: SIMULATE_SAVEPOINT_FAILED}
    stack = jobs("blocked", [session_job("clicks", annotations=failing)])
    stack.up()

    with pytest.raises(auto.CommandError) as failed:
        stack.destroy()

    assert "simulated savepoint failure" in str(failed.value)
    kept = dev_cluster.client().get(FlinkSessionJob, "clicks", namespace=namespace)
    assert kept["spec"]["job"]["state"] == "running"
