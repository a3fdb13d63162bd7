"""Micro-benchmark of the Pulumi-free core: one Deployment, a 20-operation patch set.

What the ``Deployment`` component computes per Deployment:
:func:`~pulumi_flink.effective_deployment` (its ``effective_spec`` output) and
:func:`~pulumi_flink.render_manifests` (the objects), timed with ``timeit``.
"""

from __future__ import annotations

import statistics
import timeit
from typing import Any

from pulumi_flink import effective_deployment, render_manifests
from pulumi_flink.target import prepare_target

_CONFIGURATION = "/spec/template/spec/flinkConfiguration"
_LABELS = "/spec/template/spec/kubernetes/labels"
_ANNOTATIONS = "/spec/template/metadata/annotations"

DEPLOYMENT: dict[str, Any] = {
    "metadata": {"name": "orders"},
    "spec": {
        "template": {
            "metadata": {"annotations": {"team": "orders"}},
            "spec": {
                "artifact": {
                    "jarUri": "local:///opt/flink/usrlib/orders.jar",
                    "flinkVersion": "1.20",
                },
                "parallelism": 2,
                "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"},
            },
        }
    },
}

PATCH_SET_20: list[dict[str, Any]] = [
    # The seed: checkpoint and savepoint directories.
    {"op": "add", "path": f"{_CONFIGURATION}/state.checkpoints.dir", "value": "s3://f/ckpt"},
    {"op": "add", "path": f"{_CONFIGURATION}/state.savepoints.dir", "value": "s3://f/svpt"},
    # Eight more configuration keys, as a platform team would impose.
    *(
        {
            "op": "add",
            "path": f"{_CONFIGURATION}/metrics.reporter.r{i}.port",
            "value": f"{9000 + i}",
        }
        for i in range(8)
    ),
    # Labels and annotations for cost allocation.
    *({"op": "add", "path": f"{_LABELS}/cost-center-{i}", "value": f"cc-{i}"} for i in range(4)),
    *({"op": "add", "path": f"{_ANNOTATIONS}/owner-{i}", "value": f"team-{i}"} for i in range(3)),
    # A test, a replace and a remove.
    {"op": "test", "path": "/spec/template/spec/parallelism", "value": 2},
    {"op": "replace", "path": "/spec/template/spec/parallelism", "value": 4},
    {"op": "remove", "path": f"{_CONFIGURATION}/metrics.reporter.r7.port"},
]
assert len(PATCH_SET_20) == 20

TARGET: dict[str, Any] = {
    "metadata": {"name": "production"},
    "spec": {"kubernetes": {"namespace": "flink-prod"}, "deploymentPatchSet": PATCH_SET_20},
}

PREPARED = prepare_target(TARGET)
"""The target, prepared once for all its Deployments, as the program does."""


def effective_and_render() -> list[dict[str, Any]]:
    """What the component does per Deployment (operator engine)."""
    effective_deployment(DEPLOYMENT, PREPARED)
    return render_manifests(DEPLOYMENT, PREPARED, engine="operator")


def _per_call_seconds(function: Any, *, calls: int, repeats: int) -> list[float]:
    timer = timeit.Timer(function)
    return [total / calls for total in timer.repeat(repeat=repeats, number=calls)]


def run(*, calls: int = 200, repeats: int = 25) -> dict[str, Any]:
    """Median (and spread) per call of the core functions, in milliseconds."""
    effective_and_render()  # import and validate once, outside the timing
    cases = {
        "effective_deployment": lambda: effective_deployment(DEPLOYMENT, PREPARED),
        "render_manifests": lambda: render_manifests(DEPLOYMENT, PREPARED, engine="operator"),
        "effective_deployment + render_manifests": effective_and_render,
    }
    results: dict[str, Any] = {"calls_per_repeat": calls, "repeats": repeats, "patch_ops": 20}
    for name, function in cases.items():
        samples = [s * 1000 for s in _per_call_seconds(function, calls=calls, repeats=repeats)]
        results[name] = {
            "median_ms": statistics.median(samples),
            "min_ms": min(samples),
            "max_ms": max(samples),
        }
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
