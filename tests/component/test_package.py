"""The pulumi-flink package: its schema, and its resources as thin wrappers over the Python API."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi.errors import InputPropertiesError
from pulumi.provider.server import ComponentInitError
from pulumi.resource import DependencyResource

from pulumi_flink import Deployment as PythonDeployment
from pulumi_flink import DeploymentTarget as PythonDeploymentTarget
from pulumi_flink.errors import PackageInputError, PulumiFlinkError
from pulumi_flink.package import PackageProvider
from pulumi_flink.package._interpreter import require_dynamic_provider_python
from pulumi_flink.package._references import ResourceReferences
from pulumi_flink.package._resources import (
    Deployment,
    DeploymentTarget,
    Savepoint,
    SessionCluster,
    TargetNamespace,
)
from tests.component.conftest import JOB_SPEC, RecordingMocks, resolved, run_program
from tests.seed import SEED_PATCH_SET

DEPLOYMENT = "pulumi-flink:index:Deployment"
TARGET = "pulumi-flink:index:DeploymentTarget"
NAMESPACE = "pulumi-flink:index:TargetNamespace"


@pytest.fixture(autouse=True)
def dynamic_providers_run_in_this_python(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PULUMI_RUNTIME_VIRTUALENV", raising=False)
    monkeypatch.setenv("PULUMI_PYTHON_CMD", sys.executable)
    require_dynamic_provider_python.cache_clear()
    yield
    require_dynamic_provider_python.cache_clear()


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return dict(json.loads(str(PackageProvider().schema)))


def _target(patch_set: list[dict[str, Any]] | None = None) -> DeploymentTarget:
    return DeploymentTarget(
        "prod",
        {
            "kubernetes_namespace": "flink-jobs",
            "deployment_patch_set": SEED_PATCH_SET if patch_set is None else patch_set,
        },
    )


def _construct(provider: PackageProvider, name: str, token: str, inputs: dict[str, Any]) -> Any:
    return provider.construct(name, token, inputs, pulumi.ResourceOptions())


def test_the_package_serves_its_resources_in_module_index(schema: dict[str, Any]) -> None:
    assert schema["name"] == "pulumi-flink"
    assert sorted(schema["resources"]) == [
        DEPLOYMENT,
        TARGET,
        "pulumi-flink:index:Savepoint",
        "pulumi-flink:index:SessionCluster",
        NAMESPACE,
    ]
    assert all(resource["isComponent"] for resource in schema["resources"].values())


def test_every_resource_type_and_property_has_a_description(schema: dict[str, Any]) -> None:
    definitions = [*schema["resources"].values(), *schema["types"].values()]
    for definition in definitions:
        assert definition["description"]
        for section in ("inputProperties", "properties"):
            for name, prop in definition.get(section, {}).items():
                assert prop.get("description"), name


def test_a_deployment_takes_the_packages_own_target_resources(schema: dict[str, Any]) -> None:
    inputs = schema["resources"][DEPLOYMENT]["inputProperties"]

    assert inputs["target"]["$ref"] == f"#/resources/{TARGET}"
    assert inputs["targetNamespace"]["$ref"] == f"#/resources/{NAMESPACE}"
    assert inputs["spec"]["$ref"] == "pulumi.json#/Any"
    assert schema["resources"][DEPLOYMENT]["requiredInputs"] == ["spec"]


def test_patch_operations_are_a_typed_object(schema: dict[str, Any]) -> None:
    operation = schema["types"]["pulumi-flink:index:PatchOperation"]

    assert sorted(operation["properties"]) == ["from", "op", "path", "value"]
    assert operation["required"] == ["op", "path"]
    assert "\n    " not in operation["description"]


def test_a_target_holds_the_dynamic_deployment_target_of_the_python_api(
    mocks: RecordingMocks,
) -> None:
    patch_set = [{"op": "copy", "from_": "/spec/a", "path": "/spec/b"}]
    run_program(lambda: _target(patch_set))

    (dynamic,) = mocks.of_type("flink:DeploymentTarget")
    assert dynamic.type == "pulumi-python:dynamic/flink:DeploymentTarget"
    assert dynamic.inputs["name"] == "prod"
    assert dynamic.inputs["kubernetes_namespace"] == "flink-jobs"
    assert dynamic.inputs["deployment_patch_set"] == [
        {"op": "copy", "from": "/spec/a", "path": "/spec/b"}
    ]


def _kubernetes_resources(program: Any) -> list[tuple[str, str, str]]:
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)
    run_program(program)
    return sorted(
        (r.type, r.name, json.dumps(r.inputs, sort_keys=True))
        for r in mocks.declared
        if r.type.startswith("kubernetes:")
    )


def test_a_deployment_declares_what_the_python_deployment_declares() -> None:
    def python_program() -> None:
        target = PythonDeploymentTarget(
            "prod", kubernetes_namespace="flink-jobs", deployment_patch_set=SEED_PATCH_SET
        )
        PythonDeployment("orders", target=target, spec=JOB_SPEC, engine="standalone")

    def package_program() -> None:
        Deployment("orders", {"target": _target(), "spec": JOB_SPEC, "engine": "standalone"})

    python_resources = _kubernetes_resources(python_program)

    assert len(python_resources) == 7
    assert _kubernetes_resources(package_program) == python_resources


def test_a_deployment_on_a_target_namespace_runs_on_its_target(mocks: RecordingMocks) -> None:
    outputs: dict[str, Any] = {}

    def program() -> None:
        prepared = TargetNamespace(
            "prod", {"namespace": "flink-prod", "deployment_patch_set": SEED_PATCH_SET}
        )
        orders = Deployment("orders", {"target_namespace": prepared, "spec": JOB_SPEC})
        resolved(orders.namespace, outputs, "namespace")
        resolved(orders.rest_url, outputs, "rest_url")

    run_program(program)

    assert outputs == {
        "namespace": "flink-prod",
        "rest_url": "http://orders-rest.flink-prod.svc:8081",
    }
    (binding,) = mocks.of_type("flink:TargetBinding")
    assert binding.inputs["target_name"] == "prod"


@pytest.mark.parametrize(
    ("targets", "got"),
    [({}, "neither"), ({"target": "t", "target_namespace": "n"}, "target and targetNamespace")],
)
def test_a_deployment_needs_exactly_one_target(
    mocks: RecordingMocks, targets: dict[str, Any], got: str
) -> None:
    with pytest.raises(PackageInputError, match=f"give exactly one .*; got {got}$"):
        Deployment("orders", {**targets, "spec": JOB_SPEC})  # type: ignore[typeddict-item]


def test_a_deployment_runs_in_a_session_cluster_of_the_package(mocks: RecordingMocks) -> None:
    session_job = {
        "template": {
            "spec": {"artifact": {"jarUri": "https://jobs/clicks.jar", "flinkVersion": "1.20"}}
        }
    }

    def program() -> None:
        shared = SessionCluster(
            "shared", {"target": _target(), "spec": {"numberOfTaskManagers": 1}}
        )
        Deployment("clicks", {"session_cluster": shared, "spec": session_job})

    run_program(program)

    (session_job_resource,) = mocks.of_type(":FlinkSessionJob")
    assert session_job_resource.inputs["spec"]["deploymentName"] == "shared"


def test_a_savepoint_of_a_package_deployment_restores_another(mocks: RecordingMocks) -> None:
    def program() -> None:
        target = _target()
        orders = Deployment("orders", {"target": target, "spec": JOB_SPEC})
        savepoint = Savepoint("before-upgrade", {"deployment": orders})
        Deployment("orders-v2", {"target": target, "spec": JOB_SPEC, "restore_from": savepoint})

    run_program(program)

    (snapshot,) = mocks.of_type(":FlinkStateSnapshot")
    assert snapshot.inputs["spec"]["jobReference"]["name"] == "orders"


def test_a_target_this_process_did_not_make_is_refused_by_name(mocks: RecordingMocks) -> None:
    stranger = DependencyResource("urn:pulumi:dev::proj::pulumi-flink:index:DeploymentTarget::x")

    with pytest.raises(
        PackageInputError, match=r"^target: expected a pulumi-flink DeploymentTarget"
    ):
        Deployment("orders", {"target": stranger, "spec": JOB_SPEC})


def test_references_find_the_resource_this_process_made(mocks: RecordingMocks) -> None:
    references = ResourceReferences()
    found: dict[str, Any] = {}

    def program() -> None:
        target = _target()
        references.remember(target)
        target.urn.apply(lambda urn: found.__setitem__("target", references.construct("", "", urn)))
        found["target_itself"] = target

    run_program(program)

    assert found["target"] is found["target_itself"]
    assert isinstance(references.construct("", "", "urn:unknown"), DependencyResource)


@pytest.mark.parametrize(
    ("spec", "patch_set"),
    [
        ({"template": {"spec": {"parallelism": 0}}}, SEED_PATCH_SET),
        (JOB_SPEC, [{"op": "replace", "path": "/spec/template/spec/nothing", "value": 1}]),
    ],
    ids=["bad-spec", "bad-patch"],
)
def test_construct_returns_the_python_apis_message_alone(
    mocks: RecordingMocks, spec: dict[str, Any], patch_set: list[dict[str, Any]]
) -> None:
    provider = PackageProvider()

    def program() -> None:
        python_target = PythonDeploymentTarget(
            "prod", kubernetes_namespace="flink-jobs", deployment_patch_set=patch_set
        )
        with pytest.raises(PulumiFlinkError) as python_error:
            PythonDeployment("orders", target=python_target, spec=spec)
        with pytest.raises(InputPropertiesError) as package_error:
            _construct(provider, "orders", DEPLOYMENT, {"target": _target(patch_set), "spec": spec})
        assert package_error.value.message == str(python_error.value)
        assert package_error.value.errors == []

    run_program(program)


def test_construct_keeps_the_stack_of_an_error_that_is_not_ours(
    mocks: RecordingMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("pulumi_flink.package._resources.PythonDeployment", broken)
    provider = PackageProvider()

    def program() -> None:
        with pytest.raises(ComponentInitError, match="a bug"):
            _construct(provider, "orders", DEPLOYMENT, {"target": _target(), "spec": JOB_SPEC})

    run_program(program)


def test_construct_registers_the_component_under_the_name_it_was_given(
    mocks: RecordingMocks,
) -> None:
    provider = PackageProvider()

    def program() -> None:
        _construct(provider, "orders", DEPLOYMENT, {"target": _target(), "spec": JOB_SPEC})

    run_program(program)

    assert {declared.name for declared in mocks.of_type(DEPLOYMENT)} == {"orders"}
