"""Faults mid-``up``: the API server going away, the dynamic-provider process killed.

Each scenario starts ``pulumi up`` of several targets and Deployments (the
``fleet`` program) in a worker thread, waits in the API server (a watch, no
sleeps) for the moment it wants to cut in at (a record created, a claim
written, a record deleted), makes the fault happen right then, and checks
that the cut-off ``up`` failed as it should and that the next ``up``
converges: one record per target, the one the stack's state holds, carrying
exactly the stack's claim, no record left of a removed target, and nothing
left to do.

Whether such a cut lands between a write's commit and its answer is a race
of milliseconds, so the scenarios that need exactly that window (a claim
written but its binding never recorded; a record created but its create
reported failed) lose the answer inside the provider host instead
(:func:`answer_lost`, ``faults/sitecustomize.py``): deterministic.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from lightkube import Client
from lightkube.core.client import LabelSelector
from lightkube.generic_resource import create_namespaced_resource
from lightkube.resources.core_v1 import ConfigMap
from pulumi import automation as auto

from pulumi_flink.devcluster import DevCluster
from pulumi_flink.registry import DEFAULT_REGISTRY_NAMESPACE, Reference, TargetRegistry
from pulumi_flink.registry._names import REFERENCE_ANNOTATION_PREFIX
from pulumi_flink.render.labels import ANNOTATION_DEPLOYMENT_NAME
from tests.e2e.stacks import PulumiEnvironment
from tests.seed import SEED_PATCH_SET

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

FlinkDeployment = create_namespaced_resource(
    "flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments"
)
TARGET_RECORDS: LabelSelector = {"pulumi-flink.dev/record": "deployment-target"}
PROJECT = "e2e-fleet"
JOBS = ["orders"]

RecordEvent = Callable[[str, ConfigMap], bool]
"""Whether a watch event (type, record ConfigMap) is the moment to cut in."""


def created(target_name: str) -> RecordEvent:
    """The record of ``target_name`` appears."""
    return lambda kind, record: kind == "ADDED" and _name(record) == target_name


def claimed(target_name: str) -> RecordEvent:
    """A claim is written on the record of ``target_name``."""
    return lambda kind, record: (
        kind == "MODIFIED" and _name(record) == target_name and any(_claims(record))
    )


def unclaimed(target_name: str) -> RecordEvent:
    """The last claim is removed from the record of ``target_name``."""
    return lambda kind, record: (
        kind == "MODIFIED" and _name(record) == target_name and not any(_claims(record))
    )


def _claims(record: ConfigMap) -> list[str]:
    annotations = (record.metadata.annotations if record.metadata else None) or {}
    return [key for key in annotations if key.startswith(REFERENCE_ANNOTATION_PREFIX)]


def _name(record: ConfigMap) -> str | None:
    return (record.data or {}).get("name")


def wait_for(client: Client, event: RecordEvent) -> None:
    """Return as soon as the API server reports ``event`` on a target record."""
    for kind, record in client.watch(
        ConfigMap, namespace=DEFAULT_REGISTRY_NAMESPACE, labels=TARGET_RECORDS
    ):
        if event(kind, record):
            return


@contextmanager
def up_in_background(stack: auto.Stack) -> Iterator[Future[auto.UpResult]]:
    """``stack.up()`` running in a worker thread while the block runs."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(stack.up)


def kill_dynamic_provider() -> None:
    """SIGKILL the Python dynamic-provider host(s) this test's ``pulumi`` started.

    Only descendants of this process: other sessions' engines on the machine
    are left alone.
    """
    parents: dict[int, int] = {}
    commands: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])

    def descends_from_us(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    hosts = [
        pid
        for pid, command in commands.items()
        if b"pulumi.dynamic" in command.split(b"\0") and descends_from_us(pid)
    ]
    assert hosts, "no dynamic-provider host of ours is running"
    for pid in hosts:
        os.kill(pid, signal.SIGKILL)


FAULTS = Path(__file__).parent / "faults"
"""What :func:`answer_lost` puts on the provider host's ``PYTHONPATH``."""


@contextmanager
def answer_lost(
    stack: auto.Stack, marker: Path, *, verb: str, record: str, then: str
) -> Iterator[None]:
    """The provider host loses the answer to its first ``verb`` of ``record``'s record.

    ``then``: ``exit`` (the host dies, as if killed) or ``disconnect`` (the
    connection drops before the answer). Checks that the fault fired.
    """
    fault = {"verb": verb, "record": record, "then": then, "marker": str(marker)}
    stack.workspace.env_vars.update(
        PYTHONPATH=str(FAULTS), PULUMI_FLINK_E2E_FAULT=json.dumps(fault)
    )
    try:
        yield
    finally:
        del stack.workspace.env_vars["PYTHONPATH"]
        del stack.workspace.env_vars["PULUMI_FLINK_E2E_FAULT"]
    assert marker.exists(), f"the {verb} of {record!r} never happened"


def fleet(
    env: PulumiEnvironment, workdir: Path, name: str, namespace: str, targets: list[str]
) -> auto.Stack:
    """The ``fleet`` program's stack: ``targets`` in ``namespace``, each with :data:`JOBS`."""
    return env.stack(
        "fleet",
        name,
        workdir,
        {"namespace": namespace, "targets": targets, "jobs": JOBS, "patchSet": SEED_PATCH_SET},
    )


def set_targets(stack: auto.Stack, targets: list[str]) -> None:
    stack.set_config("targets", auto.ConfigValue(json.dumps(targets)))


def state_types(stack: auto.Stack) -> list[str]:
    """The types of the resources the stack's state holds."""
    return [resource["type"] for resource in stack.export_stack().deployment["resources"]]


def assert_converged(
    stack: auto.Stack, client: Client, namespace: str, targets: list[str], prefix: str
) -> None:
    """One record per target (the state's, with exactly the stack's claim), nothing else."""
    outputs = stack.outputs()
    records = [r for r in TargetRegistry(client).list_targets() if r.name.startswith(prefix)]
    assert sorted(r.name for r in records) == sorted(targets)
    for record in records:
        assert record.target_id == outputs[f"{record.name}_target_id"].value
        assert record.references == (
            Reference(
                binding=f"{record.name}-binding",
                namespace=namespace,
                owner=f"{PROJECT}/{stack.name}",
            ),
        )
    workloads = [
        str(
            (obj.metadata.annotations or {}).get(ANNOTATION_DEPLOYMENT_NAME) if obj.metadata else ""
        )
        for obj in client.list(FlinkDeployment, namespace=namespace)
    ]
    assert sorted(workloads) == sorted(f"{target}-{job}" for target in targets for job in JOBS)
    assert set(stack.preview().change_summary) == {"same"}


@pytest.fixture
def targets(stack_name: str) -> list[str]:
    """Three target names unique to the test."""
    return [f"{stack_name}-{suffix}" for suffix in "abc"]


def test_ups_cut_off_by_the_api_server_going_away_fail_naming_it_and_the_next_converges(
    pulumi_env: PulumiEnvironment,
    dev_cluster: DevCluster,
    tmp_path: Path,
    stack_name: str,
    namespace: str,
    targets: list[str],
) -> None:
    client = dev_cluster.client()
    stack = fleet(pulumi_env, tmp_path / "fleet", stack_name, namespace, targets[:2])
    server = dev_cluster.server
    # Cut off as a target's record is created (its answer, the other target
    # and every claim still to come): our providers fail with our message.
    # Then as a claim is written (every workload on that target still to
    # come): whichever provider was talking to the server fails naming it
    # (pulumi-kubernetes quotes the URL of the request it was making, the
    # create's Patch or a Get while it awaits; ours, if the claim's answer
    # was lost, says the cluster was unreachable).
    for change, moment, says in (
        (
            targets[:2],
            partial(wait_for, client, created(targets[0])),
            f"ClusterUnreachableError: the Kubernetes cluster at {server} was unreachable",
        ),
        (
            targets,
            partial(wait_for, client, claimed(targets[2])),
            server,
        ),
    ):
        set_targets(stack, change)
        try:
            with up_in_background(stack) as cut_off:
                moment()
                dev_cluster.stop_apiserver()
                with pytest.raises(auto.CommandError) as failed:
                    cut_off.result()
        finally:
            dev_cluster.start_apiserver()
        assert says in str(failed.value), str(failed.value)
        assert "Traceback" not in str(failed.value)
        stack.up()
        assert_converged(stack, client, namespace, change, prefix=stack_name)


def test_ups_cut_off_by_killing_the_dynamic_provider_converge_on_the_next_up(
    pulumi_env: PulumiEnvironment,
    dev_cluster: DevCluster,
    tmp_path: Path,
    stack_name: str,
    namespace: str,
    targets: list[str],
) -> None:
    client = dev_cluster.client()
    stack = fleet(pulumi_env, tmp_path / "fleet", stack_name, namespace, targets[:2])
    # Killed as a target's record is created, as a claim is written, as a
    # claim is removed (before its target's delete); each time more work of
    # the provider's is still to come, and the next `up` converges.
    for change, moment in (
        (targets[:2], created(targets[0])),
        (targets, claimed(targets[2])),
        (targets[:1], unclaimed(targets[2])),
    ):
        set_targets(stack, change)
        with up_in_background(stack) as cut_off:
            wait_for(client, moment)
            kill_dynamic_provider()
            with pytest.raises(auto.CommandError):
                cut_off.result()
        stack.up()
        assert_converged(stack, client, namespace, change, prefix=stack_name)


def test_a_claim_whose_binding_was_never_recorded_goes_once_the_program_stops_using_the_target(
    pulumi_env: PulumiEnvironment,
    dev_cluster: DevCluster,
    tmp_path: Path,
    stack_name: str,
    namespace: str,
    targets: list[str],
) -> None:
    registry = TargetRegistry(dev_cluster.client())
    target = targets[0]
    stack = fleet(pulumi_env, tmp_path / "fleet", stack_name, namespace, [target])
    # The provider dies right after the claim committed: Pulumi never records the binding.
    fault = answer_lost(stack, tmp_path / "fired", verb="replace", record=target, then="exit")
    with fault, pytest.raises(auto.CommandError):
        stack.up()
    record = registry.get_target(target)
    assert record is not None
    assert record.references == (
        Reference(
            binding=f"{target}-binding", namespace=namespace, owner=f"{PROJECT}/{stack_name}"
        ),
    )
    assert "pulumi-python:dynamic/flink:TargetBinding" not in state_types(stack)

    # The program stops using the target: the claim goes with the next `up` ...
    stack.set_config("jobs", auto.ConfigValue("[]"))
    stack.up()
    record = registry.get_target(target)
    assert record is not None
    assert record.references == ()

    # ... so the target can be deleted.
    set_targets(stack, [])
    stack.up()
    assert registry.get_target(target) is None


def test_a_target_create_whose_answer_was_lost_leaves_one_record_after_the_next_up(
    pulumi_env: PulumiEnvironment,
    dev_cluster: DevCluster,
    tmp_path: Path,
    stack_name: str,
    namespace: str,
    targets: list[str],
) -> None:
    client = dev_cluster.client()
    target = targets[0]
    stack = fleet(pulumi_env, tmp_path / "fleet", stack_name, namespace, [target])
    fault = answer_lost(stack, tmp_path / "fired", verb="create", record=target, then="disconnect")
    with fault, pytest.raises(auto.CommandError) as failed:
        stack.up()
    assert "ClusterUnreachableError" in str(failed.value)
    assert "Traceback" not in str(failed.value)
    # The create committed: its record is there, though Pulumi recorded a failure.
    assert [r.name for r in TargetRegistry(client).list_targets()].count(target) == 1
    assert "pulumi-python:dynamic/flink:DeploymentTarget" not in state_types(stack)

    stack.up()
    assert_converged(stack, client, namespace, [target], prefix=stack_name)
