"""The components' constructors, attacked with wrong types (issue 11, class 6).

Whatever a program passes — bytes, paths, tuples, keys that are not strings,
values that are not JSON — the constructor raises one of our documented
errors naming the field, never a ``TypeError`` or ``AttributeError``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi.errors import InputPropertyError

from pulumi_flink import (
    Deployment,
    DeploymentTarget,
    PulumiFlinkError,
    SessionCluster,
    TargetNamespace,
)
from pulumi_flink.package import PackageProvider
from tests.component.conftest import JOB_SPEC, RecordingMocks, run_program
from tests.seed import SEED_PATCH_SET

ODD_VALUES: dict[str, Any] = {
    "bytes": b"x",
    "path": Path("/tmp"),
    "set": {"a"},
    "non-string-key": {1: "a"},
    "nan": float("nan"),
    "huge-int": 10**400,
    "nul": "a\x00b",
    "lone-surrogate": "a\ud800",
    "object": object(),
}


def _spec_with(value: Any) -> dict[str, Any]:
    spec = copy.deepcopy(JOB_SPEC)
    spec["template"]["spec"]["flinkConfiguration"] = {"a.b": value}
    return spec


@pytest.mark.parametrize("value", ODD_VALUES.values(), ids=ODD_VALUES.keys())
def test_a_deployment_spec_holding_a_non_json_value_is_refused_naming_the_field(
    mocks: RecordingMocks, value: Any
) -> None:
    target = DeploymentTarget(
        "prod", kubernetes_namespace="flink-jobs", deployment_patch_set=SEED_PATCH_SET
    )
    with pytest.raises(PulumiFlinkError, match=r"flinkConfiguration"):
        Deployment("orders", target=target, spec=_spec_with(value))


@pytest.mark.parametrize("value", ODD_VALUES.values(), ids=ODD_VALUES.keys())
def test_a_patch_set_holding_a_non_json_value_is_refused_naming_the_operation(
    mocks: RecordingMocks, value: Any
) -> None:
    patch_set = [*SEED_PATCH_SET, {"op": "add", "path": "/spec/x", "value": value}]
    with pytest.raises(PulumiFlinkError, match=r"deploymentPatchSet\[|patch "):
        DeploymentTarget("prod", kubernetes_namespace="flink-jobs", deployment_patch_set=patch_set)


@pytest.mark.parametrize("spec", [None, b"spec", "spec", 3, ("template",), [JOB_SPEC]], ids=repr)
def test_a_deployment_spec_of_the_wrong_type_is_refused(mocks: RecordingMocks, spec: Any) -> None:
    target = DeploymentTarget(
        "prod", kubernetes_namespace="flink-jobs", deployment_patch_set=SEED_PATCH_SET
    )
    with pytest.raises(PulumiFlinkError):
        Deployment("orders", target=target, spec=spec)


WRONG_KEYWORDS: list[tuple[str, str, Any]] = [
    *((kind, name, value) for kind in ("Deployment", "SessionCluster")
      for name, value in (("wait_for_ready", "no"), ("ready_timeout_seconds", [1]),
                          ("ready_timeout_seconds", True), ("ready_timeout_seconds", 0))),
    ("Deployment", "savepoint_on_delete", 1),
    ("Deployment", "restart_nonce", {"a": 1}),
    ("Deployment", "savepoint_nonce", 2.5),
    ("Deployment", "checkpoint_nonce", 2**60),
    ("Deployment", "defaults", 3),
    ("Deployment", "defaults", ["kind: DeploymentDefaults"]),
    ("Deployment", "secret_values", "x"),
    ("Deployment", "secret_values", {1: "a"}),
    ("Deployment", "allowed_jar_schemes", "https"),
    ("TargetNamespace", "namespace", [1]),
    ("TargetNamespace", "namespace", "a\x00b"),
    ("TargetNamespace", "platform_namespace", ""),
    ("TargetNamespace", "platform_service_account", {"a": 1}),
    ("TargetNamespace", "create_namespace", "yes"),
]  # fmt: skip
"""A keyword argument of a constructor given a value of the wrong type or out of range."""


def _construct_python(kind: str, keyword: str, value: Any) -> None:
    arguments: dict[str, Any] = {keyword: value}
    if kind == "TargetNamespace":
        TargetNamespace("prod", **{"namespace": "flink-jobs", **arguments})
        return
    target = DeploymentTarget(
        "prod", kubernetes_namespace="flink-jobs", deployment_patch_set=SEED_PATCH_SET
    )
    if kind == "SessionCluster":
        SessionCluster("session", target=target, spec={}, **arguments)
    else:
        Deployment("orders", target=target, spec=JOB_SPEC, **arguments)


@pytest.mark.parametrize(("kind", "keyword", "value"), WRONG_KEYWORDS, ids=repr)
def test_a_keyword_argument_of_the_wrong_type_is_refused_naming_it(
    mocks: RecordingMocks, kind: str, keyword: str, value: Any
) -> None:
    with pytest.raises(PulumiFlinkError, match=rf"^{keyword}"):
        _construct_python(kind, keyword, value)


@pytest.mark.parametrize(
    ("token", "inputs"),
    [
        ("Deployment", {"spec": JOB_SPEC, "readyTimeoutSeconds": [1]}),
        ("Deployment", {"spec": JOB_SPEC, "restartNonce": {"a": 1}}),
        ("Deployment", {"spec": JOB_SPEC, "waitForReady": 1.0}),
        ("Deployment", {"spec": JOB_SPEC, "checkpointNonce": float("nan")}),
        ("SessionCluster", {"spec": {}, "readyTimeoutSeconds": 2.5}),
        ("TargetNamespace", {"namespace": {"a": 1}}),
    ],
    ids=repr,
)
def test_a_package_input_of_the_wrong_type_is_an_input_error_naming_it(
    mocks: RecordingMocks, token: str, inputs: dict[str, Any]
) -> None:
    provider = PackageProvider()
    [name] = [key for key in inputs if key != "spec"]

    def program() -> None:
        with pytest.raises(InputPropertyError) as error:
            provider.construct("x", f"pulumi-flink:index:{token}", inputs, pulumi.ResourceOptions())
        assert (error.value.property_path, error.value.reason[:9]) == (name, "expected ")

    run_program(program)
