"""Manifests as YAML a reviewer reads easily: block style, no anchors, ``|`` blocks."""

from __future__ import annotations

from typing import Any

import yaml

from pulumi_flink.loading import TextFloat

SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""PyYAML's safe dumper, with libyaml's C emitter when PyYAML has it (several times faster)."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _BlockDumper(SafeDumper):  # type: ignore[misc, valid-type]
    """Block style, no ``&anchors``/``*aliases``, multi-line strings as ``|`` blocks.

    Manifests are plain JSON data, so the common types are turned into nodes
    directly (no representer lookup, no alias bookkeeping), and the implicit
    tag of each scalar text is resolved once per text: the serializer asks
    twice per scalar, and manifests repeat their keys and values. The output
    is the same as PyYAML's own representation.
    """

    _resolved: dict[tuple[str, bool, bool], str] = {}  # noqa: RUF012 — a cache shared on purpose

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def represent_data(self, data: Any) -> yaml.Node:
        kind = type(data)
        if kind is str:
            return yaml.ScalarNode(_STR, data, style="|" if "\n" in data else None)
        if kind is dict:
            return yaml.MappingNode(
                _MAP,
                [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()],
                flow_style=False,
            )
        if kind is list:
            return yaml.SequenceNode(
                _SEQ, [self.represent_data(item) for item in data], flow_style=False
            )
        node: yaml.Node = super().represent_data(data)
        return node

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            return str(super().resolve(kind, value, implicit))
        key = (value, *implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = str(super().resolve(kind, value, implicit))
            if len(self._resolved) > 100_000:  # bounded: manifests repeat a few thousand texts
                self._resolved.clear()
        return tag


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
