"""Every scalar field VVP defines, read in every form VVP (Jackson) accepts for it.

One table: kind, field, the value as written in YAML, and what the model
reads. The value is spliced into the document's text, so numbers keep the
text the loader gives them (``1.20`` stays ``"1.20"`` in a string field).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pulumi_flink.errors import SpecValidationError
from pulumi_flink.loading import load_yaml_documents
from pulumi_flink.model import Deployment, DeploymentTarget, Savepoint, SessionCluster
from pulumi_flink.model.secret_value import SecretValue
from pulumi_flink.model.vvp_fields import VVP_FIELDS
from pulumi_flink.validation import parse_model
from tests.unit.documents import Doc, deployment, target

T = ("spec", "template", "spec")
ARTIFACT = (*T, "artifact")
TM = (*T, "resources", "taskmanager")
JM = (*T, "resources", "jobmanager")
CONFIGURATION = (*T, "flinkConfiguration")
PLACEHOLDER = "@VALUE@"

MODELS: dict[str, type[Any]] = {
    "Deployment": Deployment,
    "DeploymentTarget": DeploymentTarget,
    "SessionCluster": SessionCluster,
    "Savepoint": Savepoint,
    "SecretValue": SecretValue,
}
MINIMAL: dict[str, Callable[[], Doc]] = {
    "Deployment": lambda: deployment(jar_uri="https://repo/orders.jar"),
    "DeploymentTarget": target,
    "SessionCluster": lambda: {"metadata": {"name": "session"}},
    "Savepoint": lambda: {"metadata": {"id": "s-1"}, "spec": {"savepointLocation": "s3://sp/1"}},
    "SecretValue": lambda: {"metadata": {"name": "db-password"}},
}

# (kind, field, YAML text of the value, what the model reads)
SCALARS: list[tuple[str, tuple[str, ...], str, object]] = [
    # enums, case-insensitive as VVP's docs write them
    ("Deployment", ("spec", "state"), "running", "RUNNING"),
    ("Deployment", ("spec", "state"), "Suspended", "SUSPENDED"),
    ("Deployment", ("spec", "state"), '"CANCELLED"', "CANCELLED"),
    ("Deployment", ("spec", "upgradeStrategy", "kind"), "stateless", "STATELESS"),
    ("Deployment", ("spec", "upgradeStrategy", "kind"), "none", "NONE"),
    ("Deployment", ("spec", "restoreStrategy", "kind"), "latest_savepoint", "LATEST_SAVEPOINT"),
    ("Deployment", (*ARTIFACT, "kind"), "jar", "JAR"),
    ("SessionCluster", ("spec", "state"), "stopped", "STOPPED"),
    # booleans: true/false, and their text as Jackson coerces it
    ("Deployment", ("spec", "restoreStrategy", "allowNonRestoredState"), "true", True),
    ("Deployment", ("spec", "restoreStrategy", "allowNonRestoredState"), '"true"', True),
    ("Deployment", ("spec", "restoreStrategy", "allowNonRestoredState"), "False", False),
    # whole numbers: numbers, numeric strings, whole floats
    ("Deployment", ("spec", "maxSavepointCreationAttempts"), '"4"', 4),
    ("Deployment", ("spec", "maxJobCreationAttempts"), "10", 10),
    ("Deployment", ("spec", "maxJobCreationAttempts"), "10.0", 10),
    ("Deployment", (*T, "parallelism"), '"2"', 2),
    ("Deployment", (*T, "parallelism"), "2", 2),
    ("Deployment", (*T, "numberOfTaskManagers"), '"3"', 3),
    ("SessionCluster", ("spec", "numberOfTaskManagers"), '"2"', 2),
    ("Deployment", ("metadata", "resourceVersion"), '"7"', 7),
    ("SecretValue", ("metadata", "resourceVersion"), "3", 3),
    # durations: VVP keeps the text (jobFailureExpirationTime is a string)
    ("Deployment", ("spec", "jobFailureExpirationTime"), "0", "0"),
    ("Deployment", ("spec", "jobFailureExpirationTime"), "86400000", "86400000"),
    ("Deployment", ("spec", "jobFailureExpirationTime"), "1d", "1d"),
    ("Deployment", ("spec", "jobFailureExpirationTime"), "PT24H", "PT24H"),
    # CPU: decimals, numeric strings
    ("Deployment", (*JM, "cpu"), '"0.5"', 0.5),
    ("Deployment", (*JM, "cpu"), "1", 1.0),
    ("Deployment", (*TM, "cpu"), "1.5", 1.5),
    ("SessionCluster", ("spec", "resources", "taskmanager", "cpu"), '"2"', 2.0),
    # memory: VVP units, its docs' upper case, with a b and a space, bytes, binary units
    ("Deployment", (*TM, "memory"), "1G", "1G"),
    ("Deployment", (*TM, "memory"), "2048m", "2048m"),
    ("Deployment", (*TM, "memory"), "1.5 gb", "1.5 gb"),
    ("Deployment", (*TM, "memory"), "1024MB", "1024MB"),
    ("Deployment", (*TM, "memory"), "4GiB", "4GiB"),
    ("Deployment", (*JM, "memory"), "2147483648", "2147483648"),
    ("SessionCluster", ("spec", "resources", "jobmanager", "memory"), "1g", "1g"),
    # versions and other strings written as numbers keep their text
    ("Deployment", (*ARTIFACT, "flinkVersion"), "1.20", "1.20"),
    ("Deployment", (*ARTIFACT, "flinkVersion"), "1.17", "1.17"),
    ("Deployment", (*ARTIFACT, "flinkVersion"), '"1.19"', "1.19"),
    ("Deployment", (*ARTIFACT, "flinkVersion"), '"1.18.1"', "1.18"),
    ("SessionCluster", ("spec", "flinkVersion"), "1.18", "1.18"),
    ("Deployment", (*ARTIFACT, "flinkImageTag"), "1.17", "1.17"),
    (
        "Deployment",
        (*ARTIFACT, "flinkImageTag"),
        "1.17.2-stream2-scala_2.12",
        "1.17.2-stream2-scala_2.12",
    ),
    ("Deployment", (*ARTIFACT, "mainArgs"), "10", "10"),
    ("Deployment", (*ARTIFACT, "entryClass"), "com.acme.Orders", "com.acme.Orders"),
    # flinkConfiguration: every scalar as Flink reads it
    ("Deployment", (*CONFIGURATION, "taskmanager.numberOfTaskSlots"), "2", "2"),
    ("Deployment", (*CONFIGURATION, "pipeline.object-reuse"), "true", "true"),
    ("Deployment", (*CONFIGURATION, "taskmanager.memory.managed.fraction"), "0.40", "0.40"),
    ("Deployment", (*CONFIGURATION, "execution.checkpointing.interval"), "10s", "10s"),
    # string maps: numbers and booleans read as their text
    ("Deployment", ("metadata", "labels", "tier"), "1", "1"),
    ("Deployment", ("metadata", "annotations", "license/testing"), "false", "false"),
    ("Deployment", ("spec", "template", "metadata", "annotations", "x"), "2", "2"),
    ("Deployment", (*T, "kubernetes", "labels", "cost-center"), "4711", "4711"),
    ("Deployment", (*T, "kubernetes", "pods", "nodeSelector", "gpu"), "true", "true"),
    ("Deployment", (*T, "logging", "log4jLoggers", "org.apache.kafka"), "warn", "WARN"),
    # null reads as not set, as Jackson reads it
    ("DeploymentTarget", ("spec", "deploymentPatchSet"), "null", []),
    ("Deployment", (*ARTIFACT, "additionalDependencies"), "null", []),
    # server-set times stay text, whatever YAML makes of them
    ("Deployment", ("metadata", "createdAt"), "2024-03-04T10:15:00Z", "2024-03-04T10:15:00Z"),
    ("Savepoint", ("metadata", "createdAt"), "1714058507", "1714058507"),
]


def _document(kind: str, path: tuple[str, ...], written: str) -> object:
    document = MINIMAL[kind]()
    node = document
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = PLACEHOLDER
    text = json.dumps(document).replace(json.dumps(PLACEHOLDER), written)
    [loaded] = load_yaml_documents(text)
    return loaded


def _read(wire: dict[str, Any], path: tuple[str, ...]) -> object:
    node: Any = wire
    for key in path:
        node = node.get(key, [] if key == path[-1] else {})
    return node


@pytest.mark.parametrize(
    ("kind", "path", "written", "read"),
    SCALARS,
    ids=[f"{kind}.{'.'.join(path)}={written}" for kind, path, written, _ in SCALARS],
)
def test_a_scalar_is_read_in_every_form_vvp_accepts(
    kind: str, path: tuple[str, ...], written: str, read: object
) -> None:
    model = parse_model(MODELS[kind], _document(kind, path, written))

    assert _read(model.model_dump(mode="json", by_alias=True), path) == read


@pytest.mark.parametrize(
    ("engine", "version"), [("vera-4.1-flink-1.20", "1.20"), ("vvr-8.0.5-flink-1.17", "1.17")]
)
def test_vvp3s_engine_version_name_gives_the_flink_version(engine: str, version: str) -> None:
    model = parse_model(Deployment, deployment(artifact={"engineVersionName": engine}))

    assert model.spec.template.spec.artifact.flink_version == version


def test_a_given_flink_version_wins_over_the_engine_version_name() -> None:
    written = {"engineVersionName": "vera-4.1-flink-1.20", "flinkVersion": "1.18"}

    model = parse_model(Deployment, deployment(artifact=written))

    assert model.spec.template.spec.artifact.flink_version == "1.18"


def test_an_engine_version_name_without_a_flink_version_says_to_add_one() -> None:
    with pytest.raises(SpecValidationError, match="names no Flink version"):
        parse_model(Deployment, deployment(artifact={"engineVersionName": "vera-4.1"}))


@pytest.mark.parametrize(
    ("kind", "path", "written"),
    [
        ("Deployment", (*T, "parallelism"), "true"),
        ("Deployment", (*JM, "cpu"), "false"),
        ("Deployment", ("spec", "maxJobCreationAttempts"), "true"),
        ("Deployment", (*T, "parallelism"), "2.5"),
        ("Deployment", (*TM, "memory"), "lots"),
        ("Deployment", ("spec", "state"), "paused"),
    ],
)
def test_a_value_vvp_refuses_is_refused_naming_the_field(
    kind: str, path: tuple[str, ...], written: str
) -> None:
    with pytest.raises(SpecValidationError) as caught:
        parse_model(MODELS[kind], _document(kind, path, written))

    assert caught.value.field == ".".join(path)


def test_every_refused_field_is_refused_by_the_rule_that_names_it() -> None:
    prefix = ".".join((*CONFIGURATION, ""))
    refused = [field.path for field in VVP_FIELDS if field.handling == "refused"]
    assert refused
    assert all(path.startswith(prefix) for path in refused)
    for path in refused:
        document = deployment(flinkConfiguration={path.removeprefix(prefix): "x"})
        with pytest.raises(SpecValidationError, match="may not be set: the Flink operator"):
            parse_model(Deployment, document)


@pytest.mark.parametrize(
    ("written", "fix"),
    [("{backend: rocksdb}", "write nested keys flat, as 'state.backend'"), ("[a, b]", "join")],
)
def test_a_nested_configuration_value_is_refused_at_its_key_saying_how_to_write_it(
    written: str, fix: str
) -> None:
    document = _document("Deployment", (*CONFIGURATION, "state"), written)

    with pytest.raises(SpecValidationError) as caught:
        parse_model(Deployment, document)

    assert caught.value.field == ".".join((*CONFIGURATION, "state"))
    assert fix in caught.value.problems[0].reason


@pytest.mark.parametrize(
    ("path", "written"),
    [((*ARTIFACT, "flinkImageTag"), '"${IMAGE_TAG}"'), ((*TM, "memory"), '"$TM_MEMORY"')],
)
def test_a_placeholder_nothing_substituted_is_named_in_the_problem(
    path: tuple[str, ...], written: str
) -> None:
    with pytest.raises(SpecValidationError) as caught:
        parse_model(Deployment, _document("Deployment", path, written))

    assert "a placeholder nothing substituted" in caught.value.problems[0].reason
