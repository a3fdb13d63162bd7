"""Start, record and stop the dev cluster's processes without leaving orphans.

Each component runs in its own session (so its process group is its pid and a
signal reaches any helper it forks) with its output in a log file. A pid file
records the pid *and* the kernel's start time of the process, so a later
``down`` or ``up`` stops exactly the processes of the earlier run, even after
the Python process that started them crashed, and never a stranger that
happens to reuse the pid.

When ``tie_to_parent`` is set (test fixtures), the kernel kills the component
as soon as the starting thread dies (``PR_SET_PDEATHSIG``), so even a
``kill -9`` of pytest leaves no control plane behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ManagedProcess", "ProcessRecord", "read_records", "stop_recorded"]

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ProcessRecord:
    """What a pid file says about one started component.

    Attributes
    ----------
    name
        Component name, also the pid file's stem.
    pid
        Process id (and process group id: each component leads its own).
    start_ticks
        Field 22 of ``/proc/<pid>/stat``: tells a live component from a
        recycled pid.
    """

    name: str
    pid: int
    start_ticks: int

    def is_alive(self) -> bool:
        """Whether this very process still runs (zombies count as gone)."""
        stat = _read_stat(self.pid)
        return stat is not None and stat[1] == self.start_ticks and stat[0] != "Z"


def _read_stat(pid: int) -> tuple[str, int] | None:
    """Return (state, start time in clock ticks) of ``pid``, or ``None``."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: split
    # after its closing parenthesis.
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[19])


def _pid_file(pid_dir: Path, name: str) -> Path:
    return pid_dir / f"{name}.pid"


def read_records(pid_dir: Path) -> list[ProcessRecord]:
    """Read every pid file in ``pid_dir``; unreadable files are skipped."""
    records = []
    for path in sorted(pid_dir.glob("*.pid")):
        try:
            pid_text, ticks_text = path.read_text().split()[:2]
            records.append(ProcessRecord(path.stem, int(pid_text), int(ticks_text)))
        except (OSError, ValueError):
            continue
    return records


def _signal_group(record: ProcessRecord, sig: signal.Signals) -> None:
    if not record.is_alive():
        return
    try:
        os.killpg(record.pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:
        # Not a group leader after all (should not happen): signal the process.
        os.kill(record.pid, sig)


def _wait_gone(records: Sequence[ProcessRecord], timeout: float, reap: Callable[[], None]) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        reap()
        if not any(r.is_alive() for r in records):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def stop_recorded(
    pid_dir: Path,
    order: Sequence[str] = (),
    timeout: float = 15.0,
    reap: Callable[[], None] = lambda: None,
) -> list[str]:
    """Stop every process recorded in ``pid_dir`` and remove the pid files.

    Parameters
    ----------
    pid_dir
        Folder of pid files.
    order
        Component names to stop first, one after another (clients before the
        servers they talk to); the others are stopped after them.
    timeout
        Seconds to wait after SIGTERM before sending SIGKILL to the group.
    reap
        Called while waiting, so a parent that owns the processes can collect
        their exit status (otherwise they linger as zombies).

    Returns
    -------
    list of str
        Names of the components that were still running and were stopped.
    """
    records = read_records(pid_dir)
    rank = {name: index for index, name in enumerate(order)}
    records.sort(key=lambda r: rank.get(r.name, len(rank)))
    stopped = []
    for record in records:
        if record.is_alive():
            stopped.append(record.name)
            _stop(record, signal.SIGTERM, timeout, reap)
        _pid_file(pid_dir, record.name).unlink(missing_ok=True)
    return stopped


def _stop(
    record: ProcessRecord, sig: signal.Signals, timeout: float, reap: Callable[[], None]
) -> None:
    """Send ``sig`` to the group, then SIGKILL if it is still alive after ``timeout``."""
    _signal_group(record, sig)
    if not _wait_gone([record], timeout, reap):
        _signal_group(record, signal.SIGKILL)
        _wait_gone([record], 5.0, reap)


def _die_with_parent(parent_pid: int) -> Callable[[], None]:
    def set_death_signal() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        # The parent may have died between fork and prctl.
        if os.getppid() != parent_pid:
            os._exit(1)

    return set_death_signal


class ManagedProcess:
    """One component process: started detached, logged, recorded, stoppable.

    Parameters
    ----------
    name
        Component name (pid file and log file stem).
    argv
        Command line; ``argv[0]`` is the binary's path.
    log_path
        File that receives stdout and stderr.
    pid_dir
        Folder for the pid file.
    env
        Environment of the process; ``None`` inherits ours.
    tie_to_parent
        Kill the process when the starting thread dies.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log_path: Path,
        pid_dir: Path,
        env: Mapping[str, str] | None = None,
        tie_to_parent: bool = False,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.pid_dir = pid_dir
        self.env = dict(env) if env is not None else None
        self.tie_to_parent = tie_to_parent
        self._popen: subprocess.Popen[bytes] | None = None
        self._record: ProcessRecord | None = None

    @property
    def pid(self) -> int | None:
        """The process id once started."""
        return self._popen.pid if self._popen is not None else None

    def start(self) -> None:
        """Start the process and write its pid file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.pid_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self._popen = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
                close_fds=True,
                preexec_fn=_die_with_parent(os.getpid()) if self.tie_to_parent else None,
            )
        stat = _read_stat(self._popen.pid)
        self._record = ProcessRecord(self.name, self._popen.pid, stat[1] if stat else 0)
        _pid_file(self.pid_dir, self.name).write_text(
            f"{self._record.pid} {self._record.start_ticks}\n"
        )

    def kill(self) -> None:
        """Kill the process group at once (SIGKILL) and remove the pid file.

        Abrupt on purpose: in-flight requests fail as they would when the
        machine or the network goes away.
        """
        if self._record is not None:
            _stop(self._record, signal.SIGKILL, 5.0, self.reap)
        _pid_file(self.pid_dir, self.name).unlink(missing_ok=True)

    def exit_code(self) -> int | None:
        """The exit code if the process has ended, else ``None``."""
        return self._popen.poll() if self._popen is not None else None

    def reap(self) -> None:
        """Collect the exit status if the process has ended (no zombie)."""
        if self._popen is not None:
            self._popen.poll()

    def log_tail(self, lines: int = 25) -> str:
        """The last ``lines`` lines of the log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
