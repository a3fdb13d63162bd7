"""Read VVP exports (YAML or JSON; files, directories or text) into typed documents."""

from __future__ import annotations

import codecs
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_flink.artifacts import ARTIFACT_FETCHER_SECRET
from pulumi_flink.blob_storage import blob_storage_problem
from pulumi_flink.errors import InputFormatError, PulumiFlinkError, VvpExportWarning
from pulumi_flink.limits import MAX_DOCUMENTS, MAX_INPUT_BYTES, MAX_READ_BYTES, MAX_READ_FILES
from pulumi_flink.loading import load_json, load_yaml_documents
from pulumi_flink.model import Deployment, DeploymentTarget, Savepoint, SessionCluster
from pulumi_flink.model._base import VvpModel
from pulumi_flink.model.defaults import DEFAULTS_KINDS, DeploymentDefaults, merged
from pulumi_flink.model.secret_value import SecretValue
from pulumi_flink.model.vvp_fields import SKIPPED_KINDS
from pulumi_flink.target import prepare_target
from pulumi_flink.validation import parse_defaults, parse_model
from pulumi_flink.vvp._cloud import cloud_deployments, vvp_deployment
from pulumi_flink.vvp._documents import (
    AnyVvpDocument,
    DocumentProblem,
    DocumentSource,
    VvpDocument,
    problems_of_error,
    subject_of,
)

SUFFIXES = (".json", ".yaml", ".yml")
"""File name endings read from a directory; ``.json`` files are parsed as JSON."""

TEXT_FILE = "<text>"
"""The ``file`` of documents given as text."""

KINDS = (
    "DeploymentTarget",
    "Deployment",
    "SessionCluster",
    "Savepoint",
    *DEFAULTS_KINDS,
    "SecretValue",
)
"""The VVP resources pulumi-flink reads."""

LIST_KINDS = {
    "DeploymentTargetList": "DeploymentTarget",
    "DeploymentList": "Deployment",
    "SessionClusterList": "SessionCluster",
    "SavepointList": "Savepoint",
    "SecretValueList": "SecretValue",
}
"""VVP's list wrappers (what its list endpoints return) and the kind of their ``items``."""

_KNOWN_KINDS = ", ".join([*KINDS, *LIST_KINDS])

KUBERNETES_CORE_KINDS = frozenset(
    {
        "ConfigMap",
        "Secret",
        "Service",
        "ServiceAccount",
        "Pod",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Endpoints",
        "LimitRange",
        "ResourceQuota",
    }
)
"""Kubernetes ``v1`` kinds (no API group) that VVP does not define: skipped with a warning."""

VVP_CUSTOM_RESOURCES: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "ververica.platform": {"VvpDeployment": ("Deployment", ("deployment",))},
    "ververicaplatform.fintechstudios.com": {
        "VpDeployment": ("Deployment", ()),
        "VpDeploymentTarget": ("DeploymentTarget", ()),
        "VpSavepoint": ("Savepoint", ()),
        "VpNamespace": ("Namespace", ()),
    },
    "resource.streamnative.io": {
        "ComputeFlinkDeployment": ("Deployment", ("template", "deployment")),
    },
    "compute.streamnative.io": {"FlinkDeployment": ("Deployment", ("template", "deployment"))},
}
"""Kubernetes custom resources that wrap a VVP resource, by API group: the kind
they wrap, and where in their ``spec`` it is.

VVP's own Kubernetes operator (``VvpDeployment``) holds the Deployment in
``spec.deployment`` (``metadata``, or ``userMetadata`` in VVP 2, and
``spec``); the community operator (``Vp<Kind>``) holds it in ``spec``
(``metadata`` and ``spec``); StreamNative's VVP-based Flink service
(``ComputeFlinkDeployment``, ``compute.streamnative.io`` ``FlinkDeployment``)
in ``spec.template.deployment`` (``userMetadata`` and ``spec``). The custom
resource's ``metadata.name`` names the resource when the wrapped metadata
does not.
"""

CUSTOM_RESOURCE_FIELDS = ("syncingMode", "savepointNonce", "restartNonce")
"""Fields of VVP's operator's ``VvpDeployment`` that drive that operator: not carried over.

Its ``initFields`` (values set when the Deployment is created, PATCH mode)
are what the Deployment started with: merged under its ``spec``.
"""

SHAPES = (
    ("Deployment", "template"),
    ("Savepoint", "savepointLocation"),
    *(
        ("SessionCluster", field)
        for field in (
            "flinkVersion",
            "numberOfTaskManagers",
            "resources",
            "flinkConfiguration",
            "logging",
            "flinkImageRegistry",
            "flinkImageRepository",
            "flinkImageTag",
        )
    ),
    ("SecretValue", "value"),
)
"""A field of ``spec`` that only one kind has, in the order they are tried."""


def infer_kind(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """The kind of a document without ``kind``, from its shape, and why; else ``None``.

    Tools post ``{metadata, spec}`` to VVP's REST endpoints, the kind being
    the endpoint's.

    >>> infer_kind({"spec": {"template": {}}})
    ('Deployment', 'it has spec.template')
    >>> infer_kind({"spec": {"kubernetes": {"namespace": "jobs"}}})
    ('DeploymentTarget', 'its spec has only kubernetes.namespace and deploymentPatchSet')
    """
    spec = body.get("spec")
    if not isinstance(spec, Mapping) or not spec:
        return None
    for kind, field in SHAPES:
        if field in spec:
            return kind, f"it has spec.{field}"
    if set(spec) <= {"kubernetes", "deploymentPatchSet"}:
        return "DeploymentTarget", "its spec has only kubernetes.namespace and deploymentPatchSet"
    return None


def read_vvp_documents(
    path_or_text: str | Path,
    *,
    kind: str | None = None,
) -> tuple[list[AnyVvpDocument], list[DocumentProblem]]:
    """Read every document of a VVP export, collecting problems instead of raising.

    Parameters
    ----------
    path_or_text
        A file, a directory (its ``*.json``, ``*.yaml`` and ``*.yml`` files in
        name order, not recursing), or the text of an export (YAML, which
        includes JSON). A ``str`` is text when it contains a newline or starts
        with ``{`` or ``[``; otherwise it is a path. Files are read only when
        they are regular files; each file or text may hold at most
        :data:`~pulumi_flink.limits.MAX_INPUT_BYTES`. Anything else (bytes,
        ``None``, ``""``, a path with a NUL character) is a problem, not an
        exception.
    kind
        The kind of documents that name none (``--kind``); unset, it is
        inferred from their shape (:func:`infer_kind`) and the document's
        ``inferred_kind`` says how.

    Returns
    -------
    documents, problems
        The documents that parsed, in order, and every problem found.

    Warns
    -----
    VvpExportWarning
        For each document skipped (a VVP kind we do not deploy, such as
        ``Job`` or ``Event``, or a Kubernetes object; see :func:`skip_reason`)
        and each Kubernetes custom resource read as the VVP resource it wraps.

    Examples
    --------
    >>> documents, problems = read_vvp_documents('''
    ... kind: DeploymentTarget
    ... metadata: {name: dev}
    ... ''')
    >>> [(str(d.source), d.kind, d.name) for d in documents], problems
    ([('<text>: document 0', 'DeploymentTarget', 'dev')], [])
    """
    reader = read_all(path_or_text, kind=kind)
    reader.warn(stacklevel=3)
    return reader.documents, reader.problems


@dataclass
class ReadBudget:
    """What one read may still take, shared by all its files and texts (see the README, Limits).

    Each file and text is bounded by :data:`~pulumi_flink.limits.MAX_INPUT_BYTES`
    on its own; the budget bounds them together, so neither a directory of
    many files nor many file arguments add up to an unbounded run.
    """

    documents: int = MAX_DOCUMENTS
    bytes: int = MAX_READ_BYTES
    files: int = MAX_READ_FILES

    def exhausted(self) -> str | None:
        """Why the read must stop here, or ``None`` while something is left."""
        for left, limit, what in (
            (self.documents, MAX_DOCUMENTS, "documents"),
            (self.bytes, MAX_READ_BYTES, "bytes"),
            (self.files, MAX_READ_FILES, "files"),
        ):
            if left < 0:
                return (
                    f"more than {limit:,} {what} in one read (see the README, Limits): "
                    "split the export; the rest is not read"
                )
        return None


def read_all(
    path_or_text: str | Path, *, kind: str | None = None, budget: ReadBudget | None = None
) -> Reader:
    """Like :func:`read_vvp_documents`, keeping the warnings (skipped documents) as data.

    ``budget`` is shared by the reads of one export (a fresh one when unset).
    """
    reader = Reader(kind)
    budget = ReadBudget() if budget is None else budget
    if budget.exhausted():
        return reader
    for file, text in reader.texts(path_or_text, budget):
        for index, body in reader.bodies(file, text):
            for source, found, resource in reader.resources(DocumentSource(file, index), body):
                budget.documents -= 1
                if (why := budget.exhausted()) is not None:
                    reader.problem(source, why)
                    return reader
                reader.parse(source, found, resource)
    return reader


class Reader:
    """Turns texts into documents, noting every problem on the way."""

    def __init__(self, kind: str | None = None) -> None:
        self.kind = kind
        self.inferred: dict[DocumentSource, str] = {}
        self.documents: list[AnyVvpDocument] = []
        self.problems: list[DocumentProblem] = []
        self.kinds: set[str] = set()
        """Every kind a document was read as, whether it parsed or not."""
        self.blob_storage: str | None = None
        """The blob storage base URI of VVP's Helm values among the texts, the first one."""
        self.warnings: list[DocumentProblem] = []
        """Documents skipped (what we do not deploy) or unwrapped (custom resources), and why."""

    def warn(self, *, stacklevel: int) -> None:
        """Issue each of :attr:`warnings` as a :class:`~pulumi_flink.errors.VvpExportWarning`."""
        for warning in self.warnings:
            warnings.warn(str(warning), VvpExportWarning, stacklevel=stacklevel)

    def problem(
        self,
        source: DocumentSource,
        reason: str,
        *,
        subject: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problems.append(DocumentProblem(source, subject, field, reason))

    def texts(self, path_or_text: object, budget: ReadBudget) -> Iterator[tuple[str, str]]:
        """Each file's (or the text's) name and text, one at a time, charged to ``budget``."""
        if isinstance(path_or_text, str) and _is_text(path_or_text):
            if len(path_or_text) > MAX_INPUT_BYTES:
                self.problem(DocumentSource(TEXT_FILE), _too_large(len(path_or_text)))
            elif self._charged(budget, TEXT_FILE, characters=len(path_or_text)):
                yield TEXT_FILE, path_or_text
            return
        path = self._path(path_or_text)
        if path is None:
            return
        for file in self._files(path):
            if not self._charged(budget, str(file), files=1):
                return
            text = self._read(file)
            if text is None:
                continue
            if not self._charged(budget, str(file), characters=len(text)):
                return
            yield str(file), text

    def _charged(
        self, budget: ReadBudget, file: str, *, files: int = 0, characters: int = 0
    ) -> bool:
        """Take from ``budget``; when that exhausts it, note why and say so (``False``)."""
        budget.files -= files
        budget.bytes -= characters
        why = budget.exhausted()
        if why is not None:
            self.problem(DocumentSource(file), why)
        return why is None

    def _path(self, given: object) -> Path | None:
        """``given`` as a path to read, or ``None`` after noting why it is not one."""
        if not isinstance(given, str | Path):
            hint = "; decode it first" if isinstance(given, bytes | bytearray) else ""
            reason = (
                f"expected a path or the text of an export (a str), not "
                f"{type(given).__name__}{hint}"
            )
            self.problem(DocumentSource(TEXT_FILE), reason)
            return None
        if given == "":
            self.problem(
                DocumentSource(TEXT_FILE),
                "empty: give a file, a directory or the text of an export",
            )
            return None
        if "\0" in str(given):
            self.problem(DocumentSource(repr(str(given))), "a path cannot contain a NUL character")
            return None
        return Path(given)

    def _read(self, file: Path) -> str | None:
        source = DocumentSource(str(file))
        try:
            if not file.is_file():
                reason = "No such file or directory" if not file.exists() else "not a regular file"
                self.problem(source, f"cannot read: {reason}")
                return None
            with file.open("rb") as stream:
                data = stream.read(MAX_INPUT_BYTES + 1)
        except OSError as error:
            self.problem(source, f"cannot read: {error.strerror or error}")
            return None
        if len(data) > MAX_INPUT_BYTES:
            self.problem(source, _too_large(len(data), at_least=True))
            return None
        encoding = _encoding_of(data)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            self.problem(source, f"cannot read: not {encoding.upper()} text")
            return None

    def _files(self, path: Path) -> list[Path]:
        try:
            is_directory = path.is_dir()
        except OSError:
            is_directory = False
        if not is_directory:
            return [path]
        try:
            files = sorted(child for child in path.iterdir() if child.suffix in SUFFIXES)
        except OSError as error:
            self.problem(DocumentSource(str(path)), f"cannot read: {error.strerror or error}")
            return []
        if not files:
            patterns = ", ".join(f"*{suffix}" for suffix in SUFFIXES)
            self.problem(DocumentSource(str(path)), f"no {patterns} files in this directory")
        return files

    def bodies(self, file: str, text: str) -> list[tuple[int, object]]:
        """The documents of one file, with their index; ``.json`` files are JSON.

        A leading byte order mark (Windows editors write one) is not part of the text.
        """
        text = text.removeprefix("\ufeff")
        return (
            self._json_bodies(file, text)
            if file.endswith(".json")
            else self._yaml_bodies(file, text)
        )

    def _yaml_bodies(self, file: str, text: str) -> list[tuple[int, object]]:
        try:
            return list(enumerate(load_yaml_documents(text)))
        except InputFormatError as error:
            # The documents before the broken one are still read.
            read = error.documents_read
            self.problem(DocumentSource(file, len(read)), f"invalid YAML{_where(error)}")
            return list(enumerate(read))

    def _json_bodies(self, file: str, text: str) -> list[tuple[int, object]]:
        try:
            return [(0, load_json(text))]
        except InputFormatError as error:
            self.problem(DocumentSource(file, 0), f"invalid JSON{_where(error)}")
            return []

    def resources(
        self, source: DocumentSource, body: object
    ) -> Iterator[tuple[DocumentSource, str, Mapping[str, Any]]]:
        """The resources in one document: itself, or the items of a list.

        A bare array (what tools dump with ``jq -s`` or ``.items``) is read
        as a list of resources of any kind; VVP's Helm values give their
        global DeploymentDefaults (:meth:`helm_values`).
        """
        if body is None:  # an empty document, e.g. after a trailing '---'
            return
        if isinstance(body, Mapping) and body.get("kind") == "List":
            # Kubernetes' own list (kubectl get -o yaml): items of any kind.
            body = body.get("items")
        if isinstance(body, Mapping) and "kind" not in body and is_helm_values(body):
            yield from self.helm_values(source, body)
            return
        platform = platform_answer(body)
        if platform is not None:
            reason = f"skipped: VVP's platform API answer: {SKIPPED_KINDS[platform]}"
            self.warnings.append(DocumentProblem(source, platform, None, reason))
            return
        cloud = cloud_deployments(body)
        if cloud is not None:
            yield from self.cloud_deployments(source, cloud, listed=cloud[0] is not body)
            return
        if isinstance(body, list):
            for item, item_body in enumerate(body):
                item_source = DocumentSource(source.file, source.index, item)
                found = self._resource(item_source, item_body)
                if found is not None and found[0] not in LIST_KINDS:
                    yield item_source, *found
                elif found is not None:
                    self.problem(item_source, f"a {found[0]} inside an array", field="kind")
            return
        resource = self._resource(source, body)
        if resource is None:
            return
        kind, mapping = resource
        if kind not in LIST_KINDS:
            yield source, kind, mapping
            return
        items = mapping.get("items")
        if not isinstance(items, list):
            self.problem(source, "must be a list of resources", subject=kind, field="items")
            return
        item_kind = LIST_KINDS[kind]
        for item, item_body in enumerate(items):
            item_source = DocumentSource(source.file, source.index, item)
            if isinstance(item_body, Mapping):
                item_body = {"kind": item_kind, **item_body}
            found = self._resource(item_source, item_body)
            if found is None:
                continue
            if found[0] != item_kind:
                reason = f"a {kind} holds {item_kind} items, not {found[0]}"
                self.problem(item_source, reason, field="kind")
                continue
            yield item_source, item_kind, found[1]

    def cloud_deployments(
        self, source: DocumentSource, deployments: list[Mapping[str, Any]], *, listed: bool
    ) -> Iterator[tuple[DocumentSource, str, Mapping[str, Any]]]:
        """Ververica Cloud deployments, each read as the VVP Deployment it describes.

        A warning says so for each, naming what has no VVP field
        (:mod:`pulumi_flink.vvp._cloud`).
        """
        for item, cloud in enumerate(deployments):
            item_source = DocumentSource(source.file, source.index, item) if listed else source
            document, left_out = vvp_deployment(cloud)
            note = "a Ververica Cloud deployment (no kind; engineVersion, artifact.*Artifact): "
            note += "read as the VVP Deployment it describes"
            name = document["metadata"].get("name")
            if name != cloud.get("name"):
                note += f", named {name!r} by VVP's rules (its name is the displayName)"
            if left_out:
                note += f"; not carried over: {', '.join(left_out)}"
            subject = subject_of("Deployment", _name_of(document))
            self.warnings.append(DocumentProblem(item_source, subject, None, note))
            yield item_source, "Deployment", document

    def helm_values(
        self, source: DocumentSource, values: Mapping[str, Any]
    ) -> Iterator[tuple[DocumentSource, str, Mapping[str, Any]]]:
        """What VVP's Helm values say about Deployments.

        ``vvp.globalDeploymentDefaults`` (a YAML text, as the chart takes it,
        or a mapping) is read as ``GlobalDeploymentDefaults``, and
        ``vvp.blobStorage.baseUri`` becomes :attr:`blob_storage` (the first
        one read); a warning says so. A warning also names what VVP gave its
        jobs that is not carried over (``globalSessionClusterDefaults``, the
        blob storage's endpoint and credentials); the rest configures VVP itself.
        """
        vvp = values["vvp"]
        read = []
        not_given = [
            field
            for field, present in (
                ("vvp.blobStorage.s3", "s3" in _mapping(vvp.get("blobStorage"))),
                ("blobStorageCredentials", "blobStorageCredentials" in values),
            )
            if present
        ]
        if not_given:
            reason = (
                f"not given to the jobs: {' and '.join(not_given)}; set s3.endpoint and the "
                "credentials (secret values, e.g. s3.secret-key: ${name}) through the "
                "target's patch set; for artifacts in the blob storage on Flink before 1.19, "
                "copy VVP's credentials Secret into the jobs' namespace and name it in "
                f"the template annotation {ARTIFACT_FETCHER_SECRET}"
            )
            self.warnings.append(DocumentProblem(source, "Helm values", None, reason))
        base_uri = _mapping(vvp.get("blobStorage")).get("baseUri")
        if base_uri is not None:
            field = "vvp.blobStorage.baseUri"
            problem = blob_storage_problem(base_uri)
            if problem is not None:
                self.problem(source, problem, subject="Helm values", field=field)
            elif self.blob_storage is None:
                self.blob_storage = base_uri
                read.append(f"{field} as the blob storage")
        if "globalSessionClusterDefaults" in vvp:
            reason = f"skipped: {SKIPPED_KINDS['SessionClusterDefaults']}"
            self.warnings.append(
                DocumentProblem(source, "Helm values", "vvp.globalSessionClusterDefaults", reason)
            )
        defaults = vvp.get("globalDeploymentDefaults")
        if isinstance(defaults, str):
            defaults = self._embedded_yaml(source, defaults, "vvp.globalDeploymentDefaults")
        if isinstance(defaults, Mapping):
            read.append("vvp.globalDeploymentDefaults as GlobalDeploymentDefaults")
        elif defaults is not None:
            reason = f"expected a YAML text or a mapping, got {type(defaults).__name__}"
            self.problem(
                source, reason, subject="Helm values", field="vvp.globalDeploymentDefaults"
            )
        note = f"VVP's Helm values: read {' and '.join(read) if read else 'nothing'}; the "
        note += "rest configures VVP itself"
        self.warnings.append(DocumentProblem(source, "Helm values", None, note))
        if isinstance(defaults, Mapping):
            yield (
                source,
                "GlobalDeploymentDefaults",
                {**defaults, "kind": "GlobalDeploymentDefaults"},
            )

    def _embedded_yaml(self, source: DocumentSource, text: str, field: str) -> object:
        """The single document of a YAML text held in a value; ``None`` after noting why not."""
        try:
            documents = [d for d in load_yaml_documents(text) if d is not None]
        except InputFormatError as error:
            self.problem(source, f"invalid YAML{_where(error)}", subject="Helm values", field=field)
            return None
        if len(documents) != 1:
            reason = f"expected one YAML document, found {len(documents)}"
            self.problem(source, reason, subject="Helm values", field=field)
            return None
        return documents[0]

    def _resource(
        self, source: DocumentSource, body: object
    ) -> tuple[str, Mapping[str, Any]] | None:
        """The kind and body of a resource to read; ``None`` after noting a problem or a skip."""
        if not isinstance(body, Mapping):
            reason = (
                "expected a VVP resource (a mapping with kind, apiVersion, metadata "
                f"and spec), got {type(body).__name__}"
            )
            self.problem(source, reason)
            return None
        kind = body.get("kind")
        if kind is None:
            kind = self._kind_of(source, body)
            if kind is not None:
                body = {**body, "kind": kind}
        if isinstance(kind, str):
            kind, body, unwrapped = _unwrapped(kind, body)
            if (kind in KINDS or kind in LIST_KINDS) and _api_group(body) is None:
                if unwrapped is not None:
                    subject = subject_of(kind, _name_of(body))
                    self.warnings.append(DocumentProblem(source, subject, "kind", unwrapped))
                return kind, body
            skip = skip_reason(kind, body)
            if skip is not None:
                field, reason = skip
                self.warnings.append(
                    DocumentProblem(source, subject_of(kind, _name_of(body)), field, reason)
                )
                return None
        reason = (
            f"missing, and the shape does not tell; add it or pass --kind (one of {_KNOWN_KINDS})"
            if kind is None
            else f"{kind!r} is not supported; pulumi-flink reads {_KNOWN_KINDS}"
        )
        self.problem(source, reason, field="kind")
        return None

    def _kind_of(self, source: DocumentSource, body: Mapping[str, Any]) -> str | None:
        """The kind of a document that names none: the one given, else its shape's."""
        if self.kind is not None:
            self.inferred[source] = f"no kind; read as {self.kind} (--kind)"
            return self.kind
        found = infer_kind(body)
        if found is None:
            return None
        kind, why = found
        self.inferred[source] = f"no kind; read as {kind} because {why} (--kind chooses)"
        return kind

    def parse(self, source: DocumentSource, kind: str, body: Mapping[str, Any]) -> None:
        self.kinds.add(kind)
        body = self._known_metadata(source, kind, body)
        metadata = body.get("metadata")
        # A Savepoint has no name: its id names it.
        name = (
            (metadata.get("name") or metadata.get("id")) if isinstance(metadata, Mapping) else None
        )
        subject = subject_of(kind, name)
        document: AnyVvpDocument
        try:
            if kind == "DeploymentTarget":
                document = VvpDocument(
                    source, prepare_target(body).model, self.inferred.get(source)
                )
            elif kind in DEFAULTS_KINDS:
                document = VvpDocument(source, parse_defaults(body), self.inferred.get(source))
            elif kind == "SecretValue":
                document = VvpDocument(
                    source, parse_model(SecretValue, body), self.inferred.get(source)
                )
            elif kind == "Savepoint":
                document = VvpDocument(
                    source, parse_model(Savepoint, body), self.inferred.get(source)
                )
            elif kind == "SessionCluster":
                # Shape only: the rules across fields wait for the target's patch set.
                document = VvpDocument(
                    source, parse_model(SessionCluster, body), self.inferred.get(source)
                )
            else:
                document = VvpDocument(
                    source, parse_model(Deployment, body), self.inferred.get(source)
                )
        except PulumiFlinkError as error:
            self.problems.extend(problems_of_error(error, source, subject))
            return
        self.documents.append(document)

    def _known_metadata(
        self, source: DocumentSource, kind: str, body: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        """``body`` without the ``metadata`` fields its kind lacks, named in a warning.

        ``metadata`` only describes a resource (VVP's server sets most of it
        and adds fields from one release to the next); a field in ``spec``
        that we do not know stays an error, since it would change what runs.
        """
        metadata = body.get("metadata")
        known = METADATA_FIELDS[kind]
        if not isinstance(metadata, Mapping) or all(key in known for key in metadata):
            return body
        unknown = [key for key in metadata if key not in known]
        reason = (
            f"{', '.join(map(repr, unknown))}: not a metadata field of a VVP {kind} that "
            "pulumi-flink knows (set by a newer VVP?); ignored"
        )
        name = metadata.get("name") or metadata.get("id")
        self.warnings.append(DocumentProblem(source, subject_of(kind, name), "metadata", reason))
        return {**body, "metadata": {k: v for k, v in metadata.items() if k in known}}


def _metadata_fields(model: type[VvpModel]) -> frozenset[str]:
    """The ``metadata`` keys a document of ``model`` may have (camelCase, and snake_case)."""
    metadata = model.model_fields["metadata"].annotation
    assert isinstance(metadata, type) and issubclass(metadata, VvpModel)
    fields = metadata.model_fields
    return frozenset({*fields, *(field.alias for field in fields.values() if field.alias)})


METADATA_FIELDS: dict[str, frozenset[str]] = {
    kind: _metadata_fields(model)
    for kind, model in (
        ("DeploymentTarget", DeploymentTarget),
        ("Deployment", Deployment),
        ("SessionCluster", SessionCluster),
        ("Savepoint", Savepoint),
        ("DeploymentDefaults", DeploymentDefaults),
        ("GlobalDeploymentDefaults", DeploymentDefaults),
        ("SecretValue", SecretValue),
    )
}
"""Per kind we read, the ``metadata`` fields its model defines."""


def _unwrapped(kind: str, body: Mapping[str, Any]) -> tuple[str, Mapping[str, Any], str | None]:
    """The VVP resource a Kubernetes custom resource wraps, and a note saying so.

    Anything else is returned as it is, without a note.
    """
    wrapping = VVP_CUSTOM_RESOURCES.get(_api_group(body) or "", {}).get(kind)
    if wrapping is None:
        return kind, body, None
    wrapped_kind, path = wrapping
    # The operator's own fields sit beside the wrapped resource.
    holder = inner = _mapping(body.get("spec"))
    for key in path:
        holder, inner = inner, _mapping(inner.get(key))
    metadata = dict(_mapping(inner.get("metadata", inner.get("userMetadata"))))
    name = _mapping(body.get("metadata")).get("name")
    if "name" not in metadata and name is not None:
        metadata["name"] = name
    unwrapped: dict[str, Any] = {"kind": wrapped_kind, "metadata": metadata}
    if "spec" in inner:
        unwrapped["spec"] = inner["spec"]
    note = f"a {kind} custom resource: read as the VVP {wrapped_kind} it holds"
    initial = _mapping(_mapping(holder.get("initFields")).get("spec"))
    if path and initial and isinstance(inner.get("spec", {}), Mapping):
        unwrapped["spec"] = merged(initial, inner.get("spec", {}))
        note += "; its initFields (the values it was created with) merged under its spec"
    left_out = [field for field in CUSTOM_RESOURCE_FIELDS if field in holder]
    if path and left_out:
        note += f"; its operator's {', '.join(left_out)} not carried over"
    return wrapped_kind, unwrapped, note


PLATFORM_ANSWERS = {
    "namespace": "Namespace",
    "namespaces": "Namespace",
    "apiToken": "ApiToken",
    "apiTokens": "ApiToken",
}
"""What VVP's platform API (``/namespaces/v1/...``, ``/apitokens/v1/...``) answers,
without ``kind``: its single key, and the kind it holds."""


def platform_answer(body: object) -> str | None:
    """The kind a VVP platform API answer holds (``{"namespaces": [...]}``), else ``None``.

    >>> platform_answer({"namespaces": [{"name": "namespaces/default"}]})
    'Namespace'
    >>> platform_answer({"namespace": "default", "spec": {}}) is None
    True
    """
    if not isinstance(body, Mapping) or len(body) != 1:
        return None
    [(key, value)] = body.items()
    return PLATFORM_ANSWERS.get(key) if isinstance(value, Mapping | list) else None


def is_helm_values(body: Mapping[str, Any]) -> bool:
    """True for VVP's Helm values: a ``vvp:`` section, and no ``metadata`` or ``spec``.

    >>> is_helm_values({"vvp": {"blobStorage": {"baseUri": "s3://vvp"}}})
    True
    """
    return isinstance(body.get("vvp"), Mapping) and not {"metadata", "spec"} & set(body)


def skip_reason(kind: str, body: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a document we do not deploy is skipped, and the field that tells; else ``None``.

    VVP's own kinds that describe VVP itself (:data:`~pulumi_flink.model.vvp_fields.SKIPPED_KINDS`,
    and their ``<Kind>List``), and Kubernetes objects (an API group in
    ``apiVersion``, or a core kind VVP does not define), as exports of a whole
    namespace or a Helm chart hold them beside the resources we deploy.

    >>> skip_reason("Event", {})
    ('kind', "skipped: VVP's record of what happened to a resource")
    >>> skip_reason("Deployment", {"apiVersion": "apps/v1"})
    ('apiVersion', 'skipped: a Kubernetes Deployment (apps/v1), not a VVP resource')
    >>> skip_reason("Deploymnet", {}) is None
    True
    """
    listed = kind.removesuffix("List")
    if _api_group(body) is not None or (kind in KUBERNETES_CORE_KINDS):
        api_version = body.get("apiVersion", "v1")
        return "apiVersion", f"skipped: a Kubernetes {kind} ({api_version}), not a VVP resource"
    if kind in SKIPPED_KINDS:
        return "kind", f"skipped: {SKIPPED_KINDS[kind]}"
    if listed != kind and listed in SKIPPED_KINDS:
        return "kind", f"skipped: a list of {listed} ({SKIPPED_KINDS[listed]})"
    return None


def _api_group(body: Mapping[str, Any]) -> str | None:
    """The API group of ``apiVersion`` (``apps`` of ``apps/v1``); ``None`` for VVP's ``v1``."""
    api_version = body.get("apiVersion")
    if isinstance(api_version, str) and "/" in api_version:
        return api_version.partition("/")[0]
    return None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _name_of(body: Mapping[str, Any]) -> object:
    metadata = _mapping(body.get("metadata"))
    return metadata.get("name") or metadata.get("id")


_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte order marks of the encodings besides UTF-8 that editors and shells write.

Windows PowerShell's ``>`` writes UTF-16 with a BOM, so ``curl $VVP/... > export.json``
there makes such a file; YAML allows UTF-16 and UTF-32 too. UTF-32 LE comes
first: its BOM starts with UTF-16 LE's.
"""


def _encoding_of(data: bytes) -> str:
    """The encoding a file's byte order mark names (the codec strips it); else UTF-8.

    >>> _encoding_of("x".encode("utf-16")), _encoding_of(b"kind: Deployment")
    ('utf-16', 'utf-8')
    """
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            return encoding
    return "utf-8"


def _is_text(value: str) -> bool:
    return "\n" in value or value.lstrip().startswith(("{", "["))


def _where(error: InputFormatError) -> str:
    if error.line is not None:
        return f" at line {error.line}, column {error.column}: {error.reason}"
    return f": {error.reason}"


def _too_large(size: int, *, at_least: bool = False) -> str:
    return (
        f"{'more than ' if at_least else ''}{size:,} bytes; a file or text may hold at most "
        f"{MAX_INPUT_BYTES:,} bytes (see the README, Limits): split the export"
    )
