"""Scalars as VVP reads them (issue 12.2), and configuration that cannot inject (issue 11.8)."""

from __future__ import annotations

import pytest

from pulumi_flink import SpecValidationError, effective_deployment, render_manifests
from pulumi_flink.loading import load_json, load_yaml_documents
from pulumi_flink.model import Deployment
from pulumi_flink.render.logging import log4j_console_properties
from pulumi_flink.validation import parse_deployment
from tests.unit.documents import deployment, target

SPEC = "spec.template.spec"


def _yaml_deployment(
    artifact_yaml: str = "{jarUri: s3://j.jar}", spec_yaml: str = ""
) -> Deployment:
    text = (
        "metadata: {name: orders}\n"
        f"spec:\n  restoreStrategy: {{kind: NONE}}\n{spec_yaml}"
        f"  template:\n    spec:\n      artifact: {artifact_yaml}\n"
    )
    [document] = load_yaml_documents(text)
    assert isinstance(document, dict)
    return parse_deployment(document)


def _problem(document: dict[str, object]) -> SpecValidationError:
    with pytest.raises(SpecValidationError) as caught:
        parse_deployment(document)
    return caught.value


@pytest.mark.parametrize("written", ["1.17", "1.20", "2.0"])
def test_an_unquoted_flink_version_is_read_from_its_text(written: str) -> None:
    model = _yaml_deployment(f"{{jarUri: https://r/j.jar, flinkVersion: {written}}}")
    assert model.spec.template.spec.artifact.flink_version == written


def test_an_unquoted_flink_version_in_json_is_read_from_its_text() -> None:
    document = load_json(
        '{"metadata": {"name": "o"}, "spec": {"restoreStrategy": {"kind": "NONE"}, '
        '"template": {"spec": {"artifact": {"jarUri": "s3://j", "flinkVersion": 1.20}}}}}'
    )
    assert isinstance(document, dict)
    assert parse_deployment(document).spec.template.spec.artifact.flink_version == "1.20"


def test_a_flink_version_whose_text_is_lost_says_to_quote_it() -> None:
    error = _problem(deployment(artifact={"flinkVersion": 1.2}))
    assert error.field == f"{SPEC}.artifact.flinkVersion"
    assert 'quote it: flinkVersion: "1.20"' in error.problems[0].reason


def test_a_float_flink_version_that_spells_a_version_is_accepted() -> None:
    model = parse_deployment(deployment(artifact={"flinkVersion": 1.17}, jar_uri="https://r/j.jar"))
    assert model.spec.template.spec.artifact.flink_version == "1.17"


def test_a_numeric_duration_is_read_as_its_text() -> None:
    model = _yaml_deployment(spec_yaml="  jobFailureExpirationTime: 0\n")
    assert model.spec.job_failure_expiration_time == "0"


@pytest.mark.parametrize(("field", "given", "read"), [("parallelism", "4", 4), ("cpu", "1.5", 1.5)])
def test_numeric_strings_are_numbers(field: str, given: str, read: float) -> None:
    if field == "cpu":
        model = parse_deployment(deployment(resources={"taskmanager": {"cpu": given}}))
        assert model.spec.template.spec.resources.taskmanager.cpu == read
    else:
        assert parse_deployment(deployment(parallelism=given)).spec.template.spec.parallelism == 4


@pytest.mark.parametrize(
    ("template", "field"),
    [
        ({"parallelism": True}, "parallelism"),
        ({"numberOfTaskManagers": False}, "numberOfTaskManagers"),
        ({"resources": {"jobmanager": {"cpu": True}}}, "resources.jobmanager.cpu"),
    ],
)
def test_booleans_are_not_numbers(template: dict[str, object], field: str) -> None:
    error = _problem(deployment(**template))
    assert error.field == f"{SPEC}.{field}"
    assert "a boolean is not a number" in error.problems[0].reason


@pytest.mark.parametrize(
    ("template", "field"),
    [
        ({"parallelism": 10**400}, "parallelism"),
        ({"parallelism": 40000}, "parallelism"),
        ({"numberOfTaskManagers": 2**31}, "numberOfTaskManagers"),
        ({"resources": {"taskmanager": {"cpu": float("inf")}}}, "resources.taskmanager.cpu"),
        ({"resources": {"taskmanager": {"cpu": float("nan")}}}, "resources.taskmanager.cpu"),
        ({"resources": {"taskmanager": {"cpu": 1e-9}}}, "resources.taskmanager.cpu"),
        (
            {"flinkConfiguration": {"taskmanager.numberOfTaskSlots": "9" * 5000}},
            "flinkConfiguration",
        ),
    ],
)
def test_numbers_are_finite_and_within_what_kubernetes_and_flink_accept(
    template: dict[str, object], field: str
) -> None:
    error = _problem(deployment(**template))
    assert error.field == f"{SPEC}.{field}"
    assert "sys.set_int_max_str_digits" not in str(error)


@pytest.mark.parametrize(
    "key", ["kubernetes.namespace ", " kubernetes.namespace", "a\nkubernetes.namespace", "a#b", ""]
)
def test_a_configuration_key_flink_would_read_differently_is_refused(key: str) -> None:
    error = _problem(deployment(flinkConfiguration={key: "x"}))
    assert error.field == f"{SPEC}.flinkConfiguration"


@pytest.mark.parametrize("version", ["1.17", "1.18"])
def test_a_value_with_a_line_break_cannot_write_more_keys_into_flink_conf_yaml(
    version: str,
) -> None:
    injected = {"a.b": "x\nkubernetes.namespace: other"}
    error = _problem(
        deployment(
            artifact={"flinkVersion": version},
            jar_uri="https://r/j.jar",
            flinkConfiguration=injected,
        )
    )
    assert error.field == f"{SPEC}.flinkConfiguration.a.b"


def test_a_value_with_a_line_break_stays_one_value_in_config_yaml() -> None:
    injected = {"a.b": "x\nkubernetes.namespace: other"}
    manifests = render_manifests(
        deployment(flinkConfiguration=injected), target(), engine="standalone"
    )
    [config_map] = [m for m in manifests if m["kind"] == "ConfigMap"]
    [written] = load_yaml_documents(config_map["data"]["config.yaml"])
    assert isinstance(written, dict)
    assert written["a.b"] == "x\nkubernetes.namespace: other"
    assert "kubernetes.namespace" not in written


def test_a_logger_name_with_a_line_break_is_refused() -> None:
    error = _problem(deployment(logging={"log4jLoggers": {"a\nrootLogger.level": "INFO"}}))
    assert error.field == f"{SPEC}.logging.log4jLoggers"


def test_logger_properties_are_escaped_by_the_serializer() -> None:
    text = log4j_console_properties({"": "INFO", "com.acme$Inner": "DEBUG"})
    assert "logger.com_acme_Inner.name = com.acme$Inner\n" in text


def test_the_effective_document_keeps_text_of_configuration_numbers() -> None:
    [document] = load_yaml_documents("x: 1.50\n")
    assert isinstance(document, dict)
    effective = effective_deployment(deployment(flinkConfiguration=document), target())
    assert effective["spec"]["template"]["spec"]["flinkConfiguration"]["x"] == "1.50"


@pytest.mark.parametrize("written", ["010", "0x1F", "0o17", "1_000", "1:30", "+5", "-0"])
def test_an_integer_not_written_in_decimal_keeps_its_text_in_string_fields(written: str) -> None:
    [document] = load_yaml_documents(f"x.y: {written}\n")
    assert isinstance(document, dict)
    effective = effective_deployment(deployment(flinkConfiguration=document), target())
    assert effective["spec"]["template"]["spec"]["flinkConfiguration"]["x.y"] == written


def test_an_integer_not_written_in_decimal_is_still_its_number_in_number_fields() -> None:
    model = _yaml_deployment(spec_yaml="  maxSavepointCreationAttempts: 0x0A\n")
    assert model.spec.max_savepoint_creation_attempts == 10
