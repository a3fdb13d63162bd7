"""Pulumi secrets given directly as ``flinkConfiguration`` values: secret values, not values.

A value such as ``config.require_secret("s3Key")`` in ``flinkConfiguration``
is the same case as a VVP Secret Value (:mod:`pulumi_flink.secrets`): it
goes into the Secret the ``Deployment`` component makes, and the spec gets a
``${pulumi-secret.<key>}`` reference in its place, delivered like any secret
value (or refused at preview where the engine cannot deliver it safely).
Whether an Output is secret is only known asynchronously, so each Output
value of ``flinkConfiguration`` becomes an Output of either itself (not
secret) or the reference (secret).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import pulumi

SECRET_INPUT_PREFIX = "pulumi-secret."
"""Secret value names standing for Pulumi secrets given as configuration values."""


def _configuration(spec: Mapping[str, Any]) -> tuple[list[str], Mapping[str, Any]] | None:
    """Where ``flinkConfiguration`` sits in a Deployment document or bare spec, and it."""
    path = ["spec"] if "spec" in spec or "metadata" in spec else []
    path += ["template", "spec", "flinkConfiguration"]
    node: Any = spec
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return (path, node) if isinstance(node, Mapping) else None


def _replaced(spec: Mapping[str, Any], path: list[str], configuration: dict[str, Any]) -> Any:
    if not path:
        return configuration
    head, *rest = path
    return {**spec, head: _replaced(spec[head], rest, configuration)}


async def _secretness(value: pulumi.Output[Any]) -> bool:
    return await value.is_secret()


def _reference_if_secret(name: str, pair: list[Any]) -> Any:
    value, secret = pair
    return f"${{{name}}}" if secret else value


def _value_if_secret(pair: list[Any]) -> str | None:
    value, secret = pair
    return str(value) if secret else None


def hide_secret_inputs(
    spec: Any,
) -> tuple[Any, dict[str, pulumi.Output[str | None]]]:
    """The spec with each secret ``flinkConfiguration`` Output replaced by a reference.

    Returns the spec (its Output values now resolve to themselves, or to
    ``${pulumi-secret.<key>}`` when secret) and, by secret value name, an
    Output of the value when it is secret, else of ``None``.
    """
    found = _configuration(spec) if isinstance(spec, Mapping) else None
    if found is None:
        return spec, {}
    path, configuration = found
    hidden: dict[str, pulumi.Output[str | None]] = {}
    replaced = dict(configuration)
    for key, value in configuration.items():
        if not isinstance(value, pulumi.Output):
            continue
        name = f"{SECRET_INPUT_PREFIX}{key}"
        secret: pulumi.Output[bool] = pulumi.Output.from_input(_secretness(value))
        both: pulumi.Output[list[Any]] = pulumi.Output.all(value, secret)
        replaced[key] = both.apply(partial(_reference_if_secret, name))
        hidden[name] = both.apply(_value_if_secret)
    return _replaced(spec, path, replaced), hidden
