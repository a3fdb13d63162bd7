"""Specification of the rendered RBAC (issue 2, rule 9).

Namespaced and least-privilege: one ServiceAccount, one Role without
wildcards, one RoleBinding from that Role to that ServiceAccount, no
ClusterRole. The operator engine grants what the Flink operator expects in a
job namespace; standalone grants what Kubernetes HA needs.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_flink import render_manifests

Doc = dict[str, Any]

ENGINES = ("operator", "standalone")
ALL_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"]


def _deployment(name: str = "orders") -> Doc:
    return {
        "metadata": {"name": name},
        "spec": {
            "template": {
                "spec": {
                    "artifact": {"jarUri": "s3://jobs/orders.jar"},
                    "flinkConfiguration": {"state.checkpoints.dir": "s3://ckpt/orders"},
                }
            }
        },
    }


def _target() -> Doc:
    return {"metadata": {"name": "prod"}, "spec": {"kubernetes": {"namespace": "flink-jobs"}}}


def _rendered(engine: str, name: str = "orders") -> list[Doc]:
    return render_manifests(_deployment(name), _target(), engine=engine)


def _one(manifests: list[Doc], kind: str) -> Doc:
    [manifest] = [m for m in manifests if m["kind"] == kind]
    return manifest


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


def test_exactly_one_service_account_role_and_role_binding(engine: str) -> None:
    kinds = [m["kind"] for m in _rendered(engine)]

    assert [kinds.count(k) for k in ("ServiceAccount", "Role", "RoleBinding")] == [1, 1, 1]


def test_no_cluster_scoped_rbac(engine: str) -> None:
    kinds = {m["kind"] for m in _rendered(engine)}

    assert not kinds & {"ClusterRole", "ClusterRoleBinding"}


def test_role_has_no_wildcards(engine: str) -> None:
    role = _one(_rendered(engine), "Role")

    for rule in role["rules"]:
        for key in ("apiGroups", "resources", "verbs"):
            assert "*" not in rule[key], rule


def test_role_binding_refers_to_the_role(engine: str) -> None:
    manifests = _rendered(engine)
    role, binding = _one(manifests, "Role"), _one(manifests, "RoleBinding")

    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": role["metadata"]["name"],
    }


def test_role_binding_binds_the_service_account(engine: str) -> None:
    manifests = _rendered(engine)
    account, binding = _one(manifests, "ServiceAccount"), _one(manifests, "RoleBinding")

    assert binding["subjects"] == [
        {
            "kind": "ServiceAccount",
            "name": account["metadata"]["name"],
            "namespace": account["metadata"]["namespace"],
        }
    ]


def test_rbac_objects_are_named_after_the_workload(engine: str) -> None:
    names = {
        m["metadata"]["name"]
        for m in _rendered(engine, "1-click-checkout")
        if m["kind"] in ("ServiceAccount", "Role", "RoleBinding")
    }

    assert len(names) == 1
    assert names.pop().startswith("f-1-click-checkout-")


def test_operator_role_grants_what_the_flink_operator_expects_in_a_job_namespace() -> None:
    role = _one(_rendered("operator"), "Role")

    assert role["rules"] == [
        {"apiGroups": [""], "resources": ["pods", "configmaps"], "verbs": ALL_VERBS},
        {
            "apiGroups": ["apps"],
            "resources": ["deployments", "deployments/finalizers"],
            "verbs": ALL_VERBS,
        },
    ]


def test_standalone_role_grants_only_the_configmaps_kubernetes_ha_needs() -> None:
    role = _one(_rendered("standalone"), "Role")

    assert role["rules"] == [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ALL_VERBS}]


def test_flink_deployment_runs_as_our_service_account() -> None:
    manifests = _rendered("operator")
    account = _one(manifests, "ServiceAccount")

    assert (
        _one(manifests, "FlinkDeployment")["spec"]["serviceAccount"]
        == (account["metadata"]["name"])
    )


def test_standalone_pods_run_as_our_service_account() -> None:
    manifests = _rendered("standalone")
    account = _one(manifests, "ServiceAccount")["metadata"]["name"]

    accounts = {
        m["spec"]["template"]["spec"]["serviceAccountName"]
        for m in manifests
        if m["kind"] == "Deployment"
    }
    assert accounts == {account}
