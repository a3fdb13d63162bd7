"""The DeploymentTarget registry against a real kube-apiserver.

Uses the ``dev_cluster`` fixture (``tests/e2e/conftest.py``): a local control
plane with real etcd and kube-apiserver. Every test works in a registry
namespace of its own.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest
from click.testing import CliRunner
from lightkube import ApiError, Client, KubeConfig
from lightkube.resources.core_v1 import ConfigMap, Namespace

from pulumi_flink.cli import main
from pulumi_flink.devcluster import DevCluster
from pulumi_flink.registry import (
    ClusterMismatchError,
    Reference,
    TargetBeingDeletedError,
    TargetInUseError,
    TargetNotFoundError,
    TargetRecord,
    TargetRegistry,
    _kube,
    cluster_id,
    default_namespace_of_kubeconfig,
)
from pulumi_flink.target import prepare_target_inputs

pytestmark = pytest.mark.e2e

PATCH_SET = [{"op": "add", "path": "/spec/template/spec/parallelism", "value": 2}]
APP_DEV = Reference(binding="prod-binding", namespace="jobs", owner="app/dev")
RACE_ROUNDS = 200
RACE_BINDERS = 4


@pytest.fixture(scope="module")
def client(dev_cluster: DevCluster) -> Iterator[Client]:
    with Client(config=KubeConfig.from_file(dev_cluster.kubeconfig)) as client:
        yield client


@pytest.fixture
def registry(client: Client) -> Iterator[TargetRegistry]:
    namespace = f"registry-{uuid.uuid4().hex[:8]}"
    yield TargetRegistry(client, namespace)
    try:
        client.delete(Namespace, namespace)
    except ApiError as err:
        if err.status.code != 404:  # never created
            raise


def config_map_of(client: Client, registry: TargetRegistry, name: str) -> ConfigMap:
    return client.get(ConfigMap, name, namespace=registry.namespace)


# -- records ------------------------------------------------------------------


def test_created_target_reads_back_by_name_by_id_and_in_the_list(
    registry: TargetRegistry,
) -> None:
    prod = registry.create_target(prepare_target_inputs("Team_A-prod", "jobs", PATCH_SET))
    staging = registry.create_target(prepare_target_inputs("staging", "jobs-staging", []))
    assert prod.deployment_patch_set == tuple(PATCH_SET)
    assert registry.get_target("Team_A-prod") == prod
    assert registry.get_target_by_id(staging.target_id) == staging
    assert registry.list_targets() == [prod, staging]
    assert registry.get_target("team-a-prod") is None


def test_record_is_an_immutable_labelled_config_map(
    client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", PATCH_SET))
    cm = config_map_of(client, registry, target.config_map_name)
    assert cm.immutable is True
    assert cm.metadata is not None and cm.metadata.labels is not None
    assert cm.metadata.labels["pulumi-flink.dev/target-id"] == target.target_id
    assert cm.metadata.labels["app.kubernetes.io/managed-by"] == "pulumi-flink"


def test_target_replaced_under_the_same_name_reads_as_the_newer_one(
    registry: TargetRegistry,
) -> None:
    old = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    new = registry.create_target(prepare_target_inputs("prod", "jobs", PATCH_SET))
    assert registry.get_target("prod") == new
    registry.delete_target(old.target_id)
    assert registry.list_targets() == [new]


def test_api_server_rejects_changes_to_recorded_data(
    client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", PATCH_SET))
    cm = config_map_of(client, registry, target.config_map_name)
    assert cm.data is not None
    cm.data["namespace"] = "elsewhere"
    with pytest.raises(ApiError) as raised:
        client.replace(cm)
    assert raised.value.status.code == 422
    assert "immutable" in (raised.value.status.message or "")
    assert registry.get_target_by_id(target.target_id) == target


def test_api_server_rejects_making_the_record_mutable(
    client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    cm = config_map_of(client, registry, target.config_map_name)
    cm.immutable = False
    with pytest.raises(ApiError) as raised:
        client.replace(cm)
    assert raised.value.status.code == 422


# -- in-use protection ----------------------------------------------------------


def test_bound_target_cannot_be_deleted_and_the_error_names_the_deployment(
    registry: TargetRegistry,
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    bound = registry.bind(target.target_id, APP_DEV)
    assert bound.references == (APP_DEV,)
    with pytest.raises(TargetInUseError) as raised:
        registry.delete_target(target.target_id)
    message = str(raised.value)
    assert "'app/dev' in namespace 'jobs' (binding 'prod-binding')" in message
    assert "delete those Deployments" in message
    assert registry.get_target_by_id(target.target_id) == bound


def test_unbinding_then_deleting_removes_the_record(
    client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    registry.bind(target.target_id, APP_DEV)
    registry.unbind(target.target_id, APP_DEV)
    registry.delete_target(target.target_id)
    assert registry.get_target_by_id(target.target_id) is None
    registry.delete_target(target.target_id)  # idempotent
    with pytest.raises(ApiError):
        config_map_of(client, registry, target.config_map_name)


def test_the_claim_of_a_gone_stack_is_released_from_the_cli_and_the_target_deletes(
    dev_cluster: DevCluster, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", PATCH_SET))
    gone = Reference(binding="prod-binding", namespace="jobs", owner="app/gone")
    registry.bind(target.target_id, APP_DEV)
    registry.bind(target.target_id, gone)
    cluster = ["--kubeconfig", str(dev_cluster.kubeconfig)]
    cluster += ["--registry-namespace", registry.namespace]

    listed = CliRunner().invoke(main, ["targets", "list", *cluster])
    released = CliRunner().invoke(
        main, ["targets", "release", "prod", "--owner", "app/gone", *cluster]
    )
    again = CliRunner().invoke(
        main, ["targets", "release", "prod", "--owner", "app/gone", *cluster]
    )

    assert listed.exit_code == 0, listed.output
    assert "claimed by 'app/gone' (namespace 'jobs', binding 'prod-binding')" in listed.output
    assert released.exit_code == 0, released.output
    assert "released 'app/gone' (namespace 'jobs', binding 'prod-binding') on prod" in (
        released.output
    )
    assert again.exit_code == 1
    assert "no claim of 'app/gone' on a target named 'prod'" in again.output
    record = registry.get_target_by_id(target.target_id)
    assert record is not None and record.references == (APP_DEV,)
    registry.unbind(target.target_id, APP_DEV)
    registry.delete_target(target.target_id)
    assert registry.get_target_by_id(target.target_id) is None


def test_bind_to_a_deleted_target_is_refused(registry: TargetRegistry) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    registry.delete_target(target.target_id)
    with pytest.raises(TargetNotFoundError, match="'prod'"):
        registry.bind(target.target_id, APP_DEV, target_name="prod")


def test_api_server_enforces_the_delete_preconditions(
    client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    cm = config_map_of(client, registry, target.config_map_name)
    assert cm.metadata is not None and cm.metadata.uid and cm.metadata.resourceVersion
    registry.bind(target.target_id, APP_DEV)  # moves the version on
    for uid, version in [
        (cm.metadata.uid, cm.metadata.resourceVersion),
        (str(uuid.uuid4()), None),
    ]:
        current = config_map_of(client, registry, target.config_map_name)
        assert current.metadata is not None and current.metadata.resourceVersion
        with pytest.raises(ApiError) as raised:
            _kube.delete_config_map_if_unchanged(
                client,
                target.config_map_name,
                registry.namespace,
                uid=uid,
                resource_version=version or current.metadata.resourceVersion,
            )
        assert raised.value.status.code == 409
    assert registry.get_target_by_id(target.target_id) is not None


def test_target_whose_deletion_started_refuses_new_deployments(
    client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    cm = config_map_of(client, registry, target.config_map_name)
    assert cm.metadata is not None
    cm.metadata.finalizers = ["example.com/hold"]  # somebody else's finalizer
    client.replace(cm)
    registry.delete_target(target.target_id)  # only sets deletionTimestamp
    with pytest.raises(TargetBeingDeletedError):
        registry.bind(target.target_id, APP_DEV)
    held = config_map_of(client, registry, target.config_map_name)
    assert held.metadata is not None
    held.metadata.finalizers = []
    client.replace(held)
    assert registry.get_target_by_id(target.target_id) is None


# -- cluster identity -----------------------------------------------------------


def test_cluster_id_is_the_uid_of_kube_system(client: Client) -> None:
    kube_system = client.get(Namespace, "kube-system")
    assert kube_system.metadata is not None
    assert cluster_id(client) == kube_system.metadata.uid


def test_registry_on_another_cluster_is_reported_with_both_ids(
    client: Client, registry: TargetRegistry
) -> None:
    registry.check_same_cluster(cluster_id(client))
    with pytest.raises(ClusterMismatchError, match=cluster_id(client)):
        registry.check_same_cluster(str(uuid.uuid4()))


def test_default_namespace_of_the_dev_cluster_kubeconfig(dev_cluster: DevCluster) -> None:
    assert default_namespace_of_kubeconfig(dev_cluster.kubeconfig) == "default"


# -- races ----------------------------------------------------------------------


@dataclass
class DeleteConflicts:
    """Counts deletes refused because the record changed since it was checked.

    A race test that never hits this window proves nothing, so the tests
    assert that it was hit.
    """

    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real = _kube.delete_config_map_if_unchanged

        def counting(*args: Any, **kwargs: Any) -> None:
            try:
                real(*args, **kwargs)
            except ApiError as err:
                if err.status.code == 409:
                    with self.lock:
                        self.count += 1
                raise

        monkeypatch.setattr(_kube, "delete_config_map_if_unchanged", counting)


def run_together(actions: Sequence[Callable[[], object]]) -> list[object]:
    """Run the actions on threads released at once; each one's result or exception."""
    results: list[object] = [None] * len(actions)
    barrier = threading.Barrier(len(actions))

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = actions[index]()
        except Exception as err:  # judged by the test
            results[index] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def race_references(count: int) -> list[Reference]:
    return [Reference(binding=f"job-{i}", namespace="jobs", owner="race") for i in range(count)]


def test_binds_racing_a_delete_are_never_lost(
    registry: TargetRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each round ends in one of two worlds, never a mix.

    Deleted: the delete succeeded and every bind was refused as not found.
    Kept: every bind succeeded and is recorded, and the delete was refused
    naming only Deployments that did bind.
    """
    conflicts = DeleteConflicts()
    conflicts.install(monkeypatch)
    refs = race_references(RACE_BINDERS)
    worlds: Counter[str] = Counter()
    for round_number in range(RACE_ROUNDS):
        target_id = registry.create_target(
            prepare_target_inputs(f"race-{round_number}", "jobs", [])
        ).target_id
        deleted, *binds = run_together(
            [partial(registry.delete_target, target_id)]
            + [partial(registry.bind, target_id, ref) for ref in refs]
        )
        final = registry.get_target_by_id(target_id)
        bound = {
            ref for ref, result in zip(refs, binds, strict=True) if isinstance(result, TargetRecord)
        }
        where = f"round {round_number}: delete -> {deleted!r}, binds -> {binds!r}"
        assert all(isinstance(r, (TargetRecord, TargetNotFoundError)) for r in binds), where
        if final is None:
            worlds["deleted"] += 1
            assert deleted is None, where
            assert not bound, f"{where}: successful binds lost with the target"
        else:
            worlds["kept"] += 1
            assert isinstance(deleted, TargetInUseError), where
            assert bound == set(refs), where
            assert set(final.references) == bound, where
            assert deleted.references and set(deleted.references) <= bound, where
            for ref in refs:
                registry.unbind(target_id, ref)
            registry.delete_target(target_id)
    print(f"worlds {dict(worlds)}, deletes refused by preconditions: {conflicts.count}")
    assert worlds["deleted"] and worlds["kept"], f"one-sided race: {dict(worlds)}"
    assert conflicts.count, "no bind ever landed between a delete's check and its delete"


def test_a_bound_target_stays_until_unbound_while_a_deleter_keeps_trying(
    registry: TargetRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Binders bind, check their reference, unbind; a deleter retries until done.

    While a bind stands the target must exist and carry it; once every
    binder is done the deleter must have succeeded.
    """
    conflicts = DeleteConflicts()
    conflicts.install(monkeypatch)
    refs = race_references(RACE_BINDERS)
    rounds = RACE_ROUNDS // 2

    def use(target_id: str, ref: Reference) -> str:
        try:
            registry.bind(target_id, ref)
        except TargetNotFoundError:
            return "too late"
        seen = registry.get_target_by_id(target_id)
        if seen is None or ref not in seen.references:
            return f"bound but target shows {seen!r}"
        registry.unbind(target_id, ref)
        return "used"

    def delete_until_gone(target_id: str) -> str:
        for _ in range(10_000):
            try:
                registry.delete_target(target_id)
            except TargetInUseError:
                continue
            return "deleted"
        return "never deleted"

    outcomes: Counter[str] = Counter()
    for round_number in range(rounds):
        target_id = registry.create_target(
            prepare_target_inputs(f"use-{round_number}", "jobs", [])
        ).target_id
        deleted, *uses = run_together(
            [partial(delete_until_gone, target_id)] + [partial(use, target_id, ref) for ref in refs]
        )
        where = f"round {round_number}: delete -> {deleted!r}, uses -> {uses!r}"
        assert deleted == "deleted", where
        assert all(u in ("used", "too late") for u in uses), where
        assert registry.get_target_by_id(target_id) is None, where
        outcomes.update(str(u) for u in uses)
    print(f"uses {dict(outcomes)}, deletes refused by preconditions: {conflicts.count}")
    assert outcomes["used"] and outcomes["too late"], f"one-sided race: {dict(outcomes)}"
