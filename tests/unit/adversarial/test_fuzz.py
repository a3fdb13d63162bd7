"""Property-based fuzzing of every public entry point (issue 11).

Whatever the input, each entry point succeeds or raises one of our
documented errors (``PulumiFlinkError``), never mutates its input, and the
CLI never shows a traceback. ``FUZZ_EXAMPLES`` sets how many examples each
property tries (``make fuzz`` runs many more than ``make unit``).
"""

from __future__ import annotations

import contextlib
import copy
import os
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_flink import PulumiFlinkError, apply_patch_set, effective_deployment, render_manifests
from pulumi_flink.cli import main
from pulumi_flink.vvp import read_vvp_export
from tests.unit.documents import target

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CLI = str(Path(sys.executable).with_name("pulumi-flink"))
SEED_EXPORT = Path(__file__).parents[1] / "fixtures" / "vvp" / "valid" / "deployments.yaml"
TARGETS = Path(__file__).parents[1] / "fixtures" / "vvp" / "valid" / "deployment-targets.yaml"
YAML_PIECES = [
    *"{}[],:-&*!|>'\"#%@` \n\t",
    "!!binary ", "!!python/object:os.system ", "&a ", "*a ", "<<: ", "---\n", "? ",
    ".inf", ".nan", "1e400", "9" * 40, "true", "null", "~", "1.20", "\x00", "\u2028",
]  # fmt: skip

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = [
    "parallelism", "numberOfTaskManagers", "resources", "flinkConfiguration", "logging",
    "kubernetes", "artifact",
]  # fmt: skip
KUBERNETES_KEYS = ["pods", "labels", "jobManagerPodTemplate", "taskManagerPodTemplate"]
POINTER_TOKENS = st.sampled_from(["", "-", "0", "1", "01", "a", "~0", "~1", "spec", "template"])


def _documented(call: Any) -> None:
    with contextlib.suppress(PulumiFlinkError):
        call()


@FUZZ
@given(document=JSON, operations=st.lists(
    st.fixed_dictionaries(
        {"op": st.sampled_from(["add", "remove", "replace", "move", "copy", "test"]),
         "path": st.lists(POINTER_TOKENS, max_size=3).map(lambda t: "".join("/" + x for x in t))},
        optional={"value": JSON, "from": st.lists(POINTER_TOKENS, max_size=3).map(
            lambda t: "".join("/" + x for x in t))},
    ), max_size=6))  # fmt: skip
def test_the_patch_engine_takes_any_json_document_and_patch_set(
    document: Any, operations: list[dict[str, Any]]
) -> None:
    given_document, given_operations = copy.deepcopy(document), copy.deepcopy(operations)
    _documented(lambda: apply_patch_set(document, operations))
    assert _same(document, given_document)
    assert _same(operations, given_operations)


def _same(left: Any, right: Any) -> bool:
    # NaN is never equal to itself: compare the JSON-ish text instead.
    return repr(left) == repr(right)


@FUZZ
@given(template=st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=4),
       kubernetes=st.dictionaries(st.sampled_from(KUBERNETES_KEYS), JSON, max_size=2),
       engine=st.sampled_from(["operator", "standalone"]))  # fmt: skip
def test_any_deployment_document_is_rendered_or_refused_with_our_error(
    template: dict[str, Any], kubernetes: dict[str, Any], engine: str
) -> None:
    if kubernetes:
        template["kubernetes"] = kubernetes
    document = {
        "metadata": {"name": "orders"},
        "spec": {"restoreStrategy": {"kind": "NONE"}, "template": {"spec": template}},
    }
    given = copy.deepcopy(document)
    _documented(lambda: effective_deployment(document, target()))
    _documented(lambda: render_manifests(document, target(), engine=engine))
    assert _same(document, given)


@FUZZ
@given(data=st.data())
def test_any_mutation_of_an_export_is_read_rendered_or_refused(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = TARGETS.read_text() + "---\n" + SEED_EXPORT.read_text()
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        position = data.draw(st.integers(min_value=0, max_value=len(text)))
        piece = data.draw(st.sampled_from(YAML_PIECES) | st.text(string.printable, max_size=3))
        cut = data.draw(st.integers(min_value=0, max_value=3))
        text = text[:position] + piece + text[position + cut :]
    export = read_vvp_export([text])
    for problem in export.problems:
        assert "Traceback" not in str(problem)
    for placement in export.placements:
        for engine in ("operator", "standalone"):
            placement.render_manifests(engine=engine)
    path = tmp_path_factory.mktemp("fuzz") / "export.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == (1 if export.problems else 0), result.output[-300:]


@pytest.mark.parametrize(
    "text",
    [
        "{a0: &a0 [x,x,x,x,x,x,x,x,x], a1: &a1 [*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0], "
        "a2: &a2 [*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1], a3: &a3 [*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2,"
        "*a2], a4: &a4 [*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3], a5: [*a4,*a4,*a4,*a4,*a4,*a4,*a4,"
        "*a4,*a4]}\n",
        "kind: Deployment\nmetadata: {name: o}\nspec: {template: {spec: {parallelism: "
        + "9" * 5000
        + "}}}\n",
    ],
    ids=["alias-bomb", "huge-int"],
)
@pytest.mark.timeout(60)
def test_the_installed_cli_exits_1_without_a_traceback(text: str, tmp_path: Path) -> None:
    path = tmp_path / "export.yaml"
    path.write_text(text)
    result = subprocess.run(
        [CLI, "validate", str(path)], capture_output=True, text=True, timeout=50, check=False
    )
    assert result.returncode == 1, result.stderr[-500:]
    assert "Traceback" not in result.stderr


def test_a_usage_error_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [CLI, "validate", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
