"""Secret values in environment variables: rendered as ``secretKeyRef``, never as values.

A Pulumi secret, or a VVP ``${secret}``, as an env value of ``kubernetes.pods.envVars``
or of a container in a pod template, reaches the container from a Kubernetes
Secret on both engines and in session clusters; the value is in the inputs of
the Secret alone. Secret keys are named after what they hold, so reordering a
patch set or a variable list changes no workload.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from pulumi_flink import Deployment, DeploymentTarget, SessionCluster
from pulumi_flink.secrets import SecretKeyRef
from tests.component.conftest import JOB_SPEC, RecordingMocks, run_program

TOKEN = "tok-51c9e0a7"
CONFIGURATION = "/spec/template/spec/flinkConfiguration"


@pytest.fixture(autouse=True)
def _collect_failed_outputs() -> Iterator[None]:
    yield
    gc.collect()


def _unwrapped(value: Any) -> Any:
    return value.get("value", value) if isinstance(value, dict) else value


def _spec(
    kubernetes: dict[str, Any], configuration: dict[str, Any] | None = None
) -> dict[str, Any]:
    spec = {
        **JOB_SPEC["template"]["spec"],
        "kubernetes": kubernetes,
        "flinkConfiguration": configuration or {"state.checkpoints.dir": "s3://b/c"},
    }
    return {**JOB_SPEC, "upgradeStrategy": {"kind": "STATELESS"}, "template": {"spec": spec}}


def _env_vars(*variables: dict[str, Any]) -> dict[str, Any]:
    return {"pods": {"envVars": list(variables)}}


def _deploy(
    spec: dict[str, Any],
    engine: str,
    patch_set: list[dict[str, Any]] | None = None,
    secret_values: dict[str, Any] | None = None,
) -> None:
    target = DeploymentTarget(
        "prod", kubernetes_namespace="flink", deployment_patch_set=patch_set or []
    )
    Deployment(
        "orders",
        target=target,
        spec=spec,
        engine=engine,
        secret_values=secret_values,
        wait_for_ready=False,
    )


def _holders(mocks: RecordingMocks, value: str) -> list[str]:
    return [r.name for r in mocks.declared if value in repr(r.inputs)]


def _containers(mocks: RecordingMocks, engine: str) -> list[dict[str, Any]]:
    """Every Flink container the workload renders, JobManager and TaskManager."""
    if engine == "operator":
        spec = _unwrapped(mocks.named("orders-flink-deployment").inputs["spec"])
        templates = [
            spec["podTemplate"],
            *(spec[p].get("podTemplate", {}) for p in ("jobManager", "taskManager")),
        ]
    else:
        templates = [
            mocks.named(f"orders-{component}").inputs["spec"]["template"]
            for component in ("jobmanager", "taskmanager")
        ]
    return [c for t in templates for c in (t.get("spec") or {}).get("containers", [])]


def _env(container: dict[str, Any], name: str) -> dict[str, Any]:
    (variable,) = [v for v in container.get("env", []) if v["name"] == name]
    return variable


OWN_KEY = {
    "name": "orders-secret-values",
    "key": "pulumi-secret.spec.template.spec.kubernetes.pods.envVars.TOKEN.value",
}


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_pulumi_secret_env_value_comes_from_the_deployments_secret(
    mocks: RecordingMocks, engine: str
) -> None:
    spec = _spec(_env_vars({"name": "TOKEN", "value": pulumi.Output.secret(TOKEN)}))
    run_program(lambda: _deploy(spec, engine))

    assert _holders(mocks, TOKEN) == ["orders-secret-values"]
    data = _unwrapped(mocks.named("orders-secret-values").inputs["stringData"])
    assert data == {OWN_KEY["key"]: TOKEN}
    containers = _containers(mocks, engine)
    assert containers
    for container in containers:
        assert _env(container, "TOKEN") == {"name": "TOKEN", "valueFrom": {"secretKeyRef": OWN_KEY}}


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_pod_template_env_value_that_is_a_pulumi_secret_comes_from_the_secret(
    mocks: RecordingMocks, engine: str
) -> None:
    container = {
        "name": "flink-jobmanager",
        "env": [{"name": "TOKEN", "value": pulumi.Output.secret(TOKEN)}],
    }
    spec = _spec({"jobManagerPodTemplate": {"spec": {"containers": [container]}}})
    run_program(lambda: _deploy(spec, engine))

    assert _holders(mocks, TOKEN) == ["orders-secret-values"]
    key = "pulumi-secret.spec.template.spec.kubernetes.jobManagerPodTemplate.spec.containers"
    key += ".flink-jobmanager.env.TOKEN.value"
    referenced = [
        _env(c, "TOKEN")["valueFrom"]["secretKeyRef"]
        for c in _containers(mocks, engine)
        if any(v["name"] == "TOKEN" for v in c.get("env", []))
    ]
    assert referenced == [{"name": "orders-secret-values", "key": key}]


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_vvp_secret_value_in_an_env_value_is_taken_from_the_named_secret(
    mocks: RecordingMocks, engine: str
) -> None:
    spec = _spec(
        _env_vars(
            {"name": "DB_PASSWORD", "value": "${db}"},
            {"name": "DB_URL", "value": "jdbc:pg://u:${db}@h/${OTHER}"},
        )
    )
    refs = {"db": SecretKeyRef("credentials", "password")}
    run_program(lambda: _deploy(spec, engine, secret_values=refs))

    source = {"secretKeyRef": {"name": "credentials", "key": "password"}}
    for container in _containers(mocks, engine):
        assert _env(container, "DB_PASSWORD") == {"name": "DB_PASSWORD", "valueFrom": source}
        # Text around the reference: Kubernetes expands $(VAR), defined first from the Secret.
        names = [v["name"] for v in container["env"]]
        helper = "PULUMI_FLINK_SECRET_VALUE_DB"
        assert _env(container, helper) == {"name": helper, "valueFrom": source}
        assert names.index(helper) < names.index("DB_URL")
        assert _env(container, "DB_URL")["value"] == f"jdbc:pg://u:$({helper})@h/${{OTHER}}"


def test_a_session_clusters_secret_env_value_comes_from_its_secret(mocks: RecordingMocks) -> None:
    def program() -> None:
        target = DeploymentTarget("prod", kubernetes_namespace="flink", deployment_patch_set=[])
        spec = {
            "numberOfTaskManagers": 1,
            "kubernetes": _env_vars({"name": "TOKEN", "value": pulumi.Output.secret(TOKEN)}),
        }
        SessionCluster("shared", target=target, spec=spec, wait_for_ready=False)

    run_program(program)

    assert _holders(mocks, TOKEN) == ["shared-secret-values"]
    flink = _unwrapped(mocks.named("shared-flink-deployment").inputs["spec"])
    (container,) = flink["podTemplate"]["spec"]["containers"]
    (variable,) = container["env"]
    assert variable["valueFrom"]["secretKeyRef"]["name"] == "shared-secret-values"
    assert "value" not in variable


def _workload_inputs(mocks: RecordingMocks) -> dict[str, Any]:
    workloads = ("Deployment", "ConfigMap", "Secret", "Service")
    return {
        r.name: repr(r.inputs)
        for r in mocks.declared
        if r.type.rsplit(":", 1)[-1] in workloads and r.name.startswith("orders")
    }


def test_reordering_the_patch_set_and_the_configuration_changes_no_workload() -> None:
    def run(order: slice) -> dict[str, Any]:
        mocks = RecordingMocks()
        pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)
        patch_set = [
            {"op": "add", "path": f"{CONFIGURATION}/{key}", "value": pulumi.Output.secret(value)}
            for key, value in (("state.checkpoints.dir", "s3://a/c"), ("a.password", "pw-1"))
        ][order]
        configuration = dict(
            list({"b.password": pulumi.Output.secret("pw-2"), "c": "3"}.items())[order]
        )
        token = _env_vars({"name": "TOKEN", "value": pulumi.Output.secret(TOKEN)})
        run_program(lambda: _deploy(_spec(token, configuration), "standalone", patch_set))
        return _workload_inputs(mocks)

    first, reordered = run(slice(None)), run(slice(None, None, -1))
    assert set(first) >= {"orders-jobmanager", "orders-config", "orders-secret-values"}
    assert reordered == first


def test_reordering_the_env_vars_renames_no_secret_key() -> None:
    def keys(order: slice) -> set[str]:
        mocks = RecordingMocks()
        pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)
        variables = [
            {"name": name, "value": pulumi.Output.secret(value)}
            for name, value in (("TOKEN", TOKEN), ("USER", "u-1"))
        ][order]
        run_program(lambda: _deploy(_spec(_env_vars(*variables)), "operator"))
        return set(_unwrapped(mocks.named("orders-secret-values").inputs["stringData"]))

    assert keys(slice(None)) == keys(slice(None, None, -1))
    assert OWN_KEY["key"] in keys(slice(None))
