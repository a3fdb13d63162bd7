"""How a DeploymentTarget is prepared: validated once, its patch set parsed once.

Everything that takes a target takes a :class:`PreparedTarget`: the effective
Deployment (:func:`~pulumi_flink.effective.effective_deployment_model`), the
registry (:meth:`~pulumi_flink.registry.TargetRegistry.create_target`), and
the Pulumi program, where a ``DeploymentTarget`` built from plain inputs is
prepared in its constructor (errors point at the line that made it). The
dynamic provider's ``check`` maps the same problems onto the resource's
properties (:func:`target_input_problems`). Nothing is cached behind the
caller's back: whoever has many Deployments on one target prepares it once
and passes the value on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pulumi_flink.blob_storage import checked_blob_storage
from pulumi_flink.errors import PatchSetError, SpecValidationError
from pulumi_flink.model import DeploymentTarget
from pulumi_flink.model.names import namespace_problem
from pulumi_flink.patching import PatchSet
from pulumi_flink.validation import parse_model

INPUT_FIELDS = {
    "name": "metadata.name",
    "kubernetes_namespace": "spec.kubernetes.namespace",
    "deployment_patch_set": "spec.deploymentPatchSet",
}
"""The ``DeploymentTarget`` resource's input properties and the VVP fields they fill."""


@dataclass(frozen=True)
class PreparedTarget:
    """A validated DeploymentTarget with its patch set ready to apply.

    Build it with :func:`prepare_target` (or :func:`prepare_target_inputs`);
    it is immutable and may be shared by every Deployment on the target.
    """

    model: DeploymentTarget
    """The validated target document."""
    patch_set: PatchSet
    """The target's patch set, parsed."""
    blob_storage: str | None = None
    """VVP's blob storage base URI (``vvp.blobStorage.baseUri``), checked, without a
    trailing ``/``: the state directories its Deployments do not set are filled
    the way VVP fills them (see :mod:`pulumi_flink.blob_storage`); ``None``: none are."""

    @property
    def name(self) -> str:
        """VVP name of the target."""
        return self.model.metadata.name

    @property
    def namespace(self) -> str | None:
        """The target's Kubernetes namespace; ``None``: the kube context's, resolved later."""
        return self.model.spec.kubernetes.namespace

    @property
    def operations(self) -> list[dict[str, Any]]:
        """The patch set's operations, as given, in order."""
        return self.model.spec.deployment_patch_set

    def namespace_or(self, default_namespace: str, *, field: str = "default_namespace") -> str:
        """The target's namespace, else ``default_namespace``, which is checked as ``field``.

        Raises
        ------
        SpecValidationError
            ``default_namespace`` is needed and is not a valid namespace name.
        """
        if self.namespace is not None:
            return self.namespace
        problem = namespace_problem(default_namespace)
        if problem:
            raise SpecValidationError.single(field, problem)
        return default_namespace


def prepare_target(
    document: Mapping[str, Any] | DeploymentTarget | PreparedTarget,
    *,
    blob_storage: str | None = None,
) -> PreparedTarget:
    """Validate a DeploymentTarget once, so its patch set can be applied many times.

    A model is taken as it is, but its patch set is validated too.
    ``blob_storage`` is VVP's blob storage base URI for the target's
    Deployments (:attr:`PreparedTarget.blob_storage`); a prepared target
    keeps its own unless one is given.

    Raises
    ------
    SpecValidationError
        Naming every bad field (``blob_storage`` when it is not a URI).
    PatchSetError
        When the patch set is malformed, naming the operation's index and path.

    Examples
    --------
    >>> prod = prepare_target({"metadata": {"name": "prod"}, "spec": {"deploymentPatchSet": [
    ...     {"op": "add", "path": "/spec/template/spec/parallelism", "value": 2}]}})
    >>> prod.name, prod.namespace, len(prod.operations)
    ('prod', None, 1)
    """
    base_uri = None if blob_storage is None else checked_blob_storage(blob_storage)
    if isinstance(document, PreparedTarget):
        return document if base_uri is None else replace(document, blob_storage=base_uri)
    target = parse_model(DeploymentTarget, document)
    patch_set = PatchSet(
        target.spec.deployment_patch_set, target_name=target.metadata.name, object_root=True
    )
    return PreparedTarget(target, patch_set, base_uri)


def prepare_target_inputs(
    name: Any,
    kubernetes_namespace: Any,
    deployment_patch_set: Any,
    *,
    blob_storage: str | None = None,
) -> PreparedTarget:
    """Prepare a target from the ``DeploymentTarget`` resource's inputs.

    Raises
    ------
    SpecValidationError, PatchSetError
        As :func:`prepare_target`.
    """
    return prepare_target(
        _document(name, kubernetes_namespace, deployment_patch_set), blob_storage=blob_storage
    )


def target_input_problems(
    name: Any, kubernetes_namespace: Any, deployment_patch_set: Any
) -> list[tuple[str, str]]:
    """Every problem :func:`prepare_target_inputs` would raise, by input property.

    The name and namespace are checked with an empty patch set, and the patch
    set on its own, so a bad name does not hide a bad patch set.

    >>> target_input_problems("bad name", None, [])[0][0]
    'name'
    """
    problems: list[tuple[str, str]] = []
    try:
        prepare_target_inputs(name, kubernetes_namespace, [])
    except SpecValidationError as error:
        problems += [(_input_of(problem.field), problem.reason) for problem in error.problems]
    try:
        target_name = name if isinstance(name, str) else None
        PatchSet(deployment_patch_set, target_name=target_name, object_root=True)
    except PatchSetError as error:
        problems.append(("deployment_patch_set", str(error)))
    return problems


def _document(name: Any, kubernetes_namespace: Any, deployment_patch_set: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": name},
        "spec": {
            "kubernetes": {"namespace": kubernetes_namespace},
            "deploymentPatchSet": deployment_patch_set,
        },
    }


def _input_of(field: str) -> str:
    """The input property that fills ``field``; the field itself if none does."""
    for prop, prefix in INPUT_FIELDS.items():
        if field == prefix or field.startswith((f"{prefix}.", f"{prefix}[")):
            return prop
    return field
