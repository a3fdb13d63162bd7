"""The admin kubeconfig of the dev cluster."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import yaml

from ._pki import ClusterPki

__all__ = ["CONTEXT_NAME", "write_kubeconfig"]

#: Cluster, user and context name in the kubeconfig.
CONTEXT_NAME = "pulumi-flink-dev"


def _b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def write_kubeconfig(path: Path, server: str, pki: ClusterPki) -> None:
    """Write a self-contained kubeconfig for the admin user.

    The certificates are embedded, so the file keeps working if copied; it is
    written with mode 0600 because it holds the admin key.

    Parameters
    ----------
    path
        Where to write it.
    server
        The API server URL, e.g. ``https://127.0.0.1:41234``.
    pki
        The cluster's certificates.
    """
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": CONTEXT_NAME,
                "cluster": {"server": server, "certificate-authority-data": _b64(pki.ca_cert)},
            }
        ],
        "users": [
            {
                "name": CONTEXT_NAME,
                "user": {
                    "client-certificate-data": _b64(pki.admin_cert),
                    "client-key-data": _b64(pki.admin_key),
                },
            }
        ],
        "contexts": [
            {
                "name": CONTEXT_NAME,
                "context": {"cluster": CONTEXT_NAME, "user": CONTEXT_NAME, "namespace": "default"},
            }
        ],
        "current-context": CONTEXT_NAME,
    }
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        yaml.safe_dump(config, handle, sort_keys=False)
    tmp.replace(path)
