"""VVP's Universal Blob Storage: the state directories VVP gives every Deployment.

A VVP installed with ``vvp.blobStorage.baseUri`` (a Helm value, so no export
carries it) preconfigures each Deployment for checkpoints, savepoints and high
availability under one directory per Deployment::

    <baseUri>/flink-jobs/namespaces/<VVP namespace>/deployments/<Deployment id>/
        checkpoints    state.checkpoints.dir
        savepoints     state.savepoints.dir
        ha             high-availability.storageDir

That is why VVP's own examples (default ``STATEFUL`` + ``LATEST_STATE``) set
no state directory. The same base URI given to pulumi-flink (``--blob-storage``,
``DeploymentTarget(blob_storage=...)``, ``load_vvp_documents(blob_storage=...)``)
fills the same directories, so a migrated job keeps its state where VVP kept
it; a SessionCluster's go under ``.../sessionclusters/<id>/``. The
Deployment id is its ``metadata.id`` (what VVP used), else its name; the VVP
namespace is its ``metadata.namespace``, else ``default``. A key the
Deployment, its DeploymentDefaults or its target's patch set sets wins, as a
value the user wrote wins in VVP. Flink adds the job id below the checkpoint
directory itself.

Examples
--------
>>> directories = blob_storage_directories(
...     "s3://flink/vvp/", {"metadata": {"name": "orders", "namespace": "team-a"}}
... )
>>> directories["state.checkpoints.dir"]
's3://flink/vvp/flink-jobs/namespaces/team-a/deployments/orders/checkpoints'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pulumi_flink.errors import SpecValidationError
from pulumi_flink.strategy import CHECKPOINTS_DIR, SAVEPOINTS_DIR
from pulumi_flink.vvp_settings import HA_STORAGE_DIR

BLOB_STORAGE_LAYOUT = {
    CHECKPOINTS_DIR: "checkpoints",
    SAVEPOINTS_DIR: "savepoints",
    HA_STORAGE_DIR: "ha",
}
"""The Flink configuration keys VVP fills, and their directory under the Deployment's."""

DEFAULT_VVP_NAMESPACE = "default"
"""The VVP namespace of a resource whose ``metadata.namespace`` is unset."""

_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s]+")


def blob_storage_problem(base_uri: object) -> str | None:
    """Why ``base_uri`` is not a blob storage base URI; ``None`` when it is one.

    >>> blob_storage_problem("s3://flink/vvp") is None
    True
    >>> blob_storage_problem("flink/vvp").startswith("'flink/vvp' is not a URI with a scheme")
    True
    """
    if isinstance(base_uri, str) and _URI.fullmatch(base_uri):
        return None
    return (
        f"{base_uri!r} is not a URI with a scheme, such as s3://my-bucket/vvp "
        "(VVP's vvp.blobStorage.baseUri)"
    )


def checked_blob_storage(base_uri: object, *, field: str = "blob_storage") -> str:
    """``base_uri`` without a trailing ``/``, once checked.

    Raises
    ------
    SpecValidationError
        Naming ``field`` when it is not a URI with a scheme.
    """
    problem = blob_storage_problem(base_uri)
    if problem is not None:
        raise SpecValidationError.single(field, problem)
    assert isinstance(base_uri, str)  # a URI, as just checked
    return base_uri.rstrip("/")


Collection = Literal["deployments", "sessionclusters"]
"""The directory of a resource's kind under its VVP namespace."""


def blob_storage_directories(
    base_uri: str, document: Mapping[str, Any], collection: Collection = "deployments"
) -> dict[str, str]:
    """The state directories VVP's blob storage gives a Deployment (a wire-format document).

    A SessionCluster's (``collection="sessionclusters"``) follow the same
    layout: ``.../namespaces/<ns>/sessionclusters/<id>/...`` (our choice; VVP
    documents only that its blob storage configures session clusters too).
    """
    metadata = document.get("metadata") or {}
    namespace = metadata.get("namespace") or DEFAULT_VVP_NAMESPACE
    resource_id = metadata.get("id") or metadata.get("name")
    root = f"{base_uri.rstrip('/')}/flink-jobs/namespaces/{namespace}/{collection}/{resource_id}"
    return {key: f"{root}/{directory}" for key, directory in BLOB_STORAGE_LAYOUT.items()}


def with_blob_storage(
    document: Mapping[str, Any], base_uri: str | None, collection: Collection = "deployments"
) -> dict[str, Any]:
    """The Deployment document with each state directory it does not set filled from blob storage.

    A Deployment in session mode is returned as it is: its session cluster's
    configuration holds the directories. So is every Deployment when
    ``base_uri`` is ``None``. A SessionCluster is filled in its Deployment
    view (:func:`~pulumi_flink.model.session_cluster.deployment_view_document`),
    with ``collection="sessionclusters"``.

    >>> document = {"metadata": {"name": "orders"}, "spec": {"template": {"spec": {
    ...     "flinkConfiguration": {"state.savepoints.dir": "s3://mine"}}}}}
    >>> filled = with_blob_storage(document, "s3://vvp")
    >>> filled["spec"]["template"]["spec"]["flinkConfiguration"]["state.savepoints.dir"]
    's3://mine'
    >>> filled["spec"]["template"]["spec"]["flinkConfiguration"]["high-availability.storageDir"]
    's3://vvp/flink-jobs/namespaces/default/deployments/orders/ha'
    """
    spec = document.get("spec") or {}
    if base_uri is None or spec.get("sessionClusterName") is not None:
        return dict(document)
    template = spec.get("template") or {}
    template_spec = template.get("spec") or {}
    configuration = template_spec.get("flinkConfiguration") or {}
    filled = {**blob_storage_directories(base_uri, document, collection), **configuration}
    return {
        **document,
        "spec": {
            **spec,
            "template": {
                **template,
                "spec": {**template_spec, "flinkConfiguration": filled},
            },
        },
    }
