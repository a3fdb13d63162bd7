"""Manifests as YAML a reviewer reads easily: block style, no anchors, ``|`` blocks.

Two writers produce the same text. PyYAML with libyaml's C emitter
(:class:`_BlockDumper`) is the reference and writes anything. The block
writer (:func:`_block_yaml`) writes the plain JSON data manifests are
(dicts with string keys, lists, strings, numbers, booleans, ``None``)
without building PyYAML's node tree, which cost more than reading the
input (issue 11's ``render`` budget): it lays out the structure itself and
takes each scalar's text from libyaml, asked once per distinct value and
cached, except where the text is sure by YAML's rules, checked here
(:func:`_known_text`, :func:`_number_text`): plain strings, strings libyaml
must quote singly, booleans, ``null`` and integers. Anything it is not sure
of (a non-string key, a long key, a scalar that spans lines other than a
``|`` block, a ``|+`` block) makes it hand the whole document to PyYAML. A
property test compares the two writers on random documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import yaml

from pulumi_flink.loading import TextFloat, TextInt

SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""PyYAML's safe dumper, with libyaml's C emitter when PyYAML has it (several times faster)."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

_DUMP_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 1 << 30}
"""Keys in their given order, any printable character as itself, lines never wrapped."""


class _BlockDumper(SafeDumper):  # type: ignore[misc, valid-type]
    """Block style, no ``&anchors``/``*aliases``, multi-line strings as ``|`` blocks.

    The common types are turned into nodes directly (no representer
    lookup, no alias bookkeeping), and the implicit tag of each scalar text
    is resolved once per text: the serializer asks twice per scalar, and
    manifests repeat their keys and values. The output is the same as
    PyYAML's own representation.
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


def _represent_text_int(dumper: yaml.SafeDumper, value: TextInt) -> yaml.ScalarNode:
    # An integer read from text (010, 0x1F) is written as the number it is.
    return dumper.represent_int(int(value))


_BlockDumper.add_representer(TextFloat, _represent_text_float)
_BlockDumper.add_representer(TextInt, _represent_text_int)


def _pyyaml(value: object) -> str:
    """The reference writer: PyYAML's representation through libyaml's emitter."""
    return str(yaml.dump(value, Dumper=_BlockDumper, **_DUMP_OPTIONS))


class _LeftToPyYamlError(Exception):
    """The block writer met something it leaves to PyYAML (internal, never escapes)."""


# Texts libyaml writes plain in block context without looking further: no
# indicator first ('-' only before a letter or digit, so never '- ' or
# '---'), no '#', no ': ' or ':' at the end, no leading, trailing or
# repeated-before-indicator spaces, ASCII only. Whether the plain text would
# read back as a string (not a number, boolean, null or date) is checked
# separately, by PyYAML's resolver.
_SAFE = r"[A-Za-z0-9_./=+@,()$%-]"
_FIRST = r"(?:[A-Za-z0-9_/$(]|-(?=[A-Za-z0-9])|\.(?=[A-Za-z0-9_/]))"
_SURELY_PLAIN = re.compile(rf"{_FIRST}(?:{_SAFE}|:(?={_SAFE})| +(?={_SAFE}))*")

_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
"""Characters that make libyaml refuse a plain scalar starting with one."""
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+")
_ATOM_TEXTS: Final = {True: "true", False: "false", None: "null"}

_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")
"""Line breaks to libyaml besides ``\\n``: a text holding one is left to PyYAML."""

_RESOLVER = yaml.resolver.Resolver()
_KEY_LIMIT = 100
"""Longer keys are left to PyYAML (libyaml writes keys over 128 bytes as ``? key``)."""

_value_texts: dict[tuple[type, object], str] = {}
_key_texts: dict[str, str] = {}
_CACHE_LIMIT = 100_000
"""Both caches are cleared when they grow past this many texts (manifests repeat a few thousand)."""


def _remember(cache: dict[Any, str], key: Any, text: str) -> str:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = text
    return text


def _known_text(text: str) -> str | None:
    """How libyaml writes a one-line string, when that is sure without asking it; else ``None``.

    Plain when :data:`_SURELY_PLAIN` matches and the plain text reads back as
    a string; single-quoted when it matches but would read as a number,
    boolean, null or date, or when printable ASCII starts with an indicator
    (libyaml then never writes it plain, and quotes it singly).
    """
    if _SURELY_PLAIN.fullmatch(text):
        if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR:  # type: ignore[no-untyped-call]
            return text
        return f"'{text}'"  # the pattern has no quote to double
    if text[:1] in _INDICATORS and _PRINTABLE_ASCII.fullmatch(text):
        return "'" + text.replace("'", "''") + "'"
    return None


def _number_text(value: object) -> str | None:
    """How libyaml writes a boolean, ``None`` or an int (plain, as PyYAML represents them)."""
    if type(value) is bool or value is None:
        return _ATOM_TEXTS[value]
    if type(value) is int:
        return str(value)
    return None  # floats: PyYAML's representation has its own rules


def _key_text(key: object) -> str:
    """A mapping key as libyaml writes it (a simple, one-line key), without the ``:``."""
    if type(key) is not str or len(key) > _KEY_LIMIT:
        raise _LeftToPyYamlError
    text = _key_texts.get(key)
    if text is not None:
        return text
    known = _known_text(key)
    if known is not None:
        return _remember(_key_texts, key, known)
    written = _pyyaml({key: None})
    text = written.removesuffix(": null\n")
    if len(text) == len(written) or "\n" in text or _OTHER_BREAKS.search(text):
        raise _LeftToPyYamlError
    return _remember(_key_texts, key, text)


def _scalar_text(value: object) -> str:
    """A scalar as libyaml writes it after ``key:`` or ``-`` at column 0, with its line break(s).

    A ``|`` block's content lines carry two spaces of indentation, to be
    shifted to where the block really is (:func:`_indented`).
    """
    # Floats by their text: -0.0 == 0.0, and NaN equals nothing.
    cache_key = (type(value), float.__repr__(value) if isinstance(value, float) else value)
    text = _value_texts.get(cache_key)
    if text is not None:
        return text
    known = _known_text(value) if type(value) is str else _number_text(value)
    if known is not None:
        return _remember(_value_texts, cache_key, known + "\n")
    written = _pyyaml([value])
    if not written.startswith("- "):
        raise _LeftToPyYamlError
    text = written[2:]
    if _OTHER_BREAKS.search(text) or (
        "\n" in text[:-1] and not (text.startswith("|") and "+" not in text.partition("\n")[0])
    ):
        raise _LeftToPyYamlError  # a scalar on several lines other than a ``|`` / ``|-`` block
    return _remember(_value_texts, cache_key, text)


def _indented(text: str, indent: int) -> str:
    """A scalar's text for a node at ``indent``: a ``|`` block's lines shifted from column 2."""
    if indent == 0 or not text.startswith("|"):
        return text
    header, _, body = text.partition("\n")
    pad = " " * indent
    lines = body.split("\n")
    return "\n".join([header, *(pad + line if line else line for line in lines)])


def _write_value(value: Any, indent: int, out: Callable[[str], None]) -> None:
    """A mapping's value, after ``key:`` written at ``indent``."""
    kind = type(value)
    if kind is dict:
        if value:
            out("\n")
            _write_mapping(value, indent + 2, out, inline=False)
        else:
            out(" {}\n")
    elif kind is list:
        if value:
            out("\n")
            _write_sequence(value, indent, out, inline=False)  # libyaml does not indent these
        else:
            out(" []\n")
    else:
        out(" " + _indented(_scalar_text(value), indent))


def _write_mapping(
    mapping: dict[Any, Any], indent: int, out: Callable[[str], None], *, inline: bool
) -> None:
    """A non-empty mapping's keys at ``indent``; the first on the current line when ``inline``."""
    pad = " " * indent
    for key, value in mapping.items():
        out(("" if inline else pad) + _key_text(key) + ":")
        inline = False
        _write_value(value, indent, out)


def _write_sequence(
    sequence: list[Any], indent: int, out: Callable[[str], None], *, inline: bool
) -> None:
    """A non-empty sequence's ``-`` at ``indent``; the first on the current line when ``inline``."""
    pad = " " * indent
    for item in sequence:
        out(("" if inline else pad) + "-")
        inline = False
        kind = type(item)
        if kind is dict and item:
            out(" ")
            _write_mapping(item, indent + 2, out, inline=True)
        elif kind is list and item:
            out(" ")
            _write_sequence(item, indent + 2, out, inline=True)
        else:
            _write_value(item, indent, out)


def _block_yaml(value: object) -> str:
    """``value``'s YAML as :func:`_pyyaml` writes it; :class:`_LeftToPyYamlError` if unsure."""
    parts: list[str] = []
    if type(value) is dict and value:
        _write_mapping(value, 0, parts.append, inline=False)
    elif type(value) is list and value:
        _write_sequence(value, 0, parts.append, inline=False)
    else:
        raise _LeftToPyYamlError
    return "".join(parts)


def to_yaml(value: object) -> str:
    r"""One YAML document, block style, keys in their given order, lines never wrapped.

    >>> print(to_yaml({"kind": "ConfigMap", "data": {"a": "x\ny\n"}}), end="")
    kind: ConfigMap
    data:
      a: |
        x
        y
    """
    try:
        return _block_yaml(value)
    except _LeftToPyYamlError:
        return _pyyaml(value)
