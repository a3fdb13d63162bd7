"""The ``fetch-artifacts`` init container's script, run for real with sh, cp and wget.

The script's fixed paths (the image's ``usrlib`` and ``opt``, the staging
mount) are rewritten into a temporary directory, as the container's mounts
would place them; files come from the image (cp), from ``opt/`` by prefix,
and over HTTP from a server on the loopback address.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_flink import render_manifests
from pulumi_flink.render.artifacts import FETCH_SCRIPT

pytestmark = pytest.mark.skipif(
    shutil.which("wget") is None, reason="needs wget, as the Flink image has"
)


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory served over HTTP on 127.0.0.1, and its base URL."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_the_script_stages_image_files_opt_jars_and_downloads_into_usrlib(
    tmp_path: Path, http_root: tuple[Path, str]
) -> None:
    served, base_url = http_root
    (served / "kafka.jar").write_bytes(b"kafka connector")
    image = tmp_path / "image"
    (image / "usrlib").mkdir(parents=True)
    (image / "usrlib" / "baked.jar").write_bytes(b"baked into the image")
    (image / "opt").mkdir()
    (image / "opt" / "flink-sql-gateway-2.0.0.jar").write_bytes(b"gateway")
    (image / "connectors").mkdir()
    (image / "connectors" / "jdbc.jar").write_bytes(b"jdbc")
    staging = tmp_path / "staging"
    staging.mkdir()
    script = (
        FETCH_SCRIPT.replace("/flink-usrlib", str(staging))
        .replace("/opt/flink/usrlib", str(image / "usrlib"))
        .replace("/opt/flink/opt", str(image / "opt"))
    )

    arguments = [
        f"{base_url}/kafka.jar",
        "kafka.jar",
        str(image / "connectors" / "jdbc.jar"),
        "jdbc.jar",
        "opt:flink-sql-gateway",
        "flink-sql-gateway.jar",
    ]
    subprocess.run(["sh", "-c", script, "fetch-artifacts", *arguments], check=True)

    assert {path.name: path.read_bytes() for path in staging.iterdir()} == {
        "baked.jar": b"baked into the image",
        "kafka.jar": b"kafka connector",
        "jdbc.jar": b"jdbc",
        "flink-sql-gateway.jar": b"gateway",
    }


def test_a_failed_download_fails_the_init_container(
    tmp_path: Path, http_root: tuple[Path, str]
) -> None:
    _, base_url = http_root
    script = FETCH_SCRIPT.replace("/flink-usrlib", str(tmp_path)).replace(
        "/opt/flink/usrlib", str(tmp_path / "no-usrlib")
    )

    run = subprocess.run(
        ["sh", "-c", script, "fetch-artifacts", f"{base_url}/missing.jar", "missing.jar"],
        check=False,
        capture_output=True,
    )

    assert run.returncode != 0


def test_the_rendered_init_container_runs_exactly_this_script() -> None:
    deployment = {
        "metadata": {"name": "orders"},
        "spec": {
            "restoreStrategy": {"kind": "NONE"},
            "template": {
                "spec": {"artifact": {"jarUri": "https://r/o.jar", "flinkVersion": "1.18"}}
            },
        },
    }
    target = {"metadata": {"name": "t"}, "spec": {"kubernetes": {"namespace": "jobs"}}}
    [flink] = [m for m in render_manifests(deployment, target) if m["kind"] == "FlinkDeployment"]

    [init] = flink["spec"]["podTemplate"]["spec"]["initContainers"]
    assert init["command"][:3] == ["sh", "-c", FETCH_SCRIPT]
