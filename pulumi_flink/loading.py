r"""Read YAML and JSON text into plain JSON data: safely, fast, and as VVP reads it.

VVP is a Jackson application, so a document means to VVP what Jackson reads
from it; the loaders here follow that where PyYAML's defaults differ:

- **Scalars keep their text where it matters.** Jackson hands a string field
  the scalar's text, so ``flinkVersion: 1.20`` is ``"1.20"`` to VVP, while
  YAML reads the float ``1.2``. A float whose text is not its shortest form
  is loaded as a :class:`TextFloat` that remembers the text (``str()`` gives
  it back), an integer written otherwise than in decimal (``010``, ``0x1F``,
  ``1_000``, ``1:30``) as a :class:`TextInt`; the models turn them into the
  string VVP would see. Timestamps stay the text they were written as, and
  object keys are always their text.
- **Only JSON data.** Tags that make other values (``!!binary``, ``!!set``,
  ``!!omap``, ``!!python/...``) are refused, as are ``NaN`` and ``Infinity``
  in JSON.
- **No silent last-wins.** A key given twice in one object is an error (YAML
  merge keys ``<<`` may still be overridden, as they are meant to be).
- **Bounded.** Aliases may add at most :data:`~pulumi_flink.limits.MAX_ALIAS_NODES`
  values when expanded (no "billion laughs"), a value may not contain itself,
  and nesting beyond what the parser allows is an error, not a crash.

The C-accelerated libyaml parser is used when PyYAML has it (it does on the
usual wheels), which reads large exports about ten times faster.

Examples
--------
>>> [document] = load_yaml_documents("flinkVersion: 1.20\ncpu: 1.5\n")
>>> document["flinkVersion"] == 1.2, str(document["flinkVersion"]), document["cpu"]
(True, '1.20', 1.5)
>>> load_yaml_documents("a: 1\na: 2\n")
Traceback (most recent call last):
...
pulumi_flink.errors.InputFormatError: at line 2, column 1: the key 'a' is given twice in one object (first at line 1); remove one
"""  # noqa: E501

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pulumi_flink.errors import InputFormatError
from pulumi_flink.limits import MAX_ALIAS_NODES

__all__ = [
    "C_LOADER",
    "TextFloat",
    "TextInt",
    "load_json",
    "load_yaml_documents",
    "scalar_text",
]

C_LOADER: Final = hasattr(yaml, "CSafeLoader")
"""Whether PyYAML's libyaml bindings are available (then they are used)."""

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
_NOT_JSON_TAGS: Final = {
    "tag:yaml.org,2002:binary": "!!binary values are bytes",
    "tag:yaml.org,2002:set": "!!set values are sets",
    "tag:yaml.org,2002:omap": "!!omap values are lists of pairs",
    "tag:yaml.org,2002:pairs": "!!pairs values are lists of pairs",
}


class TextFloat(float):
    """A float read from text that its shortest form does not spell (``1.20``, ``1e3``).

    It is the float everywhere a number is expected; ``str()`` and ``repr()``
    give the text back, which is what Jackson hands a string field.

    >>> value = TextFloat("1.20")
    >>> value == 1.2, str(value)
    (True, '1.20')
    """

    text: str

    def __new__(cls, text: str) -> TextFloat:  # noqa: D102 — the class docstring says it
        value = super().__new__(cls, float(text.replace("_", "")))
        value.text = text
        return value

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def __reduce__(self) -> tuple[Callable[[str], TextFloat], tuple[str]]:
        return TextFloat, (self.text,)

    def __deepcopy__(self, memo: dict[int, Any]) -> TextFloat:
        return self


class TextInt(int):
    """An int read from text that its decimal form does not spell (``010``, ``0x1F``, ``1_000``).

    It is the int everywhere a number is expected; ``str()`` and ``repr()``
    give the text back, which is what Jackson hands a string field (YAML 1.1
    reads ``010`` as 8, VVP's ``flinkConfiguration`` keeps ``"010"``).

    >>> value = TextInt("0x1F", 31)
    >>> value == 31, str(value)
    (True, '0x1F')
    """

    text: str

    def __new__(cls, text: str, value: int) -> TextInt:  # noqa: D102 — the class docstring says it
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def __reduce__(self) -> tuple[Callable[[str, int], TextInt], tuple[str, int]]:
        return TextInt, (self.text, int(self))

    def __deepcopy__(self, memo: dict[int, Any]) -> TextInt:
        return self


def scalar_text(value: object) -> str | None:
    """The text a number was written as, when a loader kept it; else ``None``.

    >>> scalar_text(TextFloat("1.20")), scalar_text(TextInt("010", 8)), scalar_text(1.2)
    ('1.20', '010', None)
    """
    return value.text if isinstance(value, TextFloat | TextInt) else None


def load_yaml_documents(text: str) -> list[object]:
    """Every document of a YAML stream, as plain JSON data.

    Raises
    ------
    InputFormatError
        At the first problem, with its line and column; ``documents_read``
        holds the documents before the one at fault.
    """
    documents: list[object] = []
    loader = _Loader(text)
    try:
        while loader.check_data():
            documents.append(loader.get_data())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = str(error.problem or error.context or "invalid YAML")
        if "nesting depth" in reason:
            reason = "nested too deeply to read; flatten it (see the README, Limits)"
        raise _format_error(reason, mark, documents) from None
    except yaml.reader.ReaderError as error:
        reason = f"character {error.position + 1} of the text: {error.reason}"
        raise InputFormatError(reason, documents_read=documents) from None
    except yaml.YAMLError as error:
        raise InputFormatError(f"invalid YAML: {error}", documents_read=documents) from None
    except RecursionError:
        reason = "nested too deeply to read; flatten it (see the README, Limits)"
        raise InputFormatError(reason, documents_read=documents) from None
    finally:
        loader.dispose()
    return documents


def load_json(text: str) -> object:
    """One JSON document as plain JSON data; floats keep their text as in YAML.

    Raises
    ------
    InputFormatError
        For invalid JSON, a duplicate key, ``NaN``/``Infinity``, an integer
        too long to read, or nesting too deep to read.

    >>> load_json('{"flinkVersion": 1.20}')["flinkVersion"].text
    '1.20'
    """
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_float=_json_float,
            parse_int=_json_int,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as error:
        raise InputFormatError(error.msg, line=error.lineno, column=error.colno) from None
    except _JsonValueError as error:
        raise InputFormatError(str(error)) from None
    except RecursionError:
        raise InputFormatError(
            "nested too deeply to read; flatten it (see the README, Limits)"
        ) from None


class _JsonValueError(ValueError):
    """A JSON value that parses but is not data we accept."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JsonValueError(f"the key {key!r} is given twice in one object; remove one")
        result[key] = value
    return result


def _json_float(text: str) -> float:
    value = float(text)
    return value if repr(value) == text else TextFloat(text)


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > 4000:
        raise _JsonValueError(
            f"an integer of {len(text):,} digits is beyond 64 bits, the most Kubernetes "
            "and Flink read"
        )
    return int(text)


def _json_constant(name: str) -> float:
    raise _JsonValueError(f"{name} is not a JSON number; numbers must be finite")


def _format_error(reason: str, mark: yaml.Mark | None, documents: list[object]) -> InputFormatError:
    if mark is None:
        return InputFormatError(reason, documents_read=documents)
    return InputFormatError(
        reason, line=mark.line + 1, column=mark.column + 1, documents_read=documents
    )


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, read as VVP reads YAML and bounded (see the module)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        # Aliases need an anchor; without both characters there is nothing to expand.
        self._may_alias = "&" in text and "*" in text

    def construct_document(self, node: Node) -> Any:
        if self._may_alias:
            _check_aliases(node)
        return super().construct_document(node)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found a {type(node).__name__}", node.start_mark
            )
        explicit = {id(key) for key, _ in node.value if key.tag != _MERGE_TAG}
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        first_at: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "an object key must be a plain scalar (JSON object keys are strings)",
                    key_node.start_mark,
                )
            # Jackson reads every key as its text: 1 and "1" are the same key.
            key = key_node.value
            if id(key_node) in explicit:
                if key in first_at:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the key {key!r} is given twice in one object (first at line "
                        f"{first_at[key].start_mark.line + 1}); remove one",
                        key_node.start_mark,
                    )
                first_at[key] = key_node
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = float(super().construct_yaml_float(node))
        text = node.value
        if repr(value) == text or value != value or value in (float("inf"), float("-inf")):
            return value
        try:
            return TextFloat(text)
        except ValueError:  # YAML 1.1 forms Python cannot read (``1:30.5``): keep the value
            return value

    def construct_yaml_int(self, node: ScalarNode) -> int:
        try:
            value = int(super().construct_yaml_int(node))
        except ValueError:  # Python refuses to read more than 4,300 digits
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"an integer of {len(node.value):,} digits is beyond 64 bits, the most "
                "Kubernetes and Flink read",
                node.start_mark,
            ) from None
        text = node.value
        if (text.isdigit() and text[0] != "0") or text == "0":  # plain decimal: the usual case
            return value
        return value if str(value) == text else TextInt(text, value)

    def construct_yaml_timestamp(self, node: ScalarNode) -> str:
        # VVP reads createdAt and friends as the text written; so do we.
        return str(node.value)

    def construct_undefined(self, node: Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"the tag {node.tag!r} makes a value that is not JSON data; remove the tag",
            node.start_mark,
        )

    def construct_not_json(self, node: Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"{_NOT_JSON_TAGS[node.tag]}, not JSON data; write the value as a string",
            node.start_mark,
        )


_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor(None, _Loader.construct_undefined)
for _tag in _NOT_JSON_TAGS:
    _Loader.add_constructor(_tag, _Loader.construct_not_json)


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, SequenceNode):
        yield from node.value
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _check_aliases(root: Node) -> None:
    """Refuse a document whose aliases expand too far or refer to their own ancestors.

    One pass over the composed graph, each node once: the expanded size of a
    node is computed from its children's, so a billion laughs costs a few
    dozen steps to detect instead of a billion to construct.
    """
    expanded: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
            continue
        if key in expanded:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "an alias refers to a value that contains it, which makes it endless",
                    child.start_mark,
                )
            if id(child) not in expanded:
                stack.append((child, False))
    added = expanded[id(root)] - len(expanded)
    if added > MAX_ALIAS_NODES:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"aliases (*name) expand this document by {added:,} values; at most "
            f"{MAX_ALIAS_NODES:,} are allowed (see the README, Limits)",
            root.start_mark,
        )
