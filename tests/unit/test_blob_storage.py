"""VVP's Universal Blob Storage: the state directories VVP gives every Deployment (issue 12).

Opt-in, as the platform setting it stands for: ``--blob-storage``,
``read_vvp_export``/``load_vvp_documents(blob_storage=...)`` and a prepared
target's ``blob_storage`` (what ``DeploymentTarget(blob_storage=...)`` makes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pulumi_flink import render_manifests
from pulumi_flink.blob_storage import blob_storage_directories, with_blob_storage
from pulumi_flink.cli import main
from pulumi_flink.effective import effective_deployment_model
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.model import Deployment
from pulumi_flink.target import prepare_target
from pulumi_flink.vvp import load_vvp_documents, read_vvp_export
from tests.unit.documents import deployment, target

BASE = "s3://vvp-store/vvp"
ROOT = f"{BASE}/flink-jobs/namespaces/team-a/deployments/5a19a71b"
STOCK = """
kind: DeploymentTarget
metadata: {name: prod}
spec: {kubernetes: {namespace: flink-jobs}}
---
kind: Deployment
metadata: {name: orders, namespace: team-a, id: 5a19a71b}
spec:
  deploymentTargetName: prod
  template:
    spec:
      artifact: {jarUri: "https://jobs.example.com/orders.jar", flinkVersion: "1.18"}
"""
"""VVP's stock example: default STATEFUL + LATEST_STATE, no state directory."""


def _stateful(**configuration: str) -> dict[str, Any]:
    document = deployment(spec={"restoreStrategy": {"kind": "LATEST_STATE"}})
    document["metadata"].update({"namespace": "team-a", "id": "5a19a71b"})
    document["spec"]["template"]["spec"]["flinkConfiguration"] = configuration
    return document


def _configuration(model: Deployment) -> dict[str, str]:
    return dict(model.spec.template.spec.flink_configuration)


def test_the_directories_follow_vvps_layout_per_namespace_and_deployment_id() -> None:
    assert blob_storage_directories(BASE + "/", _stateful()) == {
        "state.checkpoints.dir": f"{ROOT}/checkpoints",
        "state.savepoints.dir": f"{ROOT}/savepoints",
        "high-availability.storageDir": f"{ROOT}/ha",
    }


def test_without_id_and_namespace_the_name_and_the_default_namespace_stand_in() -> None:
    directories = blob_storage_directories(BASE, deployment("orders"))

    assert directories["state.savepoints.dir"] == (
        f"{BASE}/flink-jobs/namespaces/default/deployments/orders/savepoints"
    )


def test_a_target_with_blob_storage_makes_the_stock_deployment_stateful() -> None:
    prepared = prepare_target(target(), blob_storage=BASE)

    effective = effective_deployment_model(_stateful(), prepared)

    assert _configuration(effective)["state.checkpoints.dir"] == f"{ROOT}/checkpoints"


def test_without_blob_storage_the_stock_deployment_still_needs_its_directories() -> None:
    with pytest.raises(SpecValidationError, match="--blob-storage"):
        effective_deployment_model(_stateful(), prepare_target(target()))


def test_a_directory_the_deployment_sets_wins_over_blob_storage() -> None:
    prepared = prepare_target(target(), blob_storage=BASE)

    effective = effective_deployment_model(
        _stateful(**{"state.checkpoints.dir": "s3://mine/checkpoints"}), prepared
    )

    assert _configuration(effective)["state.checkpoints.dir"] == "s3://mine/checkpoints"
    assert _configuration(effective)["state.savepoints.dir"] == f"{ROOT}/savepoints"


def test_the_target_patch_set_wins_over_blob_storage() -> None:
    patched = target()
    patched["spec"]["deploymentPatchSet"] = [
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/high-availability.storageDir",
            "value": "s3://mine/ha",
        }
    ]

    effective = effective_deployment_model(_stateful(), prepare_target(patched, blob_storage=BASE))

    assert _configuration(effective)["high-availability.storageDir"] == "s3://mine/ha"


def test_the_rendered_flink_deployment_runs_last_state_under_blob_storage() -> None:
    manifests = render_manifests(_stateful(), prepare_target(target(), blob_storage=BASE))
    spec = manifests[-1]["spec"]

    assert spec["job"]["upgradeMode"] == "last-state"
    assert spec["flinkConfiguration"]["high-availability.storageDir"] == f"{ROOT}/ha"


def test_a_session_mode_deployment_is_left_to_its_session_cluster() -> None:
    document = {"metadata": {"name": "job"}, "spec": {"sessionClusterName": "shared"}}

    assert with_blob_storage(document, BASE) == document


@pytest.mark.parametrize("uri", ["vvp-store", "", "s3://", "s3://bucket with space"])
def test_a_base_uri_without_a_scheme_is_refused_naming_blob_storage(uri: str) -> None:
    with pytest.raises(SpecValidationError, match=r"blob_storage: .* is not a URI with a scheme"):
        prepare_target(target(), blob_storage=uri)


def test_read_vvp_export_keeps_the_stock_deployment_stateful_with_blob_storage() -> None:
    export = read_vvp_export([STOCK], blob_storage=BASE)

    (placement,) = export.placements
    assert placement.effective.spec.restore_strategy.kind == "LATEST_STATE"
    assert export.warnings == ()


def test_read_vvp_export_without_blob_storage_runs_it_stateless_naming_the_option() -> None:
    export = read_vvp_export([STOCK])

    (placement,) = export.placements
    assert placement.effective.spec.restore_strategy.kind == "NONE"
    assert "--blob-storage" in export.warnings[0].reason


def test_load_vvp_documents_fills_the_directories_after_the_defaults() -> None:
    defaults = (
        "---\nkind: GlobalDeploymentDefaults\nspec: {template: {spec: {flinkConfiguration: "
        "{state.savepoints.dir: 's3://defaults/savepoints'}}}}\n"
    )
    documents = load_vvp_documents(STOCK + defaults, blob_storage=BASE)

    (orders,) = [d.model for d in documents if isinstance(d.model, Deployment)]
    assert _configuration(orders) == {
        "state.checkpoints.dir": f"{ROOT}/checkpoints",
        "state.savepoints.dir": "s3://defaults/savepoints",
        "high-availability.storageDir": f"{ROOT}/ha",
    }


def test_render_blob_storage_option_fills_the_directories(tmp_path: Path) -> None:
    export = tmp_path / "export.yaml"
    export.write_text(STOCK)

    result = CliRunner().invoke(main, ["render", "--blob-storage", BASE, str(export)])

    assert result.exit_code == 0, result.stderr
    assert f"state.checkpoints.dir: {ROOT}/checkpoints" in result.stdout
    assert "upgradeMode: last-state" in result.stdout


def test_the_cli_refuses_a_base_uri_without_a_scheme() -> None:
    result = CliRunner().invoke(main, ["validate", "--blob-storage", "vvp-store", "."])

    assert result.exit_code == 2
    assert "'vvp-store' is not a URI with a scheme" in result.stderr


SESSION = """
kind: DeploymentTarget
metadata: {name: prod}
spec: {kubernetes: {namespace: flink-jobs}}
---
kind: SessionCluster
metadata: {name: shared, namespace: team-a}
spec: {state: RUNNING, deploymentTargetName: prod, flinkVersion: "1.18"}
---
kind: Deployment
metadata: {name: report}
spec:
  sessionClusterName: shared
  restoreStrategy: {kind: LATEST_SAVEPOINT}
  template: {spec: {artifact: {jarUri: "https://jobs.example.com/report.jar"}}}
"""
"""A session cluster without state directories and a stateful job in it."""


def test_a_session_cluster_gets_its_directories_under_sessionclusters() -> None:
    export = read_vvp_export([SESSION], blob_storage=BASE)

    (cluster,) = export.session_clusters
    assert cluster.effective.spec.flink_configuration["state.savepoints.dir"] == (
        f"{BASE}/flink-jobs/namespaces/team-a/sessionclusters/shared/savepoints"
    )
    (job,) = export.placements
    assert job.effective.spec.restore_strategy.kind == "LATEST_SAVEPOINT"
    assert export.problems == ()


def test_without_blob_storage_a_session_job_with_no_state_storage_runs_stateless() -> None:
    export = read_vvp_export([SESSION])

    (job,) = export.placements
    assert job.effective.spec.restore_strategy.kind == "NONE"
    (warning,) = [w for w in export.warnings if w.subject == "Deployment 'report'"]
    assert "SessionCluster 'shared''s flinkConfiguration" in warning.reason
