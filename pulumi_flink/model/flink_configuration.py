"""``flinkConfiguration``: Flink's string-to-string settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

FORBIDDEN_KEYS = (
    "kubernetes.namespace",
    "kubernetes.cluster-id",
    "high-availability.cluster-id",
)
"""Keys the Flink operator sets itself and rejects from users."""

TASK_SLOTS_KEY = "taskmanager.numberOfTaskSlots"


def flink_value(value: object) -> object:
    """Stringify a scalar the way Flink reads it (``True`` becomes ``"true"``).

    Other types are returned unchanged for the string check to reject.

    Whole floats lose their fraction: Pulumi carries every number as a float,
    and Flink's integer options do not parse ``"2.0"``.

    >>> flink_value(True), flink_value(3), flink_value(0.5), flink_value(2.0)
    ('true', '3', '0.5', '2')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return value


def _stringify(configuration: object) -> object:
    if not isinstance(configuration, dict):
        return configuration
    return {key: flink_value(value) for key, value in configuration.items()}


def _allowed(configuration: dict[str, str]) -> dict[str, str]:
    forbidden = [key for key in FORBIDDEN_KEYS if key in configuration]
    if forbidden:
        raise ValueError(
            f"{', '.join(forbidden)} may not be set: the Flink operator manages "
            "them from the Deployment's name and namespace"
        )
    slots = configuration.get(TASK_SLOTS_KEY)
    if slots is not None and not (slots.isdigit() and int(slots) >= 1):
        raise ValueError(f"{TASK_SLOTS_KEY} must be a whole number >= 1, got {slots!r}")
    return configuration


FlinkConfiguration = Annotated[
    dict[str, str], BeforeValidator(_stringify), AfterValidator(_allowed)
]
"""A Flink configuration map; numbers and booleans are stringified."""
