"""The registry of DeploymentTargets and of the Deployments that use them.

Each target is an immutable ConfigMap in the registry namespace; each claim
on it (a :class:`Reference`: one per stack whose Deployments use it) is an
annotation on that ConfigMap's metadata (metadata
of an immutable ConfigMap can still change). Binding adds the annotation,
unbinding removes it, and deleting a target is refused while any remain.

Why binding and deleting cannot race
------------------------------------
Both are conditional writes on the record's ``resourceVersion``, which the
API server changes on every write and never reuses for the object, made by
the registry's one read-conditional-write-retry loop
(:meth:`TargetRegistry._update_record`, which ``unbind`` shares):

* ``bind`` reads the record at version *v*, then replaces it with the
  reference added, on condition that it is still at *v* (an update carrying
  ``resourceVersion`` *v*). On 409 Conflict it reads again and retries.
* ``delete_target`` reads the record at version *w*; if *w* carries any
  reference it refuses (:class:`TargetInUseError`), otherwise it deletes on
  condition that the record is still *w* (``DeleteOptions.preconditions``
  with uid and resourceVersion). The API server checks the condition and
  deletes in one etcd transaction. On 409 it reads again and re-evaluates.

Suppose a bind of reference *r* and a delete both succeed. The bind
committed first or the delete did. If the bind committed first, every later
version of the record still carries *r* (each write is a read-modify-write
of the whole annotation set conditioned on the version it read, so writes of
other references keep *r*), unless *r* itself was unbound; so *w*, read after
the bind, carries *r* and the delete refuses. If the delete committed first,
the version *v* the bind is conditioned on no longer exists (a record
recreated with the same name would have a new uid and a later version), so
the update fails with 404 or 409, and the retry finds no record:
:class:`TargetNotFoundError`. Either way, contradiction: a successful bind is
never lost, and never left pointing at a deleted record. Every retry is
caused by another writer's successful write, and retries are bounded, so a
storm of writers ends in :class:`RegistryContentionError`, never a hang.

No "deleting" mark is written. Kubernetes PVC protection needs one because
its deletion is decided at one moment and completed later (a finalizer keeps
the PVC while pods use it), and new users must be refused in between. Here
decision and removal are one compare-and-delete: there is no in-between.
The only way to open one is a finalizer that someone else puts on the
ConfigMap: ``DELETE`` then merely sets ``deletionTimestamp``. ``bind`` treats
that as "deletion started" and refuses (:class:`TargetBeingDeletedError`);
setting it is itself a write, so a bind that read before it conflicts,
re-reads and refuses. A mark of our own would add a failure mode instead: a
deleter that dies between marking and deleting would leave a target that
refuses every Deployment until somebody deletes it. ``bind`` does honour the
``pulumi-flink.dev/deleting`` annotation as a fence an operator can set.

Requests whose outcome is unknown (a timeout after the server committed) err
on the safe side: a bind that did commit protects the target though its
caller saw an error, and repeating it is harmless (binding is idempotent);
a delete that did commit is repeated as a no-op.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, Generic, TypeVar

from lightkube import ApiError, Client
from lightkube.core.client import LabelSelector
from lightkube.resources.core_v1 import ConfigMap

from pulumi_flink.errors import SpecValidationError
from pulumi_flink.model.names import namespace_problem
from pulumi_flink.registry import _cluster, _kube
from pulumi_flink.registry._names import (
    DEFAULT_REGISTRY_NAMESPACE,
    target_name_hash,
    target_selector,
)
from pulumi_flink.registry._records import (
    Reference,
    TargetRecord,
    document_annotation,
    normalize_patch_set,
    record_from_config_map,
    record_to_config_map,
)
from pulumi_flink.registry.errors import (
    CorruptRecordError,
    RegistryContentionError,
    TargetBeingDeletedError,
    TargetInUseError,
    TargetNotFoundError,
)
from pulumi_flink.render.labels import (
    LABEL_RECORD,
    LABEL_TARGET_ID,
    LABEL_TARGET_NAME_HASH,
    RECORD_KIND_SESSION_CLUSTER,
    RECORD_KIND_TARGET,
    managed_labels,
)
from pulumi_flink.target import PreparedTarget

_CREATE_ATTEMPTS = 5

_KIND_NAMES = {
    RECORD_KIND_TARGET: "DeploymentTarget",
    RECORD_KIND_SESSION_CLUSTER: "SessionCluster",
}
"""What each record kind is called in messages."""


def _is_target_id(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


_T = TypeVar("_T")


@dataclass(frozen=True)
class _Write(Generic[_T]):
    """A write conditioned on the record's version as read, and what it returns."""

    send: Callable[[], _T]


def _record_kind(config_map: ConfigMap) -> str | None:
    labels = config_map.metadata.labels if config_map.metadata else None
    return (labels or {}).get(LABEL_RECORD)


def _newest(records: Sequence[TargetRecord]) -> TargetRecord | None:
    # The id breaks ties so that every reader picks the same record.
    return max(records, key=lambda r: (r.created_at, r.target_id), default=None)


class TargetRegistry:
    """DeploymentTargets and their users, recorded in a Kubernetes cluster.

    Holds no state but the client and the namespace; every method reads the
    cluster afresh, so instances are cheap and may be shared across threads.

    Parameters
    ----------
    client
        Client of the cluster holding the registry.
    namespace
        Kubernetes namespace of the registry; created on first
        :meth:`create_target`.

    Examples
    --------
    >>> from lightkube import Client
    >>> registry = TargetRegistry(Client())  # doctest: +SKIP
    >>> from pulumi_flink.target import prepare_target
    >>> prod = prepare_target({"metadata": {"name": "prod"}})
    >>> target = registry.create_target(prod, default_namespace="jobs")  # doctest: +SKIP
    >>> ref = Reference(binding="prod-binding", namespace="jobs", owner="app/dev")
    >>> registry.bind(target.target_id, ref).references  # doctest: +SKIP
    (Reference(namespace='jobs', binding='prod-binding', owner='app/dev'),)
    >>> registry.delete_target(target.target_id)  # doctest: +SKIP
    Traceback (most recent call last):
    TargetInUseError: DeploymentTarget 'prod' (id ...) is still used by ...
    """

    def __init__(self, client: Client, namespace: str = DEFAULT_REGISTRY_NAMESPACE) -> None:
        problem = namespace_problem(namespace)
        if problem:
            raise SpecValidationError.single("registryNamespace", problem)
        self._client = client
        self._namespace = namespace

    @property
    def namespace(self) -> str:
        """Kubernetes namespace holding the registry."""
        return self._namespace

    # -- cluster identity -------------------------------------------------

    def cluster_id(self) -> str:
        """Identity of the registry's cluster; see :func:`cluster_id`."""
        return _cluster.cluster_id(self._client)

    def check_same_cluster(self, expected_cluster_id: str) -> None:
        """Make sure the registry is on cluster ``expected_cluster_id``.

        Raises
        ------
        ClusterMismatchError
            It is on another cluster.
        """
        _cluster.check_same_cluster(self._client, expected_cluster_id)

    # -- targets ------------------------------------------------------------

    def create_target(
        self,
        target: PreparedTarget,
        *,
        default_namespace: str = "default",
        cluster_id: str | None = None,
        creator: str | None = None,
    ) -> TargetRecord:
        """Record a new DeploymentTarget, with a fresh id and no references.

        Creating a target under a name already in use is allowed: this is how
        a target is replaced before the old one is deleted, and
        :meth:`get_target` then returns the newer one.

        With a ``creator``, creating is safe to repeat after a create whose
        outcome was lost (the provider process killed, the API server gone
        before it answered, so Pulumi saw a failure and creates again): once
        the new record is written, the records of the same name and creator
        that nothing claims are deleted. Only such a lost record, or the one
        this create replaces (which Pulumi deletes right after: that delete
        then finds it gone), can match; a claimed record is never removed.

        Parameters
        ----------
        target
            The target (:func:`~pulumi_flink.target.prepare_target`), validated
            where it was made.
        default_namespace
            Namespace of the target's Deployments when the target sets none
            (the provider passes its kube context's).
        cluster_id
            Identity of the cluster the Deployments run on; defaults to the
            registry's own cluster.
        creator
            The Pulumi resource creating it, ``<project>/<stack>/<resource name>``.

        Raises
        ------
        SpecValidationError
            ``default_namespace`` is needed and invalid.
        PatchSetError
            An operation holds a member JSON cannot encode.
        RegistryContentionError
            No free record name was found.
        """
        name = target.name
        namespace = target.namespace_or(default_namespace, field="spec.kubernetes.namespace")
        patch_set = normalize_patch_set(target.operations, target_name=name)
        if cluster_id is None:
            cluster_id = self.cluster_id()

        return self._create(
            partial(
                TargetRecord,
                name=name,
                namespace=namespace,
                deployment_patch_set=patch_set,
                cluster_id=cluster_id,
                creator=creator,
            )
        )

    def _delete_unclaimed_twins(self, created: TargetRecord) -> None:
        """Delete the other unclaimed records of ``created``'s kind, name and creator."""
        for config_map in self._list(
            {LABEL_TARGET_NAME_HASH: target_name_hash(created.name)}, created.kind
        ):
            record = record_from_config_map(config_map)
            twin = record.name == created.name and record.creator == created.creator
            if twin and record.target_id != created.target_id and not record.references:
                # Re-checked under the version deleted: a claim that comes in
                # meanwhile wins, and the record stays.
                with suppress(TargetInUseError):
                    self.delete_target(record.target_id)

    def create_session_cluster(
        self,
        name: str,
        *,
        namespace: str,
        document: Mapping[str, Any],
        cluster_id: str | None = None,
        creator: str | None = None,
    ) -> TargetRecord:
        """Record a SessionCluster, with a fresh id and no references.

        Its record works as a target's: the jobs of every stack running in
        the cluster claim it (:meth:`bind`), and :meth:`delete_target`
        refuses while any claim remains, by the same argument (module
        documentation). ``document`` (the effective SessionCluster) is kept
        in an annotation, so :meth:`update_session_cluster` can follow the
        cluster's changes without a new identity. ``creator``: as for
        :meth:`create_target`, which this repeats safely the same way.
        """
        problem = namespace_problem(namespace)
        if problem:
            raise SpecValidationError.single("spec.kubernetes.namespace", problem)
        _kube.ensure_namespace(self._client, self._namespace)
        return self._create(
            partial(
                TargetRecord,
                name=name,
                namespace=namespace,
                deployment_patch_set=(),
                cluster_id=cluster_id if cluster_id is not None else self.cluster_id(),
                kind=RECORD_KIND_SESSION_CLUSTER,
                document=dict(document),
                creator=creator,
            )
        )

    def update_session_cluster(self, record_id: str, document: Mapping[str, Any]) -> TargetRecord:
        """Replace the SessionCluster document a session cluster's record keeps.

        A conditional write like :meth:`bind`'s, so neither loses the other.

        Raises
        ------
        TargetNotFoundError
            The record does not exist (any more).
        """

        def not_found() -> TargetRecord:
            raise TargetNotFoundError(record_id, self._namespace, kind="SessionCluster")

        def decide(config_map: ConfigMap | None) -> TargetRecord | _Write[TargetRecord]:
            if config_map is None:
                return not_found()
            metadata = config_map.metadata
            assert metadata is not None  # listed objects have metadata
            metadata.annotations = {**(metadata.annotations or {}), **document_annotation(document)}
            return _Write(partial(self._replace, config_map))

        return self._update_record("update", record_id, decide, gone=not_found)

    def _create(self, make: Callable[..., TargetRecord]) -> TargetRecord:
        _kube.ensure_namespace(self._client, self._namespace)
        record = make(target_id=str(uuid.uuid4()), created_at=datetime.now(UTC))
        for _ in range(_CREATE_ATTEMPTS):
            try:
                created = self._client.create(record_to_config_map(record, self._namespace))
            except ApiError as err:
                # Two sanitized names alike and the same 8 id digits: draw again.
                if _kube.status_code(err) == _kube.CONFLICT:
                    record = make(target_id=str(uuid.uuid4()), created_at=datetime.now(UTC))
                    continue
                raise
            created_record = record_from_config_map(created)
            if created_record.creator is not None:
                self._delete_unclaimed_twins(created_record)
            return created_record
        raise RegistryContentionError("create", "", _CREATE_ATTEMPTS, target_name=record.name)

    def get_target(self, name: str, *, kind: str = RECORD_KIND_TARGET) -> TargetRecord | None:
        """The newest record of the target (or, by ``kind``, session cluster) ``name``."""
        config_maps = self._list({LABEL_TARGET_NAME_HASH: target_name_hash(name)}, kind)
        records = [record_from_config_map(cm) for cm in config_maps]
        return _newest([record for record in records if record.name == name])

    def get_target_by_id(self, target_id: str) -> TargetRecord | None:
        """The record of the target with id ``target_id``, or ``None``."""
        config_map = self._find(target_id)
        return record_from_config_map(config_map) if config_map else None

    def list_targets(self) -> list[TargetRecord]:
        """Every target record, sorted by name, then oldest first."""
        records = [record_from_config_map(cm) for cm in self._list({}, RECORD_KIND_TARGET)]
        return sorted(records, key=lambda r: (r.name, r.created_at, r.target_id))

    def delete_target(self, target_id: str) -> None:
        """Delete a target unless a Deployment references it.

        Idempotent: deleting an absent target succeeds. See the module
        documentation for why a concurrent :meth:`bind` cannot slip through.

        Raises
        ------
        TargetInUseError
            References remain; the message lists every one, and, when a newer
            record of the same name exists (the target was replaced), its id
            and what to run.
        RegistryContentionError
            The record kept changing under it.
        """

        def decide(config_map: ConfigMap | None) -> _Write[None] | None:
            if config_map is None:
                return None
            record = record_from_config_map(config_map)
            if record.references:
                newest = self.get_target(record.name, kind=record.kind)
                raise TargetInUseError(
                    target_id,
                    record.name,
                    record.references,
                    kind=_KIND_NAMES[record.kind],
                    replaced_by=(
                        newest.target_id
                        if newest is not None and newest.created_at > record.created_at
                        else None
                    ),
                )
            metadata = config_map.metadata
            assert metadata is not None and metadata.name  # listed objects have names
            return _Write(
                partial(
                    _kube.delete_config_map_if_unchanged,
                    self._client,
                    metadata.name,
                    self._namespace,
                    uid=metadata.uid or "",
                    resource_version=metadata.resourceVersion or "",
                )
            )

        self._update_record("delete", target_id, decide, gone=lambda: None)

    # -- references ---------------------------------------------------------

    def bind(
        self, target_id: str, reference: Reference, *, target_name: str | None = None
    ) -> TargetRecord:
        """Record that ``reference`` uses the target; idempotent.

        Parameters
        ----------
        target_id
            Id of the target.
        reference
            The claim of the Deployments using it.
        target_name
            Name of the target, only to name it in errors.

        Returns
        -------
        TargetRecord
            The target as bound: what the Deployments should be built from.

        Raises
        ------
        TargetNotFoundError
            The target does not exist (any more).
        TargetBeingDeletedError
            The target's deletion has started.
        RegistryContentionError
            The record kept changing under it.
        """

        def not_found() -> TargetRecord:
            raise TargetNotFoundError(target_id, self._namespace, target_name=target_name)

        def decide(config_map: ConfigMap | None) -> TargetRecord | _Write[TargetRecord]:
            if config_map is None:
                return not_found()
            record = record_from_config_map(config_map)
            if record.deletion_started:
                raise TargetBeingDeletedError(target_id, record.name)
            if reference in record.references:
                return record
            metadata = config_map.metadata
            assert metadata is not None  # listed objects have metadata
            metadata.annotations = {
                **(metadata.annotations or {}),
                reference.annotation_key: reference.annotation_value,
            }
            return _Write(partial(self._replace, config_map))

        return self._update_record("bind", target_id, decide, gone=not_found)

    def unbind(self, target_id: str, reference: Reference) -> TargetRecord | None:
        """Forget that ``reference`` uses the target; idempotent.

        Returns
        -------
        TargetRecord or None
            The target after unbinding, ``None`` if it does not exist.

        Raises
        ------
        RegistryContentionError
            The record kept changing under it.
        """

        def decide(
            config_map: ConfigMap | None,
        ) -> TargetRecord | _Write[TargetRecord | None] | None:
            if config_map is None:
                return None
            metadata = config_map.metadata
            assert metadata is not None  # listed objects have metadata
            annotations = dict(metadata.annotations or {})
            if annotations.pop(reference.annotation_key, None) is None:
                return record_from_config_map(config_map)
            metadata.annotations = annotations
            return _Write(partial(self._replace, config_map))

        return self._update_record("unbind", target_id, decide, gone=lambda: None)

    def release(
        self,
        name: str,
        owner: str,
        *,
        binding: str | None = None,
        namespace: str | None = None,
        kind: str = RECORD_KIND_TARGET,
    ) -> list[tuple[TargetRecord, Reference]]:
        """Remove the claims of stack ``owner`` on every record of ``name``: an operator's tool.

        For a claim no ``pulumi up`` will remove because its stack no longer
        exists (removed with ``pulumi stack rm --force``, its state lost).
        A live stack removes its own claims (see
        :class:`~pulumi_flink.provider.ClaimIntent`); releasing one of
        them leaves its Deployments unprotected. Each claim is removed as
        :meth:`unbind` removes it (a conditional write), on every incarnation
        of the name (a target replaced, create before delete, has two).

        Parameters
        ----------
        name
            Name of the target (or, by ``kind``, session cluster).
        owner
            The stack whose claims go, ``project/stack``, exactly as recorded.
        binding, namespace
            When given, only claims with this binding name / namespace.
        kind
            Which records: ``deployment-target`` or ``session-cluster``.

        Returns
        -------
        list of (TargetRecord, Reference)
            Each claim removed, with the record it was on (as read before).
        """
        released = []
        for config_map in self._list({LABEL_TARGET_NAME_HASH: target_name_hash(name)}, kind):
            record = record_from_config_map(config_map)
            if record.name != name:
                continue
            for reference in record.references:
                wanted = (
                    reference.owner == owner
                    and binding in (None, reference.binding)
                    and namespace in (None, reference.namespace)
                )
                if wanted:
                    self.unbind(record.target_id, reference)
                    released.append((record, reference))
        return released

    # -- the one read-conditional-write-retry loop ------------------------

    def _update_record(
        self,
        operation: str,
        target_id: str,
        decide: Callable[[ConfigMap | None], _T | _Write[_T]],
        *,
        gone: Callable[[], _T],
    ) -> _T:
        """Read the record, decide, write on condition of the version read; retry conflicts.

        The only loop of its kind here: ``bind``, ``unbind`` and
        ``delete_target`` each supply ``decide``, which sees the record as
        read (``None`` when absent) and returns either the result (nothing
        to write) or a :class:`_Write` whose request carries the version
        read (an update with its ``resourceVersion``, a delete with
        preconditions). A 409 means another writer committed since the read:
        read again and decide again, after a short jittered pause. A 404
        means the record went away meanwhile: ``gone()`` answers. After
        :data:`~pulumi_flink.registry._kube.MAX_ATTEMPTS` conflicts in a row,
        :class:`RegistryContentionError`.
        """
        for attempt in range(_kube.MAX_ATTEMPTS):
            step = decide(self._find(target_id))
            if not isinstance(step, _Write):
                return step
            try:
                return step.send()
            except ApiError as err:
                code = _kube.status_code(err)
                if code == _kube.NOT_FOUND:
                    return gone()
                if code != _kube.CONFLICT:
                    raise
            _kube.pause_before_retry(attempt)
        raise RegistryContentionError(operation, target_id, _kube.MAX_ATTEMPTS)

    def _replace(self, config_map: ConfigMap) -> TargetRecord:
        # Carries the resourceVersion read: the server refuses it (409) if
        # the record changed meanwhile.
        return record_from_config_map(self._client.replace(config_map))

    # -- lookups ------------------------------------------------------------

    def _list(self, labels: Mapping[str, str], kind: str | None) -> list[ConfigMap]:
        """Records matching ``labels``, of ``kind`` (``None``: of every kind)."""
        base = target_selector(kind) if kind is not None else managed_labels()
        selector: LabelSelector = {**base, **labels}
        listed = self._client.list(ConfigMap, namespace=self._namespace, labels=selector)
        return [config_map for config_map in listed if _record_kind(config_map) in _KIND_NAMES]

    def _find(self, target_id: str) -> ConfigMap | None:
        """The record ConfigMap of ``target_id`` (any kind), read consistently, or ``None``."""
        if not _is_target_id(target_id):
            return None  # cannot be in the registry; also keeps the selector valid
        matches = [
            cm
            for cm in self._list({LABEL_TARGET_ID: target_id}, None)
            if (cm.data or {}).get("targetId") == target_id
        ]
        if len(matches) > 1:
            names = ", ".join(sorted(cm.metadata.name or "" for cm in matches if cm.metadata))
            raise CorruptRecordError(names, f"{len(matches)} records share id {target_id}")
        return matches[0] if matches else None
