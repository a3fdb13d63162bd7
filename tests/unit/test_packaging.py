"""What a library on PyPI promises: dependencies, extras, and an install without a checkout."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from pulumi_flink.devcluster import ToolchainNotFoundError, _toolchain, locate_toolchain

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

IMPORT_NAMES = {"pulumi-kubernetes": "pulumi_kubernetes", "pyyaml": "yaml"}
"""Distributions whose import name differs from their name."""


def _requirement_name(requirement: str) -> str:
    for separator in "<>=!~[; ":
        requirement = requirement.split(separator)[0]
    return requirement.lower()


def _pins(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    pairs = (line.split("==") for line in lines)
    return {name.lower().replace("_", "-"): version for name, version in pairs}


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    files = [
        path
        for folder in ("pulumi_flink", "provider", "components")
        for path in (ROOT / folder).rglob("*.py")
    ]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
    return modules


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_every_declared_dependency_is_imported_by_the_package() -> None:
    declared = [
        *PYPROJECT["project"]["dependencies"],
        *PYPROJECT["project"]["optional-dependencies"]["dev-cluster"],
    ]
    names = {_requirement_name(requirement) for requirement in declared}

    unused = {
        name for name in names if IMPORT_NAMES.get(name, name) not in _imported_top_level_modules()
    }

    assert unused == set()


def test_pulumi_and_pulumi_kubernetes_are_ranges_not_pins() -> None:
    for requirement in PYPROJECT["project"]["dependencies"]:
        assert "==" not in requirement, requirement


def test_the_constraints_pin_what_the_toolchain_builds() -> None:
    versions = dict(
        line.split("=", 1)
        for line in (ROOT / "toolchain" / "versions.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    pins = _pins((ROOT / "constraints.txt").read_text())

    assert pins["pulumi"] == versions["PULUMI_VERSION"]
    assert pins["pulumi-kubernetes"] == versions["PULUMI_KUBERNETES_VERSION"]


def test_validate_loads_neither_the_dev_cluster_nor_pulumi() -> None:
    result = _run(
        "import sys\n"
        "from pulumi_flink.cli import main\n"
        "try:\n"
        "    main(['validate', 'tests/unit/fixtures/vvp'], prog_name='pulumi-flink')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'cryptography', 'pulumi'}\n"
        "print(sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in heavy or m.startswith('pulumi_flink.devcluster')))\n"
    )

    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_dev_cluster_without_the_extra_says_which_extra_to_install() -> None:
    result = _run(
        "import sys\n"
        "sys.modules['cryptography'] = None\n"
        "from pulumi_flink.cli import main\n"
        "main(['dev-cluster', 'up'], prog_name='pulumi-flink')\n"
    )

    assert result.returncode == 1
    assert "pip install 'pulumi-flink[dev-cluster]'" in result.stderr
    assert "cryptography is not installed" in result.stderr


def _fake_toolchain(bin_dir: Path) -> None:
    bin_dir.mkdir(parents=True)
    for name in _toolchain.REQUIRED_BINARIES:
        binary = bin_dir / name
        binary.write_text("#!/bin/sh\n")
        binary.chmod(0o755)
    (bin_dir.parent / "share" / "kwok" / "stage").mkdir(parents=True)


@pytest.fixture
def installed_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No source checkout to ask, an empty tool cache; returns the cache's tools folder."""
    monkeypatch.setattr(_toolchain, "_BOOTSTRAP", tmp_path / "no-checkout" / "bootstrap.sh")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(_toolchain.BIN_DIR_ENV, raising=False)
    return tmp_path / "cache" / "pulumi-flink" / "tools"


def test_an_installed_wheel_finds_the_newest_complete_toolchain_in_the_cache(
    installed_wheel: Path,
) -> None:
    _fake_toolchain(installed_wheel / "old" / "bin")
    _fake_toolchain(installed_wheel / "new" / "bin")
    (installed_wheel / "incomplete" / "bin").mkdir(parents=True)
    os.utime(installed_wheel / "old" / "bin", (0, 0))

    assert locate_toolchain().bin_dir == (installed_wheel / "new" / "bin").resolve()


def test_an_installed_wheel_without_a_toolchain_says_where_it_looked(
    installed_wheel: Path,
) -> None:
    with pytest.raises(ToolchainNotFoundError) as raised:
        locate_toolchain()

    assert str(installed_wheel) in str(raised.value)
    assert "PULUMI_FLINK_BIN_DIR" in str(raised.value)


def test_no_module_imports_provider_or_components_by_their_folder_name() -> None:
    # The folders are reached as pulumi_flink.provider / pulumi_flink.components
    # only, so every file has one module path (README, "Layout").
    for folder in ("pulumi_flink", "tests", "examples", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    assert node.module.split(".")[0] not in ("provider", "components"), path
                elif isinstance(node, ast.Import):
                    tops = {alias.name.split(".")[0] for alias in node.names}
                    assert not tops & {"provider", "components"}, path
