"""How the dynamic providers reach the cluster: settings and a lazy registry.

Credentials never travel in resource inputs or state. They come from the
ambient kube configuration (in-cluster service account, ``$KUBECONFIG``,
``~/.kube/config``) or from stack configuration read in ``configure``:

- ``pulumi-flink:kubeconfig`` (a path or the file's content), else
  ``kubernetes:kubeconfig`` — the same key pulumi-kubernetes' default
  provider reads, so by default the registry and the workloads share a cluster;
- ``pulumi-flink:context``, else ``kubernetes:context``;
- ``pulumi-flink:registryNamespace`` — where target records live.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from pulumi_flink.provider._host import install_in_host
from pulumi_flink.registry import DEFAULT_REGISTRY_NAMESPACE

# Every provider class imports this module, in the provider process too.
install_in_host()

if TYPE_CHECKING:
    # Only the provider process talks to the cluster: the Pulumi program,
    # which also imports this module, does not load the Kubernetes client.
    from lightkube import Client, KubeConfig

    from pulumi_flink.registry import TargetRegistry


@dataclass(frozen=True)
class ClusterSettings:
    """Which cluster (and registry namespace) the providers talk to."""

    kubeconfig: str | None = None
    context: str | None = None
    registry_namespace: str = DEFAULT_REGISTRY_NAMESPACE

    @classmethod
    def from_request(cls, request: ConfigureRequest) -> ClusterSettings:
        """Read the settings from stack configuration."""
        config = request.config

        def first(*keys: str) -> str | None:
            for key in keys:
                value = config.get(key)
                if value:
                    return str(value)
            return None

        return cls(
            kubeconfig=first("pulumi-flink:kubeconfig", "kubernetes:kubeconfig"),
            context=first("pulumi-flink:context", "kubernetes:context"),
            registry_namespace=first("pulumi-flink:registryNamespace")
            or DEFAULT_REGISTRY_NAMESPACE,
        )

    def kube_config(self) -> KubeConfig:
        """The kube configuration these settings point at."""
        import yaml
        from lightkube import KubeConfig

        if self.kubeconfig is None:
            return KubeConfig.from_env()
        path = os.path.expanduser(self.kubeconfig)
        if os.path.exists(path):
            return KubeConfig.from_file(path)
        return KubeConfig.from_dict(yaml.safe_load(self.kubeconfig))


def resource_creator(resource_name: str) -> str:
    """Who creates a registry record: ``<project>/<stack>/<resource name>``.

    Read while the program runs; the record keeps it, so a repeated create
    recognizes the record an earlier one left without Pulumi hearing of it.
    """
    import pulumi

    return f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"


@dataclass(frozen=True)
class Cluster:
    """A provider's connection: the target registry and the kube context's namespace."""

    client: Client
    """The Kubernetes client (for the operator's objects and savepoint records)."""
    registry: TargetRegistry
    """The target registry on the configured cluster."""
    context_namespace: str
    """Namespace of the configured kube context (``default`` when unset)."""
    server: str
    """Address of the API server, as the kube configuration gives it."""


class ClusterProvider(ResourceProvider):
    """Base of our dynamic providers: configured from the stack, no client in state.

    The provider instance is serialized into Pulumi state by reference to its
    class (module path and name are permanent). The cluster connection is made
    lazily in the provider process and never serialized.

    The Pulumi SDK calls one provider instance from a pool of threads. Its
    operations reach the cluster one at a time (:meth:`cluster`): the
    Kubernetes client builds its JSON decoders on first use, and two threads
    doing that at once crash the provider process (a segmentation fault in
    msgspec, seen as ``error reading from server: EOF``). A stack has a few
    targets and bindings, so nothing is lost by not overlapping their calls.
    """

    serialize_as_secret_always = False
    """The serialized provider holds no secrets: keep state readable."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._settings = ClusterSettings()
        self._cluster: Cluster | None = None

    def configure(self, req: ConfigureRequest) -> None:
        """Take the cluster settings from stack configuration."""
        with self._lock:
            self._settings = ClusterSettings.from_request(req)
            self._cluster = None

    @property
    def context_name(self) -> str | None:
        """The configured kube context; ``None``: the kubeconfig's current one."""
        return self._settings.context

    @contextmanager
    def cluster(self) -> Iterator[Cluster]:
        """The configured cluster, connected on first use, for one operation at a time.

        A connection that fails or breaks in the operation (the API server
        down, restarting, out of reach) ends it with
        :class:`~pulumi_flink.registry.ClusterUnreachableError` naming the
        server, not the HTTP client's traceback.
        """
        import httpx2

        from pulumi_flink.registry import ClusterUnreachableError

        with self._lock:
            if self._cluster is None:
                self._cluster = self._connect()
            try:
                yield self._cluster
            except httpx2.TransportError as error:
                reason = str(error).rstrip(".") or type(error).__name__
                raise ClusterUnreachableError(self._cluster.server, reason) from error

    def _connect(self) -> Cluster:
        from lightkube import Client

        from pulumi_flink.registry import KubeConfigNotFoundError, TargetRegistry

        single = self._settings.kube_config().get(context_name=self._settings.context)
        if single is None:
            raise KubeConfigNotFoundError()
        client = Client(config=single)
        return Cluster(
            client=client,
            registry=TargetRegistry(client, namespace=self._settings.registry_namespace),
            context_namespace=single.namespace or "default",
            server=single.cluster.server,
        )

    def __getstate__(self) -> dict[str, Any]:
        # Only the class travels in state: settings come from `configure`.
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._reset()
