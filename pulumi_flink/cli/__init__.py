"""``pulumi-flink``: validate, render and diff VVP resources offline; run a dev cluster.

Run ``pulumi-flink --help`` (or ``pulumi-flink COMMAND --help``) for the
details of each command. Nothing here imports Pulumi, so the CLI starts fast.
"""

from pulumi_flink.cli._main import main

__all__ = ["main"]
