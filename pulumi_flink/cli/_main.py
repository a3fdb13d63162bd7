"""The ``pulumi-flink`` command group: options, error handling, subcommands."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from pulumi_flink.cli._diff import diff
from pulumi_flink.cli._render import render
from pulumi_flink.cli._validate import validate
from pulumi_flink.errors import one_line

_LAZY_COMMANDS = {
    "dev-cluster": ("pulumi_flink.devcluster.cli", "dev_cluster"),
    "targets": ("pulumi_flink.cli._targets", "targets"),
}
"""Commands imported only when run (or listed): the dev cluster needs the
``dev-cluster`` extra (cryptography), and both the Kubernetes client, which
``validate``, ``render`` and ``diff`` do not load."""


class _UnexpectedError(click.ClickException):
    """An exception nobody expected, shown as one line; exit status 2."""

    exit_code = 2


class _Group(click.Group):
    """A group that turns unexpected exceptions into one line, unless ``--debug``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *_LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, attribute = _LAZY_COMMANDS[cmd_name]
        try:
            command: click.Command = getattr(importlib.import_module(module), attribute)
        except ModuleNotFoundError as missing:
            return _needs_extra(cmd_name, missing.name or str(missing))
        return command

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
                one_line(f"{type(error).__name__}: {error} (rerun with --debug for the traceback)")
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


def _needs_extra(name: str, missing: str) -> click.Command:
    """A stand-in for a command whose optional dependencies are not installed."""

    def fail(**_: Any) -> None:
        raise click.ClickException(
            f"`pulumi-flink {name}` needs the dev-cluster extra ({missing} is not "
            "installed): pip install 'pulumi-flink[dev-cluster]'"
        )

    return click.Command(
        name,
        callback=fail,
        help="Not available: install pulumi-flink[dev-cluster].",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        add_help_option=False,
    )
