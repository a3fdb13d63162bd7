"""Apply VVP deployment patch sets: RFC 6902 JSON Patch over RFC 6901 pointers.

The engine is written here rather than wrapped around ``jsonpatch`` because
that package's ``test`` uses Python ``==`` (so ``true`` equals ``1``) and it
raises exceptions from two unrelated hierarchies. Every failure here is a
:class:`~pulumi_flink.errors.PatchSetError` naming the offending operation.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple, TypeGuard

from pulumi_flink.errors import PatchSetError

__all__ = ["PatchSet", "apply_patch_set", "validate_patch_set"]

_KNOWN_OPS: Final = ("add", "remove", "replace", "move", "copy", "test")
_OPS_WITH_VALUE: Final = frozenset({"add", "replace", "test"})
_OPS_WITH_FROM: Final = frozenset({"move", "copy"})
_ARRAY_INDEX: Final = re.compile(r"0|[1-9][0-9]*")
_LEADING_ZERO: Final = re.compile(r"0[0-9]+")
_NEGATIVE_INDEX: Final = re.compile(r"-[0-9]+")
_BAD_ESCAPE: Final = re.compile(r"~(?![01])")
_MISSING: Final = object()
_ATOMS: Final = frozenset({str, int, float, bool, type(None)})


class _OperationError(Exception):
    """One operation failed; the caller attaches its index and the operation."""


class _Operation(NamedTuple):
    """One validated operation, its pointers already parsed."""

    position: int  # in the patch set
    given: Any  # the operation as given, for PatchSetError
    op: str
    path: str
    tokens: tuple[str, ...]
    from_path: str
    from_tokens: tuple[str, ...]
    value: Any  # a JSON copy taken when the patch set is built; copied again to apply


class PatchSet:
    """A validated patch set, ready to apply to any number of documents.

    Validation, parsing the JSON pointers and copying the values happen once,
    here: a DeploymentTarget applies its patch set to every Deployment that
    references it. Changing the given operations later does not change it.

    Parameters
    ----------
    patch_set
        The candidate patch set: a list of RFC 6902 operations.
    target_name
        Name of the DeploymentTarget the patch set belongs to, for messages.

    Raises
    ------
    PatchSetError
        As :func:`validate_patch_set`.

    Examples
    --------
    >>> seed = PatchSet([{"op": "add", "path": "/spec/parallelism", "value": 2}])
    >>> seed.apply({"spec": {}})
    {'spec': {'parallelism': 2}}
    """

    __slots__ = ("_operations", "target_name")

    def __init__(self, patch_set: object, *, target_name: str | None = None) -> None:
        self.target_name = target_name
        if not _is_array(patch_set):
            hint = " (wrap a single operation in a list)" if _is_mapping(patch_set) else ""
            raise PatchSetError(
                0,
                patch_set,
                f"the patch set must be a list of operations, not {_kind(patch_set)}"
                f"{hint}; reported as patch 0 because no operation could be read",
                target_name=target_name,
            )
        operations: list[_Operation] = []
        for index, operation in enumerate(patch_set):
            try:
                operations.append(_parsed_operation(index, operation))
            except _OperationError as failure:
                raise PatchSetError(
                    index, operation, str(failure), target_name=target_name
                ) from None
        self._operations = tuple(operations)

    def apply(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Apply the operations in order to a copy of ``document``, all or nothing.

        ``document`` is never modified, and the result shares no mutable value
        with it or with the patch set.

        Raises
        ------
        PatchSetError
            When an operation fails, naming its index.
        """
        result = _copied_document(document)
        for operation in self._operations:
            try:
                result = _apply_operation(result, operation)
            except _OperationError as failure:
                raise PatchSetError(
                    operation.position, operation.given, str(failure), target_name=self.target_name
                ) from None
        return result


def validate_patch_set(patch_set: object, *, target_name: str | None = None) -> None:
    """Check the shape of a patch set without applying it to any document.

    Parameters
    ----------
    patch_set
        The candidate patch set: a list of RFC 6902 operations.
    target_name
        Name of the DeploymentTarget the patch set belongs to, for messages.

    Raises
    ------
    PatchSetError
        For the first operation that is not an object, has an unknown ``op``,
        lacks ``path`` (or ``from`` for move/copy, ``value`` for
        add/replace/test), holds an invalid JSON pointer or a non-JSON value,
        moves a value into its own child, removes the whole document, or puts
        a non-object at the root.
        A patch set that is not a list is reported as patch 0.

    Examples
    --------
    >>> validate_patch_set([{"op": "remove", "path": "/spec/parallelism"}])
    >>> validate_patch_set([{"op": "add", "path": "/spec/parallelism"}])
    Traceback (most recent call last):
    ...
    pulumi_flink.errors.PatchSetError: patch 0 (add /spec/parallelism): add needs a 'value'
    """
    PatchSet(patch_set, target_name=target_name)


def apply_patch_set(
    document: Mapping[str, Any],
    patch_set: Sequence[Mapping[str, Any]],
    *,
    target_name: str | None = None,
) -> dict[str, Any]:
    """Apply a patch set to a copy of a JSON document, all or nothing.

    The whole patch set is validated first; operations then run in order, each
    on the result of the previous one. Neither ``document`` nor ``patch_set``
    is ever modified, and the result shares no mutable value with either.
    To apply one patch set to many documents, build a :class:`PatchSet` once.

    Parameters
    ----------
    document
        A JSON object (dicts, lists, strings, numbers, booleans, ``None``).
    patch_set
        RFC 6902 operations: ``add``, ``remove``, ``replace``, ``move``,
        ``copy`` and ``test``.
    target_name
        Name of the DeploymentTarget the patch set belongs to, for messages.

    Returns
    -------
    dict
        The patched document. Its root is always a JSON object.

    Raises
    ------
    PatchSetError
        When the patch set is malformed or any operation fails; ``index`` names
        the operation, ``reason`` says why in plain words.

    Examples
    --------
    >>> deployment = {"spec": {"template": {"spec": {"flinkConfiguration": {}}}}}
    >>> patched = apply_patch_set(
    ...     deployment,
    ...     [
    ...         {
    ...             "op": "add",
    ...             "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
    ...             "value": "s3://flink/checkpoints",
    ...         }
    ...     ],
    ... )
    >>> patched["spec"]["template"]["spec"]["flinkConfiguration"]
    {'state.checkpoints.dir': 's3://flink/checkpoints'}
    >>> deployment["spec"]["template"]["spec"]["flinkConfiguration"]
    {}
    >>> try:
    ...     apply_patch_set({"spec": {}}, [{"op": "add", "path": "/spec/a/b", "value": 1}])
    ... except PatchSetError as error:
    ...     print(error.reason)
    parent /spec/a does not exist; add does not create missing parents — add /spec/a first
    """
    _require_object(document)
    return PatchSet(patch_set, target_name=target_name).apply(document)


def _require_object(document: object) -> None:
    if not isinstance(document, Mapping):
        raise TypeError(f"document must be a JSON object, not {_kind(document)}")


def _parsed_operation(index: int, operation: object) -> _Operation:
    if not _is_mapping(operation):
        raise _OperationError(
            f"each operation must be an object with 'op' and 'path', not {_kind(operation)}"
        )
    op = operation.get("op", _MISSING)
    if op is _MISSING:
        raise _OperationError(f"'op' is missing; use one of {', '.join(_KNOWN_OPS)}")
    if not isinstance(op, str) or op not in _KNOWN_OPS:
        raise _OperationError(f"'op' must be one of {', '.join(_KNOWN_OPS)}; got {op!r}")
    path, tokens = _check_pointer(operation, op, "path")
    if op == "remove" and path == "":
        raise _OperationError("cannot remove the whole document; its root must stay a JSON object")
    from_path: str = ""
    from_tokens: tuple[str, ...] = ()
    if op in _OPS_WITH_FROM:
        from_path, from_tokens = _check_pointer(operation, op, "from")
        if op == "move" and path.startswith(from_path + "/"):
            raise _OperationError(
                f"cannot move {_shown(from_path)} into its own child {path}; "
                f"a value cannot be moved inside itself (copy can do this)"
            )
    value = None
    if op in _OPS_WITH_VALUE:
        if "value" not in operation:
            raise _OperationError(f"{op} needs a 'value'")
        value = _json_copy(operation["value"])
        if op != "test" and path == "":
            _as_root(value)
    return _Operation(index, operation, op, path, tokens, from_path, from_tokens, value)


def _check_pointer(
    operation: Mapping[str, Any], op: str, member: str
) -> tuple[str, tuple[str, ...]]:
    if member not in operation:
        raise _OperationError(f"{op} needs a {member!r} (a JSON pointer like /spec/parallelism)")
    pointer = operation[member]
    if not isinstance(pointer, str):
        raise _OperationError(
            f"{member!r} must be a JSON pointer string like /spec/parallelism, not {_kind(pointer)}"
        )
    return pointer, _parse_pointer(pointer, member)


def _parse_pointer(pointer: str, member: str) -> tuple[str, ...]:
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        raise _OperationError(
            f"{member} {pointer!r} is not a JSON pointer: it must be '' "
            f"(the whole document) or start with '/'"
        )
    tokens = pointer.split("/")[1:]
    if "~" not in pointer:
        return tuple(tokens)
    if _BAD_ESCAPE.search(pointer):
        raise _OperationError(
            f"{member} {pointer!r} is not a JSON pointer: '~' may only appear "
            f"as ~0 (a literal '~') or ~1 (a '/' inside a key)"
        )
    # RFC 6901 order: decoding ~0 first would turn '~01' into '/' instead of '~1'.
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in tokens)


def _apply_operation(root: dict[str, Any], operation: _Operation) -> dict[str, Any]:
    op = operation.op
    path = operation.path
    tokens = operation.tokens
    if op == "add":
        return _add(root, path, tokens, _copied(operation.value), op)
    if op == "remove":
        container, key = _locate(root, path, tokens)
        del container[key]
        return root
    if op == "replace":
        value = _copied(operation.value)
        if not tokens:
            return _as_root(value)
        container, key = _locate(root, path, tokens)
        container[key] = value
        return root
    if op == "test":
        found = _get(root, path, tokens)
        expected = operation.value
        if not _json_equal(found, expected):
            raise _OperationError(
                f"test failed at {_shown(path)}: expected {_show(expected)} "
                f"but found {_show(found)}"
            )
        return root
    source = operation.from_path
    source_tokens = operation.from_tokens
    if op == "copy":
        value = _copied(_get(root, source, source_tokens, "from"))
        return _add(root, path, tokens, value, op)
    if source == path:
        _get(root, source, source_tokens, "from")
        return root
    # Validation rejected moving '' anywhere but onto itself, so tokens exist.
    container, key = _locate(root, source, source_tokens, "from")
    value = container.pop(key)
    return _add(root, path, tokens, value, op)


# The walkers below build the escaped prefixes of a path (``_prefix``) only
# for error messages: computing them for every step dominated applying a patch.


def _add(
    root: dict[str, Any], path: str, tokens: tuple[str, ...], value: Any, op: str
) -> dict[str, Any]:
    if not tokens:
        return _as_root(value)
    parent = _parent(root, path, tokens, adding=op)
    depth = len(tokens) - 1
    if isinstance(parent, dict):
        parent[tokens[-1]] = value
    elif isinstance(parent, list):
        token = tokens[-1]
        index = len(parent) if token == "-" else _array_index(token, path, depth)
        if index > len(parent):
            raise _OperationError(
                f"index {index} is out of range: the array at {_shown(_prefix(path, depth))} "
                f"has {len(parent)} elements, so {op} accepts 0 to {len(parent)} or '-'"
            )
        parent.insert(index, value)
    else:
        raise _OperationError(
            f"parent {_shown(_prefix(path, depth))} is {_kind(parent)}, not an object or array"
        )
    return root


def _get(root: Any, path: str, tokens: tuple[str, ...], member: str = "path") -> Any:
    if not tokens:
        return root
    container, key = _locate(root, path, tokens, member)
    return container[key]


def _locate(root: Any, path: str, tokens: tuple[str, ...], member: str = "path") -> tuple[Any, Any]:
    """Return ``(container, key)`` such that ``container[key]`` is at ``path``."""
    parent = _parent(root, path, tokens, member=member)
    token = tokens[-1]
    depth = len(tokens) - 1
    if isinstance(parent, dict):
        if token in parent:
            return parent, token
        raise _OperationError(f"{member} {path} does not exist")
    if isinstance(parent, list):
        if token == "-":
            raise _OperationError(
                f"{member} {path} does not exist: '-' means the position after the "
                f"last element, which holds no value"
            )
        index = _array_index(token, path, depth)
        if index < len(parent):
            return parent, index
        raise _OperationError(
            f"{member} {path} does not exist: the array at {_shown(_prefix(path, depth))} "
            f"has {len(parent)} elements"
        )
    raise _OperationError(
        f"{member} {path} does not exist: {_shown(_prefix(path, depth))} is {_kind(parent)}"
    )


def _parent(
    root: Any,
    path: str,
    tokens: tuple[str, ...],
    *,
    adding: str | None = None,
    member: str = "path",
) -> Any:
    """Walk to the container that should hold the last token of ``path``."""
    node = root
    for depth in range(len(tokens) - 1):
        token = tokens[depth]
        # Objects are by far the most common step; _child handles the rest.
        node = node.get(token, _MISSING) if type(node) is dict else _child(node, token, path, depth)
        if node is _MISSING:
            missing = _prefix(path, depth + 1)
            if adding is None:
                raise _OperationError(f"{member} {path} does not exist: nothing at {missing}")
            parent = _prefix(path, len(tokens) - 1)
            detail = "" if parent == missing else f" (nothing at {missing})"
            raise _OperationError(
                f"parent {parent} does not exist{detail}; {adding} does not create "
                f"missing parents — add {missing} first"
            )
    return node


def _child(node: Any, token: str, path: str, depth: int) -> Any:
    """The member ``token`` of ``node``, which sits at the first ``depth`` tokens of ``path``."""
    if isinstance(node, dict):
        return node.get(token, _MISSING)
    if isinstance(node, list):
        if token == "-":
            return _MISSING
        index = _array_index(token, path, depth)
        return node[index] if index < len(node) else _MISSING
    raise _OperationError(
        f"{_shown(_prefix(path, depth))} is {_kind(node)}, not an object or array, "
        f"so it has no member {token!r}"
    )


def _array_index(token: str, path: str, depth: int) -> int:
    """Read ``token`` as an index into the array at the first ``depth`` tokens of ``path``."""
    if _ARRAY_INDEX.fullmatch(token):
        return int(token)
    where = _prefix(path, depth)
    if _LEADING_ZERO.fullmatch(token):
        raise _OperationError(
            f"array index {token!r} under {_shown(where)} has a leading zero; write {int(token)}"
        )
    if _NEGATIVE_INDEX.fullmatch(token):
        raise _OperationError(
            f"array index {token!r} under {_shown(where)} is negative; use '-' to append"
        )
    raise _OperationError(
        f"{_shown(where)} is an array, so {token!r} must be an index (0, 1, ...) or '-'"
    )


def _json_copy(value: object) -> Any:
    """Return ``value`` rebuilt from plain JSON types, or fail if it is not JSON."""
    try:
        return _to_json(value)
    except RecursionError:
        raise _OperationError("value is nested too deeply (or contains itself)") from None


def _to_json(value: object) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        raise _OperationError(f"value contains {value!r}, which JSON cannot represent")
    if _is_mapping(value):
        copied: dict[str, Any] = {}
        for key, member in value.items():
            if not isinstance(key, str):
                raise _OperationError(
                    f"value has the object key {key!r}; JSON object keys are strings"
                )
            copied[key] = _to_json(member)
        return copied
    if _is_array(value):
        return [_to_json(item) for item in value]
    raise _OperationError(f"value contains {_kind(value)}, which is not a JSON value")


def _copied_document(document: Mapping[str, Any]) -> dict[str, Any]:
    _require_object(document)
    return {key: _copied(member) for key, member in document.items()}


def _copied(value: Any) -> Any:
    """Copy a JSON-like value: dicts and lists rebuilt, atoms kept, the rest deep-copied.

    Several times cheaper than ``copy.deepcopy`` on plain JSON, which needs
    no memo: JSON values are trees, never shared or cyclic.
    """
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is dict:
        return {key: _copied(member) for key, member in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    return copy.deepcopy(value)


def _as_root(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise _OperationError(
        f"the document root must stay a JSON object, but this would make it {_kind(value)}"
    )


def _json_equal(left: object, right: object) -> bool:
    """Compare as JSON values: ``True`` is not ``1``, but ``1`` is ``1.0``."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if _is_mapping(left) and _is_mapping(right):
        return left.keys() == right.keys() and all(
            _json_equal(left[key], right[key]) for key in left
        )
    if _is_array(left) and _is_array(right):
        return len(left) == len(right) and all(map(_json_equal, left, right))
    return left is None and right is None


def _is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    return isinstance(value, Mapping)


def _is_array(value: object) -> TypeGuard[Sequence[Any]]:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray))


def _prefix(pointer: str, depth: int) -> str:
    """Return the first ``depth`` reference tokens of ``pointer``, still escaped."""
    return "/".join(pointer.split("/")[: depth + 1])


def _shown(pointer: str) -> str:
    return pointer or "the document root"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


def _show(value: object) -> str:
    """Render a value as JSON for messages, so ``true`` and ``1`` look different."""
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
