"""Pod templates and ``kubernetes.pods`` parts are checked against Kubernetes' types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_flink import SpecValidationError, render_manifests
from pulumi_flink.model.kubernetes import POD_TEMPLATE, kubernetes_problems
from pulumi_flink.validation import parse_deployment
from tests.unit.documents import deployment, target

KUBERNETES = "spec.template.spec.kubernetes"
ROOT = Path(__file__).parents[2]


def _fields(kubernetes: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(SpecValidationError) as caught:
        parse_deployment(deployment(kubernetes=kubernetes))
    return {problem.field: problem.reason for problem in caught.value.problems}


def test_a_pod_spec_that_is_not_an_object_is_refused_before_render() -> None:
    fields = _fields({"jobManagerPodTemplate": {"spec": [1]}})
    assert fields == {
        f"{KUBERNETES}.jobManagerPodTemplate.spec": (
            "expected an object (a Kubernetes PodSpec), got an array"
        )
    }


def test_unknown_and_missing_pod_template_fields_are_named() -> None:
    fields = _fields({"taskManagerPodTemplate": {"spec": {"containers": [{"nme": "x"}]}}})
    container = f"{KUBERNETES}.taskManagerPodTemplate.spec.containers[0]"
    assert fields == {
        f"{container}.nme": "unknown field of a Kubernetes Container",
        f"{container}.name": "required in a Kubernetes Container",
    }


def test_labels_of_a_pod_template_are_strings() -> None:
    fields = _fields({"jobManagerPodTemplate": {"metadata": {"labels": {"tier": 1}}}})
    field = f"{KUBERNETES}.jobManagerPodTemplate.metadata.labels.tier"
    assert fields == {field: "expected a string, got a number"}


@pytest.mark.parametrize(
    ("pods", "field"),
    [
        ({"tolerations": [{"effect": 5}]}, "pods.tolerations[0].effect"),
        ({"affinity": {"nodeAffinity": 1}}, "pods.affinity.nodeAffinity"),
        ({"securityContext": {"runAsUser": "root"}}, "pods.securityContext.runAsUser"),
        (
            {"volumeMounts": [{"name": "v", "volume": {"emptyDir": []}, "volumeMount": {}}]},
            "pods.volumeMounts[0].volume.emptyDir",
        ),
        (
            {"volumeMounts": [{"name": "v", "volume": {}, "volumeMount": {}}]},
            "pods.volumeMounts[0].volumeMount.mountPath",
        ),
        (
            {"envVars": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s"}}}]},
            "pods.envVars[0].valueFrom.secretKeyRef.key",
        ),
    ],
)
def test_pods_parts_are_kubernetes_structures(pods: dict[str, Any], field: str) -> None:
    assert f"{KUBERNETES}.{field}" in _fields({"pods": pods})


def test_a_realistic_pod_template_is_accepted_and_rendered() -> None:
    template = {
        "metadata": {"labels": {"tier": "jobs"}, "annotations": {"a": "b"}},
        "spec": {
            "containers": [
                {
                    "name": "flink-jobmanager",
                    "resources": {"limits": {"cpu": 2, "memory": "2Gi"}},
                    "ports": [{"containerPort": 9249, "name": "metrics"}],
                    "livenessProbe": {"tcpSocket": {"port": "rpc"}},
                }
            ],
            "tolerations": [{"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}],
            "nodeSelector": {"pool": "flink"},
        },
    }
    manifests = render_manifests(
        deployment(kubernetes={"jobManagerPodTemplate": template}), target()
    )
    assert manifests[-1]["kind"] == "FlinkDeployment"


def test_a_pod_template_may_leave_the_containers_to_flink() -> None:
    assert kubernetes_problems({"spec": {"nodeSelector": {"pool": "flink"}}}, POD_TEMPLATE) == []


def test_problems_are_capped() -> None:
    many = {"spec": {f"unknown{index}": 1 for index in range(100)}}
    assert len(kubernetes_problems(many, POD_TEMPLATE)) == 20


def _lightkube_loaded_after(kubernetes: dict[str, Any]) -> bool:
    code = (
        "import sys\n"
        "from pulumi_flink import Deployment, render_manifests\n"
        "from tests.unit.documents import deployment, target\n"
        f"render_manifests(deployment(kubernetes={kubernetes!r}), target())\n"
        "print('lightkube' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return result.stdout.strip() == "True"


def test_lightkube_is_loaded_only_for_a_spec_with_pod_settings() -> None:
    assert not _lightkube_loaded_after({})
    assert _lightkube_loaded_after({"pods": {"tolerations": [{"key": "flink"}]}})
