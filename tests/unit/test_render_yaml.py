"""The block YAML writer writes exactly what PyYAML (libyaml's emitter) writes.

``to_yaml`` lays out plain JSON data itself and asks libyaml only for the
text of scalars it cannot prove plain (see ``pulumi_flink/render/yaml.py``);
the golden files compare rendered text byte for byte, so any difference
from the reference writer is a bug.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pulumi_flink.loading import TextFloat
from pulumi_flink.render import yaml as block_yaml

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))

PIECES = [
    *"{}[],:-?&*!|>'\"#%@`=~. \n\r\t",
    "\x85", "\u2028", "\ufeff", "\x00", "\x7f", "é", "日本", "\U0001f600",
    "- ", ": ", " #", "---", "...", "true", "yes", "No", "null", "~", "1", "0x1f",
    "1.5", "1e3", ".inf", "2025-01-01", "s3://bucket/path", "-Xmx1g", "a" * 130,
]  # fmt: skip

TEXTS = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=6).map("".join)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | TEXTS
)

DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXTS, children, max_size=4),
    max_leaves=30,
)


def _reference(value: Any) -> str:
    return block_yaml._pyyaml(value)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
@example({"data": {"config.yaml": "a: 1\n  b: 2\n", "kept": "x\n\n", "lead": " x\ny"}})
@example({"spec": {"args": ["--in", "kafka://in", "a\nb"], "empty": {}, "none": []}})
@example([[{"k": [["v"]]}], {"k": {"k": "l\n"}}])
def test_the_block_writer_writes_what_pyyaml_writes(document: Any) -> None:
    assert block_yaml.to_yaml(document) == _reference(document)


def test_a_number_read_from_text_is_written_as_the_number() -> None:
    assert block_yaml.to_yaml({"cpu": TextFloat("1.50")}) == "cpu: 1.5\n"


def test_what_is_not_plain_json_data_is_left_to_pyyaml() -> None:
    document = {1: "a", "b": ("tuple",)}
    assert block_yaml.to_yaml(document) == _reference(document) == "1: a\nb:\n- tuple\n"
