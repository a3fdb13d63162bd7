"""Plain Kubernetes objects for Flink in standalone application mode.

For clusters without the Flink operator: a ConfigMap with Flink's
configuration and log settings, a JobManager Service, and JobManager and
TaskManager ``apps/v1`` Deployments. SUSPENDED and CANCELLED scale both to 0.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import yaml

from pulumi_flink.errors import SpecValidationError
from pulumi_flink.memory import memory_for_flink, memory_for_kubernetes
from pulumi_flink.model import ProcessResources, task_slots
from pulumi_flink.model.versions import CONFIG_YAML, FLINK_CONF_YAML, flink_version
from pulumi_flink.render.artifacts import (
    artifact_pod_template,
    plan_for,
    render_sql_script_config_map,
    with_plan_configuration,
)
from pulumi_flink.render.collisions import check_pod_parts
from pulumi_flink.render.configuration import (
    HA_STORAGE_DIR,
    configuration_file_text,
    flink_configuration,
    ha_configured,
    image,
)
from pulumi_flink.render.context import MAIN_CONTAINER, RenderContext
from pulumi_flink.render.java import image_java_options
from pulumi_flink.render.labels import LABEL_COMPONENT
from pulumi_flink.render.logging import LOG4J_CONSOLE, log4j_console_properties
from pulumi_flink.render.pods import merge_pod_templates, pods_template, vvp_pod_template
from pulumi_flink.render.secrets import (
    RENDERED_CONF_VOLUME,
    render_config_init_container,
    secret_pod_template,
    with_secret_environment,
)
from pulumi_flink.strategy import job_state

RPC_PORT = 6123
TASKMANAGER_RPC_PORT = 6122
BLOB_PORT = 6124
REST_PORT = 8081
CONF_DIR = "/opt/flink/conf"
HA_CLUSTER_ID = "high-availability.cluster-id"
CONFIG_VOLUME = "flink-config"
"""The volume of the Flink configuration's ConfigMap."""
CONFIG_CHECKSUM_ANNOTATION = "pulumi-flink.dev/config-checksum"
"""Pod template annotation with a digest of the ConfigMap's data: a changed
configuration (e.g. ``parallelism.default``) changes the pod templates, so
both Deployments roll and the JobManager resubmits the job with it; Flink
reads its configuration only at start."""


REST_PORT_NAME = "webui"
"""The name of the JobManager's REST port (container and Service)."""
FROM_SAVEPOINT = "--fromSavepoint"
"""The standalone entrypoint's option of the savepoint the job starts from."""


def jobmanager_service_name(workload: str) -> str:
    """Name of the JobManager Service of ``workload`` (also its RPC address)."""
    return f"{workload}-jobmanager"


def standalone_deployment_names(workload: str) -> tuple[str, str]:
    """Names of the JobManager and TaskManager Deployments of ``workload``.

    >>> standalone_deployment_names("orders")
    ('orders-jobmanager', 'orders-taskmanager')
    """
    return f"{workload}-jobmanager", f"{workload}-taskmanager"


def savepoint_args(args: list[str], path: str | None) -> list[str]:
    """A JobManager's container ``args`` with its job starting from savepoint ``path``.

    The entrypoint's ``--fromSavepoint`` goes before the ``--`` that ends its
    options; without a path the args are returned as they are. Under
    Kubernetes HA, Flink prefers the checkpoints its HA data points to: the
    path only counts on a first start (the HA data was reset or is new).

    >>> savepoint_args(["standalone-job", "--", "--x"], "file:///sp/1")
    ['standalone-job', '--fromSavepoint', 'file:///sp/1', '--', '--x']
    >>> savepoint_args(["standalone-job"], None)
    ['standalone-job']
    """
    if not path:
        return args
    end = args.index("--") if "--" in args else len(args)
    return [*args[:end], FROM_SAVEPOINT, path, *args[end:]]


def main_container_args(deployment: dict[str, Any]) -> list[str]:
    """The args of a rendered Deployment's Flink container."""
    containers = deployment["spec"]["template"]["spec"]["containers"]
    [container] = [c for c in containers if c["name"] == MAIN_CONTAINER]
    args: list[str] = container["args"]
    return args


def with_main_container_args(deployment: dict[str, Any], args: Any) -> dict[str, Any]:
    """A rendered Deployment (a new dict) whose Flink container has ``args``.

    ``args`` may be any value (a Pulumi Output of the args, in the component).
    """
    template = deployment["spec"]["template"]
    containers = [
        {**container, "args": args} if container["name"] == MAIN_CONTAINER else container
        for container in template["spec"]["containers"]
    ]
    return {
        **deployment,
        "spec": {
            **deployment["spec"],
            "template": {**template, "spec": {**template["spec"], "containers": containers}},
        },
    }


JOB_RESULT_STORE_PATH = "job-result-store.storage-path"


def rendered_configuration(config_map: dict[str, Any]) -> dict[str, str]:
    r"""The Flink configuration a rendered standalone ConfigMap holds, read back.

    >>> rendered_configuration({"data": {"flink-conf.yaml": "a: b\nrest.port: 8081\n"}})
    {'a': 'b', 'rest.port': '8081'}
    """
    data = config_map["data"]
    if CONFIG_YAML in data:
        loaded = yaml.load(data[CONFIG_YAML], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return {str(k): str(v) for k, v in (loaded or {}).items()}
    lines = (line.partition(": ") for line in data.get(FLINK_CONF_YAML, "").splitlines())
    return {key: value for key, _, value in lines}


def ha_storage(config_map: dict[str, Any]) -> dict[str, str]:
    r"""Where Flink keeps a standalone workload's HA files, read from its rendered ConfigMap.

    ``cluster``: ``<high-availability.storageDir>/<high-availability.cluster-id>``
    (job graphs, completed checkpoint metadata, blobs); ``job_result_store``:
    ``job-result-store.storage-path``, by default
    ``<storageDir>/job-result-store/<cluster-id>`` (Flink's defaults). Empty
    without HA or without a storage dir.

    >>> text = "high-availability.type: kubernetes\nhigh-availability.storageDir: file:///s/ha\n"
    >>> ha_storage({"data": {"config.yaml": text + "high-availability.cluster-id: orders\n"}})
    {'cluster': 'file:///s/ha/orders', 'job_result_store': 'file:///s/ha/job-result-store/orders'}
    >>> ha_storage({"data": {"flink-conf.yaml": "high-availability: NONE\n"}})
    {}
    """
    configuration = rendered_configuration(config_map)
    storage = configuration.get(HA_STORAGE_DIR, "").rstrip("/")
    if not ha_configured(configuration) or not storage:
        return {}
    cluster = configuration.get(HA_CLUSTER_ID, "/default").strip("/")
    return {
        "cluster": f"{storage}/{cluster}",
        "job_result_store": configuration.get(
            JOB_RESULT_STORE_PATH, f"{storage}/job-result-store/{cluster}"
        ),
    }


def job_graph_digest(jobmanager: dict[str, Any]) -> str:
    """Digest of a rendered JobManager Deployment's pod template.

    The template holds everything the JobManager's ``main()`` submits (the
    configuration checksum, args, image): a new digest means a new job graph,
    which :mod:`pulumi_flink.provider.standalone_ha` clears from the HA data.
    """
    return _checksum(jobmanager["spec"]["template"])


def taskmanager_replicas(context: RenderContext) -> int:
    """``numberOfTaskManagers``, else ceil(parallelism / slots); 0 unless RUNNING."""
    if job_state(context.deployment.spec) != "running":
        return 0
    spec = context.spec
    if spec.number_of_task_managers is not None:
        return spec.number_of_task_managers
    return math.ceil(spec.parallelism / task_slots(spec))


def render_standalone(context: RenderContext) -> list[dict[str, Any]]:
    """ConfigMap, Service, JobManager and TaskManager Deployments."""
    running = job_state(context.deployment.spec) == "running"
    config_map = _config_map(context)
    script = render_sql_script_config_map(context)
    # A changed script, like a changed configuration, restarts the job with it.
    checksum = _checksum({**config_map["data"], **(script[0]["data"] if script else {})})
    ports = _ports(_configuration(context))
    return [
        config_map,
        *script,
        _service(context, ports["jobmanager"]),
        _deployment(
            context,
            "jobmanager",
            1 if running else 0,
            _jobmanager_args(context),
            (checksum, ports["jobmanager"]),
        ),
        _deployment(
            context,
            "taskmanager",
            taskmanager_replicas(context),
            ["taskmanager"],
            (checksum, ports["taskmanager"]),
        ),
    ]


def _checksum(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _config_file(context: RenderContext) -> tuple[str, str]:
    """The Flink configuration file's name and text for the Flink version."""
    file_name = flink_version(context.spec.artifact.flink_version).config_file
    configuration = _configuration(context)
    tokens = [f"${{{name}}}" for name, _ in context.secrets.template_values]
    templated = [key for key, value in configuration.items() if any(t in value for t in tokens)]
    return file_name, configuration_file_text(configuration, file_name, templated)


def _configuration(context: RenderContext) -> dict[str, str]:
    spec = context.spec
    resources = spec.resources
    configuration = {
        "jobmanager.rpc.address": jobmanager_service_name(context.name),
        "jobmanager.rpc.port": str(RPC_PORT),
        "taskmanager.rpc.port": str(TASKMANAGER_RPC_PORT),
        "blob.server.port": str(BLOB_PORT),
        "rest.port": str(REST_PORT),
        "parallelism.default": str(spec.parallelism),
        "jobmanager.memory.process.size": memory_for_flink(resources.jobmanager.memory),
        "taskmanager.memory.process.size": memory_for_flink(resources.taskmanager.memory),
        **flink_configuration(context),
    }
    configuration.update(image_java_options(spec.artifact.flink_version, configuration))
    if ha_configured(configuration):
        # Standalone Flink finds its HA ConfigMaps by these; the operator sets them itself.
        configuration["kubernetes.cluster-id"] = context.name
        configuration["kubernetes.namespace"] = context.namespace
        # Its files go under <storageDir>/<this> and the job result store under
        # <storageDir>/job-result-store/<this>; Flink's default "/default" would
        # mix every workload sharing a storage dir (all have the same job id).
        configuration[HA_CLUSTER_ID] = context.name
    return with_plan_configuration(configuration, plan_for(context, "standalone"))


def _config_map(context: RenderContext) -> dict[str, Any]:
    file_name, text = _config_file(context)
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": context.metadata(f"{context.name}-config", "config"),
        "data": {
            file_name: text,
            LOG4J_CONSOLE: log4j_console_properties(context.spec.logging.log4j_loggers),
        },
    }


def _service(context: RenderContext, ports: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": context.metadata(jobmanager_service_name(context.name), "jobmanager"),
        "spec": {
            "type": "ClusterIP",
            # The JobManager is Ready only once its job runs (JOB_RUNNING_PROBE),
            # but TaskManagers must reach it before that to run the job at all.
            "publishNotReadyAddresses": True,
            "selector": {**context.selector_labels, LABEL_COMPONENT: "jobmanager"},
            "ports": [
                {
                    "name": port["name"],
                    "port": port["containerPort"],
                    "targetPort": port["containerPort"],
                }
                for port in ports
            ],
        },
    }


REST_PORT_ENV = "FLINK_REST_PORT"
"""The JobManager container's REST port, for :data:`JOB_RUNNING_PROBE`."""

JOB_RUNNING_PROBE = {
    "exec": {
        "command": [
            "bash",
            "-c",
            # bash alone (the image has no curl): the REST API's job overview
            # over /dev/tcp, Ready while a job is RUNNING.
            f'exec 3<>"/dev/tcp/127.0.0.1/${{{REST_PORT_ENV}:-{REST_PORT}}}"'
            " && printf 'GET /jobs/overview HTTP/1.0\\r\\n\\r\\n' >&3"
            ' && grep -q \'"state":"RUNNING"\' <&3',
        ]
    },
    "initialDelaySeconds": 5,
    "periodSeconds": 5,
    "timeoutSeconds": 5,
    "failureThreshold": 3,
}
"""The JobManager's readiness: its job is RUNNING in Flink's REST API. So the
JobManager Deployment is Available, and ``pulumi up`` (which awaits it) done,
only once the job runs, not merely once the processes started."""


def _jobmanager_args(context: RenderContext) -> list[str]:
    plan = plan_for(context, "standalone")
    args = ["standalone-job"]
    if plan.entry_class:
        args += ["--job-classname", plan.entry_class]
    if plan.flink_jars:
        # One option, "=" form: --jars takes several values, so "--jars a" would
        # also swallow the job's own arguments as jars (1.19+ only; the plan
        # stages jars into usrlib before).
        args.append(f"--jars={','.join(plan.flink_jars)}")
    if context.deployment.spec.restore_strategy.allow_non_restored_state:
        args.append("--allowNonRestoredState")
    # "--" ends the entrypoint's options: a job argument such as "--jars" or
    # "-D" would otherwise be read by the entrypoint, not passed to the job.
    return [*args, "--", *plan.args] if plan.args else args


def _resources(resources: ProcessResources) -> dict[str, Any]:
    quantity = {
        "cpu": f"{round(resources.cpu * 1000)}m",
        "memory": memory_for_kubernetes(resources.memory),
    }
    return {"requests": quantity, "limits": dict(quantity)}


def _deployment(
    context: RenderContext,
    component: str,
    replicas: int,
    args: list[str],
    pod: tuple[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """One Deployment; ``pod`` is the configuration checksum and the container ports."""
    checksum, ports = pod
    spec = context.spec
    selector = {**context.selector_labels, LABEL_COMPONENT: component}
    labels = context.labels(component)
    process = getattr(spec.resources, component)
    container: dict[str, Any] = {
        "name": MAIN_CONTAINER,
        "image": image(context),
        "args": args,
        "env": [
            {"name": "JOB_MANAGER_RPC_ADDRESS", "value": jobmanager_service_name(context.name)}
        ],
        "ports": ports,
        "resources": _resources(process),
        "volumeMounts": [],
    }
    if component == "jobmanager":
        [rest] = [port["containerPort"] for port in ports if port["name"] == REST_PORT_NAME]
        container["env"].append({"name": REST_PORT_ENV, "value": str(rest)})
        container["readinessProbe"] = JOB_RUNNING_PROBE
    pod_spec: dict[str, Any] = {
        "serviceAccountName": context.name,
        "containers": [container],
        "volumes": [],
    }
    base = {
        "metadata": {"labels": labels, "annotations": {CONFIG_CHECKSUM_ANNOTATION: checksum}},
        "spec": pod_spec,
    }
    ours = standalone_pod_parts(context)
    check_pod_parts(ours, context.spec.kubernetes, (component,))
    base = merge_pod_templates(base, ours)
    workload: dict[str, Any] = {
        "replicas": replicas,
        "selector": {"matchLabels": selector},
        "template": merge_pod_templates(base, _user_pod_template(context, component, labels)),
    }
    if component == "jobmanager":
        # One JobManager at a time: a rolling update would start the new one
        # beside the old, which keeps the HA leadership (the new one never
        # runs the job, never gets Ready, the rollout hangs) or, without HA,
        # runs the job twice.
        workload["strategy"] = {"type": "Recreate"}
    jobmanager, taskmanager = standalone_deployment_names(context.name)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": context.metadata(
            jobmanager if component == "jobmanager" else taskmanager, component
        ),
        "spec": workload,
    }


def standalone_pod_parts(context: RenderContext) -> dict[str, Any]:
    """The pod parts of ours in both standalone pods, in the order they are rendered.

    The configuration's volume at :data:`CONF_DIR` (with secret values, an
    init container renders it into an ``emptyDir`` mounted there instead:
    the ConfigMap keeps only the ``${name}`` placeholders), the secret
    environment, and what the job's artifacts need.
    """
    config = {"name": CONFIG_VOLUME, "configMap": {"name": f"{context.name}-config"}}
    spec: dict[str, Any]
    if context.secrets.template_values:
        spec = {
            "containers": [
                {
                    "name": MAIN_CONTAINER,
                    "volumeMounts": [{"name": RENDERED_CONF_VOLUME, "mountPath": CONF_DIR}],
                }
            ],
            "volumes": [config, {"name": RENDERED_CONF_VOLUME, "emptyDir": {}}],
            "initContainers": [
                render_config_init_container(context, image(context), CONF_DIR, CONFIG_VOLUME)
            ],
        }
    else:
        spec = {
            "containers": [
                {
                    "name": MAIN_CONTAINER,
                    "volumeMounts": [{"name": CONFIG_VOLUME, "mountPath": CONF_DIR}],
                }
            ],
            "volumes": [config],
        }
    parts = merge_pod_templates({"spec": spec}, secret_pod_template(context))
    return merge_pod_templates(
        parts, artifact_pod_template(context, plan_for(context, "standalone"), image(context))
    )


def _user_pod_template(
    context: RenderContext, component: str, labels: dict[str, str]
) -> dict[str, Any]:
    """The user's pod settings for ``component``; ``labels`` win over the user's."""
    kubernetes = context.spec.kubernetes
    template = (
        kubernetes.job_manager_pod_template
        if component == "jobmanager"
        else kubernetes.task_manager_pod_template
    )
    user = (
        vvp_pod_template(template, labels) if template else pods_template(kubernetes.pods, labels)
    )
    return with_secret_environment(user, context.secrets)


_PORT_KEYS = {
    "jobmanager": (
        ("rpc", "jobmanager.rpc.port"),
        ("blob-server", "blob.server.port"),
        (REST_PORT_NAME, "rest.port"),
    ),
    "taskmanager": (("rpc", "taskmanager.rpc.port"),),
}
"""The named container ports of each process and the Flink keys that set them;
the JobManager's are also the Service's, so a user's ``rest.port`` moves both."""


def _ports(configuration: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Container ports per component, from the effective configuration."""
    return {
        component: [
            {"name": name, "containerPort": _single_port(configuration, key)} for name, key in keys
        ]
        for component, keys in _PORT_KEYS.items()
    }


def _single_port(configuration: dict[str, str], key: str) -> int:
    value = configuration[key].strip()
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SpecValidationError.single(
            f"spec.template.spec.flinkConfiguration.{key}",
            f"{value!r} is not a single port; the standalone engine exposes fixed ports "
            "through its Service (e.g. 6123)",
        )
    return int(value)
