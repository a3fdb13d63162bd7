"""Exceptions raised by the local development cluster.

Every error the dev cluster raises derives from :class:`DevClusterError`, so a
caller can catch one type; the subclasses say what went wrong and carry what a
person needs to fix it (which tool is missing, which log to read).
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ComponentStartError",
    "DevClusterError",
    "ToolchainNotFoundError",
]


class DevClusterError(Exception):
    """Base class of every error the dev cluster raises."""


class ToolchainNotFoundError(DevClusterError):
    """The binaries the dev cluster runs (etcd, kube-apiserver, ...) are missing.

    Parameters
    ----------
    bin_dir
        The folder that was searched, or ``None`` when none could be derived.
    missing
        The names of the binaries (or data folders) that were not found.
    searched
        The cache folder searched for a complete toolchain, when no bin dir was known.
    """

    def __init__(
        self, bin_dir: Path | None, missing: list[str], *, searched: Path | None = None
    ) -> None:
        self.bin_dir = bin_dir
        self.missing = missing
        self.searched = searched
        if bin_dir is not None:
            where = f"in {bin_dir}"
        elif searched is not None:
            where = f"(no complete toolchain under {searched}/*/bin)"
        else:
            where = "(no bin dir known)"
        super().__init__(
            f"dev cluster tools not found {where}: missing {', '.join(missing)}. "
            "Build them with `toolchain/bootstrap.sh` from a source checkout "
            "(about 40 minutes on two cores the first time, seconds after), "
            "or set PULUMI_FLINK_BIN_DIR to a folder that holds them."
        )


class ComponentStartError(DevClusterError):
    """A control-plane component exited or did not become ready in time.

    Parameters
    ----------
    component
        The component's name, e.g. ``"kube-apiserver"``.
    reason
        What was observed (exit code, time-out).
    log_path
        The component's log file.
    log_tail
        The last lines of that log, to show without opening the file.
    """

    def __init__(self, component: str, reason: str, log_path: Path, log_tail: str) -> None:
        self.component = component
        self.reason = reason
        self.log_path = log_path
        self.log_tail = log_tail
        super().__init__(f"{component} {reason}; its log is {log_path}. Last lines:\n{log_tail}")
