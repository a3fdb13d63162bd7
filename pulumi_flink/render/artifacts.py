"""The Kubernetes side of an artifact plan (:mod:`pulumi_flink.artifacts`).

The pod pieces every job-running pod needs (the ``fetch-artifacts`` init
container, the shared ``usrlib`` volume, the SQL script mount), the SQL
script's ConfigMap, and the configuration keys the plan adds. Used by both
engines' renderers, and meant for any other object that runs a job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_flink.artifacts import (
    ARTIFACT_LIST,
    PYTHON_ARCHIVES,
    PYTHON_FILES,
    SQL_SCRIPT_DIR,
    SQL_SCRIPT_KEY,
    USRLIB_DIR,
    Engine,
    JobArtifacts,
    job_artifacts,
)
from pulumi_flink.render.context import MAIN_CONTAINER, RenderContext

FETCH_CONTAINER = "fetch-artifacts"
USRLIB_VOLUME = "flink-usrlib"
SQL_SCRIPT_VOLUME = "flink-sql-script"
_STAGING_DIR = "/flink-usrlib"

_LIST_SEPARATORS = {ARTIFACT_LIST: ";", PYTHON_FILES: ",", PYTHON_ARCHIVES: ","}

# Arguments arrive as "$@" pairs (source, file name), never inside the script
# text, so no URI can change what the shell runs.
FETCH_SCRIPT = f"""set -eu
if [ -d {USRLIB_DIR} ]; then cp -R {USRLIB_DIR}/. {_STAGING_DIR}/; fi
while [ "$#" -gt 1 ]; do
  case "$1" in
    http://*|https://*) wget -q -O "{_STAGING_DIR}/$2" "$1" ;;
    opt:*) cp /opt/flink/opt/"${{1#opt:}}"-*.jar "{_STAGING_DIR}/$2" ;;
    *) cp "$1" "{_STAGING_DIR}/$2" ;;
  esac
  echo "fetch-artifacts: $1 -> {USRLIB_DIR}/$2"
  shift 2
done
"""
"""The init container's script: the image's own ``usrlib`` first, then each file."""


def plan_for(context: RenderContext, engine: Engine) -> JobArtifacts:
    """The artifact plan of the context's Deployment on ``engine``."""
    template = context.deployment.spec.template
    return job_artifacts(template.spec.artifact, template.metadata.annotations, engine)


def sql_script_config_map_name(workload: str) -> str:
    """Name of the ConfigMap holding the SQL script of the workload ``workload``."""
    return f"{workload}-sql-script"


def with_plan_configuration(configuration: Mapping[str, str], plan: JobArtifacts) -> dict[str, str]:
    """``configuration`` plus the keys the plan needs; list-valued keys are joined.

    >>> from pulumi_flink.artifacts import JobArtifacts
    >>> plan = JobArtifacts(None, None, (), flink_configuration={ARTIFACT_LIST: "s3://b/x.jar"})
    >>> with_plan_configuration({ARTIFACT_LIST: "local:///opt/y.jar"}, plan)[ARTIFACT_LIST]
    'local:///opt/y.jar;s3://b/x.jar'
    """
    merged = dict(configuration)
    for key, value in plan.flink_configuration.items():
        separator = _LIST_SEPARATORS.get(key)
        if separator and merged.get(key):
            merged[key] = f"{merged[key]}{separator}{value}"
        else:
            merged[key] = value
    return merged


def artifact_pod_template(context: RenderContext, plan: JobArtifacts, image: str) -> dict[str, Any]:
    """Pod template pieces for every pod of the job (JobManager and TaskManagers).

    Empty when the plan stages nothing and runs no script. TaskManagers need
    ``usrlib`` too: Flink hands the job's classpath entries to them as paths.
    """
    volumes: list[dict[str, Any]] = []
    mounts: list[dict[str, Any]] = []
    spec: dict[str, Any] = {}
    if plan.staged:
        volumes.append({"name": USRLIB_VOLUME, "emptyDir": {}})
        mounts.append({"name": USRLIB_VOLUME, "mountPath": USRLIB_DIR})
        arguments = [part for staged in plan.staged for part in (staged.source, staged.name)]
        spec["initContainers"] = [
            {
                "name": FETCH_CONTAINER,
                "image": image,
                "command": ["sh", "-c", FETCH_SCRIPT, FETCH_CONTAINER, *arguments],
                "volumeMounts": [{"name": USRLIB_VOLUME, "mountPath": _STAGING_DIR}],
            }
        ]
    if plan.sql_script is not None:
        volumes.append(
            {
                "name": SQL_SCRIPT_VOLUME,
                "configMap": {"name": sql_script_config_map_name(context.name)},
            }
        )
        mounts.append({"name": SQL_SCRIPT_VOLUME, "mountPath": SQL_SCRIPT_DIR, "readOnly": True})
    if not volumes:
        return {}
    spec["containers"] = [{"name": MAIN_CONTAINER, "volumeMounts": mounts}]
    spec["volumes"] = volumes
    return {"spec": spec}


def render_sql_script_config_map(context: RenderContext) -> list[dict[str, Any]]:
    """The ConfigMap with the SQL script, byte for byte (none for other kinds)."""
    script = context.spec.artifact.sql_script
    if script is None:
        return []
    return [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": context.metadata(sql_script_config_map_name(context.name), "sql-script"),
            "data": {SQL_SCRIPT_KEY: script},
        }
    ]
