"""Specification of ``effective_deployment``: defaults, the target's patch set, validation.

Issue 2, rules 3-5: patches apply to the *defaulted* document, may not rename
the Deployment or re-point it to another target, and the patched document is
validated again.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_flink import (
    DeploymentDocument,
    DeploymentTargetDocument,
    PatchSetError,
    SpecValidationError,
    effective_deployment,
)

CHECKPOINTS = "/spec/template/spec/flinkConfiguration/state.checkpoints.dir"

Doc = dict[str, Any]


def _deployment(name: str = "orders", **template_spec: Any) -> Doc:
    """A minimal stateless Deployment (no state directories needed)."""
    return {
        "apiVersion": "v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "restoreStrategy": {"kind": "NONE"},
            "template": {
                "spec": {
                    "artifact": {"kind": "JAR", "jarUri": "s3://jobs/orders.jar"},
                    **template_spec,
                }
            },
        },
    }


def _target(*patch_set: Doc, name: str = "prod", **metadata: Any) -> Doc:
    return {
        "apiVersion": "v1",
        "kind": "DeploymentTarget",
        "metadata": {"name": name, **metadata},
        "spec": {"kubernetes": {"namespace": "flink-jobs"}, "deploymentPatchSet": list(patch_set)},
    }


def _template_spec(document: Doc) -> Doc:
    spec: Doc = document["spec"]["template"]["spec"]
    return spec


# --- Rule 3: patches apply to the defaulted document -------------------------------------


def test_defaulted_document_has_an_empty_flink_configuration() -> None:
    assert (
        _template_spec(effective_deployment(_deployment(), _target()))["flinkConfiguration"] == {}
    )


def test_defaulted_document_has_every_pods_map_and_list() -> None:
    pods = _template_spec(effective_deployment(_deployment(), _target()))["kubernetes"]["pods"]

    assert pods == {
        "annotations": {},
        "labels": {},
        "nodeSelector": {},
        "tolerations": [],
        "volumeMounts": [],
        "envVars": [],
        "imagePullSecrets": [],
    }


def test_defaulted_document_has_kubernetes_labels() -> None:
    kubernetes = _template_spec(effective_deployment(_deployment(), _target()))["kubernetes"]

    assert kubernetes["labels"] == {}


def test_defaulted_document_has_a_root_logger_at_info_under_log4j_loggers() -> None:
    logging = _template_spec(effective_deployment(_deployment(), _target()))["logging"]

    assert logging == {"log4jLoggers": {"": "INFO"}}


def test_defaulted_resources_are_one_cpu_1g_jobmanager_and_one_cpu_2g_taskmanager() -> None:
    resources = _template_spec(effective_deployment(_deployment(), _target()))["resources"]

    assert resources == {
        "jobmanager": {"cpu": 1.0, "memory": "1g"},
        "taskmanager": {"cpu": 1.0, "memory": "2g"},
    }


def test_defaulted_artifact_is_a_jar_on_flink_1_20() -> None:
    artifact = _template_spec(effective_deployment(_deployment(), _target()))["artifact"]

    assert (artifact["kind"], artifact["flinkVersion"], artifact["additionalDependencies"]) == (
        "JAR",
        "1.20",
        [],
    )


def test_defaulted_spec_runs_statefully_with_parallelism_one() -> None:
    deployment = _deployment()
    del deployment["spec"]["restoreStrategy"]
    target = _target({"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt"})

    spec = effective_deployment(deployment, target)["spec"]

    assert (
        spec["state"],
        spec["upgradeStrategy"],
        spec["restoreStrategy"],
        spec["template"]["spec"]["parallelism"],
    ) == (
        "RUNNING",
        {"kind": "STATEFUL"},
        {"kind": "LATEST_STATE", "allowNonRestoredState": False},
        1,
    )


def test_seed_patch_adds_the_checkpoint_dir_to_a_deployment_without_flink_configuration() -> None:
    deployment: Doc = {
        "metadata": {"name": "orders"},
        "spec": {"template": {"spec": {"artifact": {"jarUri": "s3://jobs/orders.jar"}}}},
    }
    target = _target({"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt/orders"})

    effective = effective_deployment(deployment, target)

    assert _template_spec(effective)["flinkConfiguration"] == {
        "state.checkpoints.dir": "s3://ckpt/orders"
    }


def test_patch_appends_to_the_defaulted_env_vars_list() -> None:
    target = _target(
        {
            "op": "add",
            "path": "/spec/template/spec/kubernetes/pods/envVars/-",
            "value": {"name": "REGION", "value": "eu-west-1"},
        }
    )

    pods = _template_spec(effective_deployment(_deployment(), target))["kubernetes"]["pods"]

    assert pods["envVars"] == [{"name": "REGION", "value": "eu-west-1"}]


def test_patch_adds_a_logger_under_the_vvp_spelling_log4j_loggers() -> None:
    target = _target(
        {
            "op": "add",
            "path": "/spec/template/spec/logging/log4jLoggers/org.apache.kafka",
            "value": "WARN",
        }
    )

    logging = _template_spec(effective_deployment(_deployment(), target))["logging"]

    assert logging["log4jLoggers"] == {"": "INFO", "org.apache.kafka": "WARN"}


def test_patch_adds_a_node_selector_entry_to_the_defaulted_map() -> None:
    target = _target(
        {
            "op": "add",
            "path": "/spec/template/spec/kubernetes/pods/nodeSelector/pool",
            "value": "flink",
        }
    )

    pods = _template_spec(effective_deployment(_deployment(), target))["kubernetes"]["pods"]

    assert pods["nodeSelector"] == {"pool": "flink"}


def test_patches_apply_in_order_each_to_the_result_of_the_previous() -> None:
    target = _target(
        {"op": "add", "path": CHECKPOINTS, "value": "s3://first"},
        {"op": "replace", "path": CHECKPOINTS, "value": "s3://second"},
    )

    effective = effective_deployment(_deployment(), target)

    assert _template_spec(effective)["flinkConfiguration"]["state.checkpoints.dir"] == "s3://second"


def test_values_the_deployment_sets_are_kept_when_defaults_fill_the_rest() -> None:
    deployment = _deployment(parallelism=3, flinkConfiguration={"pipeline.name": "orders"})

    spec = _template_spec(effective_deployment(deployment, _target()))

    assert (spec["parallelism"], spec["flinkConfiguration"]) == (3, {"pipeline.name": "orders"})


def test_effective_deployment_records_the_target_name() -> None:
    effective = effective_deployment(_deployment(), _target(name="prod"))

    assert effective["spec"]["deploymentTargetName"] == "prod"


def test_effective_deployment_records_the_target_id_when_the_target_has_one() -> None:
    target = _target(id="5e6f2f4e-0000-4000-8000-000000000001")

    effective = effective_deployment(_deployment(), target)

    assert effective["spec"]["deploymentTargetId"] == "5e6f2f4e-0000-4000-8000-000000000001"


def test_deployment_naming_another_target_is_rejected() -> None:
    deployment = _deployment()
    deployment["spec"]["deploymentTargetName"] = "staging"

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(deployment, _target(name="prod"))

    assert caught.value.field == "spec.deploymentTargetName"


def test_deployment_naming_another_target_id_is_rejected() -> None:
    deployment = _deployment()
    deployment["spec"]["deploymentTargetId"] = "other-id"

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(deployment, _target(id="target-id"))

    assert caught.value.field == "spec.deploymentTargetId"


def test_effective_deployment_does_not_mutate_its_inputs() -> None:
    deployment = _deployment()
    target = _target({"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt"})
    deployment_before, target_before = copy.deepcopy(deployment), copy.deepcopy(target)

    effective_deployment(deployment, target)

    assert (deployment, target) == (deployment_before, target_before)


def test_models_and_wire_dicts_give_the_same_effective_deployment() -> None:
    deployment = _deployment(parallelism=2)
    target = _target({"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt"})

    from_models = effective_deployment(
        DeploymentDocument.model_validate(deployment),
        DeploymentTargetDocument.model_validate(target),
    )

    assert from_models == effective_deployment(deployment, target)


def test_effective_deployment_is_a_fixed_point() -> None:
    effective = effective_deployment(_deployment(), _target())

    assert effective_deployment(effective, _target()) == effective


# --- Patch failures: PatchSetError names the target, index and path ----------------------


def test_failing_patch_raises_patch_set_error_with_its_index_and_operation() -> None:
    missing = {"op": "remove", "path": "/spec/template/spec/flinkConfiguration/absent"}
    target = _target({"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt"}, missing)

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), target)

    assert (caught.value.index, caught.value.operation) == (1, missing)


def test_patch_set_error_message_names_the_target_the_index_and_the_path() -> None:
    target = _target(
        {"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt"},
        {"op": "remove", "path": "/spec/template/spec/flinkConfiguration/absent"},
        name="analytics_prod",
    )

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), target)

    message = str(caught.value)
    assert "'analytics_prod'" in message
    assert "patch 1" in message
    assert "/spec/template/spec/flinkConfiguration/absent" in message


def test_patch_set_error_records_the_target_name() -> None:
    target = _target({"op": "remove", "path": "/spec/absent"}, name="prod")

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.target_name == "prod"


def test_add_does_not_create_missing_parents_in_the_deployment() -> None:
    target = _target({"op": "add", "path": "/spec/template/spec/absent/child", "value": 1})

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.index == 0


def test_malformed_operation_is_reported_before_any_operation_is_applied() -> None:
    # Patch 0 would fail when applied; patch 1 is malformed. Validation runs first.
    target = _target({"op": "remove", "path": "/spec/absent"}, {"op": "delete", "path": "/x"})

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.index == 1


def test_failed_test_operation_fails_the_whole_patch_set() -> None:
    target = _target(
        {"op": "test", "path": "/spec/template/spec/parallelism", "value": True},
    )

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(parallelism=1), target)

    assert caught.value.index == 0


# --- Rule 4: protected fields ------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "path"),
    [
        ({"op": "replace", "path": "/metadata/name", "value": "payments"}, "/metadata/name"),
        ({"op": "remove", "path": "/metadata/name"}, "/metadata/name"),
        (
            {"op": "move", "from": "/metadata/name", "path": "/metadata/labels/old-name"},
            "/metadata/name",
        ),
        (
            {"op": "replace", "path": "/spec/deploymentTargetName", "value": "staging"},
            "/spec/deploymentTargetName",
        ),
        ({"op": "remove", "path": "/spec/deploymentTargetName"}, "/spec/deploymentTargetName"),
        (
            {"op": "add", "path": "/spec/deploymentTargetId", "value": "other-target-id"},
            "/spec/deploymentTargetId",
        ),
    ],
    ids=[
        "replace-name",
        "remove-name",
        "move-name-away",
        "replace-target-name",
        "remove-target-name",
        "add-target-id",
    ],
)
def test_patch_may_not_change_a_protected_field(operation: Doc, path: str) -> None:
    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), _target(operation))

    assert path in caught.value.reason


def test_patch_replacing_the_whole_spec_may_not_drop_the_target_name() -> None:
    target = _target({"op": "replace", "path": "/spec", "value": {"state": "SUSPENDED"}})

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), target)

    assert "/spec/deploymentTargetName" in caught.value.reason


def test_protected_field_error_names_the_operation_that_changed_it() -> None:
    target = _target(
        {"op": "add", "path": CHECKPOINTS, "value": "s3://ckpt"},
        {"op": "add", "path": "/metadata/labels/team", "value": "payments"},
        {"op": "replace", "path": "/metadata/name", "value": "payments"},
    )

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), target)

    assert (caught.value.index, caught.value.target_name) == (2, "prod")


def test_a_protected_field_changed_and_restored_by_the_patch_set_is_allowed() -> None:
    target = _target(
        {"op": "replace", "path": "/metadata/name", "value": "payments"},
        {"op": "replace", "path": "/metadata/name", "value": _deployment()["metadata"]["name"]},
    )

    effective = effective_deployment(_deployment(), target)

    assert effective["metadata"]["name"] == _deployment()["metadata"]["name"]


def test_a_protected_field_changed_again_after_a_restore_names_the_first_change() -> None:
    target = _target(
        {"op": "add", "path": "/metadata/labels/team", "value": "payments"},
        {"op": "replace", "path": "/metadata/name", "value": "payments"},
        {"op": "replace", "path": "/metadata/name", "value": _deployment()["metadata"]["name"]},
        {"op": "remove", "path": "/metadata/name"},
    )

    with pytest.raises(PatchSetError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.index == 1


def test_patch_writing_the_same_target_name_back_is_allowed() -> None:
    target = _target({"op": "replace", "path": "/spec/deploymentTargetName", "value": "prod"})

    effective = effective_deployment(_deployment(), target)

    assert effective["spec"]["deploymentTargetName"] == "prod"


def test_patch_may_change_metadata_labels() -> None:
    target = _target({"op": "add", "path": "/metadata/labels/team", "value": "payments"})

    effective = effective_deployment(_deployment(), target)

    assert effective["metadata"]["labels"] == {"team": "payments"}


# --- Rule 5: the patched document is validated again -------------------------------------


def test_patch_producing_a_non_integer_parallelism_is_an_error_naming_the_field() -> None:
    target = _target({"op": "replace", "path": "/spec/template/spec/parallelism", "value": "many"})

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.field == "spec.template.spec.parallelism"


def test_validation_error_after_patching_says_the_patch_set_caused_it() -> None:
    target = _target({"op": "replace", "path": "/spec/template/spec/parallelism", "value": "many"})

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(_deployment(), target)

    assert "deploymentPatchSet of deploymentTarget 'prod'" in str(caught.value)


def test_patch_producing_zero_parallelism_is_an_error_naming_the_field() -> None:
    target = _target({"op": "replace", "path": "/spec/template/spec/parallelism", "value": 0})

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.field == "spec.template.spec.parallelism"


def test_patch_adding_an_unknown_field_is_an_error_naming_it() -> None:
    target = _target({"op": "add", "path": "/spec/template/spec/paralelism", "value": 2})

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.field == "spec.template.spec.paralelism"


def test_patch_producing_an_unknown_state_is_an_error_naming_the_field() -> None:
    target = _target({"op": "replace", "path": "/spec/state", "value": "PAUSED"})

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.field == "spec.state"


def test_patch_producing_a_nested_flink_configuration_value_is_an_error_naming_the_key() -> None:
    target = _target(
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/metrics.reporters",
            "value": {"prom": {}},
        }
    )

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(_deployment(), target)

    assert caught.value.field == "spec.template.spec.flinkConfiguration.metrics.reporters"


def test_patch_breaking_a_cross_field_rule_is_an_error_naming_the_field() -> None:
    target = _target(
        {"op": "add", "path": "/spec/template/spec/numberOfTaskManagers", "value": 1},
    )

    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(_deployment(parallelism=4), target)

    assert caught.value.field == "spec.template.spec.parallelism"


# --- Every error is a ValueError ---------------------------------------------------------


@pytest.mark.parametrize(
    ("deployment", "target"),
    [
        (_deployment(name="Orders"), _target()),
        (_deployment(), _target(name="prod.eu")),
        (_deployment(), _target({"op": "remove", "path": "/spec/absent"})),
        (_deployment(), _target({"op": "replace", "path": "/metadata/name", "value": "x"})),
        (_deployment(), _target({"op": "add", "path": "/spec/template/spec/parallelism"})),
        (_deployment(), "not a target"),
        ("not a deployment", _target()),
    ],
    ids=[
        "bad-deployment-name",
        "bad-target-name",
        "failing-patch",
        "protected-field",
        "malformed-patch",
        "target-not-a-mapping",
        "deployment-not-a-mapping",
    ],
)
def test_every_error_is_a_value_error(deployment: Any, target: Any) -> None:
    with pytest.raises(ValueError):
        effective_deployment(deployment, target)
