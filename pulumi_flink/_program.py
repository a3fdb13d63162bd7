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
from typing import Any, TypeVar

import pulumi

from pulumi_flink._values import any_nested
from pulumi_flink.target import PreparedTarget, prepare_target_inputs

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


def prepared_if_plain(
    name: Any, namespace: Any, deployment_patch_set: Any
) -> PreparedTarget | None:
    """Prepare a target while the program runs, when its name and patch set are plain values.

    A namespace that is an Output is left unset: the target's resolved
    ``namespace`` output stands in for it. ``None`` when the name or the
    patch set is not known yet.

    Raises
    ------
    SpecValidationError, PatchSetError
        As :func:`~pulumi_flink.target.prepare_target`: at the line that made the target.
    """
    if not (is_plain(name) and is_plain(deployment_patch_set)):
        return None
    return prepare_target_inputs(
        name, namespace if is_plain(namespace) else None, deployment_patch_set
    )
