"""Specification of the operator engine's ``FlinkDeployment`` (issue 2, rules 7 and 10)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_flink import render_manifests
from tests.unit.documents import SECRET_ENV, Doc
from tests.unit.documents import deployment as _deployment
from tests.unit.documents import target as _target


def _flink_deployment(deployment: Doc) -> Doc:
    [manifest] = [
        m
        for m in render_manifests(deployment, _target(), engine="operator")
        if m["kind"] == "FlinkDeployment"
    ]
    return manifest


def _spec(deployment: Doc) -> Doc:
    spec: Doc = _flink_deployment(deployment)["spec"]
    return spec


def test_flink_deployment_is_flink_apache_org_v1beta1() -> None:
    assert _flink_deployment(_deployment())["apiVersion"] == "flink.apache.org/v1beta1"


def test_flink_deployment_is_named_after_the_vvp_deployment() -> None:
    assert _flink_deployment(_deployment("orders"))["metadata"]["name"] == "orders"


def test_long_name_is_shortened_and_the_full_name_kept_in_an_annotation() -> None:
    name = "customer-orders-enrichment-with-fraud-scoring-and-alerts"

    metadata = _flink_deployment(_deployment(name))["metadata"]

    assert len(metadata["name"]) <= 45
    assert metadata["annotations"]["pulumi-flink.dev/deployment-name"] == name


def test_long_name_is_kept_whole_in_the_deployment_label() -> None:
    name = "customer-orders-enrichment-with-fraud-scoring-and-alerts"

    labels = _flink_deployment(_deployment(name))["metadata"]["labels"]

    assert labels["pulumi-flink.dev/deployment"] == name


def test_template_annotations_are_on_the_flink_deployment() -> None:
    deployment = _deployment()
    deployment["spec"]["template"]["metadata"] = {"annotations": {"owner": "payments"}}

    annotations = _flink_deployment(deployment)["metadata"]["annotations"]

    assert annotations["owner"] == "payments"


def test_template_annotations_cannot_hide_the_full_deployment_name() -> None:
    deployment = _deployment()
    deployment["spec"]["template"]["metadata"] = {
        "annotations": {"pulumi-flink.dev/deployment-name": "spoofed"}
    }

    annotations = _flink_deployment(deployment)["metadata"]["annotations"]

    assert annotations["pulumi-flink.dev/deployment-name"] == "orders"


# --- Version and image (rule 7) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "operator_version"), [("1.20", "v1_20"), ("1.17", "v1_17"), ("2.0", "v2_0")]
)
def test_flink_version_is_spelled_the_operator_way(version: str, operator_version: str) -> None:
    artifact = {"flinkVersion": version, "jarUri": "local:///opt/flink/usrlib/orders.jar"}

    assert _spec(_deployment(artifact=artifact))["flinkVersion"] == operator_version


def test_image_defaults_to_the_public_flink_image_of_the_version() -> None:
    assert _spec(_deployment(artifact={"flinkVersion": "1.19"}))["image"] == "flink:1.19"


def test_image_is_registry_slash_repository_colon_tag() -> None:
    artifact = {
        "flinkImageRegistry": "registry.acme.io",
        "flinkImageRepository": "platform/flink",
        "flinkImageTag": "1.20.1-java17",
    }

    assert _spec(_deployment(artifact=artifact))["image"] == (
        "registry.acme.io/platform/flink:1.20.1-java17"
    )


def test_image_tag_defaults_to_the_flink_version() -> None:
    artifact = {
        "flinkImageRepository": "acme/flink",
        "flinkVersion": "1.18",
        "jarUri": "local:///opt/flink/usrlib/orders.jar",
    }

    assert _spec(_deployment(artifact=artifact))["image"] == "acme/flink:1.18"


def test_image_registry_trailing_slash_is_not_doubled() -> None:
    artifact = {"flinkImageRegistry": "registry.acme.io/", "flinkImageRepository": "flink"}

    assert _spec(_deployment(artifact=artifact))["image"] == "registry.acme.io/flink:1.20"


# --- Job ---------------------------------------------------------------------------------


def test_job_carries_the_jar_uri_and_entry_class() -> None:
    job = _spec(_deployment())["job"]

    assert (job["jarURI"], job["entryClass"]) == ("s3://jobs/orders.jar", "com.acme.Orders")


def test_job_without_entry_class_leaves_it_to_the_jar_manifest() -> None:
    deployment = _deployment()
    del deployment["spec"]["template"]["spec"]["artifact"]["entryClass"]

    assert "entryClass" not in _spec(deployment)["job"]


def test_main_args_are_split_shell_style_into_job_args() -> None:
    artifact = {"mainArgs": "--window 10 --name 'orders by region' --filter \"a b\""}

    assert _spec(_deployment(artifact=artifact))["job"]["args"] == [
        "--window",
        "10",
        "--name",
        "orders by region",
        "--filter",
        "a b",
    ]


def test_job_args_are_empty_without_main_args() -> None:
    assert _spec(_deployment())["job"]["args"] == []


def test_job_parallelism_is_the_deployments() -> None:
    assert _spec(_deployment(parallelism=6))["job"]["parallelism"] == 6


def test_allow_non_restored_state_is_passed_to_the_job() -> None:
    deployment = _deployment(
        spec={"restoreStrategy": {"kind": "NONE", "allowNonRestoredState": True}}
    )

    assert _spec(deployment)["job"]["allowNonRestoredState"] is True


def test_flink_deployment_runs_in_native_mode() -> None:
    assert _spec(_deployment()).get("mode", "native") == "native"


# --- Resources ---------------------------------------------------------------------------


def test_resources_are_converted_to_flink_mebibytes() -> None:
    resources = {
        "jobmanager": {"cpu": 0.5, "memory": "1500m"},
        "taskmanager": {"cpu": 2, "memory": "4Gi"},
    }

    spec = _spec(_deployment(resources=resources))

    assert (spec["jobManager"]["resource"], spec["taskManager"]["resource"]) == (
        {"cpu": 0.5, "memory": "1430m"},
        {"cpu": 2.0, "memory": "4096m"},
    )


def test_one_jobmanager_replica() -> None:
    assert _spec(_deployment())["jobManager"]["replicas"] == 1


def test_task_manager_replicas_are_the_number_of_task_managers() -> None:
    spec = _spec(_deployment(parallelism=4, numberOfTaskManagers=4))

    assert spec["taskManager"]["replicas"] == 4


def test_task_manager_replicas_are_left_to_flink_without_number_of_task_managers() -> None:
    assert "replicas" not in _spec(_deployment())["taskManager"]


# --- Flink configuration and logging -----------------------------------------------------


def test_flink_configuration_is_passed_as_strings() -> None:
    configuration = {"taskmanager.numberOfTaskSlots": 2, "pipeline.object-reuse": True}

    spec = _spec(_deployment(flinkConfiguration=configuration))

    assert spec["flinkConfiguration"] == {
        "taskmanager.numberOfTaskSlots": "2",
        "pipeline.object-reuse": "true",
    }


def test_log_configuration_comes_from_logging() -> None:
    deployment = _deployment(logging={"log4jLoggers": {"": "WARN", "com.acme": "DEBUG"}})

    properties = _spec(deployment)["logConfiguration"]["log4j-console.properties"]

    assert "rootLogger.level = WARN" in properties
    assert "logger.com_acme.name = com.acme\nlogger.com_acme.level = DEBUG" in properties


# --- Pod template from kubernetes.pods ---------------------------------------------------


def _pod_template(**pods: Any) -> Doc:
    template: Doc = _spec(_deployment(kubernetes={"pods": pods}))["podTemplate"]
    return template


def test_pod_template_main_container_is_flink_main_container() -> None:
    assert [c["name"] for c in _pod_template()["spec"]["containers"]] == ["flink-main-container"]


def test_pod_template_carries_env_vars_from_secrets() -> None:
    template = _pod_template(envVars=[{"name": "REGION", "value": "eu"}, SECRET_ENV])

    assert template["spec"]["containers"][0]["env"] == [
        {"name": "REGION", "value": "eu"},
        SECRET_ENV,
    ]


def test_pod_template_mounts_each_volume_under_its_name() -> None:
    template = _pod_template(
        volumeMounts=[
            {
                "name": "truststore",
                "volume": {"secret": {"secretName": "kafka-truststore"}},
                "volumeMount": {"mountPath": "/etc/kafka/ssl", "readOnly": True},
            }
        ]
    )

    assert template["spec"]["volumes"] == [
        {"name": "truststore", "secret": {"secretName": "kafka-truststore"}}
    ]
    assert template["spec"]["containers"][0]["volumeMounts"] == [
        {"name": "truststore", "mountPath": "/etc/kafka/ssl", "readOnly": True}
    ]


def test_pod_template_carries_scheduling_and_security_settings() -> None:
    toleration = {"key": "dedicated", "operator": "Equal", "value": "flink", "effect": "NoSchedule"}
    affinity = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}}
    template = _pod_template(
        nodeSelector={"pool": "flink"},
        tolerations=[toleration],
        affinity=affinity,
        securityContext={"runAsUser": 9999, "fsGroup": 9999},
        imagePullSecrets=[{"name": "registry-acme"}],
    )

    spec = template["spec"]
    assert (
        spec["nodeSelector"],
        spec["tolerations"],
        spec["affinity"],
        spec["securityContext"],
        spec["imagePullSecrets"],
    ) == (
        {"pool": "flink"},
        [toleration],
        affinity,
        {"runAsUser": 9999, "fsGroup": 9999},
        [{"name": "registry-acme"}],
    )


def test_pod_template_carries_pod_labels_and_annotations() -> None:
    template = _pod_template(
        labels={"team": "payments"}, annotations={"prometheus.io/scrape": "true"}
    )

    assert template["metadata"]["labels"]["team"] == "payments"
    assert template["metadata"]["annotations"] == {"prometheus.io/scrape": "true"}


def test_pod_template_labels_identify_the_deployment() -> None:
    labels = _pod_template()["metadata"]["labels"]

    assert labels["pulumi-flink.dev/deployment"] == "orders"


def test_our_pod_labels_win_over_user_pod_labels() -> None:
    labels = _pod_template(labels={"pulumi-flink.dev/deployment": "spoofed"})["metadata"]["labels"]

    assert labels["pulumi-flink.dev/deployment"] == "orders"


# --- Full pod templates ------------------------------------------------------------------


def _with_pod_templates() -> Doc:
    return _deployment(
        kubernetes={
            "jobManagerPodTemplate": {
                "spec": {
                    "containers": [
                        {"name": "flink-jobmanager", "env": [{"name": "ROLE", "value": "jm"}]}
                    ],
                    "initContainers": [{"name": "fetch-jar", "image": "busybox:1.36"}],
                }
            },
            "taskManagerPodTemplate": {
                "metadata": {"labels": {"tier": "compute"}},
                "spec": {
                    "containers": [
                        {"name": "flink-taskmanager"},
                        {"name": "log-shipper", "image": "fluent/fluent-bit:3.0"},
                    ]
                },
            },
        }
    )


def test_jobmanager_pod_template_renames_the_vvp_container_to_flink_main_container() -> None:
    job_manager = _spec(_with_pod_templates())["jobManager"]["podTemplate"]

    assert job_manager["spec"]["containers"] == [
        {"name": "flink-main-container", "env": [{"name": "ROLE", "value": "jm"}]}
    ]


def test_jobmanager_pod_template_keeps_init_containers() -> None:
    job_manager = _spec(_with_pod_templates())["jobManager"]["podTemplate"]

    assert job_manager["spec"]["initContainers"] == [{"name": "fetch-jar", "image": "busybox:1.36"}]


def test_taskmanager_pod_template_keeps_sidecars_next_to_the_main_container() -> None:
    task_manager = _spec(_with_pod_templates())["taskManager"]["podTemplate"]

    assert [c["name"] for c in task_manager["spec"]["containers"]] == [
        "flink-main-container",
        "log-shipper",
    ]


def test_taskmanager_pod_template_keeps_its_labels_and_gains_ours() -> None:
    labels = _spec(_with_pod_templates())["taskManager"]["podTemplate"]["metadata"]["labels"]

    assert (labels["tier"], labels["pulumi-flink.dev/deployment"]) == ("compute", "orders")
