"""Fixtures of the end-to-end tests: a real local control plane.

``dev_cluster`` (session scope) starts :class:`pulumi_flink.devcluster.DevCluster`
with the Flink operator's own FlinkDeployment and FlinkStateSnapshot CRDs from
``../shared/reference/crds`` and stops it at the end of the session. Missing
binaries fail the session with the command that builds them: the end-to-end
layer never skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_flink.devcluster import DevCluster, ToolchainNotFoundError, locate_toolchain
from tests.reference import CRD_DIR, FLINK_DEPLOYMENT_CRD

OFFICIAL_FLINK_DEPLOYMENT_CRD = FLINK_DEPLOYMENT_CRD
OFFICIAL_FLINK_STATE_SNAPSHOT_CRD = CRD_DIR / "flinkstatesnapshots.flink.apache.org-v1.yml"
OFFICIAL_FLINK_SESSION_JOB_CRD = CRD_DIR / "flinksessionjobs.flink.apache.org-v1.yml"


def _require_toolchain() -> Path:
    try:
        return locate_toolchain().bin_dir
    except ToolchainNotFoundError as error:
        pytest.fail(f"end-to-end tests need the real toolchain: {error}", pytrace=False)


@pytest.fixture(scope="session")
def toolchain_bin_dir() -> Path:
    """The bootstrapped bin dir; fails (never skips) when it is incomplete."""
    return _require_toolchain()


@pytest.fixture(scope="session")
def official_flink_deployment_crd() -> Path:
    """The Flink operator's FlinkDeployment CRD shipped in shared/reference."""
    if not OFFICIAL_FLINK_DEPLOYMENT_CRD.is_file():
        pytest.fail(f"missing {OFFICIAL_FLINK_DEPLOYMENT_CRD}", pytrace=False)
    return OFFICIAL_FLINK_DEPLOYMENT_CRD


@pytest.fixture(scope="session")
def official_flink_state_snapshot_crd() -> Path:
    """The Flink operator's FlinkStateSnapshot CRD shipped in shared/reference."""
    if not OFFICIAL_FLINK_STATE_SNAPSHOT_CRD.is_file():
        pytest.fail(f"missing {OFFICIAL_FLINK_STATE_SNAPSHOT_CRD}", pytrace=False)
    return OFFICIAL_FLINK_STATE_SNAPSHOT_CRD


@pytest.fixture(scope="session")
def official_flink_session_job_crd() -> Path:
    """The Flink operator's FlinkSessionJob CRD shipped in shared/reference."""
    if not OFFICIAL_FLINK_SESSION_JOB_CRD.is_file():
        pytest.fail(f"missing {OFFICIAL_FLINK_SESSION_JOB_CRD}", pytrace=False)
    return OFFICIAL_FLINK_SESSION_JOB_CRD


@pytest.fixture(scope="session")
def dev_cluster(
    tmp_path_factory: pytest.TempPathFactory,
    toolchain_bin_dir: Path,
    official_flink_deployment_crd: Path,
    official_flink_state_snapshot_crd: Path,
    official_flink_session_job_crd: Path,
) -> Iterator[DevCluster]:
    """A running dev cluster with the official FlinkDeployment, FlinkStateSnapshot and
    FlinkSessionJob CRDs.

    The :class:`DevCluster` gives ``kubeconfig``, ``bin_dir``, ``state_dir``
    (component logs in ``logs/``), ``client()`` and ``kubectl(...)``.
    """
    state_dir = tmp_path_factory.mktemp("dev-cluster")
    cluster = DevCluster(
        state_dir,
        crd_paths=[
            official_flink_deployment_crd,
            official_flink_state_snapshot_crd,
            official_flink_session_job_crd,
        ],
        bin_dir=toolchain_bin_dir,
        tie_to_parent=True,
    )
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


from tests.e2e.pulumi_fixtures import (  # noqa: E402  (fixtures for the Pulumi scenarios)
    consumer_stack,
    namespace,
    pulumi_env,
    single_stack,
    stack_name,
)

__all__ = ["consumer_stack", "namespace", "pulumi_env", "single_stack", "stack_name"]
