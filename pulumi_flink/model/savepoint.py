"""The VVP ``Savepoint`` resource: where a Flink savepoint of a Deployment is.

VVP (2.x) keeps one Savepoint resource per savepoint or retained checkpoint
it knows of; they have an ``id`` but no name, and point at their Deployment
by ``metadata.deploymentId``. pulumi-flink reads them from exports so a
migration can start each job from its state (a
:class:`~pulumi_flink.Savepoint` adopted with ``Savepoint.from_path``, or
``Deployment(restore_from=...)``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from pulumi_flink.model._base import VvpModel
from pulumi_flink.model.deployment import Uri
from pulumi_flink.model.metadata import Metadata


class SavepointMetadata(Metadata):
    """``metadata`` of a Savepoint: server-set, with the Deployment it belongs to."""

    name: str = Field(default="", description="VVP Savepoints have no name; the id names them.")
    deployment_id: str | None = Field(
        default=None, description="Id of the Deployment the savepoint is of."
    )
    job_id: str | None = Field(default=None, description="Id of the Flink job.")
    origin: str | None = Field(
        default=None,
        description="How it was made: USER_REQUEST, SUSPEND, SUSPEND_AND_UPGRADE, COPIED, "
        "RETAINED_CHECKPOINT, ...",
    )
    type: str | None = Field(default=None, description="Savepoint or retained checkpoint.")


class SavepointSpec(VvpModel):
    """``spec`` of a Savepoint."""

    savepoint_location: Uri = Field(
        min_length=1, description="The savepoint's path, as Flink reported it."
    )
    flink_savepoint_id: str | None = Field(default=None, description="Flink's savepoint id.")
    savepoint_format_type: str | None = Field(default=None, description="CANONICAL or NATIVE.")


class Savepoint(VvpModel):
    """A VVP ``Savepoint``: a savepoint (or retained checkpoint) of a Deployment's job."""

    api_version: Literal["v1"] = Field(default="v1", description="Always ``v1``.")
    kind: Literal["Savepoint"] = Field(default="Savepoint", description="Always ``Savepoint``.")
    metadata: SavepointMetadata = Field(
        default_factory=SavepointMetadata, description="Server fields and the Deployment's id."
    )
    spec: SavepointSpec = Field(description="Where the savepoint is.")
    status: dict[str, Any] | None = Field(
        default=None, description="Server-reported status (``state``: STARTED, COMPLETED, FAILED)."
    )

    @property
    def completed(self) -> bool:
        """True unless the export says it did not complete (no status counts as complete)."""
        state = (self.status or {}).get("state")
        return state is None or state == "COMPLETED"
