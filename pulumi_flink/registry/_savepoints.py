"""Savepoint records: where a Deployment's state went when its job was stopped for good.

When a stateful Deployment's workload is deleted (``pulumi destroy``, a
replace, removing it from the program), the job is first stopped with a
savepoint and the savepoint's path is recorded here, one record per
workload (Kubernetes namespace and FlinkDeployment name): a mutable
ConfigMap ``savepoint.<namespace>.<name>`` in the registry namespace,
labelled ``pulumi-flink.dev/record=savepoint``. A Deployment created again
with the same name in the same namespace starts from it.

The record outlives the stack that wrote it on purpose: it is how the next
stack (or the same one after ``destroy``) finds the state. Find them with::

    kubectl get configmaps -n pulumi-flink -l pulumi-flink.dev/record=savepoint -o yaml

and delete one to make the next Deployment of that name start empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from lightkube import ApiError, Client
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap

from pulumi_flink.registry._kube import NOT_FOUND, ensure_namespace, status_code
from pulumi_flink.render.labels import savepoint_record_labels

_FIELD_MANAGER = "pulumi-flink"


@dataclass(frozen=True)
class SavepointRecord:
    """The savepoint a workload's job was stopped with."""

    namespace: str
    """Kubernetes namespace of the workload."""
    workload: str
    """Name of the FlinkDeployment."""
    deployment: str
    """The VVP Deployment name."""
    path: str
    """The savepoint's path, as Flink reports it."""
    recorded_at: str
    """When it was recorded (RFC 3339)."""

    def to_data(self) -> dict[str, str]:
        """The record as ConfigMap data."""
        return {
            "namespace": self.namespace,
            "workload": self.workload,
            "deployment": self.deployment,
            "path": self.path,
            "recordedAt": self.recorded_at,
        }


def savepoint_record_name(namespace: str, workload: str) -> str:
    """Name of the ConfigMap recording ``workload``'s savepoint.

    >>> savepoint_record_name("jobs", "orders")
    'savepoint.jobs.orders'
    """
    return f"savepoint.{namespace}.{workload}"


def record_savepoint(client: Client, registry_namespace: str, record: SavepointRecord) -> None:
    """Write (or overwrite) the record of ``record.workload``'s savepoint."""
    ensure_namespace(client, registry_namespace)
    config_map = ConfigMap(
        metadata=ObjectMeta(
            name=savepoint_record_name(record.namespace, record.workload),
            namespace=registry_namespace,
            labels=savepoint_record_labels(record.namespace, record.workload, record.deployment),
        ),
        data=record.to_data(),
    )
    client.apply(config_map, field_manager=_FIELD_MANAGER, force=True)


def recorded_savepoint(
    client: Client, registry_namespace: str, namespace: str, workload: str
) -> SavepointRecord | None:
    """The recorded savepoint of ``workload`` in ``namespace``, if there is one."""
    try:
        config_map = client.get(
            ConfigMap, savepoint_record_name(namespace, workload), namespace=registry_namespace
        )
    except ApiError as error:
        if status_code(error) == NOT_FOUND:
            return None
        raise
    data = config_map.data or {}
    if not data.get("path"):
        return None
    return SavepointRecord(
        namespace=namespace,
        workload=workload,
        deployment=data.get("deployment", workload),
        path=data["path"],
        recorded_at=data.get("recordedAt", ""),
    )
