"""The Flink Kubernetes Operator's ``FlinkDeployment`` for one Deployment."""

from __future__ import annotations

from typing import Any

from pulumi_flink.artifacts import JobArtifacts, session_job_artifacts
from pulumi_flink.memory import memory_for_flink
from pulumi_flink.model import ProcessResources
from pulumi_flink.model.versions import operator_flink_version
from pulumi_flink.render.actions import job_action_fields, spec_action_fields
from pulumi_flink.render.artifacts import (
    artifact_pod_template,
    plan_for,
    with_plan_configuration,
)
from pulumi_flink.render.collisions import FLINK_NATIVE_POD_PARTS, check_pod_parts
from pulumi_flink.render.configuration import flink_configuration, image
from pulumi_flink.render.context import RenderContext
from pulumi_flink.render.logging import LOG4J_CONSOLE, log4j_console_properties
from pulumi_flink.render.pods import merge_pod_templates, pods_template, vvp_pod_template
from pulumi_flink.render.secrets import secret_pod_template, with_secret_environment
from pulumi_flink.strategy import job_state, upgrade_mode
from pulumi_flink.vvp_settings import rendered_annotations

FLINK_API_VERSION = "flink.apache.org/v1beta1"


def rest_service_name(workload: str) -> str:
    """Name of the REST Service the operator makes for the FlinkDeployment ``workload``."""
    return f"{workload}-rest"


def operator_pod_parts(context: RenderContext, plan: JobArtifacts | None) -> dict[str, Any]:
    """The pod parts of ours in every pod of the FlinkDeployment (``plan``: its job's).

    The secret environment and, with a job, what its artifacts need; the
    operator merges them with the user's pod settings, Flink adds its own
    (:data:`~pulumi_flink.render.collisions.FLINK_NATIVE_POD_PARTS`).
    """
    parts = secret_pod_template(context)
    if plan is None:
        return parts
    return merge_pod_templates(parts, artifact_pod_template(context, plan, image(context)))


def render_flink_deployment(context: RenderContext, *, with_job: bool = True) -> dict[str, Any]:
    """Render the FlinkDeployment (native Kubernetes).

    With ``with_job`` it runs the job in application mode; without, it is a
    session cluster: the operator's FlinkDeployment without ``job``.
    """
    spec = context.spec
    kubernetes = spec.kubernetes
    labels = context.selector_labels
    job_manager: dict[str, Any] = {"replicas": 1, "resource": _resource(spec.resources.jobmanager)}
    task_manager: dict[str, Any] = {"resource": _resource(spec.resources.taskmanager)}
    if spec.number_of_task_managers is not None:
        task_manager["replicas"] = spec.number_of_task_managers
    if kubernetes.job_manager_pod_template:
        job_manager["podTemplate"] = with_secret_environment(
            vvp_pod_template(kubernetes.job_manager_pod_template, labels), context.secrets
        )
    if kubernetes.task_manager_pod_template:
        task_manager["podTemplate"] = with_secret_environment(
            vvp_pod_template(kubernetes.task_manager_pod_template, labels), context.secrets
        )
    plan = plan_for(context, "operator") if with_job else None
    ours = operator_pod_parts(context, plan)
    check_pod_parts(
        merge_pod_templates(ours, FLINK_NATIVE_POD_PARTS), kubernetes, ("jobmanager", "taskmanager")
    )
    flink_spec: dict[str, Any] = {
        "image": image(context),
        "flinkVersion": operator_flink_version(spec.artifact.flink_version),
        "serviceAccount": context.name,
        "flinkConfiguration": flink_configuration(context),
        "podTemplate": merge_pod_templates(
            with_secret_environment(pods_template(kubernetes.pods, labels), context.secrets),
            ours,
        ),
        "jobManager": job_manager,
        "taskManager": task_manager,
    }
    if plan is not None:
        flink_spec["flinkConfiguration"] = with_plan_configuration(
            flink_spec["flinkConfiguration"], plan
        )
        flink_spec["job"] = render_job(context, plan)
    flink_spec["logConfiguration"] = {
        LOG4J_CONSOLE: log4j_console_properties(spec.logging.log4j_loggers)
    }
    flink_spec.update(spec_action_fields(context.actions))
    return {
        "apiVersion": FLINK_API_VERSION,
        "kind": "FlinkDeployment",
        "metadata": _annotated_metadata(context, "flink"),
        "spec": flink_spec,
    }


def render_flink_session_job(context: RenderContext, deployment_name: str) -> dict[str, Any]:
    """Render the FlinkSessionJob of a session-mode Deployment.

    ``deployment_name`` is the Kubernetes name of the session cluster's
    FlinkDeployment. The job's own ``flinkConfiguration`` is passed on: the
    operator submits it with the job.
    """
    job = render_job(context, session_job_artifacts(context.spec.artifact))
    spec: dict[str, Any] = {"deploymentName": deployment_name, "job": job}
    if context.spec.flink_configuration:
        spec["flinkConfiguration"] = dict(context.spec.flink_configuration)
    spec.update(spec_action_fields(context.actions))
    return {
        "apiVersion": FLINK_API_VERSION,
        "kind": "FlinkSessionJob",
        "metadata": _annotated_metadata(context, "session-job"),
        "spec": spec,
    }


def _annotated_metadata(context: RenderContext, component: str) -> dict[str, Any]:
    metadata = context.metadata(context.name, component)
    # Ours win: they record the full names that shortened names hide.
    metadata["annotations"] = {
        **rendered_annotations(context.deployment),
        **metadata["annotations"],
    }
    return metadata


def _resource(resources: ProcessResources) -> dict[str, Any]:
    return {"cpu": resources.cpu, "memory": memory_for_flink(resources.memory)}


def render_job(context: RenderContext, plan: JobArtifacts) -> dict[str, Any]:
    """The operator's ``job`` (FlinkDeployment and FlinkSessionJob share it).

    ``plan`` (:func:`~pulumi_flink.render.artifacts.plan_for`) says which jar,
    entry class and arguments run the artifact.
    """
    deployment_spec = context.deployment.spec
    job: dict[str, Any] = {}
    if plan.jar_uri:
        job["jarURI"] = plan.jar_uri
    if plan.entry_class:
        job["entryClass"] = plan.entry_class
    job.update(
        {
            "args": list(plan.args),
            "parallelism": context.spec.parallelism,
            "state": job_state(deployment_spec),
            "upgradeMode": upgrade_mode(deployment_spec),
            "allowNonRestoredState": deployment_spec.restore_strategy.allow_non_restored_state,
            **job_action_fields(context.actions),
        }
    )
    return job
