"""Shared pydantic configuration for the VVP wire-format models."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Final, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.limits import describe_json_kind, json_problem
from pulumi_flink.model.kubernetes import KubernetesProblem, KubernetesShapeError
from pulumi_flink.model.names import annotation_map_problems, label_map_problems

INT32_MAX: Final = 2**31 - 1
"""Largest Java ``int``: Kubernetes replicas and Flink counts are ``int32``."""

MAX_PARALLELISM: Final = 32768
"""Flink's upper bound for a job's (maximum) parallelism."""

MAX_CPU: Final = 1_000_000.0
"""Most CPU cores a process may ask for (Kubernetes counts in millicores)."""

MIN_CPU: Final = 0.001
"""Fewest CPU cores: one millicore, the smallest Kubernetes quantity."""


def checked_by(problem: Callable[[Any], str | None]) -> AfterValidator:
    """A pydantic validator refusing a value with the message ``problem`` gives for it.

    ``problem`` says why a value is wrong, or returns ``None`` (the
    ``*_problem`` functions of :mod:`pulumi_flink.model.names`, which the CLI
    and the providers also call). Use as ``Annotated[str, checked_by(...)]``.
    """

    def check(value: Any) -> Any:
        message = problem(value)
        if message:
            raise ValueError(message)
        return value

    return AfterValidator(check)


def _not_a_boolean(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number (VVP refuses it too); write a number")
    return value


Number = BeforeValidator(_not_a_boolean)
"""Marks an ``int``/``float`` field that refuses booleans (pydantic would read
``true`` as 1); numeric strings such as ``"4"`` stay accepted, as in VVP."""

Count = Annotated[int, Number, Field(ge=1, le=INT32_MAX)]
"""A whole number from 1 to the largest Java ``int``."""


class VvpModel(BaseModel):
    """Base of every VVP model: snake_case in Python, camelCase on the wire.

    Unknown fields are rejected, so a typo such as ``paralelism`` (or a patch
    that writes to a field VVP does not have) is an error naming the field
    rather than a silently ignored setting.

    Scalars are read as VVP (Jackson) reads them: a string field takes a
    number as the text it was written as (``jobFailureExpirationTime: 0`` is
    ``"0"``; see :mod:`pulumi_flink.loading`), a number field takes a numeric
    string, numbers are finite, and booleans are not numbers (:data:`Number`).

    Reading a wire-format document (:meth:`model_validate`) first checks that
    it is plain JSON data within the limits of :mod:`pulumi_flink.limits` and
    raises :class:`~pulumi_flink.errors.SpecValidationError` naming every bad
    field. The Python constructor (snake_case keywords, for programs) raises
    pydantic's ``ValidationError``, also a ``ValueError`` naming the field.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
        allow_inf_nan=False,
    )

    @model_validator(mode="before")
    @classmethod
    def _null_is_unset(cls, data: Any) -> Any:
        """A field written as ``null`` is not set, as VVP (Jackson) reads it.

        VVP's API writes ``null`` for fields it has no value for
        (``"deploymentPatchSet": null``); its exports must read back.
        """
        # Every model of every document passes here: copy only what has a null.
        if type(data) is dict and None not in data.values():
            return data
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if value is not None}
        return data

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """Validate a wire-format document (camelCase keys) into the model.

        Raises
        ------
        SpecValidationError
            Naming every bad field in VVP camelCase.
        """
        problem = json_problem(obj, text=True)
        if problem is not None:
            raise SpecValidationError.single(field_path(problem.parts), problem.reason)
        return cls.model_validate_plain_json(obj, **options)

    @classmethod
    def model_validate_plain_json(cls, obj: Any, **options: Any) -> Self:
        """Like :meth:`model_validate`, for a document known to be plain JSON data.

        For a document already within the limits (what the patch engine
        returns), so that the walk of :meth:`model_validate` is not repeated.

        Raises
        ------
        SpecValidationError
            Naming every bad field in VVP camelCase.
        """
        try:
            return super().model_validate(obj, **options)
        except ValidationError as error:
            raise SpecValidationError(problems_of(error)) from None

    def to_wire(self) -> dict[str, object]:
        """Return the VVP wire-format dict (camelCase keys, unset fields omitted)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def problems_of(error: ValidationError) -> list[FieldProblem]:
    """Translate pydantic's errors into problems naming VVP camelCase fields.

    A Kubernetes structure problem (:class:`~pulumi_flink.model.kubernetes.KubernetesShapeError`)
    is located inside its field, so each one names the full path.
    """
    problems = []
    for detail in error.errors(include_url=False):
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, KubernetesShapeError):
            problems += [
                FieldProblem(field_path((*detail["loc"], *problem.location)), problem.reason)
                for problem in cause.problems
            ]
            continue
        reason = _reason(detail["type"], detail["msg"])
        if detail["type"] == "string_type" and isinstance(detail["input"], dict | list):
            reason = _not_flat(detail["loc"], detail["input"])
        placeholder = _PLACEHOLDER.search(detail["input"]) if type(detail["input"]) is str else None
        if placeholder is not None:
            reason += (
                f" (it holds {placeholder.group(0)}, a placeholder nothing substituted: "
                "substitute it before reading, e.g. with envsubst)"
            )
        problems.append(FieldProblem(field_path(detail["loc"]), reason))
    return problems


def field_path(location: Sequence[int | str]) -> str:
    """Render a pydantic location as a dotted VVP path.

    pydantic marks a problem with a mapping's key by a ``[key]`` part after
    it; the key is then shown as a key, not as a list index.

    >>> field_path(("spec", "template", "spec", "kubernetes", "pods", "envVars", 0, "name"))
    'spec.template.spec.kubernetes.pods.envVars[0].name'
    >>> field_path(("spec", "template", "spec", "flinkConfiguration", 1, "[key]"))
    'spec.template.spec.flinkConfiguration (the key 1)'
    """
    path = ""
    for position, part in enumerate(location):
        if part == "[key]":
            continue
        if position + 1 < len(location) and location[position + 1] == "[key]":
            path += f" (the key {part!r})" if isinstance(part, str) else f" (the key {part})"
        elif isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or "<document>"


def _reason(error_type: str, message: str) -> str:
    if error_type == "extra_forbidden":
        return "unknown field; check the spelling (VVP fields are camelCase)"
    if error_type == "missing":
        return "required field is missing"
    return message.removeprefix("Value error, ")


_PLACEHOLDER: Final = re.compile(r"\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]+(?![a-z])")
"""A CI or shell placeholder (``${IMAGE_TAG}``, ``$BUILD_NUMBER``) left in a value."""


def _not_flat(location: Sequence[int | str], value: dict[Any, Any] | list[Any]) -> str:
    """Why an object or list is no value of a string field, and how to write it.

    In ``flinkConfiguration`` (VVP's map of strings) nested keys are written
    flat and lists as Flink reads them, ``;``-separated.

    >>> _not_flat(("spec", "flinkConfiguration", "state"), {"backend": "rocksdb"})
    "expected a string, got an object: flinkConfiguration maps each key to a string (VVP's map of strings); write nested keys flat, as 'state.backend'"
    """  # noqa: E501
    what = "an object" if isinstance(value, dict) else "a list"
    if "flinkConfiguration" not in location[:-1]:
        return f"expected a string, got {what}"
    fix = (
        f"write nested keys flat, as '{location[-1]}.{next(iter(value), 'key')}'"
        if isinstance(value, dict)
        else "join the items with ';', as Flink reads lists"
    )
    return (
        f"expected a string, got {what}: flinkConfiguration maps each key to a string "
        f"(VVP's map of strings); {fix}"
    )


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


UpperCase = BeforeValidator(_upper)
"""Reads a VVP enum case-insensitively, as VVP does (its docs write ``kind: stateless``).

Use as ``Annotated[Literal["A", "B"], UpperCase]``.
"""


def _booleans_as_text(value: object) -> object:
    if not isinstance(value, Mapping):
        return value
    if bool not in set(map(type, value.values())):  # the common case, without a Python loop
        return value
    return {
        key: ("true" if item else "false") if isinstance(item, bool) else item
        for key, item in value.items()
    }


StringMap = Annotated[dict[str, str], BeforeValidator(_booleans_as_text)]
"""A VVP string map (labels, annotations, node selectors): scalars read as text.

Jackson reads ``false`` into a ``Map<String, String>`` as ``"false"`` (tools
post ``"license/testing": false`` as an annotation); numbers already read as
their text.
"""


def _kubernetes_labels(labels: dict[str, str]) -> dict[str, str]:
    problems = label_map_problems(labels)
    if problems:
        raise KubernetesShapeError([KubernetesProblem(at, reason) for at, reason in problems])
    return labels


def _kubernetes_annotations(annotations: dict[str, str]) -> dict[str, str]:
    problems = annotation_map_problems(annotations)
    if problems:
        raise KubernetesShapeError([KubernetesProblem(at, reason) for at, reason in problems])
    return annotations


LabelMap = Annotated[StringMap, AfterValidator(_kubernetes_labels)]
"""A :data:`StringMap` that becomes Kubernetes labels (or a node selector): every key
and value one Kubernetes accepts, checked here rather than by the API server."""

AnnotationMap = Annotated[StringMap, AfterValidator(_kubernetes_annotations)]
"""A :data:`StringMap` that becomes Kubernetes annotations: valid keys, 256 KiB at most."""


DOCUMENT_KEYS: Final = frozenset({"apiVersion", "kind", "metadata", "spec"})
"""Keys that make a mapping a whole document rather than a bare ``spec``."""


def resource_document(value: object, *, name: str, kind: str | None = None) -> dict[str, Any]:
    """A wire-format document from a whole document or just its ``spec``.

    A mapping without ``metadata``, ``spec``, ``kind`` or ``apiVersion`` is a
    bare ``spec`` and is wrapped (with ``kind`` when given); a document
    without a name gets ``name``. Anything but a mapping is refused here, so
    a program that passes a string or a list learns which field is wrong.

    >>> resource_document({"state": "SUSPENDED"}, name="x")["metadata"]
    {'name': 'x'}
    >>> resource_document("spec", name="x")
    Traceback (most recent call last):
    ...
    pulumi_flink.errors.SpecValidationError: spec: a document or its spec is an object, not a string
    """
    if not isinstance(value, Mapping):
        raise SpecValidationError.single(
            "spec", f"a document or its spec is an object, not {describe_json_kind(value)}"
        )
    if not DOCUMENT_KEYS & set(value):
        wrapped = {"metadata": {"name": name}, "spec": dict(value)}
        return {"kind": kind, **wrapped} if kind else wrapped
    metadata = value.get("metadata") or {}
    if isinstance(metadata, Mapping):
        metadata = dict(metadata)
        metadata.setdefault("name", name)
    return {**value, "metadata": metadata}
