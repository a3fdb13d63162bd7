"""What we render runs through Flink's own entrypoint code.

1. Flink's own SqlDriver runs a rendered SQLSCRIPT Deployment's script with its arguments.

What the operator engine renders for a Flink 2.0 SQLSCRIPT artifact (the
script in a ConfigMap, ``job.entryClass`` and ``job.args``) is run for real:
the ConfigMap's bytes go to a file at the mount path (rewritten to a temporary
directory, as a volume would place them), and the rendered entry class and
arguments go to Flink 2.0.0's ``SqlDriver`` from the distribution's ``lib/``,
inside a user-code class loader holding ``flink-sql-gateway``, as the
application entrypoint does. The script runs on a local MiniCluster: SET
statements, comments and a statement set, printing its rows.

2. The standalone JobManager's container arguments, parsed by the
``standalone-job`` entrypoint's own parser of Flink 1.18, 1.20 and 2.0: the
job class, every jar of ``--jars=a,b`` (1.19+) and the job's own arguments
(one of which is ``--jars``) come out as we meant them.

``toolchain/flink-entrypoints/install.sh`` installs what they need
(``make flink-entrypoints``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pulumi_flink import render_manifests
from pulumi_flink.artifacts import SQL_SCRIPT_DIR

INSTALL = Path(__file__).parents[2] / "toolchain" / "flink-entrypoints" / "install.sh"

SCRIPT = """-- orders into totals; comments survive
SET 'pipeline.name' = 'pulumi-flink sql check';
SET 'parallelism.default' = '1';

CREATE TABLE orders (id BIGINT) WITH (
  'connector' = 'datagen', 'number-of-rows' = '3',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '3'
);
CREATE TABLE totals (id BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'rendered-sql');
CREATE TABLE copies (id BIGINT) WITH ('connector' = 'blackhole');

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO totals SELECT id FROM orders;   /* a block comment */
  INSERT INTO copies SELECT id FROM orders;
END;
"""


def _installed() -> Path:
    directory = Path(
        subprocess.run(
            [INSTALL, "--dir"], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    assert (directory / "ready").is_file(), f"run {INSTALL} (make flink-entrypoints) first"
    return directory


def test_flinks_sql_driver_runs_the_rendered_script_with_the_rendered_arguments(
    tmp_path: Path,
) -> None:
    installed = _installed()
    flink_home = Path((installed / "flink-home").read_text().strip())
    deployment = {
        "metadata": {"name": "totals"},
        "spec": {
            "restoreStrategy": {"kind": "NONE"},
            "template": {
                "spec": {
                    "artifact": {"kind": "SQLSCRIPT", "sqlScript": SCRIPT, "flinkVersion": "2.0"}
                }
            },
        },
    }
    target = {"metadata": {"name": "dev"}, "spec": {"kubernetes": {"namespace": "jobs"}}}
    manifests = {m["kind"]: m for m in render_manifests(deployment, target)}
    [(key, script)] = manifests["ConfigMap"]["data"].items()
    (tmp_path / key).write_text(script)
    job = manifests["FlinkDeployment"]["spec"]["job"]
    args = [arg.replace(SQL_SCRIPT_DIR, str(tmp_path)) for arg in job["args"]]
    (tmp_path / "config.yaml").write_text("taskmanager.memory.process.size: 1024m\n")

    run = subprocess.run(
        [
            "java",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "-cp",
            f"{installed / 'classes'}:{flink_home / 'lib'}/*",
            "RunSqlDriver",
            str(installed / "flink-sql-gateway.jar"),
            job["entryClass"],
            *args,
        ],
        env={**os.environ, "FLINK_CONF_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    rows = sorted(line for line in run.stdout.splitlines() if line.startswith("rendered-sql>"))
    assert rows == ["rendered-sql> +I[1]", "rendered-sql> +I[2]", "rendered-sql> +I[3]"]


PARSED_VERSIONS = {"1.18": "1.18.1", "1.20": "1.20.3", "2.0": "2.0.0"}


@pytest.mark.parametrize("version", PARSED_VERSIONS)
def test_the_standalone_entrypoint_parses_the_rendered_arguments_as_meant(
    version: str, tmp_path: Path
) -> None:
    installed = _installed()
    flink_home = Path((installed / "flink-root").read_text().strip()) / (
        f"flink-{PARSED_VERSIONS[version]}"
    )
    deployment = {
        "metadata": {"name": "orders"},
        "spec": {
            "restoreStrategy": {"kind": "NONE"},
            "template": {
                "spec": {
                    "artifact": {
                        "jarUri": "https://repo.acme.io/orders.jar",
                        "entryClass": "com.acme.Orders",
                        "mainArgs": "--jars not-a-jar --window '10 s'",
                        "additionalDependencies": [
                            "https://repo.acme.io/kafka.jar",
                            "local:///opt/connectors/jdbc.jar",
                        ],
                        "flinkVersion": version,
                    }
                }
            },
        },
    }
    target = {"metadata": {"name": "dev"}, "spec": {"kubernetes": {"namespace": "jobs"}}}
    manifests = render_manifests(deployment, target, engine="standalone")
    [jobmanager] = [
        m
        for m in manifests
        if m["kind"] == "Deployment" and m["metadata"]["name"] == "orders-jobmanager"
    ]
    [container] = jobmanager["spec"]["template"]["spec"]["containers"]
    assert container["args"][0] == "standalone-job"

    run = subprocess.run(
        [
            "java",
            "-cp",
            f"{installed / f'parser-{PARSED_VERSIONS[version]}'}:{flink_home / 'lib'}/*",
            "org.apache.flink.container.entrypoint.ParseStandaloneJobArgs",
            # What bin/standalone-job.sh passes the entrypoint.
            "--configDir",
            str(tmp_path),
            *container["args"][1:],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    parsed = run.stdout.splitlines()
    assert parsed[0] == "class com.acme.Orders"
    assert [line for line in parsed if line.startswith("arg ")] == [
        "arg --jars",
        "arg not-a-jar",
        "arg --window",
        "arg 10 s",
    ]
    jars = [line.removeprefix("jar ") for line in parsed if line.startswith("jar ")]
    if version == "1.18":
        # No --jars before 1.19: the init container puts the jars into usrlib instead.
        assert "no --jars option" in parsed
    else:
        assert jars == [
            "https://repo.acme.io/orders.jar",
            "https://repo.acme.io/kafka.jar",
            "local:///opt/connectors/jdbc.jar",
        ]
