"""Specification of preparing a DeploymentTarget once for many Deployments."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_flink import (
    DeploymentTargetDocument,
    PatchSetError,
    SpecValidationError,
    effective_deployment,
    render_manifests,
)
from pulumi_flink.target import prepare_target, prepare_target_inputs, target_input_problems

CHECKPOINTS = "/spec/template/spec/flinkConfiguration/state.checkpoints.dir"
LABELS = "/spec/template/spec/kubernetes/labels"

Doc = dict[str, Any]


def _deployment() -> Doc:
    return {
        "metadata": {"name": "orders"},
        "spec": {"template": {"spec": {"artifact": {"jarUri": "s3://jobs/orders.jar"}}}},
    }


def _target(*patch_set: Any, name: str = "prod") -> Doc:
    return {
        "metadata": {"name": name},
        "spec": {
            "kubernetes": {"namespace": "flink-jobs"},
            "deploymentPatchSet": [
                {"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt"},
                *patch_set,
            ],
        },
    }


def _labels(effective: Doc) -> Any:
    return effective["spec"]["template"]["spec"]["kubernetes"]["labels"]


def test_a_prepared_target_is_taken_as_it_is() -> None:
    prepared = prepare_target(_target())

    assert prepare_target(prepared) is prepared


def test_a_prepared_target_does_not_follow_later_changes_of_its_document() -> None:
    target = _target({"op": "add", "path": f"{LABELS}/team", "value": "a"})
    prepared = prepare_target(target)

    target["spec"]["deploymentPatchSet"][1]["value"] = "b"

    assert _labels(effective_deployment(_deployment(), prepared)) == {"team": "a"}


def test_a_changed_target_document_is_prepared_again() -> None:
    target = _target({"op": "add", "path": f"{LABELS}/team", "value": "a"})
    effective_deployment(_deployment(), target)

    target["spec"]["deploymentPatchSet"][1]["value"] = "b"

    assert _labels(effective_deployment(_deployment(), target)) == {"team": "b"}


def test_documents_with_the_same_json_text_but_not_json_are_not_confused() -> None:
    string_key = _target({"op": "add", "path": LABELS, "value": {"1": "x"}})
    integer_key = _target({"op": "add", "path": LABELS, "value": {1: "x"}})
    effective_deployment(_deployment(), string_key)

    with pytest.raises(
        SpecValidationError, match=r"spec\.deploymentPatchSet\[1\]\.value: .*keys are strings"
    ):
        effective_deployment(_deployment(), integer_key)


def test_an_invalid_target_fails_every_time() -> None:
    target = _target({"op": "add", "path": f"{LABELS}/team"})

    for _ in range(2):
        with pytest.raises(PatchSetError, match=r"patch 1 .*add needs a 'value'"):
            effective_deployment(_deployment(), target)


def test_a_target_model_has_its_patch_set_validated_too() -> None:
    model = DeploymentTargetDocument.model_validate(_target({"op": "add", "path": LABELS}))

    with pytest.raises(PatchSetError) as caught:
        prepare_target(model)

    assert (caught.value.index, caught.value.target_name) == (1, "prod")


def test_a_prepared_target_renders_like_its_document() -> None:
    target = _target({"op": "add", "path": f"{LABELS}/team", "value": "a"})

    assert render_manifests(_deployment(), prepare_target(target)) == render_manifests(
        _deployment(), target
    )


def test_preparing_a_bad_target_names_the_field() -> None:
    with pytest.raises(SpecValidationError) as caught:
        prepare_target({"metadata": {"name": "bad name"}})

    assert caught.value.field == "metadata.name"


def test_resource_inputs_prepare_like_the_document_they_fill() -> None:
    patch_set = [{"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt"}]

    prepared = prepare_target_inputs("prod", "flink-jobs", patch_set)

    assert prepared.model == prepare_target(_target()).model


def test_input_problems_name_the_resource_property_of_each_problem() -> None:
    problems = target_input_problems("bad name", "Not_A_Namespace", [{"op": "remove"}])

    assert [prop for prop, _ in problems] == [
        "name",
        "kubernetes_namespace",
        "deployment_patch_set",
    ]


def test_valid_inputs_have_no_problems() -> None:
    assert target_input_problems("prod", None, []) == []


def test_an_unset_namespace_takes_the_default_which_must_be_valid() -> None:
    prepared = prepare_target({"metadata": {"name": "prod"}})

    assert prepared.namespace_or("jobs") == "jobs"
    with pytest.raises(SpecValidationError) as caught:
        prepared.namespace_or("Bad_Namespace")
    assert caught.value.field == "default_namespace"
