"""Every VVP artifact kind runs, on both engines, through a mechanism each Flink version has."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from pulumi_flink import SpecValidationError, render_manifests
from pulumi_flink.artifacts import OBJECT_STORE_SCHEMES, SQL_RUNNER_JAR_URI
from pulumi_flink.render.yaml import to_yaml
from tests.unit.documents import Doc
from tests.unit.documents import target as _target

ARTIFACT = "spec.template.spec.artifact"
STATEMENTS = """-- orders per minute; comments survive
SET 'pipeline.name' = 'orders per minute';
SET 'table.exec.state.ttl' = '1 h';

CREATE TABLE orders (id BIGINT, amount DOUBLE) WITH ('connector' = 'kafka');
CREATE TABLE totals (amount DOUBLE) WITH ('connector' = 'print');

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO totals SELECT SUM(amount) FROM orders;   /* trailing spaces stay */  \t
END;
"""


def _deployment(artifact: Doc, annotations: Doc | None = None) -> Doc:
    template: Doc = {"spec": {"artifact": artifact}}
    if annotations:
        template["metadata"] = {"annotations": annotations}
    return {
        "metadata": {"name": "orders"},
        "spec": {"restoreStrategy": {"kind": "NONE"}, "template": template},
    }


def _render(artifact: Doc, engine: str, annotations: Doc | None = None) -> dict[str, Doc]:
    manifests = render_manifests(_deployment(artifact, annotations), _target(), engine=engine)
    return {f"{m['kind']}/{m['metadata']['name']}": m for m in manifests}


def _flink_deployment(artifact: Doc, annotations: Doc | None = None) -> Doc:
    spec: Doc = _render(artifact, "operator", annotations)["FlinkDeployment/orders"]["spec"]
    return spec


def _jobmanager(artifact: Doc, annotations: Doc | None = None) -> Doc:
    pod: Doc = _render(artifact, "standalone", annotations)["Deployment/orders-jobmanager"]
    return pod["spec"]["template"]["spec"]


def _standalone_configuration(artifact: Doc) -> Doc:
    data = _render(artifact, "standalone")["ConfigMap/orders-config"]["data"]
    configuration: Doc = yaml.safe_load(data.get("config.yaml") or data["flink-conf.yaml"])
    return configuration


def _main(pod_spec: Doc) -> Doc:
    [container] = [c for c in pod_spec["containers"] if c["name"] == "flink-main-container"]
    return container


def _fetched(pod_spec: Doc) -> list[tuple[str, str]]:
    """(source, file name) pairs the fetch-artifacts init container is given."""
    [init] = pod_spec["initContainers"]
    arguments = init["command"][4:]
    return list(zip(arguments[::2], arguments[1::2], strict=True))


def _problems(artifact: Doc, annotations: Doc | None = None) -> dict[str, str]:
    with pytest.raises(SpecValidationError) as caught:
        render_manifests(_deployment(artifact, annotations), _target())
    return {problem.field: problem.reason for problem in caught.value.problems}


# --- JAR: Flink 1.19+ fetches itself --------------------------------------------------------


def test_operator_hands_additional_dependencies_to_flink_as_the_artifact_list() -> None:
    spec = _flink_deployment(
        {
            "jarUri": "s3://jobs/orders.jar",
            "additionalDependencies": ["s3://jars/kafka.jar", "https://repo/udf.jar"],
        }
    )

    assert spec["job"]["jarURI"] == "s3://jobs/orders.jar"
    configuration = spec["flinkConfiguration"]
    assert (
        configuration["user.artifacts.artifact-list"] == "s3://jars/kafka.jar;https://repo/udf.jar"
    )
    assert "user.artifacts.raw-http-enabled" not in configuration
    assert "initContainers" not in spec["podTemplate"]["spec"]


@pytest.mark.parametrize("field", ["jarUri", "additionalDependencies"])
def test_plain_http_switches_on_raw_http_fetching(field: str) -> None:
    artifact: Doc = {"jarUri": "s3://jobs/orders.jar"}
    artifact[field] = (
        ["http://repo/x.jar"] if field == "additionalDependencies" else "http://r/j.jar"
    )

    configuration = _flink_deployment(artifact)["flinkConfiguration"]

    assert configuration["user.artifacts.raw-http-enabled"] == "true"


def test_standalone_passes_the_job_jar_and_dependencies_as_one_jars_option() -> None:
    artifact = {
        "jarUri": "s3://jobs/orders.jar",
        "entryClass": "com.acme.Orders",
        "mainArgs": "--jars not-a-jar --window 10",
        "additionalDependencies": ["s3://jars/kafka.jar", "http://repo/udf.jar"],
    }

    args = _main(_jobmanager(artifact))["args"]

    assert args == [
        "standalone-job",
        "--job-classname",
        "com.acme.Orders",
        "--jars=s3://jobs/orders.jar,s3://jars/kafka.jar,http://repo/udf.jar",
        "--",
        "--jars",
        "not-a-jar",
        "--window",
        "10",
    ]
    assert _standalone_configuration(artifact)["user.artifacts.raw-http-enabled"] == "true"


# --- JAR: before 1.19 our init container fetches into usrlib --------------------------------


def test_operator_before_1_19_fetches_an_https_job_jar_and_runs_it_as_local() -> None:
    spec = _flink_deployment(
        {
            "jarUri": "https://repo/orders.jar",
            "flinkVersion": "1.18",
            "additionalDependencies": ["local:///opt/connectors/kafka.jar"],
        }
    )

    assert spec["job"]["jarURI"] == "local:///opt/flink/usrlib/orders.jar"
    pod = spec["podTemplate"]["spec"]
    assert _fetched(pod) == [
        ("https://repo/orders.jar", "orders.jar"),
        ("/opt/connectors/kafka.jar", "kafka.jar"),
    ]
    assert {"name": "flink-usrlib", "mountPath": "/opt/flink/usrlib"} in _main(pod)["volumeMounts"]
    assert {"name": "flink-usrlib", "emptyDir": {}} in pod["volumes"]
    assert "user.artifacts.artifact-list" not in spec["flinkConfiguration"]


def test_file_uri_of_the_job_jar_becomes_local_before_1_19() -> None:
    spec = _flink_deployment({"jarUri": "file:///opt/jobs/orders.jar", "flinkVersion": "1.17"})

    assert spec["job"]["jarURI"] == "local:///opt/jobs/orders.jar"


def test_standalone_before_1_19_has_no_jars_option_and_copies_jars_into_usrlib() -> None:
    artifact = {
        "jarUri": "local:///opt/jobs/orders.jar",
        "entryClass": "com.acme.Orders",
        "flinkVersion": "1.18",
        "additionalDependencies": ["https://repo/kafka.jar"],
    }

    pod = _jobmanager(artifact)

    assert not [arg for arg in _main(pod)["args"] if arg.startswith("--jars")]
    assert _fetched(pod) == [
        ("/opt/jobs/orders.jar", "orders.jar"),
        ("https://repo/kafka.jar", "kafka.jar"),
    ]


def test_standalone_before_1_19_needs_nothing_for_a_jar_already_in_usrlib() -> None:
    pod = _jobmanager({"jarUri": "local:///opt/flink/usrlib/orders.jar", "flinkVersion": "1.16"})

    assert "initContainers" not in pod


def test_the_taskmanagers_get_the_same_usrlib() -> None:
    artifact = {"jarUri": "https://repo/orders.jar", "flinkVersion": "1.18"}
    objects = _render(artifact, "standalone")

    taskmanager = objects["Deployment/orders-taskmanager"]["spec"]["template"]["spec"]

    assert _fetched(taskmanager) == [("https://repo/orders.jar", "orders.jar")]


def test_staged_files_with_the_same_name_do_not_overwrite_each_other() -> None:
    spec = _flink_deployment(
        {
            "jarUri": "local:///opt/flink/usrlib/orders.jar",
            "flinkVersion": "1.18",
            "additionalDependencies": ["https://a/udf.jar", "https://b/udf.jar"],
        }
    )

    names = [name for _, name in _fetched(spec["podTemplate"]["spec"])]
    assert len(set(names)) == len(names) == 2


def test_uris_reach_the_init_container_as_arguments_never_as_script_text() -> None:
    hostile = "https://repo/x.jar;rm${IFS}-rf${IFS}/;$(id).jar"
    spec = _flink_deployment(
        {
            "jarUri": "local:///opt/x.jar",
            "flinkVersion": "1.18",
            "additionalDependencies": [hostile],
        }
    )

    [init] = spec["podTemplate"]["spec"]["initContainers"]
    assert hostile not in init["command"][2]
    assert hostile in init["command"][4:]


# --- URI schemes: each works or is refused at preview by name -----------------------------

SCHEME_EXAMPLES = (
    "s3://b/x.jar",
    "s3a://b/x.jar",
    "gs://b/x.jar",
    "abfs://jars@acct.dfs.core.windows.net/x.jar",
    "wasbs://jars@acct.blob.core.windows.net/x.jar",
    "oss://b/x.jar",
    "https://repo/x.jar",
    "http://repo/x.jar",
    "local:///opt/x.jar",
    "file:///opt/x.jar",
)


@pytest.mark.parametrize("uri", SCHEME_EXAMPLES)
@pytest.mark.parametrize("version", ["1.13", "1.18", "1.19", "2.0"])
def test_every_scheme_of_a_dependency_works_on_every_version(uri: str, version: str) -> None:
    artifact = {
        "jarUri": "local:///opt/flink/usrlib/orders.jar",
        "flinkVersion": version,
        "additionalDependencies": [uri],
    }

    for engine in ("operator", "standalone"):
        rendered = to_yaml(list(_render(artifact, engine).values()))
        assert uri in rendered or uri.split("://")[1] in rendered or "x.jar" in rendered


@pytest.mark.parametrize("scheme", OBJECT_STORE_SCHEMES)
def test_object_store_job_jars_before_1_19_are_fetched_by_the_object_store_client(
    scheme: str,
) -> None:
    host = (
        "jobs@acct.blob.core.windows.net"
        if scheme in ("abfs", "abfss", "wasb", "wasbs")
        else "jobs"
    )
    spec = _flink_deployment({"jarUri": f"{scheme}://{host}/orders.jar", "flinkVersion": "1.18"})

    assert spec["job"]["jarURI"] == "local:///opt/flink/usrlib/orders.jar"
    names = [init["name"] for init in spec["podTemplate"]["spec"]["initContainers"]]
    assert names == ["fetch-artifacts", "fetch-object-store-artifacts"]


@pytest.mark.parametrize(
    ("uri", "says"),
    [
        ("hdfs://nn/x.jar", "scheme hdfs:// is not supported"),
        ("orders.jar", "has no scheme"),
        ("local://opt/x.jar", "absolute path"),
        ("s3://[/x.jar", "'[' and ']' may only enclose an IPv6 host"),
    ],
)
def test_unusable_uris_are_refused_naming_the_problem(uri: str, says: str) -> None:
    reason = _problems({"jarUri": uri})[f"{ARTIFACT}.jarUri"]

    assert says in reason


# --- Fields of each kind ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("artifact", "foreign"),
    [
        ({"jarUri": "s3://j/o.jar", "sqlScript": "SELECT 1;"}, "sqlScript"),
        ({"jarUri": "s3://j/o.jar", "entryModule": "job"}, "entryModule"),
        ({"kind": "SQLSCRIPT", "sqlScript": "SELECT 1;", "mainArgs": "--x"}, "mainArgs"),
        ({"kind": "SQLSCRIPT", "sqlScript": "SELECT 1;", "jarUri": "s3://j/o.jar"}, "jarUri"),
        ({"kind": "PYTHON", "pythonArtifactUri": "local:///j.py", "entryClass": "C"}, "entryClass"),
    ],
)
def test_a_field_of_another_kind_is_refused_naming_it(artifact: Doc, foreign: str) -> None:
    problems = _problems(artifact)

    assert list(problems) == [f"{ARTIFACT}.{foreign}"]
    assert "remove it or set kind" in problems[f"{ARTIFACT}.{foreign}"]


# --- PYTHON -------------------------------------------------------------------------------

PYTHON = {
    "kind": "PYTHON",
    "pythonArtifactUri": "local:///opt/flink/usrlib/orders.py",
    "mainArgs": "--window 10",
}


def test_pyflink_runs_like_the_operators_python_example() -> None:
    job = _flink_deployment(PYTHON)["job"]

    assert job["jarURI"] == "local:///opt/flink/opt/flink-python-1.20.jar"
    assert job["entryClass"] == "org.apache.flink.client.python.PythonDriver"
    assert job["args"] == ["-py", "/opt/flink/usrlib/orders.py", "--window", "10"]


def test_pyflink_entry_module_runs_with_pym_and_the_artifact_on_python_files() -> None:
    spec = _flink_deployment(
        {
            "kind": "PYTHON",
            "pythonArtifactUri": "https://repo/orders.zip",
            "entryModule": "orders.main",
            "additionalPythonLibraries": ["local:///opt/lib/util.py"],
            "additionalPythonArchives": ["https://repo/venv.zip"],
        }
    )

    assert spec["job"]["args"] == ["-pym", "orders.main"]
    configuration = spec["flinkConfiguration"]
    assert configuration["python.files"] == "/opt/flink/usrlib/orders.zip,/opt/lib/util.py"
    assert configuration["python.archives"] == "/opt/flink/usrlib/venv.zip"
    assert _fetched(spec["podTemplate"]["spec"]) == [
        ("https://repo/orders.zip", "orders.zip"),
        ("https://repo/venv.zip", "venv.zip"),
    ]


def test_pyflink_jars_are_staged_even_where_flink_fetches_jar_jobs_itself() -> None:
    spec = _flink_deployment({**PYTHON, "additionalDependencies": ["https://repo/kafka.jar"]})

    assert "user.artifacts.artifact-list" not in spec["flinkConfiguration"]
    assert _fetched(spec["podTemplate"]["spec"]) == [("https://repo/kafka.jar", "kafka.jar")]


def test_pyflink_files_on_object_stores_are_staged_in_every_version() -> None:
    spec = _flink_deployment({**PYTHON, "pythonArtifactUri": "s3://jobs/orders.py"})

    assert spec["job"]["args"][:2] == ["-py", "/opt/flink/usrlib/orders.py"]
    [_, fetcher] = spec["podTemplate"]["spec"]["initContainers"]
    assert fetcher["command"][4:] == ["s3:jobs/orders.py", "orders.py"]


def test_standalone_runs_the_same_python_driver() -> None:
    args = _main(_jobmanager(PYTHON))["args"]

    assert args == [
        "standalone-job",
        "--job-classname",
        "org.apache.flink.client.python.PythonDriver",
        "--",
        "-py",
        "/opt/flink/usrlib/orders.py",
        "--window",
        "10",
    ]


def test_python_file_without_entry_module_must_be_a_py_file() -> None:
    problems = _problems({**PYTHON, "pythonArtifactUri": "local:///opt/orders.zip"})

    assert "entryModule" in problems[f"{ARTIFACT}.pythonArtifactUri"]


# --- SQLSCRIPT ----------------------------------------------------------------------------

SQL = {"kind": "SQLSCRIPT", "sqlScript": STATEMENTS, "flinkVersion": "2.0"}


@pytest.mark.parametrize("engine", ["operator", "standalone"])
def test_the_script_is_a_config_map_mounted_into_the_job_pods_byte_for_byte(engine: str) -> None:
    objects = _render(SQL, engine)

    config_map = objects["ConfigMap/orders-sql-script"]
    # What `pulumi-flink render` prints, read back, is the script itself.
    assert yaml.safe_load(to_yaml(config_map))["data"]["script.sql"] == STATEMENTS
    for name, manifest in objects.items():
        if manifest["kind"] in ("FlinkDeployment", "Deployment"):
            pod = (
                manifest["spec"]["podTemplate"]
                if engine == "operator"
                else manifest["spec"]["template"]
            )["spec"]
            assert {
                "name": "flink-sql-script",
                "configMap": {"name": "orders-sql-script"},
            } in pod["volumes"], name


def test_flink_2_runs_the_script_with_its_own_sql_driver_on_the_operator() -> None:
    spec = _flink_deployment({**SQL, "additionalDependencies": ["s3://jars/kafka.jar"]})

    assert spec["job"]["entryClass"] == "org.apache.flink.table.runtime.application.SqlDriver"
    assert spec["job"]["args"] == ["--scriptUri", "file:///opt/flink/sql/script.sql"]
    # Operators on Flink clients before 2.0 need exactly one job jar: the image's own gateway.
    assert spec["job"]["jarURI"] == "local:///opt/flink/usrlib/flink-sql-gateway.jar"
    assert _fetched(spec["podTemplate"]["spec"]) == [
        ("opt:flink-sql-gateway", "flink-sql-gateway.jar")
    ]
    assert spec["flinkConfiguration"]["user.artifacts.artifact-list"] == "s3://jars/kafka.jar"


def test_flink_2_standalone_runs_the_sql_driver_with_the_connector_jars() -> None:
    pod = _jobmanager({**SQL, "additionalDependencies": ["s3://jars/kafka.jar"]})

    assert _main(pod)["args"] == [
        "standalone-job",
        "--job-classname",
        "org.apache.flink.table.runtime.application.SqlDriver",
        "--jars=s3://jars/kafka.jar",
        "--",
        "--scriptUri",
        "file:///opt/flink/sql/script.sql",
    ]


def test_before_flink_2_a_script_without_a_runner_says_exactly_what_to_set() -> None:
    reason = _problems({**SQL, "flinkVersion": "1.20"})[f"{ARTIFACT}.sqlScript"]

    assert "Flink 1.20 has no built-in way to run a SQL script" in reason
    assert "pulumi-flink.dev/sql-runner-jar-uri" in reason
    assert "flinkVersion 2.0 or later" in reason


RUNNER = {
    SQL_RUNNER_JAR_URI: "https://repo/sql-runner.jar",
    "pulumi-flink.dev/sql-runner-entry-class": "com.acme.SqlRunner",
    "pulumi-flink.dev/sql-runner-args": "--sqlfile {script} --mode streaming",
}


def test_a_named_runner_runs_the_script_before_flink_2() -> None:
    spec = _flink_deployment({**SQL, "flinkVersion": "1.18"}, RUNNER)

    assert spec["job"] | {"state": None} == spec["job"] | {
        "jarURI": "local:///opt/flink/usrlib/sql-runner.jar",
        "entryClass": "com.acme.SqlRunner",
        "args": ["--sqlfile", "/opt/flink/sql/script.sql", "--mode", "streaming"],
        "state": None,
    }


def test_the_runner_can_come_from_the_targets_patch_set() -> None:
    target = _target()
    target["spec"]["deploymentPatchSet"] = [
        {
            "op": "add",
            "path": "/spec/template/metadata/annotations/pulumi-flink.dev~1sql-runner-jar-uri",
            "value": "local:///opt/flink/usrlib/sql-runner.jar",
        }
    ]

    manifests = render_manifests(_deployment({**SQL, "flinkVersion": "1.20"}), target)

    [flink] = [m for m in manifests if m["kind"] == "FlinkDeployment"]
    assert flink["spec"]["job"]["jarURI"] == "local:///opt/flink/usrlib/sql-runner.jar"
    assert flink["spec"]["job"]["args"] == ["/opt/flink/sql/script.sql"]


def test_runner_arguments_must_pass_the_script() -> None:
    annotations: dict[str, Any] = {**RUNNER, "pulumi-flink.dev/sql-runner-args": "--x 1"}

    problems = _problems({**SQL, "flinkVersion": "1.20"}, annotations)

    assert (
        "{script}"
        in problems["spec.template.metadata.annotations['pulumi-flink.dev/sql-runner-args']"]
    )


@pytest.mark.parametrize("version", ["1.18", "1.20"])
def test_standalone_leaves_a_jar_already_in_usrlib_to_flink(version: str) -> None:
    pod = _jobmanager({"jarUri": "local:///opt/flink/usrlib/orders.jar", "flinkVersion": version})

    assert not [arg for arg in _main(pod)["args"] if arg.startswith("--jars")]
    assert "initContainers" not in pod


def test_standalone_1_19_passes_a_jar_elsewhere_in_the_image_in_jars() -> None:
    pod = _jobmanager({"jarUri": "local:///opt/flink/examples/Top.jar", "flinkVersion": "1.19"})

    assert "--jars=local:///opt/flink/examples/Top.jar" in _main(pod)["args"]
