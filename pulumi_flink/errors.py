"""Every error the Pulumi-free core raises on bad input, in one place.

All of them are :class:`ValueError` subclasses, so callers that only care
about "the input was wrong" can catch ``ValueError``; callers that want the
details read the attributes. The errors of the cluster side (the target
registry and how the providers reach it) are :mod:`pulumi_flink.registry.errors`;
the dev cluster's are :mod:`pulumi_flink.devcluster.errors`. Nothing else
raises an error a user can reach.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from pulumi_flink.vvp._documents import DocumentProblem


def one_line(text: str) -> str:
    r"""``text`` with every character that is not printable written as its escape.

    Messages name what the input held, and the input may hold line breaks
    (``\n``, ``\r``, U+2028, NEL), terminal escapes or bidirectional
    controls. Written as themselves they would start a forged line in a CI
    log (``::error::...``), a forged document in ``render``'s YAML stream
    or recolour a terminal; escaped, each message stays the one line it is.
    Printable text, backslashes included, is kept as it is.

    >>> print(one_line("orders\n::error::forged\x1b[31m\u2028 \u00e9"))
    orders\n::error::forged\x1b[31m\u2028 é
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


class PulumiFlinkError(ValueError):
    """Base class of every input error raised by pulumi-flink."""


class PatchSetError(PulumiFlinkError):
    """A deployment patch set is malformed or one of its operations failed.

    Parameters
    ----------
    index
        0-based position of the offending operation in the patch set.
    operation
        The offending operation, as given.
    reason
        Why it failed, in plain words.
    target_name
        Name of the DeploymentTarget whose patch set failed, when known.

    Examples
    --------
    >>> err = PatchSetError(1, {"op": "remove", "path": "/a"}, "no value at path")
    >>> str(err)
    'patch 1 (remove /a): no value at path'
    """

    def __init__(
        self,
        index: int,
        operation: Mapping[str, Any] | Any,
        reason: str,
        *,
        target_name: str | None = None,
    ) -> None:
        self.index = index
        self.operation = operation
        self.reason = reason
        self.target_name = target_name
        super().__init__(self._message())

    @property
    def path(self) -> str | None:
        """The operation's ``path``, when it has a string one."""
        if isinstance(self.operation, Mapping):
            path = self.operation.get("path")
            if isinstance(path, str):
                return path
        return None

    @property
    def described(self) -> str:
        """The operation's op and path, e.g. ``remove /spec/x`` (empty if neither)."""
        op = self.operation.get("op") if isinstance(self.operation, Mapping) else None
        return " ".join(str(part) for part in (op, self.path) if part is not None)

    def with_target(self, target_name: str) -> PatchSetError:
        """Return the same error, naming the DeploymentTarget it came from."""
        return PatchSetError(self.index, self.operation, self.reason, target_name=target_name)

    def _message(self) -> str:
        where = f"patch {self.index}" + (f" ({self.described})" if self.described else "")
        if self.target_name:
            where = f"deploymentTarget {self.target_name!r}: {where}"
        return one_line(f"{where}: {self.reason}")


class FieldProblem(NamedTuple):
    """One broken rule: the field (VVP camelCase dotted path) and why."""

    field: str
    reason: str


class SpecValidationError(PulumiFlinkError):
    """A VVP document (or the result of patching it) breaks model rules.

    Parameters
    ----------
    problems
        Every broken rule found, each naming the offending field as a VVP
        camelCase dotted path (``spec.template.spec.parallelism``) and why it
        is wrong, with the fix when there is an obvious one.

    Examples
    --------
    >>> str(SpecValidationError([FieldProblem("spec.state", "unknown state")]))
    'spec.state: unknown state'
    """

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        if not problems:
            raise ValueError("SpecValidationError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__(one_line("; ".join(f"{p.field}: {p.reason}" for p in self.problems)))

    @classmethod
    def single(cls, field: str, reason: str) -> SpecValidationError:
        """Build the error for one broken rule."""
        return cls([FieldProblem(field, reason)])

    @property
    def field(self) -> str:
        """The first offending field."""
        return self.problems[0].field


class UnsupportedEngineError(PulumiFlinkError):
    """An engine that is not ``operator`` or ``standalone``, or that cannot do ``feature``.

    Savepoint restore and the operator's nonces, for example, need ``operator``.
    """

    def __init__(self, engine: object, feature: str | None = None) -> None:
        self.engine = engine
        self.feature = feature
        if feature is None:
            message = f"engine: {engine!r} is not supported; use 'operator' or 'standalone'"
        else:
            message = f"engine: {engine!r} does not support {feature}; use 'operator'"
        super().__init__(message)


class InputFormatError(PulumiFlinkError):
    """A text cannot be read as plain JSON data: syntax, a duplicate key, a limit.

    Parameters
    ----------
    reason
        What is wrong, in plain words.
    line, column
        1-based position of the problem in the text, when known.
    documents_read
        For a YAML stream, the documents before the one at fault.

    Examples
    --------
    >>> str(InputFormatError("the key 'a' is given twice", line=3, column=1))
    "at line 3, column 1: the key 'a' is given twice"
    """

    def __init__(
        self,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        documents_read: Sequence[object] = (),
    ) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        self.documents_read = tuple(documents_read)
        where = f"at line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{reason}")


class PackageInputError(PulumiFlinkError):
    """An input given to the pulumi-flink package (from YAML, TypeScript, Go) is wrong.

    Only what the package adds to the Python API can fail this way (which
    target a Deployment runs on); the rest is checked by the Python classes
    the package wraps, with their own errors.

    Parameters
    ----------
    property_name
        The input, as the package schema names it (camelCase).
    reason
        What is wrong, with the fix.

    Examples
    --------
    >>> str(PackageInputError("target", "give a DeploymentTarget"))
    'target: give a DeploymentTarget'
    """

    def __init__(self, property_name: str, reason: str) -> None:
        self.property_name = property_name
        self.reason = reason
        super().__init__(f"{property_name}: {reason}")


class ProviderInterpreterError(PulumiFlinkError):
    """The Python that would run the dynamic providers cannot run ours.

    Parameters
    ----------
    python
        The interpreter ``pulumi-resource-pulumi-python`` would start.
    chosen_by
        The setting that chose it (``PULUMI_RUNTIME_VIRTUALENV``,
        ``PULUMI_PYTHON_CMD`` or ``python3 on PATH``).
    problem
        What it lacks, compared with the Python serving the package.
    """

    def __init__(self, python: str, chosen_by: str, problem: str) -> None:
        self.python = python
        self.chosen_by = chosen_by
        self.problem = problem
        super().__init__(
            f"the dynamic providers of pulumi-flink would run in {python} ({chosen_by}), "
            f"which {problem}; point the project's runtime option 'virtualenv' (Pulumi.yaml: "
            "runtime: {name: ..., options: {virtualenv: <dir>}}) or PULUMI_PYTHON_CMD at the "
            f"Python environment that serves the package ({sys.prefix})"
        )


class OperatorError(PulumiFlinkError):
    """The Flink operator reported an error, or did not get there in time.

    Raised while ``pulumi up`` waits for a job to run or a savepoint to
    complete, and when a stop with a savepoint (before a delete) fails: the
    message is the operator's own, prefixed with the object it is about.

    Parameters
    ----------
    kind, namespace, name
        The operator's object (``FlinkDeployment``, ``FlinkStateSnapshot``).
    message
        What the operator said (``status.error`` and the like), or what was
        still awaited when the time ran out.
    fix
        What to do about it, when there is an obvious answer.

    Examples
    --------
    >>> str(OperatorError("FlinkDeployment", "jobs", "orders", "Job jar missing"))
    'FlinkDeployment jobs/orders: Job jar missing'
    """

    def __init__(
        self, kind: str, namespace: str, name: str, message: str, *, fix: str | None = None
    ) -> None:
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.operator_message = message
        self.fix = fix
        text = f"{kind} {namespace}/{name}: {message}"
        super().__init__(f"{text}; {fix}" if fix else text)


class OperatorTimeoutError(OperatorError):
    """The operator did not report the awaited state in time (``message`` says what was seen)."""


class JobManagerStopTimeoutError(PulumiFlinkError):
    """A standalone JobManager's pods did not go before its HA data could be reset.

    Raised by the ``StandaloneHaData`` resource
    (:mod:`pulumi_flink.provider.standalone_ha`), which scales the JobManager
    Deployment to 0 and waits for its pods before it edits Flink's HA
    ConfigMaps. Nothing was removed; the next ``up`` tries again.

    Examples
    --------
    >>> str(JobManagerStopTimeoutError("jobs", "orders-jobmanager", ["orders-jobmanager-x"], 60))
    "Deployment jobs/orders-jobmanager: pods ['orders-jobmanager-x'] still there after 60 s of scaling it to 0, before resetting its Kubernetes HA data; nothing was removed: find why the pods do not terminate, then run up again"
    """  # noqa: E501

    def __init__(self, namespace: str, name: str, pods: list[str], timeout: float) -> None:
        self.namespace = namespace
        self.name = name
        self.pods = pods
        super().__init__(
            f"Deployment {namespace}/{name}: pods {pods} still there after {timeout:.0f} s of "
            "scaling it to 0, before resetting its Kubernetes HA data; nothing was removed: "
            "find why the pods do not terminate, then run up again"
        )


class VvpImportError(PulumiFlinkError):
    """A VVP export cannot be used as it is; ``problems`` lists every reason.

    Raised by :func:`~pulumi_flink.vvp.load_vvp_documents`; each problem is a
    :class:`~pulumi_flink.vvp.DocumentProblem` naming file, document and field.

    Examples
    --------
    >>> from pulumi_flink.vvp import DocumentProblem, DocumentSource
    >>> problem = DocumentProblem(DocumentSource("a.yaml", 0), None, "kind", "required")
    >>> print(VvpImportError([problem]))
    1 problem in the VVP export:
      a.yaml: document 0: kind: required
    """

    def __init__(self, problems: Iterable[DocumentProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = [f"{count} problem{'' if count == 1 else 's'} in the VVP export:"]
        super().__init__("\n  ".join([*lines, *(str(problem) for problem in self.problems)]))


class VvpExportWarning(UserWarning):
    """A VVP document read otherwise than written: skipped, or unwrapped from a custom resource.

    Issued by :func:`~pulumi_flink.vvp.read_vvp_documents` (and so
    :func:`~pulumi_flink.vvp.load_vvp_documents`) once per such document, with
    its file, document index and the reason, e.g. a VVP ``Event`` or a
    Kubernetes ``ConfigMap`` among the resources of an export.
    ``read_vvp_export`` reports the same in ``VvpExport.warnings`` instead.
    """
