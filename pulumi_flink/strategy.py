"""How VVP's upgrade/restore strategies and states map to Flink's modes.

=================================  ================  =====================
VVP                                operator          standalone
=================================  ================  =====================
STATEFUL/NONE + LATEST_STATE       ``last-state``    Kubernetes HA on
STATEFUL/NONE + LATEST_SAVEPOINT   ``savepoint``     (no savepoint restore)
STATELESS, or restore NONE         ``stateless``     no HA
state RUNNING                      ``running``       replicas as computed
state SUSPENDED                    ``suspended``     replicas 0
state CANCELLED                    ``suspended`` +   replicas 0
                                   ``stateless``
=================================  ================  =====================

``upgradeStrategy: NONE`` (VVP: changes wait for a manual restart) has no
operator equivalent, which applies every change; it restores like STATEFUL.
CANCELLED (VVP: stop without keeping state) becomes a suspended job with the
``stateless`` upgrade mode: the operator cancels it without a savepoint, and a
later RUNNING starts from empty state, as VVP does after a cancel.
"""

from __future__ import annotations

from typing import Literal

from pulumi_flink.model import DeploymentSpec

UpgradeMode = Literal["last-state", "savepoint", "stateless"]
JobState = Literal["running", "suspended"]

CHECKPOINTS_DIR = "state.checkpoints.dir"
SAVEPOINTS_DIR = "state.savepoints.dir"


def upgrade_mode(spec: DeploymentSpec) -> UpgradeMode:
    """The operator's ``job.upgradeMode`` for a Deployment spec."""
    stateless = (
        spec.upgrade_strategy.kind == "STATELESS"
        or spec.restore_strategy.kind == "NONE"
        or spec.state == "CANCELLED"
    )
    if stateless:
        return "stateless"
    if spec.restore_strategy.kind == "LATEST_STATE":
        return "last-state"
    return "savepoint"


def job_state(spec: DeploymentSpec) -> JobState:
    """The operator's ``job.state``: only RUNNING runs."""
    return "running" if spec.state == "RUNNING" else "suspended"


def required_state_directories(mode: UpgradeMode) -> tuple[str, ...]:
    """Flink configuration keys an upgrade mode cannot work without."""
    if mode == "last-state":
        return (CHECKPOINTS_DIR,)
    if mode == "savepoint":
        return (CHECKPOINTS_DIR, SAVEPOINTS_DIR)
    return ()


def needs_kubernetes_ha(mode: UpgradeMode) -> bool:
    """``last-state`` restores from checkpoints that only HA metadata can find."""
    return mode == "last-state"


def stop_savepoint_problem(spec: DeploymentSpec, flink_configuration: dict[str, str]) -> str | None:
    """Why a stateful job could not be stopped with a savepoint, if it could not.

    Taking a savepoint needs a directory for it: a Deployment that keeps its
    state across a delete (``savepoint_on_delete``) needs ``state.savepoints.dir``.
    """
    if upgrade_mode(spec) == "stateless" or flink_configuration.get(SAVEPOINTS_DIR):
        return None
    return (
        f"{SAVEPOINTS_DIR!r} is required to stop the job with a savepoint before its "
        "workload is deleted or replaced (savepoint_on_delete); add it through the "
        "target's deploymentPatchSet (add "
        f"/spec/template/spec/flinkConfiguration/{SAVEPOINTS_DIR}), or pass "
        "savepoint_on_delete=False to delete without one"
    )
