"""Specification of Kubernetes names and label values (issue 2, rules 8 and 10).

The Flink operator wants FlinkDeployment names matching
``[a-z]([-a-z0-9]{0,43}[a-z0-9])?``, shorter than VVP's 63 characters and
never starting with a digit. Other names are shortened deterministically with
a hash suffix, so distinct VVP names stay distinct.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pulumi_flink.model.names import DEPLOYMENT_NAME_PATTERN, TARGET_NAME_PATTERN
from pulumi_flink.render.naming import WORKLOAD_NAME_PATTERN, label_value, workload_name

OPERATOR_NAME = re.compile(r"[a-z]([-a-z0-9]{0,43}[a-z0-9])?")
LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
HASH_SUFFIX = re.compile(r"-[0-9a-f]{8}")

vvp_deployment_names = st.from_regex(DEPLOYMENT_NAME_PATTERN, fullmatch=True)
vvp_target_names = st.from_regex(TARGET_NAME_PATTERN, fullmatch=True)


def test_workload_name_pattern_is_the_operators() -> None:
    assert WORKLOAD_NAME_PATTERN.pattern.strip("^$") == OPERATOR_NAME.pattern


@pytest.mark.parametrize("name", ["orders", "a", "orders-v2", "a" * 45])
def test_names_the_operator_accepts_are_kept(name: str) -> None:
    assert workload_name(name) == name


def test_name_longer_than_45_characters_is_shortened_to_45_with_a_hash_suffix() -> None:
    name = "customer-orders-enrichment-with-fraud-scoring-and-alerts"

    shortened = workload_name(name)

    assert len(shortened) == 45
    assert shortened.startswith(name[:36])
    assert HASH_SUFFIX.fullmatch(shortened[-9:])


def test_name_starting_with_a_digit_gets_a_letter_prefix_and_a_hash() -> None:
    shortened = workload_name("1-click-checkout")

    assert shortened.startswith("f-1-click-checkout-")
    assert OPERATOR_NAME.fullmatch(shortened)


def test_prefixing_a_digit_does_not_collide_with_the_prefixed_name() -> None:
    assert workload_name("1-click") != workload_name("f-1-click")


def test_names_sharing_a_long_prefix_stay_distinct() -> None:
    prefix = "x" * 50

    assert workload_name(prefix + "-a") != workload_name(prefix + "-b")


def test_shortening_does_not_leave_a_double_hyphen_before_the_hash() -> None:
    # Character 36 is a hyphen: it is dropped rather than kept next to the suffix.
    name = "a" * 35 + "-" + "b" * 20

    assert "--" not in workload_name(name)


@given(vvp_deployment_names)
def test_every_vvp_deployment_name_becomes_a_name_the_operator_accepts(name: str) -> None:
    assert OPERATOR_NAME.fullmatch(workload_name(name))


def test_shortened_name_is_stable_across_runs() -> None:
    # A SHA-256 prefix, not Python's per-process hash(): renames would replace workloads.
    name = "customer-lifetime-value-aggregation-with-late-event-correction"

    assert workload_name(name) == "customer-lifetime-value-aggregation-02aad624"


@given(vvp_deployment_names, vvp_deployment_names)
def test_distinct_vvp_deployment_names_give_distinct_workload_names(
    first: str, second: str
) -> None:
    assume(first != second)

    assert workload_name(first) != workload_name(second)


@given(vvp_deployment_names)
def test_workload_name_leaves_room_for_the_standalone_suffixes(name: str) -> None:
    # "<name>-taskmanager" must still be a valid Kubernetes object name (<= 63).
    assert len(workload_name(name) + "-taskmanager") <= 63


# --- Label values ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["prod", "analytics_prod", "Team.A-1", "x" * 63])
def test_valid_label_values_are_kept(name: str) -> None:
    assert label_value(name) == name


def test_target_name_longer_than_63_characters_becomes_a_hashed_label_value() -> None:
    name = "analytics_" + "x" * 240

    value = label_value(name)

    assert len(value) <= 63
    assert LABEL_VALUE.fullmatch(value)
    assert HASH_SUFFIX.fullmatch(value[-9:])


@pytest.mark.parametrize("name", ["_prod", "-prod", "prod_", "___", "-"])
def test_target_names_with_edge_punctuation_become_valid_label_values(name: str) -> None:
    assert LABEL_VALUE.fullmatch(label_value(name))


@given(vvp_target_names)
def test_every_vvp_target_name_becomes_a_valid_label_value(name: str) -> None:
    value = label_value(name)

    assert len(value) <= 63
    assert LABEL_VALUE.fullmatch(value)


@given(vvp_target_names, vvp_target_names)
def test_distinct_target_names_give_distinct_label_values(first: str, second: str) -> None:
    assume(first != second)

    assert label_value(first) != label_value(second)
