"""Every rendered FlinkDeployment validates against the operator's own CRD schema.

The schema is the ``openAPIV3Schema`` of
``../shared/reference/crds/flinkdeployments.flink.apache.org-v1.yml``
(relative to the repository root), unmodified upstream data. The API server
silently *prunes* fields a structural schema does not know, so the check here
is stricter than the plain schema: an object schema with ``properties`` and no
``additionalProperties`` rejects unknown fields instead of ignoring them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pulumi_flink import (
    render_manifests,
    render_session_cluster_manifests,
    render_session_job_manifests,
)
from pulumi_flink.model.versions import SUPPORTED_FLINK_VERSIONS, operator_flink_version
from tests.reference import FLINK_DEPLOYMENT_CRD, FLINK_SESSION_JOB_CRD, crd_errors, crd_version
from tests.unit.documents import session_cluster, session_job

Doc = dict[str, Any]

CRD_PATH = FLINK_DEPLOYMENT_CRD

SECRET_ENV = {
    "name": "KAFKA_PASSWORD",
    "valueFrom": {"secretKeyRef": {"name": "kafka-credentials", "key": "password"}},
}


def _crd_version() -> Doc:
    return crd_version(CRD_PATH)


def _errors(manifest: Doc) -> list[str]:
    return crd_errors(manifest, CRD_PATH)


def _deployment(
    name: str = "orders",
    *,
    spec: Doc | None = None,
    artifact: Doc | None = None,
    **template: Any,
) -> Doc:
    return {
        "metadata": {"name": name},
        "spec": {
            **(spec or {}),
            "template": {
                "spec": {
                    "artifact": {
                        "jarUri": "s3://jobs/orders.jar",
                        "entryClass": "com.acme.Orders",
                        **(artifact or {}),
                    },
                    "flinkConfiguration": {
                        "state.checkpoints.dir": "s3://ckpt/orders",
                        "state.savepoints.dir": "s3://savepoints/orders",
                    },
                    **template,
                }
            },
        },
    }


def _flink_deployment(deployment: Doc) -> Doc:
    target = {"metadata": {"name": "prod"}, "spec": {"kubernetes": {"namespace": "flink-jobs"}}}
    [manifest] = [
        m
        for m in render_manifests(deployment, target, engine="operator")
        if m["kind"] == "FlinkDeployment"
    ]
    return manifest


REALISTIC_DEPLOYMENTS: dict[str, Doc] = {
    "minimal": _deployment(),
    "main-args-and-resources": _deployment(
        artifact={"mainArgs": "--window 10 --name 'orders by region'", "flinkVersion": "1.19"},
        parallelism=4,
        numberOfTaskManagers=2,
        resources={
            "jobmanager": {"cpu": 0.5, "memory": "1500m"},
            "taskmanager": {"cpu": 2, "memory": "4Gi"},
        },
        flinkConfiguration={
            "state.checkpoints.dir": "s3://ckpt/orders",
            "taskmanager.numberOfTaskSlots": 2,
            "execution.checkpointing.interval": "30 s",
        },
        logging={"log4jLoggers": {"": "WARN", "org.apache.kafka": "ERROR"}},
    ),
    "custom-image": _deployment(
        artifact={
            "flinkImageRegistry": "registry.acme.io",
            "flinkImageRepository": "platform/flink",
            "flinkImageTag": "1.20.1-java17",
        }
    ),
    "pods-settings-with-secrets": _deployment(
        kubernetes={
            "labels": {"team": "payments"},
            "pods": {
                "annotations": {"prometheus.io/scrape": "true"},
                "labels": {"tier": "streaming"},
                "nodeSelector": {"pool": "flink"},
                "tolerations": [
                    {
                        "key": "dedicated",
                        "operator": "Equal",
                        "value": "flink",
                        "effect": "NoSchedule",
                    }
                ],
                "affinity": {
                    "podAntiAffinity": {
                        "preferredDuringSchedulingIgnoredDuringExecution": [
                            {
                                "weight": 100,
                                "podAffinityTerm": {
                                    "topologyKey": "kubernetes.io/hostname",
                                    "labelSelector": {
                                        "matchLabels": {"app.kubernetes.io/name": "flink"}
                                    },
                                },
                            }
                        ]
                    }
                },
                "securityContext": {"runAsUser": 9999, "runAsGroup": 9999, "fsGroup": 9999},
                "volumeMounts": [
                    {
                        "name": "truststore",
                        "volume": {"secret": {"secretName": "kafka-truststore"}},
                        "volumeMount": {"mountPath": "/etc/kafka/ssl", "readOnly": True},
                    },
                    {
                        "name": "scratch",
                        "volume": {"emptyDir": {"sizeLimit": "1Gi"}},
                        "volumeMount": {"mountPath": "/tmp/flink"},
                    },
                ],
                "envVars": [{"name": "REGION", "value": "eu-west-1"}, SECRET_ENV],
                "imagePullSecrets": [{"name": "registry-acme"}],
            },
        }
    ),
    "pod-templates": _deployment(
        kubernetes={
            "jobManagerPodTemplate": {
                "metadata": {"annotations": {"sidecar.istio.io/inject": "false"}},
                "spec": {
                    "initContainers": [
                        {
                            "name": "fetch-jar",
                            "image": "busybox:1.36",
                            "command": ["wget", "-O", "/opt/flink/usrlib/orders.jar", "http://x"],
                            "volumeMounts": [{"name": "usrlib", "mountPath": "/opt/flink/usrlib"}],
                        }
                    ],
                    "containers": [
                        {
                            "name": "flink-jobmanager",
                            "volumeMounts": [{"name": "usrlib", "mountPath": "/opt/flink/usrlib"}],
                            "ports": [{"name": "metrics", "containerPort": 9249}],
                        }
                    ],
                    "volumes": [{"name": "usrlib", "emptyDir": {}}],
                },
            },
            "taskManagerPodTemplate": {
                "spec": {
                    "containers": [
                        {
                            "name": "flink-taskmanager",
                            "resources": {"limits": {"ephemeral-storage": "2Gi"}},
                        },
                        {"name": "log-shipper", "image": "fluent/fluent-bit:3.0"},
                    ]
                }
            },
        }
    ),
    "long-name": _deployment("customer-orders-enrichment-with-fraud-scoring-and-alerts-v2"),
    "leading-digit": _deployment("1-click-checkout"),
    "template-annotations": {
        **_deployment(),
        "spec": {
            **_deployment()["spec"],
            "template": {
                **_deployment()["spec"]["template"],
                "metadata": {"annotations": {"owner": "payments"}},
            },
        },
    },
}


def _artifact_only(artifact: Doc, annotations: Doc | None = None) -> Doc:
    deployment = _deployment()
    template = deployment["spec"]["template"]
    template["spec"]["artifact"] = artifact
    if annotations:
        template["metadata"] = {"annotations": annotations}
    return deployment


SQL_SCRIPT = "SET 'pipeline.name' = 'totals';\nINSERT INTO totals SELECT * FROM orders;\n"
REALISTIC_DEPLOYMENTS.update(
    {
        "jar-with-dependencies-fetched-by-flink": _deployment(
            artifact={"additionalDependencies": ["s3://jars/kafka.jar", "http://repo/udf.jar"]}
        ),
        "jar-with-dependencies-before-1.19": _deployment(
            artifact={
                "jarUri": "https://repo/orders.jar",
                "flinkVersion": "1.16",
                "additionalDependencies": ["local:///opt/connectors/kafka.jar"],
            }
        ),
        "python-file": _artifact_only(
            {
                "kind": "PYTHON",
                "pythonArtifactUri": "local:///opt/flink/usrlib/orders.py",
                "mainArgs": "--window 10",
            }
        ),
        "python-module": _artifact_only(
            {
                "kind": "PYTHON",
                "pythonArtifactUri": "https://repo/orders.zip",
                "entryModule": "orders.main",
                "additionalPythonArchives": ["https://repo/venv.zip"],
                "additionalDependencies": ["https://repo/kafka.jar"],
                "flinkVersion": "1.17",
            }
        ),
        "sql-script-flink-2": _artifact_only(
            {
                "kind": "SQLSCRIPT",
                "sqlScript": SQL_SCRIPT,
                "flinkVersion": "2.0",
                "additionalDependencies": ["s3://jars/kafka.jar"],
            }
        ),
        "sql-script-with-runner": _artifact_only(
            {"kind": "SQLSCRIPT", "sqlScript": SQL_SCRIPT, "flinkVersion": "1.18"},
            {"pulumi-flink.dev/sql-runner-jar-uri": "local:///opt/flink/usrlib/sql-runner.jar"},
        ),
    }
)

STRATEGIES = [
    (upgrade, restore, state)
    for upgrade in ("STATEFUL", "STATELESS", "NONE")
    for restore in ("LATEST_STATE", "LATEST_SAVEPOINT", "NONE")
    for state in ("RUNNING", "SUSPENDED", "CANCELLED")
]


@pytest.mark.parametrize("case", REALISTIC_DEPLOYMENTS)
def test_rendered_flink_deployment_matches_the_crd_schema(case: str) -> None:
    assert _errors(_flink_deployment(REALISTIC_DEPLOYMENTS[case])) == []


@pytest.mark.parametrize(("upgrade", "restore", "state"), STRATEGIES)
def test_every_strategy_and_state_matches_the_crd_schema(
    upgrade: str, restore: str, state: str
) -> None:
    deployment = _deployment(
        spec={
            "state": state,
            "upgradeStrategy": {"kind": upgrade},
            "restoreStrategy": {"kind": restore, "allowNonRestoredState": True},
        }
    )

    assert _errors(_flink_deployment(deployment)) == []


@pytest.mark.parametrize("version", SUPPORTED_FLINK_VERSIONS)
def test_every_supported_flink_version_matches_the_crd_schema(version: str) -> None:
    # https works on every version: Flink fetches it from 1.19, our init container before.
    artifact = {
        "flinkVersion": version,
        "jarUri": "https://repo.acme.io/orders.jar",
        "additionalDependencies": ["https://repo.acme.io/kafka.jar"],
    }
    assert _errors(_flink_deployment(_deployment(artifact=artifact))) == []


def test_supported_flink_versions_are_exactly_the_crds_flink_version_enum() -> None:
    enum = _crd_version()["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"][
        "flinkVersion"
    ]["enum"]

    assert [operator_flink_version(v) for v in SUPPORTED_FLINK_VERSIONS] == enum


# The strict check must be able to fail, or the tests above prove nothing.


def test_strict_schema_rejects_a_field_the_api_server_would_prune() -> None:
    manifest = _flink_deployment(_deployment())
    manifest["spec"]["job"]["jarUri"] = "s3://misspelled.jar"

    assert _errors(manifest) == [
        "spec/job: Additional properties are not allowed ('jarUri' was unexpected)"
    ]


def test_strict_schema_rejects_a_wrong_type() -> None:
    manifest = _flink_deployment(_deployment())
    manifest["spec"]["job"]["parallelism"] = "2"

    assert _errors(manifest) == ["spec/job/parallelism: '2' is not of type 'integer'"]


def test_strict_schema_rejects_an_unknown_upgrade_mode() -> None:
    manifest = _flink_deployment(_deployment())
    manifest["spec"]["job"]["upgradeMode"] = "cancelled"

    assert len(_errors(manifest)) == 1


@pytest.mark.parametrize("case", REALISTIC_DEPLOYMENTS)
def test_rendered_flink_deployment_name_is_one_the_operator_accepts(case: str) -> None:
    # The operator's validator, not the CRD schema, enforces this pattern.
    name = _flink_deployment(REALISTIC_DEPLOYMENTS[case])["metadata"]["name"]

    assert re.fullmatch(r"[a-z]([-a-z0-9]{0,43}[a-z0-9])?", name), name


SESSION_TARGET = {"metadata": {"name": "prod"}, "spec": {"kubernetes": {"namespace": "flink-jobs"}}}


@pytest.mark.parametrize(
    "job",
    [
        session_job(),
        session_job(
            spec={"state": "SUSPENDED", "restoreStrategy": {"allowNonRestoredState": True}},
            parallelism=2,
            flinkConfiguration={"pipeline.name": "clicks", "parallelism.default": 2},
        ),
    ],
    ids=["minimal", "suspended-with-configuration"],
)
def test_rendered_flink_session_job_matches_the_official_crd_schema(job: Doc) -> None:
    cluster = session_cluster(
        numberOfTaskManagers=2, flinkConfiguration={"taskmanager.numberOfTaskSlots": 2}
    )

    [manifest] = render_session_job_manifests(job, cluster, SESSION_TARGET)

    assert crd_errors(manifest, FLINK_SESSION_JOB_CRD) == []


def test_rendered_session_cluster_matches_the_flink_deployment_crd_schema() -> None:
    cluster = session_cluster(
        kubernetes={"pods": {"envVars": [SECRET_ENV], "nodeSelector": {"pool": "flink"}}}
    )

    manifest = render_session_cluster_manifests(cluster, SESSION_TARGET)[-1]

    assert manifest["kind"] == "FlinkDeployment"
    assert _errors(manifest) == []


def test_strict_session_job_schema_rejects_a_field_the_api_server_would_prune() -> None:
    [manifest] = render_session_job_manifests(session_job(), session_cluster(), SESSION_TARGET)
    manifest["spec"]["job"]["jarUri"] = "typo"

    assert crd_errors(manifest, FLINK_SESSION_JOB_CRD) != []
