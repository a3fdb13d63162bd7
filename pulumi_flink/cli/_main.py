"""The ``pulumi-flink`` command group: options, error handling, subcommands."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from pulumi_flink.cli._diff import diff
from pulumi_flink.cli._render import render
from pulumi_flink.cli._validate import validate
from pulumi_flink.devcluster.cli import dev_cluster


class _UnexpectedError(click.ClickException):
    """An exception nobody expected, shown as one line; exit status 2."""

    exit_code = 2


class _Group(click.Group):
    """A group that turns unexpected exceptions into one line, unless ``--debug``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`render | head`): stop quietly, as the Python docs advise.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            raise _UnexpectedError(
                f"{type(error).__name__}: {error} (rerun with --debug for the traceback)"
            ) from error


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pulumi-flink", prog_name="pulumi-flink")
@click.option("--debug", is_flag=True, help="Show the traceback of unexpected errors.")
def main(debug: bool) -> None:
    """Apache Flink on Kubernetes with Pulumi, the Ververica Platform way.

    Offline tools for VVP DeploymentTargets and Deployments, for review in
    CI before anything is applied: `validate` them, `render` the Kubernetes
    objects they become, `diff` two versions. They use the same code as the
    Pulumi components and need no cluster. `dev-cluster` runs a local
    Kubernetes control plane for trying the examples.

    Output is stable for CI logs: problems one per line on stderr, results
    on stdout, colour only on a terminal. Exit status 2 means a usage error
    or an unexpected failure (one line; --debug shows the traceback).
    """


main.add_command(validate)
main.add_command(render)
main.add_command(diff)
main.add_command(dev_cluster, name="dev-cluster")
