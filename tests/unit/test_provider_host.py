"""Our errors leave the dynamic-provider host as one message (issue 11, item 13).

The host's ``_abort_with_traceback`` is read from the installed Pulumi SDK
and run here, so a change of the SDK that breaks the delivery fails this test.
"""

from __future__ import annotations

import ast
import importlib.util
import traceback
import types
from pathlib import Path
from typing import Any

import grpc
import pytest

from pulumi_flink.provider._host import MessageOnlyTraceback, install_in
from pulumi_flink.registry.errors import TargetInUseError, TargetLookupError


class _AbortedError(Exception):
    pass


class _Context:
    def __init__(self) -> None:
        self.details: str | None = None

    def abort(self, code: grpc.StatusCode, details: str) -> None:
        self.details = details
        raise _AbortedError


def _sdk_host() -> types.ModuleType:
    """A module holding the SDK's own ``_abort_with_traceback`` (the host itself runs a server
    when imported, so only that function is taken from its source)."""
    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text())
    [decorator] = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "_abort_with_traceback"
    ]
    module = types.ModuleType("host")
    module.__dict__.update({"grpc": grpc, "traceback": traceback})
    exec(compile(ast.Module([decorator], []), spec.origin, "exec"), module.__dict__)
    return module


def _abort_details(host: types.ModuleType, error: Exception) -> str:
    def operation(_self: Any, _request: Any, _context: Any) -> None:
        raise error

    context = _Context()
    with pytest.raises(_AbortedError):
        host._abort_with_traceback(operation)(None, None, context)
    assert context.details is not None
    return context.details


def test_the_sdk_sends_a_traceback_without_the_stand_in() -> None:
    details = _abort_details(_sdk_host(), TargetLookupError("prod", "pulumi-flink", None))
    assert details.startswith("Traceback (most recent call last)")


def test_our_error_is_sent_as_its_message_only() -> None:
    host = _sdk_host()
    assert install_in(host)
    error = TargetInUseError.__new__(TargetInUseError)
    ValueError.__init__(error, "DeploymentTarget 'prod' is still used by 'app/dev'")
    assert _abort_details(host, error) == (
        "TargetInUseError: DeploymentTarget 'prod' is still used by 'app/dev'"
    )


def test_a_missing_target_is_one_line_naming_it_and_the_registry() -> None:
    host = _sdk_host()
    install_in(host)
    details = _abort_details(host, TargetLookupError("no-such-target", "pulumi-flink", "dev"))
    assert "\n" not in details
    assert "'no-such-target'" in details
    assert "namespace 'pulumi-flink'" in details


def test_any_other_exception_keeps_its_traceback_for_debugging() -> None:
    host = _sdk_host()
    install_in(host)
    details = _abort_details(host, KeyError("target_id"))
    assert details.startswith("Traceback (most recent call last)")
    assert "KeyError: 'target_id'" in details


def test_a_program_is_not_touched() -> None:
    assert not install_in(types.ModuleType("__main__"))


def test_the_stand_in_is_the_traceback_module_otherwise() -> None:
    assert MessageOnlyTraceback().format_list is traceback.format_list
