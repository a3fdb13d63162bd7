"""The Flink Kubernetes Operator's ``FlinkDeployment`` for one Deployment."""

from __future__ import annotations

from typing import Any

from pulumi_flink.artifacts import JobArtifacts
from pulumi_flink.memory import memory_for_flink
from pulumi_flink.model import ProcessResources
from pulumi_flink.model.versions import operator_flink_version
from pulumi_flink.render.actions import job_action_fields, spec_action_fields
from pulumi_flink.render.artifacts import (
    artifact_pod_template,
    plan_for,
    with_plan_configuration,
)
from pulumi_flink.render.configuration import flink_configuration, image
from pulumi_flink.render.context import RenderContext
from pulumi_flink.render.logging import LOG4J_CONSOLE, log4j_console_properties
from pulumi_flink.render.pods import merge_pod_templates, pods_template, vvp_pod_template
from pulumi_flink.strategy import job_state, upgrade_mode

FLINK_API_VERSION = "flink.apache.org/v1beta1"


def rest_service_name(workload: str) -> str:
    """Name of the REST Service the operator makes for the FlinkDeployment ``workload``."""
    return f"{workload}-rest"


def render_flink_deployment(context: RenderContext) -> dict[str, Any]:
    """Render the FlinkDeployment (application mode, native Kubernetes)."""
    spec = context.spec
    kubernetes = spec.kubernetes
    labels = context.selector_labels
    plan = plan_for(context, "operator")
    job_manager: dict[str, Any] = {"replicas": 1, "resource": _resource(spec.resources.jobmanager)}
    task_manager: dict[str, Any] = {"resource": _resource(spec.resources.taskmanager)}
    if spec.number_of_task_managers is not None:
        task_manager["replicas"] = spec.number_of_task_managers
    if kubernetes.job_manager_pod_template:
        job_manager["podTemplate"] = vvp_pod_template(kubernetes.job_manager_pod_template, labels)
    if kubernetes.task_manager_pod_template:
        task_manager["podTemplate"] = vvp_pod_template(kubernetes.task_manager_pod_template, labels)
    metadata = context.metadata(context.name, "flink")
    # Ours win: they record the full names that shortened names hide.
    metadata["annotations"] = {
        **context.deployment.spec.template.metadata.annotations,
        **metadata["annotations"],
    }
    return {
        "apiVersion": FLINK_API_VERSION,
        "kind": "FlinkDeployment",
        "metadata": metadata,
        "spec": {
            "image": image(context),
            "flinkVersion": operator_flink_version(spec.artifact.flink_version),
            "serviceAccount": context.name,
            "flinkConfiguration": with_plan_configuration(flink_configuration(context), plan),
            "podTemplate": merge_pod_templates(
                pods_template(kubernetes.pods, labels),
                artifact_pod_template(context, plan, image(context)),
            ),
            "jobManager": job_manager,
            "taskManager": task_manager,
            "job": _job(context, plan),
            "logConfiguration": {
                LOG4J_CONSOLE: log4j_console_properties(spec.logging.log4j_loggers)
            },
            **spec_action_fields(context.actions),
        },
    }


def _resource(resources: ProcessResources) -> dict[str, Any]:
    return {"cpu": resources.cpu, "memory": memory_for_flink(resources.memory)}


def _job(context: RenderContext, plan: JobArtifacts) -> dict[str, Any]:
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
