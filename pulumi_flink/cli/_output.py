"""What the CLI prints: YAML, problems, summaries and coloured diffs.

Output is stable for CI logs: YAML in block style without anchors, keys in
the renderer's order, no line wrapping; colour only on a terminal (rich
honours ``NO_COLOR`` and ``FORCE_COLOR``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import click
from rich.console import Console
from rich.text import Text

from pulumi_flink.vvp import DocumentProblem

_DIFF_STYLES = {"@": "cyan", "+": "green", "-": "red"}
"""Style of a unified diff's line by its first character (after the two header lines)."""


def pluralize(count: int, noun: str) -> str:
    """``1 file``, ``2 files``.

    >>> pluralize(1, "problem"), pluralize(0, "Deployment")
    ('1 problem', '0 Deployments')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_problems(problems: Iterable[DocumentProblem]) -> None:
    """One line per problem on stderr, in the order given."""
    for problem in problems:
        click.echo(str(problem), err=True)


def print_warnings(warnings: Iterable[DocumentProblem]) -> None:
    """One line per warning on stderr, each starting with ``warning:``."""
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


def print_summary(message: str, *, ok: bool, err: bool = False) -> None:
    """A closing line, green or red on a terminal."""
    Console(stderr=err, highlight=False, soft_wrap=True).print(
        Text(message, style="green" if ok else "red")
    )


def print_diff(lines: Sequence[str]) -> None:
    """One file's unified diff on stdout, coloured on a terminal."""
    console = Console(highlight=False, soft_wrap=True)
    for number, line in enumerate(lines):
        style = "bold" if number < 2 else _DIFF_STYLES.get(line[:1], "")
        console.print(Text(line.rstrip("\n"), style=style))
