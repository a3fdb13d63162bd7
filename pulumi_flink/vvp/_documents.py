"""Typed VVP documents, where they came from, and what is wrong with them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeAlias, TypeVar

from pulumi_flink.errors import PatchSetError, PulumiFlinkError, SpecValidationError, one_line
from pulumi_flink.model import Deployment, DeploymentTarget, Savepoint, SessionCluster
from pulumi_flink.model.defaults import DeploymentDefaults
from pulumi_flink.model.secret_value import SecretValue

ResourceModel = TypeVar(
    "ResourceModel",
    DeploymentTarget,
    Deployment,
    SessionCluster,
    Savepoint,
    DeploymentDefaults,
    SecretValue,
)
"""The model of a VVP resource pulumi-flink reads."""


@dataclass(frozen=True)
class DocumentSource:
    """Where a document came from.

    Attributes
    ----------
    file
        The file's path as given (joined to its directory when read from one),
        or ``<text>`` for raw text.
    index
        0-based position of the document in the file's YAML stream (empty
        documents count); ``None`` when a problem concerns the whole file.
    item
        0-based position inside a VVP list document (``DeploymentList``,
        ``DeploymentTargetList``, ``SessionClusterList``), else ``None``.

    Examples
    --------
    >>> str(DocumentSource("vvp/prod.yaml", 2))
    'vvp/prod.yaml: document 2'
    >>> str(DocumentSource("export.json", 0, item=3))
    'export.json: document 0 item 3'
    """

    file: str
    index: int | None = None
    item: int | None = None

    def __str__(self) -> str:
        where = one_line(self.file)
        if self.index is not None:
            where += f": document {self.index}"
        if self.item is not None:
            where += f" item {self.item}"
        return where


@dataclass(frozen=True)
class VvpDocument(Generic[ResourceModel]):
    """One VVP resource read from an export: its model and its source.

    Attributes
    ----------
    source
        Where the document came from.
    model
        The parsed :class:`~pulumi_flink.model.DeploymentTarget` (fully
        validated, patch set included), :class:`~pulumi_flink.model.Deployment`
        or :class:`~pulumi_flink.model.SessionCluster` (shape and single-field
        rules only: the rules across fields hold only once its target's patch
        set is applied, or, in session mode, against its session cluster),
        or :class:`~pulumi_flink.model.Savepoint`.
    inferred_kind
        For a document without ``kind`` (a REST request body), how its kind
        was chosen; ``None`` when the document names it.
    """

    source: DocumentSource
    model: ResourceModel
    inferred_kind: str | None = None
    """Why the kind was inferred, for a document without ``kind``; else ``None``."""

    @property
    def kind(self) -> str:
        """``DeploymentTarget``, ``Deployment``, ``SessionCluster`` or ``Savepoint``."""
        return self.model.kind

    @property
    def name(self) -> str:
        """``metadata.name``; a Savepoint, which has none, is named by its ``metadata.id``."""
        return self.model.metadata.name or self.model.metadata.id or ""


AnyVvpDocument: TypeAlias = (
    VvpDocument[DeploymentTarget]
    | VvpDocument[Deployment]
    | VvpDocument[SessionCluster]
    | VvpDocument[Savepoint]
    | VvpDocument[DeploymentDefaults]
    | VvpDocument[SecretValue]
)
"""A document of any kind, as :func:`~pulumi_flink.vvp.load_vvp_documents` returns them."""


@dataclass(frozen=True)
class DocumentProblem:
    """One thing wrong with a VVP export, located to the document and field.

    Attributes
    ----------
    source
        The document (or file) at fault.
    subject
        The resource, such as ``Deployment 'orders'``; ``None`` when unknown.
    field
        The offending field as a dotted VVP camelCase path, for patch sets
        with the operation and its path; ``None`` for the whole document.
    reason
        What is wrong, with the fix when there is an obvious one.

    Examples
    --------
    >>> print(DocumentProblem(DocumentSource("app.yaml", 1), "Deployment 'orders'",
    ...                       "spec.template.spec.parallelism", "must be at least 1"))
    app.yaml: document 1: Deployment 'orders': spec.template.spec.parallelism: must be at least 1
    """

    source: DocumentSource
    subject: str | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        parts = (str(self.source), self.subject, self.field, self.reason)
        return one_line(": ".join(part for part in parts if part))


def subject_of(kind: str, name: object) -> str:
    """Name a resource the way problems do.

    >>> subject_of("Deployment", "orders")
    "Deployment 'orders'"
    >>> subject_of("Deployment", None)
    'Deployment'
    """
    return f"{kind} {name!r}" if isinstance(name, str) else kind


def problems_of_error(
    error: PulumiFlinkError, source: DocumentSource, subject: str, *, patch_owner: str = ""
) -> list[DocumentProblem]:
    """Locate a core error in a document: one problem per field.

    Parameters
    ----------
    error
        What :mod:`pulumi_flink.validation`, :func:`~pulumi_flink.effective_deployment`
        or :func:`~pulumi_flink.render_manifests` raised.
    source, subject
        The document the error belongs to.
    patch_owner
        Prefix naming the DeploymentTarget when a patch set error is reported
        on one of its Deployments (``"DeploymentTarget 'prod' "``).

    Examples
    --------
    >>> error = PatchSetError(1, {"op": "remove", "path": "/spec/x"}, "spec/x does not exist")
    >>> print(problems_of_error(error, DocumentSource("t.yaml", 0), "DeploymentTarget 'prod'")[0])
    t.yaml: document 0: DeploymentTarget 'prod': spec.deploymentPatchSet[1] (remove /spec/x): spec/x does not exist
    """  # noqa: E501
    if isinstance(error, SpecValidationError):
        return [
            DocumentProblem(source, subject, problem.field, problem.reason)
            for problem in error.problems
        ]
    if isinstance(error, PatchSetError):
        field = f"{patch_owner}spec.deploymentPatchSet[{error.index}]"
        if error.described:
            field += f" ({error.described})"
        return [DocumentProblem(source, subject, field, error.reason)]
    return [DocumentProblem(source, subject, None, str(error))]
