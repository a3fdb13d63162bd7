"""Reading and waiting on the Flink operator's objects, from the provider process.

pulumi-kubernetes' own await (``pulumi.com/waitFor``) can only wait for a
condition to become true: it has no way to stop early when the operator
reports an error, so a rejected job used to hold ``up`` for the whole
timeout. Our providers wait instead, reading the object about twice a second
and judging it with :mod:`pulumi_flink.operator_status`: ready, failed (stop
at once, with the operator's message) or still waiting.

Each read holds the provider's cluster lock (see
:class:`~pulumi_flink.provider._cluster.ClusterProvider`) only for the
request itself, so many Deployments wait at the same time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pulumi_flink.errors import OperatorError, OperatorTimeoutError
from pulumi_flink.operator_status import OperatorStatus
from pulumi_flink.provider._polling import poll_until

if TYPE_CHECKING:
    from lightkube import Client

    from pulumi_flink.provider._cluster import ClusterProvider

_PLURALS = {
    "FlinkDeployment": "flinkdeployments",
    "FlinkSessionJob": "flinksessionjobs",
    "FlinkStateSnapshot": "flinkstatesnapshots",
}


def read_operator_object(
    client: Client, kind: str, namespace: str, name: str
) -> dict[str, Any] | None:
    """The operator object ``kind`` ``namespace/name`` as a dict, or ``None`` if absent."""
    from lightkube import ApiError

    from pulumi_flink.registry._kube import NOT_FOUND, status_code

    try:
        obj = client.get(_resource_class(kind), name, namespace=namespace)
    except ApiError as error:
        if status_code(error) == NOT_FOUND:
            return None
        raise
    return dict(obj.to_dict())


def merge_patch_operator_object(
    client: Client, kind: str, namespace: str, name: str, patch: Mapping[str, Any]
) -> None:
    """Apply a JSON merge patch to the operator object ``kind`` ``namespace/name``."""
    from lightkube.types import PatchType

    client.patch(
        _resource_class(kind), name, dict(patch), namespace=namespace, patch_type=PatchType.MERGE
    )


def await_operator(
    provider: ClusterProvider,
    kind: str,
    namespace: str,
    name: str,
    judge: Callable[[Mapping[str, Any]], OperatorStatus],
    *,
    timeout_seconds: float,
    fix: str | None = None,
) -> OperatorStatus:
    """Wait until ``judge`` finds the object ready; raise as soon as it finds it failed.

    Raises
    ------
    OperatorError
        The operator reported a failure (its message, and ``fix``).
    OperatorTimeoutError
        Not ready after ``timeout_seconds`` (what was last seen).
    """

    def look() -> tuple[bool, OperatorStatus]:
        with provider.cluster() as cluster:
            obj = read_operator_object(cluster.client, kind, namespace, name)
        status = judge(obj) if obj is not None else OperatorStatus("waiting", "not found")
        if status.verdict == "failed":
            raise OperatorError(kind, namespace, name, status.message, fix=fix)
        return status.verdict == "ready", status

    return poll_until(
        look,
        timeout_seconds=timeout_seconds,
        timed_out=lambda status: OperatorTimeoutError(
            kind,
            namespace,
            name,
            f"not ready after {timeout_seconds:.0f} s: {status.message}",
            fix=fix,
        ),
    )


def _resource_class(kind: str) -> Any:
    from lightkube.generic_resource import create_namespaced_resource

    # lightkube caches generic resources by group, version and kind.
    return create_namespaced_resource("flink.apache.org", "v1beta1", kind, _PLURALS[kind])
