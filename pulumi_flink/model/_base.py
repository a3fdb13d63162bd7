"""Shared pydantic configuration for the VVP wire-format models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class VvpModel(BaseModel):
    """Base of every VVP model: snake_case in Python, camelCase on the wire.

    Unknown fields are rejected, so a typo such as ``paralelism`` (or a patch
    that writes to a field VVP does not have) is an error naming the field
    rather than a silently ignored setting.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
    )

    def to_wire(self) -> dict[str, object]:
        """Return the VVP wire-format dict (camelCase keys, unset fields omitted)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
