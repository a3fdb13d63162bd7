"""The ``StandaloneHaData`` dynamic resource: the standalone engine's hand on Kubernetes HA data.

With ``restoreStrategy: LATEST_STATE`` a standalone JobManager runs with
Kubernetes HA (:mod:`pulumi_flink.strategy`): Flink keeps, in ConfigMaps
labelled ``app=<cluster-id>, type=flink-native-kubernetes`` (the cluster id
is the workload name; Flink 1.x adds ``configmap-type=high-availability``,
2.0 does not, so the operator and we select by the first two), the
submitted job graph and the pointers to the completed checkpoints. A new
JobManager recovers both. That is what makes SUSPENDED → RUNNING resume,
and it is also what broke two VVP promises, because nothing but Flink ever
touched that data:

- **A changed spec under LATEST_STATE** (e.g. the parallelism) rolled the
  pods, but the new JobManager recovered the *old* job graph, parallelism
  included.
- **CANCELLED → RUNNING** restored the last checkpoint, where VVP starts
  from empty state.

This resource, one per standalone Deployment, is ordered before the
JobManager Deployment and does what the Flink Kubernetes operator does in
the same places (``FlinkUtils.deleteJobGraphInKubernetesHA``, and its
HA-data removal on a stateless upgrade). Its inputs are the JobManager's pod
template digest (``job_graph``: the configuration checksum, args and image
decide what ``main()`` submits) and the upgrade mode
(:func:`~pulumi_flink.strategy.upgrade_mode`); an update compares the old
and new ones (:func:`planned_reset`):

``job-graph``
    The JobManager's pod template changed and the job keeps its state
    (``last-state``): remove the job graph entries (``jobGraph-<job id>``
    on Flink 1.x, ``executionPlan-<job id>`` on 2.x, both in
    ``<cluster-id>-cluster-config-map``). The new JobManager finds no job
    graph, runs ``main()`` again with the new configuration and the same
    fixed job id, and restores the latest checkpoint, whose pointers stay.
    This covers SUSPENDED → RUNNING with a changed spec too.
``all``
    The job starts without state (CANCELLED, restore ``NONE``,
    ``STATELESS``; the upgrade mode is not ``last-state``) and the mode or
    the template changed: also remove the checkpoint pointers
    (``checkpointID-<n>`` in ``<cluster-id>-<job id>-config-map``), so the
    next start restores nothing, as VVP starts after a cancel. The
    checkpoint ID ``counter`` is kept on purpose: the job id is fixed under
    HA, and a job counting from 1 again would try to write the
    ``chk-<n>/_metadata`` of the cancelled run's retained checkpoint, which
    Flink refuses to overwrite (the checkpoint fails, and the job with it).
    Deleting the resource (the Deployment left the program) does the same,
    so a later Deployment of the same name starts empty.

Removing entries while the old JobManager runs would race with it (it
writes checkpoint pointers, and may restart before Pulumi rolls it). So when
there is something to remove, the old JobManager is stopped first: its
Deployment is scaled to 0 and its pods are awaited gone, as the operator
deletes the JobManager before it edits HA data. Pulumi then updates the
JobManager Deployment (it depends on this resource) with the new template
and replica count. The scale is written under the field manager
``pulumi-kubernetes`` (operation Update), whose fields pulumi-kubernetes
adopts before its next server-side apply (``fixCSAFieldManagers``), so
giving the replicas back is not a field conflict.

Nothing happens on create (there is no old JobManager, and a first start
with HA data of an earlier workload of the same name keeps today's
behaviour), nothing when nothing relevant changed, and nothing when the
ConfigMaps hold no entry to remove (the JobManager is not stopped then):
the reset is idempotent, and a failed ``up`` that stopped the JobManager
redoes it on the next one. The data files the entries pointed to in
``high-availability.storageDir`` (``submittedJobGraph*`` /
``submittedExecutionPlan*``, ``completedCheckpoint*``) and, for ``all``, the
job result store's entries go with them when the storage dir is on this
machine (``file://``: the dev cluster, whose JobManagers are local
processes; :func:`stale_files`); under a remote store (``s3://`` and the
like) they are left in place and the output says so (Flink reads them only
through the entries, which are gone). The provider reaches the cluster like the other
dynamic providers (:mod:`pulumi_flink.provider._cluster`): the stack's
kubeconfig, the same cluster as a user's own ``kubernetes.Provider`` (the
target binding refuses another).

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, UpdateResult

from pulumi_flink.errors import JobManagerStopTimeoutError
from pulumi_flink.provider._cluster import ClusterProvider
from pulumi_flink.provider._polling import poll_until
from pulumi_flink.provider._standalone import scale_to_zero
from pulumi_flink.provider._unknowns import identity_diff

if TYPE_CHECKING:
    from lightkube import Client

Reset = Literal["none", "job-graph", "all"]

IDENTITY = ("namespace", "workload")
"""The HA cluster (the workload name is Flink's ``kubernetes.cluster-id``): a change replaces."""
INPUTS = (
    *IDENTITY,
    "jobmanager",
    "selector",
    "job_graph",
    "upgrade_mode",
    "timeout_seconds",
    "ha_storage",
)

HA_LABELS = {"type": "flink-native-kubernetes"}
"""Flink's label of its HA ConfigMaps (every line), beside ``app=<cluster-id>``."""
JOB_GRAPH_PREFIXES = ("jobGraph-", "executionPlan-")
"""The job graph's keys: ``jobGraph-`` until Flink 1.20, ``executionPlan-`` from 2.0."""
CHECKPOINT_PREFIXES = ("checkpointID-",)
"""The completed checkpoints' pointers (the ``counter`` key is kept: see the module docstring)."""
REMOVED_PREFIXES: dict[Reset, tuple[str, ...]] = {
    "none": (),
    "job-graph": JOB_GRAPH_PREFIXES,
    "all": (*JOB_GRAPH_PREFIXES, *CHECKPOINT_PREFIXES),
}
STORAGE_FILE_PREFIXES: dict[Reset, tuple[str, ...]] = {
    "none": (),
    "job-graph": ("submittedJobGraph", "submittedExecutionPlan"),
    "all": ("submittedJobGraph", "submittedExecutionPlan", "completedCheckpoint"),
}
"""The files in ``<storageDir>/<cluster-id>`` behind the removed entries (1.x, 2.x names)."""
KEEPS_STATE = "last-state"
"""The upgrade mode whose job restores its latest checkpoint from the HA data."""

MAX_WRITE_ATTEMPTS = 10


def planned_reset(olds: Mapping[str, Any], news: Mapping[str, Any]) -> Reset:
    """What an update removes from the HA data, from the old and new inputs.

    >>> planned_reset({"job_graph": "a", "upgrade_mode": "last-state"},
    ...               {"job_graph": "b", "upgrade_mode": "last-state"})
    'job-graph'
    >>> planned_reset({"job_graph": "a", "upgrade_mode": "last-state"},
    ...               {"job_graph": "b", "upgrade_mode": "stateless"})
    'all'
    >>> planned_reset({"job_graph": "a", "upgrade_mode": "last-state"},
    ...               {"job_graph": "a", "upgrade_mode": "last-state"})
    'none'
    """
    template_changed = olds.get("job_graph") != news.get("job_graph")
    if news.get("upgrade_mode") == KEEPS_STATE:
        return "job-graph" if template_changed else "none"
    if template_changed or olds.get("upgrade_mode") != news.get("upgrade_mode"):
        return "all"
    return "none"


def local_directory(uri: str) -> Path | None:
    """The directory of a ``file://`` (or plain absolute) storage URI; ``None`` for remote stores.

    >>> local_directory("file:///state/ha/orders"), local_directory("s3://bucket/ha/orders")
    (PosixPath('/state/ha/orders'), None)
    """
    if uri.startswith("file://"):
        return Path(uri.removeprefix("file://"))
    return Path(uri) if uri.startswith("/") else None


def stale_files(storage: Mapping[str, str], reset: Reset) -> list[Path]:
    """The HA storage files ``reset`` makes stale, where the storage dir is on this machine.

    ``storage`` is :func:`~pulumi_flink.render.ha_storage` of the rendered
    configuration. ``job-graph``: the submitted job graphs in the cluster's
    directory; ``all``: also the completed checkpoints' metadata there and the
    job result store's entries. Only Flink's own file names are matched, so
    nothing else in a directory is touched.
    """
    prefixes = STORAGE_FILE_PREFIXES[reset]
    if not prefixes:
        return []
    found: list[Path] = []
    cluster = local_directory(storage.get("cluster", ""))
    if cluster is not None and cluster.is_dir():
        found += [p for p in cluster.iterdir() if p.is_file() and p.name.startswith(prefixes)]
    results = local_directory(storage.get("job_result_store", ""))
    if reset == "all" and results is not None and results.is_dir():
        found += [p for p in results.iterdir() if p.is_file() and p.name.endswith(".json")]
    return sorted(found)


def without_entries(data: Mapping[str, str], prefixes: tuple[str, ...]) -> dict[str, str]:
    """``data`` without the keys that start with one of ``prefixes``.

    >>> without_entries({"jobGraph-0": "x", "counter": "7", "checkpointID-9": "y"}, ("jobGraph-",))
    {'counter': '7', 'checkpointID-9': 'y'}
    """
    return {key: value for key, value in data.items() if not key.startswith(prefixes)}


class StandaloneHaDataProvider(ClusterProvider):
    """Dynamic provider of :class:`StandaloneHaData`."""

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Another workload replaces; a new template or mode updates (and may reset)."""
        return identity_diff(olds, news, INPUTS, IDENTITY)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Nothing to do: there is no older JobManager of this resource."""
        return CreateResult(f"{props['namespace']}/{props['workload']}", _outputs(props))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Stop the JobManager and remove what the change makes stale (:func:`planned_reset`)."""
        self.reset(news, planned_reset(olds, news))
        return UpdateResult(_outputs(news))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """The Deployment is gone: a later one of the same name starts without its state."""
        self.reset(props, "all")

    def reset(self, props: Mapping[str, Any], reset: Reset) -> None:
        """Remove the entries and files ``reset`` names, stopping the JobManager first."""
        prefixes = REMOVED_PREFIXES[reset]
        if not prefixes:
            return
        namespace, cluster_id = props["namespace"], props["workload"]
        with self.cluster() as cluster:
            stale = _stale_config_maps(cluster.client, namespace, cluster_id, prefixes)
        storage: Mapping[str, str] = props.get("ha_storage") or {}
        files = stale_files(storage, reset)
        if not stale and not files:
            return
        self._stop_jobmanager(props)
        with self.cluster() as cluster:
            removed = remove_entries(cluster.client, namespace, cluster_id, prefixes)
        for path in files:
            path.unlink(missing_ok=True)
        remote = [uri for uri in storage.values() if local_directory(uri) is None]
        # The provider process's stderr reaches `up` output.
        print(
            f"pulumi-flink: stopped the JobManager {namespace}/{props['jobmanager']} and removed "
            f"{reset} HA data ({', '.join(removed) or 'no ConfigMap entry'}; {len(files)} "
            f"file(s) in the HA storage dir) of cluster {cluster_id!r}"
            + (f"; files under {', '.join(remote)} are left in place" if remote else ""),
            file=sys.stderr,
            flush=True,
        )

    def _stop_jobmanager(self, props: Mapping[str, Any]) -> None:
        from lightkube.resources.core_v1 import Pod

        namespace, name = props["namespace"], props["jobmanager"]
        selector: dict[str, Any] = dict(props["selector"])
        with self.cluster() as cluster:
            scale_to_zero(cluster.client, namespace, name)
        timeout = float(props["timeout_seconds"])

        def remaining_pods() -> tuple[bool, list[str]]:
            with self.cluster() as cluster:
                pods = [
                    str(pod.metadata.name if pod.metadata else "?")
                    for pod in cluster.client.list(Pod, namespace=namespace, labels=selector)
                ]
            return not pods, pods

        poll_until(
            remaining_pods,
            timeout_seconds=timeout,
            timed_out=lambda pods: JobManagerStopTimeoutError(namespace, name, pods, timeout),
        )


def _ha_config_maps(client: Client, namespace: str, cluster_id: str) -> list[Any]:
    from lightkube.resources.core_v1 import ConfigMap

    labels: dict[str, Any] = {"app": cluster_id, **HA_LABELS}
    return list(client.list(ConfigMap, namespace=namespace, labels=labels))


def _stale_config_maps(
    client: Client, namespace: str, cluster_id: str, prefixes: tuple[str, ...]
) -> list[str]:
    return [
        config_map.metadata.name
        for config_map in _ha_config_maps(client, namespace, cluster_id)
        if without_entries(config_map.data or {}, prefixes) != (config_map.data or {})
    ]


def remove_entries(
    client: Client, namespace: str, cluster_id: str, prefixes: tuple[str, ...]
) -> list[str]:
    """Remove the keys starting with ``prefixes`` from the cluster's HA ConfigMaps.

    Each ConfigMap is replaced as read (its ``resourceVersion`` makes a
    concurrent write a 409), and read again after a conflict. Returns the
    names of the ConfigMaps that changed.
    """
    from lightkube import ApiError

    from pulumi_flink.registry._kube import CONFLICT, pause_before_retry, status_code

    for attempt in range(MAX_WRITE_ATTEMPTS):
        changed: list[str] = []
        try:
            for config_map in _ha_config_maps(client, namespace, cluster_id):
                data = config_map.data or {}
                kept = without_entries(data, prefixes)
                if kept != data:
                    config_map.data = kept
                    client.replace(config_map)
                    changed.append(config_map.metadata.name)
        except ApiError as error:
            if status_code(error) != CONFLICT or attempt == MAX_WRITE_ATTEMPTS - 1:
                raise
            pause_before_retry(attempt)
            continue
        return changed
    raise AssertionError("unreachable: the last attempt returns or raises")


def _outputs(props: Mapping[str, Any]) -> dict[str, Any]:
    return {prop: props.get(prop) for prop in INPUTS}


class StandaloneHaData(Resource, module="flink", name="StandaloneHaData"):
    """Resets a standalone JobManager's Kubernetes HA data when its job must not recover it.

    Made by :class:`~pulumi_flink.Deployment` (standalone engine) before the
    JobManager Deployment, which depends on it; not usually created
    directly. See :mod:`pulumi_flink.provider.standalone_ha`.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    namespace, workload
        The namespace and the workload name (Flink's ``kubernetes.cluster-id``).
    jobmanager, selector
        The JobManager Deployment's name and pod selector (stopped before a reset).
    job_graph
        Digest of the JobManager's pod template: a change resets the job graph.
    upgrade_mode
        :func:`~pulumi_flink.strategy.upgrade_mode` of the spec: anything but
        ``last-state`` starts without state.
    timeout_seconds
        How long to wait for the JobManager's pods to go.
    ha_storage
        :func:`~pulumi_flink.render.ha_storage` of the rendered configuration:
        where Flink's HA files are (removed with the entries when on this machine).
    opts
        Pulumi resource options.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        namespace: pulumi.Input[str],
        workload: pulumi.Input[str],
        jobmanager: pulumi.Input[str],
        selector: pulumi.Input[Mapping[str, str]],
        job_graph: pulumi.Input[str],
        upgrade_mode: pulumi.Input[str],
        timeout_seconds: int,
        ha_storage: pulumi.Input[Mapping[str, str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            StandaloneHaDataProvider(),
            resource_name,
            {
                "namespace": namespace,
                "workload": workload,
                "jobmanager": jobmanager,
                "selector": selector,
                "job_graph": job_graph,
                "upgrade_mode": upgrade_mode,
                "timeout_seconds": timeout_seconds,
                "ha_storage": ha_storage,
            },
            opts,
        )
