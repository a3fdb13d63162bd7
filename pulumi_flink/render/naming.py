"""Kubernetes names and label values derived from VVP names.

VVP allows names the Kubernetes side cannot always take: Deployment names of
up to 63 characters that may start with a digit (the Flink operator wants
``[a-z]([-a-z0-9]{0,43}[a-z0-9])?``) and target names of up to 250 characters
with uppercase letters and underscores (label values stop at 63). Such names
are shortened deterministically with a hash of the full name, so distinct
names stay distinct; the full names are kept in annotations.
"""

from __future__ import annotations

import hashlib
import re

WORKLOAD_NAME_PATTERN = re.compile(r"^[a-z]([-a-z0-9]{0,43}[a-z0-9])?$")
"""Names the Flink operator accepts for a FlinkDeployment."""

_LABEL_VALUE_PATTERN = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_HASH_LENGTH = 8


def _short_hash(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:_HASH_LENGTH]


def workload_name(deployment_name: str) -> str:
    """The Kubernetes name of a Deployment's workload (at most 45 characters).

    >>> workload_name("orders")
    'orders'
    >>> workload_name("1-click-checkout")
    'f-1-click-checkout-7c73aed7'
    """
    if WORKLOAD_NAME_PATTERN.fullmatch(deployment_name):
        return deployment_name
    # The prefix alone would map "1-a" and "f-1-a" to one name: the hash keeps them apart.
    base = deployment_name if deployment_name[:1].isalpha() else f"f-{deployment_name}"
    keep = 45 - _HASH_LENGTH - 1
    return f"{base[:keep].rstrip('-')}-{_short_hash(deployment_name)}"


def label_value(name: str) -> str:
    """A label value that identifies ``name`` (at most 63 characters).

    >>> label_value("analytics_prod")
    'analytics_prod'
    """
    if len(name) <= 63 and _LABEL_VALUE_PATTERN.fullmatch(name):
        return name
    keep = 63 - _HASH_LENGTH - 1
    # Label values must start and end with an alphanumeric character.
    trimmed = re.sub(r"[^-A-Za-z0-9_.]", "-", name[:keep]).strip("-_.")
    return f"{trimmed}-{_short_hash(name)}" if trimmed else _short_hash(name)


_UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def savepoint_snapshot_name(workload: str, savepoint_id: str) -> str:
    """The name of the FlinkStateSnapshot that adopts a VVP Savepoint of ``workload``.

    VVP's ids are UUIDs: their first 8 characters tell the savepoint apart,
    as in the VVP UI. Any other id (hand-written exports) is told apart by a
    hash of the whole id, so every id gives a valid, distinct Kubernetes name.

    >>> savepoint_snapshot_name("orders", "5A7E0002-0000-4000-8000-000000000000")
    'orders-5a7e0002'
    >>> savepoint_snapshot_name("orders", "Savepoint 1")
    'orders-8fbfff68'
    """
    lowered = savepoint_id.lower()
    suffix = (
        lowered[:_HASH_LENGTH] if _UUID_PATTERN.fullmatch(lowered) else _short_hash(savepoint_id)
    )
    return f"{workload}-{suffix}"
