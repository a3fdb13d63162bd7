"""``flinkConfiguration``: Flink's string-to-string settings."""

from __future__ import annotations

import re
from typing import Annotated, Final

from pydantic import AfterValidator, BeforeValidator

from pulumi_flink.loading import scalar_text
from pulumi_flink.model._base import INT32_MAX

FORBIDDEN_KEYS = (
    "kubernetes.namespace",
    "kubernetes.cluster-id",
    "high-availability.cluster-id",
)
"""Keys the Flink operator sets itself and rejects from users."""

TASK_SLOTS_KEY = "taskmanager.numberOfTaskSlots"

_KEY: Final = re.compile(r"[\x21-\x7e]+")
"""Printable ASCII without spaces: every key Flink defines, and nothing that
could read as another key or break the file it is written to."""
_KEY_BREAKERS: Final = ("#", ":", "'", '"', "\\")
_GOOD_KEY: Final = re.compile(
    f"[{re.escape(''.join(c for c in map(chr, range(0x21, 0x7F)) if c not in _KEY_BREAKERS))}]+"
)
""":data:`_KEY` without :data:`_KEY_BREAKERS`: a key with no problem, in one match."""
_SLOTS: Final = re.compile(r"[0-9]{1,10}")


def flink_value(value: object) -> object:
    """Stringify a scalar the way Flink reads it (``True`` becomes ``"true"``).

    Other types are returned unchanged for the string check to reject.

    Whole floats lose their fraction: Pulumi carries every number as a float,
    and Flink's integer options do not parse ``"2.0"``.

    A number read from YAML or JSON text keeps that text (``1.20`` stays
    ``"1.20"``), as VVP hands it on.

    >>> flink_value(True), flink_value(3), flink_value(0.5), flink_value(2.0)
    ('true', '3', '0.5', '2')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    text = scalar_text(value)
    if text is not None:
        return text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return value


def _stringify(configuration: object) -> object:
    if not isinstance(configuration, dict):
        return configuration
    return {
        key: value if type(value) is str else flink_value(value)
        for key, value in configuration.items()
    }


def key_problem(key: str) -> str | None:
    """Why Flink would not read ``key`` as given, or ``None``.

    >>> key_problem("state.checkpoints.dir") is None
    True
    >>> key_problem("kubernetes.namespace ")
    "the key 'kubernetes.namespace ' has a space or a character that is not printable ASCII; Flink keys are like state.checkpoints.dir"
    """  # noqa: E501
    if _GOOD_KEY.fullmatch(key):
        return None
    if not _KEY.fullmatch(key):
        return (
            f"the key {key!r} has a space or a character that is not printable ASCII; "
            "Flink keys are like state.checkpoints.dir"
        )
    breakers = [character for character in _KEY_BREAKERS if character in key]
    if breakers:
        return f"the key {key!r} has {breakers[0]!r}, which no Flink key has"
    return None


def line_configuration_problem(value: str) -> str | None:
    r"""Why a value cannot be written to a line-by-line ``flink-conf.yaml``, or ``None``.

    Flink before 1.19 splits the file into lines, drops everything after
    ``#``, splits at the first ``": "`` and trims both sides, so only values
    without line breaks or ``#``, not empty, and without surrounding spaces
    come back exactly.

    >>> line_configuration_problem("s3://bucket/checkpoints") is None
    True
    >>> line_configuration_problem("x\nkubernetes.namespace: other")
    'the value has a line break'
    """
    if "\n" in value or "\r" in value:  # where Java's readLine ends a line
        return "the value has a line break"
    if "#" in value:
        return "the value has '#', where Flink's reader starts a comment"
    if value != value.strip() or not value:
        return "the value is empty or starts or ends with a space"
    return None


def _allowed(configuration: dict[str, str]) -> dict[str, str]:
    for key in configuration:
        problem = key_problem(key)
        if problem is not None:
            raise ValueError(problem)
    forbidden = [key for key in FORBIDDEN_KEYS if key in configuration]
    if forbidden:
        raise ValueError(
            f"{', '.join(forbidden)} may not be set: the Flink operator manages "
            "them from the Deployment's name and namespace"
        )
    slots = configuration.get(TASK_SLOTS_KEY)
    if slots is not None and not (_SLOTS.fullmatch(slots) and 1 <= int(slots) <= INT32_MAX):
        raise ValueError(
            f"{TASK_SLOTS_KEY} must be a whole number from 1 to {INT32_MAX}, got {slots[:40]!r}"
        )
    return configuration


FlinkConfiguration = Annotated[
    dict[str, str], BeforeValidator(_stringify), AfterValidator(_allowed)
]
"""A Flink configuration map; numbers and booleans are stringified."""
