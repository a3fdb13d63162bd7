"""Values the engine does not know yet (unknowns), as the providers see them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.dynamic import DiffResult
from pulumi.runtime import rpc

from pulumi_flink._values import any_nested


def _is_unknown(value: Any) -> bool:
    return value is rpc.UNKNOWN or value == rpc.UNKNOWN


def contains_unknown(value: Any) -> bool:
    """True when ``value`` is, or contains, a value unknown until apply."""
    return any_nested(value, _is_unknown)


def changed_properties(
    olds: Mapping[str, Any], news: Mapping[str, Any], properties: Iterable[str]
) -> list[str]:
    """Which of ``properties`` differ between ``olds`` and ``news`` (unknown counts as changed)."""
    return [
        prop
        for prop in properties
        if contains_unknown(news.get(prop)) or olds.get(prop) != news.get(prop)
    ]


def identity_diff(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    properties: Iterable[str],
    identity: Iterable[str],
) -> DiffResult:
    """Diff of ``properties``: ``identity`` ones replace (create before delete), others update."""
    changed = changed_properties(olds, news, properties)
    identifying = set(identity)
    return DiffResult(
        changes=bool(changed),
        replaces=[prop for prop in changed if prop in identifying],
        delete_before_replace=False,
    )
