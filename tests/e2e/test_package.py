"""The pulumi-flink package from other languages: Pulumi YAML on the dev cluster, generated SDKs.

The YAML program is ``examples/yaml`` as a user runs it (copied, with its
relative paths made absolute); the engine starts the package from
``plugin/`` through our Python language host, and pulumi-yaml's host runs
the program. The Go and TypeScript examples are compiled against SDKs generated from
the schema the running package reports, and the pinned Pulumi SDKs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from lightkube.generic_resource import create_namespaced_resource
from lightkube.resources.apps_v1 import Deployment as KubeDeployment
from pulumi import automation as auto

from pulumi_flink import effective_deployment
from pulumi_flink.devcluster import DevCluster
from tests.e2e.stacks import REPO_ROOT, PulumiEnvironment, set_config
from tests.seed import SEED_PATCH_SET

pytestmark = pytest.mark.e2e

PLUGIN = REPO_ROOT / "plugin"
YAML_EXAMPLE = REPO_ROOT / "examples" / "yaml"
FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
FlinkSessionJob = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkSessionJob", "flinksessionjobs"
)
MANAGED = {"app.kubernetes.io/managed-by": "pulumi-flink"}


@dataclasses.dataclass(frozen=True)
class PackageTools:
    """What toolchain/bootstrap.sh builds for the package (toolchain/polyglot.env)."""

    bin_dir: Path
    node_modules: Path


@pytest.fixture(scope="session")
def package_tools() -> PackageTools:
    """The package's tools; fails (never skips) when they are not built."""
    root = Path(
        subprocess.run(
            [str(REPO_ROOT / "toolchain" / "bootstrap.sh"), "--polyglot-dir"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    tools = PackageTools(bin_dir=root / "bin", node_modules=root / "node" / "node_modules")
    required = [
        tools.bin_dir / "pulumi-language-yaml",
        tools.bin_dir / "pulumi-flink-sdkgen",
        tools.node_modules / ".bin" / "tsc",
    ]
    missing = [str(path) for path in required if not path.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run toolchain/bootstrap.sh", pytrace=False)
    return tools


@pytest.fixture
def package_env(pulumi_env: PulumiEnvironment, package_tools: PackageTools) -> PulumiEnvironment:
    """The Pulumi environment with the YAML language host on PATH."""
    return dataclasses.replace(pulumi_env, extra_bin_dirs=(package_tools.bin_dir,))


def _yaml_program(directory: Path, resources: dict[str, Any] | None = None) -> Path:
    """examples/yaml (or its header with ``resources``) in ``directory``, paths made absolute."""
    project = yaml.safe_load((YAML_EXAMPLE / "Pulumi.yaml").read_text())
    project["runtime"]["options"]["virtualenv"] = str(
        (YAML_EXAMPLE / project["runtime"]["options"]["virtualenv"]).resolve()
    )
    project["packages"] = {"pulumi-flink": str(PLUGIN)}
    if resources is not None:
        project.update(resources=resources, outputs={}, config={})
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False))
    return directory


def _stack(
    environment: PulumiEnvironment, program: Path, name: str, config: dict[str, Any]
) -> auto.Stack:
    stack = auto.create_or_select_stack(
        name,
        work_dir=str(program),
        opts=auto.LocalWorkspaceOptions(
            env_vars=environment.env(),
            pulumi_home=str(environment.home),
            pulumi_command=auto.PulumiCommand(root=str(environment.bin_dir.parent)),
        ),
    )
    set_config(stack, config)
    return stack


def test_yaml_example_deploys_previews_a_change_and_destroys(
    package_env: PulumiEnvironment, dev_cluster: DevCluster, tmp_path: Path, stack_name: str
) -> None:
    program = _yaml_program(tmp_path / "yaml")
    stack = _stack(package_env, program, stack_name, {"namespace": stack_name})

    outputs = stack.up().outputs

    client = dev_cluster.client()
    flink = client.get(FlinkDeployment, "orders", namespace=stack_name)
    assert flink["spec"]["job"]["parallelism"] == 2
    assert flink["spec"]["flinkConfiguration"]["state.checkpoints.dir"] == (
        "s3://flink-state/yaml/checkpoints"
    )
    standalone = client.list(KubeDeployment, namespace=stack_name, labels=MANAGED)
    assert sorted(d.metadata.name for d in standalone) == [
        "state-machine-jobmanager",
        "state-machine-taskmanager",
    ]
    assert outputs["ordersRestUrl"].value == f"http://orders-rest.{stack_name}.svc:8081"
    assert outputs["ordersEffectiveSpec"].value["spec"]["template"]["spec"]["parallelism"] == 2

    set_config(stack, {"ordersParallelism": 4})
    preview = stack.preview(diff=True)

    assert set(preview.change_summary) == {"same", "update"}, preview.stdout
    assert "kubernetes:flink.apache.org/v1beta1:FlinkDeployment" in preview.stdout
    assert "parallelism: 2 => 4" in " ".join(preview.stdout.split())

    stack.destroy()
    assert list(client.list(FlinkDeployment, namespace=stack_name, labels=MANAGED)) == []
    assert list(client.list(KubeDeployment, namespace=stack_name, labels=MANAGED)) == []


def test_yaml_session_cluster_runs_a_deployment_of_the_package(
    package_env: PulumiEnvironment,
    dev_cluster: DevCluster,
    tmp_path: Path,
    stack_name: str,
    namespace: str,
) -> None:
    jar = "https://jobs.example/top-speed-windowing.jar"
    resources = {
        "jobs": {
            "type": "pulumi-flink:index:DeploymentTarget",
            "properties": {"kubernetesNamespace": namespace, "deploymentPatchSet": SEED_PATCH_SET},
        },
        "shared": {
            "type": "pulumi-flink:index:SessionCluster",
            "properties": {"target": "${jobs}", "spec": {"numberOfTaskManagers": 1}},
        },
        "clicks": {
            "type": "pulumi-flink:index:Deployment",
            "properties": {
                "sessionCluster": "${shared}",
                "spec": {"template": {"spec": {"artifact": {"jarUri": jar}}}},
            },
        },
    }
    stack = _stack(package_env, _yaml_program(tmp_path / "session", resources), stack_name, {})

    stack.up()

    client = dev_cluster.client()
    (job,) = client.list(FlinkSessionJob, namespace=namespace)
    assert job["spec"]["deploymentName"] == "shared"
    assert job["spec"]["job"]["jarURI"] == jar
    stack.destroy()
    assert list(client.list(FlinkSessionJob, namespace=namespace)) == []


SPEC_WITH_A_TYPO = {"template": {"spec": {"paralelism": 2}}}
PATCH_THAT_FAILS = [{"op": "replace", "path": "/spec/template/spec/nothing", "value": 1}]
PATCH_WITHOUT_VALUE = [{"op": "add", "path": "/spec/template/spec/parallelism"}]


def _python_message(spec: dict[str, Any], patch_set: list[dict[str, Any]]) -> str:
    """What the Python API says about ``spec`` on target ``jobs`` with ``patch_set``."""
    target = {"metadata": {"name": "jobs"}, "spec": {"deploymentPatchSet": patch_set}}
    with pytest.raises(ValueError) as raised:
        effective_deployment({"metadata": {"name": "orders"}, "spec": spec}, target)
    return str(raised.value)


@pytest.mark.parametrize(
    ("spec", "patch_set", "failing"),
    [
        (SPEC_WITH_A_TYPO, [], "pulumi-flink:index:Deployment resource 'orders'"),
        ({}, PATCH_THAT_FAILS, "pulumi-flink:index:Deployment resource 'orders'"),
        ({}, PATCH_WITHOUT_VALUE, "pulumi-flink:index:DeploymentTarget resource 'jobs'"),
    ],
    ids=["typo", "failing-patch", "no-value"],
)
def test_bad_yaml_input_fails_as_in_python(
    package_env: PulumiEnvironment,
    dev_cluster: DevCluster,
    tmp_path: Path,
    stack_name: str,
    namespace: str,
    spec: dict[str, Any],
    patch_set: list[dict[str, Any]],
    failing: str,
) -> None:
    resources = {
        "jobs": {
            "type": "pulumi-flink:index:DeploymentTarget",
            "properties": {"kubernetesNamespace": namespace, "deploymentPatchSet": patch_set},
        },
        "orders": {
            "type": "pulumi-flink:index:Deployment",
            "properties": {"target": "${jobs}", "spec": spec},
        },
    }
    program = _yaml_program(tmp_path / "bad", resources)
    stack = _stack(package_env, program, stack_name, {})

    with pytest.raises(auto.errors.CommandError) as raised:
        stack.preview()

    output = " ".join(str(raised.value).split())
    assert f"{failing} has a problem: " in output
    assert " ".join(_python_message(spec, patch_set).split()) in output
    assert "Traceback" not in output and 'File "' not in output


def _tool_env(bin_dir: Path, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": os.pathsep.join(
            [str(bin_dir), str(Path(sys.executable).parent), os.environ["PATH"]]
        ),
        "PULUMI_HOME": str(home),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": sys.executable,
    }


@pytest.fixture(scope="module")
def package_schema(toolchain_bin_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schema as `pulumi package get-schema` reads it from the running plugin."""
    home = tmp_path_factory.mktemp("schema-home")
    schema = subprocess.run(
        [str(toolchain_bin_dir / "pulumi"), "package", "get-schema", str(PLUGIN)],
        env=_tool_env(toolchain_bin_dir, home),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = home / "schema.json"
    path.write_text(schema)
    assert json.loads(schema)["name"] == "pulumi-flink"
    return path


def _example_with_sdk(
    tools: PackageTools, schema: Path, language: str, example: str, to: Path
) -> Path:
    """A copy of ``examples/<example>``, its SDK generated where `pulumi package add` puts it."""
    shutil.copytree(REPO_ROOT / "examples" / example, to)
    subprocess.run(
        [
            str(tools.bin_dir / "pulumi-flink-sdkgen"),
            language,
            str(schema),
            str(to / "sdks" / "pulumi-flink"),
        ],
        check=True,
        capture_output=True,
    )
    return to


def _node_modules_with(tools: PackageTools, sdk: Path, into: Path) -> None:
    """``into/node_modules``: the cached packages plus the SDK as @pulumi/pulumi-flink."""
    modules = into / "node_modules"
    (modules / "@pulumi").mkdir(parents=True)
    for entry in tools.node_modules.iterdir():
        if entry.name != "@pulumi":
            (modules / entry.name).symlink_to(entry)
    for entry in (tools.node_modules / "@pulumi").iterdir():
        (modules / "@pulumi" / entry.name).symlink_to(entry)
    (modules / "@pulumi" / "pulumi-flink").symlink_to(sdk)


def _tsc(tools: PackageTools, project: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tools.node_modules / ".bin" / "tsc"), "-p", str(project), *flags],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_typescript_example_compiles_against_the_generated_sdk(
    package_tools: PackageTools, package_schema: Path, tmp_path: Path
) -> None:
    example = _example_with_sdk(
        package_tools, package_schema, "nodejs", "typescript", tmp_path / "typescript"
    )
    sdk = example / "sdks" / "pulumi-flink"
    (sdk / "node_modules").symlink_to(package_tools.node_modules)
    built_sdk = _tsc(package_tools, sdk)  # as `pulumi package add` builds it
    assert built_sdk.returncode == 0, built_sdk.stdout
    _node_modules_with(package_tools, sdk, example)

    built = _tsc(package_tools, example, "--noEmit")

    assert built.returncode == 0, built.stdout


def test_the_go_example_builds_against_the_generated_sdk(
    package_tools: PackageTools, package_schema: Path, tmp_path: Path
) -> None:
    example = _example_with_sdk(package_tools, package_schema, "go", "go", tmp_path / "go")
    go_env = {
        **os.environ,
        **_go_cache_env(),
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",
        "CGO_ENABLED": "0",
    }

    built = subprocess.run(
        ["go", "build", "-trimpath", "-o", os.devnull, "."],
        cwd=example,
        env=go_env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert built.returncode == 0, built.stderr


def _go_cache_env() -> dict[str, str]:
    """The module and build caches toolchain/bootstrap.sh filled."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pulumi-flink" / "go"
    return {"GOMODCACHE": str(cache / "mod"), "GOCACHE": str(cache / "build")}
