"""Session mode: SessionClusters on targets and the Deployments that run in them."""

from __future__ import annotations

import pytest

from pulumi_flink.effective import (
    effective_session_cluster,
    effective_session_cluster_model,
    effective_session_deployment,
)
from pulumi_flink.errors import PatchSetError, SpecValidationError, UnsupportedEngineError
from pulumi_flink.manifests import (
    render_manifests,
    render_session_cluster_manifests,
    render_session_job_manifests,
)
from pulumi_flink.model import SessionCluster
from pulumi_flink.target import prepare_target
from pulumi_flink.validation import parse_model
from tests.seed import SEED_PATCH_SET
from tests.unit.documents import Doc, deployment, session_cluster, session_job, target


def _target_with(patch_set: list[Doc]) -> Doc:
    return {**target(), "spec": {**target()["spec"], "deploymentPatchSet": patch_set}}


def _cluster(**spec: object) -> SessionCluster:
    return effective_session_cluster_model(session_cluster(**spec), prepare_target(target()))


def _fields(error: SpecValidationError) -> list[str]:
    return [problem.field for problem in error.problems]


# The SessionCluster model


def test_a_session_cluster_has_the_deployment_defaults_and_one_task_manager() -> None:
    spec = parse_model(SessionCluster, session_cluster()).spec

    assert (spec.state, spec.flink_version, spec.number_of_task_managers) == ("RUNNING", "1.20", 1)
    assert spec.resources.taskmanager.memory == "2g"


def test_a_session_cluster_rejects_an_unknown_field_by_name() -> None:
    with pytest.raises(SpecValidationError) as caught:
        parse_model(SessionCluster, session_cluster(parallelism=2))

    assert _fields(caught.value) == ["spec.parallelism"]


def test_a_session_cluster_rejects_a_state_deployments_have() -> None:
    with pytest.raises(SpecValidationError) as caught:
        parse_model(SessionCluster, session_cluster(state="SUSPENDED"))

    assert _fields(caught.value) == ["spec.state"]


def test_a_session_cluster_name_follows_the_deployment_rules() -> None:
    with pytest.raises(SpecValidationError) as caught:
        parse_model(SessionCluster, session_cluster("Shared_Cluster"))

    assert "not a valid SessionCluster name" in caught.value.problems[0].reason


def test_a_session_cluster_rejects_an_unknown_flink_version() -> None:
    with pytest.raises(SpecValidationError) as caught:
        parse_model(SessionCluster, session_cluster(flinkVersion="1.9"))

    assert _fields(caught.value) == ["spec.flinkVersion"]


# The target's patch set reaches the session cluster


def test_the_targets_patch_set_applies_to_the_session_cluster_at_deployment_paths() -> None:
    cluster = effective_session_cluster(session_cluster(), _target_with(SEED_PATCH_SET))

    assert cluster["spec"]["flinkConfiguration"] == {
        "state.checkpoints.dir": "s3://flink/checkpoints",
        "state.savepoints.dir": "s3://flink/savepoints",
    }


def test_a_patch_may_set_the_image_of_a_session_cluster_through_the_artifact_path() -> None:
    patch = {"op": "add", "path": "/spec/template/spec/artifact/flinkImageTag", "value": "1.20-j17"}

    cluster = effective_session_cluster(session_cluster(), _target_with([patch]))

    assert cluster["spec"]["flinkImageTag"] == "1.20-j17"


def test_a_patch_writing_a_job_field_fails_the_session_cluster_naming_the_field() -> None:
    patch = {"op": "add", "path": "/spec/template/spec/parallelism", "value": 4}

    with pytest.raises(SpecValidationError) as caught:
        effective_session_cluster(session_cluster(), _target_with([patch]))

    assert _fields(caught.value) == ["spec.template.spec.parallelism"]
    assert "deploymentPatchSet of deploymentTarget 'prod'" in caught.value.problems[0].reason


def test_a_patch_may_not_rename_the_session_cluster() -> None:
    patch = {"op": "replace", "path": "/metadata/name", "value": "other"}

    with pytest.raises(PatchSetError) as caught:
        effective_session_cluster(session_cluster(), _target_with([patch]))

    assert caught.value.index == 0


def test_a_session_cluster_naming_another_target_is_refused() -> None:
    with pytest.raises(SpecValidationError) as caught:
        effective_session_cluster(session_cluster(target_name="staging"), target())

    assert _fields(caught.value) == ["spec.deploymentTargetName"]


# What a Deployment in session mode may contain


@pytest.mark.parametrize(
    ("template", "field"),
    [
        ({"numberOfTaskManagers": 2}, "spec.template.spec.numberOfTaskManagers"),
        ({"resources": {"taskmanager": {"cpu": 2}}}, "spec.template.spec.resources"),
        ({"logging": {"log4jLoggers": {"": "DEBUG"}}}, "spec.template.spec.logging"),
        ({"kubernetes": {"pods": {"labels": {"a": "b"}}}}, "spec.template.spec.kubernetes"),
    ],
)
def test_a_session_job_may_not_set_cluster_level_fields(template: Doc, field: str) -> None:
    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(session_job(**template), _cluster())

    assert _fields(caught.value) == [field]
    assert caught.value.problems[0].reason.startswith("not allowed in session mode")


def test_a_session_job_may_not_set_image_coordinates() -> None:
    job = session_job()
    job["spec"]["template"]["spec"]["artifact"]["flinkImageTag"] = "custom"

    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(job, _cluster())

    assert _fields(caught.value) == ["spec.template.spec.artifact.flinkImageTag"]


def test_a_session_job_may_not_also_name_a_target() -> None:
    job = session_job(spec={"deploymentTargetName": "prod"})

    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(job, _cluster())

    assert _fields(caught.value) == ["spec.deploymentTargetName"]


def test_a_session_job_keeps_job_level_fields_and_leaves_out_cluster_ones() -> None:
    job = session_job(parallelism=1, flinkConfiguration={"pipeline.name": "clicks"})

    effective = effective_session_deployment(job, _cluster())

    template_spec = effective["spec"]["template"]["spec"]
    assert effective["spec"]["sessionClusterName"] == "shared"
    assert template_spec["flinkConfiguration"] == {"pipeline.name": "clicks"}
    assert not {"resources", "logging", "kubernetes", "numberOfTaskManagers"} & set(template_spec)


def test_a_session_job_naming_another_cluster_is_refused() -> None:
    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(session_job(cluster="other"), _cluster())

    assert _fields(caught.value) == ["spec.sessionClusterName"]


def test_a_session_jobs_flink_version_must_match_the_cluster() -> None:
    job = session_job()
    job["spec"]["template"]["spec"]["artifact"]["flinkVersion"] = "1.19"

    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(job, _cluster())

    assert _fields(caught.value) == ["spec.template.spec.artifact.flinkVersion"]


def test_a_session_jobs_parallelism_must_fit_the_clusters_slots() -> None:
    cluster = _cluster(
        numberOfTaskManagers=2, flinkConfiguration={"taskmanager.numberOfTaskSlots": 2}
    )

    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(session_job(parallelism=5), cluster)

    assert _fields(caught.value) == ["spec.template.spec.parallelism"]
    assert "2 TaskManagers x 2 slots" in caught.value.problems[0].reason


def test_a_session_job_jar_scheme_must_be_in_the_operators_allowlist() -> None:
    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(session_job(jar_uri="s3://jobs/clicks.jar"), _cluster())

    assert _fields(caught.value) == ["spec.template.spec.artifact.jarUri"]
    assert "kubernetes.operator.user.artifacts.allowed-schemes" in caught.value.problems[0].reason


def test_an_extended_allowlist_accepts_the_scheme() -> None:
    job = session_job(jar_uri="s3://jobs/clicks.jar")

    effective = effective_session_deployment(job, _cluster(), allowed_jar_schemes=("https", "S3"))

    assert effective["spec"]["template"]["spec"]["artifact"]["jarUri"] == "s3://jobs/clicks.jar"


def test_a_stateful_session_job_needs_checkpoints_in_the_clusters_configuration() -> None:
    stateful = session_job(spec={"upgradeStrategy": {"kind": "STATEFUL"}})

    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(stateful, _cluster())

    assert _fields(caught.value) == ["spec.template.spec.flinkConfiguration"]
    assert "SessionCluster 'shared'" in caught.value.problems[0].reason


def test_the_clusters_patched_configuration_satisfies_a_stateful_session_job() -> None:
    cluster = effective_session_cluster_model(
        session_cluster(), prepare_target(_target_with(SEED_PATCH_SET))
    )
    stateful = session_job(spec={"upgradeStrategy": {"kind": "STATEFUL"}})

    effective = effective_session_deployment(stateful, cluster)

    assert effective["spec"]["upgradeStrategy"] == {"kind": "STATEFUL"}


def test_no_session_job_may_run_in_a_stopped_cluster() -> None:
    with pytest.raises(SpecValidationError) as caught:
        effective_session_deployment(session_job(), _cluster(state="STOPPED"))

    assert _fields(caught.value) == ["spec.sessionClusterName"]
    assert "STOPPED" in caught.value.problems[0].reason


def test_application_mode_refuses_a_deployment_naming_a_session_cluster() -> None:
    with pytest.raises(SpecValidationError) as caught:
        render_manifests(session_job(), target())

    assert "spec.sessionClusterName" in _fields(caught.value)


# Rendering


def test_a_session_cluster_renders_rbac_and_a_flink_deployment_without_job() -> None:
    manifests = render_session_cluster_manifests(session_cluster(numberOfTaskManagers=3), target())

    kinds = [manifest["kind"] for manifest in manifests]
    flink = manifests[-1]
    assert kinds == ["ServiceAccount", "Role", "RoleBinding", "FlinkDeployment"]
    assert "job" not in flink["spec"]
    assert flink["metadata"]["namespace"] == "flink-jobs"
    assert flink["spec"]["taskManager"]["replicas"] == 3
    assert flink["metadata"]["labels"]["pulumi-flink.dev/session-cluster"] == "shared"


def test_a_session_cluster_switches_no_job_level_ha_on() -> None:
    manifests = render_session_cluster_manifests(session_cluster(), _target_with(SEED_PATCH_SET))

    assert "high-availability.type" not in manifests[-1]["spec"]["flinkConfiguration"]


def test_a_stopped_session_cluster_renders_no_flink_deployment() -> None:
    manifests = render_session_cluster_manifests(session_cluster(state="STOPPED"), target())

    assert [manifest["kind"] for manifest in manifests] == ["ServiceAccount", "Role", "RoleBinding"]


def test_a_session_job_renders_a_flink_session_job_in_the_clusters_namespace() -> None:
    job = session_job(parallelism=1, flinkConfiguration={"pipeline.name": "clicks"})

    [manifest] = render_session_job_manifests(job, session_cluster(), target())

    assert manifest["kind"] == "FlinkSessionJob"
    assert manifest["metadata"]["namespace"] == "flink-jobs"
    assert manifest["spec"]["deploymentName"] == "shared"
    assert manifest["spec"]["flinkConfiguration"] == {"pipeline.name": "clicks"}
    assert manifest["spec"]["job"] == {
        "jarURI": "https://repo.example.com/jobs/clicks.jar",
        "args": [],
        "parallelism": 1,
        "state": "running",
        "upgradeMode": "stateless",
        "allowNonRestoredState": False,
    }


def test_a_session_job_names_the_clusters_shortened_workload_name() -> None:
    cluster = session_cluster("1-shared")
    flink_deployment = render_session_cluster_manifests(cluster, target())[-1]

    [manifest] = render_session_job_manifests(session_job(cluster="1-shared"), cluster, target())

    assert flink_deployment["metadata"]["name"].startswith("f-1-shared-")
    assert manifest["spec"]["deploymentName"] == flink_deployment["metadata"]["name"]


@pytest.mark.parametrize(
    ("state", "job_state", "upgrade_mode"),
    [("SUSPENDED", "suspended", "stateless"), ("CANCELLED", "suspended", "stateless")],
)
def test_a_session_job_follows_the_strategy_table(
    state: str, job_state: str, upgrade_mode: str
) -> None:
    [manifest] = render_session_job_manifests(
        session_job(spec={"state": state}), session_cluster(), target()
    )

    assert (manifest["spec"]["job"]["state"], manifest["spec"]["job"]["upgradeMode"]) == (
        job_state,
        upgrade_mode,
    )


def test_the_standalone_engine_refuses_a_session_cluster() -> None:
    with pytest.raises(UnsupportedEngineError) as caught:
        render_session_cluster_manifests(session_cluster(), target(), engine="standalone")

    assert caught.value.feature is not None
    assert caught.value.feature.startswith("session mode")


def test_the_standalone_engine_refuses_a_session_job() -> None:
    with pytest.raises(UnsupportedEngineError) as caught:
        render_session_job_manifests(
            session_job(), session_cluster(), target(), engine="standalone"
        )

    assert str(caught.value).startswith("engine: 'standalone' does not support session mode")


def test_an_application_mode_deployment_still_renders_on_the_same_target() -> None:
    kinds = [m["kind"] for m in render_manifests(deployment(), target())]

    assert kinds[-1] == "FlinkDeployment"


def test_a_session_cluster_may_not_combine_pods_and_pod_templates() -> None:
    kubernetes = {
        "pods": {"nodeSelector": {"pool": "flink"}},
        "jobManagerPodTemplate": {"spec": {"containers": []}},
    }

    with pytest.raises(SpecValidationError) as caught:
        effective_session_cluster(session_cluster(kubernetes=kubernetes), target())

    assert _fields(caught.value) == ["spec.kubernetes.pods"]


def test_a_legacy_session_clusters_configuration_is_read_line_by_line() -> None:
    cluster = session_cluster(
        flinkVersion="1.18", flinkConfiguration={"a": "x\nkubernetes.namespace: y"}
    )

    with pytest.raises(SpecValidationError) as caught:
        effective_session_cluster(cluster, target())

    assert _fields(caught.value) == ["spec.flinkConfiguration.a"]


def test_a_session_clusters_flink_version_written_as_a_number_keeps_its_text() -> None:
    spec = parse_model(SessionCluster, session_cluster(flinkVersion=1.19)).spec

    assert spec.flink_version == "1.19"
