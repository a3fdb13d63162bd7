"""VVP documents the unit tests build on: small, stateless unless told otherwise."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]

SECRET_ENV = {
    "name": "KAFKA_PASSWORD",
    "valueFrom": {"secretKeyRef": {"name": "kafka-credentials", "key": "password"}},
}


def deployment(
    name: str = "orders",
    *,
    spec: Doc | None = None,
    artifact: Doc | None = None,
    jar_uri: str = "s3://jobs/orders.jar",
    **template: Any,
) -> Doc:
    """A Deployment: stateless (restore NONE) unless ``spec`` says otherwise."""
    return {
        "metadata": {"name": name},
        "spec": {
            "restoreStrategy": {"kind": "NONE"},
            **(spec or {}),
            "template": {
                "spec": {
                    "artifact": {
                        "jarUri": jar_uri,
                        "entryClass": "com.acme.Orders",
                        **(artifact or {}),
                    },
                    **template,
                }
            },
        },
    }


def target(name: str = "prod", namespace: str | None = "flink-jobs") -> Doc:
    """A DeploymentTarget with no patch set."""
    kubernetes = {"namespace": namespace} if namespace is not None else {}
    return {"metadata": {"name": name}, "spec": {"kubernetes": kubernetes}}


def session_cluster(name: str = "shared", *, target_name: str | None = "prod", **spec: Any) -> Doc:
    """A SessionCluster on ``target_name`` (none when ``None``)."""
    reference = {"deploymentTargetName": target_name} if target_name is not None else {}
    return {"kind": "SessionCluster", "metadata": {"name": name}, "spec": {**reference, **spec}}


def session_job(
    name: str = "clicks",
    *,
    cluster: str | None = "shared",
    spec: Doc | None = None,
    jar_uri: str = "https://repo.example.com/jobs/clicks.jar",
    **template: Any,
) -> Doc:
    """A stateless Deployment in session mode, running in ``cluster``."""
    reference = {"sessionClusterName": cluster} if cluster is not None else {}
    return {
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            **reference,
            "upgradeStrategy": {"kind": "STATELESS"},
            **(spec or {}),
            "template": {"spec": {"artifact": {"jarUri": jar_uri}, **template}},
        },
    }
