"""The CLI on session mode: SessionClusters and the Deployments that run in them."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from pulumi_flink.cli import main

SESSION = Path(__file__).parent / "golden" / "session-two-jobs" / "input.yaml"


def _run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def _without(text: str, kind: str) -> str:
    documents = [d for d in yaml.safe_load_all(text) if d["kind"] != kind]
    return yaml.safe_dump_all(documents)


def test_validate_counts_session_clusters() -> None:
    result = _run("validate", SESSION)

    assert result.exit_code == 0
    assert result.stdout == "valid: 1 DeploymentTarget, 1 SessionCluster, 2 Deployments\n"


def test_validate_reports_a_session_job_whose_cluster_is_not_among_the_files(
    tmp_path: Path,
) -> None:
    export = tmp_path / "jobs.yaml"
    export.write_text(_without(SESSION.read_text(), "SessionCluster"))

    result = _run("validate", export)

    # Valid VVP on their own: a warning each, nothing to render.
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"warning: {export}: document 1: Deployment 'clicks': spec.sessionClusterName: "
        "no valid SessionCluster 'shared-sql' among the files (its fields are checked; "
        "not rendered: a session job needs its cluster)",
        f"warning: {export}: document 2: Deployment 'sessions-report': "
        "spec.sessionClusterName: no valid SessionCluster 'shared-sql' among the files "
        "(its fields are checked; not rendered: a session job needs its cluster)",
    ]


def test_validate_reports_a_session_job_whose_cluster_is_not_among_several(
    tmp_path: Path,
) -> None:
    export = tmp_path / "jobs.yaml"
    export.write_text(
        SESSION.read_text().replace("sessionClusterName: shared-sql", "sessionClusterName: other")
    )

    result = _run("validate", export)

    assert result.exit_code == 1
    assert "no valid SessionCluster 'other' among the files" in result.stderr


def test_validate_reports_a_session_cluster_whose_target_is_not_among_the_files(
    tmp_path: Path,
) -> None:
    export = tmp_path / "cluster.yaml"
    export.write_text(_without(SESSION.read_text(), "DeploymentTarget"))

    result = _run("validate", export)

    # The cluster runs on a stand-in target without the patch set that gave its
    # state directories: its stateful jobs run stateless, each with a warning.
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0].startswith(
        f"warning: {export}: document 0: DeploymentTarget 'analytics': not among the files"
    )
    assert "so the job runs stateless" in result.stderr


def test_validate_checks_the_jar_scheme_against_the_given_allowlist(tmp_path: Path) -> None:
    export = tmp_path / "s3.yaml"
    export.write_text(SESSION.read_text().replace("https://repo.example.com", "s3://jobs"))

    refused = _run("validate", export)
    allowed = _run("validate", "--session-jar-schemes", "https,s3", export)

    assert refused.exit_code == 1
    assert "spec.template.spec.artifact.jarUri: scheme 's3'" in refused.stderr
    assert allowed.exit_code == 0


def test_render_prints_the_session_cluster_before_its_jobs() -> None:
    result = _run("render", SESSION)

    comments = [line for line in result.stdout.splitlines() if line.startswith("# ")]
    kinds = [d["kind"] for d in yaml.safe_load_all(result.stdout)]
    assert result.exit_code == 0
    assert kinds == [
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "FlinkDeployment",
        "FlinkSessionJob",
        "FlinkSessionJob",
    ]
    assert comments[-1] == (
        "# Deployment 'sessions-report' in SessionCluster 'shared-sql' on DeploymentTarget "
        f"'analytics' ({SESSION}: document 3)"
    )


def test_render_with_the_standalone_engine_refuses_session_mode_by_name() -> None:
    result = _run("render", "--engine", "standalone", SESSION)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert [line.split(": engine: ")[0] for line in result.stderr.splitlines()] == [
        f"{SESSION}: document 1: SessionCluster 'shared-sql'",
        f"{SESSION}: document 2: Deployment 'clicks'",
        f"{SESSION}: document 3: Deployment 'sessions-report'",
    ]


def test_diff_labels_a_changed_session_cluster(tmp_path: Path) -> None:
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        SESSION.read_text().replace("numberOfTaskManagers: 2", "numberOfTaskManagers: 3")
    )

    result = _run("diff", SESSION, changed)

    headers = [line for line in result.stdout.splitlines() if line.startswith("+++ ")]
    assert result.exit_code == 1
    assert headers == [
        "+++ new/sessioncluster/shared-sql/effective-spec.yaml",
        "+++ new/sessioncluster/shared-sql/manifests.yaml",
    ]
    assert result.stderr == "1 of 3 resources differ: sessioncluster/shared-sql\n"


def test_validate_reports_a_deployment_named_like_a_session_cluster_on_its_target(
    tmp_path: Path,
) -> None:
    export = tmp_path / "clash.yaml"
    clash = (
        "---\nkind: Deployment\nmetadata: {name: shared-sql}\nspec:\n"
        "  deploymentTargetName: analytics\n  restoreStrategy: {kind: NONE}\n"
        "  template: {spec: {artifact: {jarUri: 'local:///opt/flink/usrlib/job.jar'}}}\n"
    )
    export.write_text(SESSION.read_text() + clash)

    result = _run("validate", export)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{export}: document 4: Deployment 'shared-sql': metadata.name: its objects would be "
        "named 'shared-sql' like those of SessionCluster 'shared-sql' on the same "
        "DeploymentTarget 'analytics'; rename one of them"
    ]
