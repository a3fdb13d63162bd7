"""VVP resource metadata."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pulumi_flink.model._base import Number, StringMap, VvpModel


class Metadata(VvpModel):
    """``metadata`` of a VVP resource; server-set fields are accepted and kept."""

    name: str = Field(description="Resource name; never changes once created.")
    namespace: str | None = Field(
        default=None, description="VVP namespace the resource was exported from."
    )
    display_name: str | None = Field(
        default=None, description="Name shown in the VVP UI (set by it since VVP 2.4)."
    )
    labels: StringMap = Field(default_factory=dict, description="VVP labels; may change later.")
    annotations: StringMap = Field(
        default_factory=dict, description="VVP annotations; may change later."
    )
    id: str | None = Field(default=None, description="Server-set UUID.")
    created_at: str | None = Field(default=None, description="Server-set ISO-8601 time.")
    modified_at: str | None = Field(default=None, description="Server-set ISO-8601 time.")
    resource_version: Annotated[int, Number] | None = Field(
        default=None, ge=0, description="Server-set version."
    )
