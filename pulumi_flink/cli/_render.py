"""``pulumi-flink render``."""

from __future__ import annotations

from pathlib import Path

import click

from pulumi_flink.cli._options import engine_option, files_argument, namespace_option
from pulumi_flink.cli._output import print_problems
from pulumi_flink.render.yaml import to_yaml
from pulumi_flink.vvp import read_vvp_export


@click.command(short_help="Print the Kubernetes objects of each Deployment.")
@files_argument
@engine_option
@namespace_option
@click.pass_context
def render(ctx: click.Context, files: tuple[Path, ...], engine: str, namespace: str) -> None:
    """Print the Kubernetes objects of each Deployment, like `helm template`.

    FILEs are read and checked as by `validate`. The renderer is the one the
    Deployment component uses, so this is exactly what `pulumi up` creates
    (plus the readiness annotations the component adds when it waits).

    Output is YAML on stdout: one document per object, each starting with
    `---` and a comment naming the Deployment, its target and its source;
    Deployments in the order of the FILEs, each one's objects in apply order,
    then its completed VVP Savepoints as FlinkStateSnapshots that adopt them
    (alreadyExists, disposeOnDelete false), oldest first.
    Pipe it to `kubectl apply --dry-run=server -f -` to check it against a
    cluster.

    Exit status: 0, or 1 when the FILEs have problems (printed on stderr as
    by `validate`; then nothing is rendered).
    """
    export = read_vvp_export(files)
    if export.problems:
        print_problems(export.problems)
        ctx.exit(1)
    for placement in export.placements:
        comment = (
            f"# Deployment {placement.name!r} on DeploymentTarget {placement.target.name!r}"
            f" ({placement.deployment.source})"
        )
        for manifest in placement.render_manifests(engine=engine, default_namespace=namespace):
            click.echo(f"---\n{comment}\n{to_yaml(manifest)}", nl=False)
        for manifest in placement.render_savepoints(default_namespace=namespace):
            click.echo(f"---\n{comment}\n{to_yaml(manifest)}", nl=False)
