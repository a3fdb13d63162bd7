"""Where the team's shared reference data (the operator's CRDs) lives.

``../shared/reference`` next to the repository in a plain checkout; a git
worktree sits one level deeper, so the nearest ancestor holding
``shared/reference`` is used.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


def _reference_dir() -> Path:
    for ancestor in REPOSITORY_ROOT.parents:
        candidate = ancestor / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return REPOSITORY_ROOT.parent / "shared" / "reference"


CRD_DIR = _reference_dir() / "crds"
"""The Flink operator's official CRDs, unmodified upstream data."""

FLINK_DEPLOYMENT_CRD = CRD_DIR / "flinkdeployments.flink.apache.org-v1.yml"
FLINK_SESSION_JOB_CRD = CRD_DIR / "flinksessionjobs.flink.apache.org-v1.yml"


def strict_schema(schema: Any) -> Any:
    """Reject unknown fields where the API server would prune them.

    The API server silently *prunes* fields a structural schema does not
    know: an object schema with ``properties`` and no ``additionalProperties``
    here rejects unknown fields instead of ignoring them.
    """
    if isinstance(schema, list):
        return [strict_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    strict = {key: strict_schema(value) for key, value in schema.items()}
    if (
        "properties" in strict
        and "additionalProperties" not in strict
        and not strict.get("x-kubernetes-preserve-unknown-fields")
    ):
        strict["additionalProperties"] = False
    return strict


@functools.cache
def crd_version(crd_path: Path) -> dict[str, Any]:
    """The ``v1beta1`` version of an official CRD; fails the test when it is missing."""
    if not crd_path.is_file():
        pytest.fail(
            f"the CRD is missing: expected it at {crd_path} (../shared/reference/crds/ "
            "next to the repository); these tests check rendered manifests against it "
            "and cannot run without it"
        )
    crd = yaml.safe_load(crd_path.read_text())
    [version] = [v for v in crd["spec"]["versions"] if v["name"] == "v1beta1"]
    version_doc: dict[str, Any] = version
    return version_doc


@functools.cache
def crd_validator(crd_path: Path, kind: str) -> jsonschema.Draft4Validator:
    """A strict validator of a whole ``kind`` object against an official CRD."""
    schema = copy.deepcopy(crd_version(crd_path)["schema"]["openAPIV3Schema"])
    # Every object has these; the API server checks them, not the CRD schema.
    schema["properties"].update(
        {
            "apiVersion": {"enum": ["flink.apache.org/v1beta1"]},
            "kind": {"enum": [kind]},
            "metadata": {"type": "object"},
        }
    )
    schema["required"] = ["apiVersion", "kind", "metadata", "spec"]
    return jsonschema.Draft4Validator(strict_schema(schema))


def crd_errors(manifest: dict[str, Any], crd_path: Path) -> list[str]:
    """Every way ``manifest`` breaks its official CRD, one line each."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in crd_validator(crd_path, manifest.get("kind", "")).iter_errors(manifest)
    ]
