"""The limits every input meets, and the one check of plain JSON data.

pulumi-flink runs on files people submit in pull requests (``pulumi-flink
validate`` in CI), so every input is bounded: no file, document or patch set
can make it hang, exhaust memory or crash with a foreign exception. The
numbers are far above anything a real VVP export needs; crossing one is a
documented error naming the file, field or patch operation (see the README,
"Limits").

Examples
--------
>>> json_problem({"spec": {"parallelism": 2}}) is None
True
>>> print(json_problem({"spec": {"cpu": float("inf")}}))
/spec/cpu: inf is not a JSON number; numbers must be finite
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple

MAX_INPUT_BYTES: Final = 8 * 1024 * 1024
"""Largest file or text the readers accept (8 MiB)."""

MAX_DOCUMENTS: Final = 10_000
"""Most documents (list items included) in one read, all its files and texts together:
each Deployment renders to several objects, so this bounds the time and memory of a run."""

MAX_READ_BYTES: Final = 64 * 1024 * 1024
"""Most bytes of all the files and texts of one read together (64 MiB): a directory
of many files, or many file arguments, each under :data:`MAX_INPUT_BYTES`."""

MAX_READ_FILES: Final = 10_000
"""Most files in one read (a directory of many empty files costs time, not documents)."""

MAX_RENDER_OUTPUT: Final = 32 * 1024 * 1024
"""Most characters of YAML one ``render`` prints, or one side of one ``diff``
renders (32 Mi; bytes, for the ASCII we render): every document within the
other limits still renders several objects (10,000 tiny Deployments are
about 40 Mi with the operator engine, 95 Mi standalone), so output is
bounded by its own limit. A 1,000-Deployment export renders about 5 Mi
(operator) or 11 Mi (standalone)."""

MAX_DEPTH: Final = 64
"""Deepest nesting of objects and arrays in any document."""

MAX_DOCUMENT_SIZE: Final = 1_000_000
"""Largest document, before and after each patch operation, in size units:
one per value plus one per character of every string and object key (about
its length as JSON text)."""

MAX_OPERATIONS: Final = 10_000
"""Most operations in one patch set."""

MAX_PATCH_WORK: Final = 8 * MAX_DOCUMENT_SIZE
"""Most size units one patch set may copy or measure while it is applied, so
that repeated ``copy``/``move``/``remove`` of large values stays bounded."""

MAX_ALIAS_NODES: Final = 100_000
"""Most values a YAML file's aliases (``*name``) may add when expanded."""

MAX_INTEGER: Final = 2**63 - 1
"""Largest integer magnitude in any document: 64 bits, what Kubernetes and
Flink (Java ``long``) read at most."""


class JsonProblem(NamedTuple):
    """Where a value stops being plain, bounded JSON data, and why.

    ``pointer`` is an RFC 6901 JSON pointer into the checked value; ``parts``
    holds the same location as keys and indexes.
    """

    parts: tuple[str | int, ...]
    reason: str

    @property
    def pointer(self) -> str:
        """The location as an RFC 6901 JSON pointer (``""`` for the root)."""
        return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in self.parts)

    def __str__(self) -> str:
        return f"{self.pointer or '<root>'}: {self.reason}"


class _StopWalkError(Exception):
    """Stops a walk at the first problem."""

    def __init__(self, problem: JsonProblem) -> None:
        self.problem = problem


class JsonMeasure(NamedTuple):
    """The size of a value in size units, or why it is not plain, bounded JSON data."""

    size: int
    problem: JsonProblem | None


def json_problem(
    value: object,
    *,
    max_size: int = MAX_DOCUMENT_SIZE,
    max_depth: int = MAX_DEPTH,
    text: bool = False,
) -> JsonProblem | None:
    """The first reason ``value`` is not plain JSON data within the limits, or ``None``.

    Plain JSON data is ``None``, booleans, integers up to 64 bits, finite
    floats, strings, lists (or other sequences) and mappings with string
    keys, nested at most ``max_depth`` levels and of at most ``max_size``
    size units (see :data:`MAX_DOCUMENT_SIZE`). Anything else (bytes, sets, dates, objects
    YAML tags create, cycles) is a problem. The walk stops at the first
    problem, so it costs at most ``max_size`` steps.

    ``text``: every string and key must also be text a resource can hold:
    Unicode without NUL characters or unpaired surrogates (JSON allows both,
    so the patch engine does not ask this; VVP documents do).

    >>> print(json_problem({"a": [b"x"]}))  # doctest: +ELLIPSIS
    /a/0: a bytes value is not JSON data (only objects, arrays, ...)
    >>> print(json_problem({"a": 10**30}))
    /a: the integer 1000000000... (31 digits) is beyond 64 bits, the most Kubernetes and Flink read
    """
    return measure_json(value, max_size=max_size, max_depth=max_depth, text=text).problem


def measure_json(
    value: object,
    *,
    max_size: int = MAX_DOCUMENT_SIZE,
    max_depth: int = MAX_DEPTH,
    depth: int = 0,
    at: tuple[str | int, ...] = (),
    text: bool = False,
) -> JsonMeasure:
    """Measure plain JSON data (see :func:`json_problem`), stopping at the first problem.

    ``depth`` is how deep ``value`` sits in its document and ``at`` where,
    so a value about to be added at ``/a/b`` is measured with ``depth=2``,
    ``at=("a", "b")``.
    """
    meter = _Meter(max_size, max_depth, at, text=text)
    try:
        meter.walk(value, depth)
    except _StopWalkError as stop:
        return JsonMeasure(meter.size, stop.problem)
    return JsonMeasure(meter.size, None)


class _Meter:
    """One walk: the size so far and the path to the value being looked at.

    The path is a list pushed and popped as the walk goes (a tuple per value
    would cost more than the walk itself); it becomes a tuple only for a problem.
    """

    __slots__ = ("max_depth", "max_size", "path", "size", "text_only")

    def __init__(
        self, max_size: int, max_depth: int, at: tuple[str | int, ...], *, text: bool
    ) -> None:
        self.text_only = text
        self.size = 0
        self.max_size = max_size
        self.max_depth = max_depth
        self.path: list[str | int] = list(at)

    def stop(self, reason: str) -> _StopWalkError:
        return _StopWalkError(JsonProblem(tuple(self.path), reason))

    def add(self, units: int) -> None:
        self.size += units
        if self.size > self.max_size:
            raise self.stop(
                f"the document is larger than {self.max_size:,} size units "
                "(about that many bytes of JSON); split it or shorten it"
            )

    def text(self, value: str) -> None:
        # A scan in C for ASCII text (nearly every string), a regex only for the rest.
        if self.text_only and ("\0" in value or (not value.isascii() and _SURROGATE.search(value))):
            raise self.stop(_not_text(value))

    def walk(self, value: object, depth: int) -> None:
        # Exact types first: they are nearly all values and need no isinstance chain.
        kind = type(value)
        if kind is str:
            self.text(value)  # type: ignore[arg-type]
            self.add(1 + len(value))  # type: ignore[arg-type]
        elif value is None or kind is bool:
            self.add(1)
        elif kind is dict or kind is list:
            self._container(value, depth)  # type: ignore[arg-type]
        elif isinstance(value, bool):
            self.add(1)
        elif isinstance(value, int):
            if abs(value) > MAX_INTEGER:
                raise self.stop(_huge_integer(value))
            self.add(1)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise self.stop(f"{value!r} is not a JSON number; numbers must be finite")
            self.add(1)
        elif isinstance(value, str):
            self.text(value)
            self.add(1 + len(value))
        elif isinstance(value, Mapping) or (
            isinstance(value, Sequence) and not isinstance(value, bytes | bytearray)
        ):
            self._container(value, depth)
        else:
            raise self.stop(
                f"{_kind(value)} value is not JSON data (only objects, arrays, strings, "
                "numbers, booleans and null are)"
            )

    def _container(self, value: Mapping[Any, Any] | Sequence[Any], depth: int) -> None:
        if depth >= self.max_depth:
            raise self.stop(
                f"nested deeper than {self.max_depth} levels (or a value that contains "
                "itself); flatten it"
            )
        self.add(1)
        path = self.path
        if isinstance(value, Mapping):
            for key, member in value.items():
                if type(key) is not str:
                    raise self.stop(
                        f"the object key {_short(key)} is {_kind(key)}; JSON object keys are "
                        "strings (quote it)"
                    )
                path.append(key)
                self.text(key)
                self.add(len(key))
                self.walk(member, depth + 1)
                path.pop()
            return
        for index, item in enumerate(value):
            path.append(index)
            self.walk(item, depth + 1)
            path.pop()


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _not_text(value: str) -> str:
    if "\0" in value:
        return (
            "a string with a NUL character (\\0): Kubernetes, Flink and VVP's database "
            "cannot hold it; remove it"
        )
    return (
        "a string with an unpaired UTF-16 surrogate (a lone \\ud800-\\udfff escape) is "
        "not Unicode text; remove it"
    )


def _huge_integer(value: int) -> str:
    # str() of an int above 4,300 digits raises (Python's own limit): never call it there.
    digits = math.floor(abs(value).bit_length() * math.log10(2)) + 1
    limit = "beyond 64 bits, the most Kubernetes and Flink read"
    if digits > 4000:
        return f"an integer of about {digits:,} digits is {limit}"
    text = str(abs(value))
    return f"the integer {'-' if value < 0 else ''}{text[:10]}... ({len(text)} digits) is {limit}"


def _kind(value: object) -> str:
    name = type(value).__name__
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, int) or abs(value) <= MAX_INTEGER else "<huge>"
    return text if len(text) <= 40 else text[:37] + "..."


def describe_json_kind(value: Any) -> str:
    """Name a JSON value's kind for messages: ``an object``, ``a string``, ``null``.

    >>> describe_json_kind([1]), describe_json_kind(True), describe_json_kind(None)
    ('an array', 'a boolean', 'null')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return "an array"
    return _kind(value)
