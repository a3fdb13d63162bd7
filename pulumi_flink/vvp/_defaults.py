"""DeploymentDefaults read with the Deployments: merged into each one, VVP's way."""

from __future__ import annotations

from pulumi_flink.errors import PulumiFlinkError
from pulumi_flink.model import Deployment
from pulumi_flink.model.defaults import DeploymentDefaults
from pulumi_flink.validation import apply_deployment_defaults, session_mode_defaults
from pulumi_flink.vvp._documents import (
    AnyVvpDocument,
    DocumentProblem,
    VvpDocument,
    problems_of_error,
    subject_of,
)


def with_defaults_applied(
    documents: list[AnyVvpDocument], problems: list[DocumentProblem]
) -> list[AnyVvpDocument]:
    """The documents, each Deployment with the DeploymentDefaults among them merged in.

    Global defaults first, then those of the Deployment's VVP namespace, then
    the Deployment's own values (see :mod:`pulumi_flink.model.defaults`); a
    Deployment in session mode takes their job-level fields only
    (:func:`~pulumi_flink.validation.session_mode_defaults`). A Deployment
    the merge makes invalid is dropped, with its problems.
    """
    defaults = [d.model for d in documents if isinstance(d.model, DeploymentDefaults)]
    if not defaults:
        return documents
    applied: list[AnyVvpDocument] = []
    for document in documents:
        if isinstance(document.model, Deployment):
            session_mode = document.model.spec.session_cluster_name is not None
            try:
                model = apply_deployment_defaults(
                    document.model, session_mode_defaults(defaults) if session_mode else defaults
                )
            except PulumiFlinkError as error:
                subject = f"{subject_of('Deployment', document.name)} (with its DeploymentDefaults)"
                problems.extend(problems_of_error(error, document.source, subject))
                continue
            document = VvpDocument(document.source, model, document.inferred_kind)
        applied.append(document)
    return applied
