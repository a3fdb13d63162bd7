"""VVP naming rules and the Kubernetes name rules they meet."""

from __future__ import annotations

import re

DEPLOYMENT_NAME_PATTERN = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
"""VVP Deployment names: up to 63 of ``[-0-9a-z]``, no leading/trailing hyphen."""

TARGET_NAME_PATTERN = re.compile(r"^[0-9a-zA-Z_-]{1,250}$")
"""VVP DeploymentTarget names: up to 250 of ``[0-9a-zA-Z_-]``."""

DNS1123_LABEL_PATTERN = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
"""Kubernetes namespace names (RFC 1123 labels)."""


def deployment_name_problem(name: str) -> str | None:
    """Say why ``name`` is not a valid VVP Deployment name, or ``None``."""
    if DEPLOYMENT_NAME_PATTERN.fullmatch(name):
        return None
    return (
        f"{name!r} is not a valid Deployment name: use 1-63 lowercase letters, "
        "digits and '-', starting and ending with a letter or digit"
    )


def session_cluster_name_problem(name: str) -> str | None:
    """Say why ``name`` is not a valid VVP SessionCluster name, or ``None``.

    VVP names SessionClusters by the rules of Deployments.
    """
    if DEPLOYMENT_NAME_PATTERN.fullmatch(name):
        return None
    return (
        f"{name!r} is not a valid SessionCluster name: use 1-63 lowercase letters, "
        "digits and '-', starting and ending with a letter or digit"
    )


def target_name_problem(name: str) -> str | None:
    """Say why ``name`` is not a valid VVP DeploymentTarget name, or ``None``."""
    if TARGET_NAME_PATTERN.fullmatch(name):
        return None
    return f"{name!r} is not a valid DeploymentTarget name: use 1-250 letters, digits, '_' and '-'"


def namespace_problem(namespace: object) -> str | None:
    """Say why ``namespace`` is not a valid Kubernetes namespace, or ``None``."""
    if not isinstance(namespace, str):
        return f"a namespace is a string, not {type(namespace).__name__}"
    if DNS1123_LABEL_PATTERN.fullmatch(namespace):
        return None
    return (
        f"{namespace!r} is not a valid Kubernetes namespace (a DNS-1123 label): "
        "use 1-63 lowercase letters, digits and '-', starting and ending with "
        "a letter or digit"
    )
