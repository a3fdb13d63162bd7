"""Every error of the cluster side: the target registry and how the providers reach it.

The errors of the Pulumi-free core (bad documents, patch sets, engines) are
:mod:`pulumi_flink.errors`; the dev cluster's are
:mod:`pulumi_flink.devcluster.errors`. Here, mistakes a user can fix
(deleting a target that Deployments still use, binding to a target that is
gone, pointing at the wrong cluster, no kube configuration) subclass
:class:`pulumi_flink.errors.PulumiFlinkError`. Trouble that is nobody's input
mistake (a record edited by hand, endless write contention, a cluster that
does not say who it is) subclasses :class:`RuntimeError` instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from pulumi_flink.errors import PulumiFlinkError

if TYPE_CHECKING:
    from pulumi_flink.registry._records import Reference


def _target_label(target_id: str, target_name: str | None, kind: str = "DeploymentTarget") -> str:
    if target_name:
        return f"{kind} {target_name!r} (id {target_id})"
    return f"{kind} with id {target_id}"


class InvalidReferenceError(PulumiFlinkError):
    """A reference to record on a target has an invalid field.

    Parameters
    ----------
    field
        The offending field: ``binding``, ``namespace`` or ``owner``.
    reason
        Why it is invalid, with the fix.

    Examples
    --------
    >>> str(InvalidReferenceError("owner", "must not be empty"))
    'reference owner: must not be empty'
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"reference {field}: {reason}")


class TargetNotFoundError(PulumiFlinkError):
    """The DeploymentTarget a Deployment refers to is not in the registry.

    Parameters
    ----------
    target_id
        The id that was looked up.
    registry_namespace
        The Kubernetes namespace holding the registry.
    target_name
        The target's name, when the caller knows it.

    Examples
    --------
    >>> print(TargetNotFoundError("1234", "pulumi-flink", target_name="prod"))
    ... # doctest: +NORMALIZE_WHITESPACE
    DeploymentTarget 'prod' (id 1234) is not in the registry (namespace
    'pulumi-flink'): it was deleted or never created on this cluster; create
    it again, or point the Deployment at an existing target
    """

    def __init__(
        self,
        target_id: str,
        registry_namespace: str,
        *,
        target_name: str | None = None,
        kind: str = "DeploymentTarget",
    ) -> None:
        self.target_id = target_id
        self.target_name = target_name
        self.registry_namespace = registry_namespace
        self.kind = kind
        what = "target" if kind == "DeploymentTarget" else kind
        super().__init__(
            f"{_target_label(target_id, target_name, kind)} is not in the registry "
            f"(namespace {registry_namespace!r}): it was deleted or never created "
            "on this cluster; create it again, or point the Deployment at an "
            f"existing {what}"
        )


class TargetLookupError(PulumiFlinkError):
    """A target or session cluster read by name is not in the registry.

    Read by ``DeploymentTarget.get`` or ``SessionCluster.get``. Raised when
    the record is read, at ``pulumi preview``, so nothing that would run on
    it is created.

    Examples
    --------
    >>> print(TargetLookupError("no-such-target", "pulumi-flink", "kind-dev"))
    ... # doctest: +NORMALIZE_WHITESPACE
    DeploymentTarget 'no-such-target' does not exist in the target registry
    (namespace 'pulumi-flink', kube context 'kind-dev'): create it first (a
    DeploymentTarget or TargetNamespace in the platform's stack), or check the
    name and the stack's pulumi-flink:kubeconfig / pulumi-flink:context
    >>> print(TargetLookupError("shared", "pulumi-flink", None, kind="SessionCluster"))
    ... # doctest: +NORMALIZE_WHITESPACE
    SessionCluster 'shared' does not exist in the target registry (namespace
    'pulumi-flink', kube context '(current)'): create it first (a SessionCluster
    in the platform's stack), or check the name and the stack's
    pulumi-flink:kubeconfig / pulumi-flink:context
    """

    _CREATED_BY: ClassVar[Mapping[str, str]] = {
        "DeploymentTarget": "a DeploymentTarget or TargetNamespace",
        "SessionCluster": "a SessionCluster",
    }

    def __init__(
        self,
        target_name: str,
        registry_namespace: str,
        context: str | None,
        *,
        kind: str = "DeploymentTarget",
    ) -> None:
        self.target_name = target_name
        self.registry_namespace = registry_namespace
        self.context = context
        self.kind = kind
        where = f"namespace {registry_namespace!r}, kube context {context or '(current)'!r}"
        super().__init__(
            f"{kind} {target_name!r} does not exist in the target registry ({where}): "
            f"create it first ({self._CREATED_BY.get(kind, f'a {kind}')} in the platform's "
            "stack), or check the name and the stack's pulumi-flink:kubeconfig / "
            "pulumi-flink:context"
        )


class TargetBeingDeletedError(PulumiFlinkError):
    """A Deployment tried to use a DeploymentTarget whose deletion has started.

    Parameters
    ----------
    target_id
        Id of the target.
    target_name
        Name of the target.
    """

    def __init__(self, target_id: str, target_name: str) -> None:
        self.target_id = target_id
        self.target_name = target_name
        super().__init__(
            f"{_target_label(target_id, target_name)} is being deleted and "
            "accepts no new Deployments; point the Deployment at another target"
        )


class TargetInUseError(PulumiFlinkError):
    """A DeploymentTarget cannot be deleted: Deployments still reference it.

    Parameters
    ----------
    target_id
        Id of the target.
    target_name
        Name of the target.
    references
        Every claim on the target (one per stack using it).
    kind
        What the record is: ``DeploymentTarget`` or ``SessionCluster``.
    replaced_by
        Id of the newer record of the same name, when the delete is the end
        of a replacement (create before delete): the message then says that
        the new one exists and how to finish moving.

    Examples
    --------
    >>> from pulumi_flink.registry import Reference
    >>> ref = Reference(binding="prod-binding", namespace="jobs", owner="app/dev")
    >>> print(TargetInUseError("1234", "prod", [ref]))
    ... # doctest: +NORMALIZE_WHITESPACE
    DeploymentTarget 'prod' (id 1234) is still used by Deployments of 1 stack(s):
    'app/dev' in namespace 'jobs' (binding 'prod-binding'); delete those
    Deployments (or point them at another target) first, then delete the target.
    A stack listed that no longer exists cannot remove its claim: release it
    with `pulumi-flink targets release prod --owner <project/stack>`
    >>> print(TargetInUseError("1234", "prod", [ref], replaced_by="5678"))
    ... # doctest: +NORMALIZE_WHITESPACE
    DeploymentTarget 'prod' was replaced: the new target (id 5678) exists, but
    the old one (id 1234) is still used by Deployments of 1 stack(s): 'app/dev'
    in namespace 'jobs' (binding 'prod-binding'). Run `pulumi up` in stack(s)
    'app/dev' (their Deployments move to the new target), then run `pulumi up`
    here again: it deletes the old target. A stack listed that no longer exists
    cannot remove its claim: release it with `pulumi-flink targets release prod
    --owner <project/stack>`
    """

    def __init__(
        self,
        target_id: str,
        target_name: str,
        references: Sequence[Reference],
        *,
        kind: str = "DeploymentTarget",
        replaced_by: str | None = None,
    ) -> None:
        self.target_id = target_id
        self.target_name = target_name
        self.references = tuple(references)
        self.kind = kind
        self.replaced_by = replaced_by
        users = ", ".join(
            f"{ref.owner!r} in namespace {ref.namespace!r} (binding {ref.binding!r})"
            for ref in self.references
        )
        is_target = kind == "DeploymentTarget"
        what = "target" if is_target else kind
        if replaced_by is not None:
            stacks = ", ".join(repr(owner) for owner in sorted({r.owner for r in self.references}))
            message = (
                f"{kind} {target_name!r} was replaced: the new {what} (id {replaced_by}) "
                f"exists, but the old one (id {target_id}) is still used by Deployments of "
                f"{len(self.references)} stack(s): {users}. Run `pulumi up` in stack(s) "
                f"{stacks} (their Deployments move to the new {what}), then run `pulumi up` "
                f"here again: it deletes the old {what}"
            )
        else:
            where = "at another target" if is_target else "elsewhere"
            message = (
                f"{_target_label(target_id, target_name, kind)} is still used by Deployments "
                f"of {len(self.references)} stack(s): {users}; delete those Deployments (or "
                f"point them {where}) first, then delete the {what}"
            )
        kind_option = "" if is_target else " --kind session-cluster"
        message += (
            f". A stack listed that no longer exists cannot remove its claim: release it "
            f"with `pulumi-flink targets release {target_name} --owner <project/stack>"
            f"{kind_option}`"
        )
        super().__init__(message)


class ClusterMismatchError(PulumiFlinkError):
    """The registry and the workloads are on different Kubernetes clusters.

    Parameters
    ----------
    expected_cluster_id
        The cluster id recorded with the target (uid of ``kube-system``).
    actual_cluster_id
        The cluster id of the cluster the client talks to now.

    Examples
    --------
    >>> print(ClusterMismatchError("aaa", "bbb"))  # doctest: +NORMALIZE_WHITESPACE
    expected Kubernetes cluster aaa (uid of namespace kube-system) but the
    current kube context talks to cluster bbb; select the cluster that holds
    the DeploymentTarget (KUBECONFIG / kube context / provider kubeconfig), or
    create the target again on this cluster
    """

    def __init__(self, expected_cluster_id: str, actual_cluster_id: str) -> None:
        self.expected_cluster_id = expected_cluster_id
        self.actual_cluster_id = actual_cluster_id
        super().__init__(
            f"expected Kubernetes cluster {expected_cluster_id} (uid of namespace "
            f"kube-system) but the current kube context talks to cluster "
            f"{actual_cluster_id}; select the cluster that holds the "
            "DeploymentTarget (KUBECONFIG / kube context / provider kubeconfig), "
            "or create the target again on this cluster"
        )


class CorruptRecordError(RuntimeError):
    """A registry ConfigMap does not hold a well-formed target record.

    Parameters
    ----------
    config_map
        Name of the offending ConfigMap.
    reason
        What is wrong with it.
    """

    def __init__(self, config_map: str, reason: str) -> None:
        self.config_map = config_map
        self.reason = reason
        super().__init__(
            f"registry ConfigMap {config_map!r} is not a valid target record: "
            f"{reason}; it was probably edited by hand"
        )


class RegistryContentionError(RuntimeError):
    """An update kept losing optimistic-concurrency races and was given up.

    Parameters
    ----------
    operation
        What was being attempted, e.g. ``bind``.
    target_id
        Id of the contended target; empty for a ``create``, which has none yet.
    attempts
        How many times it was tried.
    target_name
        Name of the target, for a ``create``.

    Examples
    --------
    >>> str(RegistryContentionError("create", "", 5, target_name="prod"))  # doctest: +ELLIPSIS
    "create of DeploymentTarget 'prod' lost 5 consecutive write conflicts ..."
    """

    def __init__(
        self, operation: str, target_id: str, attempts: int, *, target_name: str | None = None
    ) -> None:
        self.operation = operation
        self.target_id = target_id
        self.attempts = attempts
        self.target_name = target_name
        subject = f"id {target_id}" if target_id else repr(target_name)
        super().__init__(
            f"{operation} of DeploymentTarget {subject} lost {attempts} "
            "consecutive write conflicts with concurrent updates; retry the "
            "operation"
        )


class KubeConfigNotFoundError(PulumiFlinkError):
    """The dynamic providers found no Kubernetes configuration to reach the registry.

    Examples
    --------
    >>> print(KubeConfigNotFoundError())  # doctest: +NORMALIZE_WHITESPACE
    no Kubernetes configuration found: set KUBECONFIG, or the stack
    configuration pulumi-flink:kubeconfig
    """

    def __init__(self) -> None:
        super().__init__(
            "no Kubernetes configuration found: set KUBECONFIG, or the stack "
            "configuration pulumi-flink:kubeconfig"
        )


class ClusterUnreachableError(PulumiFlinkError):
    """The Kubernetes API server could not be reached, or dropped the connection.

    Raised by the dynamic providers in place of the HTTP client's connection
    error. Whether a write sent before the connection broke was applied is
    unknown; every registry operation is safe to repeat, so the fix is to run
    ``pulumi up`` again once the cluster answers.

    Parameters
    ----------
    server
        The API server's address, from the kube configuration.
    reason
        What the connection did (refused, reset, timed out).

    Examples
    --------
    >>> print(ClusterUnreachableError("https://10.0.0.1:6443", "connection refused"))
    ... # doctest: +NORMALIZE_WHITESPACE
    the Kubernetes cluster at https://10.0.0.1:6443 was unreachable (connection
    refused); once it answers again, run `pulumi up` again: it picks up where
    this one stopped
    """

    def __init__(self, server: str, reason: str) -> None:
        self.server = server
        self.reason = reason
        super().__init__(
            f"the Kubernetes cluster at {server} was unreachable ({reason}); once it "
            "answers again, run `pulumi up` again: it picks up where this one stopped"
        )


class ClusterIdentityError(RuntimeError):
    """The cluster did not say who it is: its ``kube-system`` namespace has no uid.

    Parameters
    ----------
    namespace
        The namespace whose uid identifies the cluster.
    """

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        super().__init__(f"namespace {namespace} has no uid")
