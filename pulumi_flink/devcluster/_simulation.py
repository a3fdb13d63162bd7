"""The simulated Flink operator: kwok Stages that write FlinkDeployment status.

This is a simulation, not the Apache Flink Kubernetes Operator: nothing runs
a JobManager or a job. kwok applies the Stages in
``data/flink-operator-simulation.yaml`` to every FlinkDeployment, so its
status moves the way a caller of the real operator observes it:

* on every spec change (``metadata.generation`` differs from
  ``status.observedGeneration``): ``lifecycleState: DEPLOYED``,
  ``jobStatus.state: RECONCILING``, ``status.observedGeneration`` and
  ``status.reconciliationStatus.lastReconciledSpec`` updated;
* about a second later: ``lifecycleState: STABLE`` with
  ``jobStatus.state: RUNNING``, or ``SUSPENDED``/``SUSPENDED`` when
  ``spec.job.state`` is ``suspended``;
* while the annotation :data:`SIMULATE_ANNOTATION` is ``"failed"``:
  ``lifecycleState: FAILED``, ``jobStatus.state: FAILED`` and
  ``status.error``; removing the annotation deploys again;
* a running job suspended with upgrade mode ``savepoint`` is stopped with a
  savepoint: ``status.jobStatus.upgradeSavepointPath`` (under the job's
  ``state.savepoints.dir``) and ``savepointInfo.lastSavepoint`` with trigger
  type ``UPGRADE``; a ``last-state`` suspend takes none and leaves the field
  as it was, and a ``last-state`` upgrade of a running job writes the
  operator's marker ``KUBERNETES_OPERATOR_LAST_STATE`` there (FKO's
  ``ApplicationReconciler.deploy``; no savepoint); while the annotation is
  :data:`SIMULATE_SAVEPOINT_FAILED` the stop fails instead: ``status.error``
  set and the job keeps running;
* a FlinkStateSnapshot goes ``TRIGGER_PENDING`` → ``IN_PROGRESS`` →
  ``COMPLETED`` with ``status.path`` (``spec.savepoint.path`` when given,
  else a ``simulated:///`` path: a snapshot cannot see its job's
  configuration), at once to ``COMPLETED`` when ``alreadyExists``, and to
  ``FAILED`` with ``status.error`` while it carries the annotation
  :data:`SIMULATE_ANNOTATION` ``"failed"``;
* a FlinkSessionJob moves like a FlinkDeployment's job, stop with a
  savepoint (and its failure) included.

kwok stages only write status. What they cannot do, the dev cluster's
Python controller does (:mod:`pulumi_flink.devcluster._operator_controller`):
the UPGRADE-type FlinkStateSnapshot the real operator (1.10+) creates for
every upgrade savepoint, and the savepoint on deletion
(``kubernetes.operator.job.savepoint-on-deletion``) of a running job.
"""

from __future__ import annotations

from importlib.resources import files

__all__ = [
    "SIMULATE_ANNOTATION",
    "SIMULATE_FAILED",
    "SIMULATE_SAVEPOINT_FAILED",
    "simulation_stages_yaml",
]

#: Annotation on a FlinkDeployment that drives the simulated operator.
SIMULATE_ANNOTATION = "flink.pulumi-flink.dev/simulate"
#: Value of :data:`SIMULATE_ANNOTATION` that makes the deployment FAILED.
SIMULATE_FAILED = "failed"
#: Value of :data:`SIMULATE_ANNOTATION` that makes a stop with a savepoint fail.
SIMULATE_SAVEPOINT_FAILED = "savepoint-failed"

_PLACEHOLDER = "__FAILED_ANNOTATION__"


def simulation_stages_yaml() -> str:
    """The kwok Stage documents of the simulated operator, ready for kwok."""
    template = (
        files("pulumi_flink.devcluster") / "data" / "flink-operator-simulation.yaml"
    ).read_text()
    return template.replace(_PLACEHOLDER, SIMULATE_ANNOTATION)
