"""Manifests as YAML a reviewer reads easily: block style, no anchors, ``|`` blocks."""

from __future__ import annotations

from typing import Any

import yaml

from pulumi_flink.loading import TextFloat

SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""PyYAML's safe dumper, with libyaml's C emitter when PyYAML has it (several times faster)."""


class _BlockDumper(SafeDumper):  # type: ignore[misc, valid-type]
    """Block style, no ``&anchors``/``*aliases``, multi-line strings as ``|`` blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_text_float(dumper: yaml.SafeDumper, value: TextFloat) -> yaml.ScalarNode:
    # A number read from text (1.50) is written as the number it is.
    return dumper.represent_float(float(value))


_BlockDumper.add_representer(str, _represent_str)
_BlockDumper.add_representer(TextFloat, _represent_text_float)


def to_yaml(value: object) -> str:
    r"""One YAML document, block style, keys in their given order, lines never wrapped.

    >>> print(to_yaml({"kind": "ConfigMap", "data": {"a": "x\ny\n"}}), end="")
    kind: ConfigMap
    data:
      a: |
        x
        y
    """
    return yaml.dump(value, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=1 << 30)
