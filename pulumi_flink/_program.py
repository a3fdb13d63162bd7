"""Helpers for the program side of the Pulumi resources; never the provider process.

A Pulumi program imports this module through the resources it constructs
(:class:`~pulumi_flink.DeploymentTarget`, :class:`~pulumi_flink.Deployment`,
:class:`~pulumi_flink.TargetNamespace`). The dynamic-provider process, which
only unpickles the provider classes of :mod:`pulumi_flink.provider`, has no
use for it: nothing here is stored in state.

The components do their work once, with plain functions. When the program
gives plain values (the common case), the work happens while the program
runs, and the resources get plain arguments, as in hand-written code; a
single Output stands in only where an argument is itself an Output.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pulumi

from pulumi_flink._values import any_nested

T = TypeVar("T")


def _is_pending(value: Any) -> bool:
    return isinstance(value, pulumi.Output) or inspect.isawaitable(value)


def is_plain(value: Any) -> bool:
    """True when ``value`` holds no Output or awaitable, at any depth.

    >>> is_plain({"a": [1, "x", None]})
    True
    >>> is_plain({"a": [pulumi.Output.from_input(1)]})
    False
    """
    return not any_nested(value, _is_pending)


def lift(function: Callable[..., T], *arguments: Any) -> T | pulumi.Output[T]:
    """``function(*arguments)``, or an Output of it if any argument is an Output.

    >>> lift(lambda a, b: a + b, 1, 2)
    3
    """
    if any(isinstance(argument, pulumi.Output) for argument in arguments):
        return pulumi.Output.all(*arguments).apply(lambda values: function(*values))
    return function(*arguments)


@dataclass(frozen=True)
class KnownTargetInputs:
    """A target's inputs as the program gave them, when they are plain values.

    With these, a :class:`~pulumi_flink.Deployment` on the target renders
    while the program runs, before any resource is registered, instead of
    waiting on the target's outputs.
    """

    name: str
    """VVP name of the target."""
    namespace: str
    """Kubernetes namespace of the target's Deployments."""
    deployment_patch_set: list[dict[str, Any]]
    """The patch set, in order."""

    @classmethod
    def of(cls, name: Any, namespace: Any, deployment_patch_set: Any) -> KnownTargetInputs | None:
        """The known inputs, or ``None`` when any of them is an Output or unset."""
        if not (
            isinstance(name, str)
            and isinstance(namespace, str)
            and isinstance(deployment_patch_set, list | tuple)
            and is_plain(deployment_patch_set)
        ):
            return None
        return cls(name, namespace, list(deployment_patch_set))
