"""The object-store fetcher's rendered objects, accepted by a real API server.

The dev cluster's nodes are kwok's: they run no container, so no download
happens here. What this proves: the API server accepts every rendered object
(the official FlinkDeployment CRD, apps/v1 Deployments with the init
containers, their env ``secretKeyRef``/``envFrom``), the standalone
Deployments' ReplicaSets create pods that carry the fetcher, and a pod built
from a FlinkDeployment's pod template passes the API server's pod validation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

import pytest
from lightkube.codecs import from_dict
from lightkube.generic_resource import create_namespaced_resource
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import Pod, Secret

from pulumi_flink import render_manifests
from pulumi_flink.artifacts import ARTIFACT_FETCHER, ARTIFACT_FETCHER_SECRET
from pulumi_flink.devcluster import DevCluster

pytestmark = pytest.mark.e2e

FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
FETCHER = "fetch-object-store-artifacts"
CREDENTIALS = "blob-storage-credentials"
T = TypeVar("T")


def _eventually(probe: Callable[[], T | None], what: str, timeout: float = 180.0) -> T:
    deadline = time.monotonic() + timeout
    while (result := probe()) is None:
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.5)
    return result


def _document(name: str, artifact: dict[str, Any], configuration: dict[str, str]) -> Any:
    return {
        "metadata": {"name": name},
        "spec": {
            "restoreStrategy": {"kind": "NONE"},
            "template": {
                "metadata": {
                    "annotations": {
                        ARTIFACT_FETCHER: "init-container",
                        ARTIFACT_FETCHER_SECRET: CREDENTIALS,
                    }
                },
                "spec": {"artifact": artifact, "flinkConfiguration": configuration},
            },
        },
    }


JOBS: dict[str, tuple[str, dict[str, Any], dict[str, str]]] = {
    # name: (engine, artifact, flinkConfiguration)
    "legacy-jar": (
        "standalone",
        {
            "jarUri": "s3://jobs/orders.jar",
            "additionalDependencies": [
                "oss://jars/kafka.jar",
                "wasbs://jars@acct.blob.core.windows.net/udf.jar",
            ],
            "flinkVersion": "1.17",
        },
        {"fs.oss.endpoint": "oss-eu-central-1.aliyuncs.com"},
    ),
    "pyflink": (
        "operator",
        {
            "kind": "PYTHON",
            "pythonArtifactUri": "gs://jobs/orders.py",
            "additionalPythonArchives": ["abfss://envs@acct.dfs.core.windows.net/venv.zip"],
            "flinkVersion": "1.18",
        },
        {},
    ),
    "opted-in": (
        "operator",
        {"jarUri": "s3a://jobs/orders.jar", "flinkVersion": "2.0"},
        {"s3.endpoint": "http://minio.storage:9000", "s3.path.style.access": "true"},
    ),
}


def _render(namespace: str, name: str) -> list[dict[str, Any]]:
    engine, artifact, configuration = JOBS[name]
    target = {"metadata": {"name": "fetcher"}, "spec": {"kubernetes": {"namespace": namespace}}}
    return render_manifests(_document(name, artifact, configuration), target, engine=engine)


def _init_containers(pod_spec: Any) -> list[str]:
    return [container.name for container in pod_spec.initContainers or []]


@pytest.fixture
def create(dev_cluster: DevCluster) -> Iterator[Callable[[Any], None]]:
    """Create an object in the dev cluster; deleted when the test ends (the cluster is shared)."""
    client = dev_cluster.client()
    created: list[Any] = []
    yield lambda obj: created.append(client.create(obj))
    for obj in reversed(created):
        client.delete(type(obj), obj.metadata.name, namespace=obj.metadata.namespace)


def test_the_api_server_accepts_the_fetcher_on_both_engines(
    dev_cluster: DevCluster, namespace: str, create: Callable[[Any], None]
) -> None:
    client = dev_cluster.client()
    create(
        Secret(
            metadata=ObjectMeta(name=CREDENTIALS, namespace=namespace),
            stringData={"s3.accessKeyId": "not-a-real-key", "s3.secretAccessKey": "nor-this"},
        )
    )
    manifests = {name: _render(namespace, name) for name in JOBS}
    for objects in manifests.values():
        for manifest in objects:
            create(from_dict(manifest))

    # Standalone: the ReplicaSets' pods (JobManager and TaskManager) carry the fetcher.
    def standalone_pods() -> list[Any] | None:
        pods = [
            pod
            for pod in client.list(Pod, namespace=namespace)
            if pod.metadata is not None and (pod.metadata.name or "").startswith("legacy-jar-")
        ]
        return pods if len(pods) >= 2 else None

    pods = _eventually(standalone_pods, "the standalone JobManager and TaskManager pods")
    for pod in pods:
        assert _init_containers(pod.spec)[-2:] == ["fetch-artifacts", FETCHER]

    # Operator: the FlinkDeployments are stored with their pod templates whole, and a
    # pod built from each template (as the operator builds one) passes pod validation.
    for name in ("pyflink", "opted-in"):
        stored = client.get(FlinkDeployment, name, namespace=namespace)
        template: dict[str, Any] = cast(dict[str, Any], stored.to_dict())["spec"]["podTemplate"]  # type: ignore[no-untyped-call]
        [rendered] = [m for m in manifests[name] if m["kind"] == "FlinkDeployment"]
        assert (
            template["spec"]["initContainers"]
            == (rendered["spec"]["podTemplate"]["spec"]["initContainers"])
        )
        pod_spec = {**template["spec"], "serviceAccountName": rendered["spec"]["serviceAccount"]}
        pod_spec["containers"] = [
            {**container, "image": rendered["spec"]["image"]}
            for container in pod_spec["containers"]
        ]
        pod = cast(
            Pod,
            Pod.from_dict(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": f"{name}-jobmanager", "namespace": namespace},
                    "spec": pod_spec,
                }
            ),
        )
        accepted = client.create(pod, dry_run=True)
        assert accepted.spec is not None and _init_containers(accepted.spec)[-1] == FETCHER
