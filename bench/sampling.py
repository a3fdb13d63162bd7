"""Peak memory and CPU time of the processes a Pulumi command starts.

A :class:`ProcessSampler` walks the process tree under the harness every few
milliseconds while a command runs and reads each process's high-water mark of
resident memory (``VmHWM`` in ``/proc/<pid>/status``), so a peak between two
samples is not missed. Processes are told apart by their command line.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import psutil

ROLES = ("program", "dynamic_provider", "kubernetes_provider", "engine", "language_host")
"""What each process of a Pulumi command is, in report order."""


def role_of(cmdline: list[str], name: str) -> str | None:
    """The role of a process from its command line, ``None`` when not Pulumi's."""
    names = [os.path.basename(arg) for arg in cmdline[:3]] or [name]
    if "pulumi.dynamic" in cmdline[:4]:
        return "dynamic_provider"  # python -u -m pulumi.dynamic (pulumi-resource-pulumi-python)
    if "pulumi-language-python-exec" in names:
        return "program"  # the interpreter running the user's program
    if "pulumi-language-python" in names:
        return "language_host"  # a Go binary, or a Python script run by an interpreter
    if names[0].startswith("pulumi-resource-kubernetes"):
        return "kubernetes_provider"
    if names[0] == "pulumi":
        return "engine"
    return None


def _peak_rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class _Seen:
    role: str
    peak_rss: int = 0
    cpu_seconds: float = 0.0


@dataclass
class ProcessSampler:
    """Sample the Pulumi processes below ``root_pid`` until the ``with`` block ends.

    Examples
    --------
    >>> with ProcessSampler() as sampler:  # doctest: +SKIP
    ...     stack.up()
    >>> sampler.peak_rss_mib()["program"]  # doctest: +SKIP
    182.4
    """

    root_pid: int = field(default_factory=os.getpid)
    interval_seconds: float = 0.2
    _seen: dict[int, _Seen] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> ProcessSampler:
        self._thread = threading.Thread(target=self._run, name="process-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        root = psutil.Process(self.root_pid)
        while not self._stop.is_set():
            self._sample(root)
            time.sleep(self.interval_seconds)

    def _sample(self, root: psutil.Process) -> None:
        try:
            children = root.children(recursive=True)
        except psutil.Error:
            return
        for process in children:
            try:
                seen = self._seen.get(process.pid)
                if seen is None:
                    role = role_of(process.cmdline(), process.name())
                    if role is None:
                        continue
                    seen = self._seen[process.pid] = _Seen(role)
                seen.peak_rss = max(seen.peak_rss, _peak_rss_bytes(process.pid))
                times = process.cpu_times()
                seen.cpu_seconds = max(seen.cpu_seconds, times.user + times.system)
            except psutil.Error:
                continue

    def peak_rss_mib(self) -> dict[str, float]:
        """Largest peak RSS of any one process of each role (0 when none ran)."""
        peaks = dict.fromkeys(ROLES, 0.0)
        for seen in self._seen.values():
            peaks[seen.role] = max(peaks[seen.role], seen.peak_rss / 2**20)
        return peaks

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) of each role, summed over its processes."""
        totals = dict.fromkeys(ROLES, 0.0)
        for seen in self._seen.values():
            totals[seen.role] += seen.cpu_seconds
        return totals
