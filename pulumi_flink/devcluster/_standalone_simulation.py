"""Flink's REST API of the standalone JobManagers kwok fakes: a simulation.

Without ``--real-flink`` no Flink process runs: kwok marks the standalone
engine's pods Running, and nothing answers at their pod IPs. The providers
stop a stateful standalone job with a savepoint through Flink's REST API
(:mod:`pulumi_flink.provider._standalone`), reached through the API
server's service proxy. So that a ``destroy`` works on this cluster too (as
the simulated operator's savepoints do for the operator engine), the
``flink-operator-simulation`` process serves the API server's "cluster"
egress (:mod:`._egress`): a ``CONNECT`` to a faked JobManager pod's REST port
goes to a small HTTP server of that pod, which answers the three calls the
providers make, documented as a simulation:

* ``GET /jobs/overview``: one job, :data:`JOB_ID`, RUNNING until stopped,
  then FINISHED;
* ``POST /jobs/<id>/stop``: a trigger id; the job is FINISHED;
* ``GET /jobs/<id>/savepoints/<trigger>``: COMPLETED, with a path under the
  ``state.savepoints.dir`` of the pod's configuration
  (``<dir>/savepoint-000000-<12 hex digits>``, as Flink names them).

Any other address is dialled as it is.
"""

from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lightkube import Client
from lightkube.resources.core_v1 import ConfigMap, Pod

from ..render.standalone import REST_PORT_NAME, rendered_configuration
from ._ports import LOOPBACK

__all__ = ["JOB_ID", "SimulatedJobManagers", "SimulatedRestApi"]

JOB_ID = "00000000000000000000000000000000"
"""The job id of every simulated job (standalone jobs run with a fixed id)."""
_JOBMANAGERS: dict[str, Any] = {
    "app.kubernetes.io/managed-by": "pulumi-flink",
    "app.kubernetes.io/component": "jobmanager",
}


class SimulatedRestApi:
    """One faked JobManager's REST API, on a loopback port (see the module docstring)."""

    def __init__(self, savepoints_dir: str) -> None:
        self.savepoints_dir = savepoints_dir.rstrip("/")
        self.state = "RUNNING"
        self.savepoints: dict[str, str] = {}
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/jobs/overview":
                    job = {"jid": JOB_ID, "name": "simulated", "state": api.state}
                    self._answer(200, {"jobs": [job]})
                    return
                trigger = self.path.removeprefix(f"/jobs/{JOB_ID}/savepoints/")
                if trigger in api.savepoints:
                    operation = {"location": api.savepoints[trigger]}
                    self._answer(200, {"status": {"id": "COMPLETED"}, "operation": operation})
                    return
                self._answer(404, {"errors": ["Not found: " + self.path]})

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != f"/jobs/{JOB_ID}/stop" or api.state != "RUNNING":
                    self._answer(404, {"errors": ["Not found: " + self.path]})
                    return
                trigger = secrets.token_hex(16)
                path = f"{api.savepoints_dir}/savepoint-{JOB_ID[:6]}-{secrets.token_hex(6)}"
                api.savepoints[trigger] = path
                api.state = "FINISHED"
                self._answer(202, {"request-id": trigger})

            def _answer(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop answering."""
        self._server.shutdown()
        self._server.server_close()


class SimulatedJobManagers:
    """The egress route to the simulated REST API of each faked standalone JobManager pod."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.apis: dict[str, SimulatedRestApi] = {}
        self._lock = threading.Lock()

    def route(self, host: str, port: int) -> int | None:
        """The loopback port of the REST API of the JobManager pod at ``host:port``, if any."""
        for pod in self.client.list(Pod, namespace="*", labels=_JOBMANAGERS):
            doc = pod.to_dict()
            if (doc.get("status") or {}).get("podIP") != host or _rest_port(doc) != port:
                continue
            uid = doc["metadata"]["uid"]
            with self._lock:
                if uid not in self.apis:
                    self.apis[uid] = SimulatedRestApi(self._savepoints_dir(doc))
                return self.apis[uid].port
        return None

    def _savepoints_dir(self, pod: dict[str, Any]) -> str:
        names = [
            volume["configMap"]["name"]
            for volume in pod["spec"].get("volumes") or []
            if "configMap" in volume
        ]
        for name in names:
            config_map = self.client.get(ConfigMap, name, namespace=pod["metadata"]["namespace"])
            configuration = rendered_configuration({"data": config_map.data or {}})
            if "state.savepoints.dir" in configuration:
                return configuration["state.savepoints.dir"]
        return "simulated:///savepoints"


def _rest_port(pod: dict[str, Any]) -> int | None:
    for container in pod["spec"]["containers"]:
        for port in container.get("ports") or []:
            if port.get("name") == REST_PORT_NAME:
                return int(port["containerPort"])
    return None
