"""Test-only: the dynamic-provider host loses the answer to one write to the API server.

``tests/e2e/test_faults.py`` puts this folder on ``PYTHONPATH`` and describes
the fault in ``PULUMI_FLINK_E2E_FAULT`` (JSON): after the first
``lightkube.Client.<verb>`` whose result is the registry record of
``record`` has *committed*, the provider host either dies (``then: exit``,
as if killed) or raises the transport error of a connection dropped before
the answer (``then: disconnect``). ``marker`` is created when the fault
fires, so it fires once per test and the test can check that it did. This
makes the "write committed, answer lost" window deterministic, where a kill
or an API-server stop timed by a watch only sometimes lands in it.

Only the dynamic-provider host (``python -m pulumi.dynamic``) is touched;
every other Python process the engine starts (the program, the language
host) runs unchanged.
"""

from __future__ import annotations

import json
import os
from typing import Any


def _is_dynamic_provider_host() -> bool:
    try:
        with open("/proc/self/cmdline", "rb") as cmdline:
            return b"pulumi.dynamic" in cmdline.read().split(b"\0")
    except OSError:
        return False


def _install(fault: dict[str, str]) -> None:
    import httpx2
    from lightkube import Client

    real = getattr(Client, fault["verb"])

    def losing_the_answer(self: Client, obj: Any, *args: Any, **kwargs: Any) -> Any:
        result = real(self, obj, *args, **kwargs)
        record = (getattr(result, "data", None) or {}).get("name")
        if record == fault["record"] and not os.path.exists(fault["marker"]):
            with open(fault["marker"], "w"):
                pass
            if fault["then"] == "exit":
                os._exit(137)
            raise httpx2.RemoteProtocolError("Server disconnected without sending a response.")
        return result

    setattr(Client, fault["verb"], losing_the_answer)


if os.environ.get("PULUMI_FLINK_E2E_FAULT") and _is_dynamic_provider_host():
    _install(json.loads(os.environ["PULUMI_FLINK_E2E_FAULT"]))
