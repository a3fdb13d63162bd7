"""What the Flink operator's status says: ready, still waiting, or failed (and why).

Pure functions over objects as the API server returns them (plain dicts), so
the rules are unit-tested without a cluster; the dynamic provider that waits
(:mod:`pulumi_flink.provider.operator_wait`) only reads objects and asks
these functions.

A ``FlinkDeployment`` is judged only once the operator has observed its
current spec (``status.observedGeneration`` equal to ``metadata.generation``):
a status from before an update says nothing about the update. Then it has
failed when the operator says so in any of the places it does:

* ``status.error`` (validation and deployment errors; the operator writes a
  JSON object whose ``message`` is the readable part),
* ``status.lifecycleState: FAILED``,
* ``status.jobStatus.state: FAILED`` for a job that should run,
* a ``Running`` condition with reason ``Failed`` or ``Error`` (``status.conditions``,
  FKO 1.15+).

A ``FlinkStateSnapshot`` is done when ``COMPLETED`` (its ``status.path`` is
the savepoint) and has failed when ``FAILED`` or ``ABANDONED``.

A job stopped with a savepoint (suspended with upgrade mode ``savepoint``)
records the savepoint in ``status.jobStatus.upgradeSavepointPath`` (FKO
1.10+). A ``last-state`` suspend writes :data:`LAST_STATE_MARKER` there
instead, which is no savepoint and never reported as one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Verdict = Literal["ready", "waiting", "failed"]

LAST_STATE_MARKER = "KUBERNETES_OPERATOR_LAST_STATE"
"""What the operator writes as ``upgradeSavepointPath`` after a last-state suspend."""

_FAILED_CONDITION_REASONS = ("Failed", "Error")


@dataclass(frozen=True)
class OperatorStatus:
    """The operator's word on one object.

    Attributes
    ----------
    verdict
        ``ready``, ``waiting`` or ``failed``.
    message
        What the operator says (the error for ``failed``), or what is awaited.
    savepoint_path
        The savepoint the status records, when there is one.
    """

    verdict: Verdict
    message: str
    savepoint_path: str | None = None


def flink_deployment_status(obj: Mapping[str, Any], *, job_state: str) -> OperatorStatus:
    """Judge a FlinkDeployment whose job should be ``running`` or ``suspended``.

    Examples
    --------
    >>> obj = {"metadata": {"generation": 2}, "status": {"observedGeneration": 2,
    ...     "lifecycleState": "FAILED", "error": '{"message": "bad jar"}'}}
    >>> flink_deployment_status(obj, job_state="running")
    OperatorStatus(verdict='failed', message='bad jar', savepoint_path=None)
    """
    status = obj.get("status") or {}
    unobserved = _unobserved(obj, status)
    if unobserved:
        return OperatorStatus("waiting", unobserved)
    failure = _deployment_failure(status, job_state)
    if failure:
        return OperatorStatus("failed", failure)
    lifecycle = status.get("lifecycleState")
    job = (status.get("jobStatus") or {}).get("state")
    if job_state == "running":
        ready = lifecycle == "STABLE" and job == "RUNNING"
    else:
        ready = lifecycle == "SUSPENDED"
    awaited = "STABLE, job RUNNING" if job_state == "running" else "SUSPENDED"
    return OperatorStatus(
        "ready" if ready else "waiting",
        f"lifecycle {lifecycle}, job {job} (waiting for {awaited})",
        stop_savepoint_path(status) if job_state == "suspended" else None,
    )


def stop_savepoint_path(status: Mapping[str, Any]) -> str | None:
    """The savepoint a suspend took (``upgradeSavepointPath``), never the last-state marker."""
    path = (status.get("jobStatus") or {}).get("upgradeSavepointPath")
    if not path or path == LAST_STATE_MARKER:
        return None
    return str(path)


def state_snapshot_status(obj: Mapping[str, Any]) -> OperatorStatus:
    """Judge a FlinkStateSnapshot: ``ready`` once COMPLETED, with its path.

    Examples
    --------
    >>> state_snapshot_status({"status": {"state": "COMPLETED", "path": "s3://sp/savepoint-1"}})
    OperatorStatus(verdict='ready', message='COMPLETED', savepoint_path='s3://sp/savepoint-1')
    """
    status = obj.get("status") or {}
    state = status.get("state") or "TRIGGER_PENDING"
    if state == "COMPLETED":
        return OperatorStatus("ready", state, status.get("path") or None)
    if state in ("FAILED", "ABANDONED"):
        return OperatorStatus("failed", f"{state}: {operator_message(status.get('error'))}")
    return OperatorStatus("waiting", str(state))


def operator_message(error: Any) -> str:
    """The readable part of the operator's ``status.error`` (a JSON object or plain text)."""
    if not error:
        return "no message from the operator"
    try:
        parsed = json.loads(error) if isinstance(error, str) else error
    except ValueError:
        return str(error)
    if isinstance(parsed, Mapping) and parsed.get("message"):
        return str(parsed["message"])
    return str(error)


def _unobserved(obj: Mapping[str, Any], status: Mapping[str, Any]) -> str | None:
    generation = (obj.get("metadata") or {}).get("generation")
    observed = status.get("observedGeneration")
    if generation is None or (observed is not None and observed >= generation):
        return None
    return f"the operator has not observed generation {generation} yet (observed {observed})"


def _deployment_failure(status: Mapping[str, Any], job_state: str) -> str | None:
    if status.get("error"):
        return operator_message(status["error"])
    if status.get("lifecycleState") == "FAILED":
        return "lifecycle FAILED"
    if job_state == "running" and (status.get("jobStatus") or {}).get("state") == "FAILED":
        return "job FAILED"
    for condition in status.get("conditions") or []:
        failed = condition.get("status") == "False"
        if failed and condition.get("reason") in _FAILED_CONDITION_REASONS:
            return str(condition.get("message") or condition.get("reason"))
    return None
