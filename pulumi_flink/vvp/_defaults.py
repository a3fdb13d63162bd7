"""Platform defaults merged into the Deployments read, VVP's way.

DeploymentDefaults read with them, and the state directories of VVP's blob
storage (:mod:`pulumi_flink.blob_storage`).
"""

from __future__ import annotations

from typing import Any

from pulumi_flink.blob_storage import with_blob_storage
from pulumi_flink.errors import PulumiFlinkError
from pulumi_flink.model import Deployment
from pulumi_flink.model.defaults import (
    DeploymentDefaults,
    defaults_spec,
    vvp_namespace,
    with_defaults_spec,
)
from pulumi_flink.validation import parse_model, session_mode_defaults
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
    # Checked once, when read (parse_defaults), not again per Deployment (that was quadratic).
    defaults = [d.model for d in documents if isinstance(d.model, DeploymentDefaults)]
    if not defaults:
        return documents
    by_mode = {False: defaults, True: session_mode_defaults(defaults)}
    # Merged once per VVP namespace and mode: once per Deployment was quadratic.
    specs: dict[tuple[str, bool], dict[str, Any] | None] = {}
    applied: list[AnyVvpDocument] = []
    for document in documents:
        if isinstance(document.model, Deployment):
            key = (
                vvp_namespace(document.model.metadata),
                document.model.spec.session_cluster_name is not None,
            )
            if key not in specs:
                specs[key] = defaults_spec(by_mode[key[1]], key[0])
            try:
                written = with_defaults_spec(document.model, specs[key])
                model = document.model if written is None else parse_model(Deployment, written)
            except PulumiFlinkError as error:
                subject = f"{subject_of('Deployment', document.name)} (with its DeploymentDefaults)"
                problems.extend(problems_of_error(error, document.source, subject))
                continue
            document = VvpDocument(document.source, model, document.inferred_kind)
        applied.append(document)
    return applied


def with_blob_storage_applied(
    documents: list[AnyVvpDocument], base_uri: str | None
) -> list[AnyVvpDocument]:
    """The documents, each application-mode Deployment given the state directories it lacks.

    See :func:`~pulumi_flink.blob_storage.with_blob_storage`; the documents as
    they are when ``base_uri`` is ``None``. Only the fields the Deployment
    wrote are read back, so what it leaves to the model's defaults stays unset.
    """
    if base_uri is None:
        return documents
    applied: list[AnyVvpDocument] = []
    for document in documents:
        if isinstance(document.model, Deployment):
            written = document.model.model_dump(mode="json", by_alias=True, exclude_unset=True)
            # Filling keys of a valid configuration with URIs keeps it valid.
            model = parse_model(Deployment, with_blob_storage(written, base_uri))
            document = VvpDocument(document.source, model, document.inferred_kind)
        applied.append(document)
    return applied
