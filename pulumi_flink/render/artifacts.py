"""The Kubernetes side of an artifact plan (:mod:`pulumi_flink.artifacts`).

The pod pieces every job-running pod needs (the ``fetch-artifacts`` and
``fetch-object-store-artifacts`` init containers, the shared ``usrlib``
volume, the SQL script mount), the SQL script's ConfigMap, and the
configuration keys the plan adds. Used by both engines' renderers, and meant
for any other object that runs a job.

The object-store client (rclone by default) reads remotes from its
environment (``RCLONE_CONFIG_<REMOTE>_<OPTION>``): one remote per family of
schemes the job uses (:data:`~pulumi_flink.artifacts.OBJECT_STORE_REMOTES`),
authenticating from the runtime (``env_auth``: ``AWS_*``/``GOOGLE_*``/
``AZURE_*`` variables, workload identity of the pod's service account), with
endpoints taken from the job's own Flink configuration
(:data:`REMOTE_CONFIGURATION`). Credentials reach it by reference only: the
job's own credential variables (the same ``secretKeyRef`` entries its Flink
container gets), and the Secret named by
:data:`~pulumi_flink.artifacts.ARTIFACT_FETCHER_SECRET` (every key as a
variable through ``envFrom``, plus VVP's blob-storage credential keys,
:data:`VVP_CREDENTIAL_KEYS`). No value is in any spec.
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
    object_store_path,
)
from pulumi_flink.render.context import MAIN_CONTAINER, RenderContext
from pulumi_flink.render.secrets import secret_environment

FETCH_CONTAINER = "fetch-artifacts"
OBJECT_STORE_FETCH_CONTAINER = "fetch-object-store-artifacts"
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

# rclone copyto reads a missing object as an empty directory and exits 0, so the
# file's presence is checked: a job never starts without one of its files.
OBJECT_STORE_FETCH_SCRIPT = f"""set -eu
while [ "$#" -gt 1 ]; do
  rclone copyto "$1" "{_STAGING_DIR}/$2"
  if [ ! -f "{_STAGING_DIR}/$2" ]; then
    echo "{OBJECT_STORE_FETCH_CONTAINER}: $1 not found" >&2
    exit 1
  fi
  echo "{OBJECT_STORE_FETCH_CONTAINER}: $1 -> {USRLIB_DIR}/$2"
  shift 2
done
"""
"""The object-store init container's script; ``"$@"`` holds (client path, file name) pairs."""

REMOTE_SETTINGS: dict[str, dict[str, str]] = {
    "s3": {"TYPE": "s3", "PROVIDER": "AWS", "ENV_AUTH": "true"},
    "gcs": {"TYPE": "gcs", "ENV_AUTH": "true"},
    "azure": {"TYPE": "azureblob", "ENV_AUTH": "true"},
    "oss": {"TYPE": "s3", "PROVIDER": "Alibaba", "ENV_AUTH": "true"},
}
"""Each remote's fixed options: the backend, and credentials from the runtime."""

REMOTE_CONFIGURATION: dict[str, dict[str, tuple[str, ...]]] = {
    "s3": {
        "ENDPOINT": ("s3.endpoint", "fs.s3a.endpoint"),
        "FORCE_PATH_STYLE": ("s3.path.style.access", "fs.s3a.path.style.access"),
        "REGION": ("s3.endpoint.region", "fs.s3a.endpoint.region"),
    },
    "oss": {"ENDPOINT": ("fs.oss.endpoint",)},
}
"""Remote options read from the job's Flink configuration (first key set wins), so
the fetcher reads the same store the job's filesystem plugin does (MinIO, regions)."""

VVP_CREDENTIAL_KEYS: dict[str, dict[str, str]] = {
    "s3": {"s3.accessKeyId": "ACCESS_KEY_ID", "s3.secretAccessKey": "SECRET_ACCESS_KEY"},
    "oss": {"oss.accessKeyId": "ACCESS_KEY_ID", "oss.accessKeySecret": "SECRET_ACCESS_KEY"},
}
"""VVP's blob-storage credential keys (``<provider>.<key>``) and the remote option each fills."""


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
        # The image's own usrlib is copied first, whatever else is staged.
        in_image = [staged for staged in plan.staged if not staged.object_store_remote]
        arguments = [part for staged in in_image for part in (staged.source, staged.name)]
        spec["initContainers"] = [
            {
                "name": FETCH_CONTAINER,
                "image": image,
                "command": ["sh", "-c", FETCH_SCRIPT, FETCH_CONTAINER, *arguments],
                "volumeMounts": [{"name": USRLIB_VOLUME, "mountPath": _STAGING_DIR}],
            }
        ]
        if plan.object_store_files:
            spec["initContainers"].append(object_store_fetch_container(context, plan))
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


def object_store_fetch_container(context: RenderContext, plan: JobArtifacts) -> dict[str, Any]:
    """The init container that downloads the plan's object-store files into ``usrlib``."""
    files = plan.object_store_files
    arguments = [
        part for staged in files for part in (object_store_path(staged.source), staged.name)
    ]
    remotes = sorted({staged.object_store_remote or "" for staged in files})
    configuration = context.spec.flink_configuration
    environment: list[dict[str, Any]] = []
    for remote in remotes:
        prefix = f"RCLONE_CONFIG_{remote.upper()}_"
        options = dict(REMOTE_SETTINGS[remote])
        for option, keys in REMOTE_CONFIGURATION.get(remote, {}).items():
            value = next((configuration[key] for key in keys if key in configuration), None)
            # A ${secret} placeholder is not a value the fetcher can use.
            if value is not None and "${" not in value:
                options[option] = value
        if remote == "s3" and "ENDPOINT" in options:
            options["PROVIDER"] = "Other"
        environment += [
            {"name": prefix + option, "value": value} for option, value in options.items()
        ]
        if plan.fetcher_secret:
            environment += [
                {
                    "name": prefix + option,
                    "valueFrom": {
                        "secretKeyRef": {"name": plan.fetcher_secret, "key": key, "optional": True}
                    },
                }
                for key, option in VVP_CREDENTIAL_KEYS.get(remote, {}).items()
            ]
    container: dict[str, Any] = {
        "name": OBJECT_STORE_FETCH_CONTAINER,
        "image": plan.fetcher_image,
        "command": [
            "sh",
            "-c",
            OBJECT_STORE_FETCH_SCRIPT,
            OBJECT_STORE_FETCH_CONTAINER,
            *arguments,
        ],
        "env": [*environment, *secret_environment(context.secrets)],
        "volumeMounts": [{"name": USRLIB_VOLUME, "mountPath": _STAGING_DIR}],
    }
    if plan.fetcher_secret:
        container["envFrom"] = [{"secretRef": {"name": plan.fetcher_secret}}]
    return container


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
