"""Operator actions on a job: restore from a savepoint, and one-shot nonces.

These are not part of a VVP Deployment document: they are how a program
asks the Flink operator to *do* something to a running job. The operator
acts when a nonce changes to a new non-null value, so each action is an
integer that takes effect when it changes (and does nothing while it stays
the same):

=============================  ==========================================
:class:`JobActions` field      FlinkDeployment field
=============================  ==========================================
``restore_from``               ``job.initialSavepointPath`` and
                               ``job.savepointRedeployNonce``
``restored_from_record``       ``job.initialSavepointPath`` only
``restart_nonce``              ``restartNonce``
``savepoint_nonce``            ``job.savepointTriggerNonce``
``checkpoint_nonce``           ``job.checkpointTriggerNonce``
=============================  ==========================================

The operator ignores a change of ``initialSavepointPath`` alone (it is only
read at the first deployment), so an explicit ``restore_from`` also sets
``savepointRedeployNonce`` (FKO 1.8+) to a number derived from the path:
changing the path redeploys from the new savepoint, keeping it changes
nothing. A savepoint found in the cluster's record of a previous deletion
(``restored_from_record``) is only a starting point for a new job, so it
sets no nonce: it never redeploys a running job.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JobActions:
    """What a program asks the operator to do to a job, beyond its spec."""

    restore_from: str | None = None
    """Savepoint path to (re)deploy the job from; a change redeploys."""
    restored_from_record: str | None = None
    """Savepoint recorded when this Deployment was last deleted; first deployment only."""
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


def job_action_fields(actions: JobActions) -> dict[str, Any]:
    """The FlinkDeployment ``spec.job`` fields for ``actions`` (only those set)."""
    fields: dict[str, Any] = {}
    if actions.restore_from:
        fields["initialSavepointPath"] = actions.restore_from
        fields["savepointRedeployNonce"] = redeploy_nonce(actions.restore_from)
    elif actions.restored_from_record:
        fields["initialSavepointPath"] = actions.restored_from_record
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
