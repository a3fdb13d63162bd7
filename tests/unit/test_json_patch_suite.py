"""The public JSON Patch test suite (npm ``json-patch-test-suite``), every record.

The files are vendored in ``json_patch_tests/`` (see its README). Records
marked ``disabled`` run too: the engine handles scalar roots, and the two
records whose operation has two ``op`` members fail as they should, because
our JSON loader refuses that operation's text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_flink.errors import InputFormatError, PulumiFlinkError
from pulumi_flink.loading import load_json
from pulumi_flink.patching import apply_patch_set

SUITE = Path(__file__).parent / "json_patch_tests"


class _Repeated(list[tuple[str, Any]]):
    """An object of the suite that gives a key twice, kept as its pairs."""

    def text(self) -> str:
        return "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in self) + "}"


def _object(pairs: list[tuple[str, Any]]) -> Any:
    keys = [key for key, _ in pairs]
    return _Repeated(pairs) if len(set(keys)) < len(keys) else dict(pairs)


def _records() -> list[Any]:
    records = []
    for name in ("tests.json", "spec_tests.json"):
        loaded = json.loads((SUITE / name).read_text(encoding="utf-8"), object_pairs_hook=_object)
        assert isinstance(loaded, list)
        records += [
            pytest.param(record, id=f"{name}:{index}:{record.get('comment', '')[:50]}")
            for index, record in enumerate(loaded)
            if "doc" in record
        ]
    return records


def test_the_suite_is_complete() -> None:
    assert len(_records()) == 95


@pytest.mark.parametrize("record", _records())
def test_record(record: dict[str, Any]) -> None:
    repeated = [operation for operation in record["patch"] if isinstance(operation, _Repeated)]
    if repeated:
        assert "error" in record
        with pytest.raises(InputFormatError, match="given twice"):
            load_json(repeated[0].text())
        return
    if "error" in record:
        with pytest.raises(PulumiFlinkError):
            apply_patch_set(record["doc"], record["patch"])
        return
    result = apply_patch_set(record["doc"], record["patch"])
    if "expected" in record:
        assert result == record["expected"]
