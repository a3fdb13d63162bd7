"""An export checked as a whole: every Deployment and SessionCluster placed on its target.

Session-mode Deployments are placed in their SessionCluster (and so on its
target).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from pulumi_flink.blob_storage import checked_blob_storage
from pulumi_flink.effective import (
    effective_deployment_model,
    effective_session_cluster_model,
    effective_session_deployment_model,
    session_deployment_wire,
)
from pulumi_flink.errors import FieldProblem, PulumiFlinkError
from pulumi_flink.model import Deployment, DeploymentTarget, Savepoint, SessionCluster
from pulumi_flink.model.secret_value import DEFAULT_SECRET_VALUES_SECRET, SecretValue
from pulumi_flink.render import (
    render_effective_deployment,
    render_effective_session_cluster,
    render_effective_session_job,
    render_savepoint_snapshot,
    workload_name,
)
from pulumi_flink.render.naming import savepoint_snapshot_name
from pulumi_flink.secrets import SecretKeyRef, environment_reference_warnings
from pulumi_flink.strategy import (
    CHECKPOINTS_DIR,
    SAVEPOINTS_DIR,
    required_state_directories,
    upgrade_mode,
)
from pulumi_flink.target import PreparedTarget, prepare_target
from pulumi_flink.validation import DEFAULT_SESSION_JAR_SCHEMES, parse_model
from pulumi_flink.vvp._defaults import with_defaults_applied
from pulumi_flink.vvp._documents import (
    AnyVvpDocument,
    DocumentProblem,
    DocumentSource,
    ResourceModel,
    VvpDocument,
    problems_of_error,
    subject_of,
)
from pulumi_flink.vvp._reading import ReadBudget, read_all
from pulumi_flink.vvp_settings import HA_STORAGE_DIR, vvp_setting_warnings


@dataclass(frozen=True)
class PlacedSessionCluster:
    """A SessionCluster, the DeploymentTarget it names, and what it becomes there.

    Attributes
    ----------
    cluster, target
        The two documents.
    prepared_target
        The target, prepared once.
    effective
        The SessionCluster after defaults, the target's patch set and
        validation (:func:`~pulumi_flink.effective.effective_session_cluster_model`).
    """

    cluster: VvpDocument[SessionCluster]
    target: VvpDocument[DeploymentTarget]
    prepared_target: PreparedTarget
    effective: SessionCluster

    @property
    def name(self) -> str:
        """The SessionCluster's name."""
        return self.cluster.name

    @property
    def effective_document(self) -> dict[str, Any]:
        """The effective SessionCluster document."""
        return self.effective.to_wire()

    def render_manifests(
        self,
        *,
        engine: str = "operator",
        default_namespace: str = "default",
        secret_values: Mapping[str, SecretKeyRef] | None = None,
    ) -> list[dict[str, Any]]:
        """The Kubernetes objects, exactly as the ``SessionCluster`` component creates them.

        See :func:`~pulumi_flink.manifests.render_session_cluster_manifests`.
        """
        return render_effective_session_cluster(
            self.effective,
            target_name=self.prepared_target.name,
            namespace=self.prepared_target.namespace_or(default_namespace),
            engine=engine,
            secret_values=secret_values,
        )


@dataclass(frozen=True)
class PlacedDeployment:
    """A Deployment, where it runs, and what it becomes there.

    Attributes
    ----------
    deployment, target
        The Deployment and the DeploymentTarget it runs on (in session mode,
        its session cluster's target).
    prepared_target
        The target, prepared once for all its Deployments.
    effective
        The Deployment after defaults, the target's patch set and validation
        (:func:`~pulumi_flink.effective.effective_deployment_model`), or, in
        session mode, after defaults and the rules of its session cluster
        (:func:`~pulumi_flink.effective.effective_session_deployment_model`).
    session_cluster
        The SessionCluster it runs in; ``None`` in application mode.
    savepoints
        Its completed VVP Savepoints among the files (``metadata.deploymentId``
        is the Deployment's ``metadata.id``), oldest first: the last one is
        where a migrated job would start from.
    """

    deployment: VvpDocument[Deployment]
    target: VvpDocument[DeploymentTarget]
    prepared_target: PreparedTarget
    effective: Deployment
    session_cluster: PlacedSessionCluster | None = None
    savepoints: tuple[VvpDocument[Savepoint], ...] = ()
    warnings: tuple[FieldProblem, ...] = ()
    """How the Deployment runs otherwise than written (a stateless fallback)."""

    @property
    def latest_savepoint(self) -> str | None:
        """The location of its most recent completed Savepoint, if any."""
        return self.savepoints[-1].model.spec.savepoint_location if self.savepoints else None

    @property
    def name(self) -> str:
        """The Deployment's name."""
        return self.deployment.name

    @property
    def effective_document(self) -> dict[str, Any]:
        """The effective Deployment document (in session mode without cluster-level fields)."""
        if self.session_cluster is not None:
            return session_deployment_wire(self.effective)
        return self.effective.to_wire()

    def render_manifests(
        self,
        *,
        engine: str = "operator",
        default_namespace: str = "default",
        secret_values: Mapping[str, SecretKeyRef] | None = None,
    ) -> list[dict[str, Any]]:
        """The Kubernetes objects, exactly as the ``Deployment`` component creates them.

        See :func:`~pulumi_flink.render_manifests` for the parameters.
        """
        if self.session_cluster is not None:
            return render_effective_session_job(
                self.effective,
                self.session_cluster.effective,
                target_name=self.prepared_target.name,
                namespace=self.prepared_target.namespace_or(default_namespace),
                engine=engine,
            )
        return render_effective_deployment(
            self.effective,
            target_name=self.prepared_target.name,
            namespace=self.prepared_target.namespace_or(default_namespace),
            engine=engine,
            secret_values=secret_values,
        )

    def render_savepoints(self, *, default_namespace: str = "default") -> list[dict[str, Any]]:
        """Its Savepoints as FlinkStateSnapshots that adopt them (``alreadyExists``).

        Each is named by :func:`~pulumi_flink.render.naming.savepoint_snapshot_name`
        and kept on delete (``disposeOnDelete: false``).
        """
        namespace = self.prepared_target.namespace_or(default_namespace)
        workload = workload_name(self.effective.metadata.name)
        return [
            render_savepoint_snapshot(
                savepoint_snapshot_name(workload, savepoint.name),
                namespace,
                path=savepoint.model.spec.savepoint_location,
            )
            for savepoint in self.savepoints
        ]


@dataclass(frozen=True)
class VvpExport:
    """VVP documents read together, with every Deployment placed and checked.

    Attributes
    ----------
    documents
        Every document that parsed, in the order read.
    placements
        Every Deployment that is valid where it runs, in order.
    problems
        Everything wrong, ordered by source, file and document.
    session_clusters
        Every SessionCluster that is valid on its DeploymentTarget, in order.
    warnings
        What is valid but not carried over as written: documents skipped
        (VVP kinds we do not deploy, Kubernetes objects) or unwrapped from a
        custom resource, VVP-only settings translated or dropped
        (:func:`~pulumi_flink.vvp_settings.vvp_setting_warnings`), kinds
        inferred from a document's shape; in the same order.
    """

    documents: tuple[AnyVvpDocument, ...]
    placements: tuple[PlacedDeployment, ...]
    problems: tuple[DocumentProblem, ...]
    session_clusters: tuple[PlacedSessionCluster, ...] = ()
    warnings: tuple[DocumentProblem, ...] = ()
    blob_storage: str | None = None
    """The blob storage base URI the targets were prepared with: the one given, else
    the one of VVP's Helm values among the sources; pass it on to the targets a
    program creates (``DeploymentTarget(blob_storage=...)``)."""

    @property
    def targets(self) -> tuple[VvpDocument[DeploymentTarget], ...]:
        """The DeploymentTarget documents, in order."""
        return tuple(_of_kind(self.documents, DeploymentTarget))

    @property
    def savepoints(self) -> tuple[VvpDocument[Savepoint], ...]:
        """The Savepoint documents, in order."""
        return tuple(_of_kind(self.documents, Savepoint))

    @property
    def secret_values(self) -> dict[str, SecretKeyRef]:
        """The export's VVP SecretValues, by name: Kubernetes Secret keys.

        Each is the key ``<name>`` of the Secret
        :data:`~pulumi_flink.model.secret_value.DEFAULT_SECRET_VALUES_SECRET`.
        """
        return {
            document.name: SecretKeyRef(DEFAULT_SECRET_VALUES_SECRET, document.name)
            for document in _of_kind(self.documents, SecretValue)
        }


def read_vvp_export(
    sources: Sequence[str | Path],
    *,
    kind: str | None = None,
    allowed_jar_schemes: Collection[str] = DEFAULT_SESSION_JAR_SCHEMES,
    blob_storage: str | None = None,
) -> VvpExport:
    """Read VVP exports and check them together; problems are collected, not raised.

    Each Deployment and SessionCluster is placed on the DeploymentTarget it
    names (``spec.deploymentTargetName``, else ``spec.deploymentTargetId``
    matched against the targets' ``metadata.id``), which must be among the
    sources, and validated as :func:`~pulumi_flink.effective_deployment` sees
    it: after the target's patch set. A Deployment in session mode is placed
    in the SessionCluster it names (``spec.sessionClusterName``), which must
    be among the sources and valid, and checked against it. Names must be
    unique per kind across the sources.

    Parameters
    ----------
    sources
        Files, directories or texts, as
        :func:`~pulumi_flink.vvp.load_vvp_documents` reads them (a single
        ``str`` or ``Path`` is one source).
    kind
        The kind of documents that name none; unset, inferred from their
        shape, with a warning saying so.
    allowed_jar_schemes
        The jar URI schemes the Flink operator accepts for session jobs.
    blob_storage
        VVP's blob storage base URI (``vvp.blobStorage.baseUri``): every
        target is prepared with it, so each application-mode Deployment gets
        the state directories it does not set, where VVP put them
        (:mod:`pulumi_flink.blob_storage`). Unset, the ``vvp.blobStorage.baseUri``
        of VVP's Helm values among the sources (the first), if any; without
        either, a stateful Deployment with no state directory at all runs
        stateless, with a warning.

    Raises
    ------
    SpecValidationError
        ``blob_storage`` is not a URI with a scheme.

    Examples
    --------
    >>> export = read_vvp_export(['''
    ... kind: DeploymentTarget
    ... metadata: {name: staging}
    ... ---
    ... kind: Deployment
    ... metadata: {name: orders}
    ... spec:
    ...   deploymentTargetName: prod
    ...   restoreStrategy: {kind: NONE}
    ...   template: {spec: {artifact: {jarUri: "s3://jobs/orders.jar"}}}
    ... '''])
    >>> for problem in export.problems:
    ...     print(problem)
    <text>: document 1: Deployment 'orders': spec.deploymentTargetName: no valid DeploymentTarget 'prod' among the files

    Files that hold no DeploymentTarget at all (a Deployment exported on its
    own) place each Deployment and SessionCluster on a stand-in target of the
    name it gives, without a patch set, with a warning.
    """  # noqa: E501
    if isinstance(sources, str | Path | bytes | bytearray) or not isinstance(sources, Sequence):
        sources = [sources]
    if blob_storage is not None:
        checked_blob_storage(blob_storage)  # before reading anything
    documents: list[AnyVvpDocument] = []
    problems: list[DocumentProblem] = []
    read_warnings: list[DocumentProblem] = []
    kinds: set[str] = set()  # read, valid or not: a broken target is still a target
    rank: dict[str, int] = {}
    budget = ReadBudget()
    for position, source in enumerate(sources):
        reader = read_all(source, kind=kind, budget=budget)
        blob_storage = blob_storage or reader.blob_storage
        for document in reader.documents:
            rank.setdefault(document.source.file, position)
        for problem in (*reader.problems, *reader.warnings):
            rank.setdefault(problem.source.file, position)
        documents += reader.documents
        problems += reader.problems
        read_warnings += reader.warnings
        kinds |= reader.kinds
    documents = with_defaults_applied(documents, problems)
    targets = _unique(_of_kind(documents, DeploymentTarget), problems)
    if "DeploymentTarget" not in kinds:
        targets = _stand_in_targets(documents, read_warnings)
    # Read targets are valid: preparing them only parses their patch sets, once.
    prepared = {
        target.name: prepare_target(target.model, blob_storage=blob_storage) for target in targets
    }
    # Indexed once: a lookup per Deployment in a list was quadratic (4,000 targets
    # and 4,000 Deployments took 25 s).
    target_index = _TargetIndex.of(targets)
    clusters = []
    for cluster in _unique(_of_kind(documents, SessionCluster), problems):
        cluster_target = _target_of(cluster, target_index, problems)
        if cluster_target is not None:
            placed = _placed_cluster(
                cluster, cluster_target, prepared[cluster_target.name], problems
            )
            if placed is not None:
                clusters.append(placed)
    deployments = _unique(_of_kind(documents, Deployment), problems)
    any_cluster = "SessionCluster" in kinds
    savepoints = _savepoints_by_deployment(
        _of_kind(documents, Savepoint),
        deployments,
        # Savepoints exported on their own are valid: nothing to place them on.
        problems if "Deployment" in kinds else read_warnings,
    )
    clusters_by_name: dict[str, PlacedSessionCluster] = {}
    for placed_cluster in clusters:
        clusters_by_name.setdefault(placed_cluster.name, placed_cluster)
    placements = []
    for deployment in deployments:
        placement: PlacedDeployment | None = None
        if deployment.model.spec.session_cluster_name is not None:
            # A session-mode Deployment exported on its own is valid VVP: a warning.
            session_cluster = _session_cluster_of(
                deployment,
                clusters_by_name,
                problems if any_cluster else read_warnings,
                alone=not any_cluster,
            )
            if session_cluster is not None:
                placement = _placed_in_session(
                    deployment, session_cluster, allowed_jar_schemes, problems
                )
        else:
            target = _target_of(deployment, target_index, problems)
            if target is not None:
                placement = _placed(deployment, target, prepared[target.name], problems)
        if placement is not None:
            own = savepoints.get(deployment.model.metadata.id or "", ())
            placements.append(replace(placement, savepoints=tuple(own)))
    problems += _name_collisions(clusters, placements)
    secret_names = {d.name for d in _of_kind(documents, SecretValue)}
    warnings = (
        read_warnings
        + [
            DocumentProblem(d.source, subject_of(d.kind, d.name), "kind", d.inferred_kind)
            for d in documents
            if d.inferred_kind is not None
        ]
        + [
            DocumentProblem(
                d.source,
                subject_of("SecretValue", d.name),
                "spec.value",
                "never used nor rendered: the secret comes from the key "
                f"{d.name!r} of the Kubernetes Secret {DEFAULT_SECRET_VALUES_SECRET!r} in the "
                "target namespace; remove the value from the export",
            )
            for d in _of_kind(documents, SecretValue)
            if d.model.spec.value is not None
        ]
        + [
            DocumentProblem(
                placement.deployment.source, subject_of("Deployment", placement.name), *w
            )
            for placement in placements
            for w in environment_reference_warnings(placement.effective, secret_names)
        ]
        + [
            DocumentProblem(
                placement.deployment.source, subject_of("Deployment", placement.name), *w
            )
            for placement in placements
            for w in (*placement.warnings, *vvp_setting_warnings(placement.effective))
        ]
    )
    for ordered in (problems, warnings):
        ordered.sort(key=lambda p: (rank[p.source.file], p.source.file, _position(p.source)))
    return VvpExport(
        tuple(documents),
        tuple(placements),
        tuple(problems),
        tuple(clusters),
        tuple(warnings),
        None if blob_storage is None else blob_storage.rstrip("/"),
    )


def _name_collisions(
    clusters: Sequence[PlacedSessionCluster], placements: Sequence[PlacedDeployment]
) -> list[DocumentProblem]:
    """Application-mode Deployments whose objects would take a session cluster's names."""
    taken = {(cluster.target.name, workload_name(cluster.name)): cluster for cluster in clusters}
    collisions = []
    for placement in placements:
        name = workload_name(placement.name)
        cluster = taken.get((placement.target.name, name))
        if placement.session_cluster is None and cluster is not None:
            reason = (
                f"its objects would be named {name!r} like those of SessionCluster "
                f"{cluster.name!r} on the same DeploymentTarget {placement.target.name!r}; "
                "rename one of them"
            )
            subject = subject_of("Deployment", placement.name)
            collisions.append(
                DocumentProblem(placement.deployment.source, subject, "metadata.name", reason)
            )
    return collisions


def _position(source: DocumentSource) -> tuple[int, int]:
    return (
        -1 if source.index is None else source.index,
        -1 if source.item is None else source.item,
    )


def _of_kind(
    documents: Iterable[AnyVvpDocument], model: type[ResourceModel]
) -> list[VvpDocument[ResourceModel]]:
    return [VvpDocument(d.source, d.model) for d in documents if isinstance(d.model, model)]


def _unique(
    documents: list[VvpDocument[ResourceModel]], problems: list[DocumentProblem]
) -> list[VvpDocument[ResourceModel]]:
    """The documents whose name is not taken by an earlier one of the same kind."""
    first: dict[str, VvpDocument[ResourceModel]] = {}
    for document in documents:
        if document.name not in first:
            first[document.name] = document
            continue
        reason = (
            f"also defined at {first[document.name].source}; names must be unique across the files"
        )
        subject = subject_of(document.kind, document.name)
        problems.append(DocumentProblem(document.source, subject, "metadata.name", reason))
    return list(first.values())


def _stand_in_targets(
    documents: Sequence[AnyVvpDocument], warnings: list[DocumentProblem]
) -> list[VvpDocument[DeploymentTarget]]:
    """Bare targets for files that hold Deployments or SessionClusters but no DeploymentTarget.

    A Deployment exported, posted or published on its own is valid VVP: it
    is checked and rendered on a target of the name (or id) it gives, with no
    patch set and the default namespace, and a warning says so. Files that
    hold any target get none: there a name that matches none is a mistake.
    """
    stand_ins: dict[str, VvpDocument[DeploymentTarget]] = {}
    for document in documents:
        if not isinstance(document.model, Deployment | SessionCluster):
            continue
        spec = document.model.spec
        name = spec.deployment_target_name or spec.deployment_target_id
        if name is None or name in stand_ins:
            continue
        metadata = {"name": name}
        if spec.deployment_target_name is None:
            metadata["id"] = name
        try:
            model = parse_model(DeploymentTarget, {"metadata": metadata, "spec": {}})
        except PulumiFlinkError:
            continue  # not a valid target name: reported as a missing target
        stand_ins[name] = VvpDocument(document.source, model)
        reason = (
            "not among the files, which hold no DeploymentTarget: what names it is "
            "checked and rendered on a target of that name without a patch set, in the "
            "default namespace (--namespace); add the target's document to check its patch set"
        )
        subject = subject_of("DeploymentTarget", name)
        warnings.append(DocumentProblem(document.source, subject, None, reason))
    return list(stand_ins.values())


@dataclass(frozen=True)
class _TargetIndex:
    """The targets by name and by id; the first of a name or id wins, as in the files."""

    by_name: dict[str, VvpDocument[DeploymentTarget]]
    by_id: dict[str, VvpDocument[DeploymentTarget]]

    @classmethod
    def of(cls, targets: list[VvpDocument[DeploymentTarget]]) -> _TargetIndex:
        index = cls({}, {})
        for target in targets:
            index.by_name.setdefault(target.name, target)
            if target.model.metadata.id is not None:
                index.by_id.setdefault(target.model.metadata.id, target)
        return index


def _target_of(
    deployment: VvpDocument[Deployment] | VvpDocument[SessionCluster],
    targets: _TargetIndex,
    problems: list[DocumentProblem],
) -> VvpDocument[DeploymentTarget] | None:
    spec = deployment.model.spec
    found: VvpDocument[DeploymentTarget] | None = None
    if spec.deployment_target_name is not None:
        field, wanted = "spec.deploymentTargetName", repr(spec.deployment_target_name)
        found = targets.by_name.get(spec.deployment_target_name)
    elif spec.deployment_target_id is not None:
        field, wanted = "spec.deploymentTargetId", f"with id {spec.deployment_target_id!r}"
        found = targets.by_id.get(spec.deployment_target_id)
    else:
        field, wanted = "spec.deploymentTargetName", ""
    if found is not None:
        return found
    reason = (
        f"no valid DeploymentTarget {wanted} among the files"
        if wanted
        else f"missing; name the DeploymentTarget the {deployment.kind} runs on"
    )
    subject = subject_of(deployment.kind, deployment.name)
    problems.append(DocumentProblem(deployment.source, subject, field, reason))
    return None


def _session_cluster_of(
    deployment: VvpDocument[Deployment],
    clusters: dict[str, PlacedSessionCluster],
    problems: list[DocumentProblem],
    *,
    alone: bool,
) -> PlacedSessionCluster | None:
    """The SessionCluster a Deployment names (``clusters`` by name), else ``None`` after noting why.

    ``alone``: the files hold no SessionCluster, so the Deployment is read on its own.
    """
    wanted = deployment.model.spec.session_cluster_name
    found = clusters.get(wanted) if wanted is not None else None
    if found is not None:
        return found
    subject = subject_of("Deployment", deployment.name)
    reason = f"no valid SessionCluster {wanted!r} among the files"
    if alone:
        reason += " (its fields are checked; not rendered: a session job needs its cluster)"
    problems.append(DocumentProblem(deployment.source, subject, "spec.sessionClusterName", reason))
    return None


def _placed(
    deployment: VvpDocument[Deployment],
    target: VvpDocument[DeploymentTarget],
    prepared_target: PreparedTarget,
    problems: list[DocumentProblem],
) -> PlacedDeployment | None:
    try:
        effective = effective_deployment_model(deployment.model, prepared_target)
    except PulumiFlinkError as error:
        fallback = _without_durable_state(
            deployment,
            partial(effective_deployment_model, target=prepared_target),
            lambda effective: effective.spec.template.spec.flink_configuration,
            "the target's deploymentPatchSet",
        )
        if fallback is not None:
            stateless, effective, warning = fallback
            return PlacedDeployment(
                stateless, target, prepared_target, effective, warnings=(warning,)
            )
        subject = subject_of("Deployment", deployment.name)
        owner = f"{subject_of('DeploymentTarget', target.name)} "
        problems.extend(problems_of_error(error, deployment.source, subject, patch_owner=owner))
        return None
    return PlacedDeployment(deployment, target, prepared_target, effective)


STATE_DIRECTORIES = (CHECKPOINTS_DIR, SAVEPOINTS_DIR)


def _without_durable_state(
    deployment: VvpDocument[Deployment],
    place: Callable[[Deployment], Deployment],
    configuration_of: Callable[[Deployment], Mapping[str, str]],
    where: str,
) -> tuple[VvpDocument[Deployment], Deployment, FieldProblem] | None:
    """A stateful Deployment with no state directory at all, as it runs: stateless.

    ``place`` makes the effective Deployment (on its target, or in its
    session cluster), ``configuration_of`` finds the configuration that
    would hold the directories, and ``where`` is where the warning says to
    add them.

    VVP supplies ``state.checkpoints.dir`` and ``state.savepoints.dir`` from
    its Universal Blob Storage, a platform setting no export carries (given as
    ``blob_storage``, the directories are filled and this does not apply);
    without any, VVP runs the job with nothing durable to restore. The same job here
    is stateless (``restoreStrategy: NONE``), with a warning. Only when the
    directories are absent (not blank) after the target's patch set and the
    stateless Deployment is otherwise valid, and only when no state storage
    at all is configured (a partial set is a mistake to report); ``None``
    otherwise.
    """
    nominal = upgrade_mode(deployment.model.spec)
    written = deployment.model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    spec = written.setdefault("spec", {})
    spec["restoreStrategy"] = {**spec.get("restoreStrategy", {}), "kind": "NONE"}
    try:
        stateless = parse_model(Deployment, written)
        effective = place(stateless)
    except PulumiFlinkError:
        return None
    configuration = configuration_of(effective)
    missing = list(required_state_directories(nominal))
    if not missing or any(key in configuration for key in (*STATE_DIRECTORIES, HA_STORAGE_DIR)):
        # Some state storage is configured: a missing piece is the user's to fix.
        return None
    warning = FieldProblem(
        "spec.restoreStrategy.kind",
        f"{deployment.model.spec.restore_strategy.kind} needs "
        f"{' and '.join(map(repr, missing))}, which VVP took from its Universal Blob "
        "Storage; none is set, so the job runs stateless (restoreStrategy NONE: nothing "
        "is restored or kept across upgrades and suspends); to keep state, give VVP's "
        "blob storage base URI (--blob-storage, blob_storage=) or add the directories "
        f"to {where}",
    )
    return VvpDocument(deployment.source, stateless, deployment.inferred_kind), effective, warning


def _placed_cluster(
    cluster: VvpDocument[SessionCluster],
    target: VvpDocument[DeploymentTarget],
    prepared_target: PreparedTarget,
    problems: list[DocumentProblem],
) -> PlacedSessionCluster | None:
    try:
        effective = effective_session_cluster_model(cluster.model, prepared_target)
    except PulumiFlinkError as error:
        subject = subject_of("SessionCluster", cluster.name)
        owner = f"{subject_of('DeploymentTarget', target.name)} "
        problems.extend(problems_of_error(error, cluster.source, subject, patch_owner=owner))
        return None
    return PlacedSessionCluster(cluster, target, prepared_target, effective)


def _placed_in_session(
    deployment: VvpDocument[Deployment],
    cluster: PlacedSessionCluster,
    allowed_jar_schemes: Collection[str],
    problems: list[DocumentProblem],
) -> PlacedDeployment | None:
    place = partial(
        effective_session_deployment_model,
        cluster=cluster.effective,
        allowed_jar_schemes=allowed_jar_schemes,
    )
    try:
        effective = place(deployment.model)
    except PulumiFlinkError as error:
        fallback = _without_durable_state(
            deployment,
            place,
            lambda _: cluster.effective.spec.flink_configuration,
            f"SessionCluster {cluster.name!r}'s flinkConfiguration",
        )
        if fallback is not None:
            stateless, effective, warning = fallback
            return PlacedDeployment(
                stateless,
                cluster.target,
                cluster.prepared_target,
                effective,
                cluster,
                warnings=(warning,),
            )
        subject = subject_of("Deployment", deployment.name)
        problems.extend(problems_of_error(error, deployment.source, subject))
        return None
    return PlacedDeployment(deployment, cluster.target, cluster.prepared_target, effective, cluster)


def _savepoints_by_deployment(
    savepoints: list[VvpDocument[Savepoint]],
    deployments: list[VvpDocument[Deployment]],
    problems: list[DocumentProblem],
) -> dict[str, list[VvpDocument[Savepoint]]]:
    """Completed Savepoints per Deployment id, oldest first.

    A Savepoint whose Deployment is not among the files goes into ``problems``
    (the caller passes its warnings when the files hold no Deployment).
    """
    ids = {d.model.metadata.id for d in deployments if d.model.metadata.id}
    found: dict[str, list[VvpDocument[Savepoint]]] = {}
    for savepoint in savepoints:
        deployment_id = savepoint.model.metadata.deployment_id
        if deployment_id not in ids:
            reason = (
                f"no Deployment with id {deployment_id!r} among the files"
                if deployment_id
                else "missing; a Savepoint belongs to a Deployment"
            )
            subject = subject_of("Savepoint", savepoint.name)
            problems.append(
                DocumentProblem(savepoint.source, subject, "metadata.deploymentId", reason)
            )
        elif savepoint.model.completed:
            found.setdefault(deployment_id, []).append(savepoint)
    for own in found.values():
        own.sort(key=lambda savepoint: savepoint.model.metadata.created_at or "")
    return found
