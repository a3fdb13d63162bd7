"""Walking nested JSON-like values: shared by the core, the program side and the providers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

_ATOMS: Final = frozenset({str, int, float, bool, type(None)})


def json_copy(value: Any) -> Any:
    """Copy a JSON value into plain dicts and lists; scalars are kept (they are immutable).

    Several times cheaper than ``copy.deepcopy`` on plain JSON, which needs
    no memo: JSON values are trees, never shared or cyclic. Other mappings
    and sequences (already checked to be JSON data) become dicts and lists.

    >>> original = {"a": [{"b": 1}]}
    >>> copied = json_copy(original)
    >>> copied == original, copied["a"][0] is original["a"][0]
    (True, False)
    """
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is dict:
        return {key: json_copy(member) for key, member in value.items()}
    if kind is list:
        return [json_copy(item) for item in value]
    if isinstance(value, Mapping):
        return {key: json_copy(member) for key, member in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray):
        return [json_copy(item) for item in value]
    return value


def any_nested(value: Any, predicate: Callable[[Any], bool]) -> bool:
    """True when ``predicate`` holds for ``value`` or anything nested in it.

    >>> any_nested({"a": [1, {"b": None}]}, lambda item: item is None)
    True
    """
    if predicate(value):
        return True
    if isinstance(value, dict):
        return any(any_nested(item, predicate) for item in value.values())
    if isinstance(value, list | tuple):
        return any(any_nested(item, predicate) for item in value)
    return False
