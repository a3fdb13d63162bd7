"""Read VVP exports (YAML or JSON; files, directories or text) into typed documents."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pulumi_flink.errors import InputFormatError, PulumiFlinkError
from pulumi_flink.limits import MAX_INPUT_BYTES
from pulumi_flink.loading import load_json, load_yaml_documents
from pulumi_flink.model import Deployment, Savepoint, SessionCluster
from pulumi_flink.model.defaults import DEFAULTS_KINDS
from pulumi_flink.model.secret_value import SecretValue
from pulumi_flink.target import prepare_target
from pulumi_flink.validation import parse_defaults, parse_model
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

SHAPES = (
    ("Deployment", "template"),
    ("Savepoint", "savepointLocation"),
    ("SessionCluster", "flinkVersion"),
    ("SessionCluster", "numberOfTaskManagers"),
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

    Examples
    --------
    >>> documents, problems = read_vvp_documents('''
    ... kind: DeploymentTarget
    ... metadata: {name: dev}
    ... ''')
    >>> [(str(d.source), d.kind, d.name) for d in documents], problems
    ([('<text>: document 0', 'DeploymentTarget', 'dev')], [])
    """
    reader = _Reader(kind)
    for file, text in reader.texts(path_or_text):
        for index, body in reader.bodies(file, text):
            for source, kind, resource in reader.resources(DocumentSource(file, index), body):
                reader.parse(source, kind, resource)
    return reader.documents, reader.problems


class _Reader:
    """Turns texts into documents, noting every problem on the way."""

    def __init__(self, kind: str | None = None) -> None:
        self.kind = kind
        self.inferred: dict[DocumentSource, str] = {}
        self.documents: list[AnyVvpDocument] = []
        self.problems: list[DocumentProblem] = []

    def problem(
        self,
        source: DocumentSource,
        reason: str,
        *,
        subject: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problems.append(DocumentProblem(source, subject, field, reason))

    def texts(self, path_or_text: object) -> list[tuple[str, str]]:
        if isinstance(path_or_text, str) and _is_text(path_or_text):
            if len(path_or_text) > MAX_INPUT_BYTES:
                self.problem(DocumentSource(TEXT_FILE), _too_large(len(path_or_text)))
                return []
            return [(TEXT_FILE, path_or_text)]
        path = self._path(path_or_text)
        if path is None:
            return []
        texts = []
        for file in self._files(path):
            text = self._read(file)
            if text is not None:
                texts.append((str(file), text))
        return texts

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
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.problem(source, "cannot read: not UTF-8 text")
            return None

    def _files(self, path: Path) -> list[Path]:
        try:
            is_directory = path.is_dir()
        except OSError:
            is_directory = False
        if not is_directory:
            return [path]
        files = sorted(child for child in path.iterdir() if child.suffix in SUFFIXES)
        if not files:
            patterns = ", ".join(f"*{suffix}" for suffix in SUFFIXES)
            self.problem(DocumentSource(str(path)), f"no {patterns} files in this directory")
        return files

    def bodies(self, file: str, text: str) -> list[tuple[int, object]]:
        """The documents of one file, with their index; ``.json`` files are JSON."""
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
        as a list of resources of any kind.
        """
        if body is None:  # an empty document, e.g. after a trailing '---'
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

    def _resource(
        self, source: DocumentSource, body: object
    ) -> tuple[str, Mapping[str, Any]] | None:
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
        if isinstance(kind, str) and (kind in KINDS or kind in LIST_KINDS):
            return kind, body
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
