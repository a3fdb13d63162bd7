"""Specification of the standalone engine (issue 2, rule 11).

apps/v1 Deployments ``<name>-jobmanager`` and ``<name>-taskmanager``, a
JobManager Service, a ConfigMap with ``config.yaml`` and
``log4j-console.properties``; TaskManager replicas = ``numberOfTaskManagers``,
else ceil(parallelism / ``taskmanager.numberOfTaskSlots``, default 1).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from pulumi_flink import render_manifests
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.render.java import JAVA_17_OPTIONS
from tests.unit.documents import SECRET_ENV, Doc, deployment
from tests.unit.documents import target as _target


def _deployment(*args: Any, **kwargs: Any) -> Doc:
    """The shared Deployment with a jar inside the image (``local://``)."""
    return deployment(*args, jar_uri="local:///opt/flink/usrlib/orders.jar", **kwargs)


def _rendered(deployment: Doc) -> list[Doc]:
    return render_manifests(deployment, _target(), engine="standalone")


def _object(deployment: Doc, kind: str, name: str) -> Doc:
    [manifest] = [
        m for m in _rendered(deployment) if m["kind"] == kind and m["metadata"]["name"] == name
    ]
    return manifest


def _jobmanager(deployment: Doc) -> Doc:
    return _object(deployment, "Deployment", "orders-jobmanager")


def _taskmanager(deployment: Doc) -> Doc:
    return _object(deployment, "Deployment", "orders-taskmanager")


def _main_container(workload: Doc) -> Doc:
    [container] = [
        c
        for c in workload["spec"]["template"]["spec"]["containers"]
        if c["name"] == "flink-main-container"
    ]
    return container


def _config_map(deployment: Doc) -> Doc:
    return _object(deployment, "ConfigMap", "orders-config")


def _flink_config(deployment: Doc) -> Doc:
    configuration: Doc = yaml.safe_load(_config_map(deployment)["data"]["config.yaml"])
    return configuration


# --- Objects -----------------------------------------------------------------------------


def test_standalone_renders_jobmanager_and_taskmanager_apps_v1_deployments() -> None:
    workloads = [
        (m["apiVersion"], m["metadata"]["name"])
        for m in _rendered(_deployment())
        if m["kind"] == "Deployment"
    ]

    assert workloads == [("apps/v1", "orders-jobmanager"), ("apps/v1", "orders-taskmanager")]


def test_standalone_renders_no_flink_deployment() -> None:
    assert "FlinkDeployment" not in {m["kind"] for m in _rendered(_deployment())}


def test_jobmanager_service_exposes_rpc_blob_and_ui_ports() -> None:
    service = _object(_deployment(), "Service", "orders-jobmanager")

    assert [(p["name"], p["port"]) for p in service["spec"]["ports"]] == [
        ("rpc", 6123),
        ("blob-server", 6124),
        ("webui", 8081),
    ]


def test_jobmanager_service_selects_only_the_jobmanager_pods() -> None:
    deployment = _deployment()
    service = _object(deployment, "Service", "orders-jobmanager")
    jobmanager_labels = _jobmanager(deployment)["spec"]["template"]["metadata"]["labels"]
    taskmanager_labels = _taskmanager(deployment)["spec"]["template"]["metadata"]["labels"]

    selector = service["spec"]["selector"].items()
    assert selector <= jobmanager_labels.items()
    assert not selector <= taskmanager_labels.items()


# --- Configuration -----------------------------------------------------------------------


def test_config_map_holds_config_yaml_and_log4j_console_properties() -> None:
    assert set(_config_map(_deployment())["data"]) == {"config.yaml", "log4j-console.properties"}


def test_config_map_holds_flink_conf_yaml_before_flink_1_19() -> None:
    data = _config_map(_deployment(artifact={"flinkVersion": "1.18"}))["data"]

    assert set(data) == {"flink-conf.yaml", "log4j-console.properties"}


def test_flink_conf_yaml_is_plain_key_colon_value_lines_without_yaml_quotes() -> None:
    # Flink before 1.19 does not unquote: '6123' would reach it with its quotes.
    text = _config_map(_deployment(artifact={"flinkVersion": "1.18"}))["data"]["flink-conf.yaml"]

    assert "jobmanager.rpc.port: 6123\n" in text
    assert "'" not in text


def test_config_yaml_carries_the_flink_configuration() -> None:
    deployment = _deployment(
        flinkConfiguration={"pipeline.name": "orders", "pipeline.object-reuse": True}
    )

    configuration = _flink_config(deployment)

    assert (configuration["pipeline.name"], configuration["pipeline.object-reuse"]) == (
        "orders",
        "true",
    )


def test_config_yaml_sets_parallelism_default() -> None:
    assert _flink_config(_deployment(parallelism=6))["parallelism.default"] == "6"


def test_config_yaml_points_at_the_jobmanager_service_and_its_ports() -> None:
    configuration = _flink_config(_deployment())

    assert {
        key: configuration[key]
        for key in (
            "jobmanager.rpc.address",
            "jobmanager.rpc.port",
            "blob.server.port",
            "rest.port",
        )
    } == {
        "jobmanager.rpc.address": "orders-jobmanager",
        "jobmanager.rpc.port": "6123",
        "blob.server.port": "6124",
        "rest.port": "8081",
    }


def test_config_yaml_sets_process_memory_in_flink_mebibytes() -> None:
    resources = {
        "jobmanager": {"cpu": 1, "memory": "1500m"},
        "taskmanager": {"cpu": 1, "memory": "4Gi"},
    }

    configuration = _flink_config(_deployment(resources=resources))

    assert (
        configuration["jobmanager.memory.process.size"],
        configuration["taskmanager.memory.process.size"],
    ) == ("1430m", "4096m")


def test_user_flink_configuration_wins_over_our_defaults() -> None:
    deployment = _deployment(flinkConfiguration={"rest.port": "8082"})

    assert _flink_config(deployment)["rest.port"] == "8082"


def test_config_map_is_mounted_at_opt_flink_conf_in_both_workloads() -> None:
    deployment = _deployment()

    for workload in (_jobmanager(deployment), _taskmanager(deployment)):
        pod = workload["spec"]["template"]["spec"]
        assert {"name": "flink-config", "configMap": {"name": "orders-config"}} in pod["volumes"]
        assert {"name": "flink-config", "mountPath": "/opt/flink/conf"} in _main_container(
            workload
        )["volumeMounts"]


def test_log4j_console_properties_come_from_logging() -> None:
    deployment = _deployment(logging={"log4jLoggers": {"": "ERROR"}})

    properties = _config_map(deployment)["data"]["log4j-console.properties"]

    assert "rootLogger.level = ERROR" in properties


# --- TaskManager replicas ----------------------------------------------------------------


def test_taskmanager_replicas_are_the_number_of_task_managers() -> None:
    deployment = _deployment(parallelism=2, numberOfTaskManagers=3)

    assert _taskmanager(deployment)["spec"]["replicas"] == 3


@pytest.mark.parametrize(
    ("parallelism", "slots", "replicas"), [(5, "2", 3), (4, "2", 2), (1, "4", 1), (7, "1", 7)]
)
def test_taskmanager_replicas_are_parallelism_over_slots_rounded_up(
    parallelism: int, slots: str, replicas: int
) -> None:
    deployment = _deployment(
        parallelism=parallelism, flinkConfiguration={"taskmanager.numberOfTaskSlots": slots}
    )

    assert _taskmanager(deployment)["spec"]["replicas"] == replicas


def test_slots_default_to_one_per_taskmanager() -> None:
    assert _taskmanager(_deployment(parallelism=3))["spec"]["replicas"] == 3


def test_one_jobmanager_replica_while_running() -> None:
    assert _jobmanager(_deployment())["spec"]["replicas"] == 1


# --- Processes ---------------------------------------------------------------------------


def test_jobmanager_runs_standalone_job_with_the_entry_class() -> None:
    args = _main_container(_jobmanager(_deployment()))["args"]

    assert args[:3] == ["standalone-job", "--job-classname", "com.acme.Orders"]


def test_jobmanager_passes_main_args_split_shell_style_last() -> None:
    deployment = _deployment(artifact={"mainArgs": "--window 10 --name 'orders by region'"})

    args = _main_container(_jobmanager(deployment))["args"]

    assert args[-4:] == ["--window", "10", "--name", "orders by region"]


def test_jobmanager_allows_non_restored_state_when_asked() -> None:
    deployment = _deployment(
        spec={"restoreStrategy": {"kind": "NONE", "allowNonRestoredState": True}}
    )

    assert "--allowNonRestoredState" in _main_container(_jobmanager(deployment))["args"]


def test_jobmanager_does_not_allow_non_restored_state_by_default() -> None:
    assert "--allowNonRestoredState" not in _main_container(_jobmanager(_deployment()))["args"]


def test_taskmanager_runs_taskmanager() -> None:
    assert _main_container(_taskmanager(_deployment()))["args"] == ["taskmanager"]


def test_both_processes_know_the_jobmanager_rpc_address() -> None:
    deployment = _deployment()

    for workload in (_jobmanager(deployment), _taskmanager(deployment)):
        assert {"name": "JOB_MANAGER_RPC_ADDRESS", "value": "orders-jobmanager"} in (
            _main_container(workload)["env"]
        )


def test_containers_run_the_artifact_image() -> None:
    deployment = _deployment(
        artifact={"flinkImageRepository": "acme/flink", "flinkImageTag": "1.20-orders"}
    )

    images = {
        _main_container(w)["image"] for w in (_jobmanager(deployment), _taskmanager(deployment))
    }

    assert images == {"acme/flink:1.20-orders"}


def test_container_resources_are_requested_and_limited_in_kubernetes_units() -> None:
    resources = {
        "jobmanager": {"cpu": 0.5, "memory": "1500m"},
        "taskmanager": {"cpu": 2, "memory": "2g"},
    }

    jobmanager = _main_container(_jobmanager(_deployment(resources=resources)))["resources"]

    assert jobmanager == {
        "requests": {"cpu": "500m", "memory": "1430Mi"},
        "limits": {"cpu": "500m", "memory": "1430Mi"},
    }


def test_taskmanager_container_resources_follow_the_taskmanager_settings() -> None:
    resources = {"taskmanager": {"cpu": 2, "memory": "2g"}}

    taskmanager = _main_container(_taskmanager(_deployment(resources=resources)))["resources"]

    assert taskmanager["limits"] == {"cpu": "2000m", "memory": "1907Mi"}


# --- Selectors and pod settings ----------------------------------------------------------


def test_each_deployment_selector_matches_its_pod_template() -> None:
    deployment = _deployment()

    for workload in (_jobmanager(deployment), _taskmanager(deployment)):
        selector = workload["spec"]["selector"]["matchLabels"].items()
        assert selector <= workload["spec"]["template"]["metadata"]["labels"].items()


def test_user_pod_labels_cannot_break_the_selector() -> None:
    deployment = _deployment(
        kubernetes={"pods": {"labels": {"app.kubernetes.io/component": "mine", "team": "payments"}}}
    )

    for workload in (_jobmanager(deployment), _taskmanager(deployment)):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert workload["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert labels["team"] == "payments"


def test_user_env_vars_come_after_ours() -> None:
    deployment = _deployment(kubernetes={"pods": {"envVars": [SECRET_ENV]}})

    env = _main_container(_taskmanager(deployment))["env"]

    assert env == [{"name": "JOB_MANAGER_RPC_ADDRESS", "value": "orders-jobmanager"}, SECRET_ENV]


def test_user_volumes_are_mounted_next_to_the_configuration() -> None:
    mount = {
        "name": "truststore",
        "volume": {"secret": {"secretName": "kafka-truststore"}},
        "volumeMount": {"mountPath": "/etc/kafka/ssl"},
    }
    workload = _jobmanager(_deployment(kubernetes={"pods": {"volumeMounts": [mount]}}))

    pod = workload["spec"]["template"]["spec"]
    assert [v["name"] for v in pod["volumes"]] == ["flink-config", "truststore"]
    assert [m["name"] for m in _main_container(workload)["volumeMounts"]] == [
        "flink-config",
        "truststore",
    ]


def test_user_node_selector_applies_to_both_workloads() -> None:
    deployment = _deployment(kubernetes={"pods": {"nodeSelector": {"pool": "flink"}}})

    for workload in (_jobmanager(deployment), _taskmanager(deployment)):
        assert workload["spec"]["template"]["spec"]["nodeSelector"] == {"pool": "flink"}


def test_jobmanager_pod_template_is_merged_into_the_jobmanager_only() -> None:
    deployment = _deployment(
        kubernetes={
            "jobManagerPodTemplate": {
                "spec": {
                    "containers": [
                        {"name": "flink-jobmanager", "env": [{"name": "ROLE", "value": "jm"}]},
                        {"name": "log-shipper", "image": "fluent/fluent-bit:3.0"},
                    ]
                }
            }
        }
    )

    jobmanager = _jobmanager(deployment)["spec"]["template"]["spec"]
    taskmanager = _taskmanager(deployment)["spec"]["template"]["spec"]
    assert [c["name"] for c in jobmanager["containers"]] == ["flink-main-container", "log-shipper"]
    assert {"name": "ROLE", "value": "jm"} in jobmanager["containers"][0]["env"]
    assert [c["name"] for c in taskmanager["containers"]] == ["flink-main-container"]


# --- What a real Flink process needs (issue 17) ------------------------------------------


def _java_options(deployment: Doc, file_name: str = "config.yaml") -> dict[str, str]:
    data = _config_map(deployment)["data"][file_name]
    configuration = (
        yaml.safe_load(data)
        if file_name == "config.yaml"
        else dict(line.split(": ", 1) for line in data.splitlines())
    )
    return {key: value for key, value in configuration.items() if key.startswith("env.java.")}


@pytest.mark.parametrize("version", ["1.19", "1.20", "2.0", "2.4"])
def test_java_17_module_options_are_default_options_from_flink_1_19(version: str) -> None:
    options = _java_options(_deployment(artifact={"flinkVersion": version}))

    assert options == {"env.java.default-opts.all": JAVA_17_OPTIONS}


def test_user_java_options_add_to_the_java_17_options_from_flink_1_19() -> None:
    deployment = _deployment(flinkConfiguration={"env.java.opts.all": "-Dorders=1"})

    assert _java_options(deployment) == {
        "env.java.default-opts.all": JAVA_17_OPTIONS,
        "env.java.opts.all": "-Dorders=1",
    }


def test_flink_1_18_gets_the_java_17_options_before_the_users_own() -> None:
    deployment = _deployment(
        artifact={"flinkVersion": "1.18"}, flinkConfiguration={"env.java.opts.all": "-Dorders=1"}
    )

    assert _java_options(deployment, "flink-conf.yaml") == {
        "env.java.opts.all": f"{JAVA_17_OPTIONS} -Dorders=1"
    }


def test_flink_before_1_18_gets_no_java_17_options() -> None:
    assert _java_options(_deployment(artifact={"flinkVersion": "1.17"}), "flink-conf.yaml") == {}


def _checksums(deployment: Doc) -> set[str]:
    return {
        workload["spec"]["template"]["metadata"]["annotations"]["pulumi-flink.dev/config-checksum"]
        for workload in (_jobmanager(deployment), _taskmanager(deployment))
    }


def test_both_pod_templates_carry_the_same_configuration_checksum() -> None:
    assert len(_checksums(_deployment())) == 1


def test_a_configuration_change_changes_both_pod_templates() -> None:
    # Flink reads its configuration only at start: the pods must roll.
    assert _checksums(_deployment(parallelism=1)) != _checksums(_deployment(parallelism=3))


def test_an_unchanged_configuration_keeps_the_pod_templates() -> None:
    assert _checksums(_deployment(parallelism=2)) == _checksums(_deployment(parallelism=2))


def test_jobmanager_service_routes_every_port_the_configuration_names() -> None:
    deployment = _deployment()
    configuration = _flink_config(deployment)
    service = _object(deployment, "Service", "orders-jobmanager")
    container_ports = {
        p["containerPort"] for p in _main_container(_jobmanager(deployment))["ports"]
    }

    routed = {(p["port"], p["targetPort"]) for p in service["spec"]["ports"]}
    for key in ("jobmanager.rpc.port", "blob.server.port", "rest.port"):
        port = int(configuration[key])
        assert (port, port) in routed, key
        assert port in container_ports, key


def test_the_rpc_address_is_the_service_name() -> None:
    deployment = _deployment()
    service = _object(deployment, "Service", "orders-jobmanager")

    assert _flink_config(deployment)["jobmanager.rpc.address"] == service["metadata"]["name"]


def _mebibytes(quantity: str, unit: str) -> int:
    assert quantity.endswith(unit), quantity
    return int(quantity.removesuffix(unit))


@pytest.mark.parametrize("memory", ["1g", "1500m", "2Gi", "3.5g"])
@pytest.mark.parametrize("component", ["jobmanager", "taskmanager"])
def test_the_flink_process_size_fits_the_container_memory_limit(
    memory: str, component: str
) -> None:
    deployment = _deployment(resources={component: {"cpu": 1, "memory": memory}})
    process_size = _flink_config(deployment)[f"{component}.memory.process.size"]
    workload = _object(deployment, "Deployment", f"orders-{component}")
    limit = _main_container(workload)["resources"]["limits"]["memory"]

    assert _mebibytes(process_size, "m") <= _mebibytes(limit, "Mi")


def test_a_user_rest_port_moves_the_service_and_the_container_port() -> None:
    deployment = _deployment(flinkConfiguration={"rest.port": "8082"})
    service = _object(deployment, "Service", "orders-jobmanager")

    assert {"name": "webui", "port": 8082, "targetPort": 8082} in service["spec"]["ports"]
    assert {"name": "webui", "containerPort": 8082} in _main_container(_jobmanager(deployment))[
        "ports"
    ]


def test_a_port_range_is_refused_naming_the_key() -> None:
    with pytest.raises(SpecValidationError, match=r"flinkConfiguration\.blob\.server\.port"):
        _rendered(_deployment(flinkConfiguration={"blob.server.port": "6124-6130"}))


def test_the_jobmanager_is_ready_only_while_its_job_runs() -> None:
    probe = _main_container(_jobmanager(_deployment()))["readinessProbe"]

    script = probe["exec"]["command"][-1]
    assert "/jobs/overview" in script
    assert '"state":"RUNNING"' in script


def test_the_readiness_probe_reads_the_configured_rest_port() -> None:
    container = _main_container(_jobmanager(_deployment(flinkConfiguration={"rest.port": "8090"})))

    assert {"name": "FLINK_REST_PORT", "value": "8090"} in container["env"]
    assert "${FLINK_REST_PORT:-8081}" in container["readinessProbe"]["exec"]["command"][-1]


def test_taskmanagers_have_no_readiness_probe() -> None:
    assert "readinessProbe" not in _main_container(_taskmanager(_deployment()))


def test_taskmanagers_reach_the_jobmanager_before_it_is_ready() -> None:
    # Otherwise the job could never get its slots and the JobManager never be Ready.
    service = _object(_deployment(), "Service", "orders-jobmanager")

    assert service["spec"]["publishNotReadyAddresses"] is True


def test_the_jobmanager_is_replaced_not_rolled() -> None:
    # A second JobManager beside the first would wait forever for the HA leadership.
    assert _jobmanager(_deployment())["spec"]["strategy"] == {"type": "Recreate"}


def test_taskmanagers_roll_as_usual() -> None:
    assert "strategy" not in _taskmanager(_deployment())["spec"]
