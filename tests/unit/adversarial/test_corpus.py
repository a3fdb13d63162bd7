"""The adversarial corpus (``cases.jsonl``, issue 11): every case ends well, in bounded time.

For every case: the public entry point either succeeds or raises (or
reports) one of our documented errors, whose text leaks no Python internals;
it never mutates its inputs; the CLI exits 0 or 1 (2 only for usage errors)
and never prints a traceback. Cases that say ``valid`` or ``invalid`` must
come out that way. Each case runs under a time limit (pytest-timeout).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pulumi_flink import (
    PulumiFlinkError,
    apply_patch_set,
    effective_deployment,
    load_vvp_documents,
    render_manifests,
)
from pulumi_flink.cli import main
from pulumi_flink.loading import load_json
from pulumi_flink.vvp import read_vvp_export

CORPUS = Path(__file__).with_name("cases.jsonl")
CASES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
CASE_TIME_LIMIT = 30
"""Seconds one case may take (every check of it, the CLI runs included)."""

LEAKS = ("Traceback", "set_int_max_str_digits", " object at 0x", "RecursionError", "TypeError")

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "effective_deployment": effective_deployment,
    "render_manifests": render_manifests,
    "load_vvp_documents": load_vvp_documents,
    "apply_patch_set": apply_patch_set,
    "read_vvp_export": read_vvp_export,
}


def _decoded(value: Any) -> Any:
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$bytes" in value:
        return value["$bytes"].encode()
    if "$float" in value:
        return float(value["$float"])
    if "$repeat" in value:
        return _decoded(value["$repeat"]) * value["times"]
    if "$text" in value:
        return value["$text"] * value["times"]
    if "$deep" in value:
        nested: dict[str, Any] = {}
        for _ in range(value["$deep"]):
            nested = {"k": nested}
        return nested
    return {key: _decoded(member) for key, member in value.items()}


def _text(case: dict[str, Any]) -> str:
    text = case["text"]
    if isinstance(text, str):
        return text
    return "".join(
        "".join(piece.replace("{i}", str(i)) for i in range(times)) if numbered else piece * times
        for piece, times, *numbered in text
    )


def _assert_no_leak(message: str) -> None:
    for leak in LEAKS:
        assert leak not in message, message[:500]


def _assert_one_line(message: str) -> None:
    """One printable line: no forged line in a CI log, no terminal control."""
    assert message.isprintable(), repr(message[:500])


def _expectation(case: dict[str, Any], problems: list[str]) -> None:
    if case["expect"] == "valid":
        assert problems == [], problems[:3]
    elif case["expect"] == "invalid":
        assert problems, "expected a problem"
    if case.get("match"):
        assert any(case["match"] in problem for problem in problems), problems[:3]


def _check_cli(path: Path, problems: list[str]) -> None:
    for command in ("validate", "render"):
        result = CliRunner().invoke(main, [command, str(path)])
        assert result.exit_code == (1 if problems else 0), result.output[-500:]
        _assert_no_leak(result.output)
        for line in result.stderr.splitlines():
            _assert_one_line(line)
        assert "rerun with --debug" not in result.output


def _check_export(case: dict[str, Any], tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"export{suffix}"
    path.write_text(_text(case), encoding="utf-8")
    export = read_vvp_export([path])
    problems = [str(problem) for problem in export.problems]
    for problem in problems:
        _assert_no_leak(problem)
        _assert_one_line(problem)
    _expectation(case, problems)
    for placement in export.placements:
        for engine in ("operator", "standalone"):
            placement.render_manifests(engine=engine)
    _check_cli(path, problems)


def _check_patch(case: dict[str, Any]) -> None:
    document, patch_set = _decoded(case["document"]), _decoded(case["patch"])
    problems = []
    try:
        apply_patch_set(document, patch_set)
    except PulumiFlinkError as error:
        problems.append(str(error))
        _assert_no_leak(str(error))
        _assert_one_line(str(error))
    _expectation(case, problems)
    assert (document, patch_set) == (_decoded(case["document"]), _decoded(case["patch"]))


def _check_call(case: dict[str, Any]) -> None:
    args = _decoded(case["args"])
    keywords = args.pop() if case["function"] == "render_manifests" else {}
    given = copy.deepcopy(args)
    try:
        result = FUNCTIONS[case["function"]](*args, **keywords)
    except PulumiFlinkError as error:
        _assert_no_leak(str(error))
    else:
        for problem in getattr(result, "problems", ()):
            _assert_no_leak(str(problem))
    assert args == given


@pytest.mark.timeout(CASE_TIME_LIMIT)
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    if case["kind"] == "export":
        _check_export(case, tmp_path, ".yaml")
    elif case["kind"] == "json":
        with pytest.raises(PulumiFlinkError):
            load_json(_text(case))
        _check_export(case, tmp_path, ".json")
    elif case["kind"] == "patch":
        _check_patch(case)
    else:
        _check_call(case)


def test_the_corpus_covers_every_class_with_300_cases_or_more() -> None:
    assert len(CASES) >= 300
    assert {case["class"] for case in CASES} == set(range(1, 11))
