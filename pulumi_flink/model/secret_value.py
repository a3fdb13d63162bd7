"""VVP ``SecretValue``: a named secret that ``${name}`` references resolve to.

Its value stays in VVP: an export has the name (and, if someone exported it,
perhaps the value). pulumi-flink never uses or renders a value it reads
here: the secret comes from a Kubernetes Secret key (by default the key
``<name>`` of the Secret :data:`DEFAULT_SECRET_VALUES_SECRET` in the target
namespace; see :mod:`pulumi_flink.secrets`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr

from pulumi_flink.model._base import VvpModel, checked_by
from pulumi_flink.model.metadata import Metadata
from pulumi_flink.model.names import secret_key_problem

DEFAULT_SECRET_VALUES_SECRET = "vvp-secret-values"
"""The Kubernetes Secret whose key ``<name>`` holds VVP secret value ``<name>``."""


class SecretValueSpec(VvpModel):
    """``spec`` of a SecretValue."""

    kind: str | None = Field(default=None, description="VVP's secret kind, e.g. GENERIC.")
    value: SecretStr | None = Field(
        default=None, description="The value, if exported; never used nor rendered."
    )


class SecretValueMetadata(Metadata):
    """``metadata`` of a SecretValue: the name is the key of a Kubernetes Secret."""

    name: Annotated[str, checked_by(secret_key_problem)] = Field(
        description="The name ``${name}`` references use, and the Secret key they read."
    )


class SecretValue(VvpModel):
    """A VVP ``SecretValue``: declares that ``${name}`` is a secret, not an environment variable."""

    api_version: Literal["v1"] = Field(default="v1", description="Always ``v1``.")
    kind: Literal["SecretValue"] = Field(
        default="SecretValue", description="Always ``SecretValue``."
    )
    metadata: SecretValueMetadata = Field(description="The name references use.")
    spec: SecretValueSpec = Field(default_factory=SecretValueSpec, description="Kind and value.")
    status: dict[str, Any] | None = Field(default=None, description="Ignored.")
