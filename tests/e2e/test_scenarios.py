"""End-to-end scenarios: the real Pulumi engine against a real kube-apiserver.

Each scenario runs the programs in ``programs/`` through the Automation API
with a file backend, then asserts what the API server holds.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lightkube import Client
from lightkube.generic_resource import create_namespaced_resource
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.apps_v1 import Deployment as KubeDeployment
from lightkube.resources.core_v1 import ConfigMap, Pod, Secret, ServiceAccount
from lightkube.resources.rbac_authorization_v1 import Role, RoleBinding
from pulumi import automation as auto

from pulumi_flink.devcluster import SIMULATE_ANNOTATION, SIMULATE_FAILED, DevCluster
from pulumi_flink.registry import DEFAULT_REGISTRY_NAMESPACE
from tests.seed import SEED_PATCH_SET

pytestmark = pytest.mark.e2e

FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
MANAGED = {"app.kubernetes.io/managed-by": "pulumi-flink"}
TARGET_RECORDS = {"pulumi-flink.dev/record": "deployment-target"}


def job(
    name: str,
    *,
    parallelism: int = 1,
    engine: str = "operator",
    annotations: dict[str, str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """One Deployment entry of the ``single`` program's config."""
    template: dict[str, Any] = {
        "spec": {
            "artifact": {"jarUri": "local:///opt/flink/usrlib/job.jar"},
            "parallelism": parallelism,
        }
    }
    if annotations:
        template["metadata"] = {"annotations": annotations}
    return {"name": name, "engine": engine, "spec": {"template": template}, **options}


def target_records(client: Client, name: str) -> list[ConfigMap]:
    """The registry records of the target called ``name``."""
    return [
        record
        for record in client.list(
            ConfigMap, namespace=DEFAULT_REGISTRY_NAMESPACE, labels=TARGET_RECORDS
        )
        if record.data and record.data.get("name") == name
    ]


def managed_objects(client: Client, namespace: str) -> list[str]:
    """Kind/name of every object labelled as ours in ``namespace``."""
    found = []
    for kind in (ServiceAccount, Role, RoleBinding, ConfigMap, KubeDeployment, FlinkDeployment):
        for obj in client.list(kind, namespace=namespace, labels=MANAGED):
            found.append(f"{kind.__name__}/{obj.metadata.name}")
    return found


def test_up_creates_target_workload_and_rbac_and_a_second_preview_is_empty(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = single_stack(deployments=[job("orders")])

    stack.up(on_output=print)

    client = dev_cluster.client()
    assert len(target_records(client, stack.name)) == 1
    assert sorted(managed_objects(client, namespace)) == [
        "FlinkDeployment/orders",
        "Role/orders",
        "RoleBinding/orders",
        "ServiceAccount/orders",
    ]
    preview = stack.preview()
    assert set(preview.change_summary) == {"same"}


def test_a_spec_change_updates_the_workload_in_place_and_the_diff_names_the_field(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = single_stack(deployments=[job("orders", parallelism=1)])
    stack.up()
    uid = dev_cluster.client().get(FlinkDeployment, "orders", namespace=namespace).metadata.uid
    stack.set_config("deployments", auto.ConfigValue(json.dumps([job("orders", parallelism=3)])))

    preview = stack.preview(diff=True)

    # The FlinkDeployment, and its FlinkJob, which waits for the new generation.
    assert preview.change_summary.get("update") == 2
    assert "replace" not in preview.change_summary
    assert "parallelism" in preview.stdout
    stack.up()
    workload = dev_cluster.client().get(FlinkDeployment, "orders", namespace=namespace)
    assert workload.metadata.uid == uid
    assert workload["spec"]["job"]["parallelism"] == 3


def test_a_patch_set_change_replaces_the_target_and_re_renders_its_deployments(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = single_stack(deployments=[job("orders")])
    old_id = stack.up().outputs["target_id"].value
    new_patch_set = [
        {**SEED_PATCH_SET[0], "value": "s3://elsewhere/checkpoints"},
        SEED_PATCH_SET[1],
    ]
    stack.set_config("patchSet", auto.ConfigValue(json.dumps(new_patch_set)))

    new_id = stack.up().outputs["target_id"].value

    client = dev_cluster.client()
    assert new_id != old_id
    records = target_records(client, stack.name)
    assert [record.data["targetId"] for record in records] == [new_id]
    workload = client.get(FlinkDeployment, "orders", namespace=namespace)
    assert workload["spec"]["flinkConfiguration"]["state.checkpoints.dir"] == (
        "s3://elsewhere/checkpoints"
    )


def test_a_target_used_by_another_stack_cannot_be_destroyed_until_that_stack_is(
    single_stack: Callable[..., auto.Stack],
    consumer_stack: Callable[..., auto.Stack],
    dev_cluster: DevCluster,
) -> None:
    owner = single_stack(deployments=[])
    owner.up()
    user = consumer_stack(target_name=owner.name, deployments=[job("payments")])
    user_outputs = user.up().outputs
    assert user_outputs["target_patch_set"].value == SEED_PATCH_SET

    with pytest.raises(auto.CommandError, match=r"still used by Deployments of 1 stack") as refused:
        owner.destroy()

    assert f"/{user.name}' in namespace" in str(refused.value)
    # The provider process sends our error as its message, not its host's traceback.
    assert "Traceback" not in str(refused.value)
    assert len(target_records(dev_cluster.client(), owner.name)) == 1
    user.destroy()
    owner.destroy()
    assert target_records(dev_cluster.client(), owner.name) == []


def test_replacing_a_target_another_stack_uses_says_what_exists_and_what_to_run(
    single_stack: Callable[..., auto.Stack],
    consumer_stack: Callable[..., auto.Stack],
    dev_cluster: DevCluster,
) -> None:
    owner = single_stack(deployments=[])
    old_id = owner.up().outputs["target_id"].value
    user = consumer_stack(target_name=owner.name, deployments=[job("payments")])
    user.up()
    moved = [{**SEED_PATCH_SET[0], "value": "s3://elsewhere/checkpoints"}, SEED_PATCH_SET[1]]
    owner.set_config("patchSet", auto.ConfigValue(json.dumps(moved)))

    with pytest.raises(auto.CommandError) as refused:
        owner.up()

    client = dev_cluster.client()
    new_id = next(
        r.data["targetId"]
        for r in target_records(client, owner.name)
        if r.data["targetId"] != old_id
    )
    message = str(refused.value)
    assert f"the new target (id {new_id}) exists" in message
    assert f"the old one (id {old_id}) is still used" in message
    assert f"Run `pulumi up` in stack(s) 'e2e-consumer/{user.name}'" in message
    assert "then run `pulumi up` here again: it deletes the old target" in message
    assert "Traceback" not in message
    # Following the message: the user's stack moves, the owner's second `up` deletes the old.
    user.up()
    assert owner.up().outputs["target_id"].value == new_id
    assert [r.data["targetId"] for r in target_records(client, owner.name)] == [new_id]
    user.destroy()
    owner.destroy()


def test_a_bad_patch_set_fails_preview_with_index_and_path_and_creates_nothing(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    bad = [*SEED_PATCH_SET, {"op": "replace", "path": "/spec/template/spec/nothing", "value": 1}]
    stack = single_stack(patch_set=bad, deployments=[job("orders")])

    with pytest.raises(auto.CommandError) as failed:
        stack.preview()

    assert "patch 2 (replace /spec/template/spec/nothing)" in str(failed.value)
    client = dev_cluster.client()
    assert target_records(client, stack.name) == []
    assert managed_objects(client, namespace) == []


def test_up_without_preview_of_a_bad_patch_set_creates_no_workload(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    bad = [*SEED_PATCH_SET, {"op": "replace", "path": "/spec/template/spec/nothing", "value": 1}]
    stack = single_stack(patch_set=bad, deployments=[job("orders")])

    with pytest.raises(auto.CommandError, match=r"patch 2 \(replace /spec/template/spec/nothing\)"):
        stack.up()

    # The target itself is valid and may be recorded; nothing of the Deployment is.
    assert managed_objects(dev_cluster.client(), namespace) == []


def test_a_malformed_patch_set_fails_the_program_at_the_line_making_the_target(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster
) -> None:
    stack = single_stack(patch_set=[{"op": "frobnicate", "path": "/spec"}], deployments=[])

    with pytest.raises(auto.CommandError) as failed:
        stack.preview()

    assert "PatchSetError: deploymentTarget" in str(failed.value)
    assert "patch 0 (frobnicate /spec)" in str(failed.value)
    assert "__main__.py" in str(failed.value)
    assert target_records(dev_cluster.client(), stack.name) == []


def test_the_service_account_may_do_what_flink_needs_and_nothing_more(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    single_stack(deployments=[job("orders")]).up()
    account = f"system:serviceaccount:{namespace}:orders"

    def can(*args: str) -> bool:
        result = dev_cluster.kubectl("auth", "can-i", *args, f"--as={account}", check=False)
        return result.stdout.strip() == "yes"

    assert can("create", "pods", "-n", namespace)
    assert can("update", "configmaps", "-n", namespace)
    assert can("delete", "deployments.apps", "-n", namespace)
    assert not can("get", "secrets", "-n", namespace)
    assert not can("create", "pods", "-n", "default")
    assert not can("list", "nodes")
    assert not can("create", "namespaces")


def test_refresh_sees_an_out_of_band_delete_and_up_restores_it(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = single_stack(deployments=[job("orders")])
    stack.up()
    client = dev_cluster.client()
    client.delete(FlinkDeployment, "orders", namespace=namespace)

    refresh = stack.refresh()
    stack.up()

    assert refresh.summary.resource_changes.get("delete") == 1
    assert client.get(FlinkDeployment, "orders", namespace=namespace).metadata.name == "orders"


def test_destroy_leaves_nothing_of_ours_behind(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = single_stack(deployments=[job("orders"), job("clicks", engine="standalone")])
    stack.up()

    stack.destroy()

    client = dev_cluster.client()
    assert managed_objects(client, namespace) == []
    assert target_records(client, stack.name) == []


def test_standalone_up_waits_until_jobmanager_and_taskmanagers_are_available(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = single_stack(deployments=[job("clicks", engine="standalone", parallelism=2, wait=True)])

    stack.up()

    client = dev_cluster.client()
    for name, replicas in (("clicks-jobmanager", 1), ("clicks-taskmanager", 2)):
        status = client.get(KubeDeployment, name, namespace=namespace).status
        assert status is not None
        assert status.availableReplicas == replicas


def test_standalone_ha_data_is_reset_before_the_jobmanager_rolls(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    """What real Flink keeps in HA (here written by hand) is reset as the state requires."""
    stack = single_stack(deployments=[job("clicks", engine="standalone")])
    stack.up()
    client = dev_cluster.client()
    graph, checkpoint = "jobGraph-" + "0" * 32, "checkpointID-0000000000000000007"
    for name, data in (
        ("clicks-cluster-config-map", {graph: "handle"}),
        ("clicks-job-config-map", {checkpoint: "handle", "counter": "8"}),
    ):
        labels = {"app": "clicks", "type": "flink-native-kubernetes"}
        client.create(
            ConfigMap(metadata=ObjectMeta(name=name, labels=labels), data=data),
            namespace=namespace,
        )

    def ha_data() -> dict[str, str]:
        return {
            key: value
            for name in ("clicks-cluster-config-map", "clicks-job-config-map")
            for key, value in (client.get(ConfigMap, name, namespace=namespace).data or {}).items()
        }

    changed = [job("clicks", engine="standalone", parallelism=2)]
    stack.set_config("deployments", auto.ConfigValue(json.dumps(changed)))
    assert "job_graph" in stack.preview(diff=True).stdout
    stack.up()

    # The job graph is gone, the checkpoint stays; the JobManager runs again
    # (pulumi-kubernetes applied its replicas over the reset's scale-down).
    assert ha_data() == {checkpoint: "handle", "counter": "8"}
    jobmanager = client.get(KubeDeployment, "clicks-jobmanager", namespace=namespace)
    assert jobmanager.spec is not None and jobmanager.spec.replicas == 1

    [running] = changed
    cancelled = {**running, "spec": {**running["spec"], "state": "CANCELLED"}}
    stack.set_config("deployments", auto.ConfigValue(json.dumps([cancelled])))
    stack.up()

    assert ha_data() == {"counter": "8"}


def test_operator_up_returns_once_the_job_is_stable_and_running(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    stack = single_stack(deployments=[job("orders", wait=True)])

    stack.up()

    status = dev_cluster.client().get(FlinkDeployment, "orders", namespace=namespace)["status"]
    assert status["lifecycleState"] == "STABLE"
    assert status["jobStatus"]["state"] == "RUNNING"


def test_operator_up_fails_when_the_job_fails_within_the_timeout(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    failing = {SIMULATE_ANNOTATION: SIMULATE_FAILED}
    stack = single_stack(deployments=[job("orders", wait=True, timeout=20, annotations=failing)])

    with pytest.raises(auto.CommandError) as failed:
        stack.up()

    message = str(failed.value)
    assert f"FlinkDeployment {namespace}/orders" in message
    assert "simulated failure" in message  # the operator's own message, at once
    status = dev_cluster.client().get(FlinkDeployment, "orders", namespace=namespace)["status"]
    assert status["lifecycleState"] == "FAILED"


def test_stack_configuration_reaches_the_dynamic_provider(
    single_stack: Callable[..., auto.Stack], dev_cluster: DevCluster
) -> None:
    stack = single_stack(deployments=[])
    stack.set_config("pulumi-flink:registryNamespace", auto.ConfigValue("flink-platform"))

    stack.up()

    records = dev_cluster.client().list(
        ConfigMap, namespace="flink-platform", labels=TARGET_RECORDS
    )
    assert [record.data["name"] for record in records] == [stack.name]
    stack.destroy()


def test_a_missing_target_read_by_name_fails_preview_naming_it_and_creates_nothing(
    consumer_stack: Callable[..., auto.Stack], dev_cluster: DevCluster, namespace: str
) -> None:
    user = consumer_stack(target_name="no-such-target", deployments=[job("payments")])

    with pytest.raises(auto.CommandError) as failed:
        user.preview()

    message = str(failed.value)
    assert "DeploymentTarget 'no-such-target' does not exist in the target registry" in message
    assert f"namespace '{DEFAULT_REGISTRY_NAMESPACE}'" in message
    assert "Traceback" not in message
    assert managed_objects(dev_cluster.client(), namespace) == []


def test_a_bad_spec_on_a_target_read_by_name_fails_preview_without_a_traceback(
    single_stack: Callable[..., auto.Stack],
    consumer_stack: Callable[..., auto.Stack],
    dev_cluster: DevCluster,
    namespace: str,
) -> None:
    owner = single_stack(deployments=[])
    owner.up()
    user = consumer_stack(target_name=owner.name, deployments=[job("payments", parallelism=-3)])

    with pytest.raises(auto.CommandError) as failed:
        user.preview()

    message = str(failed.value)
    assert "spec.template.spec.parallelism: Input should be greater than or equal to 1" in message
    assert "Traceback" not in message
    owner.destroy()


def test_secrets_in_a_patch_set_and_a_spec_stay_out_of_the_state_in_plaintext(
    pulumi_env: Any,
    dev_cluster: DevCluster,
    consumer_stack: Callable[..., auto.Stack],
    tmp_path: Path,
    stack_name: str,
    namespace: str,
) -> None:
    bucket, key = "s3://bucket-8f3a1c/checkpoints", "key-3b9e0d7f61"
    stack = pulumi_env.stack(
        "secrets_in_patch_set",
        stack_name,
        tmp_path / "secrets_in_patch_set",
        {"targetName": stack_name, "namespace": namespace},
    )
    stack.set_config("checkpointBucket", auto.ConfigValue(bucket, secret=True))
    stack.set_config("s3SecretKey", auto.ConfigValue(key, secret=True))
    stack.up()
    # Another stack deploys on the target, read by name: it never sees the values.
    user = consumer_stack(target_name=stack_name, deployments=[job("ledger", engine="standalone")])
    user.up()
    try:
        # The checkpoints on disk (the Automation API's export_stack shows secrets).
        states = [
            json.loads(path.read_text())
            for name in (stack_name, user.name)
            for path in pulumi_env.backend.glob(f".pulumi/stacks/*/{name}.json")
        ]
        assert len(states) == 2
        leaking = [
            (resource["urn"].split("::")[-1], section, key_)
            for state in states
            for resource in state["checkpoint"]["latest"]["resources"]
            for section in ("inputs", "outputs")
            for key_, value in (resource.get(section) or {}).items()
            if bucket in json.dumps(value) or key in json.dumps(value)
        ]
        assert leaking == [], json.dumps(leaking)
        client = dev_cluster.client()
        copies = [
            *client.list(ConfigMap, namespace=DEFAULT_REGISTRY_NAMESPACE),
            *client.list(ConfigMap, namespace=namespace),
            *client.list(KubeDeployment, namespace=namespace),
            *client.list(FlinkDeployment, namespace=namespace),
            *client.list(Pod, namespace=namespace),
        ]
        assert [c.metadata.name for c in copies if bucket in json.dumps(c.to_dict())] == []
        # The env var secrets (standalone and operator) are references to the Deployments' Secrets.
        assert [c.metadata.name for c in copies if key in json.dumps(c.to_dict())] == []
        (flink,) = client.list(FlinkDeployment, namespace=namespace)
        [variable] = flink.to_dict()["spec"]["podTemplate"]["spec"]["containers"][0]["env"]
        assert variable["valueFrom"]["secretKeyRef"]["name"] == "payments-secret-values"
        stored = client.get(Secret, f"{stack_name}-target-secrets", namespace=namespace)
        values = {k: base64.b64decode(v).decode() for k, v in (stored.data or {}).items()}
        assert values == {
            "pulumi-secret.patch-set.state.checkpoints.dir": bucket,
            "pulumi-secret.patch-set.state.savepoints.dir": bucket,
        }
        (ledger,) = [
            d
            for d in client.list(KubeDeployment, namespace=namespace)
            if d.metadata.name == "ledger-jobmanager"
        ]
        (init,) = ledger.spec.template.spec.initContainers
        refs = {e.valueFrom.secretKeyRef.name for e in init.env if e.valueFrom}
        assert refs == {f"{stack_name}-target-secrets"}

        # The patch set reordered: only the target's record changes, no workload.
        stack.set_config("reversed", auto.ConfigValue("true"))
        steps: list[tuple[str, str]] = []

        def record(event: auto.EngineEvent) -> None:
            if event.resource_pre_event is not None:
                metadata = event.resource_pre_event.metadata
                steps.append((metadata.op.value, metadata.type))

        stack.preview(on_event=record)
        changed = [(op, kind) for op, kind in steps if op != "same"]
        assert changed, steps  # the target's patch set did change
        assert [kind for _, kind in changed if kind.startswith("kubernetes:")] == []
    finally:
        user.destroy()
        stack.destroy()
