"""Golden manifests: what a reviewer sees pulumi-flink create for realistic Deployments.

Each folder under ``golden/`` holds ``input.yaml`` (a VVP DeploymentTarget and
Deployment, in VVP's wire format) and, per engine, the manifests
``render_manifests`` produces for it (``operator.yaml``, ``standalone.yaml``).
A session-mode folder holds a whole export (target, SessionCluster, the
Deployments in it) and ``operator.yaml``, what ``pulumi-flink render`` prints.

After an intended change to the renderers, regenerate and review the diff::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_golden_manifests.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_flink import render_manifests
from pulumi_flink.render.yaml import to_yaml
from pulumi_flink.vvp import read_vvp_export

GOLDEN = Path(__file__).parent / "golden"
CASES = (
    "checkpointed-orders",
    "pods-with-secrets",
    "long-names",
    "suspended-legacy-flink",
    "pyflink-job",
    "sql-with-runner",
    "vvp-ui-export",
    "connector-jars-legacy-flink",
)
SESSION_CASES = ("session-two-jobs",)
ENGINES = ("operator", "standalone")
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _as_yaml(manifests: list[dict[str, Any]], case: str, engine: str) -> str:
    header = (
        f"# Rendered from {case}/input.yaml with engine={engine!r}. Do not edit by hand:\n"
        "# UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_golden_manifests.py\n"
    )
    body = "".join(f"---\n{to_yaml(manifest)}" for manifest in manifests)
    return header + body


def _render(case: str, engine: str) -> list[dict[str, Any]]:
    if case in SESSION_CASES:
        export = read_vvp_export([GOLDEN / case / "input.yaml"])
        assert export.problems == ()
        resources = [*export.session_clusters, *export.placements]
        return [manifest for resource in resources for manifest in resource.render_manifests()]
    target, deployment = yaml.safe_load_all((GOLDEN / case / "input.yaml").read_text())
    return render_manifests(deployment, target, engine=engine)


RENDERED = [(case, engine) for case in CASES for engine in ENGINES] + [
    (case, "operator") for case in SESSION_CASES
]


@pytest.mark.parametrize(("case", "engine"), RENDERED)
def test_rendered_manifests_match_the_golden_file(case: str, engine: str) -> None:
    manifests = _render(case, engine)
    rendered = _as_yaml(manifests, case, engine)
    golden = GOLDEN / case / f"{engine}.yaml"
    if UPDATE:
        golden.write_text(rendered)
    if not golden.is_file():
        pytest.fail(f"{golden} is missing; create it with UPDATE_GOLDEN=1")

    expected = golden.read_text()

    assert list(yaml.safe_load_all(expected)) == manifests, (
        f"regenerate {golden} with UPDATE_GOLDEN=1"
    )
    assert rendered == expected, (
        f"{golden} is not in canonical form; regenerate with UPDATE_GOLDEN=1"
    )


@pytest.mark.parametrize(("case", "engine"), RENDERED)
def test_golden_files_have_no_anchors_or_flow_collections(case: str, engine: str) -> None:
    text = (GOLDEN / case / f"{engine}.yaml").read_text()

    assert not re.search(r"[&*]id\d+", text)
    assert not re.search(r": [\[{](?![\]}])", text), "flow-style collection in golden file"


def test_every_golden_folder_is_a_listed_case() -> None:
    folders = sorted(path.name for path in GOLDEN.iterdir() if path.is_dir())

    assert folders == sorted(CASES + SESSION_CASES)
