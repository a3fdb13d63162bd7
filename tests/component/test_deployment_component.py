"""The Deployment component declares the rendered objects as pulumi-kubernetes resources."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_kubernetes as kubernetes
import pytest

from pulumi_flink import Deployment, DeploymentTarget, render_manifests
from pulumi_flink.errors import SpecValidationError, UnsupportedEngineError
from pulumi_flink.render import deployment_layout, job_graph_digest
from tests.component.conftest import JOB_SPEC, RecordingMocks, resolved, run_program
from tests.seed import SEED_PATCH_SET


def _target(
    namespace: str | None = "flink-jobs", patch_set: list[Any] | None = None
) -> DeploymentTarget:
    return DeploymentTarget(
        "prod",
        kubernetes_namespace=namespace,
        deployment_patch_set=SEED_PATCH_SET if patch_set is None else patch_set,
    )


def test_operator_engine_declares_rbac_and_flink_deployment(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC))

    children = sorted(r.type for r in mocks.declared if r.name.startswith("orders-"))
    assert children == [
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:flink.apache.org/v1beta1:FlinkDeployment",
        "kubernetes:rbac.authorization.k8s.io/v1:Role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        "pulumi-python:dynamic/flink:FlinkJob",
        "pulumi-python:dynamic/flink:RecordedSavepoint",
    ]


def test_standalone_engine_declares_jobmanager_and_taskmanager(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC, engine="standalone"))

    names = sorted(r.name for r in mocks.declared if r.type.startswith("kubernetes:"))
    assert names == [
        "orders-config",
        "orders-jobmanager",
        "orders-jobmanager-service",
        "orders-role",
        "orders-role-binding",
        "orders-service-account",
        "orders-taskmanager",
    ]


def test_a_standalone_jobmanager_has_its_ha_data_reset_fed_from_the_render(
    mocks: RecordingMocks,
) -> None:
    spec = {**JOB_SPEC, "state": "CANCELLED"}
    run_program(lambda: Deployment("orders", target=_target(), spec=spec, engine="standalone"))

    target = {
        "metadata": {"name": "prod"},
        "spec": {"kubernetes": {"namespace": "flink-jobs"}, "deploymentPatchSet": SEED_PATCH_SET},
    }
    offline = render_manifests(
        {"metadata": {"name": "orders"}, "spec": spec}, target, engine="standalone"
    )
    [jobmanager] = [
        m
        for m in offline
        if m["kind"] == "Deployment" and m["metadata"]["name"] == "orders-jobmanager"
    ]
    ha_data = mocks.named("orders-ha-data").inputs
    assert ha_data["job_graph"] == job_graph_digest(jobmanager)
    assert ha_data["selector"] == jobmanager["spec"]["selector"]["matchLabels"]
    assert (ha_data["namespace"], ha_data["workload"], ha_data["jobmanager"]) == (
        "flink-jobs",
        "orders",
        "orders-jobmanager",
    )
    assert ha_data["upgrade_mode"] == "stateless"


def test_the_operator_engine_leaves_ha_data_to_the_operator(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC))

    assert not mocks.of_type("flink:StandaloneHaData")


def test_declared_inputs_equal_the_offline_render(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC, wait_for_ready=False))

    target = {
        "metadata": {"name": "prod"},
        "spec": {"kubernetes": {"namespace": "flink-jobs"}, "deploymentPatchSet": SEED_PATCH_SET},
    }
    offline = render_manifests({"metadata": {"name": "orders"}, "spec": JOB_SPEC}, target)
    declared = mocks.named("orders-flink-deployment").inputs
    assert declared["spec"] == offline[-1]["spec"]
    assert mocks.named("orders-role").inputs["rules"] == offline[1]["rules"]


def test_every_object_lands_in_the_target_namespace(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC))

    namespaces = {
        r.inputs["metadata"]["namespace"]
        for r in mocks.declared
        if r.type.startswith("kubernetes:")
    }
    assert namespaces == {"flink-jobs"}


def test_target_without_namespace_uses_the_resolved_one(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(namespace=None), spec=JOB_SPEC))

    assert mocks.named("orders-service-account").inputs["metadata"]["namespace"] == "ctx-ns"


def test_patch_set_values_reach_the_flink_deployment(mocks: RecordingMocks) -> None:
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC))

    configuration = mocks.named("orders-flink-deployment").inputs["spec"]["flinkConfiguration"]
    assert configuration["state.checkpoints.dir"] == "s3://flink/checkpoints"


def test_the_flink_job_waits_for_the_operator_instead_of_pulumi_kubernetes(
    mocks: RecordingMocks,
) -> None:
    run_program(
        lambda: Deployment("orders", target=_target(), spec=JOB_SPEC, ready_timeout_seconds=120)
    )

    annotations = mocks.named("orders-flink-deployment").inputs["metadata"]["annotations"]
    assert annotations["pulumi.com/skipAwait"] == "true"
    job = mocks.named("orders-job").inputs
    assert (job["wait"], job["timeout_seconds"], job["job_state"]) == (True, 120, "running")
    assert (job["namespace"], job["workload"]) == ("flink-jobs", "orders")


def test_suspended_deployment_waits_for_suspended(mocks: RecordingMocks) -> None:
    spec = {**JOB_SPEC, "state": "SUSPENDED"}
    run_program(lambda: Deployment("orders", target=_target(), spec=spec))

    assert mocks.named("orders-job").inputs["job_state"] == "suspended"


def test_not_waiting_skips_the_await(mocks: RecordingMocks) -> None:
    run_program(
        lambda: Deployment(
            "orders", target=_target(), spec=JOB_SPEC, engine="standalone", wait_for_ready=False
        )
    )

    for name in ("orders-jobmanager", "orders-taskmanager"):
        assert mocks.named(name).inputs["metadata"]["annotations"]["pulumi.com/skipAwait"] == "true"


def test_standalone_deployments_wait_until_every_pod_runs_the_new_template_ready(
    mocks: RecordingMocks,
) -> None:
    run_program(  # parallelism 2, one slot per TaskManager
        lambda: Deployment(
            "orders", target=_target(), spec=JOB_SPEC, engine="standalone", ready_timeout_seconds=90
        )
    )

    # pulumi-kubernetes judges waitFor conditions only once status.observedGeneration
    # caught up, so the status from before the change cannot end the wait.
    for name, replicas in (("orders-jobmanager", 1), ("orders-taskmanager", 2)):
        annotations = mocks.named(name).inputs["metadata"]["annotations"]
        assert json.loads(annotations["pulumi.com/waitFor"]) == [
            f"jsonpath={{.status.replicas}}={replicas}",
            f"jsonpath={{.status.updatedReplicas}}={replicas}",
            f"jsonpath={{.status.readyReplicas}}={replicas}",
        ]
        assert annotations["pulumi.com/timeoutSeconds"] == "90"


def test_a_standalone_deployment_scaled_to_zero_keeps_the_built_in_await(
    mocks: RecordingMocks,
) -> None:
    spec = {**JOB_SPEC, "state": "SUSPENDED"}
    run_program(lambda: Deployment("orders", target=_target(), spec=spec, engine="standalone"))

    for name in ("orders-jobmanager", "orders-taskmanager"):
        annotations = mocks.named(name).inputs["metadata"]["annotations"]
        assert "pulumi.com/waitFor" not in annotations
        assert "pulumi.com/timeoutSeconds" in annotations


def test_the_stack_is_registered_on_the_target_once_for_all_its_deployments(
    mocks: RecordingMocks,
) -> None:
    def program() -> None:
        target = _target()
        for name in ("orders", "payments", "fraud"):
            Deployment(name, target=target, spec=JOB_SPEC)

    run_program(program)

    (binding,) = mocks.of_type("flink:TargetBinding")
    assert binding.name == "prod-binding"
    assert binding.inputs["target_id"] == "prod-id"
    assert binding.inputs["binding"] == "prod-binding"
    assert binding.inputs["namespace"] == "flink-jobs"
    assert binding.inputs["owner"] == "proj/dev"


def test_every_binding_comes_with_an_intent_naming_the_same_claim(mocks: RecordingMocks) -> None:
    # The intent is what removes a claim whose binding Pulumi never recorded.
    run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC))

    (binding,) = mocks.of_type("flink:TargetBinding")
    (intent,) = mocks.of_type("flink:ClaimIntent")
    assert intent.name == "prod-binding-intent"
    for key in ("target_id", "binding", "namespace", "owner"):
        assert intent.inputs[key] == binding.inputs[key]


def test_plain_and_output_inputs_declare_the_same_objects() -> None:
    def declared_flink_deployment(spec: Any, namespace: str | None) -> dict[str, Any]:
        mocks = RecordingMocks()
        pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)
        run_program(lambda: Deployment("orders", target=_target(namespace), spec=spec))
        return mocks.named("orders-flink-deployment").inputs

    plain = declared_flink_deployment(JOB_SPEC, "flink-jobs")
    from_outputs = declared_flink_deployment(pulumi.Output.from_input(JOB_SPEC), None)

    assert from_outputs["spec"] == plain["spec"]
    assert from_outputs["metadata"] == {**plain["metadata"], "namespace": "ctx-ns"}


def test_outputs_name_namespace_service_account_and_rest_url(mocks: RecordingMocks) -> None:
    seen: dict[str, Any] = {}

    def program() -> None:
        deployment = Deployment("orders", target=_target(), spec=JOB_SPEC)
        for key in ("namespace", "service_account_name", "workload_name", "rest_url"):
            resolved(getattr(deployment, key), seen, key)

    run_program(program)

    assert seen == {
        "namespace": "flink-jobs",
        "service_account_name": "orders",
        "workload_name": "orders",
        "rest_url": "http://orders-rest.flink-jobs.svc:8081",
    }


def test_effective_spec_is_validated_during_preview(preview_mocks: RecordingMocks) -> None:
    seen: dict[str, Any] = {}

    def program() -> None:
        deployment = Deployment("orders", target=_target(namespace=None), spec=JOB_SPEC)
        resolved(deployment.effective_spec, seen, "effective_spec")

    run_program(program)

    flink_configuration = seen["effective_spec"]["spec"]["template"]["spec"]["flinkConfiguration"]
    assert flink_configuration["state.savepoints.dir"] == "s3://flink/savepoints"


def test_a_failing_patch_fails_the_program_naming_index_and_path(mocks: RecordingMocks) -> None:
    bad = [*SEED_PATCH_SET, {"op": "remove", "path": "/spec/template/spec/nope"}]

    with pytest.raises(
        ValueError, match=r"deploymentTarget 'prod': patch 2 \(remove /spec/template/spec/nope\)"
    ):
        run_program(lambda: Deployment("orders", target=_target(patch_set=bad), spec=JOB_SPEC))

    assert not [r for r in mocks.declared if r.name.startswith("orders")]


def test_unknown_engine_is_rejected_before_anything_is_declared(mocks: RecordingMocks) -> None:
    with pytest.raises(UnsupportedEngineError):
        run_program(lambda: Deployment("orders", target=_target(), spec=JOB_SPEC, engine="yarn"))

    assert not [r for r in mocks.declared if r.name.startswith("orders")]


def test_explicit_kubernetes_provider_is_used_and_its_cluster_checked(
    mocks: RecordingMocks,
) -> None:
    def program() -> None:
        provider = kubernetes.Provider("other-cluster", kubeconfig="{}")
        Deployment(
            "orders",
            target=_target(),
            spec=JOB_SPEC,
            opts=pulumi.ResourceOptions(providers={"kubernetes": provider}),
        )

    run_program(program)

    assert "other-cluster" in mocks.named("orders-flink-deployment").provider
    assert mocks.named("prod-binding-other-cluster-cluster-identity").id == "kube-system"
    assert mocks.named("prod-binding-other-cluster").inputs["cluster_id"] == "cluster-b"


ARTIFACT_KINDS = {
    "jar-with-dependencies-before-1.19": {
        "jarUri": "https://repo.acme.io/orders.jar",
        "entryClass": "com.acme.Orders",
        "flinkVersion": "1.18",
        "additionalDependencies": ["https://repo.acme.io/kafka.jar"],
    },
    "jar-with-dependencies": {
        "jarUri": "s3://jobs/orders.jar",
        "additionalDependencies": ["s3://jars/kafka.jar", "http://repo/udf.jar"],
    },
    "python": {
        "kind": "PYTHON",
        "pythonArtifactUri": "https://repo.acme.io/orders.py",
        "mainArgs": "--window 10",
    },
    "sqlscript": {
        "kind": "SQLSCRIPT",
        "sqlScript": "SET 'pipeline.name' = 'x';\nINSERT INTO totals SELECT * FROM orders;\n",
        "flinkVersion": "2.0",
        "additionalDependencies": ["s3://jars/kafka.jar"],
    },
}


@pytest.mark.parametrize("engine", ["operator", "standalone"])
@pytest.mark.parametrize("kind", ARTIFACT_KINDS)
def test_declared_inputs_equal_the_offline_render_for_every_artifact_kind(
    mocks: RecordingMocks, kind: str, engine: str
) -> None:
    spec = {**JOB_SPEC, "template": {"spec": {"artifact": ARTIFACT_KINDS[kind]}}}
    run_program(
        lambda: Deployment(
            "orders", target=_target(), spec=spec, engine=engine, wait_for_ready=False
        )
    )

    target = {
        "metadata": {"name": "prod"},
        "spec": {"kubernetes": {"namespace": "flink-jobs"}, "deploymentPatchSet": SEED_PATCH_SET},
    }
    offline = render_manifests(
        {"metadata": {"name": "orders"}, "spec": spec}, target, engine=engine
    )
    layout = deployment_layout(engine, ARTIFACT_KINDS[kind].get("kind", "JAR"))
    assert len(offline) == len(layout)
    for entry, manifest in zip(layout, offline, strict=True):
        declared = mocks.named(f"orders-{entry.suffix}").inputs
        for field in set(manifest) - {"apiVersion", "kind"}:
            assert _without_await_annotations(declared[field]) == manifest[field], entry.suffix


def _without_await_annotations(value: Any) -> Any:
    """The fields rendered, without the await annotations the component adds for Pulumi."""
    if isinstance(value, dict) and isinstance(value.get("annotations"), dict):
        annotations = {
            key: annotation
            for key, annotation in value["annotations"].items()
            if not key.startswith("pulumi.com/")
        }
        return {**value, "annotations": annotations}
    return value


def test_a_sql_script_deployment_declares_its_script_config_map(mocks: RecordingMocks) -> None:
    spec = {**JOB_SPEC, "template": {"spec": {"artifact": ARTIFACT_KINDS["sqlscript"]}}}
    run_program(lambda: Deployment("orders", target=_target(), spec=spec))

    data = mocks.named("orders-sql-script").inputs["data"]
    assert data == {"script.sql": ARTIFACT_KINDS["sqlscript"]["sqlScript"]}


def test_deployment_defaults_merge_before_the_patch_set(mocks: RecordingMocks) -> None:
    found: dict[str, Any] = {}
    global_defaults = {
        "kind": "GlobalDeploymentDefaults",
        "spec": {"template": {"spec": {"flinkConfiguration": {"restart-strategy": "none"}}}},
    }
    namespace_defaults = {
        "kind": "DeploymentDefaults",
        "metadata": {"namespace": "default"},
        "spec": {"template": {"spec": {"parallelism": 9, "numberOfTaskManagers": 9}}},
    }

    def program() -> None:
        orders = Deployment(
            "orders",
            target=_target(),
            spec=JOB_SPEC,
            defaults=[namespace_defaults, global_defaults],
        )
        resolved(orders.effective_spec, found, "spec")

    run_program(program)

    template = found["spec"]["spec"]["template"]["spec"]
    assert template["parallelism"] == 2  # the spec's own value wins
    assert template["numberOfTaskManagers"] == 9
    assert template["flinkConfiguration"]["restart-strategy"] == "none"
    assert "state.checkpoints.dir" in template["flinkConfiguration"]  # then the patch set


def test_a_sql_script_given_as_an_output_declares_its_config_map_when_the_kind_is_plain(
    mocks: RecordingMocks,
) -> None:
    artifact = {**ARTIFACT_KINDS["sqlscript"], "sqlScript": pulumi.Output.from_input("SELECT 1;\n")}
    spec = {**JOB_SPEC, "template": {"spec": {"artifact": artifact}}}
    run_program(lambda: Deployment("orders", target=_target(), spec=spec))

    assert mocks.named("orders-sql-script").inputs["data"] == {"script.sql": "SELECT 1;\n"}


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_pulumi_secret_value_reaches_only_the_kubernetes_secret(
    mocks: RecordingMocks, engine: str
) -> None:
    spec = {
        "template": {
            "spec": {
                "artifact": {"jarUri": "local:///opt/flink/usrlib/orders.jar"},
                "flinkConfiguration": {"s3.secret-key": "${aws-secret}"},
            }
        }
    }

    run_program(
        lambda: Deployment(
            "orders",
            target=_target(),
            spec=spec,
            engine=engine,
            secret_values={"aws-secret": pulumi.Output.secret("hunter2")},
        )
    )

    holders = [r for r in mocks.declared if "hunter2" in repr(r.inputs)]
    assert [(r.type, r.name) for r in holders] == [
        ("kubernetes:core/v1:Secret", "orders-secret-values")
    ]
    assert holders[0].inputs["metadata"]["name"] == "orders-secret-values"


def test_a_pulumi_secret_given_as_a_configuration_value_is_delivered_as_a_secret_value(
    mocks: RecordingMocks,
) -> None:
    spec = {
        "template": {
            "spec": {
                "artifact": {"jarUri": "local:///opt/flink/usrlib/orders.jar"},
                "flinkConfiguration": {
                    "s3.secret-key": pulumi.Output.secret("hunter2"),
                    "metrics.scope.jm": pulumi.Output.from_input("flink.jm"),
                },
            }
        }
    }

    run_program(lambda: Deployment("orders", target=_target(), spec=spec))

    holders = [(r.type, r.name) for r in mocks.declared if "hunter2" in repr(r.inputs)]
    assert holders == [("kubernetes:core/v1:Secret", "orders-secret-values")]
    # The spec is a secret input as a whole (it was computed from a secret), never the value.
    flink = mocks.named("orders-flink-deployment").inputs["spec"]
    flink = flink.get("value", flink)
    assert flink["flinkConfiguration"]["metrics.scope.jm"] == "flink.jm"
    assert "s3.secret-key" not in flink["flinkConfiguration"]
    (container,) = flink["podTemplate"]["spec"]["containers"]
    assert {
        "name": "AWS_SECRET_ACCESS_KEY",
        "valueFrom": {
            "secretKeyRef": {"name": "orders-secret-values", "key": "pulumi-secret.s3.secret-key"}
        },
    } in container["env"]


def test_a_target_with_blob_storage_fills_the_state_directories_vvps_way(
    mocks: RecordingMocks,
) -> None:
    def program() -> None:
        target = DeploymentTarget(
            "prod", kubernetes_namespace="flink-jobs", blob_storage="s3://vvp-store/vvp/"
        )
        Deployment("orders", target=target, spec=JOB_SPEC)  # STATEFUL + LATEST_STATE

    run_program(program)

    flink = mocks.named("orders-flink-deployment").inputs["spec"]
    root = "s3://vvp-store/vvp/flink-jobs/namespaces/default/deployments/orders"
    assert flink["job"]["upgradeMode"] == "last-state"
    assert flink["flinkConfiguration"]["state.checkpoints.dir"] == f"{root}/checkpoints"
    assert flink["flinkConfiguration"]["state.savepoints.dir"] == f"{root}/savepoints"
    assert "blob_storage" not in mocks.named("prod").inputs


def test_a_target_blob_storage_without_a_scheme_fails_at_the_line_that_makes_it() -> None:
    with pytest.raises(SpecValidationError, match="blob_storage: 'vvp-store' is not a URI"):
        DeploymentTarget("prod", blob_storage="vvp-store")
