"""A VVP secret value from a Pulumi secret (given as a secret value or directly as a
configuration value): in a Kubernetes Secret, nowhere else."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from lightkube.generic_resource import create_namespaced_resource
from lightkube.resources.apps_v1 import Deployment as KubeDeployment
from lightkube.resources.core_v1 import ConfigMap, Pod, Secret
from pulumi import automation as auto

from pulumi_flink.devcluster import DevCluster
from tests.e2e.stacks import PulumiEnvironment

pytestmark = pytest.mark.e2e

FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
VALUE = "s3cr3t-Storage-Key-0123456789"


def test_a_secret_value_stays_out_of_state_rendered_objects_and_the_api_servers_copies(
    pulumi_env: PulumiEnvironment,
    dev_cluster: DevCluster,
    tmp_path: Path,
    stack_name: str,
    namespace: str,
) -> None:
    stack = pulumi_env.stack(
        "secrets",
        stack_name,
        tmp_path / "secrets",
        {"targetName": stack_name, "namespace": namespace},
    )
    stack.set_config("storageKey", auto.ConfigValue(value=VALUE, secret=True))

    stack.up()

    # The checkpoint on disk: the Automation API's export_stack shows secrets.
    (state_file,) = pulumi_env.backend.glob(f".pulumi/stacks/*/{stack_name}.json")
    state = state_file.read_text()
    client = dev_cluster.client()
    copies = [
        *client.list(FlinkDeployment, namespace=namespace),
        *client.list(KubeDeployment, namespace=namespace),
        *client.list(ConfigMap, namespace=namespace),
        *client.list(Pod, namespace=namespace),
    ]
    stored = client.get(Secret, "credentials-secret-values", namespace=namespace)
    direct = client.get(Secret, "direct-secret-values", namespace=namespace)
    assert VALUE not in state and "credentials-secret-values" in state
    assert all(VALUE not in json.dumps(copy.to_dict()) for copy in copies)
    assert base64.b64decode((stored.data or {})["storage-key"]).decode() == VALUE
    direct_key = (direct.data or {})["pulumi-secret.s3.access-key"]
    assert base64.b64decode(direct_key).decode() == VALUE
    stack.destroy()
