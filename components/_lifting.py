"""Compute now when the arguments are known, inside an Output when they are not.

The components do their work once, with plain functions. When the program
gives plain values (the common case), the work happens while the program
runs, and the resources get plain arguments, as in hand-written code; a
single Output stands in only where an argument is itself an Output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pulumi

T = TypeVar("T")


def lift(function: Callable[..., T], *arguments: Any) -> T | pulumi.Output[T]:
    """``function(*arguments)``, or an Output of it if any argument is an Output.

    >>> lift(lambda a, b: a + b, 1, 2)
    3
    """
    if any(isinstance(argument, pulumi.Output) for argument in arguments):
        return pulumi.Output.all(*arguments).apply(lambda values: function(*values))
    return function(*arguments)
