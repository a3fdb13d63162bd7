"""A user error reaches ``pulumi`` as a RunError: one message, no Python traceback (issue 11.13).

The error stays the documented one (``SpecValidationError``, ``PatchSetError``),
whether the Deployment renders while the program runs (plain inputs) or inside
an Output (a target read with ``DeploymentTarget.get``, whose inputs are
Outputs).
"""

from __future__ import annotations

import copy
from typing import Any

import pulumi
import pytest

from pulumi_flink import Deployment, DeploymentTarget
from pulumi_flink._program import OutputInputError
from pulumi_flink.errors import SpecValidationError
from tests.component.conftest import JOB_SPEC, RecordingMocks, run_program
from tests.seed import SEED_PATCH_SET


def _bad_spec() -> dict[str, Any]:
    spec = copy.deepcopy(JOB_SPEC)
    spec["template"]["spec"]["parallelism"] = -3
    return spec


def test_a_plain_bad_spec_fails_as_a_run_error_that_is_still_ours(mocks: RecordingMocks) -> None:
    target = DeploymentTarget(
        "prod", kubernetes_namespace="flink-jobs", deployment_patch_set=SEED_PATCH_SET
    )
    with pytest.raises(SpecValidationError) as caught:
        Deployment("orders", target=target, spec=_bad_spec())
    assert isinstance(caught.value, pulumi.RunError)
    assert caught.value.field == "spec.template.spec.parallelism"


def test_a_bad_spec_rendered_inside_an_output_fails_as_a_run_error(mocks: RecordingMocks) -> None:
    def program() -> None:
        target = DeploymentTarget(
            "prod",
            kubernetes_namespace="flink-jobs",
            deployment_patch_set=pulumi.Output.from_input(SEED_PATCH_SET),
        )
        Deployment("orders", target=target, spec=_bad_spec())

    with pytest.raises(OutputInputError) as caught:
        run_program(program)
    assert isinstance(caught.value, pulumi.RunError)
    assert isinstance(caught.value.error, SpecValidationError)
    assert str(caught.value).startswith("spec.template.spec.parallelism: ")
    # The component itself is declared before its spec is known; none of its objects is.
    assert [r.type for r in mocks.declared if r.name.startswith("orders")] == [
        "pulumi-flink:index:Deployment"
    ]
