"""Specification of the patch-set engine: RFC 6902 JSON Patch, RFC 6901 pointers."""

from __future__ import annotations

import copy
import doctest
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulumi_flink import patching
from pulumi_flink.errors import PatchSetError, SpecValidationError
from pulumi_flink.patching import PatchSet, apply_patch_set, validate_patch_set

Doc = dict[str, Any]
Op = dict[str, Any]


def _deployment() -> Doc:
    return {
        "kind": "Deployment",
        "spec": {
            "template": {
                "spec": {
                    "parallelism": 2,
                    "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "1"},
                }
            },
            "args": ["--input", "s3://in"],
        },
    }


def _fails(document: Doc, patch_set: list[Any]) -> PatchSetError:
    with pytest.raises(PatchSetError) as caught:
        apply_patch_set(document, patch_set)
    return caught.value


# --- the seed example and add -------------------------------------------------


def test_add_sets_a_dotted_flink_configuration_key_without_escaping() -> None:
    path = "/spec/template/spec/flinkConfiguration/state.checkpoints.dir"
    patched = apply_patch_set(_deployment(), [{"op": "add", "path": path, "value": "s3://ckpt"}])
    assert patched["spec"]["template"]["spec"]["flinkConfiguration"] == {
        "taskmanager.numberOfTaskSlots": "1",
        "state.checkpoints.dir": "s3://ckpt",
    }


def test_add_overwrites_an_existing_object_member() -> None:
    patched = apply_patch_set({"a": 1}, [{"op": "add", "path": "/a", "value": {"b": 2}}])
    assert patched == {"a": {"b": 2}}


def test_add_inserts_into_an_array_before_the_element_at_that_index() -> None:
    patched = apply_patch_set({"a": [1, 3]}, [{"op": "add", "path": "/a/1", "value": 2}])
    assert patched == {"a": [1, 2, 3]}


def test_add_with_dash_appends_to_an_array() -> None:
    patched = apply_patch_set({"a": [1]}, [{"op": "add", "path": "/a/-", "value": 2}])
    assert patched == {"a": [1, 2]}


def test_add_at_the_array_length_appends() -> None:
    patched = apply_patch_set({"a": [1]}, [{"op": "add", "path": "/a/1", "value": 2}])
    assert patched == {"a": [1, 2]}


def test_add_past_the_array_length_is_rejected() -> None:
    error = _fails({"a": [1]}, [{"op": "add", "path": "/a/2", "value": 2}])
    assert "index 2 is out of range" in error.reason
    assert "/a has 1 elements" in error.reason


def test_add_does_not_create_a_missing_parent() -> None:
    error = _fails(_deployment(), [{"op": "add", "path": "/spec/foo/bar", "value": 1}])
    assert error.reason == (
        "parent /spec/foo does not exist; add does not create missing parents — add /spec/foo first"
    )


def test_add_names_the_first_missing_ancestor_when_several_are_missing() -> None:
    error = _fails({"spec": {}}, [{"op": "add", "path": "/spec/a/b/c", "value": 1}])
    assert "parent /spec/a/b does not exist (nothing at /spec/a)" in error.reason
    assert error.reason.endswith("add /spec/a first")


def test_add_below_a_scalar_is_rejected() -> None:
    error = _fails({"a": "text"}, [{"op": "add", "path": "/a/b", "value": 1}])
    assert "/a is a string, not an object or array" in error.reason


def test_add_deep_copies_its_value_so_later_operations_do_not_touch_the_patch_set() -> None:
    patch_set: list[Any] = [
        {"op": "add", "path": "/a", "value": {"b": []}},
        {"op": "add", "path": "/a/b/-", "value": 1},
    ]
    patched = apply_patch_set({}, patch_set)
    assert patched == {"a": {"b": [1]}}
    assert patch_set[0]["value"] == {"b": []}


def test_add_stores_a_tuple_value_as_a_json_array() -> None:
    patched = apply_patch_set({}, [{"op": "add", "path": "/a", "value": (1, 2)}])
    assert patched == {"a": [1, 2]}


# --- array indices ------------------------------------------------------------


@pytest.mark.parametrize("op", ["add", "replace", "test"])
def test_an_array_index_with_a_leading_zero_is_rejected(op: str) -> None:
    error = _fails({"a": [1, 2]}, [{"op": op, "path": "/a/01", "value": 1}])
    assert "leading zero" in error.reason
    assert "write 1" in error.reason


def test_a_negative_array_index_is_rejected() -> None:
    error = _fails({"a": [1, 2]}, [{"op": "add", "path": "/a/-1", "value": 0}])
    assert "is negative" in error.reason


@pytest.mark.parametrize("token", ["x", "1.0", "+1", " 1", "\u0661"])
def test_a_non_decimal_array_index_is_rejected(token: str) -> None:
    error = _fails({"a": [1, 2]}, [{"op": "remove", "path": f"/a/{token}"}])
    assert "must be an index" in error.reason


def test_an_array_index_inside_a_path_obeys_the_same_rules() -> None:
    error = _fails({"a": [{"b": 1}]}, [{"op": "remove", "path": "/a/00/b"}])
    assert "leading zero" in error.reason


# --- remove and replace -------------------------------------------------------


def test_remove_deletes_an_object_member() -> None:
    patched = apply_patch_set({"a": 1, "b": 2}, [{"op": "remove", "path": "/a"}])
    assert patched == {"b": 2}


def test_remove_deletes_an_array_element_and_shifts_the_rest() -> None:
    patched = apply_patch_set({"a": [1, 2, 3]}, [{"op": "remove", "path": "/a/0"}])
    assert patched == {"a": [2, 3]}


def test_remove_of_a_missing_member_is_rejected_naming_the_path() -> None:
    error = _fails({"a": {}}, [{"op": "remove", "path": "/a/b"}])
    assert error.reason == "path /a/b does not exist"


def test_remove_below_a_missing_member_names_what_is_missing() -> None:
    error = _fails({"a": {}}, [{"op": "remove", "path": "/a/b/c"}])
    assert error.reason == "path /a/b/c does not exist: nothing at /a/b"


def test_remove_of_an_array_index_out_of_range_is_rejected() -> None:
    error = _fails({"a": [1]}, [{"op": "remove", "path": "/a/1"}])
    assert "the array at /a has 1 elements" in error.reason


def test_remove_of_dash_is_rejected_because_it_holds_no_value() -> None:
    error = _fails({"a": [1]}, [{"op": "remove", "path": "/a/-"}])
    assert "'-' means the position after the last element" in error.reason


def test_remove_of_the_whole_document_is_rejected() -> None:
    error = _fails({"a": 1}, [{"op": "remove", "path": ""}])
    assert "cannot remove the whole document" in error.reason


def test_replace_swaps_an_existing_value() -> None:
    patched = apply_patch_set(
        _deployment(),
        [{"op": "replace", "path": "/spec/template/spec/parallelism", "value": 8}],
    )
    assert patched["spec"]["template"]["spec"]["parallelism"] == 8


def test_replace_swaps_an_array_element_in_place() -> None:
    patched = apply_patch_set({"a": [1, 2]}, [{"op": "replace", "path": "/a/0", "value": 9}])
    assert patched == {"a": [9, 2]}


def test_replace_of_a_missing_member_is_rejected() -> None:
    error = _fails({"a": 1}, [{"op": "replace", "path": "/b", "value": 2}])
    assert error.reason == "path /b does not exist"


# --- the whole document -------------------------------------------------------


@pytest.mark.parametrize("op", ["add", "replace"])
def test_an_object_at_the_empty_path_replaces_the_whole_document(op: str) -> None:
    patched = apply_patch_set({"a": 1}, [{"op": op, "path": "", "value": {"b": 2}}])
    assert patched == {"b": 2}


@pytest.mark.parametrize("op", ["add", "replace"])
@pytest.mark.parametrize("value", [[], 1, "x", None, True])
def test_any_json_value_at_the_empty_path_replaces_the_whole_document(op: str, value: Any) -> None:
    assert apply_patch_set({"a": 1}, [{"op": op, "path": "", "value": value}]) == value


@pytest.mark.parametrize("document", [[1, 2], "text", 3, None, True])
def test_any_json_value_is_a_document(document: Any) -> None:
    assert apply_patch_set(document, [{"op": "test", "path": "", "value": document}]) == document


def test_an_array_document_is_patched_by_index() -> None:
    assert apply_patch_set([1, 2], [{"op": "add", "path": "/1", "value": 9}]) == [1, 9, 2]


@pytest.mark.parametrize("op", ["add", "replace"])
@pytest.mark.parametrize("value", [[], 1, "x", None, True])
def test_an_object_root_patch_set_refuses_a_non_object_at_the_empty_path(
    op: str, value: Any
) -> None:
    with pytest.raises(PatchSetError) as caught:
        PatchSet([{"op": op, "path": "", "value": value}], object_root=True)
    assert "the document root must stay a JSON object" in caught.value.reason


def test_an_object_root_patch_set_refuses_moving_a_non_object_to_the_root() -> None:
    patch_set = PatchSet([{"op": "move", "from": "/a", "path": ""}], object_root=True)
    with pytest.raises(PatchSetError) as caught:
        patch_set.apply({"a": [1]})
    assert caught.value.index == 0
    assert "the document root must stay a JSON object" in caught.value.reason


def test_an_object_root_patch_set_refuses_a_document_that_is_not_an_object() -> None:
    with pytest.raises(SpecValidationError) as caught:
        PatchSet([], object_root=True).apply([1])
    assert caught.value.field == "document"


def test_copying_an_object_to_the_root_replaces_the_whole_document() -> None:
    patched = apply_patch_set({"a": {"b": 1}}, [{"op": "copy", "from": "/a", "path": ""}])
    assert patched == {"b": 1}


def test_test_of_the_empty_path_compares_the_whole_document() -> None:
    document = {"a": [1, {"b": None}]}
    assert (
        apply_patch_set(document, [{"op": "test", "path": "", "value": copy.deepcopy(document)}])
        == document
    )


# --- move and copy ------------------------------------------------------------


def test_move_removes_the_source_and_adds_at_the_path() -> None:
    patched = apply_patch_set(
        {"a": {"x": 1}, "b": {}}, [{"op": "move", "from": "/a/x", "path": "/b/y"}]
    )
    assert patched == {"a": {}, "b": {"y": 1}}


def test_move_within_an_array_removes_before_it_inserts() -> None:
    patched = apply_patch_set({"a": [1, 2, 3]}, [{"op": "move", "from": "/a/0", "path": "/a/2"}])
    assert patched == {"a": [2, 3, 1]}


def test_move_onto_itself_changes_nothing() -> None:
    patched = apply_patch_set({"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": "/a"}])
    assert patched == {"a": {"b": 1}}


def test_move_into_its_own_child_is_rejected() -> None:
    error = _fails({"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": "/a/b/c"}])
    assert "cannot move /a into its own child /a/b/c" in error.reason


def test_move_to_a_sibling_whose_name_starts_with_the_source_name_is_allowed() -> None:
    patched = apply_patch_set({"a": 1}, [{"op": "move", "from": "/a", "path": "/ab"}])
    assert patched == {"ab": 1}


def test_move_from_a_missing_location_is_rejected() -> None:
    error = _fails({"a": 1}, [{"op": "move", "from": "/b", "path": "/c"}])
    assert error.reason == "from /b does not exist"


def test_move_does_not_create_missing_parents() -> None:
    error = _fails({"a": 1}, [{"op": "move", "from": "/a", "path": "/b/c"}])
    assert "move does not create missing parents — add /b first" in error.reason


def test_copy_adds_a_copy_of_the_source_and_keeps_the_source() -> None:
    patched = apply_patch_set({"a": {"b": [1]}}, [{"op": "copy", "from": "/a", "path": "/c"}])
    assert patched == {"a": {"b": [1]}, "c": {"b": [1]}}


def test_copy_does_not_alias_the_source() -> None:
    patched = apply_patch_set(
        {"a": {"b": [1]}},
        [
            {"op": "copy", "from": "/a", "path": "/c"},
            {"op": "add", "path": "/c/b/-", "value": 2},
        ],
    )
    assert patched == {"a": {"b": [1]}, "c": {"b": [1, 2]}}


def test_copy_into_its_own_child_is_allowed() -> None:
    patched = apply_patch_set({"a": {"b": 1}}, [{"op": "copy", "from": "/a", "path": "/a/c"}])
    assert patched == {"a": {"b": 1, "c": {"b": 1}}}


def test_copy_does_not_create_missing_parents() -> None:
    error = _fails({"a": 1}, [{"op": "copy", "from": "/a", "path": "/b/c"}])
    assert "copy does not create missing parents — add /b first" in error.reason


# --- test ---------------------------------------------------------------------


def test_test_passes_when_the_value_is_equal() -> None:
    document = _deployment()
    patched = apply_patch_set(
        document, [{"op": "test", "path": "/spec/args", "value": ["--input", "s3://in"]}]
    )
    assert patched == document


def test_a_failed_test_reports_the_path_and_the_expected_and_found_values() -> None:
    error = _fails(
        _deployment(),
        [{"op": "test", "path": "/spec/template/spec/parallelism", "value": 4}],
    )
    assert error.reason == (
        "test failed at /spec/template/spec/parallelism: expected 4 but found 2"
    )


@pytest.mark.parametrize(
    ("found", "expected"),
    [(True, 1), (1, True), (False, 0), (0, False), (None, 0), ("1", 1), ([], {})],
)
def test_test_does_not_equate_values_of_different_json_types(found: Any, expected: Any) -> None:
    _fails({"a": found}, [{"op": "test", "path": "/a", "value": expected}])


def test_test_treats_integer_and_float_as_the_same_json_number() -> None:
    apply_patch_set({"a": 1}, [{"op": "test", "path": "/a", "value": 1.0}])


def test_test_ignores_object_member_order() -> None:
    apply_patch_set(
        {"a": {"x": 1, "y": 2}}, [{"op": "test", "path": "/a", "value": {"y": 2, "x": 1}}]
    )


def test_test_compares_array_elements_exactly_and_in_order() -> None:
    _fails({"a": [1, True]}, [{"op": "test", "path": "/a", "value": [1, 1]}])
    _fails({"a": [1, 2]}, [{"op": "test", "path": "/a", "value": [2, 1]}])


def test_test_compares_nested_values_exactly() -> None:
    _fails({"a": {"b": [True]}}, [{"op": "test", "path": "/a", "value": {"b": [1]}}])


def test_test_of_a_missing_path_is_rejected() -> None:
    error = _fails({"a": 1}, [{"op": "test", "path": "/b", "value": 1}])
    assert error.reason == "path /b does not exist"


# --- pointers -----------------------------------------------------------------


def test_tilde_one_in_a_pointer_means_a_slash_in_the_key() -> None:
    patched = apply_patch_set(
        {"annotations": {}},
        [{"op": "add", "path": "/annotations/app~1name", "value": "x"}],
    )
    assert patched == {"annotations": {"app/name": "x"}}


def test_tilde_zero_in_a_pointer_means_a_tilde_in_the_key() -> None:
    patched = apply_patch_set({}, [{"op": "add", "path": "/a~0b", "value": 1}])
    assert patched == {"a~b": 1}


def test_tilde_one_is_decoded_before_tilde_zero() -> None:
    patched = apply_patch_set({}, [{"op": "add", "path": "/~01", "value": 1}])
    assert patched == {"~1": 1}


def test_a_lone_slash_points_at_the_empty_key() -> None:
    patched = apply_patch_set({"": 1}, [{"op": "replace", "path": "/", "value": 2}])
    assert patched == {"": 2}


@pytest.mark.parametrize("path", ["/a~2", "/a~", "/~a", "/a/~/b"])
def test_a_tilde_not_followed_by_zero_or_one_is_rejected(path: str) -> None:
    error = _fails({"a": 1}, [{"op": "add", "path": path, "value": 1}])
    assert "'~' may only appear as ~0" in error.reason
    assert repr(path) in error.reason


@pytest.mark.parametrize("path", ["a", "a/b", " /a", "#/a"])
def test_a_path_not_starting_with_a_slash_is_rejected(path: str) -> None:
    error = _fails({"a": 1}, [{"op": "remove", "path": path}])
    assert "must be '' (the whole document) or start with '/'" in error.reason


def test_a_bad_from_pointer_is_rejected_naming_from() -> None:
    error = _fails({"a": 1}, [{"op": "copy", "from": "a", "path": "/b"}])
    assert error.reason.startswith("from 'a' is not a JSON pointer")


# --- validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "reason"),
    [
        ({"path": "/a"}, "'op' is missing"),
        ({"op": "delete", "path": "/a"}, "'op' must be one of"),
        ({"op": ["add"], "path": "/a", "value": 1}, "'op' must be one of"),
        ({"op": "remove"}, "remove needs a 'path'"),
        ({"op": "remove", "path": 1}, "'path' must be a JSON pointer string"),
        ({"op": "move", "path": "/b"}, "move needs a 'from'"),
        ({"op": "copy", "from": None, "path": "/b"}, "'from' must be a JSON pointer"),
        ({"op": "add", "path": "/a"}, "add needs a 'value'"),
        ({"op": "replace", "path": "/a"}, "replace needs a 'value'"),
        ({"op": "test", "path": "/a"}, "test needs a 'value'"),
        ({"op": "add", "path": "/a", "value": {1, 2}}, "a set value is not JSON data"),
        ({"op": "add", "path": "/a", "value": float("nan")}, "is not a JSON number"),
        ({"op": "test", "path": "/a", "value": [float("inf")]}, "is not a JSON number"),
        ({"op": "add", "path": "/a", "value": {1: "x"}}, "JSON object keys are"),
        ("remove /a", "each operation must be an object"),
        (None, "each operation must be an object"),
    ],
)
def test_a_malformed_operation_is_rejected_with_a_reason(operation: Any, reason: str) -> None:
    with pytest.raises(PatchSetError) as caught:
        validate_patch_set([operation])
    assert reason in caught.value.reason
    assert caught.value.index == 0
    assert caught.value.operation == operation


@pytest.mark.parametrize("patch_set", [None, "[]", {"op": "remove", "path": "/a"}, 3])
def test_a_patch_set_that_is_not_a_list_is_reported_as_patch_zero(
    patch_set: Any,
) -> None:
    error = _fails({"a": 1}, patch_set)
    assert error.index == 0
    assert "the patch set must be a list of operations" in error.reason
    assert "reported as patch 0" in error.reason


def test_a_single_operation_not_wrapped_in_a_list_gets_a_hint() -> None:
    error = _fails({"a": 1}, {"op": "remove", "path": "/a"})  # type: ignore[arg-type]
    assert "wrap a single operation in a list" in error.reason


def test_validation_reports_the_first_malformed_operation() -> None:
    with pytest.raises(PatchSetError) as caught:
        validate_patch_set(
            [
                {"op": "remove", "path": "/a"},
                {"op": "add", "path": "/b"},
                {"op": "nope", "path": "/c"},
            ]
        )
    assert caught.value.index == 1


def test_the_whole_patch_set_is_validated_before_anything_is_applied() -> None:
    # Operation 0 would fail when applied; the malformed operation 1 wins.
    error = _fails(
        {"a": 1},
        [{"op": "remove", "path": "/missing"}, {"op": "add", "path": "/b"}],
    )
    assert error.index == 1


def test_validation_does_not_look_at_any_document() -> None:
    validate_patch_set([{"op": "remove", "path": "/nowhere/at/all"}])


def test_unknown_members_of_an_operation_are_ignored() -> None:
    patched = apply_patch_set(
        {"a": 1}, [{"op": "remove", "path": "/a", "value": 1, "comment": "why"}]
    )
    assert patched == {}


def test_an_empty_patch_set_returns_an_equal_but_separate_document() -> None:
    document = _deployment()
    patched = apply_patch_set(document, [])
    assert patched == document
    assert patched["spec"] is not document["spec"]


# --- errors -------------------------------------------------------------------


def test_errors_carry_the_index_and_the_operation_that_failed() -> None:
    failing = {"op": "test", "path": "/a", "value": 2}
    error = _fails({"a": 1}, [{"op": "test", "path": "/a", "value": 1}, failing])
    assert error.index == 1
    assert error.operation == failing
    assert error.path == "/a"


def test_errors_name_the_deployment_target_when_given() -> None:
    with pytest.raises(PatchSetError) as caught:
        apply_patch_set({"a": 1}, [{"op": "remove", "path": "/b"}], target_name="prod")
    assert caught.value.target_name == "prod"
    assert str(caught.value).startswith("deploymentTarget 'prod': patch 0 (remove /b)")


def test_validation_errors_name_the_deployment_target_when_given() -> None:
    with pytest.raises(PatchSetError) as caught:
        validate_patch_set("nope", target_name="prod")
    assert caught.value.target_name == "prod"


def test_a_failure_leaves_the_input_document_unchanged() -> None:
    document = _deployment()
    before = copy.deepcopy(document)
    _fails(
        document,
        [
            {"op": "replace", "path": "/spec/template/spec/parallelism", "value": 9},
            {"op": "remove", "path": "/spec/args/0"},
            {"op": "test", "path": "/kind", "value": "Job"},
        ],
    )
    assert document == before


# --- one patch set, many documents --------------------------------------------


def test_a_patch_set_is_validated_when_it_is_built() -> None:
    with pytest.raises(PatchSetError) as caught:
        PatchSet([{"op": "remove", "path": "/a"}, {"op": "add", "path": "/b"}], target_name="prod")
    assert (caught.value.index, caught.value.target_name) == (1, "prod")


def test_a_built_patch_set_gives_each_document_its_own_values() -> None:
    patch_set = PatchSet([{"op": "add", "path": "/a", "value": {"b": [1]}}])
    first = patch_set.apply({})
    first["a"]["b"].append(2)
    assert patch_set.apply({}) == {"a": {"b": [1]}}


def test_a_built_patch_set_ignores_later_changes_to_the_given_operations() -> None:
    operations: list[Op] = [{"op": "add", "path": "/a", "value": {"b": 1}}]
    patch_set = PatchSet(operations)
    operations[0]["value"]["b"] = 2
    operations.append({"op": "remove", "path": "/a"})
    assert patch_set.apply({}) == {"a": {"b": 1}}


def test_a_built_patch_set_names_its_target_when_an_operation_fails() -> None:
    patch_set = PatchSet([{"op": "remove", "path": "/b"}], target_name="prod")
    with pytest.raises(PatchSetError) as caught:
        patch_set.apply({"a": 1})
    assert str(caught.value) == (
        "deploymentTarget 'prod': patch 0 (remove /b): path /b does not exist"
    )


def test_docstring_examples_run() -> None:
    assert doctest.testmod(patching).failed == 0


# --- properties ---------------------------------------------------------------

_KEYS = st.text(alphabet="ab/~.0-", max_size=3)
_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=3)
)
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=3),
    max_leaves=10,
)
_DOCUMENTS = st.dictionaries(_KEYS, _JSON_VALUES, max_size=4)
_OPS = ["add", "remove", "replace", "move", "copy", "test"]


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _pointers(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every location in ``value`` with what is stored there, root first."""
    yield prefix, value
    if isinstance(value, dict):
        for key, member in value.items():
            yield from _pointers(member, f"{prefix}/{_escape(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers(item, f"{prefix}/{index}")


def _container_ids(value: Any) -> set[int]:
    return {id(found) for _, found in _pointers(value) if isinstance(found, (dict, list))}


@st.composite
def _plausible_operation(draw: st.DrawFn, document: Doc) -> Op:
    """An operation aimed at locations that exist in ``document``, mostly."""
    locations = [pointer for pointer, _ in _pointers(document)]
    existing = draw(st.sampled_from(locations))
    near = draw(st.sampled_from([existing, f"{existing}/{draw(_KEYS)}", f"{existing}/-"]))
    op = draw(st.sampled_from(_OPS))
    operation: Op = {"op": op, "path": near}
    if op in {"move", "copy"}:
        operation["from"] = draw(st.sampled_from(locations))
    if op in {"add", "replace"}:
        operation["value"] = draw(_JSON_VALUES)
    if op == "test":
        # A random value almost never matches, so mostly test what is there.
        stored = dict(_pointers(document)).get(near)
        operation["value"] = draw(st.just(copy.deepcopy(stored)) | _JSON_VALUES)
    return operation


@st.composite
def _applicable_patch_sets(draw: st.DrawFn) -> tuple[Doc, list[Op], Doc]:
    """A document, a patch set that applies to it, and the expected result."""
    document = draw(_DOCUMENTS)
    patch_set: list[Op] = []
    current = document
    for _ in range(draw(st.integers(0, 6))):
        operation = draw(_plausible_operation(current))
        try:
            current = apply_patch_set(current, [operation])
        except PatchSetError:
            continue
        patch_set.append(operation)
    return document, patch_set, current


_JUNK = st.recursive(
    _JSON_SCALARS | st.floats() | st.binary(max_size=2) | st.sets(st.integers(), max_size=2),
    lambda children: (
        st.lists(children, max_size=3)
        | st.tuples(children)
        | st.dictionaries(_KEYS, children, max_size=3)
        | st.dictionaries(st.integers(), children, max_size=2)
    ),
    max_leaves=6,
)
_POINTERISH = st.text(alphabet="/~012-ab", max_size=8)
_JUNK_OPERATIONS = st.one_of(
    st.dictionaries(
        st.sampled_from(["op", "path", "from", "value", "extra"]),
        st.one_of(st.sampled_from(_OPS), _POINTERISH, _JUNK),
        max_size=5,
    ),
    _JUNK,
)


@given(document=_DOCUMENTS, patch_set=st.lists(_JUNK_OPERATIONS, max_size=5) | _JUNK)
def test_any_patch_set_either_applies_or_raises_patch_set_error(
    document: Doc, patch_set: Any
) -> None:
    document_before = copy.deepcopy(document)
    patch_set_before = copy.deepcopy(patch_set)
    operations = len(patch_set) if isinstance(patch_set, (list, tuple)) else 0
    try:
        patched = apply_patch_set(document, patch_set)
    except PatchSetError as error:
        assert 0 <= error.index < max(1, operations)
        assert error.reason
    else:
        # Any JSON root is allowed (RFC 6902): the result is plain JSON.
        assert json.loads(json.dumps(patched)) == patched
    assert document == document_before
    assert patch_set == patch_set_before


@given(data=st.data(), document=_DOCUMENTS)
def test_a_failure_never_mutates_the_inputs(data: st.DataObject, document: Doc) -> None:
    patch_set = data.draw(st.lists(_plausible_operation(document), max_size=4))
    patch_set.append({"op": "remove", "path": "/no such key/at all"})
    document_before = copy.deepcopy(document)
    patch_set_before = copy.deepcopy(patch_set)
    with pytest.raises(PatchSetError):
        apply_patch_set(document, patch_set)
    assert document == document_before
    assert patch_set == patch_set_before


@given(applicable=_applicable_patch_sets())
def test_a_successful_application_never_mutates_or_aliases_the_inputs(
    applicable: tuple[Doc, list[Op], Doc],
) -> None:
    document, patch_set, expected = applicable
    document_before = copy.deepcopy(document)
    patch_set_before = copy.deepcopy(patch_set)
    patched = apply_patch_set(document, patch_set)
    assert patched == expected
    assert document == document_before
    assert patch_set == patch_set_before
    assert not _container_ids(patched) & (_container_ids(document) | _container_ids(patch_set))


@given(data=st.data(), document=_DOCUMENTS)
def test_adding_then_removing_a_fresh_key_round_trips(data: st.DataObject, document: Doc) -> None:
    objects = [pointer for pointer, found in _pointers(document) if isinstance(found, dict)]
    parent = data.draw(st.sampled_from(objects))
    target = dict(_pointers(document))[parent]
    key = data.draw(_KEYS.filter(lambda candidate: candidate not in target))
    path = f"{parent}/{_escape(key)}"
    value = data.draw(_JSON_VALUES)
    patched = apply_patch_set(
        document,
        [{"op": "add", "path": path, "value": value}, {"op": "remove", "path": path}],
    )
    assert patched == document
