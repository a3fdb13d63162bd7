"""Manifests as YAML a reviewer reads easily: block style, no anchors, ``|`` blocks."""

from __future__ import annotations

from typing import Any

import yaml


class _BlockDumper(yaml.SafeDumper):
    """Block style, no ``&anchors``/``*aliases``, multi-line strings as ``|`` blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


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
