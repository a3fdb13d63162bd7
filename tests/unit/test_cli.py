"""Specification of the ``pulumi-flink`` CLI: validate, render, diff.

Issue 5, "CLI": problems one line each on stderr with file, document and
field; exit codes CI can rely on; the same renderer as the component; diffs
coloured only on a terminal.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from pulumi_flink import render_manifests
from pulumi_flink.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "vvp"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid.yaml"
MISSING_TARGET = FIXTURES / "missing-target.yaml"


def _run(*args: object, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env)


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """The valid export with the production target's checkpoint bucket renamed."""
    copy = Path(shutil.copytree(VALID, tmp_path / "changed"))
    targets = copy / "deployment-targets.yaml"
    targets.write_text(
        targets.read_text().replace("s3://flink-production/checkpoints", "s3://ckpt-v2")
    )
    return copy


def test_a_file_name_with_a_line_break_forges_no_line_in_problems_or_rendered_yaml(
    tmp_path: Path,
) -> None:
    forged = tmp_path / "x\nkind: Secret\n::error::forged.yaml"
    shutil.copy(VALID / "deployments.yaml", forged)
    (tmp_path / "targets.yaml").write_bytes((VALID / "deployment-targets.yaml").read_bytes())

    invalid = tmp_path / "invalid" / "y\n::error::forged.yaml"
    invalid.parent.mkdir()
    shutil.copy(INVALID, invalid)

    rendered = _run("render", tmp_path)
    problems = _run("validate", invalid)

    assert rendered.exit_code == 0
    assert [doc["kind"] for doc in yaml.safe_load_all(rendered.stdout)].count("Secret") == 0
    assert "\\nkind: Secret\\n::error::forged.yaml: document" in rendered.stdout
    assert problems.exit_code == 1
    assert all(line.isprintable() for line in problems.stderr.splitlines())
    assert not any(line.startswith("::") for line in problems.stderr.splitlines())


# validate


def test_validate_accepts_a_valid_export_with_a_summary() -> None:
    result = _run("validate", VALID)

    assert result.exit_code == 0
    assert result.stdout == "valid: 2 DeploymentTargets, 3 Deployments\n"
    assert result.stderr == ""


def test_validate_reports_every_problem_on_stderr_and_exits_1() -> None:
    result = _run("validate", INVALID)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{INVALID}: document 0: DeploymentTarget 'staging': spec.deploymentPatchSet[1] "
        "(add /spec/template/spec/flinkConfiguration/state.savepoints.dir): add needs a 'value'",
        f"{INVALID}: document 1: Deployment 'orders': spec.template.spec.parallelism: "
        "Input should be greater than or equal to 1",
    ]
    assert result.stdout == "invalid: 2 problems\n"


def test_validate_reports_a_deployment_whose_target_is_not_among_the_files() -> None:
    result = _run("validate", VALID / "deployment-targets.yaml", MISSING_TARGET)

    assert result.exit_code == 1
    assert result.stderr == (
        f"{MISSING_TARGET}: document 0: Deployment 'orders': spec.deploymentTargetName: "
        "no valid DeploymentTarget 'qa' among the files\n"
    )


def test_validate_accepts_a_deployment_exported_without_any_target_with_a_warning() -> None:
    result = _run("validate", MISSING_TARGET)

    assert result.exit_code == 0
    assert result.stdout == "valid: 0 DeploymentTargets, 1 Deployment\n"
    assert result.stderr.startswith(
        f"warning: {MISSING_TARGET}: document 0: DeploymentTarget 'qa': not among the files"
    )


def test_validate_checks_all_files_together() -> None:
    targets, deployments = VALID / "deployment-targets.yaml", VALID / "deployments.yaml"

    alone, together = _run("validate", deployments), _run("validate", targets, deployments)

    assert "not among the files, which hold no DeploymentTarget" in alone.stderr
    assert together.exit_code == 0
    assert "not among the files" not in together.stderr


def test_validate_needs_existing_files() -> None:
    result = _run("validate", FIXTURES / "nope.yaml")

    assert result.exit_code == 2
    assert "Path" in result.stderr
    assert "does not exist" in result.stderr


# render


def test_render_prints_what_the_component_renderer_returns() -> None:
    staging = yaml.safe_load((VALID / "deployment-targets.yaml").read_text().split("---")[0])
    orders = yaml.safe_load((VALID / "deployments.yaml").read_text().split("---")[0])

    result = _run("render", VALID)

    rendered = list(yaml.safe_load_all(result.stdout))
    assert result.exit_code == 0
    assert rendered[:4] == render_manifests(orders, staging)


def test_render_labels_each_object_with_its_deployment_target_and_source() -> None:
    result = _run("render", VALID)

    assert result.stdout.splitlines()[:2] == [
        "---",
        f"# Deployment 'orders' on DeploymentTarget 'staging' ({VALID / 'deployments.yaml'}: "
        "document 0)",
    ]


def test_render_lists_objects_in_apply_order_per_deployment() -> None:
    result = _run("render", VALID)

    kinds = [document["kind"] for document in yaml.safe_load_all(result.stdout)]
    assert kinds == ["ServiceAccount", "Role", "RoleBinding", "FlinkDeployment"] * 3


def test_render_standalone_engine() -> None:
    result = _run("render", VALID, "--engine", "standalone")

    kinds = [document["kind"] for document in yaml.safe_load_all(result.stdout)][:7]
    assert kinds == [
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "ConfigMap",
        "Service",
        "Deployment",
        "Deployment",
    ]


def test_render_uses_the_namespace_option_for_targets_without_one(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    text = (VALID / "deployment-targets.yaml").read_text()
    targets.write_text(text.replace("namespace: flink-staging", "namespace: null"))

    result = _run("render", targets, VALID / "deployments.yaml", "--namespace", "jobs")

    namespaces = {
        document["metadata"]["namespace"] for document in yaml.safe_load_all(result.stdout)
    }
    assert namespaces == {"jobs", "flink-production"}


def test_render_rejects_a_namespace_kubernetes_would_refuse() -> None:
    result = _run("render", VALID, "--namespace", "Not_A_Label")

    assert result.exit_code == 2
    assert "Invalid value for '--namespace'" in result.stderr


def test_render_output_is_block_style_without_anchors() -> None:
    result = _run("render", VALID, "--engine", "standalone")

    assert "&id" not in result.stdout
    assert "*id" not in result.stdout
    assert "log4j-console.properties: |" in result.stdout


def test_render_prints_problems_and_no_manifests_when_the_files_are_invalid(
    tmp_path: Path,
) -> None:
    audit = tmp_path / "audit.yaml"
    audit.write_text(MISSING_TARGET.read_text().replace("name: orders", "name: audit"))

    result = _run("render", VALID, audit)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{audit}: document 0: Deployment 'audit': spec.deploymentTargetName: "
        "no valid DeploymentTarget 'qa' among the files\n"
    )


def test_render_output_is_bounded_and_an_input_past_the_limit_prints_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = _run("render", VALID).stdout
    first = whole.index("# Deployment 'payments'") - len("---\n")
    # Room for the first Deployment's objects, not for the second's.
    monkeypatch.setattr("pulumi_flink.cli._output.MAX_RENDER_OUTPUT", first + 1)

    result = _run("render", VALID)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Deployment 'payments': the rendered output passes the limit of" in result.stderr
    assert '(MAX_RENDER_OUTPUT, see the README, "Limits")' in result.stderr


def test_render_output_exactly_at_the_limit_is_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _run("render", VALID).stdout
    monkeypatch.setattr("pulumi_flink.cli._output.MAX_RENDER_OUTPUT", len(whole))

    assert _run("render", VALID).stdout == whole


# diff


def test_diff_of_an_export_whose_render_passes_the_limit_exits_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("pulumi_flink.cli._output.MAX_RENDER_OUTPUT", 100)

    result = _run("diff", VALID, VALID)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "the rendered output passes the limit of 100 characters" in result.stderr


def test_diff_of_identical_exports_is_empty_and_exits_0() -> None:
    result = _run("diff", VALID, VALID)

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no differences in 3 Deployments\n"


def test_diff_shows_every_deployment_a_changed_patch_set_affects_and_exits_1(
    changed: Path,
) -> None:
    result = _run("diff", VALID, changed)

    assert result.exit_code == 1
    headers = [line for line in result.stdout.splitlines() if line.startswith("+++ ")]
    assert headers == [
        "+++ new/payments/effective-spec.yaml",
        "+++ new/payments/manifests.yaml",
        "+++ new/fraud-detection/effective-spec.yaml",
        "+++ new/fraud-detection/manifests.yaml",
    ]
    assert result.stderr == "2 of 3 Deployments differ: payments, fraud-detection\n"


def test_diff_shows_the_changed_lines_of_effective_spec_and_manifests(changed: Path) -> None:
    result = _run("diff", VALID, changed)

    changes = [line for line in result.stdout.splitlines() if line[:1] in "+-" and " " in line]
    assert "-        state.checkpoints.dir: s3://flink-production/checkpoints" in changes
    assert "+        state.checkpoints.dir: s3://ckpt-v2" in changes
    assert "-    state.checkpoints.dir: s3://flink-production/checkpoints" in changes


def test_diff_compares_a_new_deployment_with_dev_null() -> None:
    result = _run("diff", VALID / "deployment-targets.yaml", VALID)

    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "--- /dev/null",
        "+++ new/orders/effective-spec.yaml",
    ]


def test_diff_leaves_out_what_vvp_sets_on_every_export(tmp_path: Path) -> None:
    exported = Path(shutil.copytree(VALID, tmp_path / "exported"))
    deployments = exported / "deployments.yaml"
    deployments.write_text(
        deployments.read_text().replace(
            "  name: orders\n", "  name: orders\n  resourceVersion: 7\n"
        )
        + "status:\n  state: RUNNING\n"
    )

    assert _run("diff", VALID, exported).exit_code == 0


def test_diff_exits_2_when_either_side_has_problems() -> None:
    result = _run("diff", VALID, INVALID)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 2


def test_diff_is_plain_when_not_on_a_terminal(changed: Path) -> None:
    assert "\x1b[" not in _run("diff", VALID, changed).stdout


def test_diff_is_coloured_when_colour_is_forced(changed: Path) -> None:
    result = _run("diff", VALID, changed, env={"FORCE_COLOR": "1", "NO_COLOR": None})

    assert "\x1b[31m-" in result.stdout
    assert "\x1b[32m+" in result.stdout


# The command group


def test_help_lists_every_command() -> None:
    result = _run("--help")

    commands = result.stdout.split("Commands:")[1].split()
    assert {"validate", "render", "diff", "dev-cluster", "targets"} <= set(commands)


def test_version_is_the_package_version() -> None:
    assert _run("--version").stdout == "pulumi-flink, version 0.1.0\n"


def test_an_unexpected_error_is_one_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(_sources: object, **_options: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("pulumi_flink.cli._validate.read_vvp_export", broken)

    result = _run("validate", VALID)

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: RuntimeError: disk on fire (rerun with --debug for the traceback)\n"
    )


def test_debug_lets_an_unexpected_error_through(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_sources: object, **_options: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("pulumi_flink.cli._validate.read_vvp_export", broken)

    result = _run("--debug", "validate", VALID)

    assert isinstance(result.exception, RuntimeError)


def test_the_cli_does_not_import_pulumi() -> None:
    code = (
        "import sys, pulumi_flink.cli; "
        "print(sorted(m for m in ('pulumi', 'pulumi_kubernetes') if m in sys.modules))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert imported == "[]\n"


# validate --engine (issue 12 point 3)

SECRET_EXPORT = """
kind: DeploymentTarget
metadata: {name: prod}
spec: {kubernetes: {namespace: flink-jobs}}
---
kind: SecretValue
metadata: {name: kafka-password}
---
kind: Deployment
metadata: {name: orders}
spec:
  deploymentTargetName: prod
  restoreStrategy: {kind: NONE}
  template:
    spec:
      artifact: {jarUri: "https://jobs.example.com/orders.jar", flinkVersion: "1.18"}
      flinkConfiguration: {properties.sasl.password: "${kafka-password}"}
"""


@pytest.fixture
def secret_export(tmp_path: Path) -> Path:
    export = tmp_path / "export.yaml"
    export.write_text(SECRET_EXPORT)
    return export


def test_validate_refuses_a_secret_the_default_engine_cannot_deliver(secret_export: Path) -> None:
    result = _run("validate", secret_export)

    assert result.exit_code == 1
    (problem,) = result.stderr.splitlines()
    assert "spec.template.spec.flinkConfiguration.properties.sasl.password" in problem
    assert "engine 'operator'" in problem
    assert result.stdout == "invalid: 1 problem\n"


def test_validate_for_the_standalone_engine_accepts_the_same_secret(secret_export: Path) -> None:
    result = _run("validate", "--engine", "standalone", secret_export)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "valid: 1 DeploymentTarget, 1 Deployment\n"


def test_validate_refuses_session_mode_on_the_standalone_engine() -> None:
    export = Path(__file__).parent / "golden" / "session-two-jobs" / "input.yaml"

    result = _run("validate", "--engine", "standalone", export)

    assert result.exit_code == 1
    assert "the standalone engine has no job submission" in result.stderr


@pytest.mark.parametrize(
    "given",
    ["pw=db credentials/password", "pw=Db/password", "pw=db/pass word", "pw=db/..", "pw=db/a/b"],
)
def test_a_secret_value_naming_a_secret_or_key_kubernetes_refuses_is_a_usage_error(
    given: str,
) -> None:
    result = _run("validate", VALID, "--secret-value", given)

    assert result.exit_code == 2
    assert f"Invalid value for '--secret-value': {given!r}: " in result.stderr
    assert "Traceback" not in result.output
