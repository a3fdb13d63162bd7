"""The loop the dev cluster's Python controllers share: reconcile, wait, repeat until stopped.

The simulated operator's controller and the real-Flink runner are each a
process of the dev cluster that looks at the cluster every tick and acts on
what it sees. A failed pass (the API server restarting, an object deleted
under it) is printed and retried on the next tick; SIGINT or SIGTERM ends
the loop after the pass in flight.
"""

from __future__ import annotations

import signal
import threading
import traceback

__all__ = ["ReconcileLoop"]


class ReconcileLoop:
    """Calls :meth:`reconcile` every ``tick_seconds`` until :meth:`stop`.

    Parameters
    ----------
    name
        The process's name in its log lines.
    tick_seconds
        How long to wait between two passes.
    """

    def __init__(self, name: str, tick_seconds: float) -> None:
        self.name = name
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()

    def reconcile(self) -> None:
        """One pass over the cluster (subclasses say what it does)."""
        raise NotImplementedError

    def run(self) -> None:
        """Reconcile every ``tick_seconds`` until :meth:`stop`; print and retry a failed pass."""
        while not self._stop.is_set():
            try:
                self.reconcile()
            except Exception:
                print(f"{self.name}: reconcile failed, retrying:", flush=True)
                traceback.print_exc()
            self._stop.wait(self.tick_seconds)

    def stop(self) -> None:
        """End :meth:`run` after the pass in flight."""
        self._stop.set()

    def serve(self) -> None:
        """Run as the process's main loop: SIGINT and SIGTERM stop it."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self.stop())
        print(f"{self.name}: running", flush=True)
        self.run()
