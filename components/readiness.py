"""When ``pulumi up`` considers a Flink workload ready.

The standalone engine waits for its Deployments through pulumi-kubernetes,
bounded by ``pulumi.com/timeoutSeconds``, on conditions of our own
(:func:`rollout_complete`) rather than its built-in Deployment await. That
await can end on the Deployment's status from *before* the change: it
checks neither ``status.observedGeneration`` nor, when the revision has not
moved yet, whether the ReplicaSet it looks at is the new template's. So an
``up`` that rolled the JobManager sometimes returned while the new one was
still starting its job, most often after a Kubernetes HA reset had scaled
it to zero first (:class:`~pulumi_flink.provider.StandaloneHaData`; seen on
real Flink). pulumi-kubernetes' ``pulumi.com/waitFor`` conditions wait for
``status.observedGeneration`` to catch up before they are judged.

The operator engine cannot: pulumi-kubernetes' ``pulumi.com/waitFor`` only
ends when its conditions hold or the timeout runs out, so a job the operator
rejects held ``up`` for the whole ``ready_timeout_seconds``. The
FlinkDeployment therefore carries ``pulumi.com/skipAwait`` and the
:class:`~pulumi_flink.provider.FlinkJob` resource made after it waits
instead: it is never ready while ``status.observedGeneration`` lags
``metadata.generation``, and fails within a second of the operator reporting
an error, with the operator's message (:mod:`pulumi_flink.operator_status`).
"""

from __future__ import annotations

import json
from typing import Any

TIMEOUT_SECONDS = "pulumi.com/timeoutSeconds"
SKIP_AWAIT = "pulumi.com/skipAwait"
WAIT_FOR = "pulumi.com/waitFor"

SESSION_CLUSTER_READY = [
    "jsonpath={.status.lifecycleState}=STABLE",
    "jsonpath={.status.jobManagerDeploymentStatus}=READY",
]
"""A session cluster's FlinkDeployment is ready: deployed and its JobManager up."""


def rollout_complete(replicas: int) -> list[str]:
    """``pulumi.com/waitFor``: the Deployment's ``replicas`` pods all run its new template, Ready.

    All of ``status.replicas`` (pods of every ReplicaSet), ``updatedReplicas``
    (of the current template's) and ``readyReplicas`` equal ``replicas``, so
    no pod of the old template is left and every new one passed its
    readiness probe (the JobManager's: its job is RUNNING).

    >>> rollout_complete(2)  # doctest: +NORMALIZE_WHITESPACE
    ['jsonpath={.status.replicas}=2', 'jsonpath={.status.updatedReplicas}=2',
     'jsonpath={.status.readyReplicas}=2']
    """
    return [
        f"jsonpath={{.status.{field}}}={replicas}"
        for field in ("replicas", "updatedReplicas", "readyReplicas")
    ]


def with_readiness(
    manifests: list[dict[str, Any]], *, wait: bool, timeout_seconds: int
) -> list[dict[str, Any]]:
    """Add the await annotations to the workloads in ``manifests`` (a new list)."""
    return [_with_readiness(manifest, wait, timeout_seconds) for manifest in manifests]


def _with_readiness(manifest: dict[str, Any], wait: bool, timeout_seconds: int) -> dict[str, Any]:
    if manifest["kind"] == "FlinkDeployment" or (manifest["kind"] == "Deployment" and not wait):
        annotations = {SKIP_AWAIT: "true"}
    elif manifest["kind"] == "Deployment":
        annotations = {TIMEOUT_SECONDS: str(timeout_seconds)}
        replicas = manifest["spec"].get("replicas", 1)
        # Scaled to zero there is no pod to wait for and the status fields are
        # left out (a condition could never match): the built-in await stays.
        if replicas:
            annotations[WAIT_FOR] = json.dumps(rollout_complete(replicas))
    else:
        return manifest
    metadata = manifest["metadata"]
    return {
        **manifest,
        "metadata": {**metadata, "annotations": {**metadata.get("annotations", {}), **annotations}},
    }


def with_session_readiness(
    manifests: list[dict[str, Any]], *, wait: bool, timeout_seconds: int
) -> list[dict[str, Any]]:
    """Await annotations for session mode (a new list).

    A session cluster has no job for :class:`~pulumi_flink.provider.FlinkJob`
    to judge: its FlinkDeployment waits through pulumi-kubernetes'
    ``pulumi.com/waitFor`` (STABLE with the JobManager READY, after
    ``status.observedGeneration`` caught up), bounded by
    ``pulumi.com/timeoutSeconds``. A FlinkSessionJob carries
    ``pulumi.com/skipAwait``: its FlinkJob waits instead, failing fast on an
    operator error, as for application mode.
    """
    return [_with_session_readiness(manifest, wait, timeout_seconds) for manifest in manifests]


def _with_session_readiness(
    manifest: dict[str, Any], wait: bool, timeout_seconds: int
) -> dict[str, Any]:
    if manifest["kind"] == "FlinkDeployment" and wait:
        annotations = {
            WAIT_FOR: json.dumps(SESSION_CLUSTER_READY),
            TIMEOUT_SECONDS: str(timeout_seconds),
        }
    elif manifest["kind"] in ("FlinkDeployment", "FlinkSessionJob"):
        annotations = {SKIP_AWAIT: "true"}
    else:
        return manifest
    metadata = manifest["metadata"]
    return {
        **manifest,
        "metadata": {**metadata, "annotations": {**metadata.get("annotations", {}), **annotations}},
    }
