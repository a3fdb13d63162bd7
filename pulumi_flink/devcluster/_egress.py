"""The API server's "cluster" egress of the dev cluster: an HTTP CONNECT proxy.

The API server's proxy subresources (``services/<svc>:<port>/proxy``,
``pods/.../proxy``) and its kubelet calls dial through it
(``--egress-selector-config-file``, as konnectivity does in a real
cluster). It lets the API server reach pods that are not at their pod IP:
the real-Flink runner's JVMs (on loopback ports; the API server refuses
loopback addresses in Endpoints) and the simulated JobManagers' REST API
(:mod:`._standalone_simulation`). Whoever serves it says where a
``CONNECT <pod IP>:<port>`` goes (``route``); any other address is dialled
as it is.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._ports import LOOPBACK

__all__ = ["EgressProxy", "connect_target", "egress_selector_configuration", "serve", "splice"]


def pump(source: socket.socket, sink: socket.socket) -> None:
    """Copy ``source`` to ``sink`` until either side closes, then close both."""
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    for sock in (source, sink):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


def splice(client: socket.socket, upstream: socket.socket) -> None:
    """Copy both ways between ``client`` and ``upstream`` (a thread each) until either closes."""
    for source, sink in ((client, upstream), (upstream, client)):
        threading.Thread(target=pump, args=(source, sink), daemon=True).start()


def serve(server: socket.socket, handle: Callable[[socket.socket], None]) -> None:
    """Accept on ``server`` in a thread until it closes, each connection handled in its own."""

    def accept() -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(client,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()


_MAX_CONNECT_HEAD = 8192


class EgressProxy:
    """An HTTP CONNECT proxy on a Unix socket (the module docstring says what for).

    ``route(host, port)`` gives the loopback port a ``CONNECT host:port``
    goes to, or ``None`` to dial ``host:port`` itself.
    """

    def __init__(self, path: Path, route: Callable[[str, int], int | None]) -> None:
        self.route = route
        path.unlink(missing_ok=True)
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(path))
        self._server.listen()
        serve(self._server, self._tunnel)

    def _tunnel(self, client: socket.socket) -> None:
        head = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in head and len(head) < _MAX_CONNECT_HEAD:
                chunk = client.recv(4096)
                if not chunk:
                    break
                head += chunk
        target = connect_target(head)
        upstream = None
        if target is not None:
            host, port = target
            local = self.route(host, port)
            address = (LOOPBACK, local) if local is not None else (host, port)
            with contextlib.suppress(OSError):
                upstream = socket.create_connection(address, timeout=5)
        if upstream is None:
            with contextlib.suppress(OSError):
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            client.close()
            return
        upstream.settimeout(None)
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        splice(client, upstream)

    def close(self) -> None:
        self._server.close()


def connect_target(head: bytes) -> tuple[str, int] | None:
    r"""The ``host`` and ``port`` of an HTTP CONNECT request's head, if it is one.

    >>> connect_target(b"CONNECT 10.254.0.1:8081 HTTP/1.1\r\nHost: 10.254.0.1:8081\r\n\r\n")
    ('10.254.0.1', 8081)
    >>> connect_target(b"GET / HTTP/1.1\r\n\r\n") is None
    True
    """
    line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
    if len(line) != 3 or line[0] != "CONNECT":
        return None
    host, _, port = line[1].rpartition(":")
    if not port.isdigit():
        return None
    return host.strip("[]"), int(port)


def egress_selector_configuration(socket_path: Path) -> dict[str, Any]:
    """The API server's ``EgressSelectorConfiguration``: "cluster" through :class:`EgressProxy`.

    A Unix socket: the API server's TCP transport insists on TLS.
    """
    return {
        "apiVersion": "apiserver.k8s.io/v1beta1",
        "kind": "EgressSelectorConfiguration",
        "egressSelections": [
            {
                "name": "cluster",
                "connection": {
                    "proxyProtocol": "HTTPConnect",
                    "transport": {"uds": {"udsName": str(socket_path)}},
                },
            }
        ],
    }
