"""Names, labels and annotation keys the registry writes."""

from __future__ import annotations

import re
import uuid

import pytest

from pulumi_flink.registry._names import (
    REFERENCE_ANNOTATION_PREFIX,
    config_map_name,
    reference_annotation_key,
    sanitize_target_name,
    target_labels,
    target_name_hash,
)
from pulumi_flink.render.labels import LABEL_TARGET_ID, LABEL_TARGET_NAME_HASH

DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
QUALIFIED_NAME_PART = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
TARGET_ID = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"


def test_sanitize_lowercases_and_turns_underscores_into_hyphens() -> None:
    assert sanitize_target_name("Team_A-Prod") == "team-a-prod"


def test_sanitize_trims_hyphens_at_both_ends() -> None:
    assert sanitize_target_name("_-prod-_") == "prod"


def test_config_map_name_is_prefix_sanitized_name_and_id_digits() -> None:
    assert config_map_name("Team_A", TARGET_ID) == "target-team-a-0f1e2d3c"


def test_config_map_name_of_a_name_of_only_underscores_omits_the_name() -> None:
    assert config_map_name("___", TARGET_ID) == "target-0f1e2d3c"


@pytest.mark.parametrize(
    "name",
    [
        "a" * 250,
        "Z" * 250,
        "_" * 250,
        "a" * 236 + "_" * 14,  # truncation lands on a run of hyphens
        "x" + "-" * 249,
        "0",
        "A_b-C_d",
    ],
)
def test_config_map_name_is_a_dns1123_subdomain_of_at_most_253(name: str) -> None:
    for _ in range(20):
        result = config_map_name(name, str(uuid.uuid4()))
        assert len(result) <= 253
        assert DNS1123_SUBDOMAIN.fullmatch(result), result
        assert "--" not in result.removeprefix("target-")[-10:]


def test_config_map_names_differ_for_targets_with_one_name_and_different_ids() -> None:
    first = config_map_name("prod", "00000000-0000-4000-8000-000000000000")
    second = config_map_name("prod", "00000001-0000-4000-8000-000000000000")
    assert first != second


def test_name_hash_is_sixteen_hex_digits_and_case_sensitive() -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", target_name_hash("Prod"))
    assert target_name_hash("Prod") != target_name_hash("prod")


def test_target_labels_are_valid_label_values() -> None:
    labels = target_labels("x" * 250, TARGET_ID)
    assert labels[LABEL_TARGET_ID] == TARGET_ID
    assert labels[LABEL_TARGET_NAME_HASH] == target_name_hash("x" * 250)
    for value in labels.values():
        assert len(value) <= 63
        assert LABEL_VALUE.fullmatch(value)


def test_reference_annotation_key_is_a_qualified_name_under_the_project_domain() -> None:
    key = reference_annotation_key("jobs/wordcount/stack")
    prefix, _, name = key.partition("/")
    assert prefix == "pulumi-flink.dev"
    assert key.startswith(REFERENCE_ANNOTATION_PREFIX)
    assert QUALIFIED_NAME_PART.fullmatch(name)


def test_reference_annotation_keys_differ_per_reference() -> None:
    assert reference_annotation_key("jobs/a/dev") != reference_annotation_key("jobs/b/dev")
