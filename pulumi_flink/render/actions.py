"""Operator actions on a job: restore from a savepoint, and one-shot nonces.

These are not part of a VVP Deployment document: they are how a program
asks the Flink operator to *do* something to a running job. The operator
acts when a nonce changes to a new non-null value, so each action is an
integer that takes effect when it changes (and does nothing while it stays
the same):

=============================  ==========================================
input                          FlinkDeployment field
=============================  ==========================================
``restore_from``               ``job.initialSavepointPath`` and
                               ``job.savepointRedeployNonce``
``recorded``                   ``job.initialSavepointPath`` only
``JobActions.restart_nonce``   ``restartNonce``
``.savepoint_nonce``           ``job.savepointTriggerNonce``
``.checkpoint_nonce``          ``job.checkpointTriggerNonce``
=============================  ==========================================

The nonces are rendered with the rest of the FlinkDeployment
(:class:`JobActions`); the starting savepoint is added to a rendered spec by
:func:`with_restore`, as its path may be known only once another resource
(a :class:`~pulumi_flink.Savepoint`, the savepoint record) exists.

The operator ignores a change of ``initialSavepointPath`` alone (it is only
read at the first deployment), so an explicit ``restore_from`` also sets
``savepointRedeployNonce`` (FKO 1.8+) to a number derived from the path:
changing the path redeploys from the new savepoint, keeping it changes
nothing. A savepoint found in the cluster's record of a previous deletion
(``recorded``) is only a starting point for a new job, so it sets no nonce:
it never redeploys a running job.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JobActions:
    """One-shot actions a program asks the operator for: each acts when it changes."""

    restart_nonce: int | None = None
    """Change to restart the job (``restartNonce``)."""
    savepoint_nonce: int | None = None
    """Change to trigger a savepoint (``job.savepointTriggerNonce``)."""
    checkpoint_nonce: int | None = None
    """Change to trigger a checkpoint (``job.checkpointTriggerNonce``)."""


NO_ACTIONS = JobActions()


def redeploy_nonce(path: str) -> int:
    """The ``savepointRedeployNonce`` for a savepoint path: stable, positive, 53 bits.

    >>> redeploy_nonce("s3://savepoints/savepoint-1") == redeploy_nonce("s3://savepoints/savepoint-1")
    True
    """
    # 53 bits: exact as a JSON number in every language that reads the state.
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") >> 11 or 1


def with_restore(
    spec: dict[str, Any], *, restore_from: str | None, recorded: str | None
) -> dict[str, Any]:
    """A rendered FlinkDeployment ``spec`` that starts from a savepoint (a new dict).

    ``restore_from`` (the user's choice) wins over ``recorded`` (the savepoint
    the last deletion of this workload left); empty strings count as unset.

    >>> with_restore({"job": {}}, restore_from=None, recorded="s3://sp/1")
    {'job': {'initialSavepointPath': 's3://sp/1'}}
    """
    fields: dict[str, Any] = {}
    if restore_from:
        fields["initialSavepointPath"] = restore_from
        fields["savepointRedeployNonce"] = redeploy_nonce(restore_from)
    elif recorded:
        fields["initialSavepointPath"] = recorded
    if not fields:
        return spec
    return {**spec, "job": {**spec["job"], **fields}}


def job_action_fields(actions: JobActions) -> dict[str, Any]:
    """The FlinkDeployment ``spec.job`` fields for ``actions`` (only those set)."""
    fields: dict[str, Any] = {}
    if actions.savepoint_nonce is not None:
        fields["savepointTriggerNonce"] = actions.savepoint_nonce
    if actions.checkpoint_nonce is not None:
        fields["checkpointTriggerNonce"] = actions.checkpoint_nonce
    return fields


def spec_action_fields(actions: JobActions) -> dict[str, Any]:
    """The FlinkDeployment ``spec`` fields (outside ``job``) for ``actions``."""
    if actions.restart_nonce is None:
        return {}
    return {"restartNonce": actions.restart_nonce}
