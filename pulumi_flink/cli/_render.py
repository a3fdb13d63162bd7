"""``pulumi-flink render``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from pulumi_flink.cli._options import (
    blob_storage_option,
    engine_option,
    files_argument,
    kind_option,
    namespace_option,
    secret_value_option,
    session_jar_schemes_option,
)
from pulumi_flink.cli._output import OutputBudget, print_problems, print_warnings
from pulumi_flink.errors import SpecValidationError, UnsupportedEngineError
from pulumi_flink.render import SESSION_MODE, pod_part_problems
from pulumi_flink.render.session import session_secret_delivery
from pulumi_flink.render.yaml import to_yaml
from pulumi_flink.secrets import SecretKeyRef, secret_delivery
from pulumi_flink.vvp import DocumentProblem, DocumentSource, VvpExport, read_vvp_export
from pulumi_flink.vvp._documents import problems_of_error, subject_of


@click.command(short_help="Print the Kubernetes objects of each Deployment.")
@files_argument
@kind_option
@engine_option
@namespace_option
@session_jar_schemes_option
@secret_value_option
@blob_storage_option
@click.pass_context
def render(
    ctx: click.Context,
    files: tuple[Path, ...],
    kind: str | None,
    engine: str,
    namespace: str,
    session_jar_schemes: tuple[str, ...],
    secret_values: dict[str, SecretKeyRef],
    blob_storage: str | None,
) -> None:
    """Print the Kubernetes objects of each SessionCluster and Deployment, like `helm template`.

    FILEs are read and checked as by `validate`. The renderer is the one the
    Deployment component uses, so this is exactly what `pulumi up` creates
    (plus the readiness annotations the component adds when it waits).

    Output is YAML on stdout: one document per object, each starting with
    `---` and a comment naming the resource, where it runs and its source;
    SessionClusters first, then Deployments, each in the order of the FILEs,
    each one's objects in apply order, then its completed VVP Savepoints as
    FlinkStateSnapshots that adopt them (alreadyExists, disposeOnDelete
    false), oldest first. Session mode needs --engine operator.
    Pipe it to `kubectl apply --dry-run=server -f -` to check it against a
    cluster.

    Exit status: 0, or 1 when the FILEs have problems (printed on stderr as
    by `validate`; then nothing is rendered).
    """
    export = read_vvp_export(
        files, kind=kind, allowed_jar_schemes=session_jar_schemes, blob_storage=blob_storage
    )
    print_warnings(export.warnings)
    secret_values = {**export.secret_values, **secret_values}
    problems = engine_problems(export, engine, secret_values)
    if problems:
        print_problems(problems)
        ctx.exit(1)
    budget = OutputBudget()
    for source, subject, text in _rendered(export, engine, namespace, secret_values):
        problem = budget.take(text, source, subject)
        if problem:
            print_problems([problem])
            ctx.exit(1)
    for chunk in budget.chunks:
        click.echo(chunk, nl=False)


def _rendered(
    export: VvpExport, engine: str, namespace: str, secret_values: Mapping[str, SecretKeyRef]
) -> Iterator[tuple[DocumentSource, str, str]]:
    """Each resource's source, subject and YAML, rendered one at a time, in output order."""
    for cluster in export.session_clusters:
        comment = (
            f"# SessionCluster {cluster.name!r} on DeploymentTarget {cluster.target.name!r}"
            f" ({cluster.cluster.source})"
        )
        manifests = cluster.render_manifests(
            engine=engine, default_namespace=namespace, secret_values=secret_values
        )
        subject = subject_of("SessionCluster", cluster.name)
        yield cluster.cluster.source, subject, _documents(comment, manifests)
    for placement in export.placements:
        where = f"on DeploymentTarget {placement.target.name!r}"
        if placement.session_cluster is not None:
            where = f"in SessionCluster {placement.session_cluster.name!r} {where}"
        comment = f"# Deployment {placement.name!r} {where} ({placement.deployment.source})"
        manifests = [
            *placement.render_manifests(
                engine=engine, default_namespace=namespace, secret_values=secret_values
            ),
            *placement.render_savepoints(default_namespace=namespace),
        ]
        subject = subject_of("Deployment", placement.name)
        yield placement.deployment.source, subject, _documents(comment, manifests)


def _documents(comment: str, manifests: Sequence[Mapping[str, Any]]) -> str:
    """One resource's objects as YAML documents, each headed by ``comment``."""
    return "".join(f"---\n{comment}\n{to_yaml(manifest)}" for manifest in manifests)


def engine_problems(
    export: VvpExport, engine: str, secret_values: Mapping[str, SecretKeyRef]
) -> list[DocumentProblem]:
    """The export's problems, then what ``engine`` cannot run or deliver, in that order.

    What ``validate --engine`` reports and what stops ``render``: session mode
    on an engine without it, secret values the engine cannot keep out of
    its objects (:func:`secret_problems`), and pod parts that collide with
    the engine's (:func:`pod_problems`).
    """
    return [
        *export.problems,
        *session_engine_problems(export, engine),
        *secret_problems(export, engine, secret_values),
        *pod_problems(export, engine, secret_values),
    ]


def pod_problems(
    export: VvpExport, engine: str, secret_values: Mapping[str, SecretKeyRef]
) -> list[DocumentProblem]:
    """The Deployments' pod parts that collide with the ones ``engine`` adds.

    What ``render`` refuses while rendering, found without rendering, for
    ``validate``. Deployments whose secret values the engine cannot deliver
    are left to :func:`secret_problems`.
    """
    problems = []
    for placement in export.placements:
        if placement.session_cluster is not None:
            continue  # a session job has no pods of its own
        try:
            secrets = secret_delivery(placement.effective, secret_values, engine)
        except SpecValidationError:
            continue
        for field, reason in pod_part_problems(placement.effective, engine, secrets):
            source = placement.deployment.source
            subject = subject_of("Deployment", placement.name)
            problems.append(DocumentProblem(source, subject, field, reason))
    return problems


def session_engine_problems(export: VvpExport, engine: str) -> list[DocumentProblem]:
    """One problem per SessionCluster and session-mode Deployment an engine cannot run."""
    if engine == "operator":
        return []
    reason = str(UnsupportedEngineError(engine, SESSION_MODE))
    subjects = [
        (cluster.cluster.source, subject_of("SessionCluster", cluster.name))
        for cluster in export.session_clusters
    ] + [
        (placement.deployment.source, subject_of("Deployment", placement.name))
        for placement in export.placements
        if placement.session_cluster is not None
    ]
    return [DocumentProblem(source, subject, None, reason) for source, subject in subjects]


def secret_problems(
    export: VvpExport, engine: str, secret_values: Mapping[str, SecretKeyRef]
) -> list[DocumentProblem]:
    """The secret values each Deployment references that ``engine`` cannot deliver safely."""
    problems = []
    for cluster in export.session_clusters:
        try:
            session_secret_delivery(cluster.effective, secret_values)
        except SpecValidationError as error:
            problems += problems_of_error(
                error, cluster.cluster.source, subject_of("SessionCluster", cluster.name)
            )
    for placement in export.placements:
        try:
            secret_delivery(placement.effective, secret_values, engine)
        except SpecValidationError as error:
            problems += problems_of_error(
                error, placement.deployment.source, subject_of("Deployment", placement.name)
            )
    return problems
