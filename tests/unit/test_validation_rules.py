"""Each rule across fields (``pulumi_flink.validation.RULES``), one at a time."""

from __future__ import annotations

from typing import Any

from pulumi_flink import validation
from pulumi_flink.errors import FieldProblem
from pulumi_flink.model import Deployment
from pulumi_flink.validation import RULES, Rule
from tests.unit.documents import deployment

CHECKPOINTS = {"state.checkpoints.dir": "s3://ckpt"}


def _model(**template: Any) -> Deployment:
    return Deployment.model_validate(deployment(**template))


def _stateful(**template: Any) -> Deployment:
    document = deployment(**template)
    document["spec"]["restoreStrategy"] = {"kind": "LATEST_STATE"}
    return Deployment.model_validate(document)


def _problems(rule: Rule, model: Deployment) -> list[FieldProblem]:
    return list(rule(model))


def test_the_rules_are_the_named_functions_tested_here() -> None:
    assert [rule.__name__ for rule in RULES] == [
        "runs_on_a_target",
        "artifact_runs",
        "pods_and_pod_templates_are_exclusive",
        "parallelism_fits_the_task_managers",
        "state_directories_are_set",
        "configuration_fits_the_flink_version",
        "vvp_settings_translate",
    ]


def test_cross_field_problems_runs_every_rule_in_order() -> None:
    model = Deployment.model_validate(
        {
            "metadata": {"name": "x"},
            "spec": {
                "sessionClusterName": "s",
                "template": {"spec": {"parallelism": 3, "numberOfTaskManagers": 1}},
            },
        }
    )
    fields = [problem.field for problem in validation.cross_field_problems(model)]
    assert fields == [
        "spec.sessionClusterName",
        "spec.template.spec.artifact.jarUri",
        "spec.template.spec.parallelism",
        "spec.template.spec.flinkConfiguration",
    ]


def test_runs_on_a_target() -> None:
    model = Deployment.model_validate(
        {"metadata": {"name": "x"}, "spec": {"sessionClusterName": "shared"}}
    )
    [problem] = _problems(validation.runs_on_a_target, model)
    assert problem.field == "spec.sessionClusterName"
    assert "SessionCluster 'shared'" in problem.reason
    assert _problems(validation.runs_on_a_target, _model()) == []


def test_session_clusters_follow_the_cluster_level_rules() -> None:
    assert [rule.__name__ for rule in validation.SESSION_CLUSTER_RULES] == [
        "pods_and_pod_templates_are_exclusive",
        "configuration_fits_the_flink_version",
    ]


def test_artifact_runs() -> None:
    rule = validation.artifact_runs
    assert _problems(rule, _model()) == []
    [missing] = _problems(rule, _model(jar_uri=""))
    assert missing.field == "spec.template.spec.artifact.jarUri"
    [required, foreign, _] = _problems(rule, _model(artifact={"kind": "PYTHON"}))
    assert required.field == "spec.template.spec.artifact.pythonArtifactUri"
    assert foreign.field == "spec.template.spec.artifact.jarUri"


def test_pods_and_pod_templates_are_exclusive() -> None:
    rule = validation.pods_and_pod_templates_are_exclusive
    both = _model(
        kubernetes={
            "pods": {"labels": {"a": "b"}},
            "jobManagerPodTemplate": {"spec": {"containers": []}},
        }
    )
    [problem] = _problems(rule, both)
    assert problem.field == "spec.template.spec.kubernetes.pods"
    assert _problems(rule, _model(kubernetes={"pods": {"labels": {"a": "b"}}})) == []


def test_parallelism_fits_the_task_managers() -> None:
    rule = validation.parallelism_fits_the_task_managers
    [problem] = _problems(rule, _model(parallelism=5, numberOfTaskManagers=2))
    assert "5 does not fit 2 TaskManagers x 1 slots" in problem.reason
    slots = {"taskmanager.numberOfTaskSlots": "3"}
    fits = _model(parallelism=6, numberOfTaskManagers=2, flinkConfiguration=slots)
    assert _problems(rule, fits) == []
    assert _problems(rule, _model(parallelism=50)) == []


def test_state_directories_are_set() -> None:
    rule = validation.state_directories_are_set
    [missing] = _problems(rule, _stateful())
    assert "'state.checkpoints.dir' is required for upgrade mode 'last-state'" in missing.reason
    assert _problems(rule, _stateful(flinkConfiguration=CHECKPOINTS)) == []
    assert _problems(rule, _model()) == []


def test_an_empty_state_directory_does_not_count_as_set() -> None:
    rule = validation.state_directories_are_set
    for blank in ("", "  "):
        [problem] = _problems(rule, _stateful(flinkConfiguration={"state.checkpoints.dir": blank}))
        assert "'state.checkpoints.dir' is empty" in problem.reason


def test_configuration_fits_the_flink_version() -> None:
    rule = validation.configuration_fits_the_flink_version
    injected = {"a.b": "x\nkubernetes.namespace: other"}
    [problem] = _problems(
        rule, _model(artifact={"flinkVersion": "1.18"}, flinkConfiguration=injected)
    )
    assert problem.field == "spec.template.spec.flinkConfiguration.a.b"
    assert "line break" in problem.reason
    # config.yaml (1.19+) is real YAML: any value reads back exactly.
    assert _problems(rule, _model(flinkConfiguration=injected)) == []


def test_a_comment_sign_or_surrounding_space_cannot_be_read_before_flink_1_19() -> None:
    rule = validation.configuration_fits_the_flink_version
    for value in ("pass#word", " padded", ""):
        model = _model(artifact={"flinkVersion": "1.17"}, flinkConfiguration={"k": value})
        assert len(_problems(rule, model)) == 1


def test_vvp_settings_translate() -> None:
    rule = validation.vvp_settings_translate
    vvp_ha = {"high-availability": "vvp-kubernetes"}
    [problem] = _problems(rule, _model(flinkConfiguration=vvp_ha))
    assert problem.field == "spec.template.spec.flinkConfiguration.high-availability"
    assert _problems(rule, _model(flinkConfiguration={**vvp_ha, **CHECKPOINTS})) == []
