"""Our Python language host runs plugins as the upstream host does.

The host is a script (``toolchain/pulumi-language-python``, no ``.py``); the
tests load it as a module and call its gRPC methods with a stand-in context.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import language_pb2

HOST_SCRIPT = Path(__file__).resolve().parents[2] / "toolchain" / "pulumi-language-python"


def _load_host() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("pulumi_language_python_host", str(HOST_SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


host = _load_host()


class AbortedError(Exception):
    pass


class FakeContext:
    """The part of grpc.ServicerContext the host uses."""

    def __init__(self) -> None:
        self.callbacks: list[Any] = []

    def add_callback(self, callback: Any) -> None:
        self.callbacks.append(callback)

    def abort(self, code: Any, details: str) -> None:
        raise AbortedError(f"{code.name}: {details}")


def _info(root: Path, **options: Any) -> language_pb2.ProgramInfo:
    struct = struct_pb2.Struct()
    struct.update(options)
    return language_pb2.ProgramInfo(
        root_directory=str(root), program_directory=str(root), entry_point=".", options=struct
    )


def _plugin(tmp_path: Path, main: str, virtualenv: str = "venv") -> Path:
    """A plugin folder whose virtualenv's python is the interpreter running the tests."""
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "__main__.py").write_text(main)
    bin_dir = (plugin / virtualenv / "bin").resolve()
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    return plugin


def _run_plugin(request: language_pb2.RunPluginRequest) -> tuple[bytes, bytes, int]:
    stdout, stderr, exit_code = b"", b"", 0
    for response in host.PythonLanguageHost("").RunPlugin(request, FakeContext()):
        stdout += response.stdout
        stderr += response.stderr
        exit_code = response.exitcode or exit_code
    return stdout, stderr, exit_code


def test_plugins_run_in_the_virtualenv_of_the_plugin_folder_by_default(tmp_path: Path) -> None:
    environment = host.PluginEnvironment(_info(tmp_path))

    assert environment.python == str(tmp_path / "venv" / "bin" / "python")


def test_the_virtualenv_option_is_relative_to_the_plugin_folder(tmp_path: Path) -> None:
    environment = host.PluginEnvironment(_info(tmp_path / "plugin", virtualenv="../.venv"))

    assert environment.virtualenv == str(tmp_path / ".venv")


def test_a_virtualenv_option_that_is_not_a_string_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'virtualenv' runtime option must be a string"):
        host.PluginEnvironment(_info(tmp_path, virtualenv=1))


def test_run_plugin_streams_stdout_and_stderr_with_the_requests_directory_and_environment(
    tmp_path: Path,
) -> None:
    plugin = _plugin(
        tmp_path,
        "import os, sys\n"
        "print('port 1234', flush=True)\n"
        "print('cwd', os.getcwd(), 'args', sys.argv[1:], 'env', os.environ['FROM_ENGINE'])\n"
        "print('venv', os.environ['VIRTUAL_ENV'], file=sys.stderr)\n",
    )
    workdir = tmp_path / "project"
    workdir.mkdir()

    stdout, stderr, exit_code = _run_plugin(
        language_pb2.RunPluginRequest(
            pwd=str(workdir),
            args=["127.0.0.1:5000"],
            env=["FROM_ENGINE=yes"],
            info=_info(plugin),
        )
    )

    assert stdout.decode().splitlines() == [
        "port 1234",
        f"cwd {workdir} args ['127.0.0.1:5000'] env yes",
    ]
    assert stderr.decode() == f"venv {plugin / 'venv'}\n"
    assert exit_code == 0


def test_run_plugin_reports_the_plugins_exit_code(tmp_path: Path) -> None:
    plugin = _plugin(tmp_path, "raise SystemExit(3)\n")

    _, _, exit_code = _run_plugin(language_pb2.RunPluginRequest(info=_info(plugin)))

    assert exit_code == 3


def test_run_plugin_without_a_virtualenv_says_how_to_make_one(tmp_path: Path) -> None:
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "__main__.py").write_text("")

    with pytest.raises(AbortedError, match=r"FAILED_PRECONDITION: .*venv has no bin/python"):
        _run_plugin(language_pb2.RunPluginRequest(info=_info(plugin)))


def test_the_engine_ending_the_call_terminates_the_plugin(tmp_path: Path) -> None:
    plugin = _plugin(tmp_path, "import sys, time\nprint('ready', flush=True)\ntime.sleep(600)\n")
    context = FakeContext()
    responses = host.PythonLanguageHost("").RunPlugin(
        language_pb2.RunPluginRequest(info=_info(plugin)), context
    )

    first_line = b""
    while not first_line.endswith(b"\n"):
        first_line += next(responses).stdout
    assert first_line == b"ready\n"
    for callback in context.callbacks:
        callback()
    assert [response.exitcode for response in responses] == [-15]


def test_installing_a_plugin_with_a_virtualenv_and_no_requirements_runs_nothing(
    tmp_path: Path,
) -> None:
    plugin = _plugin(tmp_path, "")

    assert host.PluginEnvironment(_info(plugin)).install_steps() == []


def test_installing_a_plugin_creates_its_virtualenv_then_installs_package_and_requirements(
    tmp_path: Path,
) -> None:
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "pyproject.toml").write_text('[build-system]\nrequires = ["setuptools"]\n')
    (plugin / "requirements.txt").write_text("pulumi\n")
    python = str(plugin / "venv" / "bin" / "python")

    steps = host.PluginEnvironment(_info(plugin)).install_steps()

    assert steps == [
        ("creating virtual environment", [host._python(), "-m", "venv", str(plugin / "venv")]),
        ("installing package", [python, "-m", "pip", "install", str(plugin)]),
        ("installing dependencies", [python, "-m", "pip", "install", "-r", "requirements.txt"]),
    ]


def test_install_dependencies_streams_what_it_does_for_a_plugin(tmp_path: Path) -> None:
    plugin = _plugin(tmp_path, "")
    request = language_pb2.InstallDependenciesRequest(info=_info(plugin), is_plugin=True)

    output = b"".join(
        response.stdout
        for response in host.PythonLanguageHost("").InstallDependencies(request, FakeContext())
    )

    assert output == b"Installing dependencies...\n\nFinished installing dependencies\n\n"


def test_install_dependencies_of_a_program_does_nothing(tmp_path: Path) -> None:
    request = language_pb2.InstallDependenciesRequest(info=_info(tmp_path))

    assert list(host.PythonLanguageHost("").InstallDependencies(request, FakeContext())) == []
