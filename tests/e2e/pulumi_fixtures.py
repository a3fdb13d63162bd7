"""Fixtures that run programs through the real Pulumi engine on the dev cluster."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import Namespace
from pulumi import automation as auto

from pulumi_flink.devcluster import DevCluster
from tests.e2e.stacks import PulumiEnvironment
from tests.seed import SEED_PATCH_SET


def _versions() -> dict[str, str]:
    versions = Path(__file__).resolve().parents[2] / "toolchain" / "versions.env"
    pairs = (line.split("=", 1) for line in versions.read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.startswith("#")}


@pytest.fixture(scope="session")
def pulumi_env(
    tmp_path_factory: pytest.TempPathFactory, dev_cluster: DevCluster
) -> PulumiEnvironment:
    """A private Pulumi home with the built kubernetes plugin, and a file backend."""
    environment = PulumiEnvironment(
        home=tmp_path_factory.mktemp("pulumi-home"),
        backend=tmp_path_factory.mktemp("pulumi-state"),
        bin_dir=dev_cluster.bin_dir,
        kubeconfig=dev_cluster.kubeconfig,
    )
    environment.install_kubernetes_plugin(_versions()["PULUMI_KUBERNETES_VERSION"])
    return environment


@pytest.fixture
def stack_name(request: pytest.FixtureRequest) -> str:
    """A stack (and target) name unique to the test."""
    return re.sub(r"[^a-z0-9-]", "-", request.node.name.lower().removeprefix("test_"))[:40].strip(
        "-"
    )


@pytest.fixture
def namespace(dev_cluster: DevCluster, stack_name: str) -> Iterator[str]:
    """A fresh Kubernetes namespace for the test's workloads."""
    client = dev_cluster.client()
    client.create(Namespace(metadata=ObjectMeta(name=stack_name)))
    yield stack_name


@pytest.fixture
def single_stack(
    pulumi_env: PulumiEnvironment, tmp_path: Path, stack_name: str, namespace: str
) -> Callable[..., auto.Stack]:
    """Make the ``single`` program's stack: one target, the given Deployments."""

    def make(
        *, deployments: list[dict[str, Any]], patch_set: list[dict[str, Any]] | None = None
    ) -> auto.Stack:
        return pulumi_env.stack(
            "single",
            stack_name,
            tmp_path / "single",
            {
                "targetName": stack_name,
                "namespace": namespace,
                "patchSet": SEED_PATCH_SET if patch_set is None else patch_set,
                "deployments": deployments,
            },
        )

    return make


@pytest.fixture
def consumer_stack(
    pulumi_env: PulumiEnvironment, tmp_path: Path, stack_name: str
) -> Callable[..., auto.Stack]:
    """Make the ``consumer`` program's stack: Deployments on a target found by name."""

    def make(*, target_name: str, deployments: list[dict[str, Any]]) -> auto.Stack:
        return pulumi_env.stack(
            "consumer",
            f"{stack_name}-user",
            tmp_path / "consumer",
            {"targetName": target_name, "deployments": deployments},
        )

    return make
