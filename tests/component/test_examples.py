"""The example programs declare what their READMEs promise (under Pulumi mocks).

Issue 5, "Examples": each program is imported as Pulumi would run it; the
end-to-end suite runs them against the local control plane.
"""

from __future__ import annotations

import runpy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

from pulumi_flink.vvp import VvpImportError
from tests.component.conftest import RecordingMocks, run_program

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CHECKPOINTS = "/spec/template/spec/flinkConfiguration/state.checkpoints.dir"
SAVEPOINTS = "/spec/template/spec/flinkConfiguration/state.savepoints.dir"


def _run(program: Path) -> None:
    run_program(lambda: runpy.run_path(str(program)))


@pytest.fixture
def config() -> Iterator[Callable[[str, str], None]]:
    """Set a stack config key of the program (project ``proj``); cleared afterwards."""
    pulumi.runtime.set_all_config({})
    yield lambda key, value: pulumi.runtime.set_config(f"proj:{key}", value)
    pulumi.runtime.set_all_config({})


class PlatformMocks(RecordingMocks):
    """Mocks of a cluster where the platform stack has created its targets."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        resource_id, outputs = super().new_resource(args)
        if args.typ.endswith("flink:DeploymentTarget") and args.resource_id:
            outputs.update(
                name=args.resource_id,
                namespace=f"flink-{args.resource_id}",
                # As the platform example's targets: both state directories.
                deployment_patch_set=[
                    {"op": "add", "path": CHECKPOINTS, "value": "s3://flink-state/checkpoints"},
                    {"op": "add", "path": SAVEPOINTS, "value": "s3://flink-state/savepoints"},
                ],
            )
        return resource_id, outputs


@pytest.fixture
def platform_mocks() -> PlatformMocks:
    """Mocks in `pulumi up` mode, on a cluster with the platform's targets."""
    mocks = PlatformMocks()
    pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)
    return mocks


def _targets(mocks: RecordingMocks) -> dict[str, dict[str, Any]]:
    return {r.inputs["name"]: r.inputs for r in mocks.of_type("flink:DeploymentTarget")}


def _namespaces(mocks: RecordingMocks) -> list[str]:
    return sorted(r.inputs["metadata"]["name"] for r in mocks.of_type("core/v1:Namespace"))


def _kinds(mocks: RecordingMocks, prefix: str) -> list[str]:
    """Kinds of the Kubernetes objects whose names start with ``prefix``, sorted."""
    return sorted(
        r.type.rsplit(":", 1)[1]
        for r in mocks.declared
        if r.type.startswith("kubernetes:") and r.name.startswith(prefix)
    )


def test_quickstart_declares_a_seeded_target_and_a_job_on_each_engine(
    mocks: RecordingMocks,
) -> None:
    _run(REPO / "__main__.py")

    patch_set = _targets(mocks)["quickstart"]["deployment_patch_set"]
    assert [op["path"] for op in patch_set] == [
        CHECKPOINTS,
        "/spec/template/spec/flinkConfiguration/state.savepoints.dir",
    ]
    assert "FlinkDeployment" in _kinds(mocks, "state-machine-operator-")
    assert _kinds(mocks, "state-machine-standalone-").count("Deployment") == 2


def test_platform_declares_a_namespace_and_target_per_environment(mocks: RecordingMocks) -> None:
    _run(EXAMPLES / "platform" / "__main__.py")

    assert _namespaces(mocks) == ["flink-production", "flink-staging"]
    assert {name: t["kubernetes_namespace"] for name, t in _targets(mocks).items()} == {
        "staging": "flink-staging",
        "production": "flink-production",
    }


def test_platform_patch_sets_add_state_dirs_a_pod_label_and_an_env_var(
    mocks: RecordingMocks, config: Callable[[str, str], None]
) -> None:
    config("stateRoot", "s3://bucket")

    _run(EXAMPLES / "platform" / "__main__.py")

    patch_set = _targets(mocks)["production"]["deployment_patch_set"]
    assert [(op["path"].rsplit("/", 1)[1], op["value"]) for op in patch_set] == [
        ("state.checkpoints.dir", "s3://bucket/production/checkpoints"),
        ("state.savepoints.dir", "s3://bucket/production/savepoints"),
        ("environment", "production"),
        ("-", {"name": "ENVIRONMENT", "value": "production"}),
    ]


def test_app_reads_the_platform_target_by_name(
    platform_mocks: PlatformMocks, config: Callable[[str, str], None]
) -> None:
    config("target", "production")

    _run(EXAMPLES / "app" / "__main__.py")

    (target,) = platform_mocks.of_type("flink:DeploymentTarget")
    assert target.id == "production"
    flink_deployment = platform_mocks.named("state-machine-flink-deployment")
    assert flink_deployment.inputs["metadata"]["namespace"] == "flink-production"


def test_standalone_declares_jobmanager_and_taskmanager_deployments(
    mocks: RecordingMocks,
) -> None:
    _run(EXAMPLES / "standalone" / "__main__.py")

    assert _namespaces(mocks) == ["flink-standalone"]
    assert _kinds(mocks, "state-machine-") == [
        "ConfigMap",
        "Deployment",
        "Deployment",
        "Role",
        "RoleBinding",
        "Service",
        "ServiceAccount",
    ]


def test_from_vvp_creates_the_targets_and_deployments_of_the_sample_export(
    mocks: RecordingMocks,
) -> None:
    _run(EXAMPLES / "from-vvp" / "__main__.py")

    targets = _targets(mocks)
    assert {name: t["kubernetes_namespace"] for name, t in targets.items()} == {
        "vvp-staging": "vvp-staging",
        "vvp-production": "vvp-production",
    }
    assert len(targets["vvp-production"]["deployment_patch_set"]) == 3
    assert sorted(r.name for r in mocks.of_type("FlinkDeployment")) == [
        "card-authorizations-flink-deployment",
        "click-sessions-flink-deployment",
        "order-totals-flink-deployment",
        "shared-staging-flink-deployment",
        "state-machine-flink-deployment",
        "top-speed-windowing-flink-deployment",
    ]
    [session_job] = mocks.of_type("FlinkSessionJob")
    assert (session_job.name, session_job.inputs["spec"]["deploymentName"]) == (
        "session-top-speed-flink-session-job",
        "shared-staging",
    )
    script = mocks.named("order-totals-sql-script").inputs["data"]["script.sql"]
    assert script.startswith("-- order totals per minute")


def test_from_vvp_applies_the_exports_defaults_secret_values_and_flink_versions(
    mocks: RecordingMocks,
) -> None:
    _run(EXAMPLES / "from-vvp" / "__main__.py")

    flink = {r.name: r.inputs["spec"] for r in mocks.of_type("FlinkDeployment")}
    legacy = flink["card-authorizations-flink-deployment"]
    assert legacy["flinkVersion"] == "v1_15"
    assert flink["state-machine-flink-deployment"]["flinkVersion"] == "v1_17"
    assert flink["top-speed-windowing-flink-deployment"]["flinkVersion"] == "v1_20"
    configuration = legacy["flinkConfiguration"]
    # Global defaults, overridden by the namespace's, under the Deployment's own values.
    assert configuration["restart-strategy"] == "fixed-delay"
    assert configuration["restart-strategy.fixed-delay.attempts"] == "5"
    assert "s3.access-key" not in configuration and "s3.secret-key" not in configuration
    (container,) = legacy["podTemplate"]["spec"]["containers"]
    assert {
        "name": "AWS_SECRET_ACCESS_KEY",
        "valueFrom": {"secretKeyRef": {"name": "vvp-s3-credentials", "key": "secret-key"}},
    } in container["env"]


def test_from_vvp_reads_the_directory_named_in_config(
    mocks: RecordingMocks, config: Callable[[str, str], None], tmp_path: Path
) -> None:
    (tmp_path / "target.yaml").write_text("kind: DeploymentTarget\nmetadata: {name: solo}\n")
    config("exportDir", str(tmp_path))

    _run(EXAMPLES / "from-vvp" / "__main__.py")

    assert list(_targets(mocks)) == ["solo"]


def test_from_vvp_fills_state_directories_from_the_exports_helm_values(
    mocks: RecordingMocks, config: Callable[[str, str], None], tmp_path: Path
) -> None:
    real_world = Path(__file__).parents[1] / "unit" / "fixtures" / "vvp-real-world"
    config("exportDir", str(real_world / "helm-values"))

    _run(EXAMPLES / "from-vvp" / "__main__.py")

    (flink,) = mocks.of_type("FlinkDeployment")
    root = "s3://vvp/flink-jobs/namespaces/default/deployments/9e2b7c4d-5f6a-4b8c-9d0e-1f2a3b4c5d6e"
    assert flink.inputs["spec"]["job"]["upgradeMode"] == "last-state"
    assert flink.inputs["spec"]["flinkConfiguration"]["state.checkpoints.dir"] == (
        f"{root}/checkpoints"
    )


def test_from_vvp_refuses_an_export_with_problems_before_declaring_anything(
    mocks: RecordingMocks, config: Callable[[str, str], None], tmp_path: Path
) -> None:
    (tmp_path / "bad.yaml").write_text("kind: Mystery\n")
    config("exportDir", str(tmp_path))

    with pytest.raises(VvpImportError, match="'Mystery' is not supported"):
        _run(EXAMPLES / "from-vvp" / "__main__.py")
    assert _targets(mocks) == {}


def test_sql_declares_the_script_config_map_and_a_flink_deployment_running_it(
    mocks: RecordingMocks,
) -> None:
    _run(EXAMPLES / "sql" / "__main__.py")

    script = mocks.named("order-totals-sql-script").inputs["data"]["script.sql"]
    assert script == (EXAMPLES / "sql" / "order-totals.sql").read_text()
    spec = mocks.named("order-totals-flink-deployment").inputs["spec"]
    assert spec["job"]["entryClass"] == "org.apache.flink.table.runtime.application.SqlDriver"
    assert "flink-sql-connector-kafka" in spec["flinkConfiguration"]["user.artifacts.artifact-list"]


def test_session_declares_a_session_cluster_and_two_session_jobs(mocks: RecordingMocks) -> None:
    _run(EXAMPLES / "session" / "__main__.py")

    jobs = mocks.of_type("FlinkSessionJob")
    assert sorted(r.name for r in jobs) == [
        "state-machine-flink-session-job",
        "top-speed-windowing-flink-session-job",
    ]
    assert {r.inputs["spec"]["deploymentName"] for r in jobs} == {"shared"}
    cluster = mocks.named("shared-flink-deployment").inputs
    assert "job" not in cluster["spec"]
    assert cluster["spec"]["flinkConfiguration"]["state.checkpoints.dir"] == (
        "s3://flink-state/analytics/checkpoints"
    )
