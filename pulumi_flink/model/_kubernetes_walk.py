"""The walk behind :func:`~pulumi_flink.model.kubernetes.kubernetes_problems`.

Imported on the first value to check (this module imports lightkube's
models and msgspec); the public names live in ``model/kubernetes.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, Final, TypeGuard

import msgspec.inspect as types
from lightkube.models import core_v1

from pulumi_flink.limits import describe_json_kind
from pulumi_flink.model.kubernetes import KubernetesProblem
from pulumi_flink.model.names import (
    MapProblem,
    annotation_map_problems,
    dns1123_label_problem,
    flink_env_var_problem,
    label_map_problems,
)

_STRING_MAPS: Final[Mapping[str, Callable[[Mapping[str, str]], list[MapProblem]]]] = {
    "labels": label_map_problems,
    "annotations": annotation_map_problems,
    "nodeSelector": label_map_problems,
}
"""Fields lightkube types as a bare ``dict`` that Kubernetes reads as string to string,
and the rules of their keys and values."""

_NAMES: Final[Mapping[type[Any], Callable[[str], str | None]]] = {
    core_v1.Container: lambda name: dns1123_label_problem(name, "container name"),
    core_v1.EphemeralContainer: lambda name: dns1123_label_problem(name, "container name"),
    core_v1.Volume: lambda name: dns1123_label_problem(name, "volume name"),
    core_v1.EnvVar: flink_env_var_problem,
}
"""Kubernetes objects whose ``name`` the API server checks, and its rule."""

_QUANTITY_MAPS: Final = frozenset(
    {
        (core_v1.ResourceRequirements, "limits"),
        (core_v1.ResourceRequirements, "requests"),
        (core_v1.PodSpec, "overhead"),
    }
)
"""Fields lightkube types as a bare ``dict`` that map resource names to quantities."""

_QUANTITY_PATTERN: Final = re.compile(
    r"^\+?(?P<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)"
    r"((?P<exponent>[eE][-+]?[0-9]+)|(?P<suffix>[KMGTPE]i|[numkMGTPE]))?$"
)
"""A non-negative Kubernetes quantity (``500m``, ``2Gi``, ``1e3``)."""

_BINARY_SUFFIXES: Final = ("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")
_DECIMAL_SUFFIXES: Final = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15}
_QUANTITY_SCALES: Final = {
    **{suffix: 1024.0**power for power, suffix in enumerate(_BINARY_SUFFIXES)},
    **{suffix: 10.0**power for suffix, power in _DECIMAL_SUFFIXES.items()},
    "E": 1e18,
}

_MAX_QUANTITY: Final = 2**63 - 1
"""The largest quantity Kubernetes counts (a signed 64-bit integer of units)."""

_AT_MOST_ONE_OF: Final[Mapping[type[Any], str]] = {
    core_v1.Volume: "volume source",
    core_v1.EnvVarSource: "source",
}
"""Objects whose fields (other than ``name``) are alternatives: Kubernetes takes one."""

_UNIQUE_NAMES: Final = frozenset(
    {
        (core_v1.PodSpec, "volumes"),
        (core_v1.PodSpec, "containers"),
        (core_v1.PodSpec, "initContainers"),
    }
)
"""Lists whose items Kubernetes tells apart by ``name``."""

_OPTIONAL_REQUIRED: Final = {(core_v1.PodSpec, "containers")}
"""Required by Kubernetes, but filled in here: the Flink container is merged in by name."""

_MAX_PROBLEMS: Final = 20


def problems(value: object, model: str) -> list[KubernetesProblem]:
    """Every place (at most 20) where ``value`` is not the JSON form of ``core_v1.<model>``."""
    walker = _Walker()
    walker.walk(value, _type_of(model), ())
    return walker.problems


@cache
def _type_of(model: str) -> types.Type:
    return types.type_info(getattr(core_v1, model))


class _Walker:
    def __init__(self) -> None:
        self.problems: list[KubernetesProblem] = []

    def problem(self, location: tuple[str | int, ...], reason: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(KubernetesProblem(location, reason))

    def walk(self, value: object, expected: types.Type, at: tuple[str | int, ...]) -> None:
        if isinstance(expected, types.UnionType):
            self._union(value, expected, at)
        elif isinstance(expected, types.StructType):
            self._struct(value, expected, at)
        elif isinstance(expected, types.ListType):
            if not _is_array(value):
                self.problem(at, f"expected an array, got {describe_json_kind(value)}")
                return
            for index, item in enumerate(value):
                self.walk(item, expected.item_type, (*at, index))
        elif isinstance(expected, types.DictType):
            self._dict(value, expected, at)
        elif not _matches(value, expected):
            self.problem(at, f"expected {_describe(expected)}, got {describe_json_kind(value)}")

    def _union(self, value: object, expected: types.UnionType, at: tuple[str | int, ...]) -> None:
        if value is None and any(isinstance(t, types.NoneType) for t in expected.types):
            return
        for option in expected.types:
            if _kind_fits(value, option):
                self.walk(value, option, at)
                return
        options = " or ".join(
            _describe(t) for t in expected.types if not isinstance(t, types.NoneType)
        )
        self.problem(at, f"expected {options}, got {describe_json_kind(value)}")

    def _struct(self, value: object, expected: types.StructType, at: tuple[str | int, ...]) -> None:
        if not isinstance(value, Mapping):
            self.problem(at, f"expected {_describe(expected)}, got {describe_json_kind(value)}")
            return
        fields = {field.encode_name: field for field in expected.fields}
        for key, member in value.items():
            field = fields.get(key)
            if field is None:
                self.problem((*at, key), f"unknown field of a Kubernetes {expected.cls.__name__}")
            elif key in _STRING_MAPS:
                self._string_map(member, (*at, key), _STRING_MAPS[key])
            elif (expected.cls, key) in _QUANTITY_MAPS and isinstance(member, Mapping):
                for resource, quantity in member.items():
                    if not _is_quantity(quantity):
                        self.problem((*at, key, resource), _not_a_quantity(quantity))
            else:
                self.walk(member, field.type, (*at, key))
                name_problem = _NAMES.get(expected.cls) if key == "name" else None
                reason = name_problem(member) if name_problem and isinstance(member, str) else None
                if reason:
                    self.problem((*at, key), reason)
        self._rules_across_fields(value, expected.cls, at)
        for field in expected.fields:
            optional = (expected.cls, field.encode_name) in _OPTIONAL_REQUIRED
            if field.required and not optional and field.encode_name not in value:
                self.problem(
                    (*at, field.encode_name),
                    f"required in a Kubernetes {expected.cls.__name__}",
                )

    def _rules_across_fields(
        self, value: Mapping[str, Any], cls: type[Any], at: tuple[str | int, ...]
    ) -> None:
        alternatives = _AT_MOST_ONE_OF.get(cls)
        given = [key for key in value if key != "name" and value[key] is not None]
        if alternatives and len(given) > 1:
            self.problem(at, f"one {alternatives} at most, not {len(given)}: {', '.join(given)}")
        if cls is core_v1.EnvVar and value.get("value") and value.get("valueFrom") is not None:
            self.problem(at, "give value or valueFrom, not both")
        for key, member in value.items():
            if (cls, key) in _UNIQUE_NAMES and _is_array(member):
                names = [item.get("name") for item in member if isinstance(item, Mapping)]
                for name in sorted({n for n in names if names.count(n) > 1 and n is not None}):
                    self.problem((*at, key), f"the name {name!r} is given twice; names are unique")

    def _dict(self, value: object, expected: types.DictType, at: tuple[str | int, ...]) -> None:
        if not isinstance(value, Mapping):
            self.problem(at, f"expected an object, got {describe_json_kind(value)}")
            return
        for key, member in value.items():
            self.walk(member, expected.value_type, (*at, key))

    def _string_map(
        self,
        value: object,
        at: tuple[str | int, ...],
        rules: Callable[[Mapping[str, str]], list[MapProblem]],
    ) -> None:
        if value is None:
            return
        if not isinstance(value, Mapping):
            self.problem(at, f"expected an object of strings, got {describe_json_kind(value)}")
            return
        for key, member in value.items():
            if not isinstance(member, str):
                self.problem((*at, key), f"expected a string, got {describe_json_kind(member)}")
                return
        for where, reason in rules(value):
            self.problem((*at, *where), reason)


def _is_quantity(value: object) -> bool:
    if isinstance(value, str):
        written = _QUANTITY_PATTERN.fullmatch(value)
        if written is None:
            return False
        exponent = written["exponent"]
        scale = float(f"1{exponent}") if exponent else _QUANTITY_SCALES[written["suffix"] or ""]
        amount = float(written["number"]) * scale
        return 0 <= amount <= _MAX_QUANTITY
    return _is_number(value) and 0 <= value <= _MAX_QUANTITY  # type: ignore[operator]


def _not_a_quantity(value: object) -> str:
    shown = repr(value) if isinstance(value, str) else describe_json_kind(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return (
        f"{shown} is not a Kubernetes quantity from 0 to 2^63-1 (such as 500m, 2, 1.5, 2Gi or 512M)"
    )


def _is_array(value: object) -> TypeGuard[Sequence[Any]]:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def _matches(value: object, expected: types.Type) -> bool:
    if isinstance(expected, types.AnyType):
        return True
    if isinstance(expected, types.NoneType):
        return value is None
    if isinstance(expected, types.BoolType):
        return isinstance(value, bool)
    if isinstance(expected, types.IntType):
        return _is_number(value) and float(value).is_integer()  # type: ignore[arg-type]
    if isinstance(expected, types.FloatType):
        return _is_number(value)
    if isinstance(expected, types.StrType):
        return isinstance(value, str)
    return False


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _kind_fits(value: object, expected: types.Type) -> bool:
    """Whether ``value`` is the JSON kind of ``expected`` (its insides are checked later)."""
    if isinstance(expected, types.StructType | types.DictType):
        return isinstance(value, Mapping)
    if isinstance(expected, types.ListType):
        return _is_array(value)
    return _matches(value, expected)


_DESCRIPTIONS: Final = (
    (types.DictType, "an object"),
    (types.ListType, "an array"),
    (types.BoolType, "a boolean"),
    (types.IntType, "an integer"),
    (types.FloatType, "a number"),
    (types.StrType, "a string"),
    (types.NoneType, "null"),
)


def _describe(expected: types.Type) -> str:
    if isinstance(expected, types.StructType):
        return f"an object (a Kubernetes {expected.cls.__name__})"
    for kind, description in _DESCRIPTIONS:
        if isinstance(expected, kind):
            return description
    return "a value"
