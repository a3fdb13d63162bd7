"""VVP ``DeploymentDefaults``: a partial Deployment spec merged into Deployments at creation.

VVP keeps two levels (its "Deployment Defaults" docs): global defaults
(``/api/v1/global-deployment-defaults``) and per-namespace defaults
(``/api/v1/namespaces/{ns}/deployment-defaults``). "Namespaced Deployment
Defaults override Global Deployment Defaults. The resulting set of default
values is merged and applied to the spec of a Deployment resource during
creation ... If an attribute is manually specified in the Deployment
resource, the default value is overwritten." So maps merge key by key (a
default ``flinkConfiguration`` entry joins the Deployment's own), while a
value the Deployment gives (a scalar, or a list such as ``envVars``) replaces
the default whole.

pulumi-flink reads ``kind: DeploymentDefaults`` (namespaced; its
``metadata.namespace``, unset meaning ``default``, picks the Deployments it
applies to) and ``kind: GlobalDeploymentDefaults`` (every Deployment), and
applies them before the target's patch set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field

from pulumi_flink.model._base import VvpModel
from pulumi_flink.model.deployment import Deployment
from pulumi_flink.model.metadata import Metadata

DEFAULT_VVP_NAMESPACE = "default"
"""The VVP namespace of a resource that names none."""

DEFAULTS_KINDS = ("GlobalDeploymentDefaults", "DeploymentDefaults")
"""Global first: the order in which VVP merges the two levels."""


class DefaultsMetadata(Metadata):
    """``metadata`` of DeploymentDefaults: the name is optional (VVP has one per namespace)."""

    name: str = Field(default="deployment-defaults", description="Name; VVP sets none.")


class DeploymentDefaults(VvpModel):
    """VVP ``DeploymentDefaults`` (or ``GlobalDeploymentDefaults``): a partial Deployment spec.

    ``spec`` keeps exactly what was written (it is merged, so an unwritten
    field must stay unwritten); it is checked against the Deployment schema
    when read.
    """

    api_version: Literal["v1"] = Field(default="v1", description="Always ``v1``.")
    kind: Literal["DeploymentDefaults", "GlobalDeploymentDefaults"] = Field(
        default="DeploymentDefaults", description="Namespaced or global defaults."
    )
    metadata: DefaultsMetadata = Field(
        default_factory=DefaultsMetadata, description="The VVP namespace they apply to."
    )
    spec: dict[str, Any] = Field(
        default_factory=dict, description="A partial Deployment ``spec``, as written."
    )
    status: dict[str, Any] | None = Field(default=None, description="Ignored.")

    @property
    def is_global(self) -> bool:
        """True for global defaults, which apply in every VVP namespace."""
        return self.kind == "GlobalDeploymentDefaults"

    def applies_to(self, deployment: Deployment) -> bool:
        """True when these defaults apply to ``deployment`` (global, or its VVP namespace)."""
        return self.is_global or vvp_namespace(self.metadata) == vvp_namespace(deployment.metadata)


def vvp_namespace(metadata: Metadata) -> str:
    """The VVP namespace of a resource: ``metadata.namespace``, else ``default``."""
    return metadata.namespace or DEFAULT_VVP_NAMESPACE


def merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: maps merge key by key, anything else is replaced.

    >>> merged({"a": {"x": 1, "y": 2}, "l": [1]}, {"a": {"y": 3}, "l": [2]})
    {'a': {'x': 1, 'y': 3}, 'l': [2]}
    """
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def defaulted_document(
    deployment: Deployment, defaults: Sequence[DeploymentDefaults]
) -> dict[str, Any] | None:
    """The wire document of ``deployment`` with the defaults that apply merged in, VVP's way.

    Global defaults first, then the namespace's, then what the Deployment
    itself wrote (only fields it set count: a model's own defaults do not
    override a DeploymentDefaults value). Within a level, later documents
    win. ``None`` when no defaults apply.

    >>> orders = Deployment.model_validate({"metadata": {"name": "orders"},
    ...     "spec": {"template": {"spec": {"parallelism": 2}}}})
    >>> defaults = DeploymentDefaults(spec={"upgradeStrategy": {"kind": "STATELESS"},
    ...     "template": {"spec": {"parallelism": 8}}})
    >>> defaulted_document(orders, [defaults])["spec"]
    {'upgradeStrategy': {'kind': 'STATELESS'}, 'template': {'spec': {'parallelism': 2}}}
    """
    return with_defaults_spec(
        deployment, defaults_spec(defaults, vvp_namespace(deployment.metadata))
    )


def defaults_spec(defaults: Sequence[DeploymentDefaults], namespace: str) -> dict[str, Any] | None:
    """The partial spec ``defaults`` give a Deployment of VVP ``namespace``, or ``None``.

    Global defaults first, then the namespace's; within a level, later
    documents win. It depends on the namespace only, so a reader merges it
    once per namespace, not once per Deployment.
    """
    applying = [d for d in defaults if d.is_global or vvp_namespace(d.metadata) == namespace]
    if not applying:
        return None
    spec: dict[str, Any] = {}
    for level in sorted(applying, key=lambda d: not d.is_global):
        spec = merged(spec, level.spec)
    return spec


def with_defaults_spec(
    deployment: Deployment, spec: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The wire document of ``deployment`` over a :func:`defaults_spec`; ``None`` for none.

    Only the fields the Deployment wrote override (its model's own defaults do not).
    """
    if spec is None:
        return None
    written = deployment.model_dump(mode="json", by_alias=True, exclude_unset=True)
    written["spec"] = merged(spec, written.get("spec", {}))
    return written
