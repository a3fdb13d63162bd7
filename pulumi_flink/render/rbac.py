"""Namespaced, least-privilege RBAC for one Flink Deployment (no ClusterRole)."""

from __future__ import annotations

from typing import Any

from pulumi_flink.render.context import RenderContext

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
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": context.metadata(name, "rbac"),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
            "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": context.namespace}],
        },
    ]


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
