"""When ``pulumi up`` considers a Flink workload ready, as pulumi-kubernetes annotations.

The operator engine waits through ``pulumi.com/waitFor`` on the
FlinkDeployment's status: lifecycle STABLE with the job RUNNING (or
SUSPENDED for a suspended or cancelled Deployment). pulumi-kubernetes also
waits for ``status.observedGeneration`` to catch up, so a stale status from
before an update does not count. The standalone engine waits for its
Deployments the usual way. ``pulumi.com/timeoutSeconds`` bounds both.
"""

from __future__ import annotations

import json
from typing import Any

WAIT_FOR = "pulumi.com/waitFor"
TIMEOUT_SECONDS = "pulumi.com/timeoutSeconds"
SKIP_AWAIT = "pulumi.com/skipAwait"
_AWAITED_KINDS = ("FlinkDeployment", "Deployment")


def flink_deployment_ready_conditions(job_state: str) -> list[str]:
    """The status a FlinkDeployment reaches when its job is where it should be."""
    if job_state == "running":
        return [
            "jsonpath={.status.lifecycleState}=STABLE",
            "jsonpath={.status.jobStatus.state}=RUNNING",
        ]
    return ["jsonpath={.status.lifecycleState}=SUSPENDED"]


def with_readiness(
    manifests: list[dict[str, Any]], *, wait: bool, timeout_seconds: int
) -> list[dict[str, Any]]:
    """Add the await annotations to the workloads in ``manifests`` (a new list)."""
    return [_with_readiness(manifest, wait, timeout_seconds) for manifest in manifests]


def _with_readiness(manifest: dict[str, Any], wait: bool, timeout_seconds: int) -> dict[str, Any]:
    if manifest["kind"] not in _AWAITED_KINDS:
        return manifest
    if not wait:
        annotations = {SKIP_AWAIT: "true"}
    else:
        annotations = {TIMEOUT_SECONDS: str(timeout_seconds)}
        if manifest["kind"] == "FlinkDeployment":
            job_state = manifest["spec"]["job"]["state"]
            annotations[WAIT_FOR] = json.dumps(flink_deployment_ready_conditions(job_state))
    metadata = manifest["metadata"]
    return {
        **manifest,
        "metadata": {**metadata, "annotations": {**metadata.get("annotations", {}), **annotations}},
    }
