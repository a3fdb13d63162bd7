"""The standalone init container's script, run for real: any secret value, an intact file.

The rendered ConfigMap is written to a template directory and the init
container's own command runs with ``/bin/sh`` and the machine's ``awk`` (the
official Flink images have both), with its environment as rendered plus the
secret values the Secret references would give. ``config.yaml`` is then read
with a YAML parser, ``flink-conf.yaml`` with the rules of Flink's own
line reader.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_flink import render_manifests
from pulumi_flink.secrets import SecretKeyRef, template_variable
from tests.unit.documents import deployment, target

pytestmark = pytest.mark.skipif(
    shutil.which("sh") is None or shutil.which("awk") is None, reason="needs sh and awk"
)

TRICKY = [
    "plain",
    "two\nlines",
    'it\'s "quoted"',
    "a # not a comment",
    "key: value",
    "back\\slash \\n",
    "ünïcødé ✓ 秘密",
    "\ttabbed\r\nand\x01control\x7f",
    " surrounding ",
    "${other}",
    "",
]


def rendered_configuration(
    values: dict[str, str],
    configuration: dict[str, str],
    flink_version: str,
    tmp_path: Path,
    restore: str = "NONE",
) -> subprocess.CompletedProcess[str]:
    """Render a standalone Deployment, run its init container's script; ``conf/`` has the result."""
    document = deployment(
        jar_uri="local:///opt/flink/usrlib/job.jar",
        artifact={"flinkVersion": flink_version},
        flinkConfiguration=configuration,
    )
    document["spec"]["restoreStrategy"] = {"kind": restore}
    secrets = {name: SecretKeyRef("s", name) for name in values}
    manifests = render_manifests(document, target(), engine="standalone", secret_values=secrets)
    (config_map,) = [m for m in manifests if m["metadata"]["name"].endswith("-config")]
    (jobmanager,) = [
        m
        for m in manifests
        if m["kind"] == "Deployment" and m["metadata"]["name"].endswith("-jobmanager")
    ]
    (init,) = jobmanager["spec"]["template"]["spec"]["initContainers"]
    templates, conf = tmp_path / "template", tmp_path / "conf"
    templates.mkdir()
    conf.mkdir()
    for name, text in config_map["data"].items():
        (templates / name).write_text(text)
    env: dict[str, str] = {"PATH": os.environ["PATH"], "LC_ALL": "C.UTF-8"}
    for variable in init["env"]:
        env[variable["name"]] = variable.get("value", "")
    env.update({template_variable(name): value for name, value in values.items()})
    env.update(TEMPLATE_DIR=str(templates), CONF_DIR=str(conf))
    return subprocess.run(init["command"], env=env, capture_output=True, text=True, check=False)


def flink_line_reader(text: str) -> dict[str, str]:
    """Flink's ``flink-conf.yaml`` reader (GlobalConfiguration before 1.19), rule for rule."""
    read: dict[str, Any] = {}
    for line in text.split("\n"):
        conf = line.split("#", 1)[0].strip()
        key, separator, value = conf.partition(": ")
        if conf and separator and key.strip() and value.strip():
            read[key.strip()] = value.strip()
    return read


@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
def test_config_yaml_reads_back_any_secret_value_exactly(value: str, tmp_path: Path) -> None:
    configuration = {"db.password": "${pw}", "db.url": "jdbc:x://h/${pw}?a=b", "c": "${pw}"}
    ran = rendered_configuration({"pw": value}, configuration, "1.20", tmp_path)

    assert ran.returncode == 0, ran.stderr
    read = yaml.safe_load((tmp_path / "conf" / "config.yaml").read_text())
    assert read["db.password"] == value
    assert read["db.url"] == f"jdbc:x://h/{value}?a=b"
    assert read["c"] == value
    assert read["parallelism.default"] == "1"
    assert (tmp_path / "conf" / "log4j-console.properties").exists()


def test_a_derived_value_carries_the_substituted_secret_too(tmp_path: Path) -> None:
    stateful = {"state.checkpoints.dir": "${dir}", "state.savepoints.dir": "s3://b/sp"}
    document_values = {"dir": "s3://b/it's\nhere"}
    # LATEST_STATE needs Kubernetes HA: its storage dir is derived from the checkpoints dir.
    ran = rendered_configuration(document_values, stateful, "1.20", tmp_path, "LATEST_STATE")

    assert ran.returncode == 0, ran.stderr
    read = yaml.safe_load((tmp_path / "conf" / "config.yaml").read_text())
    assert read["high-availability.storageDir"] == "s3://b/it's\nhere/ha"


@pytest.mark.parametrize(
    "value", [v for v in TRICKY if v == v.strip() and v and not any(c in v for c in "\n\r#")]
)
def test_flink_conf_yaml_reads_back_every_value_it_can_hold(value: str, tmp_path: Path) -> None:
    ran = rendered_configuration({"pw": value}, {"db.password": "${pw}"}, "1.18", tmp_path)

    assert ran.returncode == 0, ran.stderr
    read = flink_line_reader((tmp_path / "conf" / "flink-conf.yaml").read_text())
    assert read["db.password"] == value
    assert read["parallelism.default"] == "1"


@pytest.mark.parametrize(
    "value", ["two\nlines", "a # not a comment", " surrounding ", "", "cr\rhere"]
)
def test_flink_conf_yaml_refuses_a_value_it_cannot_hold_without_showing_it(
    value: str, tmp_path: Path
) -> None:
    ran = rendered_configuration(
        {"pw": value, "ok": "fine"}, {"db.password": "${pw}", "a": "${ok}"}, "1.18", tmp_path
    )

    assert ran.returncode != 0
    assert "secret value pw cannot be written into flink-conf.yaml" in ran.stderr
    assert value.strip() == "" or value not in ran.stderr
