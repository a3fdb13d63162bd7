"""The examples and the quickstart run as users run them: `pulumi up`, then `pulumi destroy`."""

from __future__ import annotations

from pathlib import Path

import pytest
from lightkube.generic_resource import create_namespaced_resource
from lightkube.resources.apps_v1 import Deployment as KubeDeployment
from lightkube.resources.core_v1 import ConfigMap

from pulumi_flink.devcluster import DevCluster
from tests.e2e.stacks import REPO_ROOT, PulumiEnvironment

pytestmark = pytest.mark.e2e

EXAMPLES = REPO_ROOT / "examples"
FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
MANAGED = {"app.kubernetes.io/managed-by": "pulumi-flink"}


def _flink_deployments(cluster: DevCluster) -> list[str]:
    """Every FlinkDeployment of ours in the shared dev cluster, other tests' too."""
    client = cluster.client()
    return sorted(
        f"{fd.metadata.namespace}/{fd.metadata.name}"
        for fd in client.list(FlinkDeployment, namespace="*", labels=MANAGED)
    )


def test_platform_then_app_stack_deploy_onto_the_platforms_targets(
    pulumi_env: PulumiEnvironment, dev_cluster: DevCluster, tmp_path: Path
) -> None:
    platform = pulumi_env.stack(EXAMPLES / "platform", "platform", tmp_path / "platform", {})
    app = pulumi_env.stack(EXAMPLES / "app", "app", tmp_path / "app", {"target": "staging"})

    before = _flink_deployments(dev_cluster)
    platform.up()
    app.up()

    assert any(name.startswith("flink-staging/") for name in _flink_deployments(dev_cluster))
    app.destroy()
    platform.destroy()
    assert _flink_deployments(dev_cluster) == before


def test_standalone_example_runs_without_the_operator(
    pulumi_env: PulumiEnvironment, dev_cluster: DevCluster, tmp_path: Path
) -> None:
    stack = pulumi_env.stack(EXAMPLES / "standalone", "standalone", tmp_path / "standalone", {})

    stack.up()

    client = dev_cluster.client()
    deployments = client.list(KubeDeployment, namespace="flink-standalone", labels=MANAGED)
    available = {d.metadata.name: d.status.availableReplicas for d in deployments}
    assert available == {"state-machine-jobmanager": 1, "state-machine-taskmanager": 1}
    stack.destroy()


def test_from_vvp_example_creates_what_the_export_describes(
    pulumi_env: PulumiEnvironment, dev_cluster: DevCluster, tmp_path: Path
) -> None:
    stack = pulumi_env.stack(EXAMPLES / "from-vvp", "from-vvp", tmp_path / "from-vvp", {})
    before = _flink_deployments(dev_cluster)

    stack.up()

    # Several Flink versions (1.15 with VVP's HA and secret references, 1.17, 1.20),
    # the export's defaults merged in: accepted by the API server's official CRD.
    assert {
        "vvp-production/card-authorizations",
        "vvp-production/state-machine",
        "vvp-staging/top-speed-windowing",
    } <= set(_flink_deployments(dev_cluster))
    stack.destroy()
    assert _flink_deployments(dev_cluster) == before


def test_sql_example_runs_a_sql_script_with_a_connector_jar(
    pulumi_env: PulumiEnvironment, dev_cluster: DevCluster, tmp_path: Path
) -> None:
    stack = pulumi_env.stack(EXAMPLES / "sql", "sql", tmp_path / "sql", {})
    before = _flink_deployments(dev_cluster)

    stack.up()

    assert "flink-sql/order-totals" in _flink_deployments(dev_cluster)
    client = dev_cluster.client()
    script = client.get(ConfigMap, "order-totals-sql-script", namespace="flink-sql")
    assert script.data == {"script.sql": (EXAMPLES / "sql" / "order-totals.sql").read_text()}
    stack.destroy()
    assert _flink_deployments(dev_cluster) == before


def test_quickstart_waits_for_both_engines_and_exports_their_urls(
    pulumi_env: PulumiEnvironment, dev_cluster: DevCluster, tmp_path: Path
) -> None:
    program = tmp_path / "quickstart-program"
    program.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        (program / name).write_text((REPO_ROOT / name).read_text())
    stack = pulumi_env.stack(program, "quickstart", tmp_path / "quickstart", {})

    outputs = stack.up().outputs

    assert set(outputs["rest_urls"].value) == {"operator", "standalone"}
    workload = dev_cluster.client().get(
        FlinkDeployment,
        outputs["workload_names"].value["operator"],
        namespace=outputs["namespace"].value,
    )
    assert (workload["status"]["lifecycleState"], workload["status"]["jobStatus"]["state"]) == (
        "STABLE",
        "RUNNING",
    )
    stack.destroy()


def test_session_example_runs_two_jobs_in_one_session_cluster(
    pulumi_env: PulumiEnvironment, dev_cluster: DevCluster, tmp_path: Path
) -> None:
    stack = pulumi_env.stack(EXAMPLES / "session", "session", tmp_path / "session", {})
    before = _flink_deployments(dev_cluster)

    outputs = stack.up().outputs

    assert outputs["jobs"].value == ["top-speed-windowing", "state-machine"]
    assert "flink-analytics/shared" in _flink_deployments(dev_cluster)
    stack.destroy()
    assert _flink_deployments(dev_cluster) == before
