"""How each artifact kind reaches the Flink job, per Flink version and engine.

One place decides, for every URI an artifact names, who brings the file to the
job; validation refuses at ``preview`` what no mechanism can bring
(:func:`artifact_problems`), and the renderers render the plan
(:func:`job_artifacts`). Nothing is dropped silently.

Who brings a file (checked against Flink's own classes of each release):

- **the image** — ``local:///path`` and ``file:///path`` name a file inside
  the Flink image.
- **Flink itself** — from 1.19 (``fetches_artifacts`` in
  :data:`~pulumi_flink.model.versions.FLINK_VERSIONS`) for JAR and SQLSCRIPT
  jobs: the operator engine's native application mode downloads a remote
  ``jarURI`` and the ``user.artifacts.artifact-list`` (``;``-separated), and
  ``standalone-job --jars=a,b`` downloads its list. ``s3``/``gs``/``abfs``
  go through Flink's filesystem plugins (the image must enable the plugin,
  e.g. ``ENABLE_BUILT_IN_PLUGINS``); plain ``http://`` needs
  ``user.artifacts.raw-http-enabled: true``, which is set. PyFlink jobs skip
  this fetching in Flink (the entrypoints test ``isPython`` first).
- **our init containers** — otherwise (before 1.19, for PyFlink, and
  wherever the template annotation :data:`ARTIFACT_FETCHER` is
  ``init-container``), init containers fill an ``emptyDir`` that both pods
  mount as ``/opt/flink/usrlib``: ``fetch-artifacts``, running the job's own
  image, first copies the image's own ``usrlib``, then downloads
  ``http(s)://`` files with the image's ``wget`` and copies in-image files;
  then ``fetch-object-store-artifacts``, as VVP's artifact fetcher does, runs
  an object-store client image (:data:`DEFAULT_FETCHER_IMAGE`, rclone, which
  speaks every scheme of :data:`OBJECT_STORE_SCHEMES`; overridable with
  :data:`ARTIFACT_FETCHER_IMAGE`) with credentials by reference only (see
  :mod:`pulumi_flink.render.artifacts`). Flink puts every jar of ``usrlib``
  on the job's classpath in every version (1.13+), both engines.

Kinds:

- **JAR** runs ``jarUri`` / ``entryClass`` / ``mainArgs``.
- **PYTHON** runs Flink's ``PythonDriver`` (``-py file.py`` or ``-pym module``
  with the artifact on ``python.files``), as the operator's PyFlink example
  does; ``additionalPythonLibraries`` go to ``python.files`` and
  ``additionalPythonArchives`` to ``python.archives``. The image must contain
  Python and PyFlink (``flinkImage*`` fields or the target's patch set).
- **SQLSCRIPT**: the script is rendered into a ConfigMap mounted at
  ``/opt/flink/sql``. From Flink 2.0 Flink's ``SqlDriver`` runs it
  (``--scriptUri file:///opt/flink/sql/script.sql``; the operator engine's
  job jar is the image's ``opt/flink-sql-gateway-*.jar``, staged into
  ``usrlib``, because operators before Flink 2.0 clients insist on one job
  jar). Before 2.0 a SQL runner the platform names in annotations
  (:data:`SQL_RUNNER_ANNOTATIONS`) runs it.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import Artifact
from pulumi_flink.model.deployment import split_arguments
from pulumi_flink.model.versions import flink_version

Engine = Literal["operator", "standalone"]

ARTIFACT_FIELD = "spec.template.spec.artifact"
ANNOTATIONS_FIELD = "spec.template.metadata.annotations"

USRLIB_DIR = "/opt/flink/usrlib"
"""Flink puts every jar here on the job's classpath (both engines, every version)."""
SQL_SCRIPT_DIR = "/opt/flink/sql"
SQL_SCRIPT_KEY = "script.sql"
SQL_SCRIPT_PATH = f"{SQL_SCRIPT_DIR}/{SQL_SCRIPT_KEY}"

PYTHON_DRIVER = "org.apache.flink.client.python.PythonDriver"
SQL_DRIVER = "org.apache.flink.table.runtime.application.SqlDriver"
SQL_GATEWAY_JAR = "flink-sql-gateway"
"""File name prefix of the jar in the image's ``opt/`` that ``SqlDriver`` loads."""

ARTIFACT_LIST = "user.artifacts.artifact-list"
RAW_HTTP_ENABLED = "user.artifacts.raw-http-enabled"
PYTHON_FILES = "python.files"
PYTHON_ARCHIVES = "python.archives"

SQL_RUNNER_JAR_URI = "pulumi-flink.dev/sql-runner-jar-uri"
SQL_RUNNER_ENTRY_CLASS = "pulumi-flink.dev/sql-runner-entry-class"
SQL_RUNNER_ARGS = "pulumi-flink.dev/sql-runner-args"
SQL_RUNNER_ANNOTATIONS = (SQL_RUNNER_JAR_URI, SQL_RUNNER_ENTRY_CLASS, SQL_RUNNER_ARGS)
"""Template annotations naming the SQL runner for Flink before 2.0."""
SCRIPT_PLACEHOLDER = "{script}"
DEFAULT_SQL_RUNNER_ARGS = SCRIPT_PLACEHOLDER
"""The operator's SQL runner example takes the script's path as its only argument."""

ARTIFACT_FETCHER = "pulumi-flink.dev/artifact-fetcher"
"""Template annotation: ``init-container`` stages every remote file with init
containers even where Flink 1.19+ would fetch it itself (``auto``, the default)."""
ARTIFACT_FETCHER_IMAGE = "pulumi-flink.dev/artifact-fetcher-image"
"""Template annotation: the object-store client image (default :data:`DEFAULT_FETCHER_IMAGE`)."""
ARTIFACT_FETCHER_SECRET = "pulumi-flink.dev/artifact-fetcher-secret"
"""Template annotation: a Secret in the job's namespace with object-store credentials."""
FETCHER_MODES = ("auto", "init-container")
DEFAULT_FETCHER_IMAGE = "rclone/rclone:1.68.2"
"""The pinned object-store client: one static binary that reads s3, gs, azure blob and oss."""

IMAGE_SCHEMES = ("local", "file")
HTTP_SCHEMES = ("https", "http")
OBJECT_STORE_REMOTES = {
    "s3": "s3",
    "s3a": "s3",
    "s3p": "s3",
    "gs": "gcs",
    "abfs": "azure",
    "abfss": "azure",
    "wasb": "azure",
    "wasbs": "azure",
    "oss": "oss",
}
"""Object-store schemes (Flink's filesystem plugins) and the fetcher's remote for each."""
OBJECT_STORE_SCHEMES = tuple(OBJECT_STORE_REMOTES)
SCHEMES = (*OBJECT_STORE_SCHEMES, *HTTP_SCHEMES, *IMAGE_SCHEMES)

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "JAR": ("jarUri", "entryClass", "mainArgs", "additionalDependencies"),
    "PYTHON": (
        "pythonArtifactUri",
        "entryModule",
        "mainArgs",
        "additionalPythonLibraries",
        "additionalPythonArchives",
        "additionalDependencies",
    ),
    "SQLSCRIPT": ("sqlScript", "additionalDependencies"),
}
"""The fields each kind reads; the first one is required."""

_REQUIRED_HINTS = {
    "JAR": "the location of the job jar, e.g. local:///opt/flink/usrlib/job.jar or "
    "s3://bucket/job.jar",
    "PYTHON": "the job's .py file (or, with entryModule, a zip of its modules), e.g. "
    "local:///opt/flink/usrlib/job.py",
    "SQLSCRIPT": "the SQL statements to run",
}

_SNAKE = {
    "jarUri": "jar_uri",
    "entryClass": "entry_class",
    "mainArgs": "main_args",
    "additionalDependencies": "additional_dependencies",
    "pythonArtifactUri": "python_artifact_uri",
    "entryModule": "entry_module",
    "additionalPythonLibraries": "additional_python_libraries",
    "additionalPythonArchives": "additional_python_archives",
    "sqlScript": "sql_script",
}

Delivery = Literal["image", "flink", "staged"]


@dataclass(frozen=True)
class StagedFile:
    """A file the ``fetch-artifacts`` init container puts into ``usrlib``."""

    source: str
    """An ``http(s)://`` URL, a path in the image, ``opt:<prefix>`` (the one
    ``opt/<prefix>-*.jar`` of the image), or an object-store URI (fetched by the
    object-store client, see :func:`object_store_path`)."""
    name: str
    """File name in ``usrlib``."""

    @property
    def path(self) -> str:
        """Where the job's containers see the file."""
        return f"{USRLIB_DIR}/{self.name}"

    @property
    def object_store_remote(self) -> str | None:
        """The object-store client's remote that fetches it; ``None``: the job's image does."""
        return OBJECT_STORE_REMOTES.get(uri_scheme(self.source) or "")


@dataclass(frozen=True)
class JobArtifacts:
    """What the job runs and what must be in place for it, for one engine."""

    jar_uri: str | None
    """The operator's ``job.jarURI`` (unused by the standalone engine)."""
    entry_class: str | None
    args: tuple[str, ...]
    """Program arguments."""
    flink_jars: tuple[str, ...] = ()
    """URIs Flink fetches itself: the standalone engine's ``--jars=``."""
    staged: tuple[StagedFile, ...] = ()
    """Files the init container puts into ``usrlib``."""
    flink_configuration: Mapping[str, str] = field(default_factory=dict)
    """Configuration the delivery needs (artifact list, raw HTTP, Python files)."""
    sql_script: str | None = None
    """The SQL script, for the ConfigMap mounted at :data:`SQL_SCRIPT_DIR`."""
    fetcher_image: str = DEFAULT_FETCHER_IMAGE
    """The object-store client image (:data:`ARTIFACT_FETCHER_IMAGE`)."""
    fetcher_secret: str | None = None
    """The Secret with object-store credentials (:data:`ARTIFACT_FETCHER_SECRET`)."""

    @property
    def object_store_files(self) -> tuple[StagedFile, ...]:
        """The staged files the object-store client fetches."""
        return tuple(staged for staged in self.staged if staged.object_store_remote)


def artifact_problems(artifact: Artifact, annotations: Mapping[str, str]) -> list[FieldProblem]:
    """Everything that keeps the artifact from running: fields, URIs, SQL runner.

    Engine-independent: both engines bring the same files the same ways.
    """
    problems = _field_problems(artifact)
    if problems:
        return problems
    plan = _Planner(artifact, annotations, "operator")
    plan.plan()
    return plan.problems


def job_artifacts(
    artifact: Artifact, annotations: Mapping[str, str], engine: Engine
) -> JobArtifacts:
    """The plan for a validated artifact on ``engine``.

    Reusable by every job-running object (FlinkDeployment, standalone
    JobManager). Raises :class:`~pulumi_flink.errors.SpecValidationError`
    only for an artifact that :func:`artifact_problems` would have refused.
    """
    planner = _Planner(artifact, annotations, engine)
    result = planner.plan()
    if planner.problems:
        raise SpecValidationError(planner.problems)
    return result


def session_job_artifacts(artifact: Artifact) -> JobArtifacts:
    """The plan of a session job: the operator fetches a FlinkSessionJob's jar itself.

    Only JAR artifacts without extra jars run as session jobs (the session
    rules in :mod:`pulumi_flink.validation` refuse the rest).
    """
    return JobArtifacts(
        jar_uri=artifact.jar_uri,
        entry_class=artifact.entry_class,
        args=tuple(split_arguments(artifact.main_args or "")),
    )


def sql_runner_hint(version: str) -> str:
    """What to set for a SQLSCRIPT artifact on a Flink version without ``SqlDriver``."""
    return (
        f"Flink {version} has no built-in way to run a SQL script (Flink's SqlDriver "
        "arrives in 2.0): name a SQL runner in the Deployment or through the target's "
        f"deploymentPatchSet: {ANNOTATIONS_FIELD}['{SQL_RUNNER_JAR_URI}'] (the runner jar, "
        "e.g. local:///opt/flink/usrlib/sql-runner.jar in an image set with "
        f"flinkImageRepository/flinkImageTag), optionally ['{SQL_RUNNER_ENTRY_CLASS}'] and "
        f"['{SQL_RUNNER_ARGS}'] (default '{DEFAULT_SQL_RUNNER_ARGS}', where "
        f"{SCRIPT_PLACEHOLDER} is the script's path); patch path "
        "/spec/template/metadata/annotations/pulumi-flink.dev~1sql-runner-jar-uri; "
        "or use flinkVersion 2.0 or later"
    )


def _set_fields(artifact: Artifact) -> list[str]:
    return [name for name, attribute in _SNAKE.items() if getattr(artifact, attribute)]


def _field_problems(artifact: Artifact) -> list[FieldProblem]:
    allowed = KIND_FIELDS[artifact.kind]
    problems = []
    if not getattr(artifact, _SNAKE[allowed[0]]):
        problems.append(
            FieldProblem(
                f"{ARTIFACT_FIELD}.{allowed[0]}",
                f"required for a {artifact.kind} artifact: {_REQUIRED_HINTS[artifact.kind]}",
            )
        )
    for name in _set_fields(artifact):
        if name not in allowed:
            owners = " or ".join(kind for kind, fields in KIND_FIELDS.items() if name in fields)
            problems.append(
                FieldProblem(
                    f"{ARTIFACT_FIELD}.{name}",
                    f"a {artifact.kind} artifact has no {name} (it belongs to {owners} "
                    f"artifacts); remove it or set kind: {owners.split(' or ')[0]}",
                )
            )
    return problems


class _Planner:
    """Decides every URI's delivery once; collects problems instead of raising."""

    def __init__(self, artifact: Artifact, annotations: Mapping[str, str], engine: Engine):
        self.artifact = artifact
        self.annotations = annotations
        self.engine = engine
        self.version = flink_version(artifact.flink_version)
        self.problems: list[FieldProblem] = []
        mode = annotations.get(ARTIFACT_FETCHER, "auto")
        if mode not in FETCHER_MODES:
            self._annotation_problem(
                ARTIFACT_FETCHER,
                f"{mode!r} is not a fetcher mode; use one of {', '.join(FETCHER_MODES)}",
            )
        # PyFlink jobs skip Flink's own artifact fetching (isPython in both entrypoints).
        self.flink_fetches = (
            self.version.fetches_artifacts
            and artifact.kind != "PYTHON"
            and mode != "init-container"
        )
        self.fetcher_image = annotations.get(ARTIFACT_FETCHER_IMAGE, DEFAULT_FETCHER_IMAGE)
        if not self.fetcher_image.strip() or any(c.isspace() for c in self.fetcher_image):
            self._annotation_problem(
                ARTIFACT_FETCHER_IMAGE,
                f"{self.fetcher_image!r} is not an image reference, e.g. {DEFAULT_FETCHER_IMAGE}",
            )
        self.fetcher_secret = annotations.get(ARTIFACT_FETCHER_SECRET)
        if self.fetcher_secret is not None and not _SECRET_NAME.fullmatch(self.fetcher_secret):
            self._annotation_problem(
                ARTIFACT_FETCHER_SECRET,
                f"{self.fetcher_secret!r} is not a Secret name (lower-case letters, digits, "
                "'-' and '.')",
            )
        self.staged: list[StagedFile] = []
        self.flink_jars: list[str] = []
        self.configuration: dict[str, str] = {}

    def plan(self) -> JobArtifacts:
        kind = self.artifact.kind
        if kind == "PYTHON":
            result = self._python()
        elif kind == "SQLSCRIPT":
            result = self._sql()
        else:
            result = self._jar(
                self.artifact.jar_uri or "",
                f"{ARTIFACT_FIELD}.jarUri",
                self.artifact.entry_class,
                tuple(split_arguments(self.artifact.main_args or "")),
            )
        return result

    # --- kinds ---------------------------------------------------------------------------

    def _jar(
        self, uri: str, field_name: str, entry_class: str | None, args: tuple[str, ...]
    ) -> JobArtifacts:
        jar_uri = self._main_jar(uri, field_name)
        self._dependencies()
        return self._result(jar_uri, entry_class, args)

    def _python(self) -> JobArtifacts:
        artifact = self.artifact
        program = self._python_path(artifact.python_artifact_uri or "", "pythonArtifactUri")
        files = [
            self._python_path(uri, f"additionalPythonLibraries[{index}]")
            for index, uri in enumerate(artifact.additional_python_libraries or [])
        ]
        archives = [
            self._python_path(uri, f"additionalPythonArchives[{index}]")
            for index, uri in enumerate(artifact.additional_python_archives or [])
        ]
        entry: tuple[str, ...]
        if artifact.entry_module:
            entry = ("-pym", artifact.entry_module)
            files.insert(0, program)
        else:
            entry = ("-py", program)
            if not program.endswith(".py") and not self._has_problem("pythonArtifactUri"):
                self._problem(
                    "pythonArtifactUri",
                    f"{program!r} is not a .py file; Flink's PythonDriver runs -py only on "
                    "a .py file: name the module to run in entryModule (-pym) instead",
                )
        if files:
            self.configuration[PYTHON_FILES] = ",".join(files)
        if archives:
            self.configuration[PYTHON_ARCHIVES] = ",".join(archives)
        self._dependencies()
        # The operator's PyFlink example: the flink-python jar is a placeholder, Flink's
        # entrypoints skip the job jar of a PythonDriver job and add opt/flink-python.
        placeholder = f"local:///opt/flink/opt/flink-python-{self.version.version}.jar"
        args = (*entry, *split_arguments(artifact.main_args or ""))
        return self._result(placeholder, PYTHON_DRIVER, args)

    def _sql(self) -> JobArtifacts:
        if self.version.sql_driver:
            self._dependencies()
            jar_uri = None
            if self.engine == "operator":
                gateway = self._stage(f"opt:{SQL_GATEWAY_JAR}", f"{SQL_GATEWAY_JAR}.jar")
                jar_uri = f"local://{gateway.path}"
            return self._result(jar_uri, SQL_DRIVER, ("--scriptUri", f"file://{SQL_SCRIPT_PATH}"))
        runner_jar = self.annotations.get(SQL_RUNNER_JAR_URI)
        if not runner_jar:
            self.problems.append(
                FieldProblem(f"{ARTIFACT_FIELD}.sqlScript", sql_runner_hint(self.version.version))
            )
            return self._result(None, None, ())
        template = self.annotations.get(SQL_RUNNER_ARGS, DEFAULT_SQL_RUNNER_ARGS)
        try:
            words = shlex.split(template)
        except ValueError as error:
            words = []
            self.problems.append(
                FieldProblem(
                    f"{ANNOTATIONS_FIELD}['{SQL_RUNNER_ARGS}']",
                    f"{template!r} cannot be split shell-style ({error}); balance the quotes",
                )
            )
        if words and not any(SCRIPT_PLACEHOLDER in word for word in words):
            self.problems.append(
                FieldProblem(
                    f"{ANNOTATIONS_FIELD}['{SQL_RUNNER_ARGS}']",
                    f"{template!r} never passes the script: put {SCRIPT_PLACEHOLDER} where "
                    "the runner expects the script's path",
                )
            )
        args = tuple(word.replace(SCRIPT_PLACEHOLDER, SQL_SCRIPT_PATH) for word in words)
        return self._jar(
            runner_jar,
            f"{ANNOTATIONS_FIELD}['{SQL_RUNNER_JAR_URI}']",
            self.annotations.get(SQL_RUNNER_ENTRY_CLASS),
            args,
        )

    # --- URIs ----------------------------------------------------------------------------

    def _main_jar(self, uri: str, field_name: str) -> str | None:
        delivery = self._delivery(uri, field_name)
        if delivery is None:
            return None
        if delivery == "flink":
            if self.engine == "standalone":
                self.flink_jars.append(uri)
            return uri
        if delivery == "staged":
            return f"local://{self._stage(uri, _file_name(uri)).path}"
        path = _image_path(uri)
        # standalone-job puts every jar of usrlib on the classpath itself; a jar
        # elsewhere in the image goes in --jars (1.19+) or is copied into usrlib.
        if self.engine == "standalone" and posixpath.dirname(path) != USRLIB_DIR:
            if self.flink_fetches:
                self.flink_jars.append(uri)
            else:
                self._stage(path, _file_name(uri))
        # Native application mode before 1.19 takes only local:// (file:// names the same file).
        return f"local://{path}"

    def _dependencies(self) -> None:
        artifact_list = []
        for index, uri in enumerate(self.artifact.additional_dependencies):
            delivery = self._delivery(uri, f"{ARTIFACT_FIELD}.additionalDependencies[{index}]")
            if delivery is None:
                continue
            if self.flink_fetches:
                if self.engine == "standalone":
                    self.flink_jars.append(uri)
                else:
                    artifact_list.append(uri)
            elif delivery == "image":
                self._stage(_image_path(uri), _file_name(uri))
            else:
                self._stage(uri, _file_name(uri))
        if artifact_list:
            self.configuration[ARTIFACT_LIST] = ";".join(artifact_list)

    def _python_path(self, uri: str, name: str) -> str:
        delivery = self._delivery(uri, f"{ARTIFACT_FIELD}.{name}")
        if delivery == "staged":
            return self._stage(uri, _file_name(uri)).path
        if delivery == "image":
            return _image_path(uri)
        return uri

    def _delivery(self, uri: str, field_name: str) -> Delivery | None:
        scheme = uri_scheme(uri)
        problem = None
        if scheme is None:
            problem = not_a_uri(uri)
        elif not scheme:
            problem = f"{uri!r} has no scheme; for a file in the image write local://{uri}"
        elif scheme not in SCHEMES:
            problem = f"scheme {scheme}:// is not supported; use one of {', '.join(SCHEMES)}"
        elif scheme in IMAGE_SCHEMES:
            if not _image_path(uri).startswith("/") or _image_path(uri) == "/":
                problem = f"{uri!r} needs an absolute path to a file, e.g. {scheme}:///opt/x.jar"
            if problem is None:
                return "image"
        elif self.flink_fetches:
            self._note_http(scheme)
            return "flink"
        elif scheme in HTTP_SCHEMES:
            return "staged"
        else:
            try:
                object_store_path(uri)
            except ValueError as error:
                problem = str(error)
            else:
                return "staged"
        self.problems.append(FieldProblem(field_name, problem or uri))
        return None

    def _note_http(self, scheme: str) -> None:
        if scheme == "http":
            self.configuration[RAW_HTTP_ENABLED] = "true"

    def _stage(self, source: str, name: str) -> StagedFile:
        for staged in self.staged:
            if staged.source == source:
                return staged
        taken = {staged.name for staged in self.staged}
        unique, counter = name, 1
        while unique in taken:
            unique, counter = f"{counter}-{name}", counter + 1
        staged = StagedFile(source, unique)
        self.staged.append(staged)
        return staged

    def _problem(self, name: str, reason: str) -> None:
        self.problems.append(FieldProblem(f"{ARTIFACT_FIELD}.{name}", reason))

    def _annotation_problem(self, annotation: str, reason: str) -> None:
        self.problems.append(FieldProblem(f"{ANNOTATIONS_FIELD}['{annotation}']", reason))

    def _has_problem(self, name: str) -> bool:
        return any(p.field == f"{ARTIFACT_FIELD}.{name}" for p in self.problems)

    def _result(
        self, jar_uri: str | None, entry_class: str | None, args: Iterable[str]
    ) -> JobArtifacts:
        return JobArtifacts(
            jar_uri=jar_uri,
            entry_class=entry_class,
            args=tuple(args),
            flink_jars=tuple(self.flink_jars),
            staged=tuple(self.staged),
            flink_configuration=dict(self.configuration),
            sql_script=self.artifact.sql_script,
            fetcher_image=self.fetcher_image,
            fetcher_secret=self.fetcher_secret,
        )


def uri_scheme(uri: str) -> str | None:
    """The scheme of ``uri``, lower case (``""`` when it has none); ``None`` when unreadable.

    Python's URL parser refuses a host with an unbalanced ``[`` or ``]``.

    >>> uri_scheme("S3://jobs/x.jar"), uri_scheme("x.jar"), uri_scheme("s3://[/x.jar")
    ('s3', '', None)
    """
    try:
        return urlsplit(uri).scheme.lower()
    except ValueError:
        return None


_SECRET_NAME = re.compile(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")
_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,253}")
_AZURE_CONTAINER = re.compile(r"\$root|[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]")
_AZURE_HOST = re.compile(r"([a-z0-9]{3,24})\.(?:blob|dfs)\.core\.windows\.net")


def object_store_path(uri: str) -> str:
    """The object-store client's path for ``uri``: ``<remote>:<bucket>/<key>``.

    The remote (:data:`OBJECT_STORE_REMOTES`) is defined by the init
    container's environment; an Azure URI's account goes into the remote's
    parameters, checked to be a plain account name so that no URI can add
    other parameters.

    >>> object_store_path("s3a://jobs/v1/job.jar")
    's3:jobs/v1/job.jar'
    >>> object_store_path("abfss://jars@acct.dfs.core.windows.net/job.jar")
    'azure,account=acct:jars/job.jar'

    Raises
    ------
    ValueError
        Saying what the URI lacks (bucket, file, Azure account) and the form it needs.
    """
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    remote = OBJECT_STORE_REMOTES[scheme]
    if remote == "azure":
        container, _, host = parts.netloc.rpartition("@")
        account = _AZURE_HOST.fullmatch(host.lower())
        kind = "dfs" if scheme.startswith("abfs") else "blob"
        if not _AZURE_CONTAINER.fullmatch(container) or account is None:
            raise ValueError(
                f"{uri!r} names no Azure container and account; write "
                f"{scheme}://<container>@<account>.{kind}.core.windows.net/<path> "
                "(the public Azure cloud's host names)"
            )
        remote, bucket = f"azure,account={account.group(1)}", container
    else:
        bucket = parts.netloc
        if not _BUCKET.fullmatch(bucket):
            raise ValueError(f"{uri!r} names no bucket; write {scheme}://<bucket>/<path>")
    key = parts.path.lstrip("/")
    if not key or key.endswith("/") or parts.query or parts.fragment:
        raise ValueError(
            f"{uri!r} names no single file; write {scheme}://{parts.netloc}/<path>/<file> "
            "(no query or fragment)"
        )
    return f"{remote}:{bucket}/{key}"


def not_a_uri(uri: str) -> str:
    """Why :func:`uri_scheme` cannot read ``uri``."""
    return f"{uri!r} is not a URI: '[' and ']' may only enclose an IPv6 host"


def _image_path(uri: str) -> str:
    """The path of a ``local://`` or ``file://`` URI: ``local:///opt/x.jar`` → ``/opt/x.jar``."""
    parts = urlsplit(uri)
    return parts.netloc + parts.path if parts.netloc else parts.path


def _file_name(uri: str) -> str:
    name = posixpath.basename(urlsplit(uri).path.rstrip("/"))
    return name or "artifact"
