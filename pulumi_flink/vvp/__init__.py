"""Read Ververica Platform exports: targets, session clusters, Deployments, Savepoints.

VVP's API returns resources as ``{apiVersion, kind, metadata, spec, status}``
documents, one per resource or wrapped in a ``DeploymentList`` /
``DeploymentTargetList`` / ``SessionClusterList``; teams keep them as YAML or
JSON files. This package reads them into the :mod:`pulumi_flink.model`
models, locating every problem to the file, the document and the field:

- :func:`load_vvp_documents` — the documents of one file, directory or text;
- :func:`read_vvp_export` — several sources checked together: each
  Deployment and SessionCluster placed on its DeploymentTarget and validated
  after the target's patch set, each session-mode Deployment placed in its
  SessionCluster, every problem collected (what ``pulumi-flink validate`` prints).

Examples
--------
>>> from pulumi_flink.vvp import load_vvp_documents
>>> documents = load_vvp_documents('''
... kind: DeploymentTarget
... metadata: {name: prod}
... spec: {kubernetes: {namespace: flink-prod}}
... ''')
>>> [(document.kind, document.name) for document in documents]
[('DeploymentTarget', 'prod')]
"""

from __future__ import annotations

from pathlib import Path

from pulumi_flink.blob_storage import checked_blob_storage
from pulumi_flink.errors import VvpImportError
from pulumi_flink.vvp._defaults import with_blob_storage_applied, with_defaults_applied
from pulumi_flink.vvp._documents import (
    AnyVvpDocument,
    DocumentProblem,
    DocumentSource,
    VvpDocument,
)
from pulumi_flink.vvp._export import (
    PlacedDeployment,
    PlacedSessionCluster,
    VvpExport,
    read_vvp_export,
)
from pulumi_flink.vvp._reading import read_all, read_vvp_documents

__all__ = [
    "AnyVvpDocument",
    "DocumentProblem",
    "DocumentSource",
    "PlacedDeployment",
    "PlacedSessionCluster",
    "VvpDocument",
    "VvpExport",
    "VvpImportError",
    "load_vvp_documents",
    "read_vvp_documents",
    "read_vvp_export",
]


def load_vvp_documents(
    path_or_text: str | Path, *, blob_storage: str | None = None
) -> list[AnyVvpDocument]:
    """Read the DeploymentTargets, SessionClusters, Deployments and Savepoints of an export.

    Parameters
    ----------
    path_or_text
        A ``.yaml``/``.yml``/``.json`` file (YAML files may hold several
        ``---``-separated documents), a directory (its files of those kinds
        in name order, not recursing), or the export's text. A ``str`` is
        text when it contains a newline or starts with ``{`` or ``[``.
    blob_storage
        VVP's blob storage base URI (``vvp.blobStorage.baseUri``, e.g.
        ``s3://my-bucket/vvp``): each application-mode Deployment gets the
        checkpoint, savepoint and HA directories it does not set, where VVP
        put them (:mod:`pulumi_flink.blob_storage`), after its
        DeploymentDefaults. Unset, the ``vvp.blobStorage.baseUri`` of VVP's
        Helm values among the documents, if any.

    Returns
    -------
    list of VvpDocument
        In order; each has ``kind``, ``name``, ``model`` (a
        :class:`~pulumi_flink.model.DeploymentTarget`,
        :class:`~pulumi_flink.model.SessionCluster`,
        :class:`~pulumi_flink.model.Deployment` or
        :class:`~pulumi_flink.model.Savepoint`) and ``source`` (file and
        0-based document index). A Deployment is checked for shape and single
        fields only: the rules across fields apply after its target's patch
        set (see :func:`read_vvp_export`).

    Warns
    -----
    VvpExportWarning
        For each document skipped (a VVP kind we do not deploy, such as a
        ``Job``, an ``Event`` or a ``Namespace``, or a Kubernetes object) and
        each Kubernetes custom resource read as the VVP resource it wraps.

    Raises
    ------
    VvpImportError
        Naming every problem (unreadable file, invalid YAML or JSON, unknown
        ``kind``, invalid field, malformed patch set) with its file and
        document index; ``problems`` holds them.

    Examples
    --------
    >>> [d.kind for d in load_vvp_documents('{"kind": "SessionCluster", "metadata": {"name": "s"}}')]
    ['SessionCluster']
    >>> load_vvp_documents('{"kind": "Deploymnet", "metadata": {"name": "s"}}')
    Traceback (most recent call last):
    ...
    pulumi_flink.errors.VvpImportError: 1 problem in the VVP export:
      <text>: document 0: kind: 'Deploymnet' is not supported; pulumi-flink reads DeploymentTarget, Deployment, SessionCluster, Savepoint, GlobalDeploymentDefaults, DeploymentDefaults, SecretValue, DeploymentTargetList, DeploymentList, SessionClusterList, SavepointList, SecretValueList
    """  # noqa: E501
    base_uri = None if blob_storage is None else checked_blob_storage(blob_storage)
    reader = read_all(path_or_text)
    reader.warn(stacklevel=3)
    problems = reader.problems
    documents = with_blob_storage_applied(
        with_defaults_applied(reader.documents, problems), base_uri or reader.blob_storage
    )
    if problems:
        raise VvpImportError(problems)
    return documents
