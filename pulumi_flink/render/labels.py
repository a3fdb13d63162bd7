"""Every label pulumi-flink sets, and the annotations on the objects it renders.

One module, so "which labels do we set" has one answer: the workload objects
of a Deployment (:func:`workload_labels`), the namespace and platform RBAC of
a ``TargetNamespace`` and the registry's namespace (:func:`managed_labels`),
the registry's target records (:func:`record_labels`) and savepoint records
(:func:`savepoint_record_labels`). Values derived
from VVP names go through :func:`~pulumi_flink.render.naming.label_value`, as
label values stop at 63 characters. The registry's reference annotations are
its wire format and live with it (:mod:`pulumi_flink.registry._names`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from pulumi_flink.render.naming import label_value

DOMAIN = "pulumi-flink.dev"
"""Prefix of every label and annotation key pulumi-flink owns."""

LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
MANAGED_BY = "pulumi-flink"
LABEL_NAME = "app.kubernetes.io/name"
LABEL_INSTANCE = "app.kubernetes.io/instance"
LABEL_COMPONENT = "app.kubernetes.io/component"
LABEL_DEPLOYMENT = f"{DOMAIN}/deployment"
"""Label naming the VVP Deployment an object belongs to (hashed when too long)."""
LABEL_TARGET = f"{DOMAIN}/deployment-target"
"""Label naming the DeploymentTarget (hashed when too long)."""
ANNOTATION_DEPLOYMENT_NAME = f"{DOMAIN}/deployment-name"
"""The full VVP Deployment name, which a shortened object name or label hides."""
ANNOTATION_TARGET_NAME = f"{DOMAIN}/deployment-target-name"
"""The full DeploymentTarget name."""
ANNOTATION_DISPLAY_NAME = f"{DOMAIN}/display-name"
"""The Deployment's VVP ``metadata.displayName``."""
ANNOTATION_VVP_NAMESPACE = f"{DOMAIN}/vvp-namespace"
"""The VVP namespace the Deployment came from (provenance)."""
ANNOTATION_VVP_LABELS = f"{DOMAIN}/vvp-labels"
"""The Deployment's VVP ``metadata.labels``, as JSON."""
ANNOTATION_VVP_ANNOTATIONS = f"{DOMAIN}/vvp-annotations"
"""The Deployment's VVP ``metadata.annotations``, as JSON."""
LABEL_SESSION_CLUSTER = f"{DOMAIN}/session-cluster"
"""Label naming the SessionCluster of a session cluster's or session job's object."""
ANNOTATION_SESSION_CLUSTER_NAME = f"{DOMAIN}/session-cluster-name"
"""The full SessionCluster name."""

LABEL_RECORD = f"{DOMAIN}/record"
"""What kind of registry record a ConfigMap is."""
RECORD_KIND_TARGET = "deployment-target"
RECORD_KIND_SESSION_CLUSTER = "session-cluster"
"""A SessionCluster's record: jobs of any stack claim it as they claim a target."""
ANNOTATION_SESSION_CLUSTER = f"{DOMAIN}/session-cluster"
"""On a session cluster's record: its effective SessionCluster document (JSON)."""
RECORD_KIND_SAVEPOINT = "savepoint"
LABEL_NAMESPACE = f"{DOMAIN}/namespace"
"""The Kubernetes namespace a savepoint record is about."""
LABEL_TARGET_NAME_HASH = f"{DOMAIN}/target-name-hash"
LABEL_TARGET_ID = f"{DOMAIN}/target-id"


def managed_labels() -> dict[str, str]:
    """The label every object we create carries: managed by pulumi-flink."""
    return {LABEL_MANAGED_BY: MANAGED_BY}


def workload_selector_labels(workload_name: str, deployment_name: str) -> dict[str, str]:
    """Labels identifying one Deployment's objects; stable, so selectors may use them.

    >>> workload_selector_labels("orders", "orders")["pulumi-flink.dev/deployment"]
    'orders'
    """
    return {
        LABEL_NAME: "flink",
        LABEL_INSTANCE: workload_name,
        LABEL_DEPLOYMENT: label_value(deployment_name),
    }


def workload_labels(
    user_labels: Mapping[str, str],
    selector_labels: Mapping[str, str],
    target_name: str,
    component: str | None = None,
    session_cluster: str | None = None,
) -> dict[str, str]:
    """All labels of a workload object: the user's, then ours (ours win).

    ``session_cluster`` names the SessionCluster in session mode.
    """
    labels = {
        **user_labels,
        **selector_labels,
        LABEL_TARGET: label_value(target_name),
        **managed_labels(),
    }
    if session_cluster is not None:
        labels[LABEL_SESSION_CLUSTER] = label_value(session_cluster)
    if component:
        labels[LABEL_COMPONENT] = component
    return labels


def workload_annotations(
    deployment_name: str, target_name: str, session_cluster: str | None = None
) -> dict[str, str]:
    """The full names that shortened object names and label values hide."""
    annotations = {ANNOTATION_DEPLOYMENT_NAME: deployment_name, ANNOTATION_TARGET_NAME: target_name}
    if session_cluster is not None:
        annotations[ANNOTATION_SESSION_CLUSTER_NAME] = session_cluster
    return annotations


def record_selector(kind: str = RECORD_KIND_TARGET) -> dict[str, str]:
    """Label selector matching every record of ``kind`` (targets, session clusters)."""
    return {**managed_labels(), LABEL_RECORD: kind}


def provenance_annotations(
    *,
    display_name: str | None,
    vvp_namespace: str | None,
    vvp_labels: Mapping[str, str],
    vvp_annotations: Mapping[str, str],
) -> dict[str, str]:
    """What VVP's metadata says about a Deployment, kept on every object we render.

    VVP label and annotation keys need not be valid Kubernetes keys, so each
    map is one JSON annotation; empty ones are left out.

    >>> provenance_annotations(display_name="Orders", vvp_namespace="default",
    ...                        vvp_labels={"team": "data"}, vvp_annotations={})
    {'pulumi-flink.dev/display-name': 'Orders', 'pulumi-flink.dev/vvp-namespace': 'default', \
'pulumi-flink.dev/vvp-labels': '{"team":"data"}'}
    """
    annotations = {}
    if display_name is not None:
        annotations[ANNOTATION_DISPLAY_NAME] = display_name
    if vvp_namespace is not None:
        annotations[ANNOTATION_VVP_NAMESPACE] = vvp_namespace
    for key, values in (
        (ANNOTATION_VVP_LABELS, vvp_labels),
        (ANNOTATION_VVP_ANNOTATIONS, vvp_annotations),
    ):
        if values:
            annotations[key] = json.dumps(dict(values), sort_keys=True, separators=(",", ":"))
    return annotations


def record_labels(
    target_name_hash: str, target_id: str, kind: str = RECORD_KIND_TARGET
) -> dict[str, str]:
    """Labels of the record of one target (or session cluster), found by name hash or by id."""
    return {
        **record_selector(kind),
        LABEL_TARGET_NAME_HASH: target_name_hash,
        LABEL_TARGET_ID: target_id,
    }


def savepoint_record_labels(
    namespace: str, workload_name: str, deployment_name: str
) -> dict[str, str]:
    """Labels of the registry's record of the savepoint a stopped Deployment left.

    >>> savepoint_record_labels("jobs", "orders", "orders")["pulumi-flink.dev/record"]
    'savepoint'
    """
    return {
        **managed_labels(),
        LABEL_RECORD: RECORD_KIND_SAVEPOINT,
        LABEL_NAMESPACE: namespace,
        LABEL_INSTANCE: workload_name,
        LABEL_DEPLOYMENT: label_value(deployment_name),
    }
