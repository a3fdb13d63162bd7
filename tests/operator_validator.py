"""The Flink Kubernetes Operator's own ``DefaultValidator``, run on what we render.

``toolchain/operator-validator/install.sh`` resolves
``org.apache.flink:flink-kubernetes-operator`` (pinned beside it) from Maven
Central and compiles a small Java harness against it; :func:`operator_verdicts`
hands it a batch of manifests in ONE JVM (about three seconds) and returns the
operator's verdict on each FlinkDeployment and FlinkSessionJob.

``make test`` installs the harness and sets ``PULUMI_FLINK_REQUIRE_OPERATOR_VALIDATOR=1``,
so a missing harness fails there; ``make unit`` skips the operator checks
when it is not installed (``make operator-validator`` installs it).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

INSTALL = Path(__file__).parents[1] / "toolchain" / "operator-validator" / "install.sh"
REQUIRED = os.environ.get("PULUMI_FLINK_REQUIRE_OPERATOR_VALIDATOR") == "1"

VALIDATED_FLINK_VERSIONS = ("1.13", "1.14", "1.15", "1.16", "1.17", "1.18", "1.19")
"""The Flink versions the pinned operator (1.7.0) knows: its enum ends at ``v1_19``."""


@dataclass(frozen=True)
class OperatorVerdict:
    """What the operator says about one object: ``error`` is ``None`` when it accepts it."""

    kind: str
    name: str
    error: str | None


def installed_harness() -> Path:
    """The harness' install directory; skips (or fails under ``make test``) when missing."""
    directory = Path(
        subprocess.run(
            [INSTALL, "--dir"], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    if not (directory / "ready").is_file():
        message = (
            f"the operator validator is not installed: run {INSTALL} (or make operator-validator)"
        )
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    return directory


def operator_verdicts(harness: Path, manifests: list[dict[str, Any]]) -> list[OperatorVerdict]:
    """Validate every FlinkDeployment and FlinkSessionJob in ``manifests``, in order.

    A FlinkSessionJob is checked against the FlinkDeployment of the same batch
    that its ``spec.deploymentName`` names.
    """
    classpath = f"{harness / 'classes'}:{(harness / 'classpath.txt').read_text().strip()}"
    with tempfile.TemporaryDirectory() as scratch:
        verdicts = Path(scratch) / "verdicts.json"
        subprocess.run(
            ["java", "-cp", classpath, "OperatorValidator", str(verdicts)],
            input=json.dumps(manifests),
            text=True,
            check=True,
            capture_output=True,
        )
        return [OperatorVerdict(**verdict) for verdict in json.loads(verdicts.read_text())]
