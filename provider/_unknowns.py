"""Values the engine has not computed yet (during ``pulumi preview``)."""

from __future__ import annotations

from typing import Any

from pulumi.runtime import rpc


def contains_unknown(value: Any) -> bool:
    """True when ``value`` is, or contains, a value unknown until apply."""
    if value is rpc.UNKNOWN or value == rpc.UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(contains_unknown(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(item) for item in value)
    return False
