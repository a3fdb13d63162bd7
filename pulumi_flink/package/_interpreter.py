"""Which Python runs our dynamic providers when the program is not Python.

A DeploymentTarget (and a stack's TargetBinding) is a Pulumi *dynamic*
resource: the engine pickles its provider and runs it in a process of its
own, started by ``pulumi-resource-pulumi-python``, which picks the
interpreter from the environment the engine gives every provider plugin:

1. ``PULUMI_RUNTIME_VIRTUALENV`` — the project's runtime option
   ``virtualenv`` (relative to the project directory): its ``bin/python``;
2. else ``PULUMI_PYTHON_CMD``;
3. else ``python3`` on ``PATH``.

A Python program names its virtualenv; a YAML, TypeScript or Go program
does not, and an interpreter without pulumi-flink (or with another version)
cannot unpickle the provider. The package process receives the same
environment and runs in the project directory, so before the first dynamic
resource it resolves the interpreter the same way and checks that it
imports the same pulumi-flink as the package itself: a wrong setting fails
``preview`` with the fix, instead of a provider that cannot start.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from importlib.metadata import version

from pulumi_flink.errors import ProviderInterpreterError

DISTRIBUTION = "pulumi-flink"
_PROBE = (
    f"import importlib.metadata, pulumi_flink; print(importlib.metadata.version({DISTRIBUTION!r}))"
)


def dynamic_provider_python(environ: Mapping[str, str], cwd: str) -> tuple[str, str]:
    """The interpreter of the dynamic providers, and the setting that chose it.

    ``environ`` is this process's environment: the engine's, plus the
    virtualenv the language host activated for the package itself, which the
    dynamic providers do not get (its ``bin`` is left out of ``PATH``).

    >>> dynamic_provider_python({"PULUMI_RUNTIME_VIRTUALENV": "venv/"}, "/p")
    ('/p/venv/bin/python', 'PULUMI_RUNTIME_VIRTUALENV')
    >>> dynamic_provider_python({"PULUMI_PYTHON_CMD": "/opt/py"}, "/p")
    ('/opt/py', 'PULUMI_PYTHON_CMD')
    """
    virtualenv = environ.get("PULUMI_RUNTIME_VIRTUALENV")
    if virtualenv:
        root = os.path.join(cwd, virtualenv.rstrip("/"))
        return os.path.join(os.path.normpath(root), "bin", "python"), "PULUMI_RUNTIME_VIRTUALENV"
    if environ.get("PULUMI_PYTHON_CMD"):
        return environ["PULUMI_PYTHON_CMD"], "PULUMI_PYTHON_CMD"
    activated = environ.get("VIRTUAL_ENV")
    path = os.pathsep.join(
        entry
        for entry in environ.get("PATH", "").split(os.pathsep)
        if not activated or os.path.normpath(entry) != os.path.join(activated, "bin")
    )
    return shutil.which("python3", path=path) or "python3", "python3 on PATH"


def interpreter_problem(python: str) -> str | None:
    """Why ``python`` cannot run our pickled providers, or ``None`` when it can."""
    if os.path.abspath(python) == os.path.abspath(sys.executable):
        return None
    ours = version(DISTRIBUTION)
    try:
        probe = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError as error:
        return f"cannot be started ({error.strerror})"
    if probe.returncode != 0:
        return "cannot import pulumi_flink"
    theirs = probe.stdout.strip()
    return None if theirs == ours else f"has pulumi-flink {theirs}, not {ours}"


@functools.cache
def require_dynamic_provider_python() -> None:
    """Fail with the fix unless the dynamic providers can run; checked once per process.

    Raises
    ------
    ProviderInterpreterError
        When the interpreter the engine would start lacks our version of
        pulumi-flink.
    """
    python, chosen_by = dynamic_provider_python(os.environ, os.getcwd())
    problem = interpreter_problem(python)
    if problem is not None:
        raise ProviderInterpreterError(python, chosen_by, problem)
