"""Real-world shaped VVP documents are read, rendered or skipped by name (issue 12).

Each folder of ``fixtures/vvp-real-world`` is one export shaped like what
VVP and its users publish (see its README): a namespace dump, REST API list
responses, kindless request bodies, a Helm chart's output, Kubernetes custom
resources wrapping VVP resources, a session-mode export.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from pulumi_flink.cli import main
from pulumi_flink.errors import VvpExportWarning, VvpImportError
from pulumi_flink.model.vvp_fields import SKIPPED_KINDS, skipped_kinds_markdown
from pulumi_flink.vvp import load_vvp_documents, read_vvp_export
from pulumi_flink.vvp._reading import skip_reason

CORPUS = Path(__file__).parent / "fixtures" / "vvp-real-world"
README = Path(__file__).resolve().parents[2] / "README.md"
CASES = {
    "namespace-export": ("clickstream-sessions", "clickstream-replay"),
    "rest-api-json": ("fraud-scoring",),
    "request-bodies": ("nightly-aggregates",),
    "helm-chart": ("warehouse-loader",),
    "operator-resources": ("enrichment", "alerts"),
    "session-export": ("adhoc-report",),
    "helm-values": ("top-speed-windowing",),
}
SKIPPED = {
    "namespace-export": ["Namespace", "Job", "Event", "ApiToken"],
    "rest-api-json": ["JobList"],
    "request-bodies": [],
    "helm-chart": ["ServiceAccount", "Secret", "ConfigMap", "RoleBinding", "Deployment"],
    "operator-resources": ["Namespace"],
    "session-export": ["SessionClusterDefaults"],
    "helm-values": ["Helm"],  # its globalSessionClusterDefaults
}


def _skipped_kinds(case: str) -> list[str]:
    export = read_vvp_export([CORPUS / case])
    return [
        (warning.subject or "").split(" ")[0]
        for warning in export.warnings
        if warning.reason.startswith("skipped: ")
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_real_world_export_is_valid_as_a_whole(case: str) -> None:
    export = read_vvp_export([CORPUS / case])

    assert [str(problem) for problem in export.problems] == []
    assert tuple(placement.name for placement in export.placements) == CASES[case]


@pytest.mark.parametrize("case", sorted(CASES))
def test_documents_we_do_not_deploy_are_skipped_with_a_warning_naming_them(case: str) -> None:
    assert _skipped_kinds(case) == SKIPPED[case]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_real_world_export_renders_on_the_operator_engine(case: str) -> None:
    result = CliRunner().invoke(main, ["render", str(CORPUS / case)])

    assert result.exit_code == 0, result.stderr
    assert "kind: FlinkDeployment" in result.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_load_vvp_documents_reads_every_export_and_warns_about_what_it_skips(case: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        documents = load_vvp_documents(CORPUS / case)

    assert documents
    skipped = [w for w in caught if "skipped: " in str(w.message)]
    assert all(issubclass(w.category, VvpExportWarning) for w in skipped)
    assert len(skipped) == len(SKIPPED[case])


def test_a_misspelt_kind_is_still_an_error_not_a_skip() -> None:
    with pytest.raises(VvpImportError, match="'Evnet' is not supported"):
        load_vvp_documents("kind: Evnet\nmetadata: {name: e}\n")


def test_a_vvp_document_with_a_kubernetes_api_group_is_skipped_not_misread() -> None:
    assert skip_reason("Deployment", {"apiVersion": "apps/v1"}) == (
        "apiVersion",
        "skipped: a Kubernetes Deployment (apps/v1), not a VVP resource",
    )


def test_a_list_of_a_skipped_kind_is_skipped_as_a_whole() -> None:
    export = read_vvp_export(['{"kind": "EventList", "items": [{"kind": "Event"}]}'])

    assert export.problems == ()
    assert [w.reason for w in export.warnings] == [
        f"skipped: a list of Event ({SKIPPED_KINDS['Event']})"
    ]


def test_the_readme_lists_every_skipped_kind_and_why() -> None:
    assert skipped_kinds_markdown() in README.read_text()


def test_a_vvp_operator_custom_resource_is_read_as_its_deployment() -> None:
    export = read_vvp_export([CORPUS / "operator-resources"])
    enrichment, alerts = export.placements

    assert enrichment.effective.metadata.display_name == "Order enrichment"
    assert enrichment.effective.metadata.namespace == "streaming"
    # VVP 3's metadata names no Deployment: the custom resource's name does.
    assert alerts.name == "alerts"
    notes = [w.reason for w in export.warnings if w.subject == "Deployment 'alerts'"]
    assert notes == [
        "a VvpDeployment custom resource: read as the VVP Deployment it holds; its "
        "operator's syncingMode, savepointNonce not carried over"
    ]


def test_a_byte_order_mark_and_crlf_line_endings_are_read_as_text() -> None:
    export = read_vvp_export([CORPUS / "request-bodies"])

    assert [t.name for t in export.targets] == ["ci-target"]
    (placement,) = export.placements
    configuration = placement.effective.spec.template.spec.flink_configuration
    assert configuration["pipeline.name"] == "nightly aggregates"


def test_yaml_aliases_inside_a_document_are_resolved() -> None:
    export = read_vvp_export([CORPUS / "namespace-export"])
    loggers = export.placements[0].effective.spec.template.spec.logging.log4j_loggers

    assert loggers == {"": "WARN", "org.apache.kafka": "WARN", "com.example": "INFO"}


def test_helm_values_give_the_blob_storage_and_the_global_defaults() -> None:
    export = read_vvp_export([CORPUS / "helm-values"])

    (placement,) = export.placements
    configuration = placement.effective.spec.template.spec.flink_configuration
    root = "s3://vvp/flink-jobs/namespaces/default/deployments/9e2b7c4d-5f6a-4b8c-9d0e-1f2a3b4c5d6e"
    assert configuration["state.checkpoints.dir"] == f"{root}/checkpoints"
    assert configuration["state.backend"] == "filesystem"  # the global defaults
    assert placement.effective.spec.restore_strategy.kind == "LATEST_STATE"
    assert placement.effective.spec.template.spec.resources.jobmanager.cpu == 0.5


def test_a_given_blob_storage_wins_over_the_helm_values() -> None:
    export = read_vvp_export([CORPUS / "helm-values"], blob_storage="gs://elsewhere")

    configuration = export.placements[0].effective.spec.template.spec.flink_configuration
    assert configuration["state.savepoints.dir"].startswith("gs://elsewhere/flink-jobs/")


def test_helm_values_with_broken_embedded_defaults_name_the_field() -> None:
    export = read_vvp_export(["vvp:\n  globalDeploymentDefaults: 'spec: [unclosed'\n"])

    assert [(p.subject, p.field) for p in export.problems] == [
        ("Helm values", "vvp.globalDeploymentDefaults")
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_file_powershell_wrote_in_utf_16_with_a_bom_is_read(
    tmp_path: Path, encoding: str
) -> None:
    export = tmp_path / "targets.json"
    text = '{"kind": "DeploymentTarget", "metadata": {"name": "from-windows"}}'
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")  # the plain codecs write their own
    export.write_bytes((bom + text).encode(encoding))

    assert [t.name for t in read_vvp_export([export]).targets] == ["from-windows"]


def test_a_file_in_an_unknown_encoding_names_the_one_expected(tmp_path: Path) -> None:
    export = tmp_path / "targets.yaml"
    export.write_bytes("kind: DeploymentTarget\nmetadata: {name: caf\xe9}\n".encode("latin-1"))

    (problem,) = read_vvp_export([export]).problems
    assert problem.reason == "cannot read: not UTF-8 text"
