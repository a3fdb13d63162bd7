"""The registry protocol against an in-memory API server, interleavings forced.

The fake implements just what the registry uses of the ConfigMap and
Namespace APIs, with the API server's concurrency rules: every write bumps
``resourceVersion``, an update or a delete carrying a stale one is refused
with 409, immutable data cannot change. Hooks run a competing operation at
an exact point of another one, so each race is replayed deterministically
(the end-to-end tests race real threads against a real API server).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from lightkube import ApiError, Client, KubeConfig
from lightkube.config.models import Cluster, User

from pulumi_flink.errors import SpecValidationError
from pulumi_flink.registry import (
    ClusterMismatchError,
    Reference,
    RegistryContentionError,
    TargetBeingDeletedError,
    TargetInUseError,
    TargetNotFoundError,
    TargetRegistry,
    _kube,
)
from pulumi_flink.registry._names import DELETING_ANNOTATION
from pulumi_flink.target import prepare_target_inputs

Json = dict[str, Any]
KUBE_SYSTEM_UID = "11111111-2222-4333-8444-555555555555"
APP_DEV = Reference(binding="prod-binding", namespace="jobs", owner="app/dev")
APP_STAGING = Reference(binding="prod-binding", namespace="jobs", owner="app/staging")


def status(code: int, reason: str, message: str) -> httpx2.Response:
    body = {"kind": "Status", "apiVersion": "v1", "status": "Failure"}
    return httpx2.Response(code, json={**body, "reason": reason, "message": message, "code": code})


class FakeApiServer:
    """Namespaces and ConfigMaps with resourceVersion semantics."""

    def __init__(self) -> None:
        self.revision = 0
        self.namespaces: dict[str, Json] = {
            "kube-system": {"metadata": {"name": "kube-system", "uid": KUBE_SYSTEM_UID}}
        }
        self.config_maps: dict[tuple[str, str], Json] = {}
        self.delete_bodies: list[Json] = []
        self._hooks: list[tuple[str, Callable[[], object]]] = []

    # -- test controls ------------------------------------------------------

    def before_next(self, method: str, action: Callable[[], object]) -> None:
        """Run ``action`` just before the next ConfigMap request with ``method``.

        If it returns a response, that is the answer to the request.
        """
        self._hooks.append((method, action))

    def only_config_map(self) -> Json:
        (config_map,) = self.config_maps.values()
        return config_map

    def touch(self, name: str, namespace: str = "pulumi-flink") -> None:
        """A concurrent metadata write by somebody else."""
        stored = self.config_maps[(namespace, name)]
        stored["metadata"].setdefault("annotations", {})["example.com/touched"] = str(self.revision)
        stored["metadata"]["resourceVersion"] = self._next_revision()

    # -- HTTP ---------------------------------------------------------------

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        parts = request.url.path.strip("/").split("/")
        assert parts[:2] == ["api", "v1"], request.url
        parts = parts[2:]
        body = json.loads(request.content) if request.content else None
        if parts[0] == "namespaces" and len(parts) <= 2:
            return self._namespace(request.method, parts[1:], body)
        assert parts[0] == "namespaces" and parts[2] == "configmaps", request.url
        for index, (method, action) in enumerate(self._hooks):
            if method == request.method:
                del self._hooks[index]
                answer = action()
                if isinstance(answer, httpx2.Response):
                    return answer
                break
        namespace, rest = parts[1], parts[3:]
        if not rest:
            if request.method == "GET":
                return self._list(namespace, request.url.params.get("labelSelector", ""))
            return self._create(namespace, body)
        name = rest[0]
        if request.method == "GET":
            stored = self.config_maps.get((namespace, name))
            return httpx2.Response(200, json=stored) if stored else self._not_found(name)
        if request.method == "PUT":
            return self._update(namespace, name, body)
        assert request.method == "DELETE"
        return self._delete(namespace, name, body)

    def _next_uid(self) -> str:
        # Not uuid4: tests replace that to control target ids.
        return f"uid-{self._next_revision()}"

    def _next_revision(self) -> str:
        self.revision += 1
        return str(self.revision)

    def _not_found(self, name: str) -> httpx2.Response:
        return status(404, "NotFound", f'configmaps "{name}" not found')

    def _namespace(self, method: str, rest: list[str], body: Json | None) -> httpx2.Response:
        if method == "GET":
            found = self.namespaces.get(rest[0])
            if found is None:
                return status(404, "NotFound", f'namespaces "{rest[0]}" not found')
            return httpx2.Response(200, json=found)
        assert method == "POST" and body is not None
        name = body["metadata"]["name"]
        if name in self.namespaces:
            return status(409, "AlreadyExists", f'namespaces "{name}" already exists')
        body["metadata"]["uid"] = self._next_uid()
        self.namespaces[name] = body
        return httpx2.Response(201, json=body)

    def _list(self, namespace: str, selector: str) -> httpx2.Response:
        wanted = dict(term.split("=", 1) for term in selector.split(",") if term)
        items = [
            cm
            for (ns, _), cm in sorted(self.config_maps.items())
            if ns == namespace
            and all(cm["metadata"].get("labels", {}).get(k) == v for k, v in wanted.items())
        ]
        return httpx2.Response(
            200,
            json={
                "kind": "ConfigMapList",
                "apiVersion": "v1",
                "metadata": {"resourceVersion": str(self.revision)},
                "items": items,
            },
        )

    def _create(self, namespace: str, body: Json | None) -> httpx2.Response:
        assert body is not None
        name = body["metadata"]["name"]
        if namespace not in self.namespaces:
            return status(404, "NotFound", f'namespaces "{namespace}" not found')
        if (namespace, name) in self.config_maps:
            return status(409, "AlreadyExists", f'configmaps "{name}" already exists')
        body["metadata"].update(uid=self._next_uid(), resourceVersion=self._next_revision())
        self.config_maps[(namespace, name)] = body
        return httpx2.Response(201, json=body)

    def _update(self, namespace: str, name: str, body: Json | None) -> httpx2.Response:
        assert body is not None
        stored = self.config_maps.get((namespace, name))
        if stored is None:
            return self._not_found(name)
        version = body["metadata"].get("resourceVersion")
        if version is not None and version != stored["metadata"]["resourceVersion"]:
            return status(409, "Conflict", "the object has been modified")
        if stored.get("immutable") and (
            body.get("data") != stored.get("data") or not body.get("immutable")
        ):
            return status(422, "Invalid", "data: Forbidden: field is immutable")
        body["metadata"]["uid"] = stored["metadata"]["uid"]
        body["metadata"]["resourceVersion"] = self._next_revision()
        self.config_maps[(namespace, name)] = body
        return httpx2.Response(200, json=body)

    def _delete(self, namespace: str, name: str, body: Json | None) -> httpx2.Response:
        self.delete_bodies.append(body or {})
        stored = self.config_maps.get((namespace, name))
        if stored is None:
            return self._not_found(name)
        preconditions = (body or {}).get("preconditions") or {}
        for field in ("uid", "resourceVersion"):
            if field in preconditions and preconditions[field] != stored["metadata"][field]:
                return status(409, "Conflict", f"Precondition failed: {field}")
        if stored["metadata"].get("finalizers"):
            stored["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z"
            stored["metadata"]["resourceVersion"] = self._next_revision()
            return httpx2.Response(200, json=stored)
        del self.config_maps[(namespace, name)]
        return httpx2.Response(200, json={"kind": "Status", "status": "Success"})


@pytest.fixture
def server() -> FakeApiServer:
    return FakeApiServer()


@pytest.fixture
def client(server: FakeApiServer) -> Iterator[Client]:
    config = KubeConfig.from_one(cluster=Cluster(server="http://fake"), user=User())
    with Client(config=config, transport=httpx2.MockTransport(server.handle)) as client:
        yield client


@pytest.fixture
def registry(client: Client) -> TargetRegistry:
    return TargetRegistry(client)


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_kube, "pause_before_retry", lambda attempt: None)


# -- targets ------------------------------------------------------------------


def test_create_target_records_it_in_the_registry_namespace_which_it_creates(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    created = registry.create_target(
        prepare_target_inputs("prod", "jobs", [{"op": "remove", "path": "/a"}])
    )
    assert "pulumi-flink" in server.namespaces
    stored = server.only_config_map()
    assert stored["metadata"]["namespace"] == "pulumi-flink"
    assert stored["metadata"]["name"] == created.config_map_name
    assert stored["immutable"] is True
    assert created.deployment_patch_set == ({"op": "remove", "path": "/a"},)
    assert uuid.UUID(created.target_id).version == 4


def test_create_target_records_the_registry_cluster_unless_told_otherwise(
    registry: TargetRegistry,
) -> None:
    assert (
        registry.create_target(prepare_target_inputs("a", "jobs", [])).cluster_id == KUBE_SYSTEM_UID
    )
    assert (
        registry.create_target(
            prepare_target_inputs("b", "jobs", []), cluster_id="other"
        ).cluster_id
        == "other"
    )


def test_create_target_resolves_an_unset_namespace_to_the_default_given(
    registry: TargetRegistry,
) -> None:
    created = registry.create_target(
        prepare_target_inputs("prod", None, []), default_namespace="from-context"
    )

    assert created.namespace == "from-context"


def test_create_target_rejects_an_invalid_default_namespace_before_touching_the_cluster(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    with pytest.raises(SpecValidationError):
        registry.create_target(prepare_target_inputs("prod", None, []), default_namespace="Jobs")
    assert not server.config_maps


def test_create_target_draws_a_new_id_when_the_record_name_is_taken(
    server: FakeApiServer, registry: TargetRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = iter(
        uuid.UUID(text)
        for text in (
            "aaaaaaaa-0000-4000-8000-000000000001",
            "aaaaaaaa-0000-4000-8000-000000000002",
            "bbbbbbbb-0000-4000-8000-000000000003",
        )
    )
    monkeypatch.setattr(uuid, "uuid4", lambda: next(ids))
    registry.create_target(prepare_target_inputs("prod", "jobs", []))
    second = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    assert second.target_id == "bbbbbbbb-0000-4000-8000-000000000003"
    assert len(server.config_maps) == 2


def test_create_target_gives_up_naming_the_target_when_every_record_name_is_taken(
    registry: TargetRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID("aaaaaaaa-0000-4000-8000-000000000001"))
    registry.create_target(prepare_target_inputs("prod", "jobs", []))

    with pytest.raises(RegistryContentionError, match="create of DeploymentTarget 'prod'"):
        registry.create_target(prepare_target_inputs("prod", "jobs", []))


def test_get_target_returns_the_newest_record_of_that_exact_name(
    registry: TargetRegistry,
) -> None:
    older = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    newer = registry.create_target(prepare_target_inputs("prod", "other", []))
    registry.create_target(
        prepare_target_inputs("Prod", "jobs", [])
    )  # sanitizes alike, different name
    assert older.created_at <= newer.created_at
    assert registry.get_target("prod") == newer
    assert registry.get_target_by_id(older.target_id) == older


def test_get_target_of_an_unknown_name_or_id_is_none(registry: TargetRegistry) -> None:
    assert registry.get_target("prod") is None
    assert registry.get_target_by_id(str(uuid.uuid4())) is None
    assert registry.get_target_by_id("not a uuid") is None


def test_list_targets_sorts_by_name_then_age(registry: TargetRegistry) -> None:
    b = registry.create_target(prepare_target_inputs("b", "jobs", []))
    a1 = registry.create_target(prepare_target_inputs("a", "jobs", []))
    a2 = registry.create_target(prepare_target_inputs("a", "jobs", []))
    assert registry.list_targets() == [a1, a2, b]


def test_a_create_repeated_after_its_answer_was_lost_leaves_one_record(
    registry: TargetRegistry,
) -> None:
    # The first create committed, but Pulumi never heard (provider killed,
    # API server gone): it creates again, and only the second record remains.
    prod = prepare_target_inputs("prod", "jobs", [])
    registry.create_target(prod, creator="app/dev/prod")
    again = registry.create_target(prod, creator="app/dev/prod")
    assert registry.list_targets() == [again]


def test_a_session_cluster_record_created_again_after_a_lost_answer_is_recorded_once(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    def record() -> str:
        return registry.create_session_cluster(
            "shared", namespace="jobs", document={"kind": "SessionCluster"}, creator="p/s/shared"
        ).target_id

    record()
    again = record()
    assert server.only_config_map()["data"]["targetId"] == again


def test_a_repeated_create_keeps_claimed_records_and_those_of_other_creators(
    registry: TargetRegistry,
) -> None:
    prod = prepare_target_inputs("prod", "jobs", [])
    claimed = registry.create_target(prod, creator="app/dev/prod")
    registry.bind(claimed.target_id, APP_DEV)
    other = registry.create_target(prod, creator="app/staging/prod")
    unknown = registry.create_target(prod)
    again = registry.create_target(prod, creator="app/dev/prod")
    assert {r.target_id for r in registry.list_targets()} == {
        claimed.target_id,
        other.target_id,
        unknown.target_id,
        again.target_id,
    }


def test_a_repeated_create_keeps_a_record_claimed_while_it_looked(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    prod = prepare_target_inputs("prod", "jobs", [])
    lost = registry.create_target(prod, creator="app/dev/prod")
    server.before_next("DELETE", lambda: registry.bind(lost.target_id, APP_DEV))
    registry.create_target(prod, creator="app/dev/prod")
    assert registry.get_target_by_id(lost.target_id) is not None


# -- binding ------------------------------------------------------------------


def test_bind_records_the_reference_and_returns_the_bound_target(
    registry: TargetRegistry,
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    bound = registry.bind(target.target_id, APP_DEV)
    assert bound.references == (APP_DEV,)
    assert registry.get_target_by_id(target.target_id) == bound


def test_binding_twice_records_the_reference_once_without_writing(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    registry.bind(target.target_id, APP_DEV)
    revision = server.revision
    assert registry.bind(target.target_id, APP_DEV).references == (APP_DEV,)
    assert server.revision == revision


def test_bind_to_an_unknown_target_names_it(registry: TargetRegistry) -> None:
    with pytest.raises(TargetNotFoundError, match="'prod'"):
        registry.bind(str(uuid.uuid4()), APP_DEV, target_name="prod")


def test_bind_retries_when_the_record_changed_since_it_was_read(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    server.before_next("PUT", lambda: server.touch(target.config_map_name))
    assert registry.bind(target.target_id, APP_DEV).references == (APP_DEV,)


def test_concurrent_binds_of_different_deployments_are_both_kept(
    server: FakeApiServer, client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    other = TargetRegistry(client)
    server.before_next("PUT", lambda: other.bind(target.target_id, APP_STAGING))
    registry.bind(target.target_id, APP_DEV)
    assert registry.get_target_by_id(target.target_id).references == (  # type: ignore[union-attr]
        APP_DEV,
        APP_STAGING,
    )


def test_bind_that_loses_to_a_delete_reports_the_target_gone(
    server: FakeApiServer, client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    deleter = TargetRegistry(client)
    server.before_next("PUT", lambda: deleter.delete_target(target.target_id))
    with pytest.raises(TargetNotFoundError):
        registry.bind(target.target_id, APP_DEV)
    assert not server.config_maps


def test_bind_refuses_a_target_whose_deletion_has_started(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    server.only_config_map()["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z"
    with pytest.raises(TargetBeingDeletedError, match="'prod'"):
        registry.bind(target.target_id, APP_DEV)


def test_bind_refuses_a_target_fenced_with_the_deleting_annotation(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    server.only_config_map()["metadata"]["annotations"] = {DELETING_ANNOTATION: "drain"}
    with pytest.raises(TargetBeingDeletedError):
        registry.bind(target.target_id, APP_DEV)


def test_bind_that_read_before_deletion_started_refuses_after_retrying(
    server: FakeApiServer, client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    server.only_config_map()["metadata"]["finalizers"] = ["example.com/keep"]
    deleter = TargetRegistry(client)
    server.before_next("PUT", lambda: deleter.delete_target(target.target_id))
    with pytest.raises(TargetBeingDeletedError):
        registry.bind(target.target_id, APP_DEV)
    assert not server.only_config_map()["metadata"].get("annotations")


def test_bind_gives_up_after_bounded_conflicts(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    for _ in range(_kube.MAX_ATTEMPTS):
        server.before_next("PUT", lambda: server.touch(target.config_map_name))
    with pytest.raises(RegistryContentionError, match="bind"):
        registry.bind(target.target_id, APP_DEV)


def test_unbind_removes_only_that_reference(registry: TargetRegistry) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    registry.bind(target.target_id, APP_DEV)
    registry.bind(target.target_id, APP_STAGING)
    unbound = registry.unbind(target.target_id, APP_DEV)
    assert unbound is not None and unbound.references == (APP_STAGING,)


def test_unbind_retries_when_the_record_changed_since_it_was_read(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    registry.bind(target.target_id, APP_DEV)
    server.before_next("PUT", lambda: server.touch(target.config_map_name))
    unbound = registry.unbind(target.target_id, APP_DEV)
    assert unbound is not None and unbound.references == ()


def test_unbind_of_an_absent_reference_or_target_succeeds(registry: TargetRegistry) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    assert registry.unbind(target.target_id, APP_DEV) == target
    assert registry.unbind(str(uuid.uuid4()), APP_DEV) is None


def test_release_removes_only_the_named_stacks_claims_on_every_record_of_the_name(
    registry: TargetRegistry,
) -> None:
    old = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    new = registry.create_target(prepare_target_inputs("prod", "etl", []))
    other = registry.create_target(prepare_target_inputs("prod-2", "jobs", []))
    for target in (old, new, other):
        registry.bind(target.target_id, APP_DEV)
        registry.bind(target.target_id, APP_STAGING)

    released = registry.release("prod", "app/dev")

    assert sorted((r.target_id, ref) for r, ref in released) == sorted(
        [(old.target_id, APP_DEV), (new.target_id, APP_DEV)]
    )
    for target, left in ((old, (APP_STAGING,)), (new, (APP_STAGING,))):
        found = registry.get_target_by_id(target.target_id)
        assert found is not None and found.references == left
    found = registry.get_target_by_id(other.target_id)
    assert found is not None and found.references == (APP_DEV, APP_STAGING)


def test_release_narrowed_to_a_binding_keeps_the_stacks_other_claims(
    registry: TargetRegistry,
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    other_binding = Reference(binding="prod-binding-eu", namespace="jobs", owner="app/dev")
    registry.bind(target.target_id, APP_DEV)
    registry.bind(target.target_id, other_binding)

    released = registry.release("prod", "app/dev", binding="prod-binding-eu")

    assert [ref for _, ref in released] == [other_binding]
    found = registry.get_target_by_id(target.target_id)
    assert found is not None and found.references == (APP_DEV,)
    assert registry.release("prod", "app/gone") == []


# -- deleting -----------------------------------------------------------------


def test_delete_refuses_while_referenced_and_lists_every_reference(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    registry.bind(target.target_id, APP_DEV)
    registry.bind(target.target_id, APP_STAGING)
    with pytest.raises(TargetInUseError) as raised:
        registry.delete_target(target.target_id)
    assert raised.value.references == (APP_DEV, APP_STAGING)
    assert "'app/dev' in namespace 'jobs' (binding 'prod-binding')" in str(raised.value)
    assert raised.value.replaced_by is None
    assert server.config_maps


def test_delete_of_a_replaced_target_still_in_use_names_its_replacement(
    registry: TargetRegistry,
) -> None:
    old = registry.create_target(prepare_target_inputs("prod", "jobs", []), creator="p/s/prod")
    registry.bind(old.target_id, APP_DEV)
    new = registry.create_target(prepare_target_inputs("prod", "etl", []), creator="p/s/prod")
    with pytest.raises(TargetInUseError) as raised:
        registry.delete_target(old.target_id)
    assert raised.value.replaced_by == new.target_id
    assert f"the new target (id {new.target_id}) exists" in str(raised.value)


def test_delete_after_unbinding_everything_removes_the_record(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    registry.bind(target.target_id, APP_DEV)
    registry.unbind(target.target_id, APP_DEV)
    registry.delete_target(target.target_id)
    assert not server.config_maps


def test_delete_of_an_absent_target_succeeds(registry: TargetRegistry) -> None:
    registry.delete_target(str(uuid.uuid4()))


def test_delete_is_conditional_on_the_uid_and_version_it_checked(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    metadata = server.only_config_map()["metadata"]
    registry.delete_target(target.target_id)
    assert server.delete_bodies == [
        {
            "apiVersion": "v1",
            "kind": "DeleteOptions",
            "preconditions": {
                "uid": metadata["uid"],
                "resourceVersion": metadata["resourceVersion"],
            },
        }
    ]


def test_bind_landing_between_the_deletes_check_and_its_delete_wins(
    server: FakeApiServer, client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    binder = TargetRegistry(client)
    server.before_next("DELETE", lambda: binder.bind(target.target_id, APP_DEV))
    with pytest.raises(TargetInUseError, match="app/dev"):
        registry.delete_target(target.target_id)
    assert registry.get_target_by_id(target.target_id).references == (APP_DEV,)  # type: ignore[union-attr]


def test_unrelated_change_between_the_deletes_check_and_its_delete_is_retried(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    server.before_next("DELETE", lambda: server.touch(target.config_map_name))
    registry.delete_target(target.target_id)
    assert not server.config_maps


def test_delete_racing_another_delete_succeeds(
    server: FakeApiServer, client: Client, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    other = TargetRegistry(client)
    server.before_next("DELETE", lambda: other.delete_target(target.target_id))
    registry.delete_target(target.target_id)
    assert not server.config_maps


def test_delete_gives_up_after_bounded_conflicts(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    for _ in range(_kube.MAX_ATTEMPTS):
        server.before_next("DELETE", lambda: server.touch(target.config_map_name))
    with pytest.raises(RegistryContentionError, match="delete"):
        registry.delete_target(target.target_id)


# -- cluster identity ---------------------------------------------------------


def test_cluster_id_is_the_uid_of_kube_system(registry: TargetRegistry) -> None:
    assert registry.cluster_id() == KUBE_SYSTEM_UID


def test_same_cluster_check_passes_for_the_same_cluster(registry: TargetRegistry) -> None:
    registry.check_same_cluster(KUBE_SYSTEM_UID)


def test_same_cluster_check_names_both_clusters_on_mismatch(registry: TargetRegistry) -> None:
    with pytest.raises(ClusterMismatchError, match=f"other-uid.*{KUBE_SYSTEM_UID}"):
        registry.check_same_cluster("other-uid")


def test_other_api_errors_of_bind_propagate(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    server.before_next("PUT", lambda: status(403, "Forbidden", "no updates for you"))
    with pytest.raises(ApiError, match="no updates for you"):
        registry.bind(target.target_id, APP_DEV)


def test_other_api_errors_of_delete_propagate(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    target = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    server.before_next("DELETE", lambda: status(403, "Forbidden", "no deletes for you"))
    with pytest.raises(ApiError, match="no deletes for you"):
        registry.delete_target(target.target_id)


def test_record_times_are_utc(registry: TargetRegistry) -> None:
    created = registry.create_target(prepare_target_inputs("prod", "jobs", []))
    assert created.created_at.utcoffset() == timedelta(0)


# -- session clusters: recorded and claimed like targets --------------------

SHARED_DOCUMENT: Json = {"kind": "SessionCluster", "metadata": {"name": "shared"}, "spec": {}}
JOBS_DEV = Reference(binding="shared-binding", namespace="jobs", owner="jobs/dev")


def test_a_session_cluster_record_is_found_by_name_only_as_a_session_cluster(
    registry: TargetRegistry,
) -> None:
    record = registry.create_session_cluster("shared", namespace="jobs", document=SHARED_DOCUMENT)

    found = registry.get_target("shared", kind="session-cluster")
    assert found is not None
    assert (found.target_id, found.namespace, found.document) == (
        record.target_id,
        "jobs",
        SHARED_DOCUMENT,
    )
    assert registry.get_target("shared") is None
    assert registry.list_targets() == []


def test_a_session_cluster_with_jobs_is_not_deleted_and_the_refusal_names_them(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    record = registry.create_session_cluster("shared", namespace="jobs", document=SHARED_DOCUMENT)
    registry.bind(record.target_id, JOBS_DEV)

    with pytest.raises(TargetInUseError) as raised:
        registry.delete_target(record.target_id)

    assert str(raised.value).startswith(f"SessionCluster 'shared' (id {record.target_id})")
    assert "'jobs/dev' in namespace 'jobs' (binding 'shared-binding')" in str(raised.value)
    assert server.config_maps


def test_a_job_binding_between_the_clusters_check_and_its_delete_wins(
    server: FakeApiServer, client: Client, registry: TargetRegistry
) -> None:
    record = registry.create_session_cluster("shared", namespace="jobs", document=SHARED_DOCUMENT)
    binder = TargetRegistry(client)
    server.before_next("DELETE", lambda: binder.bind(record.target_id, JOBS_DEV))

    with pytest.raises(TargetInUseError, match="jobs/dev"):
        registry.delete_target(record.target_id)


def test_a_session_cluster_without_jobs_is_deleted(
    server: FakeApiServer, registry: TargetRegistry
) -> None:
    record = registry.create_session_cluster("shared", namespace="jobs", document=SHARED_DOCUMENT)
    registry.bind(record.target_id, JOBS_DEV)
    registry.unbind(record.target_id, JOBS_DEV)

    registry.delete_target(record.target_id)

    assert not server.config_maps


def test_updating_a_session_clusters_document_keeps_its_id_and_claims(
    registry: TargetRegistry,
) -> None:
    record = registry.create_session_cluster("shared", namespace="jobs", document=SHARED_DOCUMENT)
    registry.bind(record.target_id, JOBS_DEV)
    changed = {**SHARED_DOCUMENT, "spec": {"numberOfTaskManagers": 3}}

    updated = registry.update_session_cluster(record.target_id, changed)

    assert (updated.target_id, updated.document, updated.references) == (
        record.target_id,
        changed,
        (JOBS_DEV,),
    )


def test_a_job_binding_during_a_document_update_is_kept(
    server: FakeApiServer, client: Client, registry: TargetRegistry
) -> None:
    record = registry.create_session_cluster("shared", namespace="jobs", document=SHARED_DOCUMENT)
    binder = TargetRegistry(client)
    server.before_next("PUT", lambda: binder.bind(record.target_id, JOBS_DEV))

    updated = registry.update_session_cluster(record.target_id, SHARED_DOCUMENT)

    assert updated.references == (JOBS_DEV,)
