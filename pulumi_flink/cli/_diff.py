"""``pulumi-flink diff``."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import click

from pulumi_flink.cli._options import (
    blob_storage_option,
    engine_option,
    namespace_option,
    session_jar_schemes_option,
)
from pulumi_flink.cli._output import (
    OutputBudget,
    pluralize,
    print_diff,
    print_problems,
    print_summary,
)
from pulumi_flink.cli._render import session_engine_problems
from pulumi_flink.render.yaml import to_yaml
from pulumi_flink.vvp import (
    DocumentProblem,
    DocumentSource,
    PlacedDeployment,
    PlacedSessionCluster,
    VvpExport,
    read_vvp_export,
)
from pulumi_flink.vvp._documents import subject_of

SERVER_SET_METADATA = ("id", "createdAt", "modifiedAt", "resourceVersion")
"""Metadata VVP sets on every export; left out of the diff with ``status``."""

_Views = dict[str, dict[str, str]]
"""Resource label to file name (``effective-spec.yaml``, ``manifests.yaml``) to text."""

SESSION_CLUSTER_LABEL = "sessioncluster/"
"""Prefix of a SessionCluster's label in the diff (a Deployment's label is its name)."""


@click.command(short_help="Diff each Deployment between two versions.")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@engine_option
@namespace_option
@session_jar_schemes_option
@blob_storage_option
@click.pass_context
def diff(
    ctx: click.Context,
    old: Path,
    new: Path,
    engine: str,
    namespace: str,
    session_jar_schemes: tuple[str, ...],
    blob_storage: str | None,
) -> None:
    """Diff each Deployment and SessionCluster (effective spec and objects) between two versions.

    OLD and NEW are each a VVP export file or a directory of them (read as by
    `validate`), for example the base branch and the pull request:

    \b
      git worktree add /tmp/base origin/main
      pulumi-flink diff /tmp/base/vvp vvp

    For every Deployment that differs (matched by name) the output is a
    unified diff of its effective spec (after defaults and its target's
    patch set; status and server-set metadata left out) and of its rendered
    Kubernetes objects, labelled old/NAME/effective-spec.yaml,
    new/NAME/effective-spec.yaml, old/NAME/manifests.yaml and so on; a
    Deployment that is new or gone is diffed against /dev/null. A
    SessionCluster is labelled sessioncluster/NAME the same way. A summary
    line goes to stderr. The diff is coloured on a terminal and plain
    otherwise (NO_COLOR and FORCE_COLOR are honoured).

    Exit status, as diff(1): 0 when nothing differs, 1 when something does,
    2 when OLD or NEW has problems (printed on stderr as by `validate`).
    """  # noqa: D301 — click reads \b as "keep this paragraph as is"
    exports = tuple(
        read_vvp_export([files], allowed_jar_schemes=session_jar_schemes, blob_storage=blob_storage)
        for files in (old, new)
    )
    problems = [
        problem
        for export in exports
        for problem in (*export.problems, *session_engine_problems(export, engine))
    ]
    if problems:
        print_problems(problems)
        ctx.exit(2)
    views = [_views(export, engine, namespace) for export in exports]
    too_large = [view for view in views if isinstance(view, DocumentProblem)]
    if too_large:
        print_problems(too_large)
        ctx.exit(2)
    before, after = (view for view in views if not isinstance(view, DocumentProblem))
    names = [*after, *(name for name in before if name not in after)]
    differing = [name for name in names if before.get(name) != after.get(name)]
    for name in differing:
        for part in ("effective-spec.yaml", "manifests.yaml"):
            print_diff(_unified(name, part, before.get(name), after.get(name)))
    noun = (
        "resource"
        if any(name.startswith(SESSION_CLUSTER_LABEL) for name in names)
        else ("Deployment")
    )
    if not differing:
        print_summary(f"no differences in {pluralize(len(names), noun)}", ok=True, err=True)
        return
    print_summary(
        f"{len(differing)} of {pluralize(len(names), noun)} differ: {', '.join(differing)}",
        ok=False,
        err=True,
    )
    ctx.exit(1)


def _views(export: VvpExport, engine: str, namespace: str) -> _Views | DocumentProblem:
    """Each resource's texts, or the problem of an export whose render passes the limit."""
    placed: list[tuple[str, PlacedSessionCluster | PlacedDeployment, DocumentSource, str]] = [
        (
            f"{SESSION_CLUSTER_LABEL}{cluster.name}",
            cluster,
            cluster.cluster.source,
            subject_of("SessionCluster", cluster.name),
        )
        for cluster in export.session_clusters
    ]
    placed += [
        (
            placement.name,
            placement,
            placement.deployment.source,
            subject_of("Deployment", placement.name),
        )
        for placement in export.placements
    ]
    budget = OutputBudget()
    views: _Views = {}
    for label, resource, source, subject in placed:
        view = {
            "effective-spec.yaml": to_yaml(_without_server_fields(resource.effective_document)),
            "manifests.yaml": _manifests(resource, engine, namespace),
        }
        problem = budget.take("".join(view.values()), source, subject)
        if problem:
            return problem
        views[label] = view
    return views


def _without_server_fields(effective: dict[str, Any]) -> dict[str, Any]:
    """The effective document without what VVP changes on every export."""
    metadata = {k: v for k, v in effective["metadata"].items() if k not in SERVER_SET_METADATA}
    return {k: v for k, v in {**effective, "metadata": metadata}.items() if k != "status"}


def _manifests(
    placement: PlacedSessionCluster | PlacedDeployment, engine: str, namespace: str
) -> str:
    manifests = placement.render_manifests(engine=engine, default_namespace=namespace)
    return "".join(f"---\n{to_yaml(manifest)}" for manifest in manifests)


def _unified(
    name: str, part: str, before: dict[str, str] | None, after: dict[str, str] | None
) -> list[str]:
    return list(
        difflib.unified_diff(
            before[part].splitlines(keepends=True) if before else [],
            after[part].splitlines(keepends=True) if after else [],
            fromfile=f"old/{name}/{part}" if before else "/dev/null",
            tofile=f"new/{name}/{part}" if after else "/dev/null",
        )
    )
