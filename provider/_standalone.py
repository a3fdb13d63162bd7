"""A standalone job's JobManager, from the provider process: Flink's REST API and scaling.

The standalone engine has no operator to ask for a savepoint, so the
providers ask Flink itself, through the JobManager's REST API. The Pulumi
host usually cannot reach pod or Service addresses, but it reaches the API
server, and the API server proxies to a Service
(``/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/<path>``, the verb
``get``/``create`` on ``services/proxy`` in RBAC), with the kubeconfig the
providers already use: no port-forward, no extra credentials.

:func:`stop_standalone_job` is the standalone engine's stop with a
savepoint (``POST /jobs/<id>/stop``, then ``GET /jobs/<id>/savepoints/<trigger>``
until it completes). The savepoint goes to the ``state.savepoints.dir`` the
JobManager runs with (the stop names no ``targetDirectory``: the rendered
configuration is the one source of truth, and a stateful Deployment without
it fails at ``preview``). An application cluster's JobManager exits once its
job finished, and its Deployment would start it again: without Kubernetes HA
the job would run again from its start arguments. So after the savepoint both
Deployments are scaled to 0 and the JobManager's is annotated with the
savepoint (:data:`STOPPED_WITH_SAVEPOINT`), which a second stop (the old
workload's delete after a replace handed its state over) records as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from pulumi_flink.errors import OperatorError
from pulumi_flink.provider._polling import poll_until
from pulumi_flink.render.standalone import (
    REST_PORT_NAME,
    jobmanager_service_name,
    standalone_deployment_names,
)

if TYPE_CHECKING:
    from lightkube import Client

    from pulumi_flink.provider._cluster import ClusterProvider

JOBMANAGER = "JobManager"
"""The ``kind`` errors about a standalone job name (with the JobManager Service)."""
SCALE_FIELD_MANAGER = "pulumi-kubernetes"
"""Field manager of a scale-down: pulumi-kubernetes adopts its Update fields before applying."""
STOPPED_WITH_SAVEPOINT = "pulumi-flink.dev/stopped-with-savepoint"
"""Annotation of a JobManager Deployment scaled to 0 after a stop with a savepoint: the path."""
TERMINAL_FAILURES = ("FAILED", "FAILING")
"""Job states in which a stop cannot take a savepoint."""


class FlinkRest:
    """Flink's REST API of a standalone JobManager, through the API server's service proxy."""

    def __init__(self, provider: ClusterProvider, namespace: str, workload: str) -> None:
        self.provider = provider
        self.namespace = namespace
        self.service = jobmanager_service_name(workload)

    def url(self, path: str) -> str:
        """The API server path that proxies to ``path`` of the REST API.

        >>> FlinkRest(None, "jobs", "orders").url("/jobs/overview")  # type: ignore[arg-type]
        '/api/v1/namespaces/jobs/services/orders-jobmanager:webui/proxy/jobs/overview'
        """
        return (
            f"/api/v1/namespaces/{self.namespace}/services/"
            f"{self.service}:{REST_PORT_NAME}/proxy{path}"
        )

    def call(
        self, method: str, path: str, body: Mapping[str, Any] | None = None
    ) -> tuple[int, Any]:
        """The status code and the decoded answer (the text when it is not JSON)."""
        with self.provider.cluster() as cluster:
            http = _http(cluster.client)
            response = http.request(
                method,
                self.url(path),
                json=dict(body) if body is not None else None,
                timeout=30,
            )
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, response.text

    def error(self, message: str, fix: str | None = None) -> OperatorError:
        """An error about this JobManager (Flink's message, and ``fix``)."""
        return OperatorError(JOBMANAGER, self.namespace, self.service, message, fix=fix)


def _http(client: Client) -> Any:
    # lightkube has no call for an arbitrary API server path; its HTTP client
    # carries the server address and the kubeconfig's credentials.
    return cast(Any, client)._client._client


def stop_standalone_job(
    provider: ClusterProvider, props: Mapping[str, Any], *, fix: str
) -> str | None:
    """Stop the standalone job of ``props``' workload with a savepoint; the path.

    ``None`` when the workload is gone. A JobManager already stopped by an
    earlier call gives that call's savepoint.

    Raises
    ------
    OperatorError
        The job is suspended without a savepoint, failed, never ran in time,
        or Flink could not take the savepoint (Flink's message, and ``fix``);
        the job keeps running and nothing is scaled.
    """
    namespace, workload = props["namespace"], props["workload"]
    jobmanager, taskmanager = standalone_deployment_names(workload)
    with provider.cluster() as cluster:
        deployment = _deployment(cluster.client, namespace, jobmanager)
    if deployment is None:
        return None
    rest = FlinkRest(provider, namespace, workload)
    replicas = (deployment.get("spec") or {}).get("replicas", 1)
    if replicas == 0:
        annotations = (deployment.get("metadata") or {}).get("annotations") or {}
        stopped = annotations.get(STOPPED_WITH_SAVEPOINT)
        if stopped:
            return str(stopped)
        raise rest.error(
            "the job is suspended without a savepoint (its JobManager is scaled to 0; "
            "its state is only in checkpoints that deleting the Deployment loses)",
            fix="resume it (state RUNNING) and delete again, or set savepoint_on_delete=False",
        )
    timeout = float(props["timeout_seconds"])
    job_id = _running_job(rest, timeout, fix)
    status, answer = rest.call("POST", f"/jobs/{job_id}/stop", {"drain": False})
    if status != 202 and status != 200:
        raise rest.error(f"stop with a savepoint refused (HTTP {status}): {answer}", fix)
    path = _savepoint_location(rest, job_id, str(answer["request-id"]), timeout, fix)
    with provider.cluster() as cluster:
        scale_to_zero(cluster.client, namespace, jobmanager, {STOPPED_WITH_SAVEPOINT: path})
        scale_to_zero(cluster.client, namespace, taskmanager)
    return path


def _running_job(rest: FlinkRest, timeout: float, fix: str) -> str:
    """The id of the JobManager's running job, once it runs (a starting job cannot stop)."""

    def look() -> tuple[bool, str]:
        status, answer = rest.call("GET", "/jobs/overview")
        if status != 200 or not isinstance(answer, dict):
            return False, f"the REST API answered HTTP {status}: {str(answer)[:200]}"
        jobs = answer.get("jobs") or []
        failed = [job for job in jobs if job.get("state") in TERMINAL_FAILURES]
        if failed:
            raise rest.error(f"the job {failed[0]['jid']} is {failed[0]['state']}", fix)
        running = [job for job in jobs if job.get("state") == "RUNNING"]
        if running:
            return True, str(running[0]["jid"])
        states = ", ".join(f"{job['jid']}: {job['state']}" for job in jobs) or "no job"
        return False, states

    return poll_until(
        look,
        timeout_seconds=timeout,
        timed_out=lambda seen: rest.error(
            f"no running job to stop with a savepoint after {timeout:.0f} s ({seen})", fix
        ),
    )


def _savepoint_location(
    rest: FlinkRest, job_id: str, trigger: str, timeout: float, fix: str
) -> str:
    def look() -> tuple[bool, str]:
        status, answer = rest.call("GET", f"/jobs/{job_id}/savepoints/{trigger}")
        if status != 200 or not isinstance(answer, dict):
            return False, f"HTTP {status}: {str(answer)[:200]}"
        if (answer.get("status") or {}).get("id") != "COMPLETED":
            return False, "IN_PROGRESS"
        operation = answer.get("operation") or {}
        if "location" in operation:
            return True, str(operation["location"])
        raise rest.error(f"the savepoint failed: {savepoint_failure(operation)}", fix)

    return poll_until(
        look,
        timeout_seconds=timeout,
        timed_out=lambda seen: rest.error(
            f"the savepoint did not complete in {timeout:.0f} s ({seen})", fix
        ),
    )


def savepoint_failure(operation: Mapping[str, Any]) -> str:
    r"""Flink's reason of a failed savepoint operation: the first line of its stack trace.

    >>> savepoint_failure({"failure-cause": {"class": "java.lang.Exception",
    ...     "stack-trace": "java.util.concurrent.CompletionException: disk full\n\tat x"}})
    'java.util.concurrent.CompletionException: disk full'
    >>> savepoint_failure({})
    'no reason given'
    """
    cause = operation.get("failure-cause") or {}
    trace = str(cause.get("stack-trace") or "").strip()
    return trace.splitlines()[0] if trace else str(cause.get("class") or "no reason given")


def _deployment(client: Client, namespace: str, name: str) -> dict[str, Any] | None:
    from lightkube import ApiError
    from lightkube.resources.apps_v1 import Deployment

    from pulumi_flink.registry._kube import NOT_FOUND, status_code

    try:
        return dict(client.get(Deployment, name, namespace=namespace).to_dict())
    except ApiError as error:
        if status_code(error) == NOT_FOUND:
            return None
        raise


def scale_to_zero(
    client: Client, namespace: str, name: str, annotations: Mapping[str, str] | None = None
) -> None:
    """Scale Deployment ``namespace/name`` to 0 (gone already: nothing to do).

    Written as field manager :data:`SCALE_FIELD_MANAGER` (operation Update),
    whose fields pulumi-kubernetes adopts before its next server-side apply
    (``fixCSAFieldManagers``): giving the replicas back, or dropping
    ``annotations``, is then not a field conflict.
    """
    from lightkube import ApiError
    from lightkube.resources.apps_v1 import Deployment
    from lightkube.types import PatchType

    from pulumi_flink.registry._kube import NOT_FOUND, status_code

    patch: dict[str, Any] = {"spec": {"replicas": 0}}
    if annotations:
        patch["metadata"] = {"annotations": dict(annotations)}
    try:
        client.patch(
            Deployment,
            name,
            patch,
            namespace=namespace,
            patch_type=PatchType.MERGE,
            field_manager=SCALE_FIELD_MANAGER,
        )
    except ApiError as error:
        if status_code(error) != NOT_FOUND:
            raise
