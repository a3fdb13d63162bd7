"""Pulumi secrets in a target's patch set or a Deployment's spec: only in a Kubernetes Secret.

Each secret must appear in the inputs of exactly one resource, a Secret
(which pulumi-kubernetes keeps encrypted in state); the target's inputs (so
its registry record) and every rendered object hold a reference instead.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from pulumi_flink import Deployment, DeploymentTarget, SessionCluster
from tests.component.conftest import JOB_SPEC, RecordingMocks, run_program

BUCKET = "s3://bucket-8f3a1c/checkpoints"
CONFIGURATION = "/spec/template/spec/flinkConfiguration"
CHECKPOINTS = f"{CONFIGURATION}/state.checkpoints.dir"


@pytest.fixture(autouse=True)
def _collect_failed_outputs() -> Iterator[None]:
    """Collect each test's abandoned Outputs (failed programs leave some) while it runs.

    Their futures report unretrieved errors when collected; collected later,
    inside pytest's own code, that has upset CPython 3.11's parser.
    """
    yield
    gc.collect()


def _patch_set(value: Any) -> list[dict[str, Any]]:
    return [
        {"op": "add", "path": CHECKPOINTS, "value": value},
        {"op": "add", "path": f"{CONFIGURATION}/state.savepoints.dir", "value": "s3://b/sp"},
    ]


def _holders(mocks: RecordingMocks, value: str) -> list[tuple[str, str]]:
    return [(r.type, r.name) for r in mocks.declared if value in repr(r.inputs)]


def _unwrapped(value: Any) -> Any:
    """A mock input as its plain value (a secret input is ``{"value": ...}`` in mocks)."""
    return value.get("value", value) if isinstance(value, dict) else value


def _on_target(patch_set: Any, engine: str = "standalone") -> None:
    target = DeploymentTarget("prod", kubernetes_namespace="flink", deployment_patch_set=patch_set)
    Deployment("orders", target=target, spec=JOB_SPEC, engine=engine, wait_for_ready=False)


@pytest.mark.parametrize(
    "patch_set",
    [
        _patch_set(pulumi.Output.secret(BUCKET)),
        pulumi.Output.secret(_patch_set(BUCKET)),
        [
            pulumi.Output.secret({"op": "add", "path": CHECKPOINTS, "value": BUCKET}),
            _patch_set(BUCKET)[1],
        ],
    ],
    ids=["a-value", "the-whole-patch-set", "one-operation"],
)
def test_a_secret_in_a_patch_set_is_only_in_the_targets_secret(
    mocks: RecordingMocks, patch_set: Any
) -> None:
    run_program(lambda: _on_target(patch_set))

    assert _holders(mocks, BUCKET) == [("kubernetes:core/v1:Secret", "prod-secret-values")]
    secret = mocks.named("prod-secret-values").inputs
    assert secret["metadata"] == {"name": "prod-target-secrets", "namespace": "flink"}
    assert (
        _unwrapped(secret["stringData"])["pulumi-secret.patch-set.state.checkpoints.dir"] == BUCKET
    )
    target = mocks.named("prod").inputs["deployment_patch_set"]
    assert target[0] == {
        "op": "add",
        "path": CHECKPOINTS,
        "value": "${pulumi-secret.patch-set.state.checkpoints.dir}",
    }


def test_the_rendered_objects_reference_the_targets_secret_and_are_not_secret_themselves(
    mocks: RecordingMocks,
) -> None:
    run_program(lambda: _on_target(_patch_set(pulumi.Output.secret(BUCKET))))

    config = mocks.named("orders-config").inputs["data"]
    assert "${pulumi-secret.patch-set.state.checkpoints.dir}" in repr(config)
    pod = mocks.named("orders-jobmanager").inputs["spec"]["template"]["spec"]
    (init,) = pod["initContainers"]
    assert {
        "name": "PULUMI_FLINK_SECRET_VALUE_PULUMI_SECRET_PATCH_SET_STATE_CHECKPOINTS_DIR",
        "valueFrom": {
            "secretKeyRef": {
                "name": "prod-target-secrets",
                "key": "pulumi-secret.patch-set.state.checkpoints.dir",
            }
        },
    } in init["env"]


def test_a_patch_set_without_outputs_makes_no_secret(mocks: RecordingMocks) -> None:
    run_program(lambda: _on_target(_patch_set(BUCKET)))

    assert mocks.of_type("core/v1:Secret") == []


def test_a_patch_set_output_that_is_not_secret_is_kept_as_its_value(
    mocks: RecordingMocks,
) -> None:
    run_program(lambda: _on_target(_patch_set(pulumi.Output.from_input(BUCKET))))

    assert mocks.named("prod").inputs["deployment_patch_set"][0]["value"] == BUCKET
    assert _unwrapped(mocks.named("prod-secret-values").inputs["stringData"]) == {}


def test_a_patch_set_secret_the_operator_engine_cannot_deliver_fails_naming_key_and_engine(
    mocks: RecordingMocks,
) -> None:
    with pytest.raises(pulumi.RunError) as failed:
        run_program(lambda: _on_target(_patch_set(pulumi.Output.secret(BUCKET)), "operator"))

    assert "flinkConfiguration.state.checkpoints.dir" in str(failed.value)
    assert "engine 'operator'" in str(failed.value)
    assert BUCKET not in str(failed.value)


@pytest.mark.parametrize(
    ("where", "field"),
    [
        (
            {"template": {"metadata": {"annotations": {"team": pulumi.Output.secret("orders-x")}}}},
            "spec.template.metadata.annotations.team",
        ),
        (
            {
                "template": {
                    "spec": {
                        "kubernetes": {
                            "jobManagerPodTemplate": {
                                "spec": {
                                    "containers": [
                                        {
                                            "name": "flink-jobmanager",
                                            "args": [pulumi.Output.secret("orders-x")],
                                        }
                                    ]
                                }
                            }
                        }
                    }
                }
            },
            "spec.template.spec.kubernetes.jobManagerPodTemplate.spec.containers[0].args[0]",
        ),
    ],
    ids=["an-annotation", "a-container-argument"],
)
def test_a_spec_secret_outside_the_configuration_is_refused_naming_the_field(
    mocks: RecordingMocks, where: dict[str, Any], field: str
) -> None:
    spec = _merged(JOB_SPEC, where)

    def program() -> None:
        target = DeploymentTarget(
            "prod", kubernetes_namespace="flink", deployment_patch_set=_patch_set(BUCKET)
        )
        Deployment("orders", target=target, spec=spec, engine="standalone", wait_for_ready=False)

    with pytest.raises(pulumi.RunError) as failed:
        run_program(program)

    assert f"{field}: holds a Pulumi secret" in str(failed.value)
    assert "orders-x" not in str(failed.value)


def test_a_secret_that_is_not_a_string_is_refused_naming_the_field(
    mocks: RecordingMocks,
) -> None:
    with pytest.raises(pulumi.RunError) as failed:
        run_program(
            lambda: _on_target(
                [
                    {"op": "add", "path": "/spec/template/spec/parallelism", "value": 2},
                    pulumi.Output.secret({"op": "add", "path": CHECKPOINTS, "value": 3}),
                ]
            )
        )

    assert (
        "deployment_patch_set, the value written at "
        "spec.template.spec.flinkConfiguration.state.checkpoints.dir: "
        "a Pulumi secret must be a string"
    ) in str(failed.value)


def test_a_secret_in_a_nested_configuration_value_of_the_spec_goes_into_the_deployments_secret(
    mocks: RecordingMocks,
) -> None:
    spec = _merged(
        JOB_SPEC,
        {
            "template": {
                "spec": {"flinkConfiguration": pulumi.Output.secret({"a.password": "pw-1"})}
            }
        },
    )

    def program() -> None:
        target = DeploymentTarget(
            "prod", kubernetes_namespace="flink", deployment_patch_set=_patch_set(BUCKET)
        )
        Deployment("orders", target=target, spec=spec, engine="standalone", wait_for_ready=False)

    run_program(program)

    assert _holders(mocks, "pw-1") == [("kubernetes:core/v1:Secret", "orders-secret-values")]
    data = _unwrapped(mocks.named("orders-secret-values").inputs["stringData"])
    assert data == {"pulumi-secret.a.password": "pw-1"}


def test_a_target_read_by_name_resolves_its_references_to_the_targets_secret() -> None:
    class Mocks(RecordingMocks):
        def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, Any]:
            id_, outputs = super().new_resource(args)
            if args.typ.endswith("flink:DeploymentTarget") and args.resource_id:
                # What the owning stack recorded: references, never the values.
                outputs.update(
                    name=args.resource_id,
                    namespace="flink",
                    deployment_patch_set=_patch_set(
                        "${pulumi-secret.patch-set.state.checkpoints.dir}"
                    ),
                )
            return id_, outputs

    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)

    def program() -> None:
        target = DeploymentTarget.get("prod", "prod")
        Deployment(
            "orders", target=target, spec=JOB_SPEC, engine="standalone", wait_for_ready=False
        )

    run_program(program)

    assert mocks.of_type("core/v1:Secret") == []
    pod = mocks.named("orders-jobmanager").inputs["spec"]["template"]["spec"]
    (init,) = pod["initContainers"]
    assert {
        "name": "prod-target-secrets",
        "key": "pulumi-secret.patch-set.state.checkpoints.dir",
    } in [env["valueFrom"]["secretKeyRef"] for env in init["env"] if "valueFrom" in env]


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


SESSION_JOB = {
    "upgradeStrategy": {"kind": "STATELESS"},
    "template": {"spec": {"artifact": {"jarUri": "https://repo.example.com/clicks.jar"}}},
}


def _session_cluster(configuration: dict[str, Any]) -> SessionCluster:
    target = DeploymentTarget("prod", kubernetes_namespace="flink", deployment_patch_set=[])
    spec = {"numberOfTaskManagers": 1, "flinkConfiguration": configuration}
    return SessionCluster("shared", target=target, spec=spec, wait_for_ready=False)


def test_a_session_clusters_secret_credential_comes_from_its_secret(
    mocks: RecordingMocks,
) -> None:
    key = "AKIA-5ec2e7"
    run_program(lambda: _session_cluster({"s3.access-key": pulumi.Output.secret(key)}))

    assert _holders(mocks, key) == [("kubernetes:core/v1:Secret", "shared-secret-values")]
    secret = mocks.named("shared-secret-values").inputs
    assert secret["metadata"] == {"name": "shared-secret-values", "namespace": "flink"}
    flink = _unwrapped(mocks.named("shared-flink-deployment").inputs["spec"])
    assert "s3.access-key" not in flink["flinkConfiguration"]
    (container,) = flink["podTemplate"]["spec"]["containers"]
    assert {
        "name": "AWS_ACCESS_KEY_ID",
        "valueFrom": {
            "secretKeyRef": {
                "name": "shared-secret-values",
                "key": "pulumi-secret.spec.flinkConfiguration.s3.access-key",
            }
        },
    } in container["env"]
    record = mocks.of_type("flink:SessionClusterRecord")[0].inputs["document"]
    assert key not in repr(record)


def test_a_session_clusters_secret_the_operator_cannot_deliver_is_refused_naming_its_field(
    mocks: RecordingMocks,
) -> None:
    with pytest.raises(pulumi.RunError) as failed:
        run_program(lambda: _session_cluster({"db.password": pulumi.Output.secret("pw-7")}))

    assert "spec.flinkConfiguration.db.password: references secret value" in str(failed.value)
    assert "A session cluster runs on the operator only" in str(failed.value)
    assert "pw-7" not in str(failed.value)


def test_a_session_job_refuses_any_pulumi_secret_naming_its_field(mocks: RecordingMocks) -> None:
    job = _merged(
        SESSION_JOB,
        {
            "template": {
                "spec": {"flinkConfiguration": {"s3.access-key": pulumi.Output.secret("k")}}
            }
        },
    )

    def program() -> None:
        cluster = _session_cluster({})
        Deployment("clicks", session_cluster=cluster, spec=job, wait_for_ready=False)

    with pytest.raises(pulumi.RunError) as failed:
        run_program(program)

    message = str(failed.value)
    assert "spec.template.spec.flinkConfiguration.s3.access-key: holds a Pulumi secret" in message
