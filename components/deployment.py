"""The ``Deployment`` component: a VVP Deployment as Kubernetes objects.

Data flows one way: the user's spec, the target's patch set (core:
:func:`~pulumi_flink.effective_deployment`), the rendered manifests (core:
:func:`~pulumi_flink.render_manifests`), then pulumi-kubernetes resources,
children of the component. The offline ``pulumi-flink render`` calls the same
renderer, so it prints exactly what is deployed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_kubernetes as kubernetes

from pulumi_flink.components._kubernetes import kubernetes_resource
from pulumi_flink.components.readiness import with_readiness
from pulumi_flink.effective import effective_deployment_model
from pulumi_flink.errors import UnsupportedEngineError
from pulumi_flink.model import Deployment as DeploymentDocument
from pulumi_flink.model import deployment_document
from pulumi_flink.provider import DeploymentTarget, TargetReference
from pulumi_flink.render import ENGINES, render_effective_deployment
from pulumi_flink.render.naming import workload_name
from pulumi_flink.render.standalone import REST_PORT

TYPE_TOKEN = "pulumi-flink:index:Deployment"

LAYOUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "operator": (
        ("ServiceAccount", "service-account"),
        ("Role", "role"),
        ("RoleBinding", "role-binding"),
        ("FlinkDeployment", "flink-deployment"),
    ),
    "standalone": (
        ("ServiceAccount", "service-account"),
        ("Role", "role"),
        ("RoleBinding", "role-binding"),
        ("ConfigMap", "config"),
        ("Service", "jobmanager-service"),
        ("Deployment", "jobmanager"),
        ("Deployment", "taskmanager"),
    ),
}
"""What each engine renders, in apply order, with each child's name suffix."""

DEFAULT_READY_TIMEOUT_SECONDS = 600


def _target_document(
    name: str, namespace: str | None, patch_set: list[Any] | None
) -> dict[str, Any]:
    return {
        "metadata": {"name": name},
        "spec": {"kubernetes": {"namespace": namespace}, "deploymentPatchSet": patch_set or []},
    }


class Deployment(pulumi.ComponentResource):
    """A Flink job on a DeploymentTarget: workload plus RBAC, in the target namespace.

    Parameters
    ----------
    resource_name
        The Pulumi resource name; also the VVP name when ``spec`` has none.
    target
        The :class:`~pulumi_flink.DeploymentTarget` to run on.
    spec
        A VVP Deployment document or just its ``spec`` (dict or model);
        values may be Pulumi Outputs.
    engine
        ``"operator"`` (a FlinkDeployment) or ``"standalone"`` (plain
        JobManager/TaskManager Deployments).
    wait_for_ready
        Wait until the job is running (or suspended, as asked) before ``up``
        returns; ``False`` skips waiting.
    ready_timeout_seconds
        How long to wait before ``up`` fails.
    opts
        Pulumi resource options; ``provider``/``providers`` pick the
        Kubernetes cluster for the workload.

    Examples
    --------
    >>> orders = Deployment(  # doctest: +SKIP
    ...     "orders",
    ...     target=prod,
    ...     spec={"template": {"spec": {
    ...         "artifact": {"jarUri": "s3://jobs/orders.jar", "flinkVersion": "1.20"},
    ...         "parallelism": 4,
    ...     }}},
    ... )
    """

    namespace: pulumi.Output[str]
    """Kubernetes namespace of the workload."""
    effective_spec: pulumi.Output[dict[str, Any]]
    """The VVP Deployment document after defaults and the target's patch set."""
    service_account_name: pulumi.Output[str]
    """ServiceAccount the Flink pods run as."""
    workload_name: pulumi.Output[str]
    """Name of the FlinkDeployment, or prefix of the standalone objects."""
    rest_url: pulumi.Output[str]
    """In-cluster URL of the JobManager REST endpoint."""

    def __init__(
        self,
        resource_name: str,
        *,
        target: DeploymentTarget,
        spec: pulumi.Input[Mapping[str, Any]] | DeploymentDocument,
        engine: str = "operator",
        wait_for_ready: bool = True,
        ready_timeout_seconds: int = DEFAULT_READY_TIMEOUT_SECONDS,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        if engine not in ENGINES:
            raise UnsupportedEngineError(engine)
        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        document = pulumi.Output.from_input(
            spec.to_wire() if isinstance(spec, DeploymentDocument) else spec
        ).apply(lambda value: deployment_document(value, name=resource_name))
        # Computed once, from values known at preview even for a new target,
        # so a bad spec or patch set fails `preview`.
        effective = pulumi.Output.all(document, target.name, target.deployment_patch_set).apply(
            lambda args: effective_deployment_model(
                args[0], _target_document(args[1], None, args[2])
            )
        )
        self.effective_spec = effective.apply(lambda model: model.to_wire())
        deployment_name: pulumi.Output[str] = document.apply(lambda doc: doc["metadata"]["name"])
        self.namespace = target.kubernetes_namespace.apply(
            lambda given: given if given else target.namespace
        )
        self.workload_name = deployment_name.apply(workload_name)
        self.service_account_name = self.workload_name
        self.rest_url = pulumi.Output.all(self.workload_name, self.namespace).apply(
            lambda args: _rest_url(engine, args[0], args[1])
        )

        reference = TargetReference(
            f"{resource_name}-target-reference",
            target_id=target.target_id,
            target_name=target.name,
            deployment=deployment_name,
            namespace=self.namespace,
            owner=f"{pulumi.get_project()}/{pulumi.get_stack()}",
            cluster_id=self._workload_cluster_id(resource_name),
            opts=child,
        )
        manifests = pulumi.Output.all(effective, target.name, self.namespace).apply(
            lambda args: with_readiness(
                _rendered(args[0], args[1], args[2], engine),
                wait=wait_for_ready,
                timeout_seconds=ready_timeout_seconds,
            )
        )
        workload_opts = pulumi.ResourceOptions(parent=self, depends_on=[reference])
        for index, (kind, suffix) in enumerate(LAYOUTS[engine]):
            kubernetes_resource(kind, f"{resource_name}-{suffix}", manifests, index, workload_opts)

        self.register_outputs(
            {
                "namespace": self.namespace,
                "effective_spec": self.effective_spec,
                "service_account_name": self.service_account_name,
                "workload_name": self.workload_name,
                "rest_url": self.rest_url,
            }
        )

    def _workload_cluster_id(self, resource_name: str) -> pulumi.Output[str] | None:
        """The workload cluster's identity, read through the caller's Kubernetes provider.

        Without an explicit provider, the workloads and the target registry
        both use the ambient configuration (or the same stack keys), so they
        share a cluster by construction and nothing needs reading.
        """
        provider = self.get_provider("kubernetes:core/v1:Namespace")
        if provider is None:
            return None
        kube_system = kubernetes.core.v1.Namespace.get(
            f"{resource_name}-cluster-identity",
            "kube-system",
            opts=pulumi.ResourceOptions(parent=self, provider=provider),
        )
        return kube_system.metadata.apply(lambda metadata: metadata.uid or "")


def _rendered(
    effective: DeploymentDocument, target_name: str, namespace: str, engine: str
) -> list[dict[str, Any]]:
    manifests = render_effective_deployment(
        effective, target_name=target_name, namespace=namespace, engine=engine
    )
    kinds = tuple(manifest["kind"] for manifest in manifests)
    expected = tuple(kind for kind, _ in LAYOUTS[engine])
    if kinds != expected:
        raise RuntimeError(f"renderer produced {kinds}, the component expects {expected}")
    return manifests


def _rest_url(engine: str, name: str, namespace: str) -> str:
    # The operator names the REST Service `<name>-rest`; ours is `<name>-jobmanager`.
    service = f"{name}-rest" if engine == "operator" else f"{name}-jobmanager"
    return f"http://{service}.{namespace}.svc:{REST_PORT}"
