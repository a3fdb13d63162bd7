"""Real Flink reads back every secret value the standalone init container writes.

The init container's script (run as in ``tests/unit/test_secret_rendering_script.py``)
renders the configuration with values holding newlines, quotes, ``#``,
``: ``, backslashes, control characters and unicode; Flink's own
``GlobalConfiguration`` (the distributions ``toolchain/flink.sh`` fetched)
then loads the directory, and each key must read back as the value given.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from pulumi_flink.devcluster import DevClusterError
from pulumi_flink.devcluster._flink import FlinkDistributions
from tests.unit.test_secret_rendering_script import TRICKY, rendered_configuration

pytestmark = pytest.mark.e2e

READER = """
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

public class ReadConfiguration {
    public static void main(String[] args) {
        Configuration conf = GlobalConfiguration.loadConfiguration(args[0]);
        for (int i = 1; i < args.length; i++) {
            String value = conf.getString(args[i], null);
            System.out.println(value == null ? "-"
                : Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
"""


def flink_reads(home: Path, conf: Path, keys: list[str], tmp_path: Path) -> list[str | None]:
    """What Flink's GlobalConfiguration reads for ``keys`` from ``conf``."""
    source = tmp_path / "ReadConfiguration.java"
    source.write_text(READER)
    java = shutil.which("java")
    assert java is not None, "java is needed to run real Flink"
    ran = subprocess.run(
        [java, "-cp", f"{home / 'lib'}/*", str(source), str(conf), *keys],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    lines = ran.stdout.splitlines()[-len(keys) :]
    return [None if line == "-" else base64.b64decode(line).decode() for line in lines]


@pytest.mark.parametrize(
    ("line", "values"),
    [
        ("1.20", TRICKY),
        ("1.18", [v for v in TRICKY if v == v.strip() and v and not set(v) & set("\n\r#")]),
    ],
)
def test_real_flink_reads_every_secret_value_exactly(
    line: str, values: list[str], tmp_path: Path
) -> None:
    try:
        home = FlinkDistributions.locate().image(f"flink:{line}").home
    except DevClusterError as missing:
        pytest.skip(str(missing))
    secrets = {f"v{index}": value for index, value in enumerate(values)}
    configuration = {f"secret.{name}": f"${{{name}}}" for name in secrets}

    ran = rendered_configuration(secrets, configuration, line, tmp_path)

    assert ran.returncode == 0, ran.stderr
    read = flink_reads(home, tmp_path / "conf", [*configuration, "parallelism.default"], tmp_path)
    assert read == [*secrets.values(), "1"]
