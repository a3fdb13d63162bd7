"""Specification of the VVP model's validation rules (issue 2, rules 6 and 7).

Every problem is a ``SpecValidationError`` (a ``ValueError``) whose ``field``
is the VVP camelCase dotted path of the offending field.
"""

from __future__ import annotations

import pytest

from pulumi_flink import SpecValidationError, effective_deployment
from pulumi_flink.model.versions import SUPPORTED_FLINK_VERSIONS
from tests.unit.documents import Doc
from tests.unit.documents import deployment as _deployment
from tests.unit.documents import target as _target

TEMPLATE_SPEC = "spec.template.spec"


def _effective_template_spec(deployment: Doc, target: Doc | None = None) -> Doc:
    spec: Doc = effective_deployment(deployment, target or _target())["spec"]["template"]["spec"]
    return spec


def _problem(deployment: Doc, target: Doc | None = None) -> SpecValidationError:
    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(deployment, target or _target())
    return caught.value


# --- Names -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["orders", "a", "1-click-checkout", "orders-v2", "x" * 63])
def test_valid_deployment_names_are_accepted(name: str) -> None:
    assert effective_deployment(_deployment(name), _target())["metadata"]["name"] == name


@pytest.mark.parametrize(
    "name",
    ["Orders", "orders_v2", "-orders", "orders-", "orders.v2", "x" * 64, ""],
    ids=[
        "uppercase",
        "underscore",
        "leading-hyphen",
        "trailing-hyphen",
        "dot",
        "64-chars",
        "empty",
    ],
)
def test_invalid_deployment_names_are_rejected_naming_metadata_name(name: str) -> None:
    assert _problem(_deployment(name)).field == "metadata.name"


@pytest.mark.parametrize("name", ["prod", "Analytics_PROD-eu", "_", "-", "t" * 250])
def test_valid_target_names_are_accepted(name: str) -> None:
    effective = effective_deployment(_deployment(), _target(name))

    assert effective["spec"]["deploymentTargetName"] == name


@pytest.mark.parametrize(
    "name",
    ["prod.eu", "prod eu", "prod/eu", "t" * 251, ""],
    ids=["dot", "space", "slash", "251-chars", "empty"],
)
def test_invalid_target_names_are_rejected_naming_metadata_name(name: str) -> None:
    assert _problem(_deployment(), _target(name)).field == "metadata.name"


@pytest.mark.parametrize("namespace", ["flink", "flink-jobs-2", "1st", "n" * 63])
def test_target_namespace_that_is_a_dns_label_is_accepted(namespace: str) -> None:
    effective_deployment(_deployment(), _target(namespace=namespace))


@pytest.mark.parametrize(
    "namespace",
    ["Flink", "flink_jobs", "flink.jobs", "-flink", "flink-", "n" * 64, ""],
    ids=[
        "uppercase",
        "underscore",
        "dot",
        "leading-hyphen",
        "trailing-hyphen",
        "64-chars",
        "empty",
    ],
)
def test_target_namespace_that_is_not_a_dns_label_is_rejected(namespace: str) -> None:
    problem = _problem(_deployment(), _target(namespace=namespace))

    assert problem.field == "spec.kubernetes.namespace"


def test_target_without_namespace_is_accepted() -> None:
    effective_deployment(_deployment(), _target(namespace=None))


# --- Parallelism and TaskManagers --------------------------------------------------------


@pytest.mark.parametrize("parallelism", [0, -1])
def test_parallelism_below_one_is_rejected(parallelism: int) -> None:
    problem = _problem(_deployment(parallelism=parallelism))

    assert problem.field == f"{TEMPLATE_SPEC}.parallelism"


def test_number_of_task_managers_below_one_is_rejected() -> None:
    problem = _problem(_deployment(numberOfTaskManagers=0))

    assert problem.field == f"{TEMPLATE_SPEC}.numberOfTaskManagers"


def test_parallelism_that_fills_every_slot_is_accepted() -> None:
    deployment = _deployment(
        parallelism=4,
        numberOfTaskManagers=2,
        flinkConfiguration={"taskmanager.numberOfTaskSlots": "2"},
    )

    assert _effective_template_spec(deployment)["parallelism"] == 4


def test_parallelism_beyond_task_managers_times_slots_is_rejected() -> None:
    deployment = _deployment(
        parallelism=5,
        numberOfTaskManagers=2,
        flinkConfiguration={"taskmanager.numberOfTaskSlots": "2"},
    )

    assert _problem(deployment).field == f"{TEMPLATE_SPEC}.parallelism"


def test_parallelism_error_says_how_to_make_it_fit() -> None:
    problem = _problem(_deployment(parallelism=3, numberOfTaskManagers=2))

    assert "2 TaskManagers x 1 slots" in str(problem)
    assert "numberOfTaskManagers" in str(problem)


def test_slots_default_to_one_when_checking_parallelism() -> None:
    problem = _problem(_deployment(parallelism=2, numberOfTaskManagers=1))

    assert problem.field == f"{TEMPLATE_SPEC}.parallelism"


def test_parallelism_is_unbounded_when_number_of_task_managers_is_unset() -> None:
    assert _effective_template_spec(_deployment(parallelism=64))["parallelism"] == 64


@pytest.mark.parametrize("slots", ["0", "two", "1.5", "-2"])
def test_task_slots_must_be_a_whole_number_of_at_least_one(slots: str) -> None:
    deployment = _deployment(flinkConfiguration={"taskmanager.numberOfTaskSlots": slots})

    assert _problem(deployment).field == f"{TEMPLATE_SPEC}.flinkConfiguration"


# --- Flink version -----------------------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_FLINK_VERSIONS)
def test_every_flink_version_the_operator_knows_is_accepted(version: str) -> None:
    in_image = {"flinkVersion": version, "jarUri": "local:///opt/flink/usrlib/orders.jar"}
    artifact = _effective_template_spec(_deployment(artifact=in_image))["artifact"]

    assert artifact["flinkVersion"] == version


@pytest.mark.parametrize("version", ["1.12", "1.99.1", "3.0", "v1_20", "latest"])
def test_flink_version_the_operator_does_not_know_is_rejected(version: str) -> None:
    problem = _problem(_deployment(artifact={"flinkVersion": version}))

    assert problem.field == f"{TEMPLATE_SPEC}.artifact.flinkVersion"


# --- flinkConfiguration ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "as_flink_reads_it"),
    [
        (True, "true"),
        (False, "false"),
        (4, "4"),
        (0.75, "0.75"),
        (2.0, "2"),
        ("30 s", "30 s"),
    ],
    ids=["true", "false", "int", "fraction", "whole-float", "string"],
)
def test_flink_configuration_values_end_up_as_the_strings_flink_reads(
    value: object, as_flink_reads_it: str
) -> None:
    deployment = _deployment(flinkConfiguration={"some.option": value})

    configuration = _effective_template_spec(deployment)["flinkConfiguration"]

    assert configuration == {"some.option": as_flink_reads_it}


@pytest.mark.parametrize("value", [None, ["a"], {"a": "b"}], ids=["null", "list", "object"])
def test_flink_configuration_value_that_is_not_a_scalar_is_rejected_naming_the_key(
    value: object,
) -> None:
    problem = _problem(_deployment(flinkConfiguration={"some.option": value}))

    assert problem.field == f"{TEMPLATE_SPEC}.flinkConfiguration.some.option"


@pytest.mark.parametrize(
    "key", ["kubernetes.namespace", "kubernetes.cluster-id", "high-availability.cluster-id"]
)
def test_keys_the_operator_forbids_are_rejected(key: str) -> None:
    problem = _problem(_deployment(flinkConfiguration={key: "anything"}))

    assert problem.field == f"{TEMPLATE_SPEC}.flinkConfiguration"
    assert key in str(problem)


# --- Resources (memory) ------------------------------------------------------------------


@pytest.mark.parametrize("memory", ["lots", "1 g b", "-1g", "", "512k"])
def test_memory_that_is_not_a_size_of_at_least_one_mib_is_rejected(memory: str) -> None:
    deployment = _deployment(resources={"jobmanager": {"cpu": 1, "memory": memory}})

    assert _problem(deployment).field == f"{TEMPLATE_SPEC}.resources.jobmanager.memory"


def test_cpu_must_be_positive() -> None:
    deployment = _deployment(resources={"taskmanager": {"cpu": 0, "memory": "1g"}})

    assert _problem(deployment).field == f"{TEMPLATE_SPEC}.resources.taskmanager.cpu"


def test_resources_keep_the_vvp_memory_string() -> None:
    deployment = _deployment(resources={"taskmanager": {"cpu": 2, "memory": "1500m"}})

    resources = _effective_template_spec(deployment)["resources"]

    assert resources["taskmanager"] == {"cpu": 2.0, "memory": "1500m"}


# --- Artifact ----------------------------------------------------------------------------


@pytest.mark.parametrize("main_args", ["--name 'unbalanced", 'say "hello', "trailing\\"])
def test_main_args_that_cannot_be_split_shell_style_are_rejected(main_args: str) -> None:
    problem = _problem(_deployment(artifact={"mainArgs": main_args}))

    assert problem.field == f"{TEMPLATE_SPEC}.artifact.mainArgs"


def test_main_args_stay_one_string_in_the_effective_document() -> None:
    deployment = _deployment(artifact={"mainArgs": "--window 10 --name 'a b'"})

    artifact = _effective_template_spec(deployment)["artifact"]

    assert artifact["mainArgs"] == "--window 10 --name 'a b'"


@pytest.mark.parametrize("kind", ["jar", "Jar", "JAR"])
def test_artifact_kind_is_compared_case_insensitively(kind: str) -> None:
    artifact = _effective_template_spec(_deployment(artifact={"kind": kind}))["artifact"]

    assert artifact["kind"] == "JAR"


@pytest.mark.parametrize(
    ("kind", "required"),
    [("SQLSCRIPT", "sqlScript"), ("PYTHON", "pythonArtifactUri"), ("python", "pythonArtifactUri")],
)
def test_artifact_kinds_other_than_jar_refuse_the_jar_uri_and_need_their_own_field(
    kind: str, required: str
) -> None:
    with pytest.raises(SpecValidationError) as caught:
        effective_deployment(_deployment(artifact={"kind": kind}), _target())

    fields = {problem.field for problem in caught.value.problems}
    assert fields == {
        f"{TEMPLATE_SPEC}.artifact.{required}",
        f"{TEMPLATE_SPEC}.artifact.jarUri",
        f"{TEMPLATE_SPEC}.artifact.entryClass",
    }


def test_unknown_artifact_kind_is_rejected_naming_the_kind() -> None:
    problem = _problem(_deployment(artifact={"kind": "WAR"}))

    assert problem.field == f"{TEMPLATE_SPEC}.artifact.kind"


def test_jar_artifact_without_jar_uri_is_rejected_naming_jar_uri() -> None:
    deployment = _deployment()
    del deployment["spec"]["template"]["spec"]["artifact"]["jarUri"]

    assert _problem(deployment).field == f"{TEMPLATE_SPEC}.artifact.jarUri"


# --- Logging -----------------------------------------------------------------------------


def test_logger_levels_are_normalized_to_upper_case() -> None:
    deployment = _deployment(logging={"log4jLoggers": {"": "warn", "org.apache.kafka": "Debug"}})

    loggers = _effective_template_spec(deployment)["logging"]["log4jLoggers"]

    assert loggers == {"": "WARN", "org.apache.kafka": "DEBUG"}


def test_unknown_logger_level_is_rejected() -> None:
    problem = _problem(_deployment(logging={"log4jLoggers": {"org.apache": "LOUD"}}))

    assert problem.field == f"{TEMPLATE_SPEC}.logging.log4jLoggers"


# --- Shape -------------------------------------------------------------------------------


def test_unknown_field_is_rejected_naming_it_and_the_camel_case_hint() -> None:
    problem = _problem(_deployment(paralelism=2))

    assert problem.field == f"{TEMPLATE_SPEC}.paralelism"
    assert "camelCase" in str(problem)


def test_unknown_state_is_rejected_naming_spec_state() -> None:
    assert _problem(_deployment(spec={"state": "PAUSED"})).field == "spec.state"


def test_deployment_without_a_name_is_rejected_naming_metadata_name() -> None:
    deployment = _deployment()
    deployment["metadata"] = {}

    assert _problem(deployment).field == "metadata.name"


def test_session_mode_is_rejected_naming_session_cluster_name() -> None:
    problem = _problem(_deployment(spec={"sessionClusterName": "shared"}))

    assert problem.field == "spec.sessionClusterName"


def test_pods_and_pod_templates_are_exclusive() -> None:
    deployment = _deployment(
        kubernetes={
            "pods": {"nodeSelector": {"pool": "flink"}},
            "jobManagerPodTemplate": {"spec": {"containers": []}},
        }
    )

    assert _problem(deployment).field == f"{TEMPLATE_SPEC}.kubernetes.pods"


def test_every_broken_rule_is_reported_at_once() -> None:
    problem = _problem(_deployment(parallelism=0, numberOfTaskManagers=0))

    fields = [p.field for p in problem.problems]
    assert fields == [f"{TEMPLATE_SPEC}.parallelism", f"{TEMPLATE_SPEC}.numberOfTaskManagers"]


def test_env_var_problems_name_the_list_index() -> None:
    deployment = _deployment(kubernetes={"pods": {"envVars": [{"value": "x"}]}})

    assert _problem(deployment).field == f"{TEMPLATE_SPEC}.kubernetes.pods.envVars[0].name"


def test_validation_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        effective_deployment(_deployment(parallelism=0), _target())


def test_server_set_metadata_of_an_export_is_accepted() -> None:
    deployment = _deployment()
    deployment["metadata"].update(
        {
            "namespace": "default",
            "id": "6a0c3c2e-0000-4000-8000-000000000002",
            "createdAt": "2024-05-01T10:00:00Z",
            "modifiedAt": "2024-05-02T10:00:00Z",
            "resourceVersion": 7,
        }
    )
    deployment["status"] = {"state": "RUNNING"}

    effective = effective_deployment(deployment, _target())

    assert effective["metadata"]["id"] == "6a0c3c2e-0000-4000-8000-000000000002"
