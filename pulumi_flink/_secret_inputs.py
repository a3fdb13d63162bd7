"""Pulumi secrets in a spec or a patch set: secret values, not values.

A Pulumi secret (``config.require_secret("s3Key")``, ``pulumi.Output.secret``)
anywhere in a Deployment's spec or a target's patch set is the same case as a
VVP Secret Value (:mod:`pulumi_flink.secrets`): its value goes into a
Kubernetes Secret (the Deployment's ``<workload>-secret-values``, or the
target's :func:`~pulumi_flink.secrets.target_secret_values_name`), and the
spec or patch set gets a ``${pulumi-secret.<path>}`` reference in its place.
The reference is delivered like any secret value, or refused at preview
where the engine cannot deliver it safely (anywhere outside
``flinkConfiguration``, for one). So the value is in no resource's inputs
but the Secret's (which pulumi-kubernetes keeps encrypted in state), in no
registry record and in no rendered object.

Whether an Output is secret is only known asynchronously, so each Output
becomes an Output of itself (not secret) or of its references (secret); the
references are not secret themselves. Inside a secret Output every string is
hidden (map keys, and a patch operation's ``op``, ``path`` and ``from``,
stay: they are the document's structure); a secret that is not a string
cannot come from a Kubernetes Secret and is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import pulumi

from pulumi_flink._program import lift
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.secrets import (
    PATCH_SET_SECRET_PREFIX,
    PULUMI_SECRET_PREFIX,
    pulumi_secret_name,
    target_secret_values_name,
)

Path = tuple[str | int, ...]
Found = dict[str, str]
"""Hidden values by secret value name."""


async def _secretness(value: pulumi.Output[Any]) -> bool:
    return await value.is_secret()


def _hide_resolved(prefix: str, path: Path, value: Any, found: Found) -> Any:
    """``value`` (no Outputs left) with every string replaced by its reference."""
    if isinstance(value, Mapping):
        return {
            key: _hide_resolved(prefix, (*path, key), item, found) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [
            _hide_resolved(prefix, (*path, key), item, found)
            for key, item in zip(list_keys(value), value, strict=True)
        ]
    if value is None:
        return None
    if not isinstance(value, str):
        field = ".".join(map(str, path))
        if prefix == PATCH_SET_SECRET_PREFIX:
            # Named by what the operation writes (its index is not in the path).
            field = f"deployment_patch_set, the value written at {field}"
        raise SpecValidationError.single(
            field,
            f"a Pulumi secret must be a string to be kept secret (it is delivered from a "
            f"Kubernetes Secret), not {type(value).__name__}; make only the string values "
            "that are secret Pulumi secrets",
        )
    name = pulumi_secret_name(prefix, path)
    found[name] = value
    return f"${{{name}}}"


def _resolved(hide: Callable[[Any, Found], Any], pair: list[Any]) -> tuple[Any, Found]:
    value, secret = pair
    found: Found = {}
    return (hide(value, found) if secret else value), found


def _hide_patch_set(patch_set: Any, found: Found) -> Any:
    if not isinstance(patch_set, list | tuple):
        return patch_set  # not a patch set: its own check names the problem
    return [_hide_operation(index, op, found) for index, op in enumerate(patch_set)]


def _hide_operation(index: int, operation: Any, found: Found) -> Any:
    if not isinstance(operation, Mapping):
        return operation  # not an operation: the patch set's own check names it
    return {
        key: _hide_resolved(PATCH_SET_SECRET_PREFIX, operation_path(index, operation), value, found)
        if key == "value"
        else value
        for key, value in operation.items()
    }


def list_keys(items: Sequence[Any]) -> list[str | int]:
    """How each item of a list is named in a secret value name: its ``name``, else its index.

    Named items (env vars, containers, volumes) keep their secret value names,
    and so their Secret keys, when the list is reordered.

    >>> list_keys([{"name": "A"}, {"name": "B"}, "x"])
    ['A', 'B', 2]
    >>> list_keys([{"name": "A"}, {"name": "A"}])
    [0, 1]
    """
    names = [
        item.get("name")
        if isinstance(item, Mapping) and isinstance(item.get("name"), str)
        else None
        for item in items
    ]
    return [
        name if name is not None and names.count(name) == 1 else index
        for index, name in enumerate(names)
    ]


def operation_path(index: int, operation: Mapping[str, Any]) -> Path:
    """What names the secrets in a patch operation's value: the document path it writes.

    Named after what they hold, not their position, so reordering the patch
    set renames no Secret key. ``add``/``replace`` share the names (the
    later one's value is the one in force); other operations (``test``) are
    told apart by their ``op``; an operation without a string path keeps its index.

    >>> operation_path(3, {"op": "add", "path": "/spec/template/spec/flinkConfiguration/a~1b"})
    ('spec', 'template', 'spec', 'flinkConfiguration', 'a/b')
    >>> operation_path(0, {"op": "add", "path": "/spec/x/envVars/-", "value": {"name": "PW"}})
    ('spec', 'x', 'envVars', 'PW')
    >>> operation_path(2, {"op": "test", "path": "/spec/a"})
    ('test', 'spec', 'a')
    >>> operation_path(4, {"op": "add", "path": 7})
    (4,)
    """
    pointer = operation.get("path")
    if not isinstance(pointer, str):
        return (index,)
    tokens: list[str | int] = [
        token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]
    ]
    value = operation.get("value")
    if (
        tokens
        and (tokens[-1] == "-" or str(tokens[-1]).isdigit())
        and isinstance(value, Mapping)
        and isinstance(value.get("name"), str)
    ):
        tokens[-1] = value["name"]
    if operation.get("op") not in ("add", "replace"):
        tokens.insert(0, str(operation.get("op")))
    return tuple(tokens)


class _Hider:
    """One walk of a spec or patch set, collecting the Outputs of hidden values."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.hidden: list[pulumi.Output[Found]] = []

    def walk(self, value: Any, path: Path) -> Any:
        if isinstance(value, pulumi.Output):
            return self.output(value, path)
        if isinstance(value, Mapping):
            return {key: self.walk(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [
                self.walk(item, (*path, key))
                for key, item in zip(list_keys(value), value, strict=True)
            ]
        return value

    def output(
        self,
        value: pulumi.Output[Any],
        path: Path,
        hide: Callable[[Any, Found], Any] | None = None,
    ) -> pulumi.Output[Any]:
        """``value`` as an Output of itself, or of its references if it is secret.

        ``hide`` replaces the secret strings (default: all, named by ``path``).
        """
        hide = hide or partial(_hide_resolved, self.prefix, path)
        secret: pulumi.Output[bool] = pulumi.Output.from_input(_secretness(value))
        resolve: Callable[[list[Any]], tuple[Any, Found]] = partial(_resolved, hide)
        both = lift(resolve, pulumi.Output.all(value, secret))
        assert isinstance(both, pulumi.Output)  # lift of an Output
        self.hidden.append(both.apply(lambda pair: pair[1]))
        # The references are not secret: only the values are.
        return pulumi.Output.unsecret(both.apply(lambda pair: pair[0]))

    def found(self) -> pulumi.Output[Found]:
        return pulumi.Output.all(*self.hidden).apply(_merged)


def _merged(parts: Sequence[Found]) -> Found:
    return {name: value for part in parts for name, value in part.items()}


def hide_spec_secrets(spec: Any) -> tuple[Any, pulumi.Output[Found] | None]:
    """A Deployment spec (document or bare spec) with its Pulumi secrets replaced by references.

    Returns the spec and an Output of the hidden values by secret value name,
    or ``None`` when the spec holds no Output (so no secret).

    Raises (inside the Output)
    --------------------------
    SpecValidationError
        A secret that is not a string, naming its field.
    """
    if not isinstance(spec, Mapping | pulumi.Output):
        return spec, None
    hider = _Hider(PULUMI_SECRET_PREFIX)
    replaced: Any
    if isinstance(spec, pulumi.Output):
        # The whole spec a secret: a bare spec's fields are read as the document's.
        replaced = hider.output(spec, ())
    else:
        root: Path = () if "spec" in spec or "metadata" in spec else ("spec",)
        replaced = {key: hider.walk(item, (*root, key)) for key, item in spec.items()}
    return (replaced, hider.found()) if hider.hidden else (spec, None)


def hide_patch_set_secrets(patch_set: Any) -> tuple[Any, pulumi.Output[Found] | None]:
    """A target's patch set with the Pulumi secrets in its values replaced by references.

    Names are ``pulumi-secret.patch-set.<what the operation writes>``
    (:func:`operation_path`; a ``flinkConfiguration`` value: its key).
    Returns the patch set and an Output of the hidden values, or ``None``
    when the patch set holds no Output.
    """
    hider = _Hider(PATCH_SET_SECRET_PREFIX)
    if isinstance(patch_set, pulumi.Output):
        replaced: Any = hider.output(patch_set, (), _hide_patch_set)
    elif isinstance(patch_set, list | tuple):
        replaced = [_walk_operation(hider, index, op) for index, op in enumerate(patch_set)]
    else:
        return patch_set, None
    return (replaced, hider.found()) if hider.hidden else (patch_set, None)


def _walk_operation(hider: _Hider, index: int, operation: Any) -> Any:
    if isinstance(operation, pulumi.Output):
        return hider.output(operation, (index,), partial(_hide_operation, index))
    if not isinstance(operation, Mapping):
        return operation
    path = operation_path(index, operation)
    return {
        key: hider.walk(value, path) if key == "value" else value
        for key, value in operation.items()
    }


def secret_values_secret(
    resource_name: str,
    name: pulumi.Input[str],
    namespace: pulumi.Input[str] | None,
    values: pulumi.Input[Mapping[str, str]],
    opts: pulumi.ResourceOptions,
) -> pulumi.Resource:
    """The Kubernetes Secret holding secret values (kept secret in Pulumi state).

    An unset namespace is the kube context's.
    """
    # Imported here: this runs in the program only, never in the provider process.
    import pulumi_kubernetes as kubernetes

    return kubernetes.core.v1.Secret(
        resource_name,
        metadata={"name": name, "namespace": namespace},
        string_data=pulumi.Output.secret(values),
        opts=opts,
    )


def target_secret(
    resource_name: str,
    target_name: pulumi.Input[str],
    namespace: pulumi.Input[str] | None,
    values: pulumi.Output[Found],
    opts: pulumi.ResourceOptions | None,
) -> pulumi.Resource:
    """The Secret holding the Pulumi secrets of a target's patch set, in its namespace.

    Made before the target, which depends on it: Pulumi deletes the target
    first, and a target still in use (so not deleted) keeps its Secret.
    An unset namespace is the kube context's, as for the target.
    """
    return secret_values_secret(
        f"{resource_name}-secret-values",
        lift(target_secret_values_name, target_name),
        namespace,
        values,
        pulumi.ResourceOptions(parent=opts.parent if opts else None),
    )
