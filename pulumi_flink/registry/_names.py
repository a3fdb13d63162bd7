"""Names, labels and annotation keys of registry records: pure functions.

Everything the registry writes to the cluster is named here, so the wire
format can be read in one place; the label keys themselves are
:mod:`pulumi_flink.render.labels`, with every other label we set.
"""

from __future__ import annotations

import hashlib

from pulumi_flink.render.labels import (
    DOMAIN,
    RECORD_KIND_SESSION_CLUSTER,
    RECORD_KIND_TARGET,
    record_labels,
    record_selector,
)

DEFAULT_REGISTRY_NAMESPACE = "pulumi-flink"
"""Kubernetes namespace holding the registry unless the caller picks another."""


REFERENCE_ANNOTATION_PREFIX = f"{DOMAIN}/ref-"
"""Annotations with this prefix each record one Deployment using the target."""

DELETING_ANNOTATION = f"{DOMAIN}/deleting"
"""Fence: a target carrying this annotation accepts no new references.

``delete_target`` does not need it (see :mod:`pulumi_flink.registry._registry`);
it lets an operator drain a target by hand
(``kubectl annotate configmap <record> pulumi-flink.dev/deleting=<why>``).
"""

CREATOR_ANNOTATION = f"{DOMAIN}/created-by"
"""The Pulumi resource that created the record, ``<project>/<stack>/<resource name>``.

A create whose answer was lost (the provider process killed, the API server
gone after it committed) leaves a record that no Pulumi state knows; the
same resource's next create recognizes it by this annotation and removes it
(see :meth:`~pulumi_flink.registry.TargetRegistry.create_target`).
"""

CONFIG_MAP_PREFIX = "target-"
CONFIG_MAP_PREFIXES = {
    RECORD_KIND_TARGET: CONFIG_MAP_PREFIX,
    RECORD_KIND_SESSION_CLUSTER: "session-",
}
"""Record ConfigMap name prefix per record kind."""
_MAX_CONFIG_MAP_NAME = 253  # DNS-1123 subdomain
_ID_PREFIX_LENGTH = 8
_HASH_LENGTH = 16


def _sha256_prefix(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_LENGTH]


def sanitize_target_name(name: str) -> str:
    """Turn a VVP target name into DNS-1123 characters.

    Lowercases, turns ``_`` into ``-`` and trims leading and trailing ``-``.
    Different names can sanitize alike (``Prod`` and ``prod``); the record
    name adds the target id and the record keeps the exact name, so that is
    harmless.

    Examples
    --------
    >>> sanitize_target_name("Team_A-prod")
    'team-a-prod'
    >>> sanitize_target_name("__")
    ''
    """
    return name.lower().replace("_", "-").strip("-")


def config_map_name(target_name: str, target_id: str, kind: str = RECORD_KIND_TARGET) -> str:
    """Name of the ConfigMap recording a target.

    ``target-<sanitized name>-<first 8 hex digits of the id>``, the sanitized
    name truncated so the whole stays within 253 characters.

    Examples
    --------
    >>> config_map_name("Team_A", "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
    'target-team-a-0f1e2d3c'
    >>> config_map_name("___", "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
    'target-0f1e2d3c'
    """
    prefix = CONFIG_MAP_PREFIXES[kind]
    id_part = target_id.replace("-", "").lower()[:_ID_PREFIX_LENGTH]
    room = _MAX_CONFIG_MAP_NAME - len(prefix) - 1 - len(id_part)
    middle = sanitize_target_name(target_name)[:room].strip("-")
    if not middle:
        return f"{prefix}{id_part}"
    return f"{prefix}{middle}-{id_part}"


def target_name_hash(target_name: str) -> str:
    """Label value standing for a target name: first 16 hex of its SHA-256.

    Target names can exceed the 63 characters a label value allows, so
    lookups by name select on this hash, then compare the exact name.

    Examples
    --------
    >>> target_name_hash("prod")
    '6754af9632a2745e'
    """
    return _sha256_prefix(target_name)


def reference_annotation_key(reference_key: str) -> str:
    """Annotation key under which one reference is recorded.

    Parameters
    ----------
    reference_key
        The reference's identity, :attr:`Reference.key`.

    Examples
    --------
    >>> reference_annotation_key("jobs/wordcount/dev")
    'pulumi-flink.dev/ref-7e097b7a9900e46e'
    """
    return REFERENCE_ANNOTATION_PREFIX + _sha256_prefix(reference_key)


def target_selector(kind: str = RECORD_KIND_TARGET) -> dict[str, str]:
    """Label selector matching every record of ``kind``."""
    return record_selector(kind)


def target_labels(
    target_name: str, target_id: str, kind: str = RECORD_KIND_TARGET
) -> dict[str, str]:
    """Labels of the record of one target (or session cluster)."""
    return record_labels(target_name_hash(target_name), target_id, kind)
