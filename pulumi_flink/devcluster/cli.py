"""``pulumi-flink dev-cluster``: start, stop and point at the local cluster."""

from __future__ import annotations

import shlex
import signal
import threading
from pathlib import Path

import click

from ._cluster import DEFAULT_STATE_DIR, DevCluster, cluster_state, stop_cluster
from ._runner import service_endpoints
from .errors import DevClusterError

__all__ = ["dev_cluster"]

_STATE_DIR_OPTION = click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_STATE_DIR,
    show_default=True,
    help="Folder of the cluster's data, keys, logs and kubeconfig.",
)


@click.group(name="dev-cluster")
def dev_cluster() -> None:
    """A local Kubernetes control plane with a simulated Flink operator.

    Real etcd, kube-apiserver, kube-controller-manager and kube-scheduler,
    with kwok faking nodes and pods, on loopback ports. FlinkDeployment
    status is simulated (no Flink runs); see `pulumi_flink.devcluster`.
    """


@dev_cluster.command()
@_STATE_DIR_OPTION
@click.option(
    "--crd",
    "crd_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="CRD file or folder to install (repeatable), replacing pulumi-flink's equivalent; "
    "the shipped CRDs it does not replace are installed too.",
)
@click.option(
    "--bin-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with the binaries [default: $PULUMI_FLINK_BIN_DIR, else what "
    "`toolchain/bootstrap.sh --bin-dir` prints].",
)
@click.option("--nodes", default=3, show_default=True, help="Number of fake nodes.")
@click.option(
    "--real-flink",
    is_flag=True,
    help="Run the pods of standalone Flink workloads as real local JVMs "
    "(distributions from toolchain/flink.sh) instead of faking them.",
)
@click.option(
    "--foreground",
    is_flag=True,
    help="Keep running until interrupted (Ctrl-C stops the cluster) instead of returning.",
)
def up(
    state_dir: Path,
    crd_paths: tuple[Path, ...],
    bin_dir: Path | None,
    nodes: int,
    real_flink: bool,
    foreground: bool,
) -> None:
    """Start the cluster (stopping a previous one in the same state dir)."""
    cluster = DevCluster(
        state_dir,
        crd_paths=list(crd_paths) or None,
        bin_dir=bin_dir,
        node_count=nodes,
        tie_to_parent=foreground,
        real_flink=real_flink,
    )
    try:
        cluster.start()
    except DevClusterError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"dev cluster up: {cluster.server}", err=True)
    click.echo(f"kubeconfig: {cluster.kubeconfig}", err=True)
    if real_flink:
        click.echo(
            "real Flink: standalone JobManager/TaskManager pods run as local JVMs; "
            f"Service ports: {cluster.state_dir / 'real-flink' / 'services.json'}",
            err=True,
        )
    if not foreground:
        ctx = click.get_current_context()
        group = ctx.parent.command_path if ctx.parent else "dev-cluster"
        where = (
            "" if state_dir == DEFAULT_STATE_DIR else f" --state-dir {shlex.quote(str(state_dir))}"
        )
        click.echo(f'use it with:  eval "$({group} env{where})"', err=True)
        return
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    click.echo("running; press Ctrl-C to stop", err=True)
    stop.wait()
    cluster.stop()
    click.echo("dev cluster stopped", err=True)


@dev_cluster.command()
@_STATE_DIR_OPTION
def down(state_dir: Path) -> None:
    """Stop the cluster's processes (also after a crash)."""
    stopped = stop_cluster(state_dir)
    click.echo(
        f"stopped: {', '.join(stopped)}" if stopped else "no dev cluster was running", err=True
    )


@dev_cluster.command()
@_STATE_DIR_OPTION
def env(state_dir: Path) -> None:
    """Print `export` lines that point kubectl and Pulumi at the cluster."""
    state = cluster_state(state_dir)
    if state is None:
        raise click.ClickException(
            f"no dev cluster is running in {state_dir}; run `dev-cluster up` first"
        )
    click.echo(f"export KUBECONFIG={shlex.quote(str(state['kubeconfig']))}")
    click.echo(f"export PULUMI_FLINK_BIN_DIR={shlex.quote(str(state['bin_dir']))}")
    click.echo(f'export PATH={shlex.quote(str(state["bin_dir"]))}:"$PATH"')


@dev_cluster.command()
@_STATE_DIR_OPTION
def services(state_dir: Path) -> None:
    """Print each Service port the real-Flink runner serves, with its local URL."""
    endpoints = service_endpoints(state_dir)
    if not endpoints:
        raise click.ClickException(
            f"no real-Flink Services in {state_dir}; start the cluster with `up --real-flink`"
        )
    for service, port in endpoints.items():
        click.echo(f"{service}\thttp://127.0.0.1:{port}")
