"""VVP fidelity: every document VVP and its users write is read, or refused by name."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pulumi_flink import render_manifests
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.model import (
    Deployment,
    DeploymentDefaults,
    DeploymentTarget,
    Savepoint,
    SessionCluster,
)
from pulumi_flink.model.defaults import defaults_spec
from pulumi_flink.model.secret_value import SecretValue
from pulumi_flink.model.vvp_fields import VVP_FIELDS, field_table_markdown
from pulumi_flink.validation import parse_model
from pulumi_flink.vvp import read_vvp_export
from pulumi_flink.vvp._reading import infer_kind
from pulumi_flink.vvp_settings import vvp_setting_warnings
from tests.unit.documents import Doc, deployment, target

README = Path(__file__).resolve().parents[2] / "README.md"
UNKNOWN = "unknown field; check the spelling (VVP fields are camelCase)"
MODELS = {
    "Deployment": Deployment,
    "DeploymentTarget": DeploymentTarget,
    "DeploymentDefaults": DeploymentDefaults,
    "SessionCluster": SessionCluster,
    "Savepoint": Savepoint,
    "SecretValue": SecretValue,
}
MINIMAL: dict[str, Callable[[], Doc]] = {
    "Deployment": deployment,
    "DeploymentTarget": target,
    "DeploymentDefaults": lambda: {"kind": "DeploymentDefaults"},
    "SessionCluster": lambda: {"metadata": {"name": "session"}},
    "Savepoint": lambda: {"metadata": {"id": "s-1"}, "spec": {"savepointLocation": "s3://sp/1"}},
    "SecretValue": lambda: {"metadata": {"name": "db-password"}},
}

SERVER_METADATA = {
    "namespace": "default",
    "displayName": "Orders (EU)",
    "labels": {"team": "orders", "ververica.com/tier": "gold"},
    "annotations": {"com.acme/owner": "orders@acme.com"},
    "id": "5d2c5e4f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
    "createdAt": "2024-03-04T10:15:00.123Z",
    "modifiedAt": "2024-03-05T08:00:00Z",
    "resourceVersion": 7,
}


def _with_path(document: Doc, path: str, value: object) -> Doc:
    node = document
    *parents, leaf = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value
    return document


def _reasons(model: type[Any], document: Doc) -> list[str]:
    try:
        parse_model(model, document)
    except SpecValidationError as error:
        return [problem.reason for problem in error.problems]
    return []


@pytest.mark.parametrize(
    ("kind", "path"),
    [(kind, f.path) for kind in MODELS for f in VVP_FIELDS if kind in f.kinds],
)
def test_no_field_vvp_defines_is_called_unknown(kind: str, path: str) -> None:
    base = MINIMAL[kind]()

    reasons = _reasons(MODELS[kind], _with_path(base, path, "x"))

    assert UNKNOWN not in reasons


def test_the_readme_lists_every_vvp_field_and_what_we_do() -> None:
    assert field_table_markdown() in README.read_text()


def test_a_typo_is_still_an_unknown_field() -> None:
    assert UNKNOWN in _reasons(
        Deployment, _with_path(deployment(), "spec.template.spec.paralelism", 2)
    )


@pytest.mark.parametrize("kind", ["Deployment", "DeploymentTarget", "SessionCluster"])
def test_server_set_metadata_and_status_are_accepted(kind: str) -> None:
    document = MINIMAL[kind]()
    document["metadata"].update(SERVER_METADATA)
    document["status"] = {"state": "RUNNING", "running": {"jobId": "x"}}

    assert _reasons(MODELS[kind], document) == []


def test_display_name_namespace_labels_and_annotations_land_on_every_object() -> None:
    document = deployment()
    document["metadata"].update(SERVER_METADATA)

    manifests = render_manifests(document, target())

    for manifest in manifests:
        annotations = manifest["metadata"]["annotations"]
        assert annotations["pulumi-flink.dev/display-name"] == "Orders (EU)"
        assert annotations["pulumi-flink.dev/vvp-namespace"] == "default"
        assert json.loads(annotations["pulumi-flink.dev/vvp-labels"]) == SERVER_METADATA["labels"]
        assert json.loads(annotations["pulumi-flink.dev/vvp-annotations"]) == {
            "com.acme/owner": "orders@acme.com"
        }


def test_a_deployment_target_id_resolves_against_the_targets_ids() -> None:
    target_document = {"kind": "DeploymentTarget", **target("prod")}
    target_document["metadata"]["id"] = "t-1"
    deployment_document = {"kind": "Deployment", **deployment()}
    deployment_document["spec"]["deploymentTargetId"] = "t-1"

    export = read_vvp_export([json.dumps(target_document), json.dumps(deployment_document)])

    assert export.problems == ()
    assert [p.target.name for p in export.placements] == ["prod"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.10", "Flink 1.10 is older than the oldest version the Flink operator runs (1.13)"),
        ("3.7", "Flink version '3.7' is not one the Flink operator knows"),
    ],
)
def test_an_unsupported_flink_version_is_named(version: str, expected: str) -> None:
    reasons = _reasons(Deployment, deployment(artifact={"flinkVersion": version}))

    assert any(expected in reason for reason in reasons)


def _local_jar(document: Doc) -> Doc:
    """Old Flink versions run only a jar inside the image."""
    document["spec"]["template"]["spec"]["artifact"]["jarUri"] = "local:///opt/flink/usrlib/job.jar"
    return document


def _flink_deployment(document: Doc) -> Doc:
    manifests = render_manifests(_local_jar(document), target())
    return next(m for m in manifests if m["kind"] == "FlinkDeployment")


@pytest.mark.parametrize(
    ("version", "key", "value"),
    [
        (
            "1.15",
            "high-availability",
            "org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory",
        ),
        ("1.16", "high-availability", "kubernetes"),
        ("1.18", "high-availability.type", "kubernetes"),
    ],
)
def test_vvp_kubernetes_ha_becomes_flink_kubernetes_ha(version: str, key: str, value: str) -> None:
    configuration = {"high-availability": "vvp-kubernetes", "state.checkpoints.dir": "s3://c"}
    document = deployment(artifact={"flinkVersion": version}, flinkConfiguration=configuration)

    rendered = _flink_deployment(document)["spec"]["flinkConfiguration"]

    assert rendered[key] == value
    assert "vvp-kubernetes" not in rendered.values()
    assert rendered["high-availability.storageDir"] == "s3://c/ha"


def test_vvp_kubernetes_ha_without_any_storage_directory_is_refused() -> None:
    document = _local_jar(deployment(flinkConfiguration={"high-availability": "vvp-kubernetes"}))

    with pytest.raises(SpecValidationError, match=r"high-availability\.storageDir"):
        render_manifests(document, target())


def _with_annotations(annotations: dict[str, str], version: str = "1.18") -> Doc:
    document = deployment(artifact={"flinkVersion": version})
    document["spec"]["template"]["metadata"] = {"annotations": annotations}
    return document


def test_the_queryable_state_switch_becomes_flink_configuration() -> None:
    rendered = _flink_deployment(_with_annotations({"flink.queryable-state.enabled": "true"}))

    assert rendered["spec"]["flinkConfiguration"]["queryable-state.enable"] == "true"
    assert "flink.queryable-state.enabled" not in rendered["metadata"]["annotations"]


def test_the_ssl_switch_is_dropped_with_a_warning_naming_it() -> None:
    document = _with_annotations({"flink.security.ssl.enabled": "true", "acme/keep": "me"})

    rendered = _flink_deployment(document)
    warnings = vvp_setting_warnings(parse_model(Deployment, _local_jar(document)))

    assert "flink.security.ssl.enabled" not in rendered["metadata"]["annotations"]
    assert rendered["metadata"]["annotations"]["acme/keep"] == "me"
    assert [w.field for w in warnings] == [
        "spec.template.metadata.annotations.flink.security.ssl.enabled"
    ]


def test_queryable_state_is_dropped_with_a_warning_on_flink_2() -> None:
    document = _with_annotations({"flink.queryable-state.enabled": "true"}, version="2.0")

    rendered = _flink_deployment(document)
    (warning,) = vvp_setting_warnings(parse_model(Deployment, document))

    assert "queryable-state.enable" not in rendered["spec"]["flinkConfiguration"]
    assert "Flink 2.0 has no queryable-state.enable" in warning.reason


def test_validate_prints_warnings_and_still_succeeds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pulumi_flink.cli import main

    annotated = _local_jar(_with_annotations({"flink.security.ssl.enabled": "true"}))
    document = {"kind": "Deployment", **annotated}
    document["spec"]["deploymentTargetName"] = "prod"
    (tmp_path / "a.json").write_text(json.dumps(document))
    (tmp_path / "t.json").write_text(json.dumps({"kind": "DeploymentTarget", **target("prod")}))

    result = CliRunner().invoke(main, ["validate", str(tmp_path)])

    assert result.exit_code == 0
    assert "warning: " in result.stderr and "flink.security.ssl.enabled" in result.stderr


REST_BODY = {
    "metadata": {"name": "orders"},
    "spec": {
        "deploymentTargetName": "prod",
        "restoreStrategy": {"kind": "NONE"},
        "template": {"spec": {"artifact": {"jarUri": "local:///opt/flink/job.jar"}}},
    },
}
TARGET_BODY = {"metadata": {"name": "prod"}, "spec": {"kubernetes": {"namespace": "jobs"}}}


def test_documents_without_kind_are_read_by_their_shape_and_say_so() -> None:
    export = read_vvp_export([json.dumps(REST_BODY), json.dumps(TARGET_BODY)])

    assert export.problems == ()
    assert [(d.kind, d.name) for d in export.documents] == [
        ("Deployment", "orders"),
        ("DeploymentTarget", "prod"),
    ]
    assert [w.field for w in export.warnings] == ["kind", "kind"]
    assert "read as Deployment because it has spec.template" in export.warnings[0].reason


def test_kind_forces_the_kind_of_documents_without_one() -> None:
    export = read_vvp_export([json.dumps(REST_BODY)], kind="DeploymentTarget")

    assert export.documents == ()
    assert "spec.deploymentTargetName" in [problem.field for problem in export.problems]


def test_a_shapeless_document_without_kind_asks_for_kind() -> None:
    export = read_vvp_export(['{"metadata": {"name": "x"}}'])

    (problem,) = export.problems
    assert problem.field == "kind" and "--kind" in problem.reason


def test_the_cli_takes_kind(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pulumi_flink.cli import main

    (tmp_path / "body.json").write_text(json.dumps(REST_BODY))
    (tmp_path / "target.json").write_text(json.dumps({"kind": "DeploymentTarget", **TARGET_BODY}))

    result = CliRunner().invoke(main, ["validate", "--kind", "Deployment", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert "read as Deployment (--kind)" in result.stderr


def _defaults_export(*defaults: Doc, namespace: str | None = "default") -> Any:
    target_document = {"kind": "DeploymentTarget", **target("prod")}
    job = _local_jar({"kind": "Deployment", **deployment()})
    job["spec"]["deploymentTargetName"] = "prod"
    job["spec"]["template"]["spec"]["flinkConfiguration"] = {"own.key": "mine"}
    if namespace is not None:
        job["metadata"]["namespace"] = namespace
    sources = [json.dumps(d) for d in (*defaults, target_document, job)]
    return read_vvp_export(sources)


GLOBAL = {
    "kind": "GlobalDeploymentDefaults",
    "spec": {
        "upgradeStrategy": {"kind": "STATELESS"},
        "template": {
            "spec": {"parallelism": 2, "flinkConfiguration": {"a": "global", "b": "global"}}
        },
    },
}
TEAM = {
    "kind": "DeploymentDefaults",
    "metadata": {"namespace": "team"},
    "spec": {"template": {"spec": {"parallelism": 5, "flinkConfiguration": {"b": "team"}}}},
}


def _effective_template(export: Any) -> Any:
    (placement,) = export.placements
    return placement.effective.spec.template.spec


def test_namespace_defaults_override_global_ones_and_the_deployment_overrides_both() -> None:
    export = _defaults_export(TEAM, GLOBAL, namespace="team")

    template = _effective_template(export)
    assert export.problems == ()
    assert template.parallelism == 5
    assert template.flink_configuration == {"a": "global", "b": "team", "own.key": "mine"}
    assert export.placements[0].effective.spec.upgrade_strategy.kind == "STATELESS"


def test_defaults_are_merged_once_per_vvp_namespace_not_once_per_deployment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    merges: list[str] = []

    def counted(defaults: Any, namespace: str) -> Any:
        merges.append(namespace)
        return defaults_spec(defaults, namespace)

    monkeypatch.setattr("pulumi_flink.vvp._defaults.defaults_spec", counted)
    documents = [TEAM, GLOBAL, {"kind": "DeploymentTarget", **target("prod")}]
    for index, namespace in enumerate(["team", "team", "team", None]):
        job = _local_jar({"kind": "Deployment", **deployment(f"job-{index}")})
        job["spec"]["deploymentTargetName"] = "prod"
        if namespace is not None:
            job["metadata"]["namespace"] = namespace
        documents.append(job)

    export = read_vvp_export([json.dumps(document) for document in documents])

    assert export.problems == ()
    assert sorted(merges) == ["default", "team"]
    assert [p.effective.spec.template.spec.parallelism for p in export.placements] == [5, 5, 5, 2]


def test_defaults_of_another_vvp_namespace_do_not_apply() -> None:
    template = _effective_template(_defaults_export(TEAM, namespace=None))

    assert template.parallelism == 1
    assert template.flink_configuration == {"own.key": "mine"}


def test_a_list_the_deployment_sets_replaces_the_default_list() -> None:
    env = {"name": "FROM_DEFAULTS", "value": "1"}
    defaults = {
        "kind": "DeploymentDefaults",
        "spec": {"template": {"spec": {"kubernetes": {"pods": {"envVars": [env]}}}}},
    }
    template = _effective_template(_defaults_export(defaults))

    assert [e.name for e in template.kubernetes.pods.env_vars] == ["FROM_DEFAULTS"]


def test_invalid_defaults_are_a_problem_naming_the_field() -> None:
    broken = {"kind": "DeploymentDefaults", "spec": {"template": {"spec": {"paralelism": 2}}}}

    export = _defaults_export(broken)

    assert [p.field for p in export.problems] == ["spec.template.spec.paralelism"]


def test_vvps_helm_global_defaults_read_with_kind_apply_to_every_namespace() -> None:
    helm_value = {"spec": {"template": {"spec": {"parallelism": 3}}}}
    job = _local_jar({"kind": "Deployment", **deployment()})
    job["metadata"]["namespace"] = "elsewhere"
    job["spec"]["deploymentTargetName"] = "prod"
    target_document = {"kind": "DeploymentTarget", **target("prod")}

    export = read_vvp_export(
        [json.dumps(helm_value), json.dumps(target_document), json.dumps(job)],
        kind="GlobalDeploymentDefaults",
    )

    assert export.problems == ()
    assert _effective_template(export).parallelism == 3


def test_exported_secret_values_make_references_secret_and_their_values_are_never_used() -> None:
    secret_value = {
        "kind": "SecretValue",
        "metadata": {"name": "db-password"},
        "spec": {"kind": "GENERIC", "value": "hunter2"},
    }
    job = _local_jar({"kind": "Deployment", **deployment()})
    job["spec"]["deploymentTargetName"] = "prod"
    job["spec"]["template"]["spec"]["flinkConfiguration"] = {
        "db.password": "${db-password}",
        "proxy": "${HTTP_PROXY}",
    }
    target_document = {"kind": "DeploymentTarget", **target("prod")}

    export = read_vvp_export([json.dumps(d) for d in (secret_value, target_document, job)])
    (placement,) = export.placements
    manifests = placement.render_manifests(engine="standalone", secret_values=export.secret_values)

    assert export.problems == ()
    assert [w.field for w in export.warnings] == [
        "spec.value",
        "spec.template.spec.flinkConfiguration.proxy",
    ]
    assert "hunter2" not in json.dumps(manifests) + repr(export)
    assert "vvp-secret-values" in json.dumps(manifests)


def test_vvp_enums_are_read_case_insensitively_as_vvps_own_docs_write_them() -> None:
    document = deployment(spec={"state": "running", "upgradeStrategy": {"kind": "stateless"}})
    document["spec"]["restoreStrategy"] = {"kind": "latest_savepoint"}

    model = parse_model(Deployment, document)

    assert (model.spec.state, model.spec.upgrade_strategy.kind) == ("RUNNING", "STATELESS")
    assert model.spec.restore_strategy.kind == "LATEST_SAVEPOINT"


def test_a_null_field_reads_as_unset_as_vvps_api_writes_it() -> None:
    document = deployment()
    document["metadata"]["labels"] = None
    document["spec"]["sessionClusterName"] = None
    template = document["spec"]["template"]["spec"]
    template.update(flinkConfiguration=None, numberOfTaskManagers=None, logging=None)
    template["artifact"]["additionalDependencies"] = None

    model = parse_model(Deployment, document)

    assert model.spec.template.spec.flink_configuration == {}
    assert model.spec.template.spec.logging.log4j_loggers == {"": "INFO"}


PLAYGROUND_STYLE = """
kind: Deployment
apiVersion: v1
metadata:
  displayName: "Window Join"
  name: window-join
  namespace: default
spec:
  deploymentTargetName: vvp-jobs
  template:
    spec:
      parallelism: 1
      artifact:
        kind: JAR
        flinkVersion: '1.19'
        jarUri: >-
          https://repo1.maven.org/maven2/org/apache/flink/flink-examples-streaming/1.19.0/flink-examples-streaming-1.19.0-WindowJoin.jar
"""


def test_a_stock_vvp_deployment_without_any_state_directory_runs_stateless_with_a_warning() -> None:
    bare_target = "kind: DeploymentTarget\nmetadata: {name: vvp-jobs}\n"

    export = read_vvp_export([PLAYGROUND_STYLE, bare_target])

    (placement,) = export.placements
    (warning,) = [w for w in export.warnings if w.field == "spec.restoreStrategy.kind"]
    assert export.problems == ()
    assert placement.deployment.model.spec.restore_strategy.kind == "NONE"
    assert "Universal Blob Storage" in warning.reason and "stateless" in warning.reason


def test_a_blank_state_directory_is_still_an_error_not_a_stateless_fallback() -> None:
    blank = PLAYGROUND_STYLE.replace(
        "      parallelism: 1\n",
        "      parallelism: 1\n      flinkConfiguration: {state.checkpoints.dir: ''}\n",
    )
    bare_target = "kind: DeploymentTarget\nmetadata: {name: vvp-jobs}\n"

    (problem,) = read_vvp_export([blank, bare_target]).problems

    assert "'state.checkpoints.dir' is empty" in problem.reason


def test_a_stock_vvp_deployment_runs_once_the_target_supplies_the_blob_storage() -> None:
    target_with_storage = """
kind: DeploymentTarget
metadata: {name: vvp-jobs}
spec:
  deploymentPatchSet:
    - {op: add, path: /spec/template/spec/flinkConfiguration/state.checkpoints.dir,
       value: "s3://vvp/checkpoints"}
    - {op: add, path: /spec/template/spec/flinkConfiguration/state.savepoints.dir,
       value: "s3://vvp/savepoints"}
"""
    export = read_vvp_export([PLAYGROUND_STYLE, target_with_storage])

    assert export.problems == ()
    assert [p.name for p in export.placements] == ["window-join"]


def test_a_boolean_in_a_string_map_reads_as_text_as_jackson_reads_it() -> None:
    document = deployment()
    document["metadata"]["annotations"] = {"license/testing": False}
    document["spec"]["template"]["metadata"] = {"annotations": {"sampled": True}}

    model = parse_model(Deployment, document)

    assert model.metadata.annotations == {"license/testing": "false"}
    assert model.spec.template.metadata.annotations == {"sampled": "true"}


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ({"template": {}}, "Deployment"),
        ({"savepointLocation": "s3://sp/1"}, "Savepoint"),
        ({"flinkVersion": "1.19"}, "SessionCluster"),
        ({"deploymentTargetName": "prod", "resources": {}}, "SessionCluster"),
        ({"deploymentTargetName": "prod", "flinkConfiguration": {}}, "SessionCluster"),
        ({"flinkImageTag": "1.19.1"}, "SessionCluster"),
        ({"kind": "GENERIC", "value": "s3cr3t"}, "SecretValue"),
        ({"kubernetes": {"namespace": "jobs"}, "deploymentPatchSet": []}, "DeploymentTarget"),
    ],
)
def test_the_kind_of_a_request_body_follows_from_a_field_only_that_kind_has(
    spec: dict[str, object], kind: str
) -> None:
    found = infer_kind({"metadata": {"name": "x"}, "spec": spec})

    assert found is not None and found[0] == kind
