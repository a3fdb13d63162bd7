"""The ``Deployment`` component: a VVP Deployment as Kubernetes objects.

Data flows one way: the user's spec, the target's patch set (core:
:func:`~pulumi_flink.effective_deployment`), the rendered manifests (core:
:func:`~pulumi_flink.render_manifests`), then pulumi-kubernetes resources,
children of the component. The offline ``pulumi-flink render`` calls the same
renderer, so it prints exactly what is deployed.

Each step runs once. With plain inputs (a spec written in the program, a
target created in it) it runs while the program runs and the children get
plain arguments, as hand-written pulumi-kubernetes code would; where an
input is an Output (a target read with ``DeploymentTarget.get``, a spec
from another stack), the step waits for it inside one Output. The stack's
claim on the target is shared by all its Deployments on that target (see
:mod:`pulumi_flink.provider.target_binding`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property, partial
from typing import Any

import pulumi

from pulumi_flink._program import is_plain, lift
from pulumi_flink.components._binding import target_binding
from pulumi_flink.components._kubernetes import kubernetes_resource
from pulumi_flink.components.readiness import with_readiness
from pulumi_flink.effective import effective_deployment_model
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.model import Deployment as DeploymentDocument
from pulumi_flink.model import declared_artifact_kind, deployment_document
from pulumi_flink.provider import DeploymentTarget
from pulumi_flink.render import (
    deployment_layout,
    render_effective_deployment,
    require_engine,
    rest_url,
    workload_name,
)
from pulumi_flink.target import PreparedTarget

TYPE_TOKEN = "pulumi-flink:index:Deployment"

DEFAULT_READY_TIMEOUT_SECONDS = 600


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
        require_engine(engine)
        given = spec.to_wire() if isinstance(spec, DeploymentDocument) else spec
        prepared = target.prepared
        namespace = target.deployment_namespace

        # Computed once, from values known at preview even for a new target
        # (the namespace is not needed), so a bad spec or patch set fails
        # `preview`; with plain inputs it fails right here, before anything
        # is registered.
        effective = lift(
            partial(_effective, resource_name),
            given if is_plain(given) else pulumi.Output.from_input(given),
            prepared,
        )
        # The objects are made before the manifests are known, so their layout
        # (which depends on the artifact kind) must be known now.
        artifact_kind = (
            effective.spec.template.spec.artifact.kind
            if isinstance(effective, DeploymentDocument)
            else declared_artifact_kind(given)
        )
        manifests = lift(
            partial(
                _manifests,
                engine=engine,
                artifact_kind=artifact_kind,
                wait=wait_for_ready,
                timeout=ready_timeout_seconds,
            ),
            effective,
            prepared,
            namespace,
        )
        name = lift(_workload_name, effective)

        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        # Plain values (or Outputs) here; the Output attributes below are made
        # on first use, as wrapping a document in an Output costs a task per
        # nested value.
        self._effective = effective
        self._namespace = namespace
        self._workload_name = name
        self._rest_url = lift(partial(rest_url, engine), name, namespace)

        binding = target_binding(target, self.get_provider("kubernetes:core/v1:Namespace"))
        workload_opts = pulumi.ResourceOptions(parent=self, depends_on=[binding])
        for index, entry in enumerate(deployment_layout(engine, artifact_kind)):
            kubernetes_resource(
                entry, f"{resource_name}-{entry.suffix}", manifests, index, workload_opts
            )

        self.register_outputs(
            {
                "namespace": self._namespace,
                "service_account_name": self._workload_name,
                "workload_name": self._workload_name,
                "rest_url": self._rest_url,
            }
        )

    @cached_property
    def namespace(self) -> pulumi.Output[str]:
        """Kubernetes namespace of the workload."""
        return pulumi.Output.from_input(self._namespace)

    @cached_property
    def effective_spec(self) -> pulumi.Output[dict[str, Any]]:
        """The VVP Deployment document after defaults and the target's patch set."""
        return pulumi.Output.from_input(lift(_wire, self._effective))

    @cached_property
    def workload_name(self) -> pulumi.Output[str]:
        """Name of the FlinkDeployment, or prefix of the standalone objects."""
        return pulumi.Output.from_input(self._workload_name)

    @property
    def service_account_name(self) -> pulumi.Output[str]:
        """ServiceAccount the Flink pods run as (named like the workload)."""
        return self.workload_name

    @cached_property
    def rest_url(self) -> pulumi.Output[str]:
        """In-cluster URL of the JobManager REST endpoint."""
        return pulumi.Output.from_input(self._rest_url)


def _effective(
    resource_name: str, spec: Mapping[str, Any], target: PreparedTarget
) -> DeploymentDocument:
    return effective_deployment_model(deployment_document(spec, name=resource_name), target)


def _manifests(
    effective: DeploymentDocument,
    target: PreparedTarget,
    namespace: str,
    *,
    engine: str,
    artifact_kind: str,
    wait: bool,
    timeout: int,
) -> list[dict[str, Any]]:
    effective_kind = effective.spec.template.spec.artifact.kind
    if deployment_layout(engine, effective_kind) != deployment_layout(engine, artifact_kind):
        raise SpecValidationError.single(
            "spec.template.spec.artifact.kind",
            f"the Deployment turned out to be a {effective_kind} artifact, but its spec did "
            f"not say so while the program ran (assumed {artifact_kind}); write "
            f"artifact.kind: {effective_kind} as a plain value in the spec (other values "
            "may stay Outputs)",
        )
    manifests = render_effective_deployment(
        effective, target_name=target.name, namespace=namespace, engine=engine
    )
    return with_readiness(manifests, wait=wait, timeout_seconds=timeout)


def _workload_name(effective: DeploymentDocument) -> str:
    return workload_name(effective.metadata.name)


def _wire(effective: DeploymentDocument) -> dict[str, Any]:
    return effective.to_wire()
