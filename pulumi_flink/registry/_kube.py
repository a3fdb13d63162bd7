"""The few Kubernetes API calls the registry needs beyond lightkube's surface."""

from __future__ import annotations

import random
import time
from typing import Any, cast

from lightkube import ApiError, Client
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap, Namespace

from pulumi_flink.render.labels import managed_labels

CONFLICT = 409
NOT_FOUND = 404

MAX_ATTEMPTS = 50
"""How often a read-modify-write is retried after losing a write conflict."""

_MAX_PAUSE_SECONDS = 0.05


def status_code(error: ApiError) -> int | None:
    """HTTP status code of an API error."""
    code = error.status.code
    return int(code) if code is not None else None


def pause_before_retry(attempt: int) -> None:
    """Sleep a short, jittered, growing time before retry number ``attempt``.

    Jitter keeps writers that just collided from colliding again in lockstep.
    """
    ceiling = min(0.001 * 2**attempt, _MAX_PAUSE_SECONDS)
    time.sleep(random.uniform(0, ceiling))


def ensure_namespace(client: Client, name: str) -> None:
    """Create namespace ``name`` unless it exists; safe to call concurrently.

    Reads first, so a caller allowed to use an existing namespace but not to
    create namespaces still succeeds.
    """
    try:
        client.get(Namespace, name)
        return
    except ApiError as err:
        if status_code(err) != NOT_FOUND:
            raise
    try:
        client.create(Namespace(metadata=ObjectMeta(name=name, labels=managed_labels())))
    except ApiError as err:
        if status_code(err) != CONFLICT:  # created concurrently: fine
            raise


def delete_config_map_if_unchanged(
    client: Client, name: str, namespace: str, *, uid: str, resource_version: str
) -> None:
    """Delete a ConfigMap only if it is still exactly the version read.

    Sends ``DeleteOptions.preconditions`` (``uid`` and ``resourceVersion``):
    the API server checks them and deletes in one etcd transaction, answering
    409 Conflict if the object changed since it was read.

    Raises
    ------
    lightkube.ApiError
        409 when the preconditions fail, 404 when the object is gone.

    Notes
    -----
    ``lightkube.Client.delete`` cannot send a request body, so this builds
    the request with lightkube's request machinery, as ``Client.log`` does.
    The unit tests pin the request this produces.
    """
    generic = cast(Any, client)._client
    request = generic.prepare_request("delete", res=ConfigMap, name=name, namespace=namespace)
    request.data = {
        "apiVersion": "v1",
        "kind": "DeleteOptions",
        "preconditions": {"uid": uid, "resourceVersion": resource_version},
    }
    response = generic.send(generic.build_adapter_request(request))
    generic.raise_for_status(response)
