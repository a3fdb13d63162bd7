"""Target records and references, and their ConfigMap wire format."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap

from pulumi_flink.errors import PatchSetError, PulumiFlinkError
from pulumi_flink.registry import (
    CorruptRecordError,
    InvalidReferenceError,
    Reference,
    TargetRecord,
)
from pulumi_flink.registry._names import DELETING_ANNOTATION, target_labels
from pulumi_flink.registry._records import (
    normalize_patch_set,
    record_from_config_map,
    record_to_config_map,
)

TARGET_ID = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
PATCH_SET = (
    {"op": "add", "path": "/spec/template/spec/parallelism", "value": 2},
    {"op": "remove", "path": "/metadata/labels/x"},
)


def make_record(**changes: object) -> TargetRecord:
    fields: dict[str, object] = {
        "name": "Team_A-prod",
        "namespace": "jobs",
        "deployment_patch_set": PATCH_SET,
        "target_id": TARGET_ID,
        "created_at": datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
        "cluster_id": "cluster-uid",
        "references": (),
    }
    fields.update(changes)
    return TargetRecord(**fields)  # type: ignore[arg-type]


def ref(binding: str = "wordcount", namespace: str = "jobs", owner: str = "dev") -> Reference:
    return Reference(binding=binding, namespace=namespace, owner=owner)


# -- references ---------------------------------------------------------------


def test_reference_key_joins_namespace_binding_and_owner() -> None:
    assert (
        ref(owner="urn:pulumi:dev::p::a/b:C::x").key == "jobs/wordcount/urn:pulumi:dev::p::a/b:C::x"
    )


def test_reference_annotation_value_is_compact_json_of_all_three_fields() -> None:
    assert json.loads(ref().annotation_value) == {
        "binding": "wordcount",
        "namespace": "jobs",
        "owner": "dev",
    }
    assert " " not in ref().annotation_value


def test_reference_round_trips_through_its_annotation_value() -> None:
    original = ref(owner='stack "with" quotes/and/slashes')
    assert Reference.from_annotation_value(original.annotation_value) == original


def test_references_differing_only_in_owner_have_different_annotation_keys() -> None:
    assert ref(owner="a").annotation_key != ref(owner="b").annotation_key


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"binding": ""}, "binding"),
        ({"binding": "a/b"}, "binding"),
        ({"binding": "x" * 254}, "binding"),
        ({"namespace": "Jobs"}, "namespace"),
        ({"owner": ""}, "owner"),
    ],
)
def test_invalid_reference_field_is_named_in_the_error(changes: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidReferenceError) as raised:
        ref(**changes)
    assert raised.value.field == field
    assert isinstance(raised.value, PulumiFlinkError)


def test_annotation_value_missing_a_field_is_rejected() -> None:
    with pytest.raises(ValueError, match="binding, namespace, owner"):
        Reference.from_annotation_value('{"binding":"a","namespace":"b"}')


# -- records ------------------------------------------------------------------


def test_config_map_is_immutable_and_named_after_the_target() -> None:
    cm = record_to_config_map(make_record(), "pulumi-flink")
    assert cm.immutable is True
    assert cm.metadata is not None
    assert cm.metadata.name == "target-team-a-prod-0f1e2d3c"
    assert cm.metadata.namespace == "pulumi-flink"
    assert cm.metadata.labels == target_labels("Team_A-prod", TARGET_ID)


def test_config_map_data_holds_exactly_the_documented_keys() -> None:
    cm = record_to_config_map(make_record(), "pulumi-flink")
    assert cm.data == {
        "name": "Team_A-prod",
        "namespace": "jobs",
        "deploymentPatchSet": json.dumps(list(PATCH_SET), separators=(",", ":")),
        "targetId": TARGET_ID,
        "createdAt": "2024-05-06T07:08:09.123456+00:00",
        "clusterId": "cluster-uid",
    }


def test_created_at_is_written_in_utc_whatever_the_zone_given() -> None:
    local = datetime(2024, 5, 6, 9, 8, 9, tzinfo=timezone(timedelta(hours=2)))
    cm = record_to_config_map(make_record(created_at=local), "pulumi-flink")
    assert cm.data is not None
    assert cm.data["createdAt"] == "2024-05-06T07:08:09.000000+00:00"


def test_references_are_written_as_annotations_keyed_by_reference() -> None:
    refs = (ref("a"), ref("b"))
    cm = record_to_config_map(make_record(references=refs), "pulumi-flink")
    assert cm.metadata is not None
    assert cm.metadata.annotations == {r.annotation_key: r.annotation_value for r in refs}


def test_record_round_trips_through_its_config_map() -> None:
    record = make_record(references=(ref("a"), ref("b", owner="other")))
    assert record_from_config_map(record_to_config_map(record, "pulumi-flink")) == record


def test_record_round_trips_through_the_wire_json() -> None:
    record = make_record(references=(ref("a"),))
    wire = record_to_config_map(record, "ns").to_dict()
    decoded = ConfigMap.from_dict(json.loads(json.dumps(wire)))
    assert isinstance(decoded, ConfigMap)
    assert record_from_config_map(decoded) == record


def test_read_references_are_sorted_and_unrelated_annotations_ignored() -> None:
    cm = record_to_config_map(make_record(references=(ref("b"), ref("a"))), "ns")
    assert cm.metadata is not None and cm.metadata.annotations is not None
    cm.metadata.annotations["example.com/note"] = "hello"
    record = record_from_config_map(cm)
    assert record.references == (ref("a"), ref("b"))


def test_record_with_deletion_timestamp_has_deletion_started() -> None:
    cm = record_to_config_map(make_record(), "ns")
    assert cm.metadata is not None
    cm.metadata.deletionTimestamp = datetime(2024, 1, 1, tzinfo=UTC)
    assert record_from_config_map(cm).deletion_started


def test_record_fenced_by_the_deleting_annotation_has_deletion_started() -> None:
    cm = record_to_config_map(make_record(), "ns")
    assert cm.metadata is not None
    cm.metadata.annotations = {DELETING_ANNOTATION: "draining"}
    assert record_from_config_map(cm).deletion_started


def test_fresh_record_has_not_started_deletion() -> None:
    assert not record_from_config_map(record_to_config_map(make_record(), "ns")).deletion_started


def test_config_map_name_of_record_matches_its_config_map() -> None:
    record = make_record()
    cm = record_to_config_map(record, "ns")
    assert cm.metadata is not None
    assert record.config_map_name == cm.metadata.name


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("deploymentPatchSet", "{not json", "deploymentPatchSet"),
        ("deploymentPatchSet", '{"op":"add"}', "not a list of objects"),
        ("createdAt", "yesterday", "createdAt"),
        ("createdAt", "2024-01-01T00:00:00", "no time zone"),
    ],
)
def test_malformed_data_is_a_corrupt_record(key: str, value: str, reason: str) -> None:
    cm = record_to_config_map(make_record(), "ns")
    assert cm.data is not None
    cm.data[key] = value
    with pytest.raises(CorruptRecordError, match=reason):
        record_from_config_map(cm)


def test_missing_data_keys_are_named() -> None:
    cm = ConfigMap(metadata=ObjectMeta(name="target-x"), data={"name": "x"})
    with pytest.raises(CorruptRecordError, match="namespace, deploymentPatchSet"):
        record_from_config_map(cm)


def test_unparseable_reference_annotation_is_a_corrupt_record_not_ignored() -> None:
    # Ignoring it would silently drop the in-use protection it stands for.
    cm = record_to_config_map(make_record(), "ns")
    assert cm.metadata is not None
    cm.metadata.annotations = {"pulumi-flink.dev/ref-0123456789abcdef": "oops"}
    with pytest.raises(CorruptRecordError, match="ref-0123456789abcdef"):
        record_from_config_map(cm)


# -- patch sets ---------------------------------------------------------------


def test_patch_set_is_deep_copied_from_the_callers_objects() -> None:
    value = {"a": [1]}
    patch_set = [{"op": "add", "path": "/x", "value": value}]
    normalized = normalize_patch_set(patch_set)
    value["a"].append(2)
    assert normalized == ({"op": "add", "path": "/x", "value": {"a": [1]}},)


def test_an_operation_json_cannot_hold_is_a_patch_set_error_naming_it() -> None:
    patch_set = [{"op": "remove", "path": "/x"}, {"op": "remove", "path": "/y", "note": object()}]

    with pytest.raises(PatchSetError) as caught:
        normalize_patch_set(patch_set, target_name="prod")

    assert (caught.value.index, caught.value.target_name) == (1, "prod")
