"""Specification of the VVP import: ``load_vvp_documents`` and ``read_vvp_export``.

Issue 5, "VVP import": VVP exports (YAML or JSON, several documents per file,
files or directories) become typed documents, and every problem is located to
the file, the document and the field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_flink.model import Deployment, DeploymentTarget
from pulumi_flink.vvp import (
    DocumentSource,
    VvpImportError,
    load_vvp_documents,
    read_vvp_documents,
    read_vvp_export,
)
from pulumi_flink.vvp._reading import ReadBudget, read_all

FIXTURES = Path(__file__).parent / "fixtures" / "vvp"
VALID = FIXTURES / "valid"

TARGET = """
kind: DeploymentTarget
metadata: {name: prod}
spec:
  kubernetes: {namespace: flink-prod}
  deploymentPatchSet:
    - {op: add, path: /spec/template/spec/flinkConfiguration/state.checkpoints.dir,
       value: "s3://ckpt"}
"""

STATEFUL_DEPLOYMENT = """
kind: Deployment
metadata: {name: orders}
spec:
  deploymentTargetName: prod
  template: {spec: {artifact: {jarUri: "s3://jobs/orders.jar"}}}
"""


def _messages(error: VvpImportError) -> list[str]:
    return [str(problem) for problem in error.problems]


def _export_problems(*texts: str) -> list[str]:
    return [str(problem) for problem in read_vvp_export(list(texts)).problems]


# Reading


def test_a_multi_document_file_yields_typed_documents_in_order() -> None:
    documents = load_vvp_documents(VALID / "deployments.yaml")

    assert [(d.kind, d.name) for d in documents] == [
        ("Deployment", "orders"),
        ("Deployment", "payments"),
        ("Deployment", "fraud-detection"),
    ]
    assert all(isinstance(d.model, Deployment) for d in documents)


def test_each_document_knows_its_file_and_index() -> None:
    documents = load_vvp_documents(VALID / "deployments.yaml")

    assert documents[2].source == DocumentSource(str(VALID / "deployments.yaml"), 2)


def test_a_directory_is_read_file_by_file_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.yml").write_text(STATEFUL_DEPLOYMENT)
    (tmp_path / "a.yaml").write_text(TARGET)
    (tmp_path / "notes.txt").write_text("not an export")

    documents = load_vvp_documents(tmp_path)

    assert [Path(d.source.file).name for d in documents] == ["a.yaml", "b.yml"]


@pytest.mark.parametrize(
    ("budget", "limit"),
    [(ReadBudget(files=2), "files in one read"), (ReadBudget(bytes=300), "bytes in one read")],
    ids=["files", "bytes"],
)
def test_a_directory_of_many_files_stops_at_the_reads_budget_naming_the_file(
    tmp_path: Path, budget: ReadBudget, limit: str
) -> None:
    for name in ("a", "b", "c", "d"):
        (tmp_path / f"{name}.yaml").write_text(TARGET.replace("prod", name))

    reader = read_all(tmp_path, budget=budget)

    [problem] = reader.problems
    assert limit in problem.reason
    assert Path(problem.source.file).name in ("c.yaml", "b.yaml")
    assert len(reader.documents) < 4


def test_the_files_of_one_export_share_one_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pulumi_flink.vvp._export.ReadBudget", lambda: ReadBudget(bytes=300))
    files = [tmp_path / f"{name}.yaml" for name in ("a", "b", "c")]
    for file in files:
        file.write_text(TARGET.replace("prod", file.stem))

    export = read_vvp_export(files)

    assert ["more than" in problem.reason for problem in export.problems] == [True]
    assert len(export.targets) < 3


def test_a_str_with_a_newline_is_read_as_text() -> None:
    (document,) = load_vvp_documents(TARGET)

    assert document.source == DocumentSource("<text>", 0)
    assert isinstance(document.model, DeploymentTarget)


def test_a_json_file_is_read_as_json(tmp_path: Path) -> None:
    export = tmp_path / "target.json"
    export.write_text(json.dumps({"kind": "DeploymentTarget", "metadata": {"name": "prod"}}))

    (document,) = load_vvp_documents(export)

    assert (document.kind, document.name) == ("DeploymentTarget", "prod")


def test_the_items_of_a_vvp_list_are_documents_with_an_item_index() -> None:
    text = json.dumps(
        {
            "kind": "DeploymentTargetList",
            "items": [{"metadata": {"name": "staging"}}, {"metadata": {"name": "prod"}}],
        }
    )

    documents = load_vvp_documents(text)

    assert [(d.kind, d.name, str(d.source)) for d in documents] == [
        ("DeploymentTarget", "staging", "<text>: document 0 item 0"),
        ("DeploymentTarget", "prod", "<text>: document 0 item 1"),
    ]


def test_empty_documents_are_skipped_but_keep_their_place_in_the_count() -> None:
    documents = load_vvp_documents(f"---\n---\n{TARGET}")

    assert [d.source.index for d in documents] == [1]


def test_a_deployment_is_not_held_to_rules_its_targets_patch_set_may_satisfy() -> None:
    # STATEFUL + LATEST_STATE needs state.checkpoints.dir, which the target adds.
    (document,) = load_vvp_documents(STATEFUL_DEPLOYMENT)

    assert document.name == "orders"


# Problems while reading


def test_an_unknown_kind_is_an_error_naming_file_and_document(tmp_path: Path) -> None:
    export = tmp_path / "export.yaml"
    export.write_text(f"{TARGET}---\nkind: Jobs\nmetadata: {{name: s}}\n")

    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(export)

    assert _messages(caught.value) == [
        f"{export}: document 1: kind: 'Jobs' is not supported; pulumi-flink reads "
        "DeploymentTarget, Deployment, SessionCluster, Savepoint, GlobalDeploymentDefaults, "
        "DeploymentDefaults, SecretValue, DeploymentTargetList, DeploymentList, "
        "SessionClusterList, SavepointList, SecretValueList"
    ]


def test_a_document_without_kind_is_an_error() -> None:
    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents("metadata: {name: prod}\nspec: {}\n")

    assert _messages(caught.value) == [
        "<text>: document 0: kind: missing, and the shape does not tell; add it or pass "
        "--kind (one of DeploymentTarget, Deployment, SessionCluster, Savepoint, "
        "GlobalDeploymentDefaults, DeploymentDefaults, SecretValue, DeploymentTargetList, "
        "DeploymentList, SessionClusterList, SavepointList, SecretValueList)"
    ]


def test_a_document_that_is_not_a_mapping_is_an_error() -> None:
    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents("just some text\n")

    assert _messages(caught.value) == [
        "<text>: document 0: expected a VVP resource (a mapping with kind, apiVersion, "
        "metadata and spec), got str"
    ]


def test_a_bare_array_is_a_list_of_resources_of_any_kind() -> None:
    documents = load_vvp_documents(
        '[{"kind": "DeploymentTarget", "metadata": {"name": "prod"}},'
        ' {"kind": "SecretValue", "metadata": {"name": "db-password"}}]'
    )

    assert [(str(d.source), d.kind) for d in documents] == [
        ("<text>: document 0 item 0", "DeploymentTarget"),
        ("<text>: document 0 item 1", "SecretValue"),
    ]


def test_a_list_item_of_another_kind_is_an_error() -> None:
    text = json.dumps({"kind": "DeploymentList", "items": [{"kind": "DeploymentTarget"}]})

    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(text)

    assert _messages(caught.value) == [
        "<text>: document 0 item 0: kind: a DeploymentList holds Deployment items, "
        "not DeploymentTarget"
    ]


def test_invalid_yaml_names_the_document_line_and_column_and_keeps_earlier_documents() -> None:
    documents, problems = read_vvp_documents(f"{TARGET}---\nkind: [Deployment\n")

    assert [d.name for d in documents] == ["prod"]
    # The words are the YAML parser's (libyaml's when present); the place is ours.
    [problem] = problems
    assert str(problem).startswith("<text>: document 1: invalid YAML at line 11, column 1: ")
    assert "']'" in str(problem)


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text('{"kind": "Deployment",\n}')

    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(export)

    assert _messages(caught.value) == [
        f"{export}: document 0: invalid JSON at line 2, column 1: "
        "Expecting property name enclosed in double quotes"
    ]


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(tmp_path / "nope.yaml")

    assert _messages(caught.value) == [
        f"{tmp_path / 'nope.yaml'}: cannot read: No such file or directory"
    ]


def test_a_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    export = tmp_path / "export.yaml"
    export.write_bytes(b"kind: \xff\n")

    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(export)

    assert _messages(caught.value) == [f"{export}: cannot read: not UTF-8 text"]


def test_a_directory_without_exports_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(tmp_path)

    assert _messages(caught.value) == [
        f"{tmp_path}: no *.json, *.yaml, *.yml files in this directory"
    ]


def test_a_malformed_patch_set_names_the_operation_index_op_and_path() -> None:
    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(FIXTURES / "invalid.yaml")

    assert _messages(caught.value)[0] == (
        f"{FIXTURES / 'invalid.yaml'}: document 0: DeploymentTarget 'staging': "
        "spec.deploymentPatchSet[1] (add /spec/template/spec/flinkConfiguration/"
        "state.savepoints.dir): add needs a 'value'"
    )


def test_a_bad_field_is_named_as_a_dotted_vvp_path() -> None:
    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(FIXTURES / "invalid.yaml")

    assert _messages(caught.value)[1] == (
        f"{FIXTURES / 'invalid.yaml'}: document 1: Deployment 'orders': "
        "spec.template.spec.parallelism: Input should be greater than or equal to 1"
    )


def test_the_error_message_lists_every_problem() -> None:
    with pytest.raises(VvpImportError) as caught:
        load_vvp_documents(FIXTURES / "invalid.yaml")

    assert str(caught.value).splitlines()[0] == "2 problems in the VVP export:"
    assert len(str(caught.value).splitlines()) == 3


# Checking an export as a whole


def test_each_deployment_is_placed_on_the_target_it_names() -> None:
    export = read_vvp_export([VALID])

    assert export.problems == ()
    assert [(p.name, p.target.name) for p in export.placements] == [
        ("orders", "staging"),
        ("payments", "production"),
        ("fraud-detection", "production"),
    ]


def test_a_placed_deployment_carries_its_effective_document() -> None:
    (placement,) = read_vvp_export([TARGET, STATEFUL_DEPLOYMENT]).placements

    configuration = placement.effective.spec.template.spec.flink_configuration
    assert configuration == {"state.checkpoints.dir": "s3://ckpt"}


def test_a_deployment_may_name_its_target_by_id() -> None:
    target = TARGET.replace("{name: prod}", "{name: prod, id: t-1}")
    deployment = STATEFUL_DEPLOYMENT.replace(
        "deploymentTargetName: prod", "deploymentTargetId: t-1"
    )

    (placement,) = read_vvp_export([target, deployment]).placements

    assert placement.target.name == "prod"


def test_a_deployment_whose_target_is_not_among_the_sources_is_reported() -> None:
    staging = TARGET.replace("name: prod", "name: staging")

    assert _export_problems(staging, STATEFUL_DEPLOYMENT) == [
        "<text>: document 0: Deployment 'orders': spec.deploymentTargetName: "
        "no valid DeploymentTarget 'prod' among the files"
    ]


def test_a_deployment_exported_on_its_own_runs_on_a_stand_in_target_with_a_warning() -> None:
    export = read_vvp_export([STATEFUL_DEPLOYMENT.replace("s3://", "https://")])

    assert export.problems == ()
    (placement,) = export.placements
    assert placement.target.name == "prod"
    assert placement.prepared_target.operations == []
    assert export.targets == ()  # nothing was read as a target
    assert "not among the files, which hold no DeploymentTarget" in export.warnings[0].reason


def test_an_invalid_target_among_the_files_still_counts_as_a_target() -> None:
    broken = TARGET.replace("name: prod", "name: 'bad name'")

    problems = _export_problems(broken, STATEFUL_DEPLOYMENT)

    assert "no valid DeploymentTarget 'prod' among the files" in problems[-1]


def test_a_deployment_naming_no_target_is_reported() -> None:
    deployment = STATEFUL_DEPLOYMENT.replace("deploymentTargetName: prod", "state: RUNNING")

    assert _export_problems(TARGET, deployment) == [
        "<text>: document 0: Deployment 'orders': spec.deploymentTargetName: "
        "missing; name the DeploymentTarget the Deployment runs on"
    ]


def test_a_deployment_is_validated_after_its_targets_patch_set() -> None:
    target = TARGET.replace("state.checkpoints.dir", "state.savepoints.dir")

    (problem,) = read_vvp_export([target, STATEFUL_DEPLOYMENT]).problems

    assert problem.source == DocumentSource("<text>", 0)
    assert problem.subject == "Deployment 'orders'"
    assert problem.field == "spec.template.spec.flinkConfiguration"
    assert "'state.checkpoints.dir' is required for upgrade mode 'last-state'" in problem.reason


def test_a_patch_that_fails_on_a_deployment_names_the_target_and_the_operation() -> None:
    target = TARGET.replace("op: add", "op: replace")

    assert _export_problems(target, STATEFUL_DEPLOYMENT) == [
        "<text>: document 0: Deployment 'orders': DeploymentTarget 'prod' "
        "spec.deploymentPatchSet[0] (replace /spec/template/spec/flinkConfiguration/"
        "state.checkpoints.dir): path /spec/template/spec/flinkConfiguration/"
        "state.checkpoints.dir does not exist"
    ]


def test_names_must_be_unique_per_kind_across_the_sources() -> None:
    assert _export_problems(TARGET, TARGET) == [
        "<text>: document 0: DeploymentTarget 'prod': metadata.name: also defined at "
        "<text>: document 0; names must be unique across the files"
    ]


def test_problems_are_ordered_by_source_then_document() -> None:
    export = read_vvp_export([FIXTURES / "missing-target.yaml", FIXTURES / "invalid.yaml"])

    assert [(Path(p.source.file).name, p.source.index) for p in export.problems] == [
        ("missing-target.yaml", 0),
        ("invalid.yaml", 0),
        ("invalid.yaml", 1),
    ]
