"""TargetNamespace prepares a namespace for Flink jobs, then registers its target."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_flink import TargetNamespace
from pulumi_flink.render.rbac import PLATFORM_RULES
from tests.component.conftest import RecordingMocks, run_program
from tests.seed import SEED_PATCH_SET


def test_creates_namespace_platform_rbac_and_target(mocks: RecordingMocks) -> None:
    run_program(
        lambda: TargetNamespace("prod", namespace="flink-prod", deployment_patch_set=SEED_PATCH_SET)
    )

    assert mocks.named("prod-namespace").inputs["metadata"]["name"] == "flink-prod"
    assert mocks.named("prod-platform-role").inputs["rules"] == PLATFORM_RULES
    binding = mocks.named("prod-platform-role-binding").inputs
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "flink-operator", "namespace": "flink-operator"}
    ]
    (target,) = mocks.of_type("flink:DeploymentTarget")
    assert target.inputs["kubernetes_namespace"] == "flink-prod"
    assert target.inputs["deployment_patch_set"] == SEED_PATCH_SET


def test_an_existing_namespace_is_not_created(mocks: RecordingMocks) -> None:
    run_program(lambda: TargetNamespace("prod", namespace="flink-prod", create_namespace=False))

    assert mocks.of_type("core/v1:Namespace") == []


def test_platform_rbac_has_no_wildcards() -> None:
    for rule in PLATFORM_RULES:
        assert "*" not in rule["verbs"]
        assert "*" not in rule["resources"]


def test_warns_when_jobs_would_share_the_platforms_namespace(
    mocks: RecordingMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []

    def warn(message: str, *args: Any, **kwargs: Any) -> None:
        warnings.append(message)

    monkeypatch.setattr(pulumi.log, "warn", warn)
    run_program(lambda: TargetNamespace("ops", namespace="flink-operator"))

    assert warnings == [
        "target namespace 'flink-operator' is the platform's own namespace; "
        "run Flink jobs in a namespace of their own"
    ]
