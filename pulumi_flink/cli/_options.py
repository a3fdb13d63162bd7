"""Arguments and options shared by the commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from pulumi_flink.blob_storage import blob_storage_problem
from pulumi_flink.errors import SpecValidationError
from pulumi_flink.model.names import namespace_problem
from pulumi_flink.render import ENGINES
from pulumi_flink.secrets import SecretKeyRef
from pulumi_flink.validation import DEFAULT_SESSION_JAR_SCHEMES
from pulumi_flink.vvp._reading import KINDS

files_argument = click.argument(
    "files",
    metavar="FILE...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
"""VVP export files or directories (their *.json, *.yaml, *.yml files)."""

engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="operator",
    show_default=True,
    help="operator: a FlinkDeployment for the Flink Kubernetes Operator; "
    "standalone: plain JobManager/TaskManager Deployments.",
)


def _checked_by(
    problem_of: Callable[[str], str | None],
) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """An option callback refusing a given value that ``problem_of`` finds a problem with."""

    def check(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        problem = None if value is None else problem_of(value)
        if problem:
            raise click.BadParameter(problem)
        return value

    return check


namespace_option = click.option(
    "--namespace",
    default="default",
    show_default=True,
    callback=_checked_by(namespace_problem),
    help="Kubernetes namespace for Deployments whose target sets none.",
)


kind_option = click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Kind of the documents that name none (REST request bodies; VVP's Helm "
    "value globalDeploymentDefaults is a GlobalDeploymentDefaults); unset, it is "
    "inferred from their shape and a warning says so.",
)
"""The kind of kindless documents."""


def _schemes(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    schemes = tuple(scheme.strip().lower() for scheme in value.split(",") if scheme.strip())
    if not schemes:
        raise click.BadParameter("name at least one URI scheme, e.g. https")
    return schemes


session_jar_schemes_option = click.option(
    "--session-jar-schemes",
    "session_jar_schemes",
    default=",".join(DEFAULT_SESSION_JAR_SCHEMES),
    show_default=True,
    callback=_schemes,
    metavar="SCHEME,...",
    help="URI schemes the Flink operator fetches session jobs' jars from: its "
    "kubernetes.operator.user.artifacts.allowed-schemes (https by default since 1.15).",
)


def _secret_values(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, SecretKeyRef]:
    found = {}
    for value in values:
        name, _, reference = value.partition("=")
        secret, _, key = reference.partition("/")
        if not (name and secret and key):
            raise click.BadParameter(f"{value!r}: write NAME=SECRET/KEY")
        try:
            found[name] = SecretKeyRef(secret, key)
        except SpecValidationError as error:
            raise click.BadParameter(f"{value!r}: {error.problems[0].reason}") from None
    return found


secret_value_option = click.option(
    "--secret-value",
    "secret_values",
    multiple=True,
    metavar="NAME=SECRET/KEY",
    callback=_secret_values,
    help="A VVP Secret Value: ${NAME} in flinkConfiguration is the key KEY of the "
    "Kubernetes Secret SECRET (only the reference is rendered). Repeatable.",
)
"""VVP Secret Values as Kubernetes Secret keys."""


blob_storage_option = click.option(
    "--blob-storage",
    "blob_storage",
    metavar="URI",
    default=None,
    callback=_checked_by(blob_storage_problem),
    help="VVP's blob storage base URI (its Helm value vvp.blobStorage.baseUri, e.g. "
    "s3://my-bucket/vvp): each Deployment gets the checkpoint, savepoint and HA "
    "directories it does not set, where VVP put them: "
    "URI/flink-jobs/namespaces/NS/deployments/ID/{checkpoints,savepoints,ha}.",
)
"""VVP's Universal Blob Storage, which fills the state directories."""
