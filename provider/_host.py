"""Our errors reach ``pulumi`` as one message, not as the dynamic-provider host's traceback.

The Pulumi SDK's dynamic-provider host (``pulumi/dynamic/__main__.py``, run
as the provider process) wraps every provider call in
``_abort_with_traceback``, which ends the RPC with ``traceback.format_exc()``:
a user who points a Deployment at a target that another stack still uses sees
a Python traceback before ``TargetInUseError``. The SDK offers no hook for
this (``check`` failures are the only structured errors), so the host's
``traceback`` global is replaced, in that process only, by a stand-in whose
``format_exc`` gives ``TypeName: message`` for a :class:`PulumiFlinkError`
(every documented input or state error) and the full traceback for anything
else, so a bug is still debuggable. :func:`install_in_host` does this when
the module that runs is the host; in a Pulumi program it changes nothing.
``tests/unit/test_provider_host.py`` runs the SDK's own decorator, read from
the installed SDK, against it, so an SDK change that breaks this fails there.
"""

from __future__ import annotations

import sys
import traceback
from types import ModuleType
from typing import Any

from pulumi_flink.errors import PulumiFlinkError

HOST_MODULES = ("__main__", "pulumi.dynamic.__main__")
"""Where the dynamic-provider host may be found in ``sys.modules``."""


class MessageOnlyTraceback:
    """The ``traceback`` module, but ``format_exc`` shows our errors as their message."""

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    @staticmethod
    def format_exc(limit: int | None = None, chain: bool = True) -> str:
        """``TypeName: message`` for a :class:`PulumiFlinkError`, else the usual traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, PulumiFlinkError):
            return f"{type(error).__name__}: {error}"
        return traceback.format_exc(limit=limit, chain=chain)


def install_in(module: ModuleType) -> bool:
    """Give ``module``'s ``_abort_with_traceback`` the message-only traceback, if it has one."""
    if not callable(getattr(module, "_abort_with_traceback", None)):
        return False
    module.traceback = MessageOnlyTraceback()  # type: ignore[attr-defined]
    return True


def install_in_host() -> bool:
    """Install in the dynamic-provider host when this process is one; else do nothing."""
    modules = [sys.modules.get(name) for name in HOST_MODULES]
    return any([install_in(module) for module in modules if module is not None])
