"""Namespaced, least-privilege RBAC (no ClusterRole): per Deployment, and for the platform.

Each Deployment's pods run as a ServiceAccount of its own with only what its
engine needs; the platform's service account (the Flink operator's) gets
:data:`PLATFORM_RULES` in every namespace a ``TargetNamespace`` prepares.
"""

from __future__ import annotations

from typing import Any

from pulumi_flink.render.context import RenderContext
from pulumi_flink.render.labels import managed_labels

_ALL_WRITE_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"]

OPERATOR_RULES = [
    {"apiGroups": [""], "resources": ["pods", "configmaps"], "verbs": _ALL_WRITE_VERBS},
    {
        "apiGroups": ["apps"],
        "resources": ["deployments", "deployments/finalizers"],
        "verbs": _ALL_WRITE_VERBS,
    },
]
"""What a natively deployed Flink JobManager does in its namespace, as the
operator's own chart grants it: create TaskManager pods, keep HA ConfigMaps,
own its Deployment."""

STANDALONE_RULES = [
    {"apiGroups": [""], "resources": ["configmaps"], "verbs": _ALL_WRITE_VERBS},
]
"""Kubernetes HA leader election and metadata live in ConfigMaps; standalone
Flink creates no pods or Deployments itself."""


def render_rbac(context: RenderContext, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ServiceAccount, Role with ``rules`` and the RoleBinding between them."""
    name = context.name
    return [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": context.metadata(name, "rbac"),
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": context.metadata(name, "rbac"),
            "rules": rules,
        },
        _role_binding(context.metadata(name, "rbac"), name, context.namespace),
    ]


def _role_binding(
    metadata: dict[str, Any], service_account: str, service_account_namespace: str
) -> dict[str, Any]:
    """Bind the Role named like the binding to one ServiceAccount."""
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": metadata,
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "Role",
            "name": metadata["name"],
        },
        "subjects": [
            {
                "kind": "ServiceAccount",
                "name": service_account,
                "namespace": service_account_namespace,
            }
        ],
    }


PLATFORM_RULES = [
    {
        "apiGroups": [""],
        "resources": ["pods", "services", "configmaps", "events"],
        "verbs": _ALL_WRITE_VERBS,
    },
    {
        "apiGroups": ["apps"],
        "resources": ["deployments", "deployments/finalizers", "replicasets"],
        "verbs": _ALL_WRITE_VERBS,
    },
    {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses"], "verbs": _ALL_WRITE_VERBS},
    {
        "apiGroups": ["flink.apache.org"],
        "resources": [
            "flinkdeployments",
            "flinkdeployments/status",
            "flinkdeployments/finalizers",
            "flinksessionjobs",
            "flinksessionjobs/status",
            "flinksessionjobs/finalizers",
        ],
        "verbs": _ALL_WRITE_VERBS,
    },
]
"""What the platform (the Flink operator) needs in each namespace it manages
jobs in: the same rights VVP's chart grants through ``rbac.additionalNamespaces``."""


PLATFORM_ROLE_NAME = "pulumi-flink-platform"
"""Name of the platform's Role and RoleBinding in a prepared namespace."""


def render_namespace(name: str) -> dict[str, Any]:
    """A Namespace managed by pulumi-flink."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": managed_labels()},
    }


def render_platform_rbac(
    namespace: str, service_account: str, service_account_namespace: str
) -> list[dict[str, Any]]:
    """Role with :data:`PLATFORM_RULES` in ``namespace``, bound to the platform's account."""
    metadata = {"name": PLATFORM_ROLE_NAME, "namespace": namespace, "labels": managed_labels()}
    return [
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": metadata,
            "rules": PLATFORM_RULES,
        },
        _role_binding(dict(metadata), service_account, service_account_namespace),
    ]
