"""Where the dev cluster finds its binaries, from a source checkout or an installed wheel.

``toolchain/bootstrap.sh`` builds them into
``${XDG_CACHE_HOME:-~/.cache}/pulumi-flink/tools/<key>/bin`` (``<key>`` hashes
``toolchain/versions.env``) and copies kwok's stage definitions next to it,
into ``../share/kwok/stage``. The script itself is the one place that knows
the key: in a source checkout this module asks it (``bootstrap.sh
--bin-dir``) rather than repeating the rule. An installed wheel has no
script to ask, so it takes the newest complete toolchain in the cache.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import ToolchainNotFoundError

__all__ = ["BIN_DIR_ENV", "REQUIRED_BINARIES", "Toolchain", "locate_toolchain", "tools_cache_dir"]

#: Environment variable naming a bin dir to use instead of the bootstrap one.
BIN_DIR_ENV = "PULUMI_FLINK_BIN_DIR"

#: The binaries the dev cluster runs.
REQUIRED_BINARIES: tuple[str, ...] = (
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kwok",
)

_BOOTSTRAP = Path(__file__).resolve().parents[2] / "toolchain" / "bootstrap.sh"
"""Where the script is in a source checkout (absent in an installed wheel)."""


def tools_cache_dir() -> Path:
    """The folder holding one toolchain per key, as ``bootstrap.sh`` lays it out."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "pulumi-flink" / "tools"


@dataclass(frozen=True)
class Toolchain:
    """The binaries and data files of one bootstrapped toolchain.

    Attributes
    ----------
    bin_dir
        Folder holding etcd, kube-apiserver, kubectl, kwok, pulumi, ...
    kwok_stage_dir
        kwok's own stage definitions (``kustomize/stage`` of its module).
    """

    bin_dir: Path

    @property
    def kwok_stage_dir(self) -> Path:
        """Stage definitions of kwok, copied beside the bin dir by the bootstrap."""
        return self.bin_dir.parent / "share" / "kwok" / "stage"

    def binary(self, name: str) -> Path:
        """Return the path of the binary ``name`` in :attr:`bin_dir`."""
        return self.bin_dir / name

    def missing(self) -> list[str]:
        """Names of required binaries or data folders that are absent."""
        absent = [name for name in REQUIRED_BINARIES if not os.access(self.binary(name), os.X_OK)]
        if not self.kwok_stage_dir.is_dir():
            absent.append(str(self.kwok_stage_dir))
        return absent


def _bootstrap_bin_dir() -> Path | None:
    if not _BOOTSTRAP.is_file():
        return None
    result = subprocess.run(
        ["bash", str(_BOOTSTRAP), "--bin-dir"],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return Path(result.stdout.strip())


def _newest_cached_bin_dir() -> Path | None:
    """The newest toolchain in the cache that has every required binary."""
    complete = [
        candidate
        for candidate in tools_cache_dir().glob("*/bin")
        if not Toolchain(bin_dir=candidate).missing()
    ]
    return max(complete, key=lambda candidate: candidate.stat().st_mtime, default=None)


def locate_toolchain(bin_dir: Path | None = None) -> Toolchain:
    """Find the bootstrapped toolchain, or explain how to build it.

    Parameters
    ----------
    bin_dir
        Use this folder. When ``None``: the folder named by the
        ``PULUMI_FLINK_BIN_DIR`` environment variable, else the one
        ``toolchain/bootstrap.sh --bin-dir`` prints in a source checkout,
        else (an installed wheel) the newest complete toolchain under
        :func:`tools_cache_dir`.

    Returns
    -------
    Toolchain
        A toolchain whose required binaries all exist.

    Raises
    ------
    ToolchainNotFoundError
        When no folder is known or a required binary is missing; the message
        says how to build them.
    """
    if bin_dir is None:
        from_env = os.environ.get(BIN_DIR_ENV)
        bin_dir = Path(from_env) if from_env else _bootstrap_bin_dir()
    if bin_dir is None and not _BOOTSTRAP.is_file():
        bin_dir = _newest_cached_bin_dir()
    if bin_dir is None:
        raise ToolchainNotFoundError(None, list(REQUIRED_BINARIES), searched=tools_cache_dir())
    toolchain = Toolchain(bin_dir=bin_dir.expanduser().resolve())
    missing = toolchain.missing()
    if missing:
        raise ToolchainNotFoundError(toolchain.bin_dir, missing)
    return toolchain
