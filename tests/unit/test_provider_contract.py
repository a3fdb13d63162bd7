"""The dynamic providers' check/diff contract and their serialized form."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import dill
import httpx2
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc

from pulumi_flink.provider import (
    ClaimIntentProvider,
    DeploymentTargetProvider,
    TargetBindingProvider,
)
from pulumi_flink.provider._cluster import Cluster, ClusterProvider, ClusterSettings
from pulumi_flink.registry import Reference
from pulumi_flink.registry.errors import ClusterUnreachableError, TargetLookupError

CHECKPOINTS = {
    "op": "add",
    "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
    "value": "s3://flink/checkpoints",
}


def target_inputs(**overrides: Any) -> dict[str, Any]:
    inputs = {
        "name": "prod",
        "kubernetes_namespace": "flink-jobs",
        "deployment_patch_set": [CHECKPOINTS],
        "__provider": "blob-1",
    }
    return {**inputs, **overrides}


def target_outputs(**overrides: Any) -> dict[str, Any]:
    return {
        **target_inputs(**overrides),
        "target_id": "0b9a",
        "namespace": "flink-jobs",
        "created_at": "2026-11-27T00:00:00+00:00",
        "cluster_id": "c1",
    }


def failures(inputs: dict[str, Any]) -> dict[str, str]:
    result = DeploymentTargetProvider().check({}, inputs)
    return {failure.property: failure.reason for failure in result.failures}


def test_check_accepts_valid_inputs_and_returns_them_unchanged() -> None:
    result = DeploymentTargetProvider().check({}, target_inputs())

    assert result.failures == []
    assert result.inputs == target_inputs()


def test_check_reports_one_failure_per_bad_property() -> None:
    problems = failures(
        target_inputs(
            name="bad name!",
            kubernetes_namespace="Not_A_Namespace",
            deployment_patch_set=[CHECKPOINTS, {"op": "remove"}],
        )
    )

    assert set(problems) == {"name", "kubernetes_namespace", "deployment_patch_set"}
    assert "'bad name!' is not a valid DeploymentTarget name" in problems["name"]
    assert "DNS-1123" in problems["kubernetes_namespace"]


def test_check_names_the_patch_index_and_path() -> None:
    bad = [CHECKPOINTS, {"op": "move", "path": "/spec/a", "from": "spec/b"}]

    reason = failures(target_inputs(deployment_patch_set=bad))["deployment_patch_set"]

    assert reason.startswith("deploymentTarget 'prod': patch 1 (move /spec/a)")


def test_check_tolerates_unknown_values_during_preview() -> None:
    unknown_value = [{**CHECKPOINTS, "value": rpc.UNKNOWN}]

    assert failures(target_inputs(kubernetes_namespace=rpc.UNKNOWN)) == {}
    assert failures(target_inputs(deployment_patch_set=unknown_value)) == {}


def test_diff_of_identical_inputs_is_no_change_whatever_the_provider_blob() -> None:
    result = DeploymentTargetProvider().diff(
        "prod", target_outputs(__provider="blob-1"), target_inputs(__provider="blob-2")
    )

    assert result.changes is False
    assert result.replaces == []


def test_diff_ignores_the_namespace_resolved_at_create() -> None:
    olds = {**target_outputs(kubernetes_namespace=None), "namespace": "from-context"}

    result = DeploymentTargetProvider().diff("prod", olds, target_inputs(kubernetes_namespace=None))

    assert result.changes is False


def test_any_changed_input_replaces_create_before_delete() -> None:
    moved = [{**CHECKPOINTS, "value": "s3://elsewhere"}]

    result = DeploymentTargetProvider().diff(
        "prod", target_outputs(), target_inputs(deployment_patch_set=moved)
    )

    assert result.changes is True
    assert result.replaces == ["deployment_patch_set"]
    assert result.delete_before_replace is False


def test_an_unknown_input_is_reported_as_a_replacement() -> None:
    result = DeploymentTargetProvider().diff(
        "prod", target_outputs(), target_inputs(kubernetes_namespace=rpc.UNKNOWN)
    )

    assert result.replaces == ["kubernetes_namespace"]


def test_the_serialized_provider_is_a_small_reference_to_its_class() -> None:
    blob = serialize_provider(DeploymentTargetProvider())

    assert len(blob) < 300
    assert type(dill.loads(base64.b64decode(blob))) is DeploymentTargetProvider


def test_configuration_does_not_travel_in_the_serialized_provider() -> None:
    provider = DeploymentTargetProvider()
    config = Config({"pulumi-flink:kubeconfig": "/secret/kubeconfig"}, "proj")
    provider.configure(ConfigureRequest(config))

    restored = dill.loads(base64.b64decode(serialize_provider(provider)))

    assert restored._settings == ClusterSettings()


def test_settings_prefer_our_keys_and_fall_back_to_the_kubernetes_provider_keys() -> None:
    config = Config(
        {
            "kubernetes:kubeconfig": "/k8s",
            "kubernetes:context": "ctx",
            "pulumi-flink:context": "ours",
        },
        "proj",
    )

    settings = ClusterSettings.from_request(ConfigureRequest(config))

    assert settings == ClusterSettings(kubeconfig="/k8s", context="ours")


def binding(**overrides: Any) -> dict[str, Any]:
    props = {
        "target_id": "t1",
        "target_name": "prod",
        "binding": "prod-binding",
        "namespace": "flink-jobs",
        "owner": "app/dev",
        "cluster_id": None,
    }
    return {**props, **overrides}


def test_a_binding_moving_to_another_target_is_replaced() -> None:
    result = TargetBindingProvider().diff("id", binding(), binding(target_id="t2"))

    assert result.replaces == ["target_id"]
    assert result.delete_before_replace is False


def test_a_binding_changing_owner_is_updated_in_place() -> None:
    result = TargetBindingProvider().diff("id", binding(), binding(owner="app/prod"))

    assert result.changes is True
    assert result.replaces == []


def intent(**overrides: Any) -> dict[str, Any]:
    props = {"target_id": "t1", "binding": "prod-binding", "namespace": "flink-jobs"}
    return {**props, "owner": "app/dev", **overrides}


@pytest.mark.parametrize(
    "change", [{"target_id": "t2"}, {"namespace": "other"}, {"owner": "app/prod"}]
)
def test_a_claim_intent_for_another_claim_is_replaced_create_before_delete(
    change: dict[str, str],
) -> None:
    result = ClaimIntentProvider().diff("id", intent(), intent(**change))

    assert result.replaces == list(change)
    assert result.delete_before_replace is False


class _Unbinds:
    def __init__(self) -> None:
        self.unbound: list[tuple[str, Reference]] = []

    def unbind(self, target_id: str, reference: Reference) -> None:
        self.unbound.append((target_id, reference))


class _RecordingIntent(ClaimIntentProvider):
    def __init__(self) -> None:
        super().__init__()
        self.registry = _Unbinds()

    @contextmanager
    def cluster(self) -> Iterator[Any]:
        yield SimpleNamespace(registry=self.registry)


def test_creating_a_claim_intent_touches_no_cluster() -> None:
    provider = _RecordingIntent()
    provider.cluster = None  # type: ignore[assignment,method-assign]

    result = provider.create(intent())

    assert result.outs == intent()


def test_deleting_a_claim_intent_removes_exactly_its_stacks_claim() -> None:
    provider = _RecordingIntent()

    provider.delete("id", intent())

    assert provider.registry.unbound == [
        ("t1", Reference(binding="prod-binding", namespace="flink-jobs", owner="app/dev"))
    ]


def test_provider_operations_share_one_connection_and_never_overlap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The SDK calls one provider instance from a thread pool; the Kubernetes
    # client crashes when two threads use it for the first time at once.
    connections: list[object] = []
    inside: list[int] = []
    overlaps: list[int] = []

    def slow_connect(self: ClusterProvider) -> object:
        time.sleep(0.02)
        connections.append(object())
        return connections[-1]

    def operation(_: int) -> object:
        with provider.cluster() as cluster:
            inside.append(1)
            overlaps.append(len(inside))
            time.sleep(0.01)
            inside.pop()
            return cluster

    monkeypatch.setattr(ClusterProvider, "_connect", slow_connect)
    provider = TargetBindingProvider()
    with ThreadPoolExecutor(max_workers=8) as pool:
        clusters = list(pool.map(operation, range(16)))

    assert len(connections) == 1
    assert all(cluster is connections[0] for cluster in clusters)
    assert max(overlaps) == 1


class _EmptyRegistry:
    namespace = "pulumi-flink"

    def get_target(self, _name: str) -> None:
        return None

    def get_target_by_id(self, _target_id: str) -> None:
        return None


class _NoTargets(DeploymentTargetProvider):
    @contextmanager
    def cluster(self) -> Iterator[Any]:
        yield SimpleNamespace(registry=_EmptyRegistry(), context_namespace="default")


def test_reading_a_missing_target_by_name_fails_naming_it_and_the_registry() -> None:
    with pytest.raises(TargetLookupError) as caught:
        _NoTargets().read("no-such-target", {})
    assert caught.value.target_name == "no-such-target"
    assert "namespace 'pulumi-flink'" in str(caught.value)


def test_refreshing_a_target_deleted_out_of_band_reports_it_gone() -> None:
    assert _NoTargets().read("prod", {"target_id": "1234"}).id is None


@pytest.mark.parametrize(
    "failure",
    [
        httpx2.ConnectError("[Errno 111] Connection refused"),
        httpx2.RemoteProtocolError("Server disconnected without sending a response."),
        httpx2.ReadTimeout("timed out"),
    ],
)
def test_a_connection_failing_mid_operation_names_the_cluster_address(
    monkeypatch: pytest.MonkeyPatch, failure: httpx2.TransportError
) -> None:
    server = "https://10.0.0.1:6443"
    monkeypatch.setattr(
        ClusterProvider, "_connect", lambda self: Cluster(object(), object(), "default", server)
    )
    with pytest.raises(ClusterUnreachableError) as caught, TargetBindingProvider().cluster():
        raise failure
    assert caught.value.server == server
    assert str(failure).rstrip(".") in str(caught.value)
