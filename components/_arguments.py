"""The components' keyword arguments checked where they enter, naming the argument.

The spec and the patch set are checked by the models; the other keyword
arguments (flags, timeouts, nonces, lists of defaults, secret values) went
straight into rendering, so a wrong type surfaced as a ``TypeError`` deep
inside, or as an assertion of the Pulumi SDK while it serialized a
resource, after the program had registered part of the stack. The package
(YAML, TypeScript, Go) hands its inputs to the same constructors, so this is
also where their wrong types are caught.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final

import pulumi

from pulumi_flink.errors import SpecValidationError

MAX_WHOLE_NUMBER: Final = 2**53
"""The largest integer every Pulumi language carries exactly (they send numbers as doubles)."""


def _wrong(argument: str, expected: str, value: object) -> SpecValidationError:
    return SpecValidationError.single(
        argument, f"expected {expected}, got {type(value).__name__} {str(value)[:80]!r}"
    )


def require_flag(argument: str, value: object) -> None:
    """Refuse anything but ``True`` or ``False``.

    >>> require_flag("wait_for_ready", "no")
    Traceback (most recent call last):
    ...
    pulumi_flink.errors.SpecValidationError: wait_for_ready: expected True or False, got str 'no'
    """
    if not isinstance(value, bool):
        raise _wrong(argument, "True or False", value)


def require_whole_number(argument: str, value: object, *, minimum: int | None = None) -> None:
    """Refuse anything but ``None`` or an integer (not a boolean) within Pulumi's exact range."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(argument, "a whole number", value)
    low = -MAX_WHOLE_NUMBER if minimum is None else minimum
    if not low <= value <= MAX_WHOLE_NUMBER:
        raise SpecValidationError.single(
            argument, f"{value} is outside {low}..{MAX_WHOLE_NUMBER:,}"
        )


def require_text(argument: str, value: object) -> None:
    """Refuse anything but ``None``, a string or a Pulumi output (resolved later)."""
    if value is not None and not isinstance(value, str | pulumi.Output):
        raise _wrong(argument, "a string", value)


def require_list(argument: str, value: object, item: tuple[type, ...], what: str) -> None:
    """Refuse anything but ``None`` or a list (or tuple) whose items are each one of ``item``."""
    if value is None:
        return
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise _wrong(argument, f"a list of {what}", value)
    for index, member in enumerate(value):
        if not isinstance(member, item):
            raise _wrong(f"{argument}[{index}]", what, member)


def require_mapping(argument: str, value: object) -> None:
    """Refuse anything but ``None`` or a mapping with string keys."""
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise _wrong(argument, "a mapping of names to values", value)
    for key in value:
        if not isinstance(key, str):
            raise _wrong(f"{argument} (the key {key!r})", "a string key", key)


def require_name(argument: str, value: object, problem_of: Callable[[str], str | None]) -> None:
    """Refuse a plain string ``problem_of`` finds a problem with, or what is not a string.

    A Pulumi output is resolved later and checked by the resource it reaches.
    """
    require_text(argument, value)
    if isinstance(value, str):
        problem = problem_of(value)
        if problem:
            raise SpecValidationError.single(argument, problem)
