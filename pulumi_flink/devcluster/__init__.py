"""A local Kubernetes control plane for developing and testing pulumi-flink.

:class:`DevCluster` runs real etcd, kube-apiserver (RBAC on, ServiceAccount
tokens signed), kube-controller-manager and kube-scheduler, plus kwok faking
nodes and pods, on free loopback ports, from binaries built by
``toolchain/bootstrap.sh``. Deployments become Available and pods Running
without a container runtime.

It installs the FlinkDeployment CRD and **simulates** the part of the Apache
Flink Kubernetes Operator that callers observe: a FlinkDeployment's status goes
``DEPLOYED`` then ``STABLE`` with job state ``RUNNING`` (``SUSPENDED`` when
``spec.job.state`` is ``suspended``, with the savepoint a stop takes), and
``FAILED`` while the annotation :data:`SIMULATE_ANNOTATION` is ``"failed"``;
FlinkStateSnapshots complete with a path (or fail on the same annotation).
No Flink runs.

Examples
--------
>>> from pulumi_flink.devcluster import DevCluster
>>> with DevCluster(tie_to_parent=True) as cluster:  # doctest: +SKIP
...     print(cluster.kubeconfig)

From a shell::

    pulumi-flink dev-cluster up        # or: python -m pulumi_flink.devcluster up
    eval "$(pulumi-flink dev-cluster env)"
    kubectl get nodes
    pulumi-flink dev-cluster down
"""

from ._cluster import DEFAULT_STATE_DIR, DevCluster, cluster_state, stop_cluster
from ._simulation import SIMULATE_ANNOTATION, SIMULATE_FAILED, SIMULATE_SAVEPOINT_FAILED
from ._toolchain import BIN_DIR_ENV, Toolchain, locate_toolchain
from .errors import ComponentStartError, DevClusterError, ToolchainNotFoundError

__all__ = [
    "BIN_DIR_ENV",
    "DEFAULT_STATE_DIR",
    "SIMULATE_ANNOTATION",
    "SIMULATE_FAILED",
    "SIMULATE_SAVEPOINT_FAILED",
    "ComponentStartError",
    "DevCluster",
    "DevClusterError",
    "Toolchain",
    "ToolchainNotFoundError",
    "cluster_state",
    "locate_toolchain",
    "stop_cluster",
]
