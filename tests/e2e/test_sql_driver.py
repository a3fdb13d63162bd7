"""Flink's own SqlDriver runs a rendered SQLSCRIPT Deployment's script with its arguments.

What the operator engine renders for a Flink 2.0 SQLSCRIPT artifact (the
script in a ConfigMap, ``job.entryClass`` and ``job.args``) is run for real:
the ConfigMap's bytes go to a file at the mount path (rewritten to a temporary
directory, as a volume would place them), and the rendered entry class and
arguments go to Flink 2.0.0's ``SqlDriver`` from the distribution's ``lib/``,
inside a user-code class loader holding ``flink-sql-gateway``, as the
application entrypoint does. The script runs on a local MiniCluster: SET
statements, comments and a statement set, printing its rows.
``toolchain/sql-driver/install.sh`` installs what it needs (``make sql-driver``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pulumi_flink import render_manifests
from pulumi_flink.artifacts import SQL_SCRIPT_DIR

INSTALL = Path(__file__).parents[2] / "toolchain" / "sql-driver" / "install.sh"

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
    assert (directory / "ready").is_file(), f"run {INSTALL} (make sql-driver) first"
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
