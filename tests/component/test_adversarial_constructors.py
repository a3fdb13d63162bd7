"""The components' constructors, attacked with wrong types (issue 11, class 6).

Whatever a program passes — bytes, paths, tuples, keys that are not strings,
values that are not JSON — the constructor raises one of our documented
errors naming the field, never a ``TypeError`` or ``AttributeError``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from pulumi_flink import Deployment, DeploymentTarget, PulumiFlinkError
from tests.component.conftest import JOB_SPEC, RecordingMocks
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
