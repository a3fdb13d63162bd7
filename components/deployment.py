"""The ``Deployment`` component: a VVP Deployment as Kubernetes objects.

Data flows one way: the user's spec, the target prepared once
(:attr:`DeploymentTarget.prepared <pulumi_flink.provider.DeploymentTarget.prepared>`)
and its patch set (core: :func:`~pulumi_flink.effective.effective_deployment_model`),
the rendered manifests (core: :func:`~pulumi_flink.render.render_effective_deployment`),
then pulumi-kubernetes resources, children of the component, one per entry
of the engine's :data:`~pulumi_flink.render.LAYOUTS`. The offline
``pulumi-flink render`` calls the same renderer, so it prints exactly what is
deployed.

Each step runs once. With plain inputs (a spec written in the program, a
target created in it) it runs while the program runs and the children get
plain arguments, as hand-written pulumi-kubernetes code would; where an
input is an Output (a target read with ``DeploymentTarget.get``, a spec
from another stack), the step waits for it inside one Output. The stack's
claim on the target is shared by all its Deployments on that target (see
:mod:`pulumi_flink.provider.target_binding`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

import pulumi

from pulumi_flink._program import is_plain, lift
from pulumi_flink._secret_inputs import hide_spec_secrets, secret_values_secret
from pulumi_flink.components._arguments import (
    require_flag,
    require_list,
    require_mapping,
    require_whole_number,
)
from pulumi_flink.components._binding import shared_claim, target_binding
from pulumi_flink.components._kubernetes import kubernetes_resource, metadata_field
from pulumi_flink.components.readiness import with_readiness, with_session_readiness
from pulumi_flink.effective import effective_deployment_model, effective_session_deployment_model
from pulumi_flink.errors import SpecValidationError, UnsupportedEngineError
from pulumi_flink.model import Deployment as DeploymentDocument
from pulumi_flink.model import DeploymentDefaults, declared_artifact_kind, deployment_document
from pulumi_flink.model import SessionCluster as SessionClusterDocument
from pulumi_flink.provider import (
    STANDALONE_JOB,
    DeploymentTarget,
    FlinkJob,
    RecordedSavepoint,
    StandaloneHaData,
)
from pulumi_flink.render import (
    SESSION_JOB_LAYOUT,
    JobActions,
    LayoutEntry,
    deployment_layout,
    ha_storage,
    job_graph_digest,
    main_container_args,
    render_effective_deployment,
    render_effective_session_job,
    require_engine,
    require_session_engine,
    rest_url,
    savepoint_args,
    with_main_container_args,
    with_restore,
    workload_name,
)
from pulumi_flink.secrets import (
    SecretKeyRef,
    environment_reference_warnings,
    pulumi_secret_refs,
    secret_values_name,
    target_secret_values_name,
)
from pulumi_flink.strategy import stop_savepoint_problem, upgrade_mode
from pulumi_flink.target import PreparedTarget
from pulumi_flink.validation import (
    DEFAULT_SESSION_JAR_SCHEMES,
    apply_deployment_defaults,
    parse_defaults,
)
from pulumi_flink.vvp_settings import vvp_setting_warnings

if TYPE_CHECKING:
    from pulumi_flink.components.savepoint import Savepoint
    from pulumi_flink.components.session_cluster import SessionCluster, SessionClusterReference

TYPE_TOKEN = "pulumi-flink:index:Deployment"

FLINK_DEPLOYMENT = "FlinkDeployment"
"""The workload kind of application mode (session mode: ``FlinkSessionJob``)."""

DEFAULT_READY_TIMEOUT_SECONDS = 600


class Deployment(pulumi.ComponentResource):
    """A Flink job on a DeploymentTarget (workload plus RBAC) or in a SessionCluster.

    Parameters
    ----------
    resource_name
        The Pulumi resource name; also the VVP name when ``spec`` has none.
    target
        The :class:`~pulumi_flink.DeploymentTarget` to run on (application mode).
    session_cluster
        Instead of ``target``: the :class:`~pulumi_flink.SessionCluster` (or
        one another stack owns, :meth:`~pulumi_flink.SessionCluster.get`) to
        run in, as a FlinkSessionJob in its namespace (session mode; see the
        README for what such a Deployment may contain). Exactly one of
        ``target`` and ``session_cluster``.
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
        How long to wait before ``up`` fails (it fails at once when the
        operator reports an error).
    restore_from
        A :class:`~pulumi_flink.Savepoint` or a savepoint path the job
        starts from; changing it redeploys the running job from the new
        savepoint (operator engine). Unset, a stateful Deployment starts from
        the savepoint recorded when a workload of its name was last deleted,
        if any.
    savepoint_on_delete
        For a stateful Deployment (upgrade strategy STATEFUL or NONE, not
        CANCELLED): before its workload is deleted or replaced, stop the job
        with a savepoint (operator engine: through the operator; standalone:
        through Flink's REST API) and record the path in the cluster; a
        failing savepoint fails the delete. ``False`` deletes without one
        (the state is lost).
    restart_nonce, savepoint_nonce, checkpoint_nonce
        One-shot actions (operator engine): change the number to restart the
        job, trigger a savepoint, or trigger a checkpoint.
    defaults
        VVP ``DeploymentDefaults`` / ``GlobalDeploymentDefaults`` documents
        (dicts or :class:`~pulumi_flink.model.DeploymentDefaults`), merged
        into the spec as VVP does at creation, before the target's patch set:
        global, then those of the Deployment's VVP namespace
        (``metadata.namespace``, unset meaning ``default``), then the spec's
        own values. Plain values only.
    secret_values
        VVP Secret Values, by the name ``${name}`` references in
        ``flinkConfiguration`` values use: a
        :class:`~pulumi_flink.secrets.SecretKeyRef` (a key of an existing
        Kubernetes Secret in the target namespace) or the value itself, best a
        Pulumi secret (``config.require_secret``): those go into one Secret,
        ``<workload>-secret-values``, made here. Only references are
        rendered; a key the engine cannot deliver safely fails ``preview``
        naming the key and the engine (see :mod:`pulumi_flink.secrets`).
    allowed_jar_schemes
        Session mode: the jar URI schemes your Flink operator fetches session
        jobs from (its ``kubernetes.operator.user.artifacts.allowed-schemes``;
        ``https`` by default).
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
        target: DeploymentTarget | None = None,
        session_cluster: SessionCluster | SessionClusterReference | None = None,
        spec: pulumi.Input[Mapping[str, Any]] | DeploymentDocument,
        engine: str = "operator",
        wait_for_ready: bool = True,
        ready_timeout_seconds: int = DEFAULT_READY_TIMEOUT_SECONDS,
        restore_from: Savepoint | pulumi.Input[str] | None = None,
        savepoint_on_delete: bool = True,
        restart_nonce: int | None = None,
        savepoint_nonce: int | None = None,
        checkpoint_nonce: int | None = None,
        defaults: Sequence[Mapping[str, Any] | DeploymentDefaults] = (),
        secret_values: Mapping[str, SecretKeyRef | pulumi.Input[str]] | None = None,
        allowed_jar_schemes: Sequence[str] = DEFAULT_SESSION_JAR_SCHEMES,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        require_engine(engine)
        require_flag("wait_for_ready", wait_for_ready)
        require_flag("savepoint_on_delete", savepoint_on_delete)
        require_whole_number("ready_timeout_seconds", ready_timeout_seconds, minimum=1)
        require_whole_number("restart_nonce", restart_nonce)
        require_whole_number("savepoint_nonce", savepoint_nonce)
        require_whole_number("checkpoint_nonce", checkpoint_nonce)
        require_list("defaults", defaults, (Mapping, DeploymentDefaults), "DeploymentDefaults")
        require_mapping("secret_values", secret_values)
        require_list("allowed_jar_schemes", allowed_jar_schemes, (str,), "URI schemes")
        if (target is None) == (session_cluster is None):
            raise SpecValidationError.single(
                "target", "give exactly one of target= (application mode) and session_cluster="
            )
        if restore_from is not None and engine != "operator":
            raise UnsupportedEngineError(engine, "restore_from")
        actions = JobActions(restart_nonce, savepoint_nonce, checkpoint_nonce)
        given = spec.to_wire() if isinstance(spec, DeploymentDocument) else spec
        if session_cluster is not None:
            if defaults or secret_values:
                raise UnsupportedEngineError(engine, "defaults= and secret_values= in session mode")
            if isinstance(spec, DeploymentDocument):
                # What the document gives, not what the model defaults: session
                # mode refuses cluster-level fields that are given.
                given = spec.model_dump(
                    mode="json", by_alias=True, exclude_unset=True, exclude_none=True
                )
            require_session_engine(engine)
            # Any Pulumi secret is refused when the job renders (naming its field).
            given, _ = hide_spec_secrets(given)
            # As in application mode: computed before anything is registered.
            session_effective = lift(
                partial(_effective_session_job, resource_name, tuple(allowed_jar_schemes)),
                given if is_plain(given) else pulumi.Output.from_input(given),
                session_cluster.effective,
            )
            session_manifests = lift(
                partial(
                    _session_manifests,
                    actions=actions,
                    wait=wait_for_ready,
                    timeout=ready_timeout_seconds,
                ),
                session_effective,
                session_cluster.effective,
                session_cluster.target_name,
                session_cluster.deployment_namespace,
            )
            session_keeps_state = lift(
                partial(_keeps_state, engine, savepoint_on_delete),
                session_effective,
                session_cluster.effective,
            )
            super().__init__(TYPE_TOKEN, resource_name, None, opts)
            self._init_session_job(
                resource_name,
                session_cluster,
                session_effective,
                session_manifests,
                _JobOptions(
                    kind="FlinkSessionJob",
                    deployment=lift(_deployment_name, session_effective),
                    wait=wait_for_ready,
                    timeout=ready_timeout_seconds,
                    keep_state=session_keeps_state,
                    savepoint_on_delete=savepoint_on_delete,
                ),
                restore_from,
            )
            return
        assert target is not None  # exactly one of the two
        given, hidden_secrets = hide_spec_secrets(given)
        prepared = target.prepared
        namespace = target.deployment_namespace

        # Computed once, from values known at preview even for a new target
        # (the namespace is not needed), so a bad spec or patch set fails
        # `preview`; with plain inputs it fails right here, before anything
        # is registered.
        effective = lift(
            partial(_effective, resource_name, tuple(parse_defaults(d) for d in defaults)),
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
        given_secrets: dict[str, SecretKeyRef | pulumi.Input[str]] = dict(secret_values or {})
        manifests = lift(
            partial(
                _manifests,
                secret_values=given_secrets,
                engine=engine,
                artifact_kind=artifact_kind,
                actions=actions,
                wait=wait_for_ready,
                timeout=ready_timeout_seconds,
            ),
            effective,
            prepared,
            namespace,
        )
        name = lift(_workload_name, effective)
        keep_state = lift(partial(_keeps_state, engine, savepoint_on_delete), effective, None)

        super().__init__(TYPE_TOKEN, resource_name, None, opts)
        # Plain values (or Outputs) here; the Output attributes below are made
        # on first use, as wrapping a document in an Output costs a task per
        # nested value.
        self._effective = effective
        self._namespace = namespace
        self._workload_name = name
        self._rest_url = lift(partial(rest_url, engine), name, namespace)
        lift(partial(_warn, self, given_secrets), effective)

        binding = target_binding(target, self.get_provider("kubernetes:core/v1:Namespace"))
        workload_opts = pulumi.ResourceOptions(parent=self, depends_on=[binding])
        owned = {k: v for k, v in given_secrets.items() if not isinstance(v, SecretKeyRef)}
        if owned or hidden_secrets is not None:
            # The spec's own Pulumi secrets (hidden_secrets) beside the values given.
            string_data = pulumi.Output.all(owned, hidden_secrets or {}).apply(
                lambda parts: {**parts[1], **parts[0]}
            )
            secret = secret_values_secret(
                f"{resource_name}-secret-values",
                lift(secret_values_name, name),
                namespace,
                string_data,
                workload_opts,
            )
            workload_opts = pulumi.ResourceOptions(parent=self, depends_on=[binding, secret])
        layout = deployment_layout(engine, artifact_kind)
        job = _JobOptions(
            kind=FLINK_DEPLOYMENT,
            deployment=lift(_deployment_name, effective),
            wait=wait_for_ready,
            timeout=ready_timeout_seconds,
            keep_state=keep_state,
            savepoint_on_delete=savepoint_on_delete,
        )
        if engine != "operator":
            job = dataclasses.replace(job, kind=STANDALONE_JOB, wait=False)
        # Read before the restore makes the workload's job wait for a path.
        job_state = lift(partial(_job_state, job.kind), manifests) if engine == "operator" else ""
        jobmanager_opts = workload_opts
        if engine != "operator":
            # Before the JobManager rolls: its HA data must not bring back a
            # stale job graph or a cancelled job's state. (Its digest is of the
            # template before the restore: a recorded savepoint only counts
            # on a first start.)
            ha_data = _standalone_ha_data(
                resource_name,
                manifests,
                layout,
                namespace=namespace,
                workload=name,
                upgrade=lift(_upgrade_mode, effective),
                timeout=ready_timeout_seconds,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[binding]),
            )
            jobmanager_opts = pulumi.ResourceOptions.merge(
                workload_opts, pulumi.ResourceOptions(depends_on=[ha_data])
            )
        manifests = self._starting_point(resource_name, job, layout, manifests, restore_from)
        workloads = [
            kubernetes_resource(
                entry,
                f"{resource_name}-{entry.suffix}",
                manifests,
                index,
                jobmanager_opts if entry.suffix == JOBMANAGER_SUFFIX else workload_opts,
            )
            for index, entry in enumerate(layout)
        ]
        self._flink_job(resource_name, job, layout, workloads, job_state)
        self.register_outputs(
            {
                "namespace": self._namespace,
                "service_account_name": self._workload_name,
                "workload_name": self._workload_name,
                "rest_url": self._rest_url,
                "restore_path": self._restore_path,
            }
        )

    def _init_session_job(
        self,
        resource_name: str,
        cluster: SessionCluster | SessionClusterReference,
        effective: DeploymentDocument | pulumi.Output[DeploymentDocument],
        manifests: list[dict[str, Any]] | pulumi.Output[list[dict[str, Any]]],
        job: _JobOptions,
        restore_from: Savepoint | pulumi.Input[str] | None,
    ) -> None:
        """Session mode: the FlinkSessionJob in ``cluster``, claiming its record."""
        namespace = cluster.deployment_namespace
        self._effective = effective
        self._namespace = namespace
        self._workload_name = lift(_workload_name, effective)
        self._rest_url = cluster.rest_url
        binding = shared_claim(
            cluster,
            cluster.record_id,
            lift(_cluster_name, cluster.effective),
            namespace,
            self.get_provider("kubernetes:core/v1:Namespace"),
        )
        workload_opts = pulumi.ResourceOptions(parent=self, depends_on=[binding])
        job_state = lift(partial(_job_state, job.kind), manifests)
        manifests = self._starting_point(
            resource_name, job, SESSION_JOB_LAYOUT, manifests, restore_from
        )
        workloads = [
            kubernetes_resource(
                entry, f"{resource_name}-{entry.suffix}", manifests, index, workload_opts
            )
            for index, entry in enumerate(SESSION_JOB_LAYOUT)
        ]
        self._flink_job(resource_name, job, SESSION_JOB_LAYOUT, workloads, job_state)
        self.register_outputs(
            {
                "namespace": self._namespace,
                "service_account_name": cluster.workload_name,
                "workload_name": self._workload_name,
                "rest_url": self._rest_url,
                "restore_path": self._restore_path,
            }
        )

    def _starting_point(
        self,
        resource_name: str,
        job: _JobOptions,
        layout: Sequence[LayoutEntry],
        manifests: Any,
        restore_from: Savepoint | pulumi.Input[str] | None,
    ) -> Any:
        """The manifests with the job starting from ``restore_from`` or the recorded savepoint.

        Sets ``self._restore_path``. Without ``restore_from``, a stateful job
        reads its workload's savepoint record through a ``RecordedSavepoint``
        made before the workload, which also hands the state over when the
        workload moves (see :mod:`pulumi_flink.provider.recorded_savepoint`).
        """
        # A Savepoint (imported only for typing: it imports this module) or a path.
        chosen = getattr(restore_from, "path", restore_from)
        recorded: pulumi.Input[str] | None = None
        if chosen is None and job.keep_state is not False:
            recorded = RecordedSavepoint(
                f"{resource_name}-recorded-savepoint",
                namespace=self._namespace,
                workload=self._workload_name,
                deployment=job.deployment,
                timeout_seconds=job.timeout,
                kind=job.named_kind,
                opts=pulumi.ResourceOptions(parent=self),
            ).path
        seed = lift(_seed, recorded, job.keep_state)
        self._restore_path = lift(_restore_path, chosen, seed)
        return _restored(manifests, layout, job.kind, chosen, seed)

    def _flink_job(
        self,
        resource_name: str,
        job: _JobOptions,
        layout: Sequence[LayoutEntry],
        workloads: Sequence[pulumi.Resource],
        job_state: pulumi.Input[str],
    ) -> None:
        """The ``FlinkJob`` that waits for the workload and keeps its state on delete."""
        # Decided on the options, not on the spec: a FlinkJob that left the
        # program when its job became stateless (e.g. CANCELLED) would be
        # deleted with its old inputs, and stop the job with a savepoint.
        if not job.wait and not job.savepoint_on_delete:
            return
        (workload,) = [
            resource
            for resource, entry in zip(workloads, layout, strict=True)
            if entry.kind == job.kind
            or (job.kind == STANDALONE_JOB and entry.suffix == JOBMANAGER_SUFFIX)
        ]
        # A standalone job is stopped through its Service, and needs its
        # TaskManagers to take the savepoint: it goes before all of them.
        dependencies = list(workloads) if job.kind == STANDALONE_JOB else [workload]
        metadata = workload.metadata  # type: ignore[attr-defined]
        FlinkJob(
            f"{resource_name}-job",
            namespace=self._namespace,
            workload=self._workload_name,
            uid=metadata.apply(partial(metadata_field, "uid")),
            generation=metadata.apply(partial(metadata_field, "generation")),
            deployment=job.deployment,
            job_state=job_state,
            wait=job.wait,
            timeout_seconds=job.timeout,
            keep_state=job.keep_state,
            kind=job.named_kind,
            opts=pulumi.ResourceOptions(parent=self, depends_on=dependencies),
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

    @cached_property
    def restore_path(self) -> pulumi.Output[str]:
        """The savepoint the job (first) started from: ``restore_from`` or the record; or ``""``."""
        return pulumi.Output.from_input(self._restore_path)


JOBMANAGER_SUFFIX = "jobmanager"
"""The layout entry of the standalone JobManager Deployment."""
CONFIG_SUFFIX = "config"
"""The layout entry of the standalone Flink configuration ConfigMap."""


def _standalone_ha_data(
    resource_name: str,
    manifests: list[dict[str, Any]] | pulumi.Output[list[dict[str, Any]]],
    layout: Sequence[LayoutEntry],
    *,
    namespace: pulumi.Input[str],
    workload: pulumi.Input[str],
    upgrade: pulumi.Input[str],
    timeout: int,
    opts: pulumi.ResourceOptions,
) -> StandaloneHaData:
    """The standalone JobManager's HA data reset, fed from its rendered Deployment."""
    suffixes = [entry.suffix for entry in layout]
    index, config = suffixes.index(JOBMANAGER_SUFFIX), suffixes.index(CONFIG_SUFFIX)
    jobmanager = lift(lambda rendered: rendered[index], manifests)
    return StandaloneHaData(
        f"{resource_name}-ha-data",
        namespace=namespace,
        workload=workload,
        jobmanager=lift(lambda deployment: deployment["metadata"]["name"], jobmanager),
        selector=lift(lambda deployment: deployment["spec"]["selector"]["matchLabels"], jobmanager),
        job_graph=lift(job_graph_digest, jobmanager),
        upgrade_mode=upgrade,
        timeout_seconds=timeout,
        ha_storage=lift(lambda rendered: ha_storage(rendered[config]), manifests),
        opts=opts,
    )


def _upgrade_mode(effective: DeploymentDocument) -> str:
    return upgrade_mode(effective.spec)


def _effective(
    resource_name: str,
    defaults: Sequence[DeploymentDefaults],
    spec: Mapping[str, Any],
    target: PreparedTarget,
) -> DeploymentDocument:
    document = deployment_document(spec, name=resource_name)
    if defaults:
        return effective_deployment_model(apply_deployment_defaults(document, defaults), target)
    return effective_deployment_model(document, target)


def _secret_refs(
    effective: DeploymentDocument, target: PreparedTarget, given: Mapping[str, object]
) -> dict[str, SecretKeyRef]:
    """The Secret key behind each secret value: given ones, and the Pulumi secrets' references."""
    owned = secret_values_name(workload_name(effective.metadata.name))
    return {
        **pulumi_secret_refs(effective, owned, target_secret_values_name(target.name)),
        **{
            name: value if isinstance(value, SecretKeyRef) else SecretKeyRef(owned, name)
            for name, value in given.items()
        },
    }


def _warn(
    resource: pulumi.Resource,
    secret_values: Mapping[str, object],
    effective: DeploymentDocument,
) -> None:
    """Log what the Deployment carries over otherwise than written (VVP-only settings)."""
    warnings = [
        *vvp_setting_warnings(effective),
        *environment_reference_warnings(effective, secret_values),
    ]
    for warning in warnings:
        pulumi.log.warn(f"{warning.field}: {warning.reason}", resource=resource)


def _manifests(
    effective: DeploymentDocument,
    target: PreparedTarget,
    namespace: str,
    *,
    secret_values: Mapping[str, object],
    engine: str,
    artifact_kind: str,
    actions: JobActions,
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
        effective,
        target_name=target.name,
        namespace=namespace,
        engine=engine,
        actions=actions,
        secret_values=_secret_refs(effective, target, secret_values),
    )
    return with_readiness(manifests, wait=wait, timeout_seconds=timeout)


def _effective_session_job(
    resource_name: str,
    allowed_jar_schemes: tuple[str, ...],
    spec: Mapping[str, Any],
    cluster: SessionClusterDocument,
) -> DeploymentDocument:
    return effective_session_deployment_model(
        deployment_document(spec, name=resource_name),
        cluster,
        allowed_jar_schemes=allowed_jar_schemes,
    )


def _session_manifests(
    effective: DeploymentDocument,
    cluster: SessionClusterDocument,
    target_name: str,
    namespace: str,
    *,
    actions: JobActions,
    wait: bool,
    timeout: int,
) -> list[dict[str, Any]]:
    manifests = render_effective_session_job(
        effective, cluster, target_name=target_name, namespace=namespace, actions=actions
    )
    return with_session_readiness(manifests, wait=wait, timeout_seconds=timeout)


def _cluster_name(cluster: SessionClusterDocument) -> str:
    return cluster.metadata.name


@dataclass(frozen=True)
class _JobOptions:
    """What the job's ``RecordedSavepoint`` and ``FlinkJob`` are made with (one per Deployment)."""

    kind: str
    deployment: pulumi.Input[str]
    wait: bool
    timeout: int
    keep_state: pulumi.Input[bool]
    savepoint_on_delete: bool

    @property
    def named_kind(self) -> str | None:
        """The ``kind`` input of the job's resources: only a session job names it.

        Application-mode resources already in state have none, so they see no change.
        """
        return None if self.kind == FLINK_DEPLOYMENT else self.kind


def _keeps_state(
    engine: str,
    savepoint_on_delete: bool,
    effective: DeploymentDocument,
    cluster: SessionClusterDocument | None,
) -> bool:
    # CANCELLED and STATELESS map to the stateless upgrade mode: nothing to keep.
    if not savepoint_on_delete:
        return False
    # A session job's savepoints go where its cluster's configuration, merged
    # with its own, says.
    configuration = {
        **(cluster.spec.flink_configuration if cluster is not None else {}),
        **effective.spec.template.spec.flink_configuration,
    }
    problem = stop_savepoint_problem(effective.spec, configuration)
    if problem:
        raise SpecValidationError.single("spec.template.spec.flinkConfiguration", problem)
    return upgrade_mode(effective.spec) != "stateless"


def _seed(recorded: str | None, keep_state: bool) -> str | None:
    # A recorded savepoint only seeds a Deployment that keeps its state.
    return recorded if keep_state and recorded else None


def _restore_path(chosen: str | None, seed: str | None) -> str:
    return chosen or seed or ""


def _restored(
    manifests: Any, layout: Sequence[LayoutEntry], kind: str, chosen: Any, seed: Any
) -> Any:
    """The manifests with the job's workload (``kind``) starting from ``chosen`` or ``seed``.

    Only the workload's ``spec.job`` (standalone: the JobManager Deployment)
    waits for a path that is an Output (a Savepoint's, or the record), so the
    other objects and fields keep plain arguments and ``preview --diff``
    shows them.
    """
    if kind == STANDALONE_JOB:
        index = [entry.suffix for entry in layout].index(JOBMANAGER_SUFFIX)
    else:
        index = [entry.kind for entry in layout].index(kind)

    def restored(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
        manifest = rendered[index]
        if kind == STANDALONE_JOB:
            # The seed only: restore_from is refused for the standalone engine.
            args = lift(partial(savepoint_args, main_container_args(manifest)), seed)
            started = with_main_container_args(manifest, args)
        else:
            spec = manifest["spec"]
            job = lift(partial(_job_from, spec), chosen, seed)
            started = {**manifest, "spec": {**spec, "job": job}}
        return [*rendered[:index], started, *rendered[index + 1 :]]

    return lift(restored, manifests)


def _job_from(spec: dict[str, Any], chosen: str | None, seed: str | None) -> dict[str, Any]:
    job: dict[str, Any] = with_restore(spec, restore_from=chosen, recorded=seed)["job"]
    return job


def _job_state(kind: str, manifests: list[dict[str, Any]]) -> str:
    (workload,) = [m for m in manifests if m["kind"] == kind]
    return str(workload["spec"]["job"]["state"])


def _deployment_name(effective: DeploymentDocument) -> str:
    return effective.metadata.name


def _workload_name(effective: DeploymentDocument) -> str:
    return workload_name(effective.metadata.name)


def _wire(effective: DeploymentDocument) -> dict[str, Any]:
    return effective.to_wire()
