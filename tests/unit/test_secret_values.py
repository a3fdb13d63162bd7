"""VVP Secret Values: only references are rendered, or the key is refused naming the engine."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from pulumi_flink import render_manifests
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.model import Deployment
from pulumi_flink.secrets import SecretKeyRef, environment_reference_warnings
from pulumi_flink.validation import parse_model
from tests.unit.documents import Doc, deployment, session_cluster, target

LOCAL_JAR = "local:///opt/flink/usrlib/job.jar"
SECRETS = {"s3-key": SecretKeyRef("aws", "id"), "db-password": SecretKeyRef("db", "password")}


def _job(configuration: dict[str, str], jar_uri: str = LOCAL_JAR) -> Doc:
    return deployment(jar_uri=jar_uri, flinkConfiguration=configuration)


def _render(document: Doc, engine: str) -> list[dict[str, Any]]:
    return render_manifests(document, target(), engine=engine, secret_values=SECRETS)


def _kind(manifests: list[dict[str, Any]], kind: str, suffix: str = "") -> dict[str, Any]:
    return next(
        m for m in manifests if m["kind"] == kind and m["metadata"]["name"].endswith(suffix)
    )


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_an_s3_credential_becomes_a_secret_environment_variable(engine: str) -> None:
    manifests = _render(_job({"s3.access-key": "${s3-key}"}), engine)

    text = json.dumps(manifests)
    assert "s3.access-key" not in text and "${s3-key}" not in text
    pods = (
        [_kind(manifests, "FlinkDeployment")["spec"]["podTemplate"]]
        if engine == "operator"
        else [d["spec"]["template"] for d in manifests if d["kind"] == "Deployment"]
    )
    for pod in pods:
        (container,) = pod["spec"]["containers"]
        assert {
            "name": "AWS_ACCESS_KEY_ID",
            "valueFrom": {"secretKeyRef": {"name": "aws", "key": "id"}},
        } in container["env"]


def test_the_operator_engine_refuses_a_secret_it_cannot_deliver_naming_key_and_engine() -> None:
    with pytest.raises(SpecValidationError) as caught:
        _render(_job({"db.password": "${db-password}"}), "operator")

    (problem,) = caught.value.problems
    assert problem.field == "spec.template.spec.flinkConfiguration.db.password"
    assert "engine 'operator'" in problem.reason


def test_the_standalone_engine_renders_the_secret_into_an_empty_dir_at_start() -> None:
    manifests = _render(_job({"db.password": "${db-password}"}), "standalone")

    config_map = _kind(manifests, "ConfigMap", "-config")
    conf = yaml.safe_load(config_map["data"]["config.yaml"])
    assert conf["db.password"] == "${db-password}"
    for workload in (d for d in manifests if d["kind"] == "Deployment"):
        pod = workload["spec"]["template"]["spec"]
        (init,) = pod["initContainers"]
        assert {
            "name": "PULUMI_FLINK_SECRET_VALUE_DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}},
        } in init["env"]
        (main,) = pod["containers"]
        assert main["volumeMounts"] == [
            {"name": "flink-config-rendered", "mountPath": "/opt/flink/conf"}
        ]
        assert {"name": "flink-config-rendered", "emptyDir": {}} in pod["volumes"]


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_secret_in_the_jar_uri_is_refused(engine: str) -> None:
    with pytest.raises(SpecValidationError, match=r"artifact\.jarUri"):
        _render(_job({}, jar_uri="https://${db-password}@repo/job.jar"), engine)


def test_a_reference_to_no_secret_value_is_an_environment_variable_kept_with_a_warning() -> None:
    document = _job({"s3.endpoint": "${S3_ENDPOINT}"})

    flink = _kind(_render(document, "operator"), "FlinkDeployment")
    warnings = environment_reference_warnings(parse_model(Deployment, document), SECRETS)

    assert flink["spec"]["flinkConfiguration"]["s3.endpoint"] == "${S3_ENDPOINT}"
    assert [w.field for w in warnings] == ["spec.template.spec.flinkConfiguration.s3.endpoint"]


def test_the_cli_renders_secret_references_and_refuses_what_it_cannot_deliver(
    tmp_path: Any,
) -> None:
    from click.testing import CliRunner

    from pulumi_flink.cli import main

    job = {"kind": "Deployment", **_job({"db.password": "${db-password}"})}
    job["spec"]["deploymentTargetName"] = "prod"
    (tmp_path / "job.json").write_text(json.dumps(job))
    (tmp_path / "target.json").write_text(json.dumps({"kind": "DeploymentTarget", **target()}))
    secret = ["--secret-value", "db-password=db/password"]

    operator = CliRunner().invoke(main, ["render", str(tmp_path), *secret])
    standalone = CliRunner().invoke(
        main, ["render", str(tmp_path), "--engine", "standalone", *secret]
    )

    assert operator.exit_code == 1 and "engine 'operator'" in operator.stderr
    assert standalone.exit_code == 0, standalone.output
    assert "PULUMI_FLINK_SECRET_VALUE_DB_PASSWORD" in standalone.stdout


def test_the_cli_delivers_a_session_clusters_credential_and_refuses_other_secrets(
    tmp_path: Any,
) -> None:
    from click.testing import CliRunner

    from pulumi_flink.cli import main

    cluster = session_cluster(
        flinkConfiguration={"s3.access-key": "${s3-key}", "db.password": "${db-password}"}
    )
    (tmp_path / "cluster.json").write_text(json.dumps(cluster))
    (tmp_path / "target.json").write_text(json.dumps({"kind": "DeploymentTarget", **target()}))
    secrets = ["--secret-value", "db-password=db/password", "--secret-value", "s3-key=aws/id"]

    refused = CliRunner().invoke(main, ["render", str(tmp_path), *secrets])
    (tmp_path / "cluster.json").write_text(
        json.dumps(session_cluster(flinkConfiguration={"s3.access-key": "${s3-key}"}))
    )
    rendered = CliRunner().invoke(main, ["render", str(tmp_path), *secrets])

    assert refused.exit_code == 1
    assert "spec.flinkConfiguration.db.password" in refused.stderr
    assert "A session cluster runs on the operator only" in refused.stderr
    assert rendered.exit_code == 0, rendered.output
    assert "AWS_ACCESS_KEY_ID" in rendered.stdout and "${s3-key}" not in rendered.stdout
