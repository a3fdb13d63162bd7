"""The Flink operator's ``FlinkStateSnapshot`` (FKO 1.10+) for a savepoint.

Two shapes, as in the operator's examples:

* a savepoint to take of a running FlinkDeployment (``jobReference``, no
  path: the job's ``state.savepoints.dir`` decides where it goes);
* an existing savepoint to adopt (``path`` with ``alreadyExists: true``, no
  ``jobReference``): the operator only marks it COMPLETED.

``disposeOnDelete`` is always written: the operator's default is ``true``
(deleting the resource deletes the savepoint's files), ours is ``false``, so
removing a Savepoint from a program never destroys state by surprise.
``backoffLimit: 0`` makes a failed savepoint final (the operator's default,
``-1``, retries forever), so the caller sees the failure and its message.
"""

from __future__ import annotations

from typing import Any

from pulumi_flink.render.operator import FLINK_API_VERSION

SNAPSHOT_KIND = "FlinkStateSnapshot"


def render_savepoint_snapshot(
    name: str,
    namespace: str,
    *,
    job_name: str | None = None,
    path: str | None = None,
    dispose_on_delete: bool = False,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A FlinkStateSnapshot that takes a savepoint of ``job_name``, or adopts ``path``.

    Exactly one of ``job_name`` (take a savepoint of that FlinkDeployment)
    and ``path`` (adopt an existing savepoint) is given.

    Examples
    --------
    >>> render_savepoint_snapshot("before-v2", "flink", job_name="orders")["spec"]
    {'backoffLimit': 0, 'savepoint': {'disposeOnDelete': False, 'alreadyExists': False}, \
'jobReference': {'kind': 'FlinkDeployment', 'name': 'orders'}}
    """
    if (job_name is None) == (path is None):
        raise TypeError("give exactly one of job_name and path")
    savepoint: dict[str, Any] = {
        "disposeOnDelete": dispose_on_delete,
        "alreadyExists": path is not None,
    }
    spec: dict[str, Any] = {"backoffLimit": 0, "savepoint": savepoint}
    if path is not None:
        savepoint["path"] = path
    else:
        spec["jobReference"] = {"kind": "FlinkDeployment", "name": job_name}
    metadata: dict[str, Any] = {"name": name, "namespace": namespace}
    if labels:
        metadata["labels"] = dict(labels)
    return {
        "apiVersion": FLINK_API_VERSION,
        "kind": SNAPSHOT_KIND,
        "metadata": metadata,
        "spec": spec,
    }
