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

from pulumi_flink.limits import MAX_RENDER_OUTPUT
from pulumi_flink.vvp import DocumentProblem, DocumentSource

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


class OutputBudget:
    """Rendered text, held until the whole input is rendered within :data:`MAX_RENDER_OUTPUT`.

    Rendering stops at the first resource whose text crosses the limit, so
    time and memory stay bounded, and nothing is printed of an input that
    does not fit.

    Examples
    --------
    >>> budget = OutputBudget(limit=10)
    >>> budget.take("0123456789", DocumentSource("a.yaml", 0), "Deployment 'a'") is None
    True
    >>> print(budget.take("x", DocumentSource("a.yaml", 1), "Deployment 'b'"))
    ... # doctest: +NORMALIZE_WHITESPACE
    a.yaml: document 1: Deployment 'b': the rendered output passes the limit of 10
    characters here (MAX_RENDER_OUTPUT, see the README, "Limits"): render fewer
    documents at a time
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_RENDER_OUTPUT if limit is None else limit
        self.used = 0
        self.chunks: list[str] = []

    def take(self, text: str, source: DocumentSource, subject: str) -> DocumentProblem | None:
        """Keep ``text`` (a resource's), or the problem naming the limit if it does not fit."""
        self.used += len(text)
        if self.used > self.limit:
            return DocumentProblem(
                source,
                subject,
                None,
                f"the rendered output passes the limit of {self.limit:,} characters here "
                '(MAX_RENDER_OUTPUT, see the README, "Limits"): render fewer documents at a time',
            )
        self.chunks.append(text)
        return None
