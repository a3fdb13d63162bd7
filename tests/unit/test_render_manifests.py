"""Specification of ``render_manifests`` for both engines (issue 2, rule 8).

Every object is in the target namespace (or ``default_namespace``), carries
labels recording the Deployment and target names plus the usual
``app.kubernetes.io/*`` labels, and the list is in apply order.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from pulumi_flink import SpecValidationError, UnsupportedEngineError, render_manifests

Doc = dict[str, Any]

ENGINES = ("operator", "standalone")
APPLY_ORDER = ["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Service", "Deployment"]
LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")


def _deployment(name: str = "orders", **template_spec: Any) -> Doc:
    return {
        "metadata": {"name": name},
        "spec": {
            "template": {
                "spec": {
                    "artifact": {"jarUri": "s3://jobs/orders.jar", "entryClass": "com.acme.Orders"},
                    "flinkConfiguration": {"state.checkpoints.dir": "s3://ckpt/orders"},
                    **template_spec,
                }
            }
        },
    }


def _target(name: str = "prod", namespace: str | None = "flink-jobs") -> Doc:
    kubernetes = {"namespace": namespace} if namespace else {}
    return {"metadata": {"name": name}, "spec": {"kubernetes": kubernetes}}


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


def test_operator_engine_renders_rbac_then_the_flink_deployment() -> None:
    kinds = [m["kind"] for m in render_manifests(_deployment(), _target(), engine="operator")]

    assert kinds == ["ServiceAccount", "Role", "RoleBinding", "FlinkDeployment"]


def test_standalone_engine_renders_rbac_config_service_then_workloads() -> None:
    manifests = render_manifests(_deployment(), _target(), engine="standalone")

    assert [m["kind"] for m in manifests] == [
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "ConfigMap",
        "Service",
        "Deployment",
        "Deployment",
    ]


def test_the_operator_engine_is_the_default() -> None:
    kinds = [m["kind"] for m in render_manifests(_deployment(), _target())]

    assert "FlinkDeployment" in kinds


def test_objects_are_in_apply_order(engine: str) -> None:
    kinds = [m["kind"] for m in render_manifests(_deployment(), _target(), engine=engine)]
    rank = {kind: position for position, kind in enumerate([*APPLY_ORDER, "FlinkDeployment"])}

    assert [rank[kind] for kind in kinds] == sorted(rank[kind] for kind in kinds)


def test_every_object_is_in_the_target_namespace(engine: str) -> None:
    manifests = render_manifests(_deployment(), _target(namespace="flink-jobs"), engine=engine)

    assert {m["metadata"]["namespace"] for m in manifests} == {"flink-jobs"}


def test_default_namespace_is_used_when_the_target_sets_none(engine: str) -> None:
    manifests = render_manifests(
        _deployment(), _target(namespace=None), engine=engine, default_namespace="analytics"
    )

    assert {m["metadata"]["namespace"] for m in manifests} == {"analytics"}


def test_namespace_defaults_to_default(engine: str) -> None:
    manifests = render_manifests(_deployment(), _target(namespace=None), engine=engine)

    assert {m["metadata"]["namespace"] for m in manifests} == {"default"}


def test_target_namespace_wins_over_default_namespace() -> None:
    manifests = render_manifests(
        _deployment(), _target(namespace="flink-jobs"), default_namespace="analytics"
    )

    assert {m["metadata"]["namespace"] for m in manifests} == {"flink-jobs"}


def test_default_namespace_that_is_not_a_dns_label_is_rejected() -> None:
    with pytest.raises(SpecValidationError) as caught:
        render_manifests(_deployment(), _target(namespace=None), default_namespace="Flink_Jobs")

    assert caught.value.field == "default_namespace"


def test_role_binding_subject_is_in_the_same_namespace(engine: str) -> None:
    manifests = render_manifests(_deployment(), _target(namespace="flink-jobs"), engine=engine)
    binding = next(m for m in manifests if m["kind"] == "RoleBinding")

    assert [s["namespace"] for s in binding["subjects"]] == ["flink-jobs"]


def test_every_object_is_labelled_with_the_deployment_and_target_names(engine: str) -> None:
    manifests = render_manifests(_deployment("orders"), _target("prod"), engine=engine)

    for manifest in manifests:
        labels = manifest["metadata"]["labels"]
        assert labels["pulumi-flink.dev/deployment"] == "orders", manifest["kind"]
        assert labels["pulumi-flink.dev/deployment-target"] == "prod", manifest["kind"]


def test_every_object_carries_the_app_kubernetes_io_labels(engine: str) -> None:
    manifests = render_manifests(_deployment("orders"), _target(), engine=engine)

    for manifest in manifests:
        labels = manifest["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == "flink", manifest["kind"]
        assert labels["app.kubernetes.io/instance"] == "orders", manifest["kind"]
        assert labels["app.kubernetes.io/managed-by"] == "pulumi-flink", manifest["kind"]
        assert "app.kubernetes.io/component" in labels, manifest["kind"]


def test_every_object_records_the_full_names_in_annotations(engine: str) -> None:
    name = "customer-orders-enrichment-with-fraud-scoring-and-alerts"
    target = "Analytics_Production_" + "eu_west_1_" * 10

    for manifest in render_manifests(_deployment(name), _target(target), engine=engine):
        annotations = manifest["metadata"]["annotations"]
        assert annotations["pulumi-flink.dev/deployment-name"] == name, manifest["kind"]
        assert annotations["pulumi-flink.dev/deployment-target-name"] == target, manifest["kind"]


def test_long_target_name_becomes_a_valid_label_value(engine: str) -> None:
    target = "Analytics_Production_" + "eu_west_1_" * 10

    for manifest in render_manifests(_deployment(), _target(target), engine=engine):
        value = manifest["metadata"]["labels"]["pulumi-flink.dev/deployment-target"]
        assert len(value) <= 63 and LABEL_VALUE.fullmatch(value), value


def test_user_kubernetes_labels_are_on_every_object(engine: str) -> None:
    deployment = _deployment(kubernetes={"labels": {"team": "payments"}})

    for manifest in render_manifests(deployment, _target(), engine=engine):
        assert manifest["metadata"]["labels"]["team"] == "payments", manifest["kind"]


def test_our_labels_win_over_user_kubernetes_labels(engine: str) -> None:
    deployment = _deployment(
        kubernetes={
            "labels": {"pulumi-flink.dev/deployment": "spoofed", "app.kubernetes.io/name": "x"}
        }
    )

    for manifest in render_manifests(deployment, _target(), engine=engine):
        labels = manifest["metadata"]["labels"]
        assert (labels["pulumi-flink.dev/deployment"], labels["app.kubernetes.io/name"]) == (
            "orders",
            "flink",
        )


def test_object_names_are_unique_per_kind(engine: str) -> None:
    manifests = render_manifests(_deployment(), _target(), engine=engine)
    keys = [(m["kind"], m["metadata"]["name"]) for m in manifests]

    assert len(keys) == len(set(keys))


def test_object_names_are_valid_kubernetes_names(engine: str) -> None:
    name = "1-" + "x" * 61

    for manifest in render_manifests(_deployment(name), _target(), engine=engine):
        object_name = manifest["metadata"]["name"]
        assert len(object_name) <= 63 and DNS_SUBDOMAIN.fullmatch(object_name), object_name


def test_rendering_does_not_mutate_its_inputs(engine: str) -> None:
    deployment = _deployment(kubernetes={"pods": {"envVars": [{"name": "A", "value": "1"}]}})
    target = _target()
    before = copy.deepcopy((deployment, target))

    render_manifests(deployment, target, engine=engine)

    assert (deployment, target) == before


@pytest.mark.parametrize("engine", ["helm", "Operator", "", None])
def test_unknown_engine_is_an_error(engine: Any) -> None:
    with pytest.raises(UnsupportedEngineError):
        render_manifests(_deployment(), _target(), engine=engine)


def test_unknown_engine_error_is_a_value_error_naming_the_choices() -> None:
    with pytest.raises(ValueError, match="'operator' or 'standalone'"):
        render_manifests(_deployment(), _target(), engine="helm")


def test_rendering_applies_the_targets_patch_set(engine: str) -> None:
    deployment = _deployment()
    del deployment["spec"]["template"]["spec"]["flinkConfiguration"]
    target = _target()
    target["spec"]["deploymentPatchSet"] = [
        {
            "op": "add",
            "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
            "value": "s3://ckpt/from-target",
        }
    ]

    rendered = str(render_manifests(deployment, target, engine=engine))

    assert "s3://ckpt/from-target" in rendered
