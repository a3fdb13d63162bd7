"""Defect classes closed once for every model field, not case by case (issue 11)."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic.fields import FieldInfo

import pulumi_flink.model  # noqa: F401 — imports every model
from pulumi_flink.model._base import Number, VvpModel


def _models(base: type[VvpModel]) -> Iterator[type[VvpModel]]:
    for model in base.__subclasses__():
        yield model
        yield from _models(model)


def _numeric_fields() -> list[tuple[str, FieldInfo]]:
    fields = []
    for model in set(_models(VvpModel)):
        for name, field in model.model_fields.items():
            if _numeric(field.annotation):
                fields.append((f"{model.__name__}.{name}", field))
    return sorted(fields, key=lambda item: item[0])


def _numeric(annotation: Any) -> bool:
    if annotation in (int, float):
        return True
    return any(_numeric(argument) for argument in typing.get_args(annotation))


def _refuses_booleans(field: FieldInfo) -> bool:
    markers = [*field.metadata]
    for argument in typing.get_args(field.annotation):
        markers += getattr(argument, "__metadata__", ())
    return Number in markers


NUMERIC_FIELDS = _numeric_fields()


def test_the_models_have_numeric_fields_to_check() -> None:
    assert len(NUMERIC_FIELDS) >= 5


@pytest.mark.parametrize("field", [field for _, field in NUMERIC_FIELDS],
                         ids=[name for name, _ in NUMERIC_FIELDS])  # fmt: skip
def test_every_numeric_field_refuses_booleans_as_vvp_does(field: FieldInfo) -> None:
    assert _refuses_booleans(field), "mark it Number (or use Count), as VVP refuses true as 1"
