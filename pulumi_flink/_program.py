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
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pulumi

from pulumi_flink._values import any_nested
from pulumi_flink.errors import PulumiFlinkError
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

    An input error it raises is :func:`reported_cleanly`, in both cases.

    >>> lift(lambda a, b: a + b, 1, 2)
    3
    """
    if any(isinstance(argument, pulumi.Output) for argument in arguments):
        return pulumi.Output.all(*arguments).apply(
            lambda values: _reporting(function, values, inside_output=True)
        )
    return _reporting(function, arguments, inside_output=False)


class OutputInputError(pulumi.RunError):
    """One of our input errors, raised while an Output resolves; ``error`` is the original.

    Not a ``ValueError``: the SDK rewraps a ``ValueError`` raised while it
    serializes a resource's inputs into a new ``ValueError`` whose message
    and traceback run through its own modules. Nothing in the program can
    catch an error raised there, so only Pulumi's report matters.
    """

    def __init__(self, error: PulumiFlinkError) -> None:
        self.error = error
        super().__init__(str(error))


def _reporting(function: Callable[..., T], arguments: Sequence[Any], *, inside_output: bool) -> T:
    try:
        return function(*arguments)
    except PulumiFlinkError as error:
        if inside_output:
            raise OutputInputError(error) from None
        raise reported_cleanly(error) from None


def reported_cleanly(error: PulumiFlinkError) -> PulumiFlinkError:
    """``error`` as one Pulumi reports without a Python traceback.

    The Pulumi SDK prints a :class:`pulumi.RunError` as its message only, and
    any other exception (also one raised inside an Output's ``apply``, where
    a Deployment on a target read with ``DeploymentTarget.get`` is rendered)
    with a traceback through the SDK. The result is the same error (message
    and attributes) as an instance of a subclass of both its own class and
    ``RunError``, so code that catches ``SpecValidationError`` or
    ``ValueError`` still does.

    >>> from pulumi_flink.errors import SpecValidationError
    >>> clean = reported_cleanly(SpecValidationError.single("spec.x", "bad"))
    >>> isinstance(clean, SpecValidationError), isinstance(clean, pulumi.RunError), str(clean)
    (True, True, 'spec.x: bad')
    """
    if isinstance(error, pulumi.RunError):
        return error
    kind = _RUN_ERROR_CLASSES.setdefault(
        type(error),
        type(type(error).__name__, (type(error), pulumi.RunError), {"__module__": "pulumi_flink"}),
    )
    clean = BaseException.__new__(kind)
    clean.__dict__.update(error.__dict__)
    clean.args = error.args
    return clean


_RUN_ERROR_CLASSES: dict[type[PulumiFlinkError], type[PulumiFlinkError]] = {}
"""One RunError twin per error class, made on first use."""


def prepared_if_plain(
    name: Any, namespace: Any, deployment_patch_set: Any, *, blob_storage: str | None = None
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
        name,
        namespace if is_plain(namespace) else None,
        deployment_patch_set,
        blob_storage=blob_storage,
    )
