"""Specification of the strategy and state mapping (issue 2, rule 12).

======================================  ===============  ==================
VVP                                     operator         standalone
======================================  ===============  ==================
STATEFUL (or NONE) + LATEST_STATE       ``last-state``   Kubernetes HA on
STATEFUL (or NONE) + LATEST_SAVEPOINT   ``savepoint``    no HA
STATELESS, or restore NONE              ``stateless``    no HA
RUNNING                                 ``running``      replicas as computed
SUSPENDED                               ``suspended``    replicas 0
CANCELLED                               ``suspended`` +  replicas 0
                                        ``stateless``
======================================  ===============  ==================
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from pulumi_flink import SpecValidationError, render_manifests

Doc = dict[str, Any]

CHECKPOINTS = "state.checkpoints.dir"
SAVEPOINTS = "state.savepoints.dir"
BOTH_DIRS = {CHECKPOINTS: "s3://ckpt/orders", SAVEPOINTS: "s3://savepoints/orders"}


def _deployment(
    *,
    upgrade: str = "STATEFUL",
    restore: str = "LATEST_STATE",
    state: str = "RUNNING",
    configuration: Doc | None = None,
) -> Doc:
    return {
        "metadata": {"name": "orders"},
        "spec": {
            "state": state,
            "upgradeStrategy": {"kind": upgrade},
            "restoreStrategy": {"kind": restore},
            "template": {
                "spec": {
                    "artifact": {"jarUri": "s3://jobs/orders.jar"},
                    "parallelism": 2,
                    "flinkConfiguration": BOTH_DIRS if configuration is None else configuration,
                }
            },
        },
    }


def _target(*patch_set: Doc) -> Doc:
    return {
        "metadata": {"name": "prod"},
        "spec": {"kubernetes": {"namespace": "flink-jobs"}, "deploymentPatchSet": list(patch_set)},
    }


def _flink_deployment_spec(deployment: Doc, target: Doc | None = None) -> Doc:
    [manifest] = [
        m
        for m in render_manifests(deployment, target or _target(), engine="operator")
        if m["kind"] == "FlinkDeployment"
    ]
    spec: Doc = manifest["spec"]
    return spec


def _standalone(deployment: Doc) -> dict[str, Doc]:
    manifests = render_manifests(deployment, _target(), engine="standalone")
    return {f"{m['kind']}/{m['metadata']['name']}": m for m in manifests}


def _standalone_config(deployment: Doc) -> Doc:
    config_map = _standalone(deployment)["ConfigMap/orders-config"]
    data = config_map["data"]
    configuration: Doc = yaml.safe_load(data.get("config.yaml") or data["flink-conf.yaml"])
    return configuration


def _missing_directory(deployment: Doc) -> SpecValidationError:
    with pytest.raises(SpecValidationError) as caught:
        render_manifests(deployment, _target())
    return caught.value


# --- Upgrade mode ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upgrade", "restore", "mode"),
    [
        ("STATEFUL", "LATEST_STATE", "last-state"),
        ("STATEFUL", "LATEST_SAVEPOINT", "savepoint"),
        ("STATEFUL", "NONE", "stateless"),
        ("STATELESS", "LATEST_STATE", "stateless"),
        ("STATELESS", "LATEST_SAVEPOINT", "stateless"),
        ("STATELESS", "NONE", "stateless"),
        ("NONE", "LATEST_STATE", "last-state"),
        ("NONE", "LATEST_SAVEPOINT", "savepoint"),
        ("NONE", "NONE", "stateless"),
    ],
)
def test_upgrade_and_restore_strategies_map_to_an_upgrade_mode(
    upgrade: str, restore: str, mode: str
) -> None:
    spec = _flink_deployment_spec(_deployment(upgrade=upgrade, restore=restore))

    assert spec["job"]["upgradeMode"] == mode


# --- Job state ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "job_state"),
    [("RUNNING", "running"), ("SUSPENDED", "suspended"), ("CANCELLED", "suspended")],
)
def test_vvp_state_maps_to_the_job_state(state: str, job_state: str) -> None:
    assert _flink_deployment_spec(_deployment(state=state))["job"]["state"] == job_state


def test_suspended_keeps_the_stateful_upgrade_mode() -> None:
    spec = _flink_deployment_spec(_deployment(state="SUSPENDED", restore="LATEST_SAVEPOINT"))

    assert spec["job"]["upgradeMode"] == "savepoint"


def test_cancelled_is_stateless_so_a_later_start_begins_from_empty_state() -> None:
    spec = _flink_deployment_spec(_deployment(state="CANCELLED"))

    assert (spec["job"]["state"], spec["job"]["upgradeMode"]) == ("suspended", "stateless")


def test_cancelled_needs_no_state_directories() -> None:
    spec = _flink_deployment_spec(_deployment(state="CANCELLED", configuration={}))

    assert spec["job"]["upgradeMode"] == "stateless"


@pytest.mark.parametrize("state", ["SUSPENDED", "CANCELLED"])
def test_standalone_scales_both_workloads_to_zero_unless_running(state: str) -> None:
    objects = _standalone(_deployment(state=state))

    replicas = [
        objects[name]["spec"]["replicas"]
        for name in ("Deployment/orders-jobmanager", "Deployment/orders-taskmanager")
    ]
    assert replicas == [0, 0]


def test_standalone_keeps_its_configuration_while_suspended() -> None:
    objects = _standalone(_deployment(state="SUSPENDED"))

    assert "ConfigMap/orders-config" in objects


# --- Kubernetes HA for last-state --------------------------------------------------------


def test_last_state_switches_on_kubernetes_ha() -> None:
    configuration = _flink_deployment_spec(_deployment())["flinkConfiguration"]

    assert configuration["high-availability.type"] == "kubernetes"


KUBERNETES_HA_FACTORY = "org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory"


@pytest.mark.parametrize(
    ("version", "key", "value"),
    [
        ("1.13", "high-availability", KUBERNETES_HA_FACTORY),
        ("1.15", "high-availability", KUBERNETES_HA_FACTORY),
        ("1.16", "high-availability", "kubernetes"),
        ("1.17", "high-availability.type", "kubernetes"),
        ("2.0", "high-availability.type", "kubernetes"),
    ],
)
@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_kubernetes_ha_uses_the_key_and_value_the_flink_version_reads(
    version: str, key: str, value: str, engine: str
) -> None:
    deployment = _deployment()
    deployment["spec"]["template"]["spec"]["artifact"] = {
        "jarUri": "local:///opt/flink/usrlib/orders.jar",
        "flinkVersion": version,
    }

    configuration = (
        _flink_deployment_spec(deployment)["flinkConfiguration"]
        if engine == "operator"
        else _standalone_config(deployment)
    )

    ha = {
        k: v
        for k, v in configuration.items()
        if k in ("high-availability", "high-availability.type")
    }
    assert ha == {key: value}


def test_ha_the_configuration_already_chooses_is_kept() -> None:
    deployment = _deployment(configuration={**BOTH_DIRS, "high-availability": "kubernetes"})

    configuration = _flink_deployment_spec(deployment)["flinkConfiguration"]

    assert "high-availability.type" not in configuration
    assert configuration["high-availability"] == "kubernetes"


def test_ha_storage_dir_is_derived_under_the_checkpoint_directory() -> None:
    deployment = _deployment(configuration={CHECKPOINTS: "s3://ckpt/orders/"})

    configuration = _flink_deployment_spec(deployment)["flinkConfiguration"]

    assert configuration["high-availability.storageDir"] == "s3://ckpt/orders/ha"


def test_ha_storage_dir_from_the_configuration_is_kept() -> None:
    deployment = _deployment(
        configuration={CHECKPOINTS: "s3://ckpt/orders", "high-availability.storageDir": "s3://ha"}
    )

    configuration = _flink_deployment_spec(deployment)["flinkConfiguration"]

    assert configuration["high-availability.storageDir"] == "s3://ha"


@pytest.mark.parametrize(
    ("upgrade", "restore"), [("STATEFUL", "LATEST_SAVEPOINT"), ("STATELESS", "LATEST_STATE")]
)
def test_modes_other_than_last_state_leave_ha_alone(upgrade: str, restore: str) -> None:
    configuration = _flink_deployment_spec(_deployment(upgrade=upgrade, restore=restore))[
        "flinkConfiguration"
    ]

    assert not {k for k in configuration if k.startswith("high-availability")}


def test_standalone_last_state_runs_kubernetes_ha_with_its_cluster_id_and_namespace() -> None:
    configuration = _standalone_config(_deployment())
    keys = (
        "high-availability.type",
        "kubernetes.cluster-id",
        "kubernetes.namespace",
        "high-availability.cluster-id",
    )

    # The HA cluster id keeps each workload's HA files (and job results: all
    # standalone jobs have the same id) apart under a shared storage dir.
    assert {key: configuration[key] for key in keys} == {
        "high-availability.type": "kubernetes",
        "kubernetes.cluster-id": "orders",
        "kubernetes.namespace": "flink-jobs",
        "high-availability.cluster-id": "orders",
    }


def test_standalone_stateless_runs_without_ha() -> None:
    configuration = _standalone_config(_deployment(upgrade="STATELESS"))

    assert "high-availability.type" not in configuration


def test_operator_flink_configuration_never_sets_the_keys_the_operator_manages() -> None:
    configuration = _flink_deployment_spec(_deployment())["flinkConfiguration"]

    assert not {"kubernetes.cluster-id", "kubernetes.namespace", "high-availability.cluster-id"} & (
        set(configuration)
    )


# --- Required state directories ----------------------------------------------------------


def test_last_state_without_checkpoint_dir_is_an_error_naming_the_key() -> None:
    problem = _missing_directory(_deployment(configuration={}))

    assert problem.field == "spec.template.spec.flinkConfiguration"
    assert CHECKPOINTS in str(problem)


def test_savepoint_without_savepoint_dir_is_an_error_naming_the_key() -> None:
    deployment = _deployment(restore="LATEST_SAVEPOINT", configuration={CHECKPOINTS: "s3://c"})

    problem = _missing_directory(deployment)

    assert problem.field == "spec.template.spec.flinkConfiguration"
    assert SAVEPOINTS in str(problem)


def test_savepoint_without_checkpoint_dir_is_an_error_naming_the_key() -> None:
    deployment = _deployment(restore="LATEST_SAVEPOINT", configuration={SAVEPOINTS: "s3://s"})

    assert CHECKPOINTS in str(_missing_directory(deployment))


def test_missing_state_directory_error_says_the_target_patch_set_can_add_it() -> None:
    message = str(_missing_directory(_deployment(configuration={})))

    assert "deploymentPatchSet" in message
    assert f"/spec/template/spec/flinkConfiguration/{CHECKPOINTS}" in message


def test_stateless_needs_no_state_directories() -> None:
    spec = _flink_deployment_spec(_deployment(upgrade="STATELESS", configuration={}))

    assert spec["job"]["upgradeMode"] == "stateless"


def test_state_directories_added_by_the_target_patch_set_satisfy_the_mode() -> None:
    target = _target(
        {
            "op": "add",
            "path": f"/spec/template/spec/flinkConfiguration/{CHECKPOINTS}",
            "value": "s3://ckpt/prod",
        },
        {
            "op": "add",
            "path": f"/spec/template/spec/flinkConfiguration/{SAVEPOINTS}",
            "value": "s3://savepoints/prod",
        },
    )
    deployment = _deployment(restore="LATEST_SAVEPOINT", configuration={})

    spec = _flink_deployment_spec(deployment, target)

    assert spec["job"]["upgradeMode"] == "savepoint"
