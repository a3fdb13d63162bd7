"""Real-world shaped VVP documents are read, rendered or skipped by name (issue 12).

Each folder of ``fixtures/vvp-real-world`` is one export shaped like what
VVP and its users publish (see its README): a namespace dump, REST API list
responses, kindless request bodies, a Helm chart's output, Kubernetes custom
resources wrapping VVP resources, a session-mode export, Ververica Cloud's
flat deployments, every scalar in the forms VVP's API accepts.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from pulumi_flink.cli import main
from pulumi_flink.errors import VvpExportWarning, VvpImportError
from pulumi_flink.model.vvp_fields import SKIPPED_KINDS, skipped_kinds_markdown
from pulumi_flink.vvp import load_vvp_documents, read_vvp_export
from pulumi_flink.vvp._cloud import cloud_fields_markdown, vvp_deployment
from pulumi_flink.vvp._reading import skip_reason

CORPUS = Path(__file__).parent / "fixtures" / "vvp-real-world"
README = Path(__file__).resolve().parents[2] / "README.md"
CASES = {
    "namespace-export": ("clickstream-sessions", "clickstream-replay"),
    "rest-api-json": ("fraud-scoring",),
    "request-bodies": ("nightly-aggregates",),
    "helm-chart": ("warehouse-loader",),
    "operator-resources": ("enrichment", "alerts", "beam-wordcount"),
    "session-export": ("adhoc-report",),
    "helm-values": ("top-speed-windowing",),
    "ververica-cloud": ("clickstream-enricher", "nightly-batch-rollup", "ledger-sync"),
    "api-field-forms": ("payments-ledger", "fraud-rules"),
    "artifact-management": ("ingest-orders", "score-customers", "daily-revenue"),
}
SKIPPED = {
    "namespace-export": ["Namespace", "Job", "Event", "ApiToken"],
    "rest-api-json": ["JobList"],
    "request-bodies": [],
    "helm-chart": ["ServiceAccount", "Secret", "ConfigMap", "RoleBinding", "Deployment"],
    "operator-resources": ["Namespace"],
    "session-export": ["SessionClusterDefaults"],
    "helm-values": ["Helm"],  # its globalSessionClusterDefaults
    "ververica-cloud": [],
    "api-field-forms": ["SystemInformation"],
    "artifact-management": [],
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


def test_artifacts_in_vvps_blob_storage_are_fetched_on_flink_before_1_19() -> None:
    export = read_vvp_export([CORPUS / "artifact-management"])
    manifests = [m for placement in export.placements for m in placement.render_manifests()]

    flink = [m for m in manifests if m["kind"] == "FlinkDeployment"]
    assert len(flink) == 3
    for manifest in flink:
        [fetcher] = [
            c
            for c in manifest["spec"]["podTemplate"]["spec"]["initContainers"]
            if c["name"] == "fetch-object-store-artifacts"
        ]
        assert fetcher["envFrom"] == [{"secretRef": {"name": "vvp-blob-storage-credentials"}}]
    assert flink[0]["spec"]["job"]["jarURI"] == "local:///opt/flink/usrlib/ingest-orders-2.4.0.jar"


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
    enrichment, alerts, wordcount = export.placements

    assert enrichment.effective.metadata.display_name == "Order enrichment"
    assert enrichment.effective.metadata.namespace == "streaming"
    # VVP 3's metadata names no Deployment: the custom resource's name does.
    assert alerts.name == "alerts"
    notes = [w.reason for w in export.warnings if w.subject == "Deployment 'alerts'"]
    assert notes == [
        "a VvpDeployment custom resource: read as the VVP Deployment it holds; its "
        "operator's syncingMode, savepointNonce not carried over"
    ]
    # StreamNative's wrapper, with a patch release as flinkVersion.
    assert wordcount.effective.metadata.display_name == "Beam word count"
    assert wordcount.effective.spec.template.spec.artifact.flink_version == "1.18"


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


def test_a_ververica_cloud_deployment_is_read_as_the_vvp_deployment_it_describes() -> None:
    export = read_vvp_export([CORPUS / "ververica-cloud"])
    enricher, rollup, ledger = (placement.effective for placement in export.placements)

    spec = enricher.spec.template.spec
    assert (enricher.metadata.id, enricher.metadata.namespace) == (
        "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "analytics-default",
    )
    assert (spec.artifact.flink_version, spec.artifact.entry_class) == (
        "1.17",
        "org.example.clickstream.Enricher",
    )
    assert (spec.parallelism, spec.resources.taskmanager.memory) == (4, "8 GiB")
    assert spec.flink_configuration["pipeline.object-reuse"] == "true"
    assert spec.logging.log4j_loggers == {"": "INFO", "org.apache.kafka": "WARN"}
    assert enricher.spec.deployment_target_name == "default-queue"
    rollup_spec = rollup.spec.template.spec
    assert rollup_spec.flink_configuration["execution.runtime-mode"] == "BATCH"
    assert rollup_spec.resources.jobmanager.memory == "2GiB"
    assert ledger.spec.template.spec.artifact.flink_version == "1.20"
    notes = [w.reason for w in export.warnings if w.subject == "Deployment 'clickstream-enricher'"]
    assert any(
        note.endswith("not carried over: localVariables, logging.logReservePolicy")
        for note in notes
    )


def test_a_metadata_field_we_do_not_know_is_ignored_with_a_warning() -> None:
    export = read_vvp_export([CORPUS / "api-field-forms"])

    (warning,) = [w for w in export.warnings if w.field == "metadata"]
    assert warning.subject == "DeploymentTarget 'kubernetesTarget_eu-1'"
    assert warning.reason.startswith("'createdBy': not a metadata field")


def test_a_spec_field_we_do_not_know_stays_an_error() -> None:
    text = "kind: DeploymentTarget\nmetadata: {name: t}\nspec: {futureField: 1}\n"

    (problem,) = read_vvp_export([text]).problems
    assert (problem.field, problem.reason) == (
        "spec.futureField",
        "unknown field; check the spelling (VVP fields are camelCase)",
    )


def test_the_readme_lists_every_ververica_cloud_field_we_read() -> None:
    assert cloud_fields_markdown() in README.read_text()


CLOUD_JAR = {"kind": "JAR", "jarArtifact": {"jarUri": "https://r/j.jar"}}


@pytest.mark.parametrize(
    ("cloud", "field", "read", "left_out"),
    [
        (
            {"deploymentTarget": {"mode": "SESSION", "name": "s"}},
            ("spec", "sessionClusterName"),
            "s",
            [],
        ),
        (
            {"deploymentTarget": {"mode": "PER_JOB", "name": "q"}},
            ("spec", "deploymentTargetName"),
            "q",
            [],
        ),
        (
            {"engineVersion": "vvr-6.0.7-flink-1.15"},
            ("spec", "template", "spec", "artifact", "flinkVersion"),
            "1.15",
            [],
        ),
        (
            {"engineVersion": "vvr-8.0.5"},
            ("spec", "template", "spec", "artifact", "kind"),
            "JAR",
            ["engineVersion 'vvr-8.0.5' (names no flink-<version>)"],
        ),
        (
            {
                "streamingResourceSetting": {
                    "resourceSettingMode": "EXPERT",
                    "expertResourceSetting": {
                        "jobmanagerResourceSettingSpec": {"cpu": 2, "memory": "4GiB"},
                        "resourcePlan": "{}",
                    },
                }
            },
            ("spec", "template", "spec", "resources", "jobmanager", "cpu"),
            2,
            ["streamingResourceSetting.expertResourceSetting (its resource plan)"],
        ),
        (
            {"executionMode": "BATCH", "flinkConf": {"a": "b"}},
            ("spec", "template", "spec", "flinkConfiguration"),
            {"execution.runtime-mode": "BATCH", "a": "b"},
            [],
        ),
        (
            {"description": "d", "futureThing": 1},
            ("metadata", "annotations"),
            {"description": "d"},
            ["futureThing"],
        ),
    ],
)
def test_each_ververica_cloud_field_becomes_its_vvp_field(
    cloud: dict[str, object], field: tuple[str, ...], read: object, left_out: list[str]
) -> None:
    document, not_carried = vvp_deployment({"name": "job", "artifact": CLOUD_JAR, **cloud})

    node: object = document
    for key in field:
        assert isinstance(node, dict)
        node = node[key]
    assert (node, not_carried) == (read, left_out)


@pytest.mark.parametrize("wrapper", ["data", "items", "deployments", None])
def test_ververica_cloud_answers_are_unwrapped(wrapper: str | None) -> None:
    queue = {"deploymentTarget": {"mode": "PER_JOB", "name": "default-queue"}}
    items = [{"name": name, "artifact": CLOUD_JAR, **queue} for name in ("a", "b")]
    body = {wrapper: items} if wrapper else items

    export = read_vvp_export([json.dumps(body)])

    assert [p.name for p in export.placements] == ["a", "b"]


def test_a_kubernetes_list_is_read_item_by_item() -> None:
    deployment = {
        "apiVersion": "ververica.platform/v1",
        "kind": "VvpDeployment",
        "metadata": {"name": "alerts"},
        "spec": {"deployment": {"spec": {"template": {"spec": {}}}}},
    }
    body = {"apiVersion": "v1", "kind": "List", "items": [deployment, {"kind": "Event"}]}

    export = read_vvp_export([json.dumps(body)])

    assert [document.name for document in export.documents] == ["alerts"]
    assert [w.reason.split(":")[0] for w in export.warnings][-1] == "skipped"


@pytest.mark.parametrize(
    "answer",
    [
        {"namespaces": [{"name": "namespaces/default", "lifecyclePhase": "ACTIVE"}]},
        {"namespace": {"name": "namespaces/team-a"}},
        {"apiTokens": []},
    ],
)
def test_vvp_platform_api_answers_are_skipped_with_a_warning(answer: dict[str, object]) -> None:
    export = read_vvp_export([json.dumps(answer)])

    assert export.problems == ()
    (warning,) = export.warnings
    assert warning.reason.startswith("skipped: VVP's platform API answer: ")


def test_a_vvp_operator_resources_init_fields_are_merged_under_its_spec() -> None:
    deployment = {
        "metadata": {"name": "orders"},
        "spec": {"template": {"spec": {"parallelism": 2, "resources": {"jobmanager": {"cpu": 1}}}}},
    }
    initial = {
        "template": {
            "spec": {"parallelism": 8, "resources": {"jobmanager": {"cpu": 2, "memory": "2g"}}}
        }
    }
    body = {
        "apiVersion": "ververica.platform/v1",
        "kind": "VvpDeployment",
        "metadata": {"name": "orders"},
        "spec": {"syncingMode": "PATCH", "deployment": deployment, "initFields": {"spec": initial}},
    }

    (document,) = read_vvp_export([json.dumps(body)]).documents

    template = document.model.spec.template.spec
    assert template.parallelism == 2  # the Deployment's own value wins
    assert (template.resources.jobmanager.cpu, template.resources.jobmanager.memory) == (1, "2g")


def test_a_ververica_cloud_name_vvp_would_refuse_becomes_the_display_name() -> None:
    queue = {"deploymentTarget": {"mode": "PER_JOB", "name": "default-queue"}}
    body = {"name": "Fraud_Scoring v2", "artifact": CLOUD_JAR, **queue}

    export = read_vvp_export([json.dumps(body)])

    (placement,) = export.placements
    assert placement.name == "fraud-scoring-v2"
    assert placement.effective.metadata.display_name == "Fraud_Scoring v2"
    assert "named 'fraud-scoring-v2' by VVP's rules" in export.warnings[0].reason
