"""The ``DeploymentTarget`` dynamic resource and its provider.

A target is immutable: any change of its inputs replaces it, create before
delete. It is recorded in the cluster (see :mod:`pulumi_flink.registry`) so
other stacks and ``kubectl`` see it, and it cannot be deleted while any
Deployment, from any stack, references it.

The provider's module path and class name are stored in Pulumi state and
needed to delete: they are a permanent API.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
)

from pulumi_flink._program import prepared_if_plain
from pulumi_flink._secret_inputs import hide_patch_set_secrets, target_secret
from pulumi_flink.blob_storage import checked_blob_storage
from pulumi_flink.provider._cluster import ClusterProvider, resource_creator
from pulumi_flink.provider._unknowns import changed_properties, contains_unknown
from pulumi_flink.registry.errors import TargetLookupError
from pulumi_flink.target import PreparedTarget, prepare_target_inputs, target_input_problems

if TYPE_CHECKING:
    from pulumi_flink.registry import TargetRecord

INPUTS = ("name", "kubernetes_namespace", "deployment_patch_set")
"""The user's inputs; the only properties ``diff`` compares."""


class DeploymentTargetProvider(ClusterProvider):
    """Dynamic provider of :class:`DeploymentTarget`: replace-only, delete-protected."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate the inputs; one failure per bad property, unknowns tolerated."""
        failures = [
            CheckFailure(prop, reason)
            for prop, reason in target_input_problems(
                news.get("name"),
                news.get("kubernetes_namespace"),
                news.get("deployment_patch_set") or [],
            )
            if not contains_unknown(news.get(prop))
        ]
        return CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Any changed input replaces the target; nothing else counts."""
        changed = changed_properties(olds, news, INPUTS)
        return DiffResult(
            changes=bool(changed),
            replaces=changed,
            stables=[prop for prop in INPUTS if prop not in changed],
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Record the target in the cluster, resolving its namespace.

        Safe to repeat after a create whose outcome Pulumi never heard: the
        record it may have left (same ``creator``, unclaimed) is removed.
        """
        with self.cluster() as cluster:
            record = cluster.registry.create_target(
                prepare_target_inputs(
                    props["name"],
                    props.get("kubernetes_namespace"),
                    props.get("deployment_patch_set") or [],
                ),
                default_namespace=cluster.context_namespace,
                creator=props.get("creator"),
            )
        return CreateResult(record.name, _outputs(record, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Read the target back: by its id on refresh, by name for ``get``."""
        target_id = props.get("target_id")
        with self.cluster() as cluster:
            record = (
                cluster.registry.get_target_by_id(target_id)
                if target_id
                else cluster.registry.get_target(id_)
            )
            if record is None and not target_id:
                # `get` of a name the registry does not hold: fail the read, at
                # preview, rather than let Deployments render on an empty target.
                raise TargetLookupError(id_, cluster.registry.namespace, self.context_name)
        if record is None:
            return ReadResult(None, {})
        outputs = _outputs(
            record, props if target_id else {"kubernetes_namespace": record.namespace}
        )
        return ReadResult(record.name, outputs, {prop: outputs[prop] for prop in INPUTS})

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Delete the record; refused while any Deployment references it."""
        with self.cluster() as cluster:
            cluster.registry.delete_target(props["target_id"])


def _outputs(record: TargetRecord, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": record.name,
        "kubernetes_namespace": props.get("kubernetes_namespace"),
        "deployment_patch_set": list(record.deployment_patch_set),
        "target_id": record.target_id,
        "namespace": record.namespace,
        "created_at": record.created_at.isoformat(),
        "cluster_id": record.cluster_id,
    }


class DeploymentTarget(Resource, module="flink", name="DeploymentTarget"):
    """A Kubernetes namespace where Flink jobs run, plus a deployment patch set.

    Parameters
    ----------
    resource_name
        The Pulumi resource name.
    name
        VVP ``metadata.name`` (up to 250 of ``[0-9a-zA-Z_-]``); default:
        ``resource_name``.
    kubernetes_namespace
        Namespace of the target's Deployments; unset: the kube context's.
    deployment_patch_set
        RFC 6902 operations applied, in order, to every Deployment on this
        target whenever it is created or modified.
    blob_storage
        VVP's blob storage base URI (its Helm value ``vvp.blobStorage.baseUri``,
        e.g. ``s3://my-bucket/vvp``): each Deployment on the target gets the
        checkpoint, savepoint and HA directories it does not set, where VVP
        put them (see :mod:`pulumi_flink.blob_storage`). A setting of this
        program, not an input of the resource: it is not stored in the
        target's state, and changing it changes only the Deployments.
    opts
        Pulumi resource options.

    Examples
    --------
    >>> prod = DeploymentTarget(  # doctest: +SKIP
    ...     "prod",
    ...     kubernetes_namespace="flink-prod",
    ...     deployment_patch_set=[{
    ...         "op": "add",
    ...         "path": "/spec/template/spec/flinkConfiguration/state.checkpoints.dir",
    ...         "value": "s3://flink/checkpoints",
    ...     }],
    ... )
    """

    name: pulumi.Output[str]
    """VVP name of the target."""
    kubernetes_namespace: pulumi.Output[str | None]
    """The namespace as given (``None``: the kube context's)."""
    deployment_patch_set: pulumi.Output[list[dict[str, Any]]]
    """The patch set, in order."""
    target_id: pulumi.Output[str]
    """UUID of this incarnation of the target (a replacement gets a new one)."""
    namespace: pulumi.Output[str]
    """The resolved Kubernetes namespace."""
    created_at: pulumi.Output[str]
    """When the target was recorded (ISO-8601, UTC)."""
    cluster_id: pulumi.Output[str]
    """Identity of the cluster the target lives on (uid of ``kube-system``)."""

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str] | None = None,
        kubernetes_namespace: pulumi.Input[str] | None = None,
        deployment_patch_set: pulumi.Input[Sequence[pulumi.Input[dict[str, Any]]]] | None = None,
        blob_storage: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        name = name if name is not None else resource_name
        read_from_cluster = opts is not None and opts.id is not None
        if not read_from_cluster:
            # Pulumi secrets in the patch set go into the target's Secret; the
            # patch set (inputs, state, registry record) holds references.
            deployment_patch_set, hidden = hide_patch_set_secrets(deployment_patch_set or [])
            if hidden is not None:
                secret = target_secret(resource_name, name, kubernetes_namespace, hidden, opts)
                opts = pulumi.ResourceOptions.merge(
                    opts, pulumi.ResourceOptions(depends_on=[secret])
                )
        # Plain inputs are checked right here, so errors point at this line.
        self._blob_storage = None if blob_storage is None else checked_blob_storage(blob_storage)
        self._known = (
            None
            if read_from_cluster
            else prepared_if_plain(
                name,
                kubernetes_namespace,
                deployment_patch_set or [],
                blob_storage=self._blob_storage,
            )
        )
        super().__init__(
            DeploymentTargetProvider(),
            resource_name,
            {
                "name": name,
                "kubernetes_namespace": kubernetes_namespace,
                "deployment_patch_set": deployment_patch_set or [],
                # Not compared by `diff`: only how a repeated create finds its lost twin.
                "creator": None if read_from_cluster else resource_creator(resource_name),
                "target_id": None,
                "namespace": None,
                "created_at": None,
                "cluster_id": None,
            },
            opts,
        )

    @cached_property
    def prepared(self) -> PreparedTarget | pulumi.Output[PreparedTarget]:
        """The target, validated and prepared once for all its Deployments.

        A plain value when the program gave plain inputs (prepared, and
        checked, by the constructor), else an Output prepared from the
        target's outputs. Its namespace is unset unless known while the
        program runs; the :attr:`namespace` output has the resolved one.
        """
        if self._known is not None:
            return self._known
        return pulumi.Output.all(self.name, self.deployment_patch_set).apply(
            lambda values: prepare_target_inputs(
                values[0], None, values[1], blob_storage=self._blob_storage
            )
        )

    @cached_property
    def deployment_namespace(self) -> str | pulumi.Output[str]:
        """The namespace the target's Deployments run in.

        Plain when the program gave it; else the given one as soon as it is
        known (at preview for a new target), else the one resolved at create.
        """
        if self._known is not None and self._known.namespace is not None:
            return self._known.namespace
        return self.kubernetes_namespace.apply(lambda given: given if given else self.namespace)

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
        *,
        blob_storage: str | None = None,
    ) -> DeploymentTarget:
        """Read an existing target from the cluster by its name (``id``).

        Another stack's Deployments can use it; its namespace and patch set
        are known at preview time. ``blob_storage`` is this program's setting
        for its Deployments, as for a new target.
        """
        return DeploymentTarget(
            resource_name,
            blob_storage=blob_storage,
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id)),
        )
