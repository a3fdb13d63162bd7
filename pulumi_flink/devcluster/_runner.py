"""The real-Flink process runner: the dev cluster's kubelet for Flink pods.

With ``DevCluster(real_flink=True)`` (``dev-cluster up --real-flink``) the
pods of standalone Flink workloads are not faked by kwok but run for real,
as local JVMs. The decisions, in one place:

* **Which pods.** Pods labelled ``app.kubernetes.io/managed-by:
  pulumi-flink`` with ``app.kubernetes.io/component`` ``jobmanager`` or
  ``taskmanager`` (:data:`REAL_COMPONENTS`), once the scheduler has bound
  them to a node. kwok's pod stages get a selector that skips exactly these
  pods (:func:`kwok_skips_real_pods`), so their status has one writer.
* **Who writes pod status.** The runner, like a kubelet: ``Running`` with a
  running container while the JVM lives, ``Ready`` when its exec readiness
  probe passes (the JobManager's: its job is RUNNING), or, without a probe,
  once every declared container port accepts connections, the exit code
  under ``lastState.terminated`` and a restart with back-off (10 s,
  doubling to 5 min) when it dies, as ``restartPolicy: Always`` does. A pod
  being deleted gets SIGTERM, up to its grace period, then SIGKILL; then
  the runner deletes it, as the kubelet does. kwok stages were the other
  option; they cannot follow a process.
* **What runs.** First the pod's init containers, one after the other, as
  local processes: their command and args (paths under a volume's mount
  path pointed at the volume's directory), their environment resolved as
  the kubelet does (``secretKeyRef``/``configMapKeyRef`` with the cluster's
  bytes, ``$(VAR)`` expanded); one that exits non-zero leaves the pod
  Pending with its exit code in ``initContainerStatuses`` and is retried
  with the back-off below. Then the container's args through the
  image-equivalent entrypoint of :mod:`pulumi_flink.devcluster._flink`, from
  a per-pod ``/opt/flink`` (real ``lib/`` of links, the image's ``usrlib/``),
  with configMap and secret volumes as read-only directories holding the
  same bytes (the Flink configuration among them) and emptyDir volumes as
  directories shared by the pod's containers (so the configuration an init
  container renders from a Secret is the one Flink reads); other volume
  kinds fail the pod with a reason.
* **Network.** Every container port gets a free loopback port; every
  Service port gets a loopback TCP proxy (a userspace kube-proxy) to a
  ready pod its selector matches (or a listening one, with
  ``publishNotReadyAddresses``). Probes see the container's port variable
  :data:`REST_PORT_ENV` at the local port. Flink learns the local addresses as
  ``-D`` properties: the JobManager binds its own ports and advertises the
  Service proxy as its RPC address (``jobmanager.rpc.bind-port``), a
  TaskManager's ``jobmanager.rpc.address`` naming a Service resolves to that
  Service's proxy. A TaskManager starts once that Service has a ready
  backend (it would otherwise retry only every 10 s). Each pod gets a pod
  IP of its own (:func:`pod_ip`), so the Endpoints the endpoints controller
  derives are valid (the API server refuses loopback ones), and the API
  server reaches them through the runner's :class:`EgressProxy`, its
  "cluster" egress: the API server's service proxy works as in a real
  cluster (how the providers reach Flink's REST API).
* **Kubernetes HA.** When the configuration enables it, the process gets a
  kubeconfig with a token of the pod's ServiceAccount (TokenRequest), so
  Flink's HA talks to the dev cluster's API server with exactly the RBAC we
  render.

The runner is a separate process (``python -m
pulumi_flink.devcluster._runner``) recorded like the other components, so a
cluster started by ``dev-cluster up`` keeps it; its JVMs die with it.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from lightkube import Client, KubeConfig
from lightkube.core.exceptions import ApiError
from lightkube.models.authentication_v1 import TokenRequestSpec
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap, Pod, Secret, Service, ServiceAccount
from lightkube.types import PatchType

from ..render.standalone import REST_PORT_ENV
from ._egress import EgressProxy, serve, splice
from ._flink import (
    FlinkDistributions,
    FlinkImage,
    FlinkImageError,
    flink_command,
    read_flink_configuration,
)
from ._ports import LOOPBACK, free_loopback_ports
from ._process import _die_with_parent
from ._reconcile_loop import ReconcileLoop

__all__ = [
    "REAL_COMPONENTS",
    "FlinkProcessRunner",
    "kwok_skips_real_pods",
    "service_endpoints",
]

MANAGED_BY = ("app.kubernetes.io/managed-by", "pulumi-flink")
COMPONENT_LABEL = "app.kubernetes.io/component"
#: Values of :data:`COMPONENT_LABEL` whose pods the runner runs for real.
REAL_COMPONENTS = ("jobmanager", "taskmanager")
_FIELD_MANAGER = "pulumi-flink-flink-runner"
_TICK_SECONDS = 0.5
_BACKOFF_SECONDS = (10, 20, 40, 80, 160, 300)
_SERVICES_FILE = "services.json"
_FLINK_CONF = "/opt/flink/conf"
_FLINK_HOME = "/opt/flink"


def kwok_skips_real_pods(stage: dict[str, Any]) -> dict[str, Any]:
    """``stage`` (a kwok Pod Stage) with a selector that skips the runner's pods."""
    selector = dict(stage["spec"].get("selector") or {})
    expressions = list(selector.get("matchExpressions") or [])
    key, value = MANAGED_BY
    expressions.append(
        {
            # jq: null + "/" + null is "/", so pods without the labels still match.
            "key": f'.metadata.labels["{key}"] + "/" + .metadata.labels["{COMPONENT_LABEL}"]',
            "operator": "NotIn",
            "values": [f"{value}/{component}" for component in REAL_COMPONENTS],
        }
    )
    selector["matchExpressions"] = expressions
    return {**stage, "spec": {**stage["spec"], "selector": selector}}


Doc = dict[str, Any]


def _key(obj: Doc) -> str:
    return f"{obj['metadata']['namespace']}/{obj['metadata']['name']}"


def _container(pod: Doc) -> Doc:
    container: Doc = pod["spec"]["containers"][0]
    return container


def is_real_pod(pod: Doc) -> bool:
    """Whether the runner runs ``pod`` (see the module docstring)."""
    labels = pod.get("metadata", {}).get("labels") or {}
    key, value = MANAGED_BY
    return labels.get(key) == value and labels.get(COMPONENT_LABEL) in REAL_COMPONENTS


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((LOOPBACK, port)) == 0


# --- Services: a userspace kube-proxy on loopback -----------------------------------------


class ServiceProxy:
    """One Service port: a loopback listener forwarding to a ready backend."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.backends: list[int] = []
        self._server = socket.create_server((LOOPBACK, port))
        serve(self._server, self._forward)

    def _forward(self, client: socket.socket) -> None:
        backends = list(self.backends)
        if not backends:
            client.close()
            return
        try:
            upstream = socket.create_connection((LOOPBACK, backends[0]), timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        splice(client, upstream)

    def close(self) -> None:
        self._server.close()


def service_endpoints(state_dir: Path) -> dict[str, int]:
    """``"<namespace>/<service>:<port>"`` -> loopback port, as the runner publishes it."""
    path = state_dir / "real-flink" / _SERVICES_FILE
    try:
        endpoints: dict[str, int] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return endpoints


# --- Pods ---------------------------------------------------------------------------------


@dataclass
class RealPod:
    """One pod the runner owns: its directories, ports and process."""

    namespace: str
    name: str
    uid: str
    root: Path
    ip: str = ""
    ports: dict[int, int] = field(default_factory=dict)
    named_ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    started_at: str | None = None
    restarts: int = 0
    last_exit: dict[str, Any] | None = None
    next_start: float = 0.0
    ready: bool = False
    listening: bool = False
    probed_at: float = 0.0
    failure: str | None = None
    terminating_since: float | None = None
    waiting: str | None = None
    """Why the container cannot be created yet (a Secret or key it takes is missing)."""
    initialized: int = 0
    """How many of the pod's init containers have completed."""
    init_process: subprocess.Popen[bytes] | None = None
    init_restarts: int = 0
    init_exit: dict[str, Any] | None = None
    """How the last failed init container ended."""

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


class FlinkProcessRunner(ReconcileLoop):
    """Runs the real-Flink pods of a dev cluster (see the module docstring).

    Parameters
    ----------
    kubeconfig
        The admin kubeconfig of the dev cluster.
    state_dir
        The dev cluster's state dir; the runner works in ``real-flink/``.
    distributions
        The fetched Flink distributions.
    """

    def __init__(
        self,
        kubeconfig: Path,
        state_dir: Path,
        distributions: FlinkDistributions,
        egress_socket: Path | None = None,
    ) -> None:
        super().__init__("flink-runner", _TICK_SECONDS)
        self.egress_socket = egress_socket
        self._pod_count = 0
        self.kubeconfig = kubeconfig
        self.work_dir = state_dir / "real-flink"
        self.distributions = distributions
        self.client = Client(config=KubeConfig.from_file(kubeconfig), field_manager=_FIELD_MANAGER)
        self.pods: dict[str, RealPod] = {}
        self.proxies: dict[str, ServiceProxy] = {}

    # -- loop -----------------------------------------------------------------------------

    def run(self) -> None:
        """Reconcile every :data:`_TICK_SECONDS` until :meth:`stop`, then stop the JVMs."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        egress = EgressProxy(self.egress_socket, self._pod_port) if self.egress_socket else None
        super().run()
        if egress is not None:
            egress.close()
        for pod in list(self.pods.values()):
            self._kill(pod, grace=10)

    def _pod_port(self, ip: str, container_port: int) -> int | None:
        """The loopback port of ``container_port`` of the pod with ``ip`` (for the egress)."""
        for pod in list(self.pods.values()):
            if pod.ip == ip:
                return pod.ports.get(container_port)
        return None

    def reconcile(self) -> None:
        """One pass: services, pods, processes and their status."""
        pods = [
            p.to_dict() for p in self.client.list(Pod, namespace="*") if is_real_pod(p.to_dict())
        ]
        services = [s.to_dict() for s in self.client.list(Service, namespace="*")]
        # Services first: a JobManager advertises its Service's proxy, which
        # must exist before it starts.
        self._reconcile_services(services, pods)
        seen = set()
        for pod in pods:
            key = _key(pod)
            seen.add(key)
            self._reconcile_pod(pod)
        for key in set(self.pods) - seen:
            self._kill(self.pods.pop(key), grace=0)

    # -- services -------------------------------------------------------------------------

    def _reconcile_services(self, services: list[Doc], pods: list[Doc]) -> None:
        wanted: dict[str, list[int]] = {}
        for service in services:
            spec = service.get("spec") or {}
            selector: dict[str, str] = spec.get("selector") or {}
            if not selector or not spec.get("ports"):
                continue
            namespace = service["metadata"]["namespace"]
            backends = [
                self.pods[_key(p)]
                for p in pods
                if p["metadata"]["namespace"] == namespace
                and _key(p) in self.pods
                and selector.items() <= (p["metadata"].get("labels") or {}).items()
            ]
            for port in spec["ports"]:
                target = port.get("targetPort", port["port"])
                key = f"{_key(service)}:{port['port']}"
                unready_too = bool(spec.get("publishNotReadyAddresses"))
                wanted[key] = [
                    local
                    for pod in backends
                    if pod.ready or (unready_too and pod.listening)
                    for local in [self._container_port(pod, target)]
                    if local is not None
                ]
        for key in set(self.proxies) - set(wanted):
            self.proxies.pop(key).close()
        for key, ports in wanted.items():
            if key not in self.proxies:
                self.proxies[key] = ServiceProxy(free_loopback_ports(1)[0])
            self.proxies[key].backends = ports
        published = {key: proxy.port for key, proxy in sorted(self.proxies.items())}
        path = self.work_dir / _SERVICES_FILE
        text = json.dumps(published, indent=2) + "\n"
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)

    @staticmethod
    def _container_port(pod: RealPod, target: int | str) -> int | None:
        if isinstance(target, str) and not target.isdigit():
            return pod.named_ports.get(target)
        return pod.ports.get(int(target))

    # -- pods -----------------------------------------------------------------------------

    def _reconcile_pod(self, pod: Doc) -> None:
        key = _key(pod)
        real = self.pods.get(key)
        if real is not None and real.uid != pod["metadata"]["uid"]:
            self._kill(self.pods.pop(key), grace=0)
            real = None
        if pod["metadata"].get("deletionTimestamp") is not None:
            if real is not None:
                self._terminate(real, pod)
            else:
                self._delete(pod)
            return
        if not pod["spec"].get("nodeName"):
            return
        if real is None:
            real = self._prepare(pod)
            self.pods[key] = real
        if real.failure is None and not real.alive() and time.monotonic() >= real.next_start:
            if real.process is not None:
                self._record_exit(real)
            else:
                self._start(real, pod)
        if real.alive():
            real.listening = all(_accepts(port) for port in real.ports.values())
            real.ready = self._probe(real, pod)
        self._write_status(real, pod)

    def _probe(self, real: RealPod, pod: Doc) -> bool:
        """Readiness: the container's exec probe, else its ports accept connections.

        Other probe kinds count as passing once the ports accept connections.
        """
        probe = _container(pod).get("readinessProbe")
        if probe is None or "exec" not in probe or not real.listening:
            return real.listening
        if time.monotonic() - real.probed_at < probe.get("periodSeconds", 10):
            return real.ready
        real.probed_at = time.monotonic()
        env = {**os.environ, **_container_env(pod), **self._local_env(real, pod)}
        try:
            result = subprocess.run(
                probe["exec"]["command"],
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=probe.get("timeoutSeconds", 1),
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False
        return result.returncode == 0

    def _local_env(self, real: RealPod, pod: Doc) -> dict[str, str]:
        """The container's port variables, pointed at this pod's loopback ports."""
        env = _container_env(pod)
        if REST_PORT_ENV in env and env[REST_PORT_ENV].isdigit():
            local = real.ports.get(int(env[REST_PORT_ENV]))
            if local is not None:
                return {REST_PORT_ENV: str(local)}
        return {}

    def _prepare(self, pod: Doc) -> RealPod:
        metadata = pod["metadata"]
        root = self.work_dir / "pods" / metadata["namespace"] / metadata["name"]
        if root.exists():
            _make_writable(root)
            shutil.rmtree(root)
        real = RealPod(metadata["namespace"], metadata["name"], metadata["uid"], root)
        for port in _container(pod).get("ports") or []:
            local = free_loopback_ports(1)[0]
            real.ports[port["containerPort"]] = local
            if port.get("name"):
                real.named_ports[port["name"]] = local
        real.ip = pod_ip(self._pod_count)
        self._pod_count += 1
        return real

    def _record_exit(self, real: RealPod) -> None:
        assert real.process is not None
        code = real.process.returncode
        real.last_exit = {
            "exitCode": code,
            "reason": "Completed" if code == 0 else "Error",
            "startedAt": real.started_at,
            "finishedAt": _now(),
        }
        real.process = None
        real.ready = real.listening = False
        real.restarts += 1
        backoff = _BACKOFF_SECONDS[min(real.restarts - 1, len(_BACKOFF_SECONDS) - 1)]
        real.next_start = time.monotonic() + backoff
        print(f"flink-runner: {real.key} exited with {code}; restart in {backoff} s", flush=True)

    def _start(self, real: RealPod, pod: Doc) -> None:
        container = _container(pod)
        try:
            image = self.distributions.image(container["image"])
            home, conf_dir, mounts = self._filesystem(real, pod, image)
            if not self._initialize(real, pod, home):
                return  # an init container is running, or failed and backs off
            dynamic = self._dynamic_properties(real, pod, conf_dir, mounts)
            environment = self._environment(real.namespace, container)
        except ContainerConfigError as error:
            if real.waiting != str(error):
                print(f"flink-runner: {real.key} waits: {error}", flush=True)
            real.waiting = str(error)
            return
        except FlinkImageError as error:
            real.failure = str(error)
            print(f"flink-runner: {real.key} cannot run: {error}", flush=True)
            return
        real.waiting = None
        if dynamic is None:
            return  # the Service it needs has no ready backend yet
        env = {
            **os.environ,
            **environment,
            "FLINK_HOME": str(home),
            "FLINK_LIB_DIR": str(home / "lib"),
            "FLINK_OPT_DIR": str(home / "opt"),
            "FLINK_PLUGINS_DIR": str(home / "plugins"),
            "FLINK_BIN_DIR": str(home / "bin"),
            "FLINK_CONF_DIR": str(conf_dir),
            "HOSTNAME": real.name,
        }
        try:
            args = [image_paths(arg, home) for arg in container.get("args") or []]
            argv = flink_command(image, home, conf_dir, args, dynamic)
        except FlinkImageError as error:
            real.failure = str(error)
            print(f"flink-runner: {real.key} cannot run: {error}", flush=True)
            return
        log = real.root / "container.log"
        with open(log, "ab") as output:
            real.process = subprocess.Popen(
                argv,
                cwd=real.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent(os.getpid()),
            )
        real.started_at = _now()
        print(f"flink-runner: {real.key} started (pid {real.process.pid}), log {log}", flush=True)

    def _filesystem(
        self, real: RealPod, pod: Doc, image: FlinkImage
    ) -> tuple[Path, Path, dict[str, Path]]:
        """The pod's ``/opt/flink``, its conf dir and every other volume mount."""
        home = real.root / "opt-flink"
        if not home.exists():
            (home / "lib").mkdir(parents=True)
            (home / "usrlib").mkdir()
            for jar in sorted((image.home / "lib").glob("*.jar")):
                (home / "lib" / jar.name).symlink_to(jar)
            for jar in image.usrlib:
                (home / "usrlib" / jar.name).symlink_to(jar)
            for name in ("bin", "opt", "plugins"):
                (home / name).symlink_to(image.home / name)
            (real.root / "tmp").mkdir()
        mounts = self._mounts(real, pod, _container(pod))
        conf_dir = mounts.pop(_FLINK_CONF, None)
        if conf_dir is None:
            raise FlinkImageError(f"nothing is mounted at {_FLINK_CONF}")
        return home, conf_dir, mounts

    def _mounts(self, real: RealPod, pod: Doc, container: Doc) -> dict[str, Path]:
        """Each mount path of ``container`` -> its volume's directory (one per volume and pod)."""
        volumes = {volume["name"]: volume for volume in pod["spec"].get("volumes") or []}
        mounts: dict[str, Path] = {}
        for mount in container.get("volumeMounts") or []:
            volume = volumes.get(mount["name"])
            target = real.root / "volumes" / mount["name"]
            if volume is None:
                raise FlinkImageError(f"volumeMount {mount['name']!r} names no volume")
            if not target.exists():
                account = pod["spec"].get("serviceAccountName") or "default"
                self._fill_volume(real.namespace, account, volume, target)
            mounts[mount["mountPath"].rstrip("/")] = target
        return mounts

    # -- init containers and environment --------------------------------------------------

    def _initialize(self, real: RealPod, pod: Doc, home: Path) -> bool:
        """Advance the pod's init containers (one process at a time); True once all completed."""
        containers = pod["spec"].get("initContainers") or []
        while real.initialized < len(containers):
            container = containers[real.initialized]
            if real.init_process is None:
                if time.monotonic() < real.next_start:
                    return False
                real.init_process = self._launch(real, pod, container, home)
                return False
            code = real.init_process.poll()
            if code is None:
                return False
            real.init_process = None
            if code != 0:
                log = real.root / f"init-{container['name']}.log"
                real.init_exit = {
                    "exitCode": code,
                    "reason": "Error",
                    "message": _tail(log),
                    "finishedAt": _now(),
                }
                real.init_restarts += 1
                backoff = _BACKOFF_SECONDS[min(real.init_restarts - 1, len(_BACKOFF_SECONDS) - 1)]
                real.next_start = time.monotonic() + backoff
                print(
                    f"flink-runner: {real.key} init container {container['name']} exited with "
                    f"{code}; retry in {backoff} s, log {log}",
                    flush=True,
                )
                return False
            real.initialized += 1
            real.init_exit = None
        return True

    def _launch(
        self, real: RealPod, pod: Doc, container: Doc, home: Path
    ) -> subprocess.Popen[bytes]:
        """Start one init container: its command with the pod's volumes at their directories."""
        mounts = {**self._mounts(real, pod, container), _FLINK_HOME: home}
        environment = {
            name: rewrite_paths(value, mounts)
            for name, value in self._environment(real.namespace, container).items()
        }
        argv = [
            rewrite_paths(arg, mounts)
            for arg in [*(container.get("command") or []), *(container.get("args") or [])]
        ]
        if not argv:
            raise FlinkImageError(f"init container {container['name']!r} has no command")
        log = real.root / f"init-{container['name']}.log"
        with open(log, "wb") as output:
            return subprocess.Popen(
                argv,
                cwd=real.root,
                env={
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                    "HOME": str(real.root),
                    **environment,
                },
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent(os.getpid()),
            )

    def _environment(self, namespace: str, container: Doc) -> dict[str, str]:
        """A container's environment as the kubelet resolves it (:func:`resolve_environment`)."""
        return resolve_environment(container, partial(self._key_of, namespace))

    def _key_of(self, namespace: str, source: Doc) -> str | None:
        """The value of a ``secretKeyRef``/``configMapKeyRef``; ``None``: optional, absent."""
        kind, reference = next(iter(source.items()))
        resource: type[Secret] | type[ConfigMap] = Secret if kind == "secretKeyRef" else ConfigMap
        try:
            found = self.client.get(resource, reference["name"], namespace=namespace)
        except ApiError as error:
            if error.status.code != 404:
                raise
            data: dict[str, str] = {}
        else:
            data = found.data or {}
        if reference["key"] not in data:
            if reference.get("optional"):
                return None
            raise ContainerConfigError(
                f"{kind} {reference['name']}/{reference['key']} does not exist in {namespace}"
            )
        value = data[reference["key"]]
        return base64.b64decode(value).decode() if resource is Secret else value

    def _fill_volume(self, namespace: str, account: str, volume: Doc, target: Path) -> None:
        if "configMap" in volume:
            config_map = self.client.get(
                ConfigMap, volume["configMap"]["name"], namespace=namespace
            )
            target.mkdir(parents=True)
            for name, text in (config_map.data or {}).items():
                (target / name).write_text(text)
            _read_only(target)
        elif "secret" in volume:
            secret = self.client.get(Secret, volume["secret"]["secretName"], namespace=namespace)
            target.mkdir(parents=True)
            data = secret.data or {}
            items = volume["secret"].get("items") or [{"key": k, "path": k} for k in data]
            for item in items:
                (target / item["path"]).write_bytes(base64.b64decode(data[item["key"]]))
            _read_only(target)
        elif "emptyDir" in volume:
            target.mkdir(parents=True)
        elif "projected" in volume:
            target.mkdir(parents=True)
            for source in volume["projected"].get("sources") or []:
                self._project(namespace, account, source, target)
            _read_only(target)
        else:
            raise FlinkImageError(
                f"volume {volume['name']!r}: only configMap, secret, emptyDir and projected "
                "volumes run for real"
            )

    def _project(self, namespace: str, account: str, source: Doc, target: Path) -> None:
        """One source of a projected volume (the ServiceAccount token volume's kinds)."""
        if "serviceAccountToken" in source:
            token = self._token(namespace, account)
            (target / source["serviceAccountToken"]["path"]).write_text(token)
        elif "configMap" in source:
            config_map = self.client.get(
                ConfigMap, source["configMap"]["name"], namespace=namespace
            )
            data = config_map.data or {}
            items = source["configMap"].get("items") or [{"key": k, "path": k} for k in data]
            for item in items:
                (target / item["path"]).write_text(data[item["key"]])
        elif "downwardAPI" in source:
            for item in source["downwardAPI"].get("items") or []:
                if item.get("fieldRef", {}).get("fieldPath") != "metadata.namespace":
                    raise FlinkImageError(f"downwardAPI item {item['path']!r} is not supported")
                (target / item["path"]).write_text(namespace)
        else:
            raise FlinkImageError(f"projected volume source {sorted(source)} is not supported")

    def _dynamic_properties(
        self, real: RealPod, pod: Doc, conf_dir: Path, mounts: Mapping[str, Path]
    ) -> dict[str, str] | None:
        """Addresses, ports and paths of this machine, or ``None`` to wait for a Service."""
        configuration = read_flink_configuration(conf_dir)
        args = _container(pod).get("args") or []
        dynamic = {
            "io.tmp.dirs": str(real.root / "tmp"),
            # Where --jars are fetched to; /opt/flink/artifacts in the image.
            "user.artifacts.base-dir": str(real.root / "tmp" / "artifacts"),
        }
        if args and args[0] in ("standalone-job", "jobmanager"):
            rpc = int(configuration.get("jobmanager.rpc.port", "6123"))
            blob = int(configuration.get("blob.server.port", "6124"))
            rest = int(configuration.get("rest.port", "8081"))
            for port in (rpc, blob, rest):
                if port not in real.ports:
                    real.ports[port] = free_loopback_ports(1)[0]
            advertised = self._service_port_for(real, pod, rpc) or real.ports[rpc]
            dynamic.update(
                {
                    "jobmanager.rpc.address": LOOPBACK,
                    "jobmanager.bind-host": LOOPBACK,
                    "jobmanager.rpc.port": str(advertised),
                    "jobmanager.rpc.bind-port": str(real.ports[rpc]),
                    "blob.server.port": str(real.ports[blob]),
                    "rest.address": LOOPBACK,
                    "rest.bind-address": LOOPBACK,
                    "rest.port": str(real.ports[rest]),
                }
            )
        else:
            host = configuration.get("jobmanager.rpc.address", "")
            port = int(configuration.get("jobmanager.rpc.port", "6123"))
            proxy = self.proxies.get(_proxy_key(real.namespace, host, port))
            if proxy is None or not proxy.backends:
                return None
            rpc = int(configuration.get("taskmanager.rpc.port", "0") or 0)
            dynamic.update(
                {
                    "jobmanager.rpc.address": LOOPBACK,
                    "jobmanager.rpc.port": str(proxy.port),
                    "taskmanager.host": LOOPBACK,
                    "taskmanager.bind-host": LOOPBACK,
                    "taskmanager.rpc.port": str(real.ports.get(rpc, 0)),
                    "taskmanager.resource-id": real.name,
                }
            )
        for key, value in configuration.items():
            rewritten = rewrite_paths(value, mounts)
            if rewritten != value:
                dynamic[key] = rewritten
        if configuration.get("high-availability.type", configuration.get("high-availability")) in (
            "kubernetes",
            "KUBERNETES",
        ):
            dynamic["kubernetes.config.file"] = str(self._service_account_kubeconfig(real, pod))
        return dynamic

    def _service_port_for(self, real: RealPod, pod: Doc, container_port: int) -> int | None:
        """The proxy port of a Service whose port targets ``container_port`` of ``pod``."""
        labels = pod["metadata"].get("labels") or {}
        for service in self.client.list(Service, namespace=real.namespace):
            spec = service.to_dict().get("spec") or {}
            selector: dict[str, str] = spec.get("selector") or {}
            if not selector or not selector.items() <= labels.items():
                continue
            for port in spec.get("ports") or []:
                target = port.get("targetPort", port["port"])
                local = self._container_port(real, target)
                proxy = self.proxies.get(
                    f"{real.namespace}/{service.to_dict()['metadata']['name']}:{port['port']}"
                )
                if local == real.ports.get(container_port) and proxy is not None:
                    return proxy.port
        return None

    def _token(self, namespace: str, account: str) -> str:
        """A token of ``account`` (TokenRequest), as the kubelet projects one."""
        request = self.client.create(
            ServiceAccount.Token(
                metadata=ObjectMeta(name=account, namespace=namespace),
                spec=TokenRequestSpec(audiences=[], expirationSeconds=86400),
            ),
            account,
            namespace=namespace,
        )
        token: str = request.to_dict()["status"]["token"]
        return token

    def _service_account_kubeconfig(self, real: RealPod, pod: Doc) -> Path:
        account = pod["spec"].get("serviceAccountName") or "default"
        token = self._token(real.namespace, account)
        admin = yaml.safe_load(self.kubeconfig.read_text())
        cluster = admin["clusters"][0]["cluster"]
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "dev", "cluster": cluster}],
            "users": [{"name": account, "user": {"token": token}}],
            "contexts": [
                {
                    "name": "pod",
                    "context": {"cluster": "dev", "user": account, "namespace": real.namespace},
                }
            ],
            "current-context": "pod",
        }
        path = real.root / "serviceaccount-kubeconfig"
        path.write_text(yaml.safe_dump(config))
        return path

    # -- stopping -------------------------------------------------------------------------

    def _terminate(self, real: RealPod, pod: Doc) -> None:
        grace = pod["spec"].get("terminationGracePeriodSeconds")
        grace = 30 if grace is None else grace
        if real.alive():
            if real.terminating_since is None:
                real.terminating_since = time.monotonic()
                assert real.process is not None
                real.process.send_signal(signal.SIGTERM)
            elif time.monotonic() - real.terminating_since > grace:
                self._kill(real, grace=0)
            return
        self._kill(real, grace=0)  # an init container still running
        self.pods.pop(real.key, None)
        self._delete(pod)

    def _delete(self, pod: Doc) -> None:
        metadata = pod["metadata"]
        with contextlib.suppress(ApiError):
            self.client.delete(
                Pod, metadata["name"], namespace=metadata["namespace"], grace_period=0
            )

    @staticmethod
    def _kill(real: RealPod, grace: float) -> None:
        if real.init_process is not None and real.init_process.poll() is None:
            real.init_process.kill()
            real.init_process.wait()
        if real.process is None or real.process.poll() is not None:
            return
        real.process.send_signal(signal.SIGTERM)
        try:
            real.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            real.process.kill()
            real.process.wait()

    # -- status ---------------------------------------------------------------------------

    def _write_status(self, real: RealPod, pod: Doc) -> None:
        status = pod_status(real, pod)
        current = pod.get("status") or {}
        if all(current.get(key) == value for key, value in status.items()):
            return
        self.client.patch(
            Pod.Status,
            real.name,
            {"status": status},
            namespace=real.namespace,
            patch_type=PatchType.MERGE,
        )


class ContainerConfigError(FlinkImageError):
    """A container's environment names a Secret or ConfigMap key that does not exist (yet).

    The kubelet's ``CreateContainerConfigError``: the pod waits and is tried again.
    """


_EXPANSION = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def resolve_environment(container: Doc, key_of: Callable[[Doc], str | None]) -> dict[str, str]:
    """A container's ``env`` as the kubelet gives it to the process.

    ``valueFrom`` keys come from ``key_of`` (``None``: an optional key that
    is absent, so no variable; other sources such as ``fieldRef`` are left
    out); ``$(VAR)`` in a value is expanded with the
    variables defined before it, ``$$`` is a literal ``$``.

    >>> resolve_environment(
    ...     {"env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
    ...              {"name": "URL", "value": "u:$(P)@h $(NOPE) $$(P)"}]},
    ...     lambda source: "pw")
    {'P': 'pw', 'URL': 'u:pw@h $(NOPE) $(P)'}
    """
    resolved: dict[str, str] = {}
    for variable in container.get("env") or []:
        if "valueFrom" in variable:
            source = variable["valueFrom"]
            if not {"secretKeyRef", "configMapKeyRef"} & set(source):
                continue  # fieldRef, resourceFieldRef: nothing here reads them
            value = key_of(source)
            if value is not None:
                resolved[variable["name"]] = value
            continue
        resolved[variable["name"]] = _EXPANSION.sub(
            lambda match: "$" if match[0] == "$$" else resolved.get(match[1], match[0]),
            variable.get("value") or "",
        )
    return resolved


def _tail(log: Path, limit: int = 1024) -> str:
    """The end of a container's log, as the kubelet's termination message fallback."""
    try:
        return log.read_bytes()[-limit:].decode(errors="replace").strip()
    except OSError:
        return ""


def _container_env(pod: Doc) -> dict[str, str]:
    """The container's literal environment variables (``valueFrom`` ones are not run)."""
    return {e["name"]: e["value"] for e in _container(pod).get("env") or [] if "value" in e}


def pod_ip(index: int) -> str:
    """The pod IP of the runner's ``index``-th pod: 10.254.0.0/16, unique in the cluster.

    Not an address of this machine: the API server reaches it through the
    runner's :class:`EgressProxy` (its "cluster" egress), which knows which
    JVM port each pod IP and container port stand for.

    >>> pod_ip(0), pod_ip(253), pod_ip(254)
    ('10.254.0.1', '10.254.0.254', '10.254.1.1')
    """
    slot = index % (254 * 256)
    return f"10.254.{slot // 254}.{slot % 254 + 1}"


def _proxy_key(namespace: str, host: str, port: int) -> str:
    """The proxy of ``host:port`` seen from ``namespace``: ``<svc>`` or ``<svc>.<ns>[.svc...]``.

    >>> _proxy_key("jobs", "orders-jobmanager", 6123), _proxy_key("jobs", "a.other.svc", 1)
    ('jobs/orders-jobmanager:6123', 'other/a:1')
    """
    parts = host.split(".")
    if len(parts) > 1:
        namespace = parts[1]
    return f"{namespace}/{parts[0]}:{port}"


def image_paths(arg: str, home: Path) -> str:
    """A container arg with the image's ``/opt/flink`` URIs at the pod's local copy.

    >>> image_paths("--jars=local:///opt/flink/usrlib/a.jar,s3://b/c.jar", Path("/p"))
    '--jars=local:///p/usrlib/a.jar,s3://b/c.jar'
    """
    for scheme in ("local://", "file://"):
        arg = arg.replace(f"{scheme}{_FLINK_HOME}/", f"{scheme}{home}/")
    return arg


def rewrite_paths(value: str, mounts: Mapping[str, Path]) -> str:
    """``value`` with a path under a volume's mount path at the volume's local directory."""
    for mount_path, local in mounts.items():
        for prefix in (f"file://{mount_path}", mount_path):
            if value == prefix or value.startswith(prefix + "/"):
                scheme = "file://" if prefix.startswith("file://") else ""
                return scheme + str(local) + value[len(prefix) :]
    return value


def pod_status(real: RealPod, pod: Doc) -> Doc:
    """The status a kubelet would report for ``real``."""
    now = _now()
    container = _container(pod)
    state: Doc
    init_containers = pod["spec"].get("initContainers") or []
    initialized = real.initialized >= len(init_containers)
    if real.failure is not None:
        state = {"waiting": {"reason": "CreateContainerError", "message": real.failure}}
    elif real.waiting is not None:
        state = {"waiting": {"reason": "CreateContainerConfigError", "message": real.waiting}}
    elif not initialized:
        state = {"waiting": {"reason": "PodInitializing"}}
    elif real.alive():
        state = {"running": {"startedAt": real.started_at}}
    elif real.last_exit is not None:
        state = {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off restarting"}}
    else:
        state = {"waiting": {"reason": "ContainerCreating"}}
    container_status: Doc = {
        "name": container["name"],
        "image": container["image"],
        "imageID": "",
        "ready": real.ready,
        "started": real.alive(),
        "restartCount": real.restarts,
        "state": state,
    }
    if real.last_exit is not None:
        container_status["lastState"] = {"terminated": real.last_exit}
    status = pod.get("status") or {}
    previous = {c["type"]: c for c in status.get("conditions") or []}

    def condition(kind: str, value: bool) -> dict[str, str]:
        text = "True" if value else "False"
        old = previous.get(kind)
        if old is not None and old.get("status") == text:
            return {"type": kind, "status": text, "lastTransitionTime": old["lastTransitionTime"]}
        return {"type": kind, "status": text, "lastTransitionTime": now}

    result: Doc = {
        "phase": "Running" if real.alive() or real.last_exit is not None else "Pending",
        "hostIP": LOOPBACK,
        "podIP": real.ip,
        "podIPs": [{"ip": real.ip}],
        "startTime": status.get("startTime") or now,
        "conditions": [
            condition("PodScheduled", True),
            condition("Initialized", initialized),
            condition("ContainersReady", real.ready),
            condition("Ready", real.ready),
        ],
        "containerStatuses": [container_status],
    }
    if init_containers:
        result["initContainerStatuses"] = [
            init_container_status(real, index, container)
            for index, container in enumerate(init_containers)
        ]
    return result


def init_container_status(real: RealPod, index: int, container: Doc) -> Doc:
    """The status of the pod's ``index``-th init container (they run in order)."""
    state: Doc
    if index < real.initialized:
        state = {"terminated": {"exitCode": 0, "reason": "Completed"}}
    elif index > real.initialized:
        state = {"waiting": {"reason": "PodInitializing"}}
    elif real.init_process is not None:
        state = {"running": {}}
    elif real.init_exit is not None:
        state = {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off restarting"}}
    else:
        state = {"waiting": {"reason": "PodInitializing"}}
    status: Doc = {
        "name": container["name"],
        "image": container.get("image", ""),
        "imageID": "",
        "ready": index < real.initialized,
        "restartCount": real.init_restarts if index == real.initialized else 0,
        "state": state,
    }
    if index == real.initialized and real.init_exit is not None:
        status["lastState"] = {"terminated": real.init_exit}
    return status


def _read_only(directory: Path) -> None:
    for path in directory.iterdir():
        path.chmod(0o444)
    directory.chmod(0o555)


def _make_writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


def main(argv: list[str] | None = None) -> None:
    """``python -m pulumi_flink.devcluster._runner --kubeconfig K --state-dir D``."""
    parser = argparse.ArgumentParser(description="The dev cluster's real-Flink process runner.")
    parser.add_argument("--kubeconfig", type=Path, required=True)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--flink-dir", type=Path, default=None)
    parser.add_argument("--egress-socket", type=Path, default=None)
    options = parser.parse_args(argv)
    FlinkProcessRunner(
        options.kubeconfig,
        options.state_dir,
        FlinkDistributions.locate(options.flink_dir),
        options.egress_socket,
    ).serve()


if __name__ == "__main__":
    main()
