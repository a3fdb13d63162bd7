"""The Flink operator's own validator accepts every FlinkDeployment we render.

Every golden input (``golden/*/input.yaml``) is rendered for the operator
engine at each Flink version the pinned operator knows, and all renders go to
the operator's ``DefaultValidator`` in one batch, one JVM (see
``tests/operator_validator.py``). A session-mode golden input (a whole export:
target, SessionCluster, the Deployments in it) has its FlinkDeployment checked
by ``validateDeployment`` and each FlinkSessionJob by ``validateSessionJob``
against it. The real-world shaped exports (``fixtures/vvp-real-world``) are
rendered as ``render`` prints them, at the versions they name. To have your
renders checked too, add a golden case.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_flink import render_manifests
from pulumi_flink.artifacts import ARTIFACT_FETCHER
from pulumi_flink.vvp import read_vvp_export
from tests.operator_validator import (
    VALIDATED_FLINK_VERSIONS,
    OperatorVerdict,
    installed_harness,
    operator_verdicts,
)
from tests.unit.documents import deployment, target

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(path.parent.name for path in GOLDEN.glob("*/input.yaml"))
REAL_WORLD = Path(__file__).parent / "fixtures" / "vvp-real-world"
NEWER_THAN_THE_OPERATOR = {"request-bodies"}
"""Real-world cases whose only job runs Flink 1.20, which the pinned operator does not know."""
REAL_WORLD_CASES = sorted(
    path.name
    for path in REAL_WORLD.iterdir()
    if path.is_dir() and path.name not in NEWER_THAN_THE_OPERATOR
)
"""Real-world shaped exports (see their README), rendered at the versions they name."""
BROKEN = "savepoint-mode-without-checkpoints"
"""A render we break on purpose, so the check is seen to reject."""


def _golden_render(case: str, flink_version: str) -> list[dict[str, Any]]:
    documents = copy.deepcopy(list(yaml.safe_load_all((GOLDEN / case / "input.yaml").read_text())))
    if any(document["kind"] == "SessionCluster" for document in documents):
        return _session_render(documents, flink_version)
    target_document, deployment_document = documents
    artifact = deployment_document["spec"]["template"]["spec"]["artifact"]
    artifact["flinkVersion"] = flink_version
    return render_manifests(deployment_document, target_document, engine="operator")


def _session_render(documents: list[dict[str, Any]], flink_version: str) -> list[dict[str, Any]]:
    """Render a session export at ``flink_version``, its names unique to the version.

    The harness pairs a FlinkSessionJob with the batch's FlinkDeployment of the
    name it gives, so every version's cluster (and its jobs) are renamed.
    """
    suffix = "-v" + flink_version.replace(".", "-")
    for document in documents:
        spec = document["spec"]
        if document["kind"] == "SessionCluster":
            spec["flinkVersion"] = flink_version
        if document["kind"] != "DeploymentTarget":
            document["metadata"]["name"] += suffix
        if "sessionClusterName" in spec:
            spec["sessionClusterName"] += suffix
    export = read_vvp_export([yaml.safe_dump_all(documents)])
    assert export.problems == ()
    resources = [*export.session_clusters, *export.placements]
    return [manifest for resource in resources for manifest in resource.render_manifests()]


def _real_world_render(case: str) -> list[dict[str, Any]]:
    """An export's objects, as ``render`` prints them, for the versions the operator knows."""
    export = read_vvp_export([REAL_WORLD / case])
    assert export.problems == ()
    resources = [*export.session_clusters, *export.placements]
    manifests = [manifest for resource in resources for manifest in resource.render_manifests()]
    known = {"v" + version.replace(".", "_") for version in VALIDATED_FLINK_VERSIONS}
    clusters = {
        m["metadata"]["name"]
        for m in manifests
        if m["kind"] == "FlinkDeployment" and m["spec"]["flinkVersion"] in known
    }
    return [
        m
        for m in manifests
        if m["kind"] in ("FlinkDeployment", "FlinkSessionJob")
        and (m["metadata"]["name"] in clusters or m["spec"].get("deploymentName") in clusters)
    ]


FETCHED_ARTIFACTS: dict[str, dict[str, Any]] = {
    "jar-every-object-store@1.16": {
        "jarUri": "s3://jobs/orders.jar",
        "additionalDependencies": [
            "gs://jars/a.jar",
            "abfss://jars@acct.dfs.core.windows.net/b.jar",
            "wasbs://jars@acct.blob.core.windows.net/c.jar",
            "oss://jars/d.jar",
            "s3a://jars/e.jar",
        ],
        "flinkVersion": "1.16",
    },
    "python-on-s3@1.18": {
        "kind": "PYTHON",
        "pythonArtifactUri": "s3://jobs/orders.py",
        "additionalPythonLibraries": ["gs://libs/util.py"],
        "flinkVersion": "1.18",
    },
    "opted-in@1.19": {"jarUri": "s3://jobs/orders.jar", "flinkVersion": "1.19"},
}
"""Artifacts the object-store fetcher brings (every scheme, PyFlink, the 1.19 opt-in)."""


def _fetched_render(case: str) -> list[dict[str, Any]]:
    document = deployment(name=case.split("@")[0], jar_uri="")
    template = document["spec"]["template"]
    template["spec"]["artifact"] = FETCHED_ARTIFACTS[case]
    template["metadata"] = {"annotations": {ARTIFACT_FETCHER: "init-container"}}
    return render_manifests(document, target())


def _broken_render() -> list[dict[str, Any]]:
    in_image = "local:///opt/flink/usrlib/orders.jar"
    manifests = render_manifests(
        deployment(artifact={"flinkVersion": "1.18"}, jar_uri=in_image), target()
    )
    for manifest in manifests:
        if manifest["kind"] == "FlinkDeployment":
            manifest["spec"]["job"]["upgradeMode"] = "savepoint"
    return manifests


@pytest.fixture(scope="module")
def verdicts() -> dict[str, list[OperatorVerdict]]:
    renders = {
        f"{case}@{version}": _golden_render(case, version)
        for case in CASES
        for version in VALIDATED_FLINK_VERSIONS
    }
    renders.update({f"real-world:{case}": _real_world_render(case) for case in REAL_WORLD_CASES})
    renders.update({f"fetched:{case}": _fetched_render(case) for case in FETCHED_ARTIFACTS})
    renders[BROKEN] = _broken_render()
    checked = ("FlinkDeployment", "FlinkSessionJob")
    batch = [(key, m) for key, ms in renders.items() for m in ms if m["kind"] in checked]
    found: dict[str, list[OperatorVerdict]] = {key: [] for key in renders}
    results = operator_verdicts(installed_harness(), [manifest for _, manifest in batch])
    for (key, _), verdict in zip(batch, results, strict=True):
        found[key].append(verdict)
    return found


@pytest.mark.parametrize("version", VALIDATED_FLINK_VERSIONS)
@pytest.mark.parametrize("case", CASES)
def test_the_operator_accepts_the_rendered_flink_deployment(
    verdicts: dict[str, list[OperatorVerdict]], case: str, version: str
) -> None:
    found = verdicts[f"{case}@{version}"]

    assert found and [verdict for verdict in found if verdict.error is not None] == []


@pytest.mark.parametrize("case", REAL_WORLD_CASES)
def test_the_operator_accepts_what_real_world_exports_render(
    verdicts: dict[str, list[OperatorVerdict]], case: str
) -> None:
    found = verdicts[f"real-world:{case}"]

    assert found and [verdict.error for verdict in found if verdict.error is not None] == []


@pytest.mark.parametrize("case", FETCHED_ARTIFACTS)
def test_the_operator_accepts_object_store_artifacts_staged_by_the_fetcher(
    verdicts: dict[str, list[OperatorVerdict]], case: str
) -> None:
    found = verdicts[f"fetched:{case}"]

    assert found and [verdict.error for verdict in found if verdict.error is not None] == []
    assert '"fetch-object-store-artifacts"' in json.dumps(_fetched_render(case))


def test_the_pinned_operator_refuses_last_state_session_jobs_which_need_1_10() -> None:
    documents = list(yaml.safe_load_all((GOLDEN / "session-two-jobs" / "input.yaml").read_text()))
    for document in documents:
        if document["kind"] == "Deployment":
            document["spec"]["restoreStrategy"] = {"kind": "LATEST_STATE"}
            document["spec"]["upgradeStrategy"] = {"kind": "STATEFUL"}
    manifests = _session_render(documents, "1.19")

    verdicts = operator_verdicts(installed_harness(), manifests[-3:])

    assert [verdict.error for verdict in verdicts] == [None] + [
        "The LAST_STATE upgrade mode is not supported in session job now."
    ] * 2


def test_the_operator_rejects_savepoint_mode_without_a_checkpoint_directory(
    verdicts: dict[str, list[OperatorVerdict]],
) -> None:
    (verdict,) = verdicts[BROKEN]

    assert verdict.error is not None and "state.checkpoints.dir" in verdict.error
