"""The standalone init container's script, run for real: any secret value, an intact file.

The rendered ConfigMap is written to a template directory and the init
container's own command runs with its environment as rendered plus the
secret values the Secret references would give, under every POSIX ``sh`` and
``awk`` pair a Flink image may have that is found here (:data:`SHELLS_AND_AWKS`:
Debian/Ubuntu images have dash with mawk or gawk, busybox-based ones
busybox's own): on ``PATH``, or in the directories of
``PULUMI_FLINK_TEST_TOOLS`` (e.g. ``gawk``/``busybox`` unpacked from their
packages without installing them); a pair not found is skipped. ``config.yaml`` is then read
with a YAML parser, ``flink-conf.yaml`` with the rules of Flink's own
line reader.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
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
    "dollar $HOME $(id) `id` & amp \\& \\\\1 %s %d %%",
    "a=b=c \\\\ \\t \\x41 \\u0041",
]
"""Values that a shell, awk's ``-v``/``gsub``/``printf`` or YAML would mangle."""


@dataclass(frozen=True)
class ShellAndAwk:
    """A POSIX shell and an awk as a Flink image may have them (the binary, or a busybox applet)."""

    shell: list[str]
    awk: str
    """Command ``awk`` must run: a path, or ``busybox`` for its applet."""

    def command(self, command: list[str]) -> list[str]:
        """The init container's ``/bin/sh -c script`` under this shell."""
        assert command[0] == "/bin/sh"
        return [*self.shell, *command[1:]]

    def path(self, bin_dir: Path) -> str:
        """A ``PATH`` whose ``awk`` is this one (a link made in ``bin_dir``)."""
        bin_dir.mkdir(exist_ok=True)
        (bin_dir / "awk").symlink_to(self.awk)
        return f"{bin_dir}{os.pathsep}{os.environ['PATH']}"


def _find(name: str) -> str | None:
    extra = os.environ.get("PULUMI_FLINK_TEST_TOOLS", "")
    return shutil.which(name, path=f"{extra}{os.pathsep}{os.environ['PATH']}")


def _shells_and_awks() -> list[Any]:
    dash, busybox = _find("dash") or _find("sh"), _find("busybox")
    pairs = {
        "dash-mawk": (dash, _find("mawk")),
        "dash-gawk": (dash, _find("gawk")),
        "busybox": (busybox, busybox),
    }
    return [
        pytest.param(
            ShellAndAwk([shell, "sh"] if shell == busybox else [shell], awk),
            id=name,
            marks=[] if shell and awk else [pytest.mark.skip(reason=f"{name}: not found here")],
        )
        for name, (shell, awk) in pairs.items()
    ]


SHELLS_AND_AWKS = _shells_and_awks()
SYSTEM = ShellAndAwk(["/bin/sh"], shutil.which("awk") or "awk")


def rendered_configuration(
    values: dict[str, str],
    configuration: dict[str, str],
    flink_version: str,
    tmp_path: Path,
    restore: str = "NONE",
    tools: ShellAndAwk = SYSTEM,
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
    env: dict[str, str] = {"PATH": tools.path(tmp_path / "bin"), "LC_ALL": "C.UTF-8"}
    for variable in init["env"]:
        env[variable["name"]] = variable.get("value", "")
    env.update({template_variable(name): value for name, value in values.items()})
    env.update(TEMPLATE_DIR=str(templates), CONF_DIR=str(conf))
    return subprocess.run(
        tools.command(init["command"]), env=env, capture_output=True, text=True, check=False
    )


def flink_line_reader(text: str) -> dict[str, str]:
    """Flink's ``flink-conf.yaml`` reader (GlobalConfiguration before 1.19), rule for rule."""
    read: dict[str, Any] = {}
    for line in text.split("\n"):
        conf = line.split("#", 1)[0].strip()
        key, separator, value = conf.partition(": ")
        if conf and separator and key.strip() and value.strip():
            read[key.strip()] = value.strip()
    return read


@pytest.fixture(params=SHELLS_AND_AWKS)
def tools(request: pytest.FixtureRequest) -> ShellAndAwk:
    """Each shell and awk pair found here (see the module docstring)."""
    found: ShellAndAwk = request.param
    return found


@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
def test_config_yaml_reads_back_any_secret_value_exactly(
    value: str, tmp_path: Path, tools: ShellAndAwk
) -> None:
    configuration = {"db.password": "${pw}", "db.url": "jdbc:x://h/${pw}?a=b", "c": "${pw}"}
    ran = rendered_configuration({"pw": value}, configuration, "1.20", tmp_path, tools=tools)

    assert ran.returncode == 0, ran.stderr
    read = yaml.safe_load((tmp_path / "conf" / "config.yaml").read_text())
    assert read["db.password"] == value
    assert read["db.url"] == f"jdbc:x://h/{value}?a=b"
    assert read["c"] == value
    assert read["parallelism.default"] == "1"
    assert (tmp_path / "conf" / "log4j-console.properties").exists()


def test_a_derived_value_carries_the_substituted_secret_too(
    tmp_path: Path, tools: ShellAndAwk
) -> None:
    stateful = {"state.checkpoints.dir": "${dir}", "state.savepoints.dir": "s3://b/sp"}
    document_values = {"dir": "s3://b/it's\nhere"}
    # LATEST_STATE needs Kubernetes HA: its storage dir is derived from the checkpoints dir.
    ran = rendered_configuration(
        document_values, stateful, "1.20", tmp_path, "LATEST_STATE", tools=tools
    )

    assert ran.returncode == 0, ran.stderr
    read = yaml.safe_load((tmp_path / "conf" / "config.yaml").read_text())
    assert read["high-availability.storageDir"] == "s3://b/it's\nhere/ha"


@pytest.mark.parametrize(
    "value", [v for v in TRICKY if v == v.strip() and v and not any(c in v for c in "\n\r#")]
)
def test_flink_conf_yaml_reads_back_every_value_it_can_hold(
    value: str, tmp_path: Path, tools: ShellAndAwk
) -> None:
    ran = rendered_configuration(
        {"pw": value}, {"db.password": "${pw}"}, "1.18", tmp_path, tools=tools
    )

    assert ran.returncode == 0, ran.stderr
    read = flink_line_reader((tmp_path / "conf" / "flink-conf.yaml").read_text())
    assert read["db.password"] == value
    assert read["parallelism.default"] == "1"


@pytest.mark.parametrize(
    "value", ["two\nlines", "a # not a comment", " surrounding ", "", "cr\rhere"]
)
def test_flink_conf_yaml_refuses_a_value_it_cannot_hold_without_showing_it(
    value: str, tmp_path: Path, tools: ShellAndAwk
) -> None:
    ran = rendered_configuration(
        {"pw": value, "ok": "fine"},
        {"db.password": "${pw}", "a": "${ok}"},
        "1.18",
        tmp_path,
        tools=tools,
    )

    assert ran.returncode != 0
    assert "secret value pw cannot be written into flink-conf.yaml" in ran.stderr
    assert value.strip() == "" or value not in ran.stderr
