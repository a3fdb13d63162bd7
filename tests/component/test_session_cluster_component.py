"""The SessionCluster component and Deployments running in it (session mode), under mocks."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from pulumi_flink import (
    Deployment,
    DeploymentTarget,
    SessionCluster,
    render_session_cluster_manifests,
    render_session_job_manifests,
)
from pulumi_flink.errors import SpecValidationError, UnsupportedEngineError
from tests.component.conftest import RecordingMocks, resolved, run_program
from tests.seed import SEED_PATCH_SET

CLUSTER_SPEC = {
    "numberOfTaskManagers": 2,
    "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"},
}
JOB_SPEC = {
    "upgradeStrategy": {"kind": "STATELESS"},
    "template": {
        "spec": {"artifact": {"jarUri": "https://repo.example.com/clicks.jar"}, "parallelism": 2}
    },
}
TARGET_DOCUMENT = {
    "metadata": {"name": "prod"},
    "spec": {"kubernetes": {"namespace": "flink-jobs"}, "deploymentPatchSet": SEED_PATCH_SET},
}


def _target() -> DeploymentTarget:
    return DeploymentTarget(
        "prod", kubernetes_namespace="flink-jobs", deployment_patch_set=SEED_PATCH_SET
    )


def _cluster(**options: Any) -> SessionCluster:
    return SessionCluster("shared", target=_target(), spec=CLUSTER_SPEC, **options)


def test_a_session_cluster_declares_rbac_a_flink_deployment_and_its_record(
    mocks: RecordingMocks,
) -> None:
    run_program(_cluster)

    children = sorted(r.type for r in mocks.declared if r.name.startswith("shared-"))
    assert children == [
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:flink.apache.org/v1beta1:FlinkDeployment",
        "kubernetes:rbac.authorization.k8s.io/v1:Role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        "pulumi-python:dynamic/flink:ClaimIntent",
        "pulumi-python:dynamic/flink:SessionClusterRecord",
        "pulumi-python:dynamic/flink:TargetBinding",
    ]
    assert mocks.of_type("pulumi-flink:index:SessionCluster")[0].name == "shared"


def test_the_session_clusters_spec_equals_the_offline_render(mocks: RecordingMocks) -> None:
    run_program(lambda: _cluster(wait_for_ready=False))

    offline = render_session_cluster_manifests(
        {"metadata": {"name": "shared"}, "spec": CLUSTER_SPEC}, TARGET_DOCUMENT
    )
    assert mocks.named("shared-flink-deployment").inputs["spec"] == offline[-1]["spec"]


def test_the_session_cluster_waits_for_its_job_manager(mocks: RecordingMocks) -> None:
    run_program(_cluster)

    annotations = mocks.named("shared-flink-deployment").inputs["metadata"]["annotations"]
    assert json.loads(annotations["pulumi.com/waitFor"]) == [
        "jsonpath={.status.lifecycleState}=STABLE",
        "jsonpath={.status.jobManagerDeploymentStatus}=READY",
    ]


def test_the_session_cluster_claims_its_target_under_its_own_name(mocks: RecordingMocks) -> None:
    run_program(_cluster)

    binding = mocks.named("shared-target-binding").inputs
    assert (binding["binding"], binding["target_id"], binding["owner"]) == (
        "shared-target-binding",
        "prod-id",
        "proj/dev",
    )


def test_the_record_keeps_the_effective_document(mocks: RecordingMocks) -> None:
    run_program(_cluster)

    record = mocks.named("shared-record").inputs
    assert record["name"] == "shared"
    assert record["namespace"] == "flink-jobs"
    assert record["document"]["spec"]["flinkConfiguration"]["state.checkpoints.dir"] == (
        "s3://flink/checkpoints"
    )


def test_a_stopped_session_cluster_declares_no_flink_deployment(mocks: RecordingMocks) -> None:
    run_program(lambda: SessionCluster("shared", target=_target(), spec={"state": "STOPPED"}))

    assert not [r for r in mocks.declared if r.name == "shared-flink-deployment"]


def test_the_standalone_engine_is_refused_before_anything_is_declared(
    mocks: RecordingMocks,
) -> None:
    with pytest.raises(UnsupportedEngineError):
        run_program(lambda: _cluster(engine="standalone"))

    assert mocks.of_type("SessionCluster") == []


def test_session_cluster_outputs(mocks: RecordingMocks) -> None:
    seen: dict[str, Any] = {}

    def program() -> None:
        cluster = _cluster()
        resolved(cluster.namespace, seen, "namespace")
        resolved(cluster.workload_name, seen, "workload_name")
        resolved(cluster.rest_url, seen, "rest_url")

    run_program(program)

    assert seen == {
        "namespace": "flink-jobs",
        "workload_name": "shared",
        "rest_url": "http://shared-rest.flink-jobs.svc:8081",
    }


# Deployments in a session cluster


def test_a_session_job_declares_one_flink_session_job_equal_to_the_offline_render(
    mocks: RecordingMocks,
) -> None:
    def program() -> None:
        Deployment("clicks", session_cluster=_cluster(), spec=JOB_SPEC, wait_for_ready=False)

    run_program(program)

    children = sorted(r.type for r in mocks.declared if r.name.startswith("clicks-"))
    offline = render_session_job_manifests(
        {"metadata": {"name": "clicks"}, "spec": JOB_SPEC},
        {"metadata": {"name": "shared"}, "spec": CLUSTER_SPEC},
        TARGET_DOCUMENT,
    )
    # The FlinkJob keeps the job's state on delete (it is kept while it has none).
    assert children == [
        "kubernetes:flink.apache.org/v1beta1:FlinkSessionJob",
        "pulumi-python:dynamic/flink:FlinkJob",
    ]
    assert mocks.named("clicks-flink-session-job").inputs["spec"] == offline[0]["spec"]


def test_session_jobs_of_a_stack_share_one_claim_on_the_cluster_record(
    mocks: RecordingMocks,
) -> None:
    def program() -> None:
        cluster = _cluster()
        Deployment("clicks", session_cluster=cluster, spec=JOB_SPEC)
        Deployment("views", session_cluster=cluster, spec=JOB_SPEC)

    run_program(program)

    claims = [r for r in mocks.of_type("flink:TargetBinding") if r.name == "shared-binding"]
    assert [claim.inputs["target_id"] for claim in claims] == ["shared-record-record-id"]


def test_a_session_jobs_flink_job_waits_for_it_failing_fast(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("clicks", session_cluster=_cluster(), spec=JOB_SPEC))

    annotations = mocks.named("clicks-flink-session-job").inputs["metadata"]["annotations"]
    job = mocks.named("clicks-job").inputs
    assert annotations["pulumi.com/skipAwait"] == "true"
    assert (job["kind"], job["workload"], job["job_state"], job["keep_state"]) == (
        "FlinkSessionJob",
        "clicks",
        "running",
        False,
    )


def test_a_session_job_neither_waited_for_nor_stopped_with_a_savepoint_has_no_flink_job(
    mocks: RecordingMocks,
) -> None:
    run_program(
        lambda: Deployment(
            "clicks",
            session_cluster=_cluster(),
            spec=JOB_SPEC,
            wait_for_ready=False,
            savepoint_on_delete=False,
        )
    )

    assert not [r for r in mocks.declared if r.name == "clicks-job"]


def test_a_session_job_not_waited_for_keeps_a_flink_job_that_does_not_wait(
    mocks: RecordingMocks,
) -> None:
    run_program(
        lambda: Deployment(
            "clicks", session_cluster=_cluster(), spec=JOB_SPEC, wait_for_ready=False
        )
    )

    assert mocks.named("clicks-job").inputs["wait"] is False


def test_a_bad_session_job_fails_before_anything_of_it_is_declared(
    mocks: RecordingMocks,
) -> None:
    bad = {
        **JOB_SPEC,
        "template": {"spec": {"artifact": {"jarUri": "s3://x.jar"}, "resources": {}}},
    }

    with pytest.raises(SpecValidationError) as caught:
        run_program(lambda: Deployment("clicks", session_cluster=_cluster(), spec=bad))

    assert [p.field for p in caught.value.problems] == [
        "spec.template.spec.resources",
    ]
    assert not [r for r in mocks.declared if r.name.startswith("clicks")]


def test_a_deployment_takes_exactly_one_of_target_and_session_cluster(
    mocks: RecordingMocks,
) -> None:
    with pytest.raises(SpecValidationError) as caught:
        run_program(lambda: Deployment("clicks", spec=JOB_SPEC))

    assert caught.value.field == "target"


def test_a_session_job_in_a_cluster_of_another_stack(preview_mocks: RecordingMocks) -> None:
    seen: dict[str, Any] = {}

    def program() -> None:
        shared = SessionCluster.get("shared", "shared")
        job = Deployment("clicks", session_cluster=shared, spec=JOB_SPEC)
        resolved(job.rest_url, seen, "rest_url")
        resolved(job.namespace, seen, "namespace")

    run_program(program)

    record = preview_mocks.named("shared-record")
    job = preview_mocks.named("clicks-flink-session-job").inputs
    assert record.id == "shared"
    assert job["spec"]["deploymentName"] == "shared"
    assert seen == {"rest_url": "http://shared-rest.flink-jobs.svc:8081", "namespace": "flink-jobs"}


def test_plain_and_output_cluster_specs_declare_the_same_session_job() -> None:
    declared = []
    for spec in (CLUSTER_SPEC, pulumi.Output.from_input(CLUSTER_SPEC)):
        mocks = RecordingMocks()
        pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)

        def program(spec: Any = spec) -> None:
            cluster = SessionCluster("shared", target=_target(), spec=spec)
            Deployment("clicks", session_cluster=cluster, spec=JOB_SPEC)

        run_program(program)
        declared.append(mocks.named("clicks-flink-session-job").inputs)

    assert declared[0] == declared[1]
