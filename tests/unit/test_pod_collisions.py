"""User volumes, mount paths and containers that would collide with ours are refused.

One test per kind of collision: a volume named like one we (or Flink, under
the operator) add, a Flink-container mount at one of our paths, a container
named like one of our init containers; through ``kubernetes.pods``, the full
pod templates and a target's patch set; at render (so at ``preview``) and at
``validate``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from pulumi_flink import render_manifests
from pulumi_flink.cli import main
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.secrets import SecretKeyRef
from tests.unit.documents import Doc, deployment, target

PODS = "spec.template.spec.kubernetes.pods.volumeMounts[0]"
JOB_MANAGER = "spec.template.spec.kubernetes.jobManagerPodTemplate.spec"
TASK_MANAGER = "spec.template.spec.kubernetes.taskManagerPodTemplate.spec"
LOCAL_JAR = "local:///opt/flink/usrlib/orders.jar"
REMOTE_JAR = "https://repo.example.com/orders.jar"
STAGED = {"flinkVersion": "1.18"}
"""Flink before 1.19 cannot fetch an https jar: our init container stages it in usrlib."""


def _pods_mount(name: str, path: str) -> Doc:
    mount = {"name": name, "volume": {"emptyDir": {}}, "volumeMount": {"mountPath": path}}
    return {"pods": {"volumeMounts": [mount]}}


def _refusal(document: Doc, engine: str, **options: Any) -> SpecValidationError:
    with pytest.raises(SpecValidationError) as refused:
        render_manifests(document, target(), engine=engine, **options)
    return refused.value


@pytest.mark.parametrize(
    ("engine", "volume", "jar_uri"),
    [
        ("standalone", "flink-config", LOCAL_JAR),
        ("standalone", "flink-usrlib", REMOTE_JAR),
        ("operator", "flink-usrlib", REMOTE_JAR),
        ("operator", "flink-config-volume", LOCAL_JAR),
        ("operator", "pod-template-volume", LOCAL_JAR),
    ],
)
def test_a_pods_volume_named_like_ours_is_refused_naming_it(
    engine: str, volume: str, jar_uri: str
) -> None:
    document = deployment(jar_uri=jar_uri, artifact=STAGED, kubernetes=_pods_mount(volume, "/data"))

    refused = _refusal(document, engine)

    assert refused.field == f"{PODS}.name"
    assert f"{volume!r} is the name of a volume the pod already has" in str(refused)


@pytest.mark.parametrize("engine", ["operator", "standalone"])
@pytest.mark.parametrize("path", ["/opt/flink/conf", "/opt/flink/conf/", "/opt/flink//conf"])
def test_a_pods_mount_over_the_flink_configuration_is_refused_on_both_engines(
    engine: str, path: str
) -> None:
    document = deployment(jar_uri=LOCAL_JAR, kubernetes=_pods_mount("mine", path))

    refused = _refusal(document, engine)

    assert refused.field == f"{PODS}.volumeMount.mountPath"
    assert "'/opt/flink/conf' is where the pod already mounts volume" in str(refused)
    assert "use flinkConfiguration" in str(refused)


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_mount_over_usrlib_is_refused_only_when_we_stage_artifacts_there(engine: str) -> None:
    pods = _pods_mount("jars", "/opt/flink/usrlib")

    refused = _refusal(deployment(jar_uri=REMOTE_JAR, artifact=STAGED, kubernetes=pods), engine)
    # A jar already in the image (or in the user's volume): usrlib is the user's.
    rendered = render_manifests(
        deployment(jar_uri=LOCAL_JAR, kubernetes=pods), target(), engine=engine
    )

    assert refused.field == f"{PODS}.volumeMount.mountPath"
    assert "volume 'flink-usrlib'" in str(refused)
    assert rendered


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_mount_over_the_sql_script_is_refused(engine: str) -> None:
    document = deployment(
        jar_uri=LOCAL_JAR,
        artifact={
            "kind": "SQLSCRIPT",
            "sqlScript": "SELECT 1;",
            "jarUri": None,
            "entryClass": None,
            "flinkVersion": "2.0",
        },
        kubernetes=_pods_mount("sql", "/opt/flink/sql"),
    )

    refused = _refusal(document, engine)

    assert refused.field == f"{PODS}.volumeMount.mountPath"
    assert "volume 'flink-sql-script'" in str(refused)


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_pod_template_volume_named_like_ours_is_refused_naming_its_index(engine: str) -> None:
    template = {
        "spec": {
            "containers": [{"name": "flink-main-container"}],
            "volumes": [{"name": "logs", "emptyDir": {}}, {"name": "flink-usrlib", "emptyDir": {}}],
        }
    }
    document = deployment(
        jar_uri=REMOTE_JAR, artifact=STAGED, kubernetes={"jobManagerPodTemplate": template}
    )

    refused = _refusal(document, engine)

    assert refused.field == f"{JOB_MANAGER}.volumes[1].name"


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_pod_template_mount_over_ours_in_the_flink_container_is_refused(engine: str) -> None:
    mounts = [
        {"name": "logs", "mountPath": "/opt/flink/log"},
        {"name": "conf", "mountPath": "/opt/flink/conf"},
    ]
    template = {
        "spec": {
            # VVP's name for the TaskManager's Flink container
            "containers": [{"name": "flink-taskmanager", "volumeMounts": mounts}],
            "volumes": [{"name": "logs", "emptyDir": {}}, {"name": "conf", "emptyDir": {}}],
        }
    }
    document = deployment(jar_uri=LOCAL_JAR, kubernetes={"taskManagerPodTemplate": template})

    refused = _refusal(document, engine)

    assert refused.field == f"{TASK_MANAGER}.containers[0].volumeMounts[1].mountPath"


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_a_sidecar_mounting_at_our_paths_is_not_a_collision(engine: str) -> None:
    template = {
        "spec": {
            "containers": [
                {"name": "flink-main-container"},
                {
                    "name": "log-shipper",
                    "image": "fluent-bit",
                    "volumeMounts": [{"name": "shared", "mountPath": "/opt/flink/conf"}],
                },
            ],
            "volumes": [{"name": "shared", "emptyDir": {}}],
        }
    }
    document = deployment(jar_uri=REMOTE_JAR, kubernetes={"jobManagerPodTemplate": template})

    assert render_manifests(document, target(), engine=engine)


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_an_init_container_named_like_ours_is_refused(engine: str) -> None:
    template = {
        "spec": {
            "containers": [{"name": "flink-main-container"}],
            "initContainers": [{"name": "fetch-artifacts", "image": "busybox"}],
        }
    }
    document = deployment(
        jar_uri=REMOTE_JAR, artifact=STAGED, kubernetes={"taskManagerPodTemplate": template}
    )

    refused = _refusal(document, engine)

    assert refused.field == f"{TASK_MANAGER}.initContainers[0].name"
    assert "'fetch-artifacts' is the name of a container the pod already has" in str(refused)


def test_the_secret_rendering_parts_of_the_standalone_engine_are_ours_too() -> None:
    template = {
        "spec": {
            "containers": [{"name": "flink-main-container"}],
            "initContainers": [{"name": "render-flink-config", "image": "busybox"}],
            "volumes": [{"name": "flink-config-rendered", "emptyDir": {}}],
        }
    }
    document = deployment(
        jar_uri=LOCAL_JAR,
        flinkConfiguration={"custom.password": "${s3-key}"},
        kubernetes={"jobManagerPodTemplate": template},
    )

    refused = _refusal(
        document, "standalone", secret_values={"s3-key": SecretKeyRef("aws", "secret")}
    )

    assert {problem.field for problem in refused.problems} == {
        f"{JOB_MANAGER}.volumes[0].name",
        f"{JOB_MANAGER}.initContainers[0].name",
    }


def test_a_patch_set_adding_a_volume_named_like_ours_is_refused() -> None:
    patched_target = target()
    patched_target["spec"]["deploymentPatchSet"] = [
        {
            "op": "add",
            "path": "/spec/template/spec/kubernetes",
            "value": _pods_mount("flink-config", "/data"),
        }
    ]

    with pytest.raises(SpecValidationError) as refused:
        render_manifests(deployment(jar_uri=LOCAL_JAR), patched_target, engine="standalone")

    assert refused.value.field == f"{PODS}.name"


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_volumes_and_mounts_of_other_names_and_paths_are_kept(engine: str) -> None:
    document = deployment(jar_uri=REMOTE_JAR, kubernetes=_pods_mount("data", "/opt/flink/data"))

    rendered = render_manifests(document, target(), engine=engine)

    assert "/opt/flink/data" in yaml.safe_dump(rendered)


def test_validate_reports_the_collision_per_engine(tmp_path: Path) -> None:
    # The Flink configuration's volume is Flink's under the operator, ours standalone.
    document = {
        "kind": "Deployment",
        **deployment(jar_uri=LOCAL_JAR, kubernetes=_pods_mount("flink-config", "/data")),
    }
    document["spec"]["deploymentTargetName"] = "prod"
    export = tmp_path / "export.yaml"
    export.write_text(yaml.safe_dump_all([{"kind": "DeploymentTarget", **target()}, document]))

    operator = CliRunner().invoke(main, ["validate", str(export)])
    standalone = CliRunner().invoke(main, ["validate", "--engine", "standalone", str(export)])

    assert operator.exit_code == 0, operator.output
    assert standalone.exit_code == 1
    assert f"Deployment 'orders': {PODS}.name: 'flink-config' is the name of a volume" in (
        standalone.stderr
    )
