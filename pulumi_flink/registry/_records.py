"""Target records and references, and their ConfigMap wire format: pure.

A target record is an immutable ConfigMap (see :mod:`._names` for the names);
its data holds the target, its annotations the references to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap

from pulumi_flink.errors import PatchSetError
from pulumi_flink.model.names import namespace_problem
from pulumi_flink.registry._names import (
    CREATOR_ANNOTATION,
    DELETING_ANNOTATION,
    REFERENCE_ANNOTATION_PREFIX,
    config_map_name,
    reference_annotation_key,
    target_labels,
)
from pulumi_flink.registry.errors import CorruptRecordError, InvalidReferenceError
from pulumi_flink.render.labels import (
    ANNOTATION_SESSION_CLUSTER,
    LABEL_RECORD,
    RECORD_KIND_TARGET,
)

_DATA_KEYS = (
    "name",
    "namespace",
    "deploymentPatchSet",
    "targetId",
    "createdAt",
    "clusterId",
)


BINDING_NAME_PATTERN = re.compile(r"[^/]{1,253}")
"""A binding name: a Pulumi resource name without ``/``."""


def _compact_json(value: object, *, sort_keys: bool) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=sort_keys)


@dataclass(frozen=True, order=True, kw_only=True)
class Reference:
    """A claim on a DeploymentTarget: some Deployments use it.

    Pulumi stacks claim a target once per stack (and Kubernetes provider), by
    their ``TargetBinding`` resource, for all their Deployments on it. A
    reference is identified by all three fields: binding the same triple
    twice records it once, and unbinding removes exactly that triple.

    Parameters
    ----------
    binding
        Name of the claim within its owner: the stack's binding resource.
    namespace
        Kubernetes namespace the Deployments run in.
    owner
        Who manages the Deployments: a Pulumi ``project/stack`` or resource URN.

    Examples
    --------
    >>> ref = Reference(binding="prod-binding", namespace="jobs", owner="app/dev")
    >>> ref.key
    'jobs/prod-binding/app/dev'
    >>> Reference.from_annotation_value(ref.annotation_value) == ref
    True
    """

    namespace: str
    binding: str
    owner: str

    def __post_init__(self) -> None:
        if not isinstance(self.binding, str) or not BINDING_NAME_PATTERN.fullmatch(self.binding):
            raise InvalidReferenceError(
                "binding", f"{self.binding!r} is not a binding name: use 1-253 characters, no '/'"
            )
        problem = namespace_problem(self.namespace)
        if problem:
            raise InvalidReferenceError("namespace", problem)
        if not isinstance(self.owner, str) or not self.owner:
            raise InvalidReferenceError(
                "owner", "must be a non-empty string (a Pulumi project/stack or URN)"
            )

    @property
    def key(self) -> str:
        """Identity of the reference, ``<namespace>/<binding>/<owner>``.

        Unambiguous because namespace and binding names contain no ``/``.
        """
        return f"{self.namespace}/{self.binding}/{self.owner}"

    @property
    def annotation_key(self) -> str:
        """Annotation key recording this reference on the target record."""
        return reference_annotation_key(self.key)

    @property
    def annotation_value(self) -> str:
        """Compact JSON recorded as the annotation value."""
        return _compact_json(
            {"binding": self.binding, "namespace": self.namespace, "owner": self.owner},
            sort_keys=True,
        )

    @classmethod
    def from_annotation_value(cls, value: str) -> Reference:
        """Parse :attr:`annotation_value` back.

        Raises
        ------
        ValueError
            The value is not such JSON (:class:`InvalidReferenceError` when a
            field is invalid).
        """
        parsed = json.loads(value)
        if not isinstance(parsed, dict) or set(parsed) != {"binding", "namespace", "owner"}:
            raise ValueError("expected an object with binding, namespace, owner")
        return cls(binding=parsed["binding"], namespace=parsed["namespace"], owner=parsed["owner"])


@dataclass(frozen=True)
class TargetRecord:
    """A DeploymentTarget as recorded in the cluster, with its references.

    Parameters
    ----------
    name
        VVP target name (up to 250 of ``[0-9a-zA-Z_-]``).
    namespace
        Resolved Kubernetes namespace the target's Deployments run in.
    deployment_patch_set
        The target's JSON Patch operations, in order.
    target_id
        Unique id (uuid4) of this incarnation of the target; a target
        replaced under the same name gets a new id.
    created_at
        When the record was created (UTC).
    cluster_id
        Identity of the cluster the target's Deployments run on
        (see :func:`pulumi_flink.registry.cluster_id`).
    references
        The Deployments using the target, sorted.
    deletion_started
        True once deletion of the record has started (Kubernetes
        ``deletionTimestamp``) or it was fenced with the
        ``pulumi-flink.dev/deleting`` annotation: it accepts no new references.
    kind
        ``deployment-target``, or ``session-cluster``: a SessionCluster's
        record, which the jobs running in it claim as Deployments claim a
        target (its ``deployment_patch_set`` is empty, its namespace the
        cluster's).
    document
        A session cluster's effective SessionCluster document (kept in an
        annotation, so it can follow the cluster's changes); else ``None``.
    creator
        The Pulumi resource that created the record (``project/stack/name``),
        when known: how its next create recognizes a record whose creation
        it never heard back about.
    """

    name: str
    namespace: str
    deployment_patch_set: tuple[dict[str, Any], ...]
    target_id: str
    created_at: datetime
    cluster_id: str
    references: tuple[Reference, ...] = field(default=())
    deletion_started: bool = False
    kind: str = RECORD_KIND_TARGET
    document: Mapping[str, Any] | None = None
    creator: str | None = None

    @property
    def config_map_name(self) -> str:
        """Name of the ConfigMap holding this record."""
        return config_map_name(self.name, self.target_id, self.kind)


def normalize_patch_set(
    operations: Sequence[Mapping[str, Any]], *, target_name: str | None = None
) -> tuple[dict[str, Any], ...]:
    """Deep-copy a (prepared) patch set into plain JSON values, as the record stores it.

    Raises
    ------
    PatchSetError
        An operation holds a member JSON cannot encode.
    """
    copied = []
    for index, operation in enumerate(operations):
        try:
            copied.append(json.loads(json.dumps(dict(operation), allow_nan=False)))
        except (TypeError, ValueError) as error:
            reason = f"cannot be recorded: {error}"
            raise PatchSetError(index, operation, reason, target_name=target_name) from None
    return tuple(copied)


def record_to_config_map(record: TargetRecord, registry_namespace: str) -> ConfigMap:
    """Build the immutable ConfigMap that records ``record``.

    References become annotations; ``deletion_started`` is not written (it is
    the API server's to set).

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> record = TargetRecord(
    ...     name="prod", namespace="jobs", deployment_patch_set=(),
    ...     target_id="0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
    ...     created_at=datetime(2024, 1, 2, tzinfo=timezone.utc), cluster_id="c1")
    >>> cm = record_to_config_map(record, "pulumi-flink")
    >>> cm.immutable, cm.metadata.name, cm.data["createdAt"]
    (True, 'target-prod-0f1e2d3c', '2024-01-02T00:00:00.000000+00:00')
    """
    annotations = {ref.annotation_key: ref.annotation_value for ref in record.references}
    if record.creator is not None:
        annotations[CREATOR_ANNOTATION] = record.creator
    return ConfigMap(
        metadata=ObjectMeta(
            name=record.config_map_name,
            namespace=registry_namespace,
            labels=target_labels(record.name, record.target_id, record.kind),
            annotations={**annotations, **document_annotation(record.document)} or None,
        ),
        immutable=True,
        data={
            "name": record.name,
            "namespace": record.namespace,
            "deploymentPatchSet": _compact_json(list(record.deployment_patch_set), sort_keys=False),
            "targetId": record.target_id,
            "createdAt": record.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "clusterId": record.cluster_id,
        },
    )


def record_from_config_map(config_map: ConfigMap) -> TargetRecord:
    """Read the record a registry ConfigMap holds.

    Raises
    ------
    CorruptRecordError
        A data key is missing or malformed, or a reference annotation cannot
        be parsed. Refusing such a record keeps a hand-edited reference from
        silently no longer protecting its target.
    """
    metadata = config_map.metadata or ObjectMeta()
    cm_name = metadata.name or "<unnamed>"
    data = config_map.data or {}
    missing = [key for key in _DATA_KEYS if key not in data]
    if missing:
        raise CorruptRecordError(cm_name, f"data keys missing: {', '.join(missing)}")
    try:
        patch_set = json.loads(data["deploymentPatchSet"])
        if not isinstance(patch_set, list) or not all(isinstance(op, dict) for op in patch_set):
            raise ValueError("not a list of objects")
    except ValueError as err:
        raise CorruptRecordError(cm_name, f"deploymentPatchSet: {err}") from err
    try:
        created_at = datetime.fromisoformat(data["createdAt"])
    except ValueError as err:
        raise CorruptRecordError(cm_name, f"createdAt: {err}") from err
    if created_at.tzinfo is None:
        raise CorruptRecordError(cm_name, "createdAt: no time zone")

    annotations = metadata.annotations or {}
    document = None
    if ANNOTATION_SESSION_CLUSTER in annotations:
        try:
            document = json.loads(annotations[ANNOTATION_SESSION_CLUSTER])
            if not isinstance(document, dict):
                raise ValueError("not an object")
        except ValueError as err:
            raise CorruptRecordError(
                cm_name, f"annotation {ANNOTATION_SESSION_CLUSTER}: {err}"
            ) from err
    references = []
    for key, value in annotations.items():
        if not key.startswith(REFERENCE_ANNOTATION_PREFIX):
            continue
        try:
            references.append(Reference.from_annotation_value(value))
        except ValueError as err:
            raise CorruptRecordError(cm_name, f"annotation {key}: {err}") from err

    return TargetRecord(
        name=data["name"],
        namespace=data["namespace"],
        deployment_patch_set=tuple(patch_set),
        target_id=data["targetId"],
        created_at=created_at.astimezone(UTC),
        cluster_id=data["clusterId"],
        references=tuple(sorted(set(references))),
        deletion_started=(
            metadata.deletionTimestamp is not None or DELETING_ANNOTATION in annotations
        ),
        kind=(metadata.labels or {}).get(LABEL_RECORD, RECORD_KIND_TARGET),
        document=document,
        creator=annotations.get(CREATOR_ANNOTATION),
    )


def document_annotation(document: Mapping[str, Any] | None) -> dict[str, str]:
    """The annotation that keeps a session cluster's document on its record (none: ``{}``)."""
    if document is None:
        return {}
    return {ANNOTATION_SESSION_CLUSTER: _compact_json(dict(document), sort_keys=True)}
