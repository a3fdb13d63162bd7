"""``pulumi-flink targets``: read a cluster's target registry, release a gone stack's claims.

The one command group that talks to a cluster (imported only when run). A
live stack never needs it: its ``pulumi up`` and ``destroy`` remove its own
claims, even one whose binding Pulumi never recorded (see
:class:`~pulumi_flink.provider.ClaimIntent`). ``release`` is for the claim
of a stack that no longer exists, which nothing else will remove and which
keeps its target from being deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pulumi_flink.errors import PulumiFlinkError
from pulumi_flink.render.labels import RECORD_KIND_SESSION_CLUSTER, RECORD_KIND_TARGET

if TYPE_CHECKING:
    from pulumi_flink.registry import TargetRegistry

_KINDS = {"target": RECORD_KIND_TARGET, "session-cluster": RECORD_KIND_SESSION_CLUSTER}
"""``--kind`` values and the record kinds they select."""


def _cluster_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say which cluster and registry namespace to use."""
    for option in (
        click.option(
            "--kubeconfig",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="Kube configuration file (default: $KUBECONFIG, then ~/.kube/config).",
        ),
        click.option("--context", default=None, help="Kube context (default: the current one)."),
        click.option(
            "--registry-namespace",
            default=None,
            help="Namespace of the registry (the stacks' pulumi-flink:registryNamespace; "
            "default: pulumi-flink).",
        ),
    ):
        command = option(command)
    return command


@contextmanager
def _registry(
    kubeconfig: Path | None, context: str | None, registry_namespace: str | None
) -> Iterator[TargetRegistry]:
    """The registry on the chosen cluster; cluster errors become one-line CLI errors."""
    import httpx2
    from lightkube import Client, KubeConfig

    from pulumi_flink.registry import (
        DEFAULT_REGISTRY_NAMESPACE,
        KubeConfigNotFoundError,
        TargetRegistry,
    )

    try:
        config = KubeConfig.from_file(kubeconfig) if kubeconfig else KubeConfig.from_env()
        single = config.get(context_name=context)
        if single is None:
            raise KubeConfigNotFoundError()
        yield TargetRegistry(
            Client(config=single), namespace=registry_namespace or DEFAULT_REGISTRY_NAMESPACE
        )
    except PulumiFlinkError as error:
        raise click.ClickException(str(error)) from error
    except httpx2.TransportError as error:
        raise click.ClickException(f"the Kubernetes cluster was unreachable: {error}") from error


@click.group("targets")
def targets() -> None:
    """Read a cluster's target registry; release the claims of a stack that no longer exists.

    Needs access to the cluster (--kubeconfig, --context), unlike the other
    commands.
    """


@targets.command("list")
@_cluster_options
def list_targets(
    kubeconfig: Path | None, context: str | None, registry_namespace: str | None
) -> None:
    """Every DeploymentTarget record, with the stacks that claim it."""
    with _registry(kubeconfig, context, registry_namespace) as registry:
        records = registry.list_targets()
    for record in records:
        click.echo(f"{record.name}  id {record.target_id}  namespace {record.namespace}")
        for ref in record.references:
            click.echo(
                f"  claimed by {ref.owner!r} (namespace {ref.namespace!r}, binding {ref.binding!r})"
            )


@targets.command("release")
@click.argument("name")
@click.option("--owner", required=True, metavar="PROJECT/STACK", help="The gone stack.")
@click.option("--binding", default=None, help="Only the claim with this binding name.")
@click.option("--namespace", default=None, help="Only claims for this Kubernetes namespace.")
@click.option(
    "--kind",
    type=click.Choice(sorted(_KINDS)),
    default="target",
    show_default=True,
    help="A DeploymentTarget's records or a SessionCluster's.",
)
@_cluster_options
def release(
    name: str,
    owner: str,
    binding: str | None,
    namespace: str | None,
    kind: str,
    kubeconfig: Path | None,
    context: str | None,
    registry_namespace: str | None,
) -> None:
    """Remove the claims of stack OWNER on the records of NAME.

    Only for a stack that no longer exists (removed with `pulumi stack rm
    --force`, its state lost): a live stack removes its own claims with its
    next `pulumi up` or `destroy`, and releasing one of them leaves its
    Deployments unprotected. Exit status 1 when no claim matched.
    """
    with _registry(kubeconfig, context, registry_namespace) as registry:
        released = registry.release(
            name, owner, binding=binding, namespace=namespace, kind=_KINDS[kind]
        )
    if not released:
        raise click.ClickException(f"no claim of {owner!r} on a {kind} named {name!r}")
    for record, ref in released:
        click.echo(
            f"released {ref.owner!r} (namespace {ref.namespace!r}, binding {ref.binding!r}) "
            f"on {record.name} (id {record.target_id})"
        )
