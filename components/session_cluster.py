"""The ``SessionCluster`` component: a VVP SessionCluster as Kubernetes objects.

The same one-way flow as a :class:`~pulumi_flink.Deployment`: the user's
spec, the target's patch set (core:
:func:`~pulumi_flink.effective.effective_session_cluster_model`), the
rendered manifests (core: :func:`~pulumi_flink.render.render_effective_session_cluster`),
then pulumi-kubernetes resources. What ``pulumi-flink render`` prints for a
SessionCluster document is what this creates.

Delete protection, both ways, with the registry's race-free claims:

- the cluster claims its target (a :class:`~pulumi_flink.provider.TargetBinding`
  of its own, ``<name>-target-binding``), so the target cannot be deleted
  while the cluster uses it, and the refusal names the cluster's binding;
- the cluster is recorded (:class:`~pulumi_flink.provider.SessionClusterRecord`),
  the session jobs of every stack claim that record, and the record is
  deleted before the cluster's objects: ``destroy`` is refused, with the
  owning stacks named, while any job runs in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property, partial
from typing import Any

import pulumi

from pulumi_flink._program import is_plain, lift
from pulumi_flink._secret_inputs import hide_spec_secrets, secret_values_secret
from pulumi_flink.components._arguments import require_flag, require_whole_number
from pulumi_flink.components._binding import claim
from pulumi_flink.components._kubernetes import kubernetes_resource
from pulumi_flink.components.readiness import with_session_readiness
from pulumi_flink.effective import effective_session_cluster_model
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.model import SessionCluster as SessionClusterDocument
from pulumi_flink.model import session_cluster_document
from pulumi_flink.provider import DeploymentTarget, SessionClusterRecord
from pulumi_flink.render import (
    render_effective_session_cluster,
    require_session_engine,
    rest_url,
    session_cluster_layout,
    workload_name,
)
from pulumi_flink.secrets import pulumi_secret_refs, secret_values_name, target_secret_values_name
from pulumi_flink.target import PreparedTarget
from pulumi_flink.validation import parse_session_cluster

TYPE_TOKEN = "pulumi-flink:index:SessionCluster"

DEFAULT_READY_TIMEOUT_SECONDS = 600


class SessionCluster(pulumi.ComponentResource):
    """A Flink session cluster on a DeploymentTarget: many jobs share it.

    Parameters
    ----------
    resource_name
        The Pulumi resource name; also the VVP name when ``spec`` has none.
    target
        The :class:`~pulumi_flink.DeploymentTarget` it runs on; the target's
        patch set applies to it (see the README's session mode section).
    spec
        A VVP SessionCluster document or just its ``spec`` (dict or model);
        values may be Pulumi Outputs, but ``state`` must be plain (it decides
        which objects exist).
    engine
        Only ``"operator"``: session mode needs the Flink operator.
    wait_for_ready
        Wait until the JobManager is ready before ``up`` returns.
    ready_timeout_seconds
        How long to wait before ``up`` fails.
    opts
        Pulumi resource options; ``provider``/``providers`` pick the
        Kubernetes cluster.

    Examples
    --------
    >>> shared = SessionCluster(  # doctest: +SKIP
    ...     "shared",
    ...     target=prod,
    ...     spec={"numberOfTaskManagers": 2,
    ...           "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "4"}},
    ... )
    >>> clicks = Deployment("clicks", session_cluster=shared, spec={...})  # doctest: +SKIP
    """

    def __init__(
        self,
        resource_name: str,
        *,
        target: DeploymentTarget,
        spec: pulumi.Input[Mapping[str, Any]] | SessionClusterDocument,
        engine: str = "operator",
        wait_for_ready: bool = True,
        ready_timeout_seconds: int = DEFAULT_READY_TIMEOUT_SECONDS,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        require_session_engine(engine)
        require_flag("wait_for_ready", wait_for_ready)
        require_whole_number("ready_timeout_seconds", ready_timeout_seconds, minimum=1)
        given = spec.to_wire() if isinstance(spec, SessionClusterDocument) else spec
        state = _plain_state(given)
        # Pulumi secrets become secret values, as in a Deployment (operator rules).
        given, hidden_secrets = hide_spec_secrets(given)
        prepared = target.prepared
        namespace = target.deployment_namespace
        effective = lift(
            partial(_effective, resource_name),
            given if is_plain(given) else pulumi.Output.from_input(given),
            prepared,
        )
        manifests = lift(
            partial(_manifests, wait=wait_for_ready, timeout=ready_timeout_seconds),
            effective,
            prepared,
            namespace,
        )

        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        self._effective = effective
        self._namespace = namespace
        self._target_name = lift(_target_name, prepared)
        self._workload_name = lift(_workload_name, effective)
        self._rest_url = lift(partial(rest_url, "operator"), self._workload_name, namespace)

        binding = claim(
            f"{resource_name}-target-binding",
            target,
            self.get_provider("kubernetes:core/v1:Namespace"),
            pulumi.ResourceOptions(parent=self),
        )
        workload_opts = pulumi.ResourceOptions(parent=self, depends_on=[binding])
        if hidden_secrets is not None:
            secret = secret_values_secret(
                f"{resource_name}-secret-values",
                lift(secret_values_name, self._workload_name),
                namespace,
                hidden_secrets,
                pulumi.ResourceOptions(parent=self, depends_on=[binding]),
            )
            workload_opts = pulumi.ResourceOptions(parent=self, depends_on=[binding, secret])
        workloads = [
            kubernetes_resource(
                entry, f"{resource_name}-{entry.suffix}", manifests, index, workload_opts
            )
            for index, entry in enumerate(session_cluster_layout(state))
        ]
        # Depending on the workloads, the record is deleted first: a destroy
        # is refused while any job runs in the cluster, before anything goes.
        self._record = SessionClusterRecord(
            f"{resource_name}-record",
            name=lift(_cluster_name, effective),
            namespace=namespace,
            document=lift(_wire, effective),
            opts=pulumi.ResourceOptions(parent=self, depends_on=workloads),
        )
        self.register_outputs(
            {
                "namespace": self._namespace,
                "workload_name": self._workload_name,
                "rest_url": self._rest_url,
            }
        )

    @staticmethod
    def get(
        resource_name: str, name: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> SessionClusterReference:
        """Look up a session cluster another stack owns, by its VVP name.

        Deployments of this stack can run in it (``Deployment(...,
        session_cluster=...)``); they are checked against its recorded
        document at preview, and claim it so that it cannot be deleted while
        they run.
        """
        return SessionClusterReference(resource_name, name, opts)

    @cached_property
    def namespace(self) -> pulumi.Output[str]:
        """Kubernetes namespace of the cluster (and of its jobs)."""
        return pulumi.Output.from_input(self._namespace)

    @cached_property
    def workload_name(self) -> pulumi.Output[str]:
        """Name of the session cluster's FlinkDeployment."""
        return pulumi.Output.from_input(self._workload_name)

    @cached_property
    def rest_url(self) -> pulumi.Output[str]:
        """In-cluster URL of the JobManager REST endpoint."""
        return pulumi.Output.from_input(self._rest_url)

    @cached_property
    def effective_spec(self) -> pulumi.Output[dict[str, Any]]:
        """The SessionCluster document after defaults and the target's patch set."""
        return pulumi.Output.from_input(lift(_wire, self._effective))

    @property
    def effective(self) -> SessionClusterDocument | pulumi.Output[SessionClusterDocument]:
        """The effective SessionCluster model: plain when the program's inputs were."""
        return self._effective

    @property
    def target_name(self) -> str | pulumi.Output[str]:
        """Name of the DeploymentTarget it runs on."""
        return self._target_name

    @property
    def deployment_namespace(self) -> str | pulumi.Output[str]:
        """The namespace its jobs run in: plain when known while the program runs."""
        return self._namespace

    @property
    def record_id(self) -> pulumi.Output[str]:
        """Id of the cluster's registry record, which its jobs claim."""
        return self._record.record_id


class SessionClusterReference(pulumi.ComponentResource):
    """A session cluster owned by another stack, read from the registry by name.

    Made by :meth:`SessionCluster.get`; it offers what a session-mode
    :class:`~pulumi_flink.Deployment` needs (the recorded effective document,
    namespace, record id), as Outputs.
    """

    def __init__(
        self, resource_name: str, name: pulumi.Input[str], opts: pulumi.ResourceOptions | None
    ) -> None:
        super().__init__(f"{TYPE_TOKEN}Reference", resource_name, None, opts)
        self._record = SessionClusterRecord(
            f"{resource_name}-record", opts=pulumi.ResourceOptions(parent=self, id=name)
        )
        self._effective = self._record.document.apply(parse_session_cluster)
        self.register_outputs({})

    @property
    def effective(self) -> pulumi.Output[SessionClusterDocument]:
        """The cluster's effective SessionCluster model, as recorded."""
        return self._effective

    @property
    def target_name(self) -> pulumi.Output[str]:
        """Name of the DeploymentTarget the cluster runs on."""
        return self._effective.apply(_recorded_target_name)

    @property
    def deployment_namespace(self) -> pulumi.Output[str]:
        """The cluster's namespace."""
        return self._record.namespace

    @property
    def record_id(self) -> pulumi.Output[str]:
        """Id of the cluster's registry record."""
        return self._record.record_id

    @cached_property
    def workload_name(self) -> pulumi.Output[str]:
        """Name of the session cluster's FlinkDeployment."""
        return self._effective.apply(_workload_name)

    @cached_property
    def rest_url(self) -> pulumi.Output[str]:
        """In-cluster URL of the JobManager REST endpoint."""
        return pulumi.Output.all(self.workload_name, self.deployment_namespace).apply(
            lambda values: rest_url("operator", values[0], values[1])
        )


def _plain_state(given: Any) -> str:
    """``spec.state`` of a SessionCluster document or spec, which must be plain."""
    if not isinstance(given, Mapping):
        return "RUNNING"
    spec = given.get("spec", given) if {"metadata", "kind", "spec"} & set(given) else given
    state = spec.get("state", "RUNNING") if isinstance(spec, Mapping) else "RUNNING"
    if not isinstance(state, str):
        raise SpecValidationError.single(
            "spec.state",
            "must be a plain RUNNING or STOPPED: it decides which objects the cluster has",
        )
    return state


def _effective(
    resource_name: str, spec: Mapping[str, Any], target: PreparedTarget
) -> SessionClusterDocument:
    document = session_cluster_document(spec, name=resource_name)
    return effective_session_cluster_model(document, target)


def _manifests(
    effective: SessionClusterDocument,
    target: PreparedTarget,
    namespace: str,
    *,
    wait: bool,
    timeout: int,
) -> list[dict[str, Any]]:
    manifests = render_effective_session_cluster(
        effective,
        target_name=target.name,
        namespace=namespace,
        secret_values=pulumi_secret_refs(
            effective.deployment_view(),
            secret_values_name(workload_name(effective.metadata.name)),
            target_secret_values_name(target.name),
        ),
    )
    return with_session_readiness(manifests, wait=wait, timeout_seconds=timeout)


def _target_name(target: PreparedTarget) -> str:
    return target.name


def _recorded_target_name(effective: SessionClusterDocument) -> str:
    return effective.spec.deployment_target_name or ""


def _cluster_name(effective: SessionClusterDocument) -> str:
    return effective.metadata.name


def _workload_name(effective: SessionClusterDocument) -> str:
    return workload_name(effective.metadata.name)


def _wire(effective: SessionClusterDocument) -> dict[str, Any]:
    return effective.to_wire()
