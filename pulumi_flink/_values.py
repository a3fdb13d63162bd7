"""Walking nested JSON-like values: shared by the program side and the providers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


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
