"""The component provider that serves the package, on top of the SDK's.

Two things the SDK's ``ComponentProvider`` (pulumi 3.260) cannot say by
itself, added here:

- **References between the package's own resources.** Its schema inference
  turns a resource-typed argument into a reference only for resources of
  *other* packages; a Deployment's ``target`` and ``targetNamespace`` are
  declared ``Any`` in Python and become references to this package's
  DeploymentTarget and TargetNamespace in the schema
  (:data:`RESOURCE_REFERENCES`), so YAML, TypeScript and Go pass the
  resource itself.
- **Our messages, and only them.** An exception in a component's
  ``__init__`` comes back to the engine with its Python stack appended. Our
  input errors (:class:`~pulumi_flink.errors.PulumiFlinkError`) carry the
  resource, field, patch index and path already, so they are returned as
  the message alone, as an invalid-input status; the engine prints
  ``<type> resource '<name>' has a problem: <our message>``. Any other
  exception (a bug) keeps its stack.
"""

from __future__ import annotations

import inspect
import json
from importlib.metadata import version
from typing import Any

import pulumi
from pulumi.errors import InputPropertiesError, InputPropertyError
from pulumi.provider import ConstructResult
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.server import ComponentInitError

from pulumi_flink.errors import PulumiFlinkError
from pulumi_flink.package._interpreter import DISTRIBUTION
from pulumi_flink.package._resources import (
    PACKAGE_NAME,
    Deployment,
    DeploymentTarget,
    Savepoint,
    SessionCluster,
    TargetNamespace,
    type_token,
)

COMPONENTS: tuple[type[pulumi.ComponentResource], ...] = (
    DeploymentTarget,
    TargetNamespace,
    SessionCluster,
    Deployment,
    Savepoint,
)
"""The resources the package serves."""

RESOURCE_REFERENCES: dict[tuple[str, str], str] = {
    ("SessionCluster", "target"): "DeploymentTarget",
    ("SessionCluster", "targetNamespace"): "TargetNamespace",
    ("Deployment", "target"): "DeploymentTarget",
    ("Deployment", "targetNamespace"): "TargetNamespace",
    ("Deployment", "sessionCluster"): "SessionCluster",
    ("Deployment", "restoreFrom"): "Savepoint",
    ("Savepoint", "deployment"): "Deployment",
}
"""(resource, input) pairs that take one of the package's resources, and which."""


class PackageProvider(ComponentProvider):
    """Serves :data:`COMPONENTS` as the package ``pulumi-flink``, version of the library."""

    def __init__(self) -> None:
        super().__init__(list(COMPONENTS), PACKAGE_NAME, version=version(DISTRIBUTION))
        assert self.schema is not None
        schema = json.loads(self.schema)
        with_clean_descriptions(schema)
        with_resource_references(schema)
        self.schema = json.dumps(schema)
        self._input_types = {
            token: {name: prop.get("type") for name, prop in resource["inputProperties"].items()}
            for token, resource in schema["resources"].items()
        }

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: pulumi.Inputs,
        options: pulumi.ResourceOptions | None = None,
    ) -> ConstructResult:
        """Construct one of the package's resources; our input errors as our message alone."""
        for input_name, value in inputs.items():
            expected = self._input_types.get(resource_type, {}).get(input_name)
            problem = input_type_problem(expected, value)
            if problem:
                # Before the SDK's own conversion, which lets int([1]) escape as a TypeError.
                raise InputPropertyError(input_name, problem)
        try:
            return super().construct(name, resource_type, inputs, options)
        except ComponentInitError as error:
            if isinstance(error.inner, PulumiFlinkError):
                # An explicit (empty) list of property errors: the SDK cannot
                # send the status without one (pulumi 3.260).
                raise InputPropertiesError(str(error.inner), []) from None
            raise


_SCHEMA_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int, float),
    "array": (list, tuple),
    "object": (dict,),
}
"""The Python values a plain input of each schema type may be (integers arrive as floats)."""


def input_type_problem(expected: str | None, value: object) -> str | None:
    """Why a plain ``value`` cannot be an input of schema type ``expected``, or ``None``.

    Unset inputs, unknowns and outputs are left to the resource (it resolves them).

    >>> input_type_problem("integer", 30.0) is None, input_type_problem("integer", [1])
    (True, 'expected an integer, got a list')
    >>> input_type_problem("boolean", 1)
    'expected a boolean, got an int'
    """
    if expected not in _SCHEMA_TYPES or value is None or isinstance(value, pulumi.Output):
        return None
    article = "an" if expected[0] in "aeiou" else "a"
    got = type(value).__name__
    wrong = f"expected {article} {expected}, got {'an' if got[0] in 'aeiou' else 'a'} {got}"
    if isinstance(value, bool) != (expected == "boolean") or not isinstance(
        value, _SCHEMA_TYPES[expected]
    ):
        return wrong
    # NaN and infinities fail the first test, fractions the second.
    if expected == "integer" and not (abs(value) <= 2**53 and value == int(value)):  # type: ignore[arg-type, call-overload]
        return f"expected a whole number of at most 2^53, got {value!r}"
    return None


def with_clean_descriptions(node: Any) -> None:
    """Dedent every description in ``node`` (the SDK copies docstrings as they are)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = inspect.cleandoc(value)
            else:
                with_clean_descriptions(value)


def with_resource_references(schema: dict[str, Any]) -> None:
    """Type each of :data:`RESOURCE_REFERENCES` in ``schema`` as that resource."""
    for (resource, prop), referenced in RESOURCE_REFERENCES.items():
        inputs = schema["resources"][type_token(resource)]["inputProperties"]
        inputs[prop] = {
            "$ref": f"#/resources/{type_token(referenced)}",
            "description": inputs[prop]["description"],
        }
