"""VVP Savepoint documents: read, tied to their Deployment, rendered as FlinkStateSnapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from pulumi_flink.cli import main
from pulumi_flink.model import Savepoint
from pulumi_flink.model.vvp_fields import VVP_FIELDS
from pulumi_flink.validation import parse_model
from pulumi_flink.vvp import VvpImportError, load_vvp_documents, read_vvp_export

EXPORT = """
kind: DeploymentTarget
metadata: {name: prod}
spec:
  kubernetes: {namespace: flink-prod}
---
kind: Deployment
metadata: {name: orders, id: d-0001}
spec:
  deploymentTargetName: prod
  restoreStrategy: {kind: NONE}
  template: {spec: {artifact: {jarUri: "s3://jobs/orders.jar"}}}
---
kind: SavepointList
items:
  - metadata: {id: 5a7e0002-aaaa, deploymentId: d-0001, origin: SUSPEND,
               createdAt: "2026-11-02T10:00:00Z"}
    spec: {savepointLocation: "s3://sp/orders/savepoint-2"}
    status: {state: COMPLETED}
  - metadata: {id: 5a7e0001-bbbb, deploymentId: d-0001, origin: USER_REQUEST,
               createdAt: "2026-11-01T10:00:00Z"}
    spec: {savepointLocation: "s3://sp/orders/savepoint-1"}
    status: {state: COMPLETED}
  - metadata: {id: 5a7e0003-cccc, deploymentId: d-0001, createdAt: "2026-11-03T10:00:00Z"}
    spec: {savepointLocation: "s3://sp/orders/savepoint-3"}
    status: {state: FAILED}
"""


def test_savepoint_documents_are_read_and_named_by_their_id() -> None:
    documents = load_vvp_documents(EXPORT)

    savepoints = [d for d in documents if isinstance(d.model, Savepoint)]
    assert [(d.kind, d.name) for d in savepoints][:1] == [("Savepoint", "5a7e0002-aaaa")]
    assert savepoints[0].model.spec.savepoint_location == "s3://sp/orders/savepoint-2"


def test_a_savepoint_without_a_location_is_an_error_naming_it() -> None:
    text = "kind: Savepoint\nmetadata: {id: sp-1, deploymentId: d-1}\nspec: {}\n"

    with pytest.raises(VvpImportError, match=r"Savepoint 'sp-1': spec\.savepointLocation"):
        load_vvp_documents(text)


def test_the_latest_completed_savepoint_is_where_a_deployment_would_start() -> None:
    [placement] = read_vvp_export([EXPORT]).placements

    assert [s.name for s in placement.savepoints] == ["5a7e0001-bbbb", "5a7e0002-aaaa"]
    assert placement.latest_savepoint == "s3://sp/orders/savepoint-2"


def test_a_savepoint_of_a_deployment_not_among_the_files_is_a_problem() -> None:
    orphan = "kind: Savepoint\nmetadata: {id: sp-9, deploymentId: gone}\n"
    orphan += "spec: {savepointLocation: s3://x}\n"

    export = read_vvp_export([EXPORT, orphan])

    [problem] = export.problems
    assert str(problem).endswith(
        "Savepoint 'sp-9': metadata.deploymentId: no Deployment with id 'gone' among the files"
    )


def test_render_adopts_each_completed_savepoint_in_the_deployments_namespace(
    tmp_path: Path,
) -> None:
    export = tmp_path / "export.yaml"
    export.write_text(EXPORT)

    result = CliRunner().invoke(main, ["render", str(export)])

    snapshots = [m for m in yaml.safe_load_all(result.stdout) if m["kind"] == "FlinkStateSnapshot"]
    assert result.exit_code == 0
    assert [s["spec"]["savepoint"]["path"] for s in snapshots] == [
        "s3://sp/orders/savepoint-1",
        "s3://sp/orders/savepoint-2",
    ]
    assert {s["metadata"]["namespace"] for s in snapshots} == {"flink-prod"}
    assert all(s["spec"]["savepoint"]["alreadyExists"] for s in snapshots)


def test_validate_counts_the_savepoints(tmp_path: Path) -> None:
    export = tmp_path / "export.yaml"
    export.write_text(EXPORT)

    result = CliRunner().invoke(main, ["validate", str(export)])

    assert result.stdout == "valid: 1 DeploymentTarget, 1 Deployment, 3 Savepoints\n"


@pytest.mark.parametrize(
    "path", [f.path for f in VVP_FIELDS if "Savepoint" in f.kinds and f.path.count(".") == 1]
)
def test_every_vvp_savepoint_field_is_read(path: str) -> None:
    part, field = path.split(".")
    document: dict[str, Any] = {
        "kind": "Savepoint",
        "metadata": {"id": "sp-1"},
        "spec": {"savepointLocation": "s3://sp/1"},
        "status": {},
    }
    samples: dict[str, Any] = {"metadata.annotations": {"a": "b"}, "metadata.resourceVersion": 3}
    document[part][field] = document[part].get(field, samples.get(path, "x"))

    assert parse_model(Savepoint, document).spec.savepoint_location
