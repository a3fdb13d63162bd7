"""Which cluster, and which namespace, a kube configuration points at."""

from __future__ import annotations

import os

from lightkube import Client, KubeConfig
from lightkube.resources.core_v1 import Namespace

from pulumi_flink.registry.errors import ClusterIdentityError, ClusterMismatchError

CLUSTER_ID_NAMESPACE = "kube-system"
"""Namespace whose uid serves as the cluster's identity."""


def cluster_id(client: Client) -> str:
    """Identity of the cluster ``client`` talks to: the uid of ``kube-system``.

    Kubernetes has no cluster id; the uid of the ``kube-system`` namespace is
    the conventional stand-in (it exists from the start and is never
    recreated). It tells apart clusters that share a server URL, such as a
    recreated local cluster.

    Examples
    --------
    >>> cluster_id(client)  # doctest: +SKIP
    '2b3e4f5a-...'
    """
    namespace = client.get(Namespace, CLUSTER_ID_NAMESPACE)
    uid = namespace.metadata.uid if namespace.metadata else None
    if not uid:
        raise ClusterIdentityError(CLUSTER_ID_NAMESPACE)
    return uid


def check_same_cluster(client: Client, expected_cluster_id: str) -> None:
    """Make sure ``client`` talks to the cluster ``expected_cluster_id`` names.

    Raises
    ------
    ClusterMismatchError
        It talks to another cluster; the message carries both ids and the fix.
    """
    actual = cluster_id(client)
    if actual != expected_cluster_id:
        raise ClusterMismatchError(expected_cluster_id, actual)


def default_namespace_of_kubeconfig(
    kubeconfig: str | os.PathLike[str] | None = None, *, context: str | None = None
) -> str:
    """Namespace of a kube context, ``"default"`` when the context sets none.

    Parameters
    ----------
    kubeconfig
        Path of a kubeconfig file. ``None`` finds the configuration as
        kubectl would: in-cluster service account, then ``$KUBECONFIG``,
        then ``~/.kube/config``.
    context
        Context to read; ``None`` means the current context.

    Raises
    ------
    lightkube.ConfigError
        No configuration, or the context does not exist.

    Examples
    --------
    >>> default_namespace_of_kubeconfig("~/.kube/config")  # doctest: +SKIP
    'default'
    """
    if kubeconfig is None:
        config = KubeConfig.from_env()
    else:
        config = KubeConfig.from_file(os.path.expanduser(os.fspath(kubeconfig)))
    single = config.get(context_name=context)
    if single is None:  # only when a default is passed; kept for the type checker
        return "default"
    return single.namespace
