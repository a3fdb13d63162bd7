"""``pulumi-flink validate``."""

from __future__ import annotations

from pathlib import Path

import click

from pulumi_flink.cli._options import (
    blob_storage_option,
    engine_option,
    files_argument,
    kind_option,
    secret_value_option,
    session_jar_schemes_option,
)
from pulumi_flink.cli._output import pluralize, print_problems, print_summary, print_warnings
from pulumi_flink.cli._render import engine_problems
from pulumi_flink.secrets import SecretKeyRef
from pulumi_flink.vvp import read_vvp_export


@click.command(short_help="Check VVP files and report every problem.")
@files_argument
@kind_option
@engine_option
@session_jar_schemes_option
@secret_value_option
@blob_storage_option
@click.pass_context
def validate(
    ctx: click.Context,
    files: tuple[Path, ...],
    kind: str | None,
    engine: str,
    session_jar_schemes: tuple[str, ...],
    secret_values: dict[str, SecretKeyRef],
    blob_storage: str | None,
) -> None:
    """Check VVP DeploymentTargets, SessionClusters, Deployments, Savepoints; report problems.

    FILE is a VVP export: YAML (several documents separated by ---) or JSON,
    DeploymentTarget, SessionCluster, Deployment and Savepoint documents or
    VVP's DeploymentTargetList, SessionClusterList, DeploymentList and
    SavepointList; a directory
    stands for its *.json, *.yaml and *.yml files in name order. All FILEs
    are checked together: each target's fields and patch set, each
    SessionCluster and Deployment after its target's patch set, and each
    Deployment in session mode (spec.sessionClusterName) against its
    SessionCluster. A Deployment's target or session cluster, and a
    Savepoint's Deployment (metadata.deploymentId), must be among the FILEs
    (when the FILEs hold none of that kind at all, a warning instead: a
    Deployment on its own runs on a stand-in target of the name it gives),
    and names must be unique per kind.

    The check is the one `render` makes for --engine (default: operator, as
    for `render`): session mode needs the operator engine, and a secret value
    (${name} in flinkConfiguration or jarUri) the engine cannot keep out of
    its objects is a problem naming the key and the engine. Run it once per
    engine you deploy with.

    Documents of VVP kinds we do not deploy (Job, Event, Namespace,
    ApiToken, ...) and Kubernetes objects are skipped with a warning; a
    VvpDeployment custom resource is read as the Deployment it holds.

    \b
    Each problem is one line on stderr:
      FILE: document N: KIND 'NAME': FIELD: REASON
    N counts from 0 (item M is added inside a list document). FIELD is a
    dotted VVP path such as spec.template.spec.parallelism; a patch set
    problem names the operation, as in spec.deploymentPatchSet[1] (add /PATH).
    Warnings (valid, but not carried over as written: a VVP-only setting
    translated or dropped, a kind inferred from the shape) are lines of the
    same form starting with "warning: "; they do not change the exit status.
    A summary line follows on stdout.

    Exit status: 0 when everything is valid, 1 otherwise.
    """  # noqa: D301 — click reads \b as "keep this paragraph as is"
    export = read_vvp_export(
        files, kind=kind, allowed_jar_schemes=session_jar_schemes, blob_storage=blob_storage
    )
    print_warnings(export.warnings)
    problems = engine_problems(export, engine, {**export.secret_values, **secret_values})
    print_problems(problems)
    if problems:
        print_summary(f"invalid: {pluralize(len(problems), 'problem')}", ok=False)
        ctx.exit(1)
    counts = [pluralize(len(export.targets), "DeploymentTarget")]
    if export.session_clusters:
        counts.append(pluralize(len(export.session_clusters), "SessionCluster"))
    counts.append(pluralize(len(export.placements), "Deployment"))
    if export.savepoints:
        counts.append(pluralize(len(export.savepoints), "Savepoint"))
    print_summary(f"valid: {', '.join(counts)}", ok=True)
