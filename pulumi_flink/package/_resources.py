"""The package's resources: thin wrappers over the Python API, one per class.

The Pulumi SDK's component provider serves a class when its ``__init__`` is
``(name, args: <annotated type>, opts)`` and it is a component; it derives
the package schema from these annotations and docstrings. Each wrapper
translates ``args`` into one call of the Python class it wraps (a child of
the wrapper) and exposes that object's outputs, so there is no second
implementation: the rules, defaults, validation and messages are the
Python API's.

``DeploymentTarget`` is a dynamic resource in Python, which a component
provider cannot serve, so its wrapper is a component around it; the
wrappers of the two components add one level to the resource tree.

No ``from __future__ import annotations`` here: the SDK reads these
annotations at run time.
"""

import inspect
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, NotRequired, TypedDict

import pulumi

from pulumi_flink.components import Deployment as PythonDeployment
from pulumi_flink.components import Savepoint as PythonSavepoint
from pulumi_flink.components import SessionCluster as PythonSessionCluster
from pulumi_flink.components import TargetNamespace as PythonTargetNamespace
from pulumi_flink.errors import PackageInputError
from pulumi_flink.package._interpreter import require_dynamic_provider_python
from pulumi_flink.package._references import REFERENCES
from pulumi_flink.provider import DeploymentTarget as PythonDeploymentTarget

PACKAGE_NAME = "pulumi-flink"


def type_token(name: str) -> str:
    """The schema token of one of the package's resources or types."""
    return f"{PACKAGE_NAME}:index:{name}"


class PatchOperation(TypedDict):
    """One RFC 6902 operation of a deployment patch set.

    Applied, in order with the others, to every Deployment of the target.
    """

    op: pulumi.Input[str]
    """add, remove, replace, move, copy or test."""
    path: pulumi.Input[str]
    """JSON Pointer into the VVP Deployment document, e.g. /spec/template/spec/parallelism."""
    value: NotRequired[pulumi.Input[Any]]
    """The value to add, to replace with, or to test for (add, replace, test)."""
    from_: NotRequired[pulumi.Input[str]]
    """The JSON Pointer to move or copy from (move, copy)."""


def _patch_set(operations: Any) -> Any:
    """The patch set as the Python API takes it: ``from`` instead of ``from_``."""
    if not isinstance(operations, list):
        return operations
    return [
        {("from" if key == "from_" else key): value for key, value in operation.items()}
        if isinstance(operation, dict)
        else operation
        for operation in operations
    ]


class DeploymentTargetArgs(TypedDict):
    """The inputs of a DeploymentTarget."""

    name: NotRequired[pulumi.Input[str]]
    """VVP name of the target (metadata.name): up to 250 of [0-9a-zA-Z_-];
    default: the resource name."""
    kubernetes_namespace: NotRequired[pulumi.Input[str]]
    """Namespace of the target's Deployments; unset: the namespace of the kube context."""
    deployment_patch_set: NotRequired[pulumi.Input[Sequence[PatchOperation]]]
    """RFC 6902 operations applied, in order, to every Deployment on this target
    whenever it is created or modified."""


class DeploymentTarget(pulumi.ComponentResource):
    """A Kubernetes namespace where Flink jobs run, plus a deployment patch set.

    Immutable: any change replaces it, create before delete. It is recorded in
    the cluster and cannot be deleted while Deployments of any stack use it.
    The component holds the dynamic resource of the Python API, which does
    the work.
    """

    name: pulumi.Output[str]
    """VVP name of the target."""
    kubernetes_namespace: pulumi.Output[str | None]
    """The namespace as given (unset: the kube context's)."""
    deployment_patch_set: pulumi.Output[list[PatchOperation]]
    """The patch set, in order."""
    target_id: pulumi.Output[str]
    """UUID of this incarnation of the target (a replacement gets a new one)."""
    namespace: pulumi.Output[str]
    """The resolved Kubernetes namespace."""
    created_at: pulumi.Output[str]
    """When the target was recorded (ISO-8601, UTC)."""
    cluster_id: pulumi.Output[str]
    """Identity of the cluster the target lives on (uid of kube-system)."""

    def __init__(
        self, name: str, args: DeploymentTargetArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        require_dynamic_provider_python()
        super().__init__(type_token("DeploymentTarget"), name, None, opts)
        self.deployment_target = PythonDeploymentTarget(
            name,
            name=args.get("name"),
            kubernetes_namespace=args.get("kubernetes_namespace"),
            deployment_patch_set=_patch_set(args.get("deployment_patch_set")),
            opts=pulumi.ResourceOptions(parent=self),
        )
        target = self.deployment_target
        self.name = target.name
        self.kubernetes_namespace = target.kubernetes_namespace
        self.deployment_patch_set = target.deployment_patch_set  # type: ignore[assignment]
        self.target_id = target.target_id
        self.namespace = target.namespace
        self.created_at = target.created_at
        self.cluster_id = target.cluster_id
        _register_outputs(self)
        REFERENCES.remember(self)


class TargetNamespaceArgs(TypedDict):
    """The inputs of a TargetNamespace."""

    namespace: str
    """The Kubernetes namespace the jobs run in."""
    create_namespace: NotRequired[bool]
    """Create the Namespace (false: it exists already); default true."""
    target_name: NotRequired[str]
    """VVP name of the DeploymentTarget; default: the resource name."""
    deployment_patch_set: NotRequired[Sequence[PatchOperation]]
    """The target's patch set."""
    platform_service_account: NotRequired[str]
    """The service account that manages Flink clusters and gets rights in the
    namespace; default flink-operator."""
    platform_namespace: NotRequired[str]
    """The namespace of that service account; default flink-operator."""


class TargetNamespace(pulumi.ComponentResource):
    """A Kubernetes namespace made ready for Flink jobs, and its DeploymentTarget.

    The Namespace, a Role and RoleBinding for the platform's service account
    (VVP's rbac.additionalNamespaces), then the target. Pass it to a
    Deployment as targetNamespace. The component holds the
    TargetNamespace component of the Python API, which does the work.
    """

    namespace: pulumi.Output[str]
    """The prepared namespace."""
    target_name: pulumi.Output[str]
    """VVP name of the namespace's DeploymentTarget."""
    target_id: pulumi.Output[str]
    """UUID of the namespace's DeploymentTarget."""

    def __init__(
        self, name: str, args: TargetNamespaceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        require_dynamic_provider_python()
        super().__init__(type_token("TargetNamespace"), name, None, opts)
        options = {key: value for key, value in args.items() if key != "namespace"}
        if "deployment_patch_set" in options:
            options["deployment_patch_set"] = _patch_set(options["deployment_patch_set"])
        prepared = PythonTargetNamespace(
            name,
            namespace=args["namespace"],
            opts=pulumi.ResourceOptions(parent=self),
            **options,  # type: ignore[arg-type]
        )
        self.deployment_target = prepared.target
        self.namespace = prepared.namespace
        self.target_name = prepared.target.name
        self.target_id = prepared.target.target_id
        _register_outputs(self)
        REFERENCES.remember(self)


class SessionClusterArgs(TypedDict):
    """The inputs of a SessionCluster: a VVP SessionCluster spec on a target."""

    target: NotRequired[pulumi.Input[Any]]
    """The DeploymentTarget it runs on (give this or targetNamespace)."""
    target_namespace: NotRequired[pulumi.Input[Any]]
    """The TargetNamespace whose target it runs on (give this or target)."""
    spec: pulumi.Input[Any]
    """The VVP SessionCluster: a whole document or just its spec, in VVP wire
    format; its state must be a plain value. Validated by pulumi-flink after
    the target's patch set."""
    engine: NotRequired[str]
    """Only operator: session mode needs the Flink operator."""
    wait_for_ready: NotRequired[bool]
    """Wait until the JobManager is ready before up returns; default true."""
    ready_timeout_seconds: NotRequired[int]
    """How long to wait before up fails; default 600."""


class SessionCluster(pulumi.ComponentResource):
    """A Flink session cluster on a DeploymentTarget: many Deployments share it.

    The component holds the SessionCluster component of the Python API,
    which does the work.
    """

    namespace: pulumi.Output[str]
    """Kubernetes namespace of the cluster."""
    workload_name: pulumi.Output[str]
    """Name of the session FlinkDeployment."""
    rest_url: pulumi.Output[str]
    """In-cluster URL of the JobManager REST endpoint."""
    effective_spec: pulumi.Output[Any]
    """The VVP SessionCluster document after defaults and the target's patch set."""

    def __init__(
        self, name: str, args: SessionClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        require_dynamic_provider_python()
        target = _one_of(args, _TARGETS)
        super().__init__(type_token("SessionCluster"), name, None, opts)
        self.session_cluster = PythonSessionCluster(
            name,
            spec=args["spec"],
            opts=pulumi.ResourceOptions(parent=self),
            **target,
            **_given(args, _RUN_OPTIONS),
        )
        self.namespace = self.session_cluster.namespace
        self.workload_name = self.session_cluster.workload_name
        self.rest_url = self.session_cluster.rest_url
        self.effective_spec = self.session_cluster.effective_spec
        _register_outputs(self)
        REFERENCES.remember(self)


class DeploymentArgs(TypedDict):
    """The inputs of a Deployment: a VVP Deployment spec on a target or in a session cluster."""

    target: NotRequired[pulumi.Input[Any]]
    """The DeploymentTarget to run on (give one of target, targetNamespace, sessionCluster)."""
    target_namespace: NotRequired[pulumi.Input[Any]]
    """The TargetNamespace whose target to run on."""
    session_cluster: NotRequired[pulumi.Input[Any]]
    """The SessionCluster to run in (session mode, operator engine)."""
    spec: pulumi.Input[Any]
    """The VVP Deployment: a whole document (apiVersion, kind, metadata, spec)
    or just its spec, in VVP wire format (camelCase keys, as VVP exports it).
    pulumi-flink validates it after applying the target's patch set (unknown
    fields are errors, messages name the field); the schema leaves it open
    because VVP's model, with its Kubernetes pod templates, is larger than a
    schema type can usefully hold."""
    engine: NotRequired[str]
    """operator (a FlinkDeployment for the Flink Kubernetes Operator; default)
    or standalone (plain JobManager and TaskManager Deployments)."""
    wait_for_ready: NotRequired[bool]
    """Wait until the job is running (or suspended, as asked) before up returns; default true."""
    ready_timeout_seconds: NotRequired[int]
    """How long to wait before up fails; default 600."""
    restore_from: NotRequired[pulumi.Input[Any]]
    """A Savepoint the job starts from; changing it redeploys the running job
    from the new savepoint (operator engine)."""
    savepoint_on_delete: NotRequired[bool]
    """Stateful jobs (operator engine): stop with a savepoint, recorded in the
    cluster, before the workload is deleted or replaced; default true."""
    restart_nonce: NotRequired[int]
    """Change to restart the job (operator engine)."""
    savepoint_nonce: NotRequired[int]
    """Change to trigger a savepoint (operator engine)."""
    checkpoint_nonce: NotRequired[int]
    """Change to trigger a checkpoint (operator engine)."""
    defaults: NotRequired[Sequence[Any]]
    """VVP DeploymentDefaults / GlobalDeploymentDefaults documents, merged
    into the spec before the target's patch set; plain values."""
    secret_values: NotRequired[dict[str, pulumi.Input[str]]]
    """VVP Secret Values by the name ${name} references in flinkConfiguration
    use, best given as secrets; they go into one Kubernetes Secret."""
    allowed_jar_schemes: NotRequired[Sequence[str]]
    """Session mode: the jar URI schemes your Flink operator fetches session
    jobs from; default https."""


class Deployment(pulumi.ComponentResource):
    """A Flink job on a DeploymentTarget: workload plus RBAC, in the target namespace.

    The spec goes through defaults, the target's patch set and validation;
    an invalid result fails preview, naming the field, patch index and path.
    The component holds the Deployment component of the Python API, which
    does the work.
    """

    namespace: pulumi.Output[str]
    """Kubernetes namespace of the workload."""
    service_account_name: pulumi.Output[str]
    """ServiceAccount the Flink pods run as."""
    workload_name: pulumi.Output[str]
    """Name of the FlinkDeployment, or prefix of the standalone objects."""
    rest_url: pulumi.Output[str]
    """In-cluster URL of the JobManager REST endpoint."""
    effective_spec: pulumi.Output[Any]
    """The VVP Deployment document after defaults and the target's patch set."""

    def __init__(
        self, name: str, args: DeploymentArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        require_dynamic_provider_python()
        place = _one_of(args, {**_TARGETS, "session_cluster": _SESSION_CLUSTER})
        restore = _one_of(args, {"restore_from": _SAVEPOINT}, required=False)
        super().__init__(type_token("Deployment"), name, None, opts)
        self.deployment = PythonDeployment(
            name,
            spec=args["spec"],
            opts=pulumi.ResourceOptions(parent=self),
            **place,
            **restore,
            **_given(args, _DEPLOYMENT_OPTIONS),
        )
        self.namespace = self.deployment.namespace
        self.service_account_name = self.deployment.service_account_name
        self.workload_name = self.deployment.workload_name
        self.rest_url = self.deployment.rest_url
        self.effective_spec = self.deployment.effective_spec
        _register_outputs(self)
        REFERENCES.remember(self)


class SavepointArgs(TypedDict):
    """The inputs of a Savepoint."""

    deployment: pulumi.Input[Any]
    """The Deployment to take the savepoint of; it must run (operator engine)."""
    dispose_on_delete: NotRequired[bool]
    """Delete the savepoint's files when this resource is deleted; default false."""
    timeout_seconds: NotRequired[int]
    """How long up waits for the savepoint to complete."""


class Savepoint(pulumi.ComponentResource):
    """A savepoint of a running Deployment (operator engine), taken once.

    Pass it to a Deployment's restoreFrom. The component holds the Savepoint
    component of the Python API, which does the work.
    """

    path: pulumi.Output[str]
    """Where the savepoint is."""

    def __init__(
        self, name: str, args: SavepointArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        require_dynamic_provider_python()
        of = _one_of(args, {"deployment": _DEPLOYMENT})
        super().__init__(type_token("Savepoint"), name, None, opts)
        self.savepoint = PythonSavepoint(
            name,
            opts=pulumi.ResourceOptions(parent=self),
            **of,
            **_given(args, ("dispose_on_delete", "timeout_seconds")),
        )
        self.path = self.savepoint.path
        _register_outputs(self)
        REFERENCES.remember(self)


class _Reference(NamedTuple):
    """An input that takes one of the package's resources, and what it passes on."""

    schema_name: str
    resource: type[pulumi.ComponentResource]
    python_argument: str
    python_object: Callable[[Any], Any]


_TARGETS = {
    "target": _Reference("target", DeploymentTarget, "target", lambda r: r.deployment_target),
    "target_namespace": _Reference(
        "targetNamespace", TargetNamespace, "target", lambda r: r.deployment_target
    ),
}
_SESSION_CLUSTER = _Reference(
    "sessionCluster", SessionCluster, "session_cluster", lambda r: r.session_cluster
)
_SAVEPOINT = _Reference("restoreFrom", Savepoint, "restore_from", lambda r: r.savepoint)
_DEPLOYMENT = _Reference("deployment", Deployment, "deployment", lambda r: r.deployment)

_RUN_OPTIONS = ("engine", "wait_for_ready", "ready_timeout_seconds")
_DEPLOYMENT_OPTIONS = (
    *_RUN_OPTIONS,
    "savepoint_on_delete",
    "restart_nonce",
    "savepoint_nonce",
    "checkpoint_nonce",
    "defaults",
    "secret_values",
    "allowed_jar_schemes",
)
"""Inputs passed on only when given, so the Python API's defaults apply."""


def _given(args: Any, keys: Sequence[str]) -> dict[str, Any]:
    return {key: args[key] for key in keys if key in args}


def _one_of(args: Any, choices: dict[str, _Reference], *, required: bool = True) -> dict[str, Any]:
    """The Python argument for the one given input of ``choices``, a resource of the package.

    Raises
    ------
    PackageInputError
        When none (and ``required``) or several are given, or the resource is
        not of the package or not made by this process.
    """
    given = {key: args[key] for key in choices if args.get(key) is not None}
    names = [reference.schema_name for reference in choices.values()]
    if len(given) > 1 or (required and not given):
        got = " and ".join(choices[key].schema_name for key in given) or "neither"
        raise PackageInputError(
            names[0],
            f"give exactly one of {', '.join(repr(n) for n in names)}; got {got}",
        )
    if not given:
        return {}
    ((key, resource),) = given.items()
    reference = choices[key]
    if not isinstance(resource, reference.resource):
        raise PackageInputError(
            reference.schema_name,
            f"expected a pulumi-flink {reference.resource.__name__} made by this program "
            f"through the package's default provider; got {REFERENCES.describe(resource)}",
        )
    return {reference.python_argument: reference.python_object(resource)}


def _register_outputs(resource: pulumi.ComponentResource) -> None:
    """Register the outputs the class declares (the schema's) as the component's."""
    names = inspect.get_annotations(type(resource))
    resource.register_outputs({name: getattr(resource, name) for name in names})
