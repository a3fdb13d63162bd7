"""Values not known yet: unknowns in the engine, Outputs and awaitables in the program."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pulumi
from pulumi.runtime import rpc


def _anywhere(value: Any, predicate: Callable[[Any], bool]) -> bool:
    """True when ``predicate`` holds for ``value`` or anything nested in it."""
    if predicate(value):
        return True
    if isinstance(value, dict):
        return any(_anywhere(item, predicate) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_anywhere(item, predicate) for item in value)
    return False


def _is_unknown(value: Any) -> bool:
    return value is rpc.UNKNOWN or value == rpc.UNKNOWN


def _is_pending(value: Any) -> bool:
    return isinstance(value, pulumi.Output) or inspect.isawaitable(value)


def contains_unknown(value: Any) -> bool:
    """True when ``value`` is, or contains, a value unknown until apply."""
    return _anywhere(value, _is_unknown)


def is_plain(value: Any) -> bool:
    """True when ``value`` holds no Output or awaitable, at any depth.

    >>> is_plain({"a": [1, "x", None]})
    True
    >>> is_plain({"a": [pulumi.Output.from_input(1)]})
    False
    """
    return not _anywhere(value, _is_pending)


def changed_properties(
    olds: Mapping[str, Any], news: Mapping[str, Any], properties: Iterable[str]
) -> list[str]:
    """Which of ``properties`` differ between ``olds`` and ``news`` (unknown counts as changed)."""
    return [
        prop
        for prop in properties
        if contains_unknown(news.get(prop)) or olds.get(prop) != news.get(prop)
    ]
