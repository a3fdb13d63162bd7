"""Object-store artifacts on every Flink version: the object-store fetcher init container.

Where Flink does not fetch a file itself (before 1.19, PyFlink, or when the
target opts in), an object-store client image downloads it into ``usrlib``
with credentials by reference only.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pulumi_flink import SpecValidationError, render_manifests
from pulumi_flink.artifacts import (
    ARTIFACT_FETCHER,
    ARTIFACT_FETCHER_IMAGE,
    ARTIFACT_FETCHER_SECRET,
    DEFAULT_FETCHER_IMAGE,
    OBJECT_STORE_SCHEMES,
)
from pulumi_flink.render.artifacts import OBJECT_STORE_FETCH_SCRIPT
from pulumi_flink.secrets import SecretKeyRef
from tests.unit.documents import Doc, deployment, target

ARTIFACT = "spec.template.spec.artifact"
ANNOTATIONS = "spec.template.metadata.annotations"
AZURE = ("abfs", "abfss", "wasb", "wasbs")


def _uri(scheme: str, file: str = "orders.jar") -> str:
    if scheme in AZURE:
        kind = "dfs" if scheme.startswith("abfs") else "blob"
        return f"{scheme}://jobs@acct.{kind}.core.windows.net/v1/{file}"
    return f"{scheme}://jobs/v1/{file}"


EXPECTED_PATH = {
    "s3": "s3:jobs/v1/orders.jar",
    "s3a": "s3:jobs/v1/orders.jar",
    "s3p": "s3:jobs/v1/orders.jar",
    "gs": "gcs:jobs/v1/orders.jar",
    "abfs": "azure,account=acct:jobs/v1/orders.jar",
    "abfss": "azure,account=acct:jobs/v1/orders.jar",
    "wasb": "azure,account=acct:jobs/v1/orders.jar",
    "wasbs": "azure,account=acct:jobs/v1/orders.jar",
    "oss": "oss:jobs/v1/orders.jar",
}
EXPECTED_BACKEND = {"s3": "s3", "gcs": "gcs", "azure": "azureblob", "oss": "s3"}


def _document(artifact: Doc, annotations: Doc | None = None, **configuration: str) -> Doc:
    document = deployment(flinkConfiguration=configuration)
    template = document["spec"]["template"]
    template["spec"]["artifact"] = {"kind": "JAR", **artifact}
    if annotations:
        template["metadata"] = {"annotations": annotations}
    return document


def _pods(document: Doc, engine: str, **options: Any) -> list[Doc]:
    manifests = render_manifests(document, target(), engine=engine, **options)
    if engine == "operator":
        [flink] = [m for m in manifests if m["kind"] == "FlinkDeployment"]
        return [flink["spec"]["podTemplate"]["spec"]]
    return [m["spec"]["template"]["spec"] for m in manifests if m["kind"] == "Deployment"]


def _fetcher(pod: Doc) -> Doc:
    [container] = [c for c in pod["initContainers"] if c["name"] == "fetch-object-store-artifacts"]
    return container


def _pairs(container: Doc) -> list[tuple[str, str]]:
    arguments = container["command"][4:]
    return list(zip(arguments[::2], arguments[1::2], strict=True))


def _values(container: Doc) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}


def _problems(document: Doc) -> dict[str, str]:
    with pytest.raises(SpecValidationError) as caught:
        render_manifests(document, target())
    return {problem.field: problem.reason for problem in caught.value.problems}


# --- every scheme, every version, both engines --------------------------------------------


@pytest.mark.parametrize("engine", ["operator", "standalone"])
@pytest.mark.parametrize("version", ["1.13", "1.16", "1.18"])
@pytest.mark.parametrize("scheme", OBJECT_STORE_SCHEMES)
def test_an_object_store_job_jar_is_fetched_into_usrlib_before_flink_1_19(
    scheme: str, version: str, engine: str
) -> None:
    document = _document({"jarUri": _uri(scheme), "flinkVersion": version})

    for pod in _pods(document, engine):
        names = [c["name"] for c in pod["initContainers"]]
        # The image's own usrlib is copied first, then the object store adds to it.
        assert names[-2:] == ["fetch-artifacts", "fetch-object-store-artifacts"]
        fetcher = _fetcher(pod)
        assert fetcher["image"] == DEFAULT_FETCHER_IMAGE
        assert _pairs(fetcher) == [(EXPECTED_PATH[scheme], "orders.jar")]
        assert fetcher["volumeMounts"] == [{"name": "flink-usrlib", "mountPath": "/flink-usrlib"}]
        remote = EXPECTED_PATH[scheme].split(",")[0].split(":")[0].upper()
        assert _values(fetcher)[f"RCLONE_CONFIG_{remote}_TYPE"] == EXPECTED_BACKEND[remote.lower()]
        assert _values(fetcher)[f"RCLONE_CONFIG_{remote}_ENV_AUTH"] == "true"


@pytest.mark.parametrize("scheme", OBJECT_STORE_SCHEMES)
def test_the_operator_runs_the_fetched_jar_as_a_local_jar(scheme: str) -> None:
    manifests = render_manifests(
        _document({"jarUri": _uri(scheme), "flinkVersion": "1.17"}), target()
    )
    [flink] = [m for m in manifests if m["kind"] == "FlinkDeployment"]

    assert flink["spec"]["job"]["jarURI"] == "local:///opt/flink/usrlib/orders.jar"


def test_every_artifact_field_can_name_an_object_store() -> None:
    jar = _document(
        {
            "jarUri": "s3://jobs/orders.jar",
            "additionalDependencies": ["gs://jars/kafka.jar", "https://repo/udf.jar"],
            "flinkVersion": "1.15",
        }
    )
    python = _document(
        {
            "kind": "PYTHON",
            "pythonArtifactUri": "oss://jobs/orders.zip",
            "entryModule": "orders.main",
            "additionalPythonLibraries": ["s3a://libs/util.py"],
            "additionalPythonArchives": ["wasbs://envs@acct.blob.core.windows.net/venv.zip"],
            "additionalDependencies": ["s3://jars/kafka.jar"],
            "flinkVersion": "1.20",
        },
        **{"fs.oss.endpoint": "oss-eu-central-1.aliyuncs.com"},
    )

    [jar_pod] = _pods(jar, "operator")
    [python_pod] = _pods(python, "operator")

    assert _pairs(_fetcher(jar_pod)) == [
        ("s3:jobs/orders.jar", "orders.jar"),
        ("gcs:jars/kafka.jar", "kafka.jar"),
    ]
    # https stays with the Flink image's wget.
    [wget] = [c for c in jar_pod["initContainers"] if c["name"] == "fetch-artifacts"]
    assert wget["command"][4:] == ["https://repo/udf.jar", "udf.jar"]
    assert _pairs(_fetcher(python_pod)) == [
        ("oss:jobs/orders.zip", "orders.zip"),
        ("s3:libs/util.py", "util.py"),
        ("azure,account=acct:envs/venv.zip", "venv.zip"),
        ("s3:jars/kafka.jar", "kafka.jar"),
    ]


def test_sqlscript_dependencies_on_object_stores_are_fetched_before_2_0() -> None:
    document = _document(
        {
            "kind": "SQLSCRIPT",
            "sqlScript": "SELECT 1;",
            "additionalDependencies": ["s3://jars/kafka.jar"],
            "flinkVersion": "1.18",
        },
        {"pulumi-flink.dev/sql-runner-jar-uri": "s3://runners/sql-runner.jar"},
    )

    [pod] = _pods(document, "operator")

    assert _pairs(_fetcher(pod)) == [
        ("s3:runners/sql-runner.jar", "sql-runner.jar"),
        ("s3:jars/kafka.jar", "kafka.jar"),
    ]


def test_only_the_remotes_the_job_uses_are_configured() -> None:
    [pod] = _pods(_document({"jarUri": "gs://jobs/orders.jar", "flinkVersion": "1.18"}), "operator")

    assert {name.split("_")[2] for name in _values(_fetcher(pod))} == {"GCS"}


# --- where Flink fetches itself -------------------------------------------------------------


def test_flink_1_19_keeps_fetching_jar_jobs_itself_by_default() -> None:
    [pod] = _pods(_document({"jarUri": "s3://jobs/orders.jar", "flinkVersion": "1.19"}), "operator")

    assert "initContainers" not in pod


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_the_fetcher_can_be_chosen_where_flink_would_fetch(engine: str) -> None:
    document = _document(
        {
            "jarUri": "s3://jobs/orders.jar",
            "additionalDependencies": ["https://repo/udf.jar"],
            "flinkVersion": "2.0",
        },
        {ARTIFACT_FETCHER: "init-container"},
    )
    manifests = render_manifests(document, target(), engine=engine)

    text = json.dumps(manifests)
    assert "user.artifacts.artifact-list" not in text and "--jars" not in text
    for pod in _pods(document, engine):
        assert _pairs(_fetcher(pod)) == [("s3:jobs/orders.jar", "orders.jar")]


# --- image and credentials ------------------------------------------------------------------


def test_the_fetcher_image_can_be_overridden() -> None:
    document = _document(
        {"jarUri": "s3://jobs/orders.jar", "flinkVersion": "1.18"},
        {ARTIFACT_FETCHER_IMAGE: "registry.acme.io/mirror/rclone:1.68.2"},
    )

    [pod] = _pods(document, "operator")

    assert _fetcher(pod)["image"] == "registry.acme.io/mirror/rclone:1.68.2"


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_credentials_come_from_secrets_by_reference_only(engine: str) -> None:
    document = _document(
        {"jarUri": "s3://jobs/orders.jar", "flinkVersion": "1.17"},
        {ARTIFACT_FETCHER_SECRET: "blob-storage-credentials"},
        **{"s3.access-key": "${s3-key}"},
    )
    pods = _pods(document, engine, secret_values={"s3-key": SecretKeyRef("aws", "id")})

    for pod in pods:
        fetcher = _fetcher(pod)
        assert fetcher["envFrom"] == [{"secretRef": {"name": "blob-storage-credentials"}}]
        env = {e["name"]: e.get("valueFrom") for e in fetcher["env"]}
        # VVP's blob-storage credential keys, when the Secret has them.
        assert env["RCLONE_CONFIG_S3_ACCESS_KEY_ID"] == {
            "secretKeyRef": {
                "name": "blob-storage-credentials",
                "key": "s3.accessKeyId",
                "optional": True,
            }
        }
        # The job's own S3 credentials reach the fetcher the way they reach Flink.
        assert env["AWS_ACCESS_KEY_ID"] == {"secretKeyRef": {"name": "aws", "key": "id"}}
        assert all("value" not in e for e in fetcher["env"] if "KEY" in e["name"])


def test_endpoints_come_from_the_jobs_own_filesystem_configuration() -> None:
    document = _document(
        {
            "jarUri": "s3://jobs/orders.jar",
            "additionalDependencies": ["oss://jars/kafka.jar"],
            "flinkVersion": "1.16",
        },
        **{
            "s3.endpoint": "http://minio.storage:9000",
            "s3.path.style.access": "true",
            "fs.oss.endpoint": "oss-eu-central-1.aliyuncs.com",
        },
    )

    [pod] = _pods(document, "operator")

    values = _values(_fetcher(pod))
    assert values["RCLONE_CONFIG_S3_ENDPOINT"] == "http://minio.storage:9000"
    assert values["RCLONE_CONFIG_S3_PROVIDER"] == "Other"
    assert values["RCLONE_CONFIG_S3_FORCE_PATH_STYLE"] == "true"
    assert values["RCLONE_CONFIG_OSS_PROVIDER"] == "Alibaba"
    assert values["RCLONE_CONFIG_OSS_ENDPOINT"] == "oss-eu-central-1.aliyuncs.com"


# --- refused at preview, naming field and URI -----------------------------------------------


@pytest.mark.parametrize(
    ("uri", "says"),
    [
        ("s3:///orders.jar", "names no bucket"),
        ("gs://jobs/", "names no single file"),
        ("s3://jobs/orders.jar?versionId=3", "no query or fragment"),
        ("abfs://jobs/orders.jar", "names no Azure container and account"),
        ("wasbs://jobs@acct,endpoint=evil.blob.core.windows.net/x.jar", "no Azure container"),
        ("abfss://jobs@acct.dfs.core.chinacloudapi.cn/x.jar", "public Azure cloud"),
    ],
)
def test_object_store_uris_the_fetcher_cannot_read_are_refused_naming_field_and_uri(
    uri: str, says: str
) -> None:
    problems = _problems(_document({"jarUri": uri, "flinkVersion": "1.18"}))

    reason = problems[f"{ARTIFACT}.jarUri"]
    assert says in reason and repr(uri) in reason


@pytest.mark.parametrize(
    ("annotation", "value"),
    [
        (ARTIFACT_FETCHER, "always"),
        (ARTIFACT_FETCHER_IMAGE, "rclone/rclone 1.68"),
        (ARTIFACT_FETCHER_SECRET, "Blob_Credentials"),
    ],
)
def test_bad_fetcher_annotations_are_refused_naming_them(annotation: str, value: str) -> None:
    problems = _problems(_document({"jarUri": "s3://j/o.jar"}, {annotation: value}))

    assert repr(value) in problems[f"{ANNOTATIONS}['{annotation}']"]


def test_a_hostile_key_reaches_the_fetcher_as_an_argument_never_as_script() -> None:
    hostile = "s3://jobs/$(id>pwned);x.jar"

    [pod] = _pods(_document({"jarUri": hostile, "flinkVersion": "1.18"}), "operator")

    fetcher = _fetcher(pod)
    assert fetcher["command"][2] == OBJECT_STORE_FETCH_SCRIPT
    assert _pairs(fetcher) == [("s3:jobs/$(id>pwned);x.jar", "$(id>pwned);x.jar")]


# --- the script, run with sh ----------------------------------------------------------------


def test_the_script_hands_each_path_to_the_client_and_names_the_file_in_usrlib(
    tmp_path: Path,
) -> None:
    """A stand-in ``rclone`` on PATH records its arguments and writes the file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls"
    stand_in = bin_dir / "rclone"
    stand_in.write_text(f'#!/bin/sh\necho "$@" >> {log}\necho fetched > "$3"\n')
    stand_in.chmod(0o755)
    staging = tmp_path / "staging"
    staging.mkdir()
    script = OBJECT_STORE_FETCH_SCRIPT.replace("/flink-usrlib", str(staging))
    [pod] = _pods(
        _document(
            {
                "jarUri": "s3://jobs/$(id>pwned).jar",
                "additionalDependencies": ["gs://jars/kafka.jar"],
                "flinkVersion": "1.18",
            }
        ),
        "operator",
    )
    arguments = _fetcher(pod)["command"][3:]

    subprocess.run(
        ["sh", "-c", script, *arguments],
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
    )

    assert log.read_text().splitlines() == [
        f"copyto s3:jobs/$(id>pwned).jar {staging}/$(id>pwned).jar",
        f"copyto gcs:jars/kafka.jar {staging}/kafka.jar",
    ]
    assert sorted(p.name for p in staging.iterdir()) == ["$(id>pwned).jar", "kafka.jar"]
    assert not (tmp_path / "pwned").exists()
