"""When ``pulumi up`` considers a Flink workload ready.

The standalone engine waits for its Deployments through pulumi-kubernetes'
own await, bounded by ``pulumi.com/timeoutSeconds``.

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

from typing import Any

TIMEOUT_SECONDS = "pulumi.com/timeoutSeconds"
SKIP_AWAIT = "pulumi.com/skipAwait"


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
    else:
        return manifest
    metadata = manifest["metadata"]
    return {
        **manifest,
        "metadata": {**metadata, "annotations": {**metadata.get("annotations", {}), **annotations}},
    }
