"""Pulumi mocks that record every resource a program declares."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pytest


@dataclass
class Declared:
    """One resource as the program declared it."""

    type: str
    name: str
    inputs: dict[str, Any]
    provider: str
    id: str | None


@dataclass
class RecordingMocks(pulumi.runtime.Mocks):
    """Answers like a fresh cluster: targets resolve to the context namespace ``ctx-ns``."""

    declared: list[Declared] = field(default_factory=list)
    recorded_savepoint: str = ""
    """What the cluster's savepoint record holds for every workload ("" = none)."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.declared.append(
            Declared(args.typ, args.name, dict(args.inputs), args.provider, args.resource_id)
        )
        outputs = dict(args.inputs)
        if args.typ.endswith("flink:DeploymentTarget"):
            outputs.update(
                target_id=f"{args.name}-id",
                namespace=outputs.get("kubernetes_namespace") or "ctx-ns",
                created_at="2026-11-27T00:00:00+00:00",
                cluster_id="cluster-a",
            )
        if args.typ.endswith("flink:SessionClusterRecord"):
            outputs["record_id"] = f"{args.name}-record-id"
            if args.resource_id:  # SessionCluster.get: what another stack recorded
                outputs.update(
                    name=args.resource_id,
                    namespace="flink-jobs",
                    document=recorded_session_cluster(args.resource_id),
                )
        if args.typ.endswith("flink:RecordedSavepoint"):
            outputs["path"] = self.recorded_savepoint
        if args.typ.endswith("flink:SnapshotCompletion"):
            outputs["path"] = f"s3://savepoints/{outputs['snapshot']}"
        if args.typ == "kubernetes:core/v1:Namespace" and args.resource_id:
            outputs = {"metadata": {"name": args.resource_id, "uid": "cluster-b"}}
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}

    def of_type(self, suffix: str) -> list[Declared]:
        """Declared resources whose type ends with ``suffix``."""
        return [resource for resource in self.declared if resource.type.endswith(suffix)]

    def named(self, name: str) -> Declared:
        """The declared resource called ``name``."""
        (resource,) = [resource for resource in self.declared if resource.name == name]
        return resource


def recorded_session_cluster(name: str) -> dict[str, Any]:
    """The effective document a session cluster ``name`` of another stack has on record."""
    from pulumi_flink.effective import effective_session_cluster

    cluster = {
        "metadata": {"name": name},
        "spec": {
            "numberOfTaskManagers": 2,
            "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"},
        },
    }
    target = {"metadata": {"name": "prod"}, "spec": {"kubernetes": {"namespace": "flink-jobs"}}}
    return effective_session_cluster(cluster, target)


def _install(preview: bool) -> RecordingMocks:
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=preview)
    return mocks


@pytest.fixture
def mocks() -> Iterator[RecordingMocks]:
    """Mocks in `pulumi up` mode."""
    yield _install(preview=False)


@pytest.fixture
def preview_mocks() -> Iterator[RecordingMocks]:
    """Mocks in `pulumi preview` mode."""
    yield _install(preview=True)


JOB_SPEC = {
    "template": {
        "spec": {
            "artifact": {"jarUri": "local:///opt/flink/usrlib/orders.jar", "flinkVersion": "1.20"},
            "parallelism": 2,
        }
    }
}


def run_program(program: Any) -> None:
    """Run a Pulumi program under the installed mocks, waiting for every registration."""
    pulumi.runtime.test(program)()


def resolved(output: pulumi.Output[Any], into: dict[str, Any], key: str) -> None:
    """Store ``output``'s value in ``into[key]`` once it resolves."""
    output.apply(lambda value: into.__setitem__(key, value))
