"""The dev cluster: etcd, a real Kubernetes control plane and kwok on loopback."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from types import TracebackType

import yaml
from lightkube import Client, KubeConfig
from lightkube.codecs import load_all_yaml
from lightkube.core.exceptions import ApiError
from lightkube.models.core_v1 import NodeAddress, NodeSpec, NodeStatus
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.apiextensions_v1 import CustomResourceDefinition
from lightkube.resources.core_v1 import Node, ServiceAccount

from ._egress import egress_selector_configuration
from ._flink import FlinkDistributions
from ._kubeconfig import write_kubeconfig
from ._pki import ClusterPki, create_pki
from ._ports import LOOPBACK, free_loopback_ports
from ._process import ManagedProcess, read_records, stop_recorded
from ._runner import kwok_skips_real_pods, service_endpoints
from ._simulation import simulation_stages_yaml
from ._toolchain import Toolchain, locate_toolchain
from .errors import ComponentStartError, DevClusterError

__all__ = ["DEFAULT_STATE_DIR", "DevCluster", "cluster_state", "stop_cluster"]

#: Where the dev cluster keeps its state when no folder is given.
DEFAULT_STATE_DIR = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "pulumi-flink"
    / "dev-cluster"
)

_SERVICE_CIDR = "10.0.0.0/24"
_SERVICE_IP = "10.0.0.1"
_POD_CIDR = "10.0.1.0/24"
_FIELD_MANAGER = "pulumi-flink-dev-cluster"

# Stop clients before the servers they talk to, etcd last.
_APISERVER = "kube-apiserver"
_STOP_ORDER = (
    "flink-runner",
    "flink-operator-simulation",
    "kwok",
    "kube-scheduler",
    "kube-controller-manager",
    _APISERVER,
    "etcd",
)

# kwok's own stages that make fake nodes Ready and pods Running (the set
# `kwokctl` uses by default), relative to the bootstrapped stage folder.
_KWOK_STAGE_FOLDERS = ("node/fast", "node/heartbeat-with-lease", "pod/fast")

# Files and folders a start creates in the state dir, all removed by the next.
_STATE_FILE = "state.json"
_EGRESS_SOCKET = "egress.sock"
_MAX_SOCKET_PATH = 100
"""The real-Flink runner's egress proxy (the API server's "cluster" egress), in the state dir."""
_OWNED_PATHS = (
    "etcd",
    "pki",
    "logs",
    "pids",
    "kwok",
    "serving-certs",
    "kubeconfig",
    "real-flink",
    _STATE_FILE,
)


_PACKAGED_CRDS = (
    "flinkdeployment-crd.yaml",
    "flinkstatesnapshot-crd.yaml",
    "flinksessionjob-crd.yaml",
)
"""The CRDs we ship for the simulated operator: FlinkDeployment, FlinkStateSnapshot,
FlinkSessionJob."""


def _packaged_crds() -> list[str]:
    data = files("pulumi_flink.devcluster") / "data"
    return [(data / name).read_text() for name in _PACKAGED_CRDS]


def _crd_objects(crd_paths: Sequence[Path] | None) -> list[CustomResourceDefinition]:
    """The CRDs to install: the given ones, plus each packaged CRD they do not replace.

    The simulated operator's kwok stages watch FlinkDeployments,
    FlinkStateSnapshots and FlinkSessionJobs, and kwok stops when a watched kind
    has no CRD, so a user who brings only the official FlinkDeployment CRD
    still gets our equivalents of the other two.
    """
    texts: list[str] = []
    for path in crd_paths or ():
        if path.is_dir():
            texts.extend(p.read_text() for p in sorted(path.glob("*.y*ml")))
        else:
            texts.append(path.read_text())
    given = [_as_crd(obj) for text in texts for obj in load_all_yaml(text)]
    given_names = {_crd_name(crd) for crd in given}
    packaged = [_as_crd(obj) for text in _packaged_crds() for obj in load_all_yaml(text)]
    return given + [crd for crd in packaged if _crd_name(crd) not in given_names]


def _as_crd(obj: object) -> CustomResourceDefinition:
    if not isinstance(obj, CustomResourceDefinition):
        raise DevClusterError(f"not a CustomResourceDefinition: {getattr(obj, 'kind', obj)}")
    return obj


def _crd_name(crd: CustomResourceDefinition) -> str:
    if crd.metadata is None or crd.metadata.name is None:
        raise DevClusterError("a CustomResourceDefinition without metadata.name")
    return crd.metadata.name


def _http_ok(url: str, context: ssl.SSLContext | None = None) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2, context=context) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _insecure_context() -> ssl.SSLContext:
    # Only for health probes of components serving a self-signed certificate
    # on loopback; nothing is sent but a GET of /healthz.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _fake_node(name: str, index: int) -> Node:
    """A node kwok pretends to run: schedulable, roomy, no container runtime."""
    capacity = {"cpu": "32", "memory": "256Gi", "pods": "110"}
    pod_cidr = f"10.0.{index + 2}.0/24"
    return Node(
        metadata=ObjectMeta(
            name=name,
            annotations={"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
            labels={
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/os": "linux",
                "kubernetes.io/hostname": name,
                "type": "kwok",
            },
        ),
        spec=NodeSpec(podCIDR=pod_cidr, podCIDRs=[pod_cidr]),
        status=NodeStatus(
            allocatable=capacity,
            capacity=capacity,
            addresses=[NodeAddress(type="InternalIP", address=f"192.0.2.{index + 1}")],
        ),
    )


@dataclass(frozen=True)
class _Ports:
    etcd_client: int
    etcd_peer: int
    apiserver: int
    controller_manager: int
    scheduler: int
    kwok: int

    @classmethod
    def allocate(cls) -> _Ports:
        return cls(*free_loopback_ports(6))


def cluster_state(state_dir: Path | None = None) -> dict[str, object] | None:
    """Return what a running dev cluster recorded, or ``None`` if none runs.

    Parameters
    ----------
    state_dir
        The cluster's state folder (default :data:`DEFAULT_STATE_DIR`).

    Returns
    -------
    dict or None
        Keys ``server``, ``kubeconfig``, ``bin_dir``, ``state_dir`` and
        ``ports``; ``None`` when no component of a cluster there is alive.
    """
    state_dir = state_dir or DEFAULT_STATE_DIR
    records = read_records(state_dir / "pids")
    if not any(r.is_alive() for r in records):
        return None
    try:
        state: dict[str, object] = json.loads((state_dir / _STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    return state


def stop_cluster(state_dir: Path | None = None) -> list[str]:
    """Stop every process a dev cluster recorded in ``state_dir``.

    Works after the process that started the cluster has exited or crashed:
    it reads the pid files and stops exactly those processes.

    Returns
    -------
    list of str
        The components that were running and were stopped.
    """
    state_dir = state_dir or DEFAULT_STATE_DIR
    stopped = stop_recorded(state_dir / "pids", order=_STOP_ORDER)
    (state_dir / _STATE_FILE).unlink(missing_ok=True)
    return stopped


class DevCluster:
    """A local Kubernetes control plane for pulumi-flink's end-to-end tests.

    Runs etcd, the real kube-apiserver (RBAC on, ServiceAccount tokens
    signed), kube-controller-manager, kube-scheduler and kwok with fake nodes
    on free loopback ports, so Deployments become Available and pods Running
    without a container runtime. It installs the FlinkDeployment,
    FlinkStateSnapshot and FlinkSessionJob CRDs and a
    *simulation* of the Flink operator's status (kwok Stages; see
    :mod:`pulumi_flink.devcluster._simulation`), with a small Python
    controller for what Stages cannot do (UPGRADE snapshots, savepoint on
    deletion: :mod:`pulumi_flink.devcluster._operator_controller`).

    Parameters
    ----------
    state_dir
        Folder for etcd data, keys, logs, pid files and the kubeconfig
        (default :data:`DEFAULT_STATE_DIR`). Each start wipes what an earlier
        run left there and stops its processes if they still run.
    crd_paths
        CRD files (or folders of them) to install, e.g. the Flink operator's
        own ``flinkdeployments.flink.apache.org-v1.yml``. Each replaces the
        equivalent CRD shipped with pulumi-flink; the shipped FlinkDeployment,
        FlinkStateSnapshot and FlinkSessionJob CRDs not replaced are
        installed as well, since the simulation watches all three.
    bin_dir
        Folder with the binaries; default: see :func:`locate_toolchain`.
    node_count
        Number of fake nodes.
    tie_to_parent
        Kill the components when the thread that started them dies (use in
        tests); leave ``False`` for a cluster that outlives its starter
        (``pulumi-flink dev-cluster up``).
    startup_timeout
        Seconds each component may take to become ready.
    real_flink
        Run the pods of standalone Flink workloads as real local JVMs (see
        :mod:`pulumi_flink.devcluster._runner`) instead of faking them; needs
        the distributions of ``toolchain/flink.sh``.
    flink_dir
        Where those distributions are; default: see
        :meth:`FlinkDistributions.locate`.

    Examples
    --------
    >>> with DevCluster(tie_to_parent=True) as cluster:  # doctest: +SKIP
    ...     client = cluster.client()
    ...     print(cluster.kubeconfig)
    """

    def __init__(
        self,
        state_dir: Path | None = None,
        *,
        crd_paths: Sequence[Path] | None = None,
        bin_dir: Path | None = None,
        node_count: int = 3,
        tie_to_parent: bool = False,
        startup_timeout: float = 120.0,
        real_flink: bool = False,
        flink_dir: Path | None = None,
    ) -> None:
        self.state_dir = (state_dir or DEFAULT_STATE_DIR).expanduser().resolve()
        self.crd_paths = list(crd_paths) if crd_paths else None
        self._bin_dir = bin_dir
        self.node_count = node_count
        self.tie_to_parent = tie_to_parent
        self.startup_timeout = startup_timeout
        self._processes: list[ManagedProcess] = []
        self._admin_tls: ssl.SSLContext | None = None
        self._toolchain: Toolchain | None = None
        self._ports: _Ports | None = None
        self._pki: ClusterPki | None = None
        self.real_flink = real_flink
        self._flink_dir = flink_dir

    # -- public surface -------------------------------------------------------

    @property
    def kubeconfig(self) -> Path:
        """Path of the admin kubeconfig (written once the API server is up)."""
        return self.state_dir / "kubeconfig"

    @property
    def bin_dir(self) -> Path:
        """Folder of the toolchain's binaries (kubectl, pulumi, ...)."""
        return self._require_toolchain().bin_dir

    @property
    def server(self) -> str:
        """The API server URL."""
        if self._ports is None:
            raise DevClusterError("the dev cluster has not been started")
        return f"https://{LOOPBACK}:{self._ports.apiserver}"

    @property
    def log_dir(self) -> Path:
        """Folder of the components' log files."""
        return self.state_dir / "logs"

    def service_url(self, namespace: str, service: str, port: int) -> str:
        """``http://127.0.0.1:<p>`` reaching ``service:port`` through the runner's proxy.

        Only with ``real_flink``; :class:`DevClusterError` when the runner has
        no proxy for it (yet).
        """
        endpoints = service_endpoints(self.state_dir)
        local = endpoints.get(f"{namespace}/{service}:{port}")
        if local is None:
            raise DevClusterError(
                f"no real-Flink proxy for Service {namespace}/{service}:{port}"
                + ("" if self.real_flink else " (the cluster runs without real_flink)")
            )
        return f"http://{LOOPBACK}:{local}"

    def pids(self) -> dict[str, int]:
        """Process ids of the components this object started."""
        return {p.name: p.pid for p in self._processes if p.pid is not None}

    def client(self) -> Client:
        """A lightkube client authenticated as the cluster admin."""
        return Client(config=KubeConfig.from_file(self.kubeconfig), field_manager=_FIELD_MANAGER)

    def kubectl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the toolchain's kubectl against the cluster, capturing its output.

        Parameters
        ----------
        *args
            kubectl arguments, e.g. ``"get", "nodes"``.
        check
            Raise :class:`subprocess.CalledProcessError` on a non-zero exit.
        """
        return subprocess.run(
            [str(self.bin_dir / "kubectl"), f"--kubeconfig={self.kubeconfig}", *args],
            check=check,
            capture_output=True,
            text=True,
        )

    def start(self) -> DevCluster:
        """Start every component and wait until the cluster is usable.

        Returns
        -------
        DevCluster
            ``self``, started.

        Raises
        ------
        ToolchainNotFoundError
            When the binaries are missing.
        ComponentStartError
            When a component exits or is not ready in time; every component
            already started is stopped again.
        """
        toolchain = self._require_toolchain()
        distributions = FlinkDistributions.locate(self._flink_dir) if self.real_flink else None
        self._clean_previous_run()
        try:
            self._ports = _Ports.allocate()
            pki = self._pki = create_pki(self.state_dir / "pki", _SERVICE_IP)
            write_kubeconfig(self.kubeconfig, self.server, pki)
            self._start_etcd(toolchain)
            self._start_apiserver(toolchain, pki)
            client = self.client()
            # CRDs before the controller manager: its garbage collector then
            # knows FlinkDeployments from the start (it rediscovers resource
            # types only every 30 s, which would delay foreground deletes).
            self._install_crds(client)
            self._start_controller_manager(toolchain, pki)
            self._start_scheduler(toolchain)
            self._start_kwok(toolchain)
            self._start_operator_controller()
            if distributions is not None:
                self._start_flink_runner(distributions)
            self._create_nodes(client)
            self._wait_for_workloads_possible(client)
            self._write_state(toolchain)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> list[str]:
        """Stop the components (kwok first, etcd last) and free their ports.

        Also stops components of an earlier run recorded in the state dir.

        Returns
        -------
        list of str
            The components that were running and were stopped.
        """

        def reap() -> None:
            for process in self._processes:
                process.reap()

        stopped = stop_recorded(self.state_dir / "pids", order=_STOP_ORDER, reap=reap)
        reap()
        self._processes.clear()
        (self.state_dir / _STATE_FILE).unlink(missing_ok=True)
        return stopped

    def stop_apiserver(self) -> None:
        """Kill the kube-apiserver at once, as a crash or a network cut would.

        etcd keeps its data and the other components keep running (they
        reconnect); requests to :attr:`server` are refused until
        :meth:`start_apiserver`. For fault tests.

        Raises
        ------
        DevClusterError
            The cluster has not been started (or the API server is already stopped).
        """
        apiserver = self._apiserver()
        apiserver.kill()
        self._processes.remove(apiserver)

    def start_apiserver(self) -> None:
        """Start the kube-apiserver again: same port, keys and etcd data; wait until ready.

        Raises
        ------
        DevClusterError
            The cluster has not been started, or the API server already runs.
        ComponentStartError
            It exits or is not ready in time.
        """
        if self._pki is None:
            raise DevClusterError("the dev cluster has not been started")
        if any(p.name == _APISERVER for p in self._processes):
            raise DevClusterError("the kube-apiserver already runs")
        self._start_apiserver(self._require_toolchain(), self._pki)

    def __enter__(self) -> DevCluster:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- steps ----------------------------------------------------------------

    def _require_toolchain(self) -> Toolchain:
        if self._toolchain is None:
            self._toolchain = locate_toolchain(self._bin_dir)
        return self._toolchain

    def _require_ports(self) -> _Ports:
        if self._ports is None:
            raise DevClusterError("the dev cluster has not been started")
        return self._ports

    def _clean_previous_run(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        stop_recorded(self.state_dir / "pids", order=_STOP_ORDER)
        for name in _OWNED_PATHS:
            path = self.state_dir / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)

    def _launch(
        self, name: str, argv: Sequence[str], env: dict[str, str] | None = None
    ) -> ManagedProcess:
        process = ManagedProcess(
            name,
            argv,
            log_path=self.log_dir / f"{name}.log",
            pid_dir=self.state_dir / "pids",
            env=env,
            tie_to_parent=self.tie_to_parent,
        )
        process.start()
        self._processes.append(process)
        return process

    def _wait_until(self, process: ManagedProcess, what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = process.exit_code()
            if code is not None:
                raise ComponentStartError(
                    process.name,
                    f"exited with code {code} before {what}",
                    process.log_path,
                    process.log_tail(),
                )
            if ready():
                return
            if time.monotonic() >= deadline:
                raise ComponentStartError(
                    process.name,
                    f"was not {what} after {self.startup_timeout:.0f} s",
                    process.log_path,
                    process.log_tail(),
                )
            time.sleep(0.2)

    def _start_etcd(self, toolchain: Toolchain) -> None:
        ports = self._require_ports()
        client_url = f"http://{LOOPBACK}:{ports.etcd_client}"
        peer_url = f"http://{LOOPBACK}:{ports.etcd_peer}"
        process = self._launch(
            "etcd",
            [
                str(toolchain.binary("etcd")),
                "--name=dev",
                f"--data-dir={self.state_dir / 'etcd'}",
                f"--listen-client-urls={client_url}",
                f"--advertise-client-urls={client_url}",
                f"--listen-peer-urls={peer_url}",
                f"--initial-advertise-peer-urls={peer_url}",
                f"--initial-cluster=dev={peer_url}",
                "--initial-cluster-state=new",
                # A throw-away cluster: durability is not worth the fsyncs.
                "--unsafe-no-fsync",
                "--auto-compaction-retention=1",
                "--log-level=warn",
            ],
        )
        self._wait_until(process, "healthy", lambda: _http_ok(f"{client_url}/health"))

    def _apiserver(self) -> ManagedProcess:
        for process in self._processes:
            if process.name == _APISERVER:
                return process
        raise DevClusterError("the kube-apiserver is not running (not started, or stopped)")

    def _start_apiserver(self, toolchain: Toolchain, pki: ClusterPki) -> None:
        ports = self._require_ports()
        process = self._launch(
            _APISERVER,
            [
                str(toolchain.binary("kube-apiserver")),
                f"--etcd-servers=http://{LOOPBACK}:{ports.etcd_client}",
                f"--bind-address={LOOPBACK}",
                f"--advertise-address={LOOPBACK}",
                f"--secure-port={ports.apiserver}",
                f"--cert-dir={self.state_dir / 'serving-certs'}",
                f"--tls-cert-file={pki.server_cert}",
                f"--tls-private-key-file={pki.server_key}",
                f"--client-ca-file={pki.ca_cert}",
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-key-file={pki.service_account_public_key}",
                f"--service-account-signing-key-file={pki.service_account_key}",
                f"--service-cluster-ip-range={_SERVICE_CIDR}",
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false",
                "--profiling=false",
                *self._egress_flags(),
            ],
        )
        context = ssl.create_default_context(cafile=str(pki.ca_cert))
        context.load_cert_chain(str(pki.admin_cert), str(pki.admin_key))
        self._admin_tls = context
        self._wait_until(process, "ready", lambda: _http_ok(f"{self.server}/readyz", context))

    @property
    def _egress_socket(self) -> Path:
        path = self.state_dir / _EGRESS_SOCKET
        if len(str(path)) < _MAX_SOCKET_PATH:
            return path
        # A Unix socket's path is at most 107 bytes: a deep state dir gets one in /tmp.
        digest = hashlib.sha256(str(self.state_dir).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"pulumi-flink-egress-{digest}.sock"

    def _egress_flags(self) -> list[str]:
        """The API server dials pods through the egress proxy (:mod:`._egress`).

        Served by the real-Flink runner, else by the simulated operator
        (the faked standalone JobManagers' REST API).
        """
        path = self.state_dir / "egress-selector.yaml"
        configuration = egress_selector_configuration(self._egress_socket)
        path.write_text(yaml.safe_dump(configuration))
        return [f"--egress-selector-config-file={path}"]

    def _start_controller_manager(self, toolchain: Toolchain, pki: ClusterPki) -> None:
        ports = self._require_ports()
        kubeconfig = str(self.kubeconfig)
        process = self._launch(
            "kube-controller-manager",
            [
                str(toolchain.binary("kube-controller-manager")),
                f"--kubeconfig={kubeconfig}",
                f"--authentication-kubeconfig={kubeconfig}",
                f"--authorization-kubeconfig={kubeconfig}",
                f"--bind-address={LOOPBACK}",
                f"--secure-port={ports.controller_manager}",
                f"--cert-dir={self.state_dir / 'serving-certs'}",
                "--leader-elect=false",
                f"--root-ca-file={pki.ca_cert}",
                f"--service-account-private-key-file={pki.service_account_key}",
                f"--cluster-signing-cert-file={pki.ca_cert}",
                f"--cluster-signing-key-file={pki.ca_key}",
                f"--service-cluster-ip-range={_SERVICE_CIDR}",
                f"--cluster-cidr={_POD_CIDR}",
                "--profiling=false",
            ],
        )
        url = f"https://{LOOPBACK}:{ports.controller_manager}/healthz"
        self._wait_until(process, "healthy", lambda: _http_ok(url, _insecure_context()))

    def _start_scheduler(self, toolchain: Toolchain) -> None:
        ports = self._require_ports()
        kubeconfig = str(self.kubeconfig)
        process = self._launch(
            "kube-scheduler",
            [
                str(toolchain.binary("kube-scheduler")),
                f"--kubeconfig={kubeconfig}",
                f"--authentication-kubeconfig={kubeconfig}",
                f"--authorization-kubeconfig={kubeconfig}",
                f"--bind-address={LOOPBACK}",
                f"--secure-port={ports.scheduler}",
                f"--cert-dir={self.state_dir / 'serving-certs'}",
                "--leader-elect=false",
                "--profiling=false",
            ],
        )
        url = f"https://{LOOPBACK}:{ports.scheduler}/healthz"
        self._wait_until(process, "healthy", lambda: _http_ok(url, _insecure_context()))

    def _install_crds(self, client: Client) -> None:
        names: list[str] = []
        for crd in _crd_objects(self.crd_paths):
            client.apply(crd, force=True)
            names.append(_crd_name(crd))
        deadline = time.monotonic() + self.startup_timeout
        pending = set(names)
        while pending:
            for name in sorted(pending):
                crd = client.get(CustomResourceDefinition, name)
                conditions = (crd.status.conditions if crd.status else None) or []
                if any(c.type == "Established" and c.status == "True" for c in conditions):
                    pending.discard(name)
            if pending and time.monotonic() >= deadline:
                raise DevClusterError(
                    f"CRDs not established after {self.startup_timeout:.0f} s: {sorted(pending)}"
                )
            if pending:
                time.sleep(0.2)
        # kwok reads the OpenAPI v3 document of every resource it simulates,
        # which the API server publishes a little after "Established".
        self._wait_until(
            self._apiserver(),
            "publishing OpenAPI for flink.apache.org/v1beta1",
            lambda: "apis/flink.apache.org/v1beta1" in self._openapi_v3_paths(),
        )

    def _openapi_v3_paths(self) -> set[str]:
        try:
            with urllib.request.urlopen(
                f"{self.server}/openapi/v3", timeout=5, context=self._admin_tls
            ) as response:
                paths: dict[str, object] = json.load(response).get("paths", {})
        except (urllib.error.URLError, OSError, ValueError):
            return set()
        return set(paths)

    def _kwok_config(self, toolchain: Toolchain) -> Path:
        documents: list[str] = []
        for folder in _KWOK_STAGE_FOLDERS:
            for path in sorted((toolchain.kwok_stage_dir / folder).glob("*.yaml")):
                if path.name == "kustomization.yaml":
                    continue
                if self.real_flink and folder.startswith("pod/"):
                    # The runner is the only writer of its pods' status.
                    stage = kwok_skips_real_pods(yaml.safe_load(path.read_text()))
                    documents.append(yaml.safe_dump(stage, sort_keys=False))
                else:
                    documents.append(path.read_text())
        documents.append(simulation_stages_yaml())
        config = self.state_dir / "kwok" / "kwok.yaml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("\n---\n".join(documents))
        return config

    def _start_kwok(self, toolchain: Toolchain) -> None:
        ports = self._require_ports()
        config = self._kwok_config(toolchain)
        # kwok also reads ~/.kwok/kwok.yaml; give it a home of its own so a
        # user's kwok configuration does not leak into the dev cluster.
        env = dict(os.environ, HOME=str(config.parent))
        process = self._launch(
            "kwok",
            [
                str(toolchain.binary("kwok")),
                f"--kubeconfig={self.kubeconfig}",
                f"--config={config}",
                "--manage-all-nodes=true",
                f"--server-address={LOOPBACK}:{ports.kwok}",
                f"--node-port={ports.kwok}",
                f"--cidr={_POD_CIDR}",
                "--node-lease-duration-seconds=40",
            ],
            env=env,
        )
        self._wait_until(
            process, "healthy", lambda: _http_ok(f"http://{LOOPBACK}:{ports.kwok}/healthz")
        )

    def _start_operator_controller(self) -> None:
        """The simulated operator's Python half (:mod:`._operator_controller`)."""
        process = self._launch(
            "flink-operator-simulation",
            [
                sys.executable,
                "-c",
                "from pulumi_flink.devcluster._operator_controller import main; main()",
                f"--kubeconfig={self.kubeconfig}",
                # The real-Flink runner serves the egress when it runs.
                *([] if self.real_flink else [f"--egress-socket={self._egress_socket}"]),
            ],
        )
        self._wait_until(
            process,
            "running",
            lambda: "flink-operator-simulation: running" in process.log_tail(),
        )

    def _start_flink_runner(self, distributions: FlinkDistributions) -> None:
        process = self._launch(
            "flink-runner",
            [
                sys.executable,
                "-c",
                "from pulumi_flink.devcluster._runner import main; main()",
                f"--kubeconfig={self.kubeconfig}",
                f"--state-dir={self.state_dir}",
                f"--flink-dir={distributions.root}",
                f"--egress-socket={self._egress_socket}",
            ],
        )
        self._wait_until(
            process,
            "running",
            lambda: "flink-runner: running" in process.log_tail(),
        )

    def _create_nodes(self, client: Client) -> None:
        for index in range(self.node_count):
            client.create(_fake_node(f"kwok-node-{index}", index))

    def _wait_for_workloads_possible(self, client: Client) -> None:
        """Wait for Ready nodes and the default ServiceAccount (pods need both)."""
        kwok = next(p for p in self._processes if p.name == "kwok")

        def ready() -> bool:
            nodes = list(client.list(Node))
            ready_nodes = [
                n
                for n in nodes
                if n.status
                and any(c.type == "Ready" and c.status == "True" for c in n.status.conditions or [])
            ]
            if len(ready_nodes) < self.node_count:
                return False
            try:
                client.get(ServiceAccount, "default", namespace="default")
            except ApiError:
                return False
            return True

        self._wait_until(
            kwok, "marking nodes Ready (or the default ServiceAccount is missing)", ready
        )

    def _write_state(self, toolchain: Toolchain) -> None:
        ports = self._require_ports()
        state = {
            "server": self.server,
            "kubeconfig": str(self.kubeconfig),
            "bin_dir": str(toolchain.bin_dir),
            "state_dir": str(self.state_dir),
            "ports": ports.__dict__,
            "real_flink": self.real_flink,
        }
        (self.state_dir / _STATE_FILE).write_text(json.dumps(state, indent=2) + "\n")
