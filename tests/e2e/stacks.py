"""Run the end-to-end programs through the real Pulumi engine (Automation API)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi import automation as auto

PROGRAMS = Path(__file__).parent / "programs"
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PulumiEnvironment:
    """A private Pulumi home and file backend wired to the dev cluster."""

    home: Path
    backend: Path
    bin_dir: Path
    kubeconfig: Path
    extra_bin_dirs: tuple[Path, ...] = ()
    """More tools on PATH (the package's: the YAML language host)."""

    def env(self) -> dict[str, str]:
        """Environment for the engine, its language host and the providers."""
        bin_dirs = [self.bin_dir, *self.extra_bin_dirs, Path(sys.executable).parent]
        return {
            "PATH": os.pathsep.join([*map(str, bin_dirs), os.environ["PATH"]]),
            "PULUMI_HOME": str(self.home),
            "PULUMI_BACKEND_URL": f"file://{self.backend}",
            "PULUMI_CONFIG_PASSPHRASE": "e2e",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_PYTHON_CMD": sys.executable,
            "KUBECONFIG": str(self.kubeconfig),
        }

    def install_kubernetes_plugin(self, version: str) -> None:
        """Register the locally built pulumi-kubernetes plugin (no download)."""
        plugin = self.bin_dir / "pulumi-resource-kubernetes"
        subprocess.run(
            [str(self.bin_dir / "pulumi"), "plugin", "install", "resource", "kubernetes",
             version, "--file", str(plugin)],
            env={**os.environ, **self.env()},
            check=True,
            capture_output=True,
        )  # fmt: skip

    def stack(
        self, program: str | Path, stack_name: str, workdir: Path, config: dict[str, Any]
    ) -> auto.Stack:
        """A fresh copy of a program as stack ``stack_name`` with ``config``.

        ``program`` names a folder of ``programs/`` or is the path of one.
        """
        shutil.copytree(PROGRAMS / program, workdir, dirs_exist_ok=True)
        stack = auto.create_or_select_stack(
            stack_name,
            work_dir=str(workdir),
            opts=auto.LocalWorkspaceOptions(
                env_vars=self.env(),
                pulumi_home=str(self.home),
                pulumi_command=auto.PulumiCommand(root=str(self.bin_dir.parent)),
            ),
        )
        set_config(stack, config)
        return stack


def set_config(stack: auto.Stack, config: dict[str, Any]) -> None:
    """Set stack config; non-strings are stored as JSON (read with get_object)."""
    stack.set_all_config(
        {
            key: auto.ConfigValue(value if isinstance(value, str) else json.dumps(value))
            for key, value in config.items()
        }
    )
