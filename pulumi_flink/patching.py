"""Apply VVP deployment patch sets: RFC 6902 JSON Patch over RFC 6901 pointers.

The engine is written here rather than wrapped around ``jsonpatch`` because
that package's ``test`` uses Python ``==`` (so ``true`` equals ``1``) and it
raises exceptions from two unrelated hierarchies. Every failure here is a
:class:`~pulumi_flink.errors.PatchSetError` naming the offending operation.

The engine is exact for any JSON document, whatever its root (the public
``json-patch-test-suite`` runs in the unit tests); a Deployment's patch set
additionally keeps the root an object (``object_root=True``). Every apply is
bounded (:mod:`pulumi_flink.limits`): the number of operations, the size and
depth of the document after each operation, and the total size of what
``copy``, ``move`` and ``remove`` walk, so no patch set can make it hang.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any, Final, NamedTuple, TypeGuard

from pulumi_flink._values import json_copy
from pulumi_flink.errors import PatchSetError, SpecValidationError
from pulumi_flink.limits import (
    MAX_DOCUMENT_SIZE,
    MAX_OPERATIONS,
    MAX_PATCH_WORK,
    describe_json_kind,
    measure_json,
)

__all__ = ["PatchSet", "apply_patch_set", "validate_patch_set"]

_KNOWN_OPS: Final = ("add", "remove", "replace", "move", "copy", "test")
_OPS_WITH_VALUE: Final = frozenset({"add", "replace", "test"})
_OPS_WITH_FROM: Final = frozenset({"move", "copy"})
_ARRAY_INDEX: Final = re.compile(r"0|[1-9][0-9]*")
_LEADING_ZERO: Final = re.compile(r"0[0-9]+")
_NEGATIVE_INDEX: Final = re.compile(r"-[0-9]+")
_BAD_ESCAPE: Final = re.compile(r"~(?![01])")
_MISSING: Final = object()
_kind: Final = describe_json_kind


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
    size: int  # of value, in size units (pulumi_flink.limits)


class _Tally:
    """The size of the document being patched, and the work spent so far."""

    __slots__ = ("size", "work")

    def __init__(self, size: int) -> None:
        self.size = size
        self.work = 0

    def measure(self, value: Any, depth: int, *, growing: bool) -> int:
        """The size of ``value`` about to sit ``depth`` levels deep; charged as work.

        ``growing``: the value is added to the document, so it must also fit
        the room left under the size limit.
        """
        room = MAX_PATCH_WORK - self.work
        if growing:
            room = min(room, MAX_DOCUMENT_SIZE - self.size)
        measured = measure_json(value, max_size=room, depth=depth)
        self.work += measured.size
        if measured.problem is None:
            return measured.size
        if self.work > MAX_PATCH_WORK:
            raise _OperationError(
                f"the patch set copies, moves or removes more than {MAX_PATCH_WORK:,} size "
                "units in all; it is too large to apply (see the README, Limits)"
            )
        if measured.size > room:
            self.grow(measured.size)  # raises, naming the document's size limit
        raise _OperationError(_after_operation(measured.problem.reason))

    def grow(self, units: int) -> None:
        self.size += units
        if self.size > MAX_DOCUMENT_SIZE:
            raise _OperationError(
                _after_operation(
                    f"the document would be larger than {MAX_DOCUMENT_SIZE:,} size units "
                    "(about that many bytes of JSON)"
                )
            )


def _after_operation(reason: str) -> str:
    return f"this operation would break a limit: {reason} (see the README, Limits)"


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
    object_root
        Keep the document's root a JSON object, as a Deployment's must be:
        removing the root, or putting anything but an object there, fails
        (when visible in the patch set alone, already here).

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

    __slots__ = ("_object_root", "_operations", "target_name")

    def __init__(
        self, patch_set: object, *, target_name: str | None = None, object_root: bool = False
    ) -> None:
        self.target_name = target_name
        self._object_root = object_root
        if not _is_array(patch_set):
            hint = " (wrap a single operation in a list)" if _is_mapping(patch_set) else ""
            raise PatchSetError(
                0,
                patch_set,
                f"the patch set must be a list of operations, not {_kind(patch_set)}"
                f"{hint}; reported as patch 0 because no operation could be read",
                target_name=target_name,
            )
        if len(patch_set) > MAX_OPERATIONS:
            raise PatchSetError(
                MAX_OPERATIONS,
                patch_set[MAX_OPERATIONS],
                f"a patch set holds at most {MAX_OPERATIONS:,} operations; this one has "
                f"{len(patch_set):,} (see the README, Limits)",
                target_name=target_name,
            )
        operations: list[_Operation] = []
        total = 0
        for index, operation in enumerate(patch_set):
            try:
                parsed = _parsed_operation(index, operation, object_root=object_root)
                total += parsed.size
                if total > MAX_DOCUMENT_SIZE:
                    raise _OperationError(
                        f"the values of the patch set up to here are larger than "
                        f"{MAX_DOCUMENT_SIZE:,} size units (see the README, Limits)"
                    )
            except _OperationError as failure:
                raise PatchSetError(
                    index, operation, str(failure), target_name=target_name
                ) from None
            operations.append(parsed)
        self._operations = tuple(operations)

    def apply(
        self,
        document: Any,
        *,
        protected: Mapping[str, str] | None = None,
        plain_json: bool = False,
    ) -> Any:
        """Apply the operations in order to a copy of ``document``, all or nothing.

        ``document`` is never modified, and the result shares no mutable value
        with it or with the patch set.

        Parameters
        ----------
        document
            Any JSON value (an object, unless the patch set keeps an object root).
        protected
            JSON pointers the patch set may not change, each with the reason
            to give. Compared between the document and the result; when one
            differs, the error names the first operation that changed it.
        plain_json
            The caller vouches that ``document`` is plain JSON data within
            the limits (a model's wire form): its size is then read from its
            compact JSON text, several times faster than walking it.

        Raises
        ------
        PatchSetError
            When an operation fails or changes a protected value, naming its index.
        SpecValidationError
            When ``document`` itself is not plain JSON data within the limits
            (field ``document``, with the JSON pointer of the problem).
        """
        if self._object_root and not isinstance(document, Mapping):
            raise SpecValidationError.single(
                "document", f"must be a JSON object, not {_kind(document)}"
            )
        size = _document_size(document, plain_json=plain_json)
        result = json_copy(document)
        for _operation, outcome in self._steps(result, size):
            result = outcome  # a new root only when an operation replaces the whole document
        # ``document`` is untouched: it holds the original of every protected value.
        for pointer, reason in (protected or {}).items():
            tokens = _pointer_tokens(pointer)
            original = _lookup(document, tokens)
            if not _same(_lookup(result, tokens), original):
                raise self._failed(self._first_change(document, size, tokens, original), reason)
        return result

    def _steps(self, result: Any, size: int) -> Iterator[tuple[_Operation, Any]]:
        """Apply each operation to ``result`` (a copy, changed in place); yield each outcome."""
        tally = _Tally(size)
        for operation in self._operations:
            try:
                result = _apply_operation(result, operation, tally)
                if self._object_root and type(result) is not dict:
                    raise _OperationError(_not_an_object_root(result))
            except _OperationError as failure:
                raise self._failed(operation, str(failure)) from None
            yield operation, result

    def _first_change(
        self, document: Any, size: int, tokens: tuple[str, ...], original: Any
    ) -> _Operation:
        """The first operation after which the value at ``tokens`` is not ``original``.

        Only for a patch set that changed it (an error): applying again and
        comparing after each operation costs nothing on the way that succeeds.
        """
        return next(
            operation
            for operation, result in self._steps(json_copy(document), size)
            if not _same(_lookup(result, tokens), original)
        )

    def _failed(self, operation: _Operation, reason: str) -> PatchSetError:
        return PatchSetError(
            operation.position, operation.given, reason, target_name=self.target_name
        )


def _document_size(document: Any, *, plain_json: bool) -> int:
    if plain_json:
        return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))
    measured = measure_json(document)
    if measured.problem is not None:
        raise SpecValidationError.single(
            f"document {measured.problem.pointer or '<root>'}".rstrip(), measured.problem.reason
        )
    return measured.size


def _same(found: Any, original: Any) -> bool:
    """Equal JSON values, or both missing."""
    return found is original or _json_equal(found, original)


@cache
def _pointer_tokens(pointer: str) -> tuple[str, ...]:
    """A protected pointer's tokens (the callers' few pointers are parsed once)."""
    return _parse_pointer(pointer, "path")


def _lookup(document: Any, tokens: tuple[str, ...]) -> Any:
    """The value at ``tokens`` in an object tree, or ``_MISSING`` (objects only)."""
    value = document
    for token in tokens:
        if type(value) is not dict:
            return _MISSING
        value = value.get(token, _MISSING)
    return value


def validate_patch_set(patch_set: object, *, target_name: str | None = None) -> None:
    """Check the shape of a DeploymentTarget's patch set without applying it.

    As a Deployment's root must stay an object, operations that would
    replace it with anything else are refused too (``object_root=True``).

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
        add/replace/test), holds an invalid JSON pointer or a value that is
        not plain JSON data within the limits, moves a value into its own
        child, or removes the whole document; for more than
        :data:`~pulumi_flink.limits.MAX_OPERATIONS` operations.
        A patch set that is not a list is reported as patch 0.

    Examples
    --------
    >>> validate_patch_set([{"op": "remove", "path": "/spec/parallelism"}])
    >>> validate_patch_set([{"op": "add", "path": "/spec/parallelism"}])
    Traceback (most recent call last):
    ...
    pulumi_flink.errors.PatchSetError: patch 0 (add /spec/parallelism): add needs a 'value'
    """
    PatchSet(patch_set, target_name=target_name, object_root=True)


def apply_patch_set(
    document: Any,
    patch_set: Sequence[Mapping[str, Any]],
    *,
    target_name: str | None = None,
) -> Any:
    """Apply a patch set to a copy of a JSON document, all or nothing.

    The whole patch set is validated first; operations then run in order, each
    on the result of the previous one. Neither ``document`` nor ``patch_set``
    is ever modified, and the result shares no mutable value with either.
    To apply one patch set to many documents, build a :class:`PatchSet` once.

    Parameters
    ----------
    document
        Any JSON value (dicts, lists, strings, numbers, booleans, ``None``),
        within the limits of :mod:`pulumi_flink.limits`.
    patch_set
        RFC 6902 operations: ``add``, ``remove``, ``replace``, ``move``,
        ``copy`` and ``test``.
    target_name
        Name of the DeploymentTarget the patch set belongs to, for messages.

    Returns
    -------
    object
        The patched document.

    Raises
    ------
    PatchSetError
        When the patch set is malformed or any operation fails; ``index`` names
        the operation, ``reason`` says why in plain words.
    SpecValidationError
        When ``document`` is not plain JSON data within the limits.

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
    return PatchSet(patch_set, target_name=target_name).apply(document)


def _parsed_operation(index: int, operation: object, *, object_root: bool) -> _Operation:
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
        raise _OperationError(
            "cannot remove the whole document: nothing would be left; replace it instead"
        )
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
    size = 0
    if op in _OPS_WITH_VALUE:
        if "value" not in operation:
            raise _OperationError(f"{op} needs a 'value'")
        measured = measure_json(operation["value"], depth=len(tokens))
        if measured.problem is not None:
            where = f" at {measured.problem.pointer}" if measured.problem.pointer else ""
            raise _OperationError(f"value{where}: {measured.problem.reason}")
        value = json_copy(operation["value"])
        size = measured.size
        if object_root and op != "test" and path == "" and type(value) is not dict:
            raise _OperationError(_not_an_object_root(value))
    return _Operation(index, operation, op, path, tokens, from_path, from_tokens, value, size)


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


def _apply_operation(root: Any, operation: _Operation, tally: _Tally) -> Any:
    op = operation.op
    path = operation.path
    tokens = operation.tokens
    if op == "add":
        return _add(root, path, tokens, json_copy(operation.value), operation.size, op, tally)
    if op == "remove":
        container, key = _locate(root, path, tokens)
        tally.grow(-tally.measure(container[key], 0, growing=False))
        del container[key]
        return root
    if op == "replace":
        value = json_copy(operation.value)
        if not tokens:
            tally.grow(operation.size - tally.size)
            return value
        container, key = _locate(root, path, tokens)
        tally.grow(operation.size - tally.measure(container[key], 0, growing=False))
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
        found = _get(root, source, source_tokens, "from")
        size = tally.measure(found, len(tokens), growing=True)
        return _add(root, path, tokens, json_copy(found), size, op, tally)
    if source == path:
        _get(root, source, source_tokens, "from")
        return root
    # Validation rejected moving '' anywhere but onto itself, so tokens exist.
    container, key = _locate(root, source, source_tokens, "from")
    # Measured where it lands: a move may nest it deeper. It leaves the
    # document meanwhile, so its size is not counted twice.
    size = tally.measure(container[key], len(tokens), growing=False)
    value = container.pop(key)
    tally.grow(-size)
    return _add(root, path, tokens, value, size, op, tally)


# The walkers below build the escaped prefixes of a path (``_prefix``) only
# for error messages: computing them for every step dominated applying a patch.


def _add(
    root: Any,
    path: str,
    tokens: tuple[str, ...],
    value: Any,
    size: int,
    op: str,
    tally: _Tally,
) -> Any:
    """Add ``value`` (of ``size`` units) at ``path``, replacing an object member there."""
    if not tokens:
        tally.grow(size - tally.size)
        return value
    parent = _parent(root, path, tokens, adding=op)
    depth = len(tokens) - 1
    if isinstance(parent, dict):
        key = tokens[-1]
        replaced = parent.get(key, _MISSING)
        tally.grow(
            size - (0 if replaced is _MISSING else tally.measure(replaced, 0, growing=False))
        )
        parent[key] = value
    elif isinstance(parent, list):
        token = tokens[-1]
        index = len(parent) if token == "-" else _array_index(token, path, depth)
        if index > len(parent):
            raise _OperationError(
                f"index {index} is out of range: the array at {_shown(_prefix(path, depth))} "
                f"has {len(parent)} elements, so {op} accepts 0 to {len(parent)} or '-'"
            )
        tally.grow(size)
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
        where = _shown(_prefix(path, depth))
        if token == "-":
            # "add .../- first" would be advice nobody can follow: '-' is never a container.
            raise _OperationError(
                f"path {path} does not exist: '-' under {where} means the position after "
                "the last element, which holds no value to go into; use an index"
            )
        index = _array_index(token, path, depth)
        if index < len(node):
            return node[index]
        raise _OperationError(
            f"path {path} does not exist: the array at {where} has {len(node)} "
            f"elements, so there is no element {index} to go into"
        )
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


def _not_an_object_root(value: Any) -> str:
    return f"the document root must stay a JSON object, but this would make it {_kind(value)}"


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


def _show(value: object) -> str:
    """Render a value as JSON for messages, so ``true`` and ``1`` look different."""
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
