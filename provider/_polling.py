"""Waiting in a provider: look again every :data:`POLL_SECONDS` until done or out of time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["POLL_SECONDS", "poll_until"]

POLL_SECONDS = 0.5
"""How often a waiting provider looks again: what it waits for is seen within a second."""

Seen = TypeVar("Seen")


def poll_until(
    look: Callable[[], tuple[bool, Seen]],
    *,
    timeout_seconds: float,
    timed_out: Callable[[Seen], Exception],
) -> Seen:
    """Call ``look`` until it says done, and return what it saw then.

    ``look`` returns whether the wait is over and what it saw (it may raise
    to end the wait early, e.g. on a failure it recognises). After
    ``timeout_seconds`` the exception ``timed_out`` makes of the last thing
    seen is raised.
    """
    deadline = time.monotonic() + timeout_seconds
    while True:
        done, seen = look()
        if done:
            return seen
        if time.monotonic() >= deadline:
            raise timed_out(seen)
        time.sleep(POLL_SECONDS)
