"""The package finds the Python its dynamic providers will run in, as the engine's launcher does."""

from __future__ import annotations

import os
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from pulumi_flink.errors import ProviderInterpreterError
from pulumi_flink.package._interpreter import (
    dynamic_provider_python,
    interpreter_problem,
    require_dynamic_provider_python,
)


def _script(tmp_path: Path, body: str) -> str:
    script = tmp_path / "python"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_the_projects_virtualenv_option_wins_over_pulumi_python_cmd() -> None:
    environ = {"PULUMI_RUNTIME_VIRTUALENV": "../.venv", "PULUMI_PYTHON_CMD": "/opt/python"}

    assert dynamic_provider_python(environ, "/work/project") == (
        "/work/.venv/bin/python",
        "PULUMI_RUNTIME_VIRTUALENV",
    )


def test_an_absolute_virtualenv_is_taken_as_it_is() -> None:
    environ = {"PULUMI_RUNTIME_VIRTUALENV": "/envs/flink"}

    assert dynamic_provider_python(environ, "/work")[0] == "/envs/flink/bin/python"


def test_without_settings_python3_is_looked_up_on_the_engines_path(tmp_path: Path) -> None:
    engine_bin = tmp_path / "engine-bin"
    activated = tmp_path / "plugin-venv"
    for folder in (engine_bin, activated / "bin"):
        folder.mkdir(parents=True)
        (folder / "python3").write_text("")
        (folder / "python3").chmod(0o755)
    environ = {
        "VIRTUAL_ENV": str(activated),
        "PATH": os.pathsep.join([str(activated / "bin"), str(engine_bin)]),
    }

    assert dynamic_provider_python(environ, "/work") == (
        str(engine_bin / "python3"),
        "python3 on PATH",
    )


def test_the_python_serving_the_package_can_run_its_providers() -> None:
    assert interpreter_problem(sys.executable) is None


def test_a_python_without_pulumi_flink_is_named(tmp_path: Path) -> None:
    assert interpreter_problem(_script(tmp_path, "exit 1")) == "cannot import pulumi_flink"


def test_a_python_with_another_version_is_named(tmp_path: Path) -> None:
    other = _script(tmp_path, "echo 0.0.1")

    assert interpreter_problem(other) == f"has pulumi-flink 0.0.1, not {version('pulumi-flink')}"


def test_a_python_that_does_not_exist_is_named(tmp_path: Path) -> None:
    assert (
        interpreter_problem(str(tmp_path / "missing"))
        == "cannot be started (No such file or directory)"
    )


def test_a_wrong_interpreter_fails_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_RUNTIME_VIRTUALENV", raising=False)
    monkeypatch.setenv("PULUMI_PYTHON_CMD", _script(tmp_path, "exit 1"))
    require_dynamic_provider_python.cache_clear()

    with pytest.raises(ProviderInterpreterError) as raised:
        require_dynamic_provider_python()
    require_dynamic_provider_python.cache_clear()

    assert raised.value.chosen_by == "PULUMI_PYTHON_CMD"
    assert "cannot import pulumi_flink; point the project's runtime option 'virtualenv'" in str(
        raised.value
    )
