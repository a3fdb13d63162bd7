"""Shared pydantic configuration for the VVP wire-format models."""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

INT32_MAX: Final = 2**31 - 1
"""Largest Java ``int``: Kubernetes replicas and Flink counts are ``int32``."""

MAX_PARALLELISM: Final = 32768
"""Flink's upper bound for a job's (maximum) parallelism."""

MAX_CPU: Final = 1_000_000.0
"""Most CPU cores a process may ask for (Kubernetes counts in millicores)."""

MIN_CPU: Final = 0.001
"""Fewest CPU cores: one millicore, the smallest Kubernetes quantity."""


def _not_a_boolean(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number (VVP refuses it too); write a number")
    return value


Number = BeforeValidator(_not_a_boolean)
"""Marks an ``int``/``float`` field that refuses booleans (pydantic would read
``true`` as 1); numeric strings such as ``"4"`` stay accepted, as in VVP."""

Count = Annotated[int, Number, Field(ge=1, le=INT32_MAX)]
"""A whole number from 1 to the largest Java ``int``."""


class VvpModel(BaseModel):
    """Base of every VVP model: snake_case in Python, camelCase on the wire.

    Unknown fields are rejected, so a typo such as ``paralelism`` (or a patch
    that writes to a field VVP does not have) is an error naming the field
    rather than a silently ignored setting.

    Scalars are read as VVP (Jackson) reads them: a string field takes a
    number as the text it was written as (``jobFailureExpirationTime: 0`` is
    ``"0"``; see :mod:`pulumi_flink.loading`), a number field takes a numeric
    string, numbers are finite, and booleans are not numbers (:data:`Number`).
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
        allow_inf_nan=False,
    )

    def to_wire(self) -> dict[str, object]:
        """Return the VVP wire-format dict (camelCase keys, unset fields omitted)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
