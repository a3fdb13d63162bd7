"""Registry errors say what went wrong and how to fix it."""

from __future__ import annotations

import pytest

from pulumi_flink.errors import PulumiFlinkError
from pulumi_flink.registry import (
    ClusterIdentityError,
    ClusterMismatchError,
    ClusterUnreachableError,
    CorruptRecordError,
    InvalidReferenceError,
    KubeConfigNotFoundError,
    Reference,
    RegistryContentionError,
    TargetBeingDeletedError,
    TargetInUseError,
    TargetNotFoundError,
)


@pytest.mark.parametrize(
    "error",
    [
        InvalidReferenceError("owner", "empty"),
        TargetNotFoundError("id", "pulumi-flink"),
        TargetBeingDeletedError("id", "prod"),
        TargetInUseError("id", "prod", []),
        ClusterMismatchError("a", "b"),
        ClusterUnreachableError("https://10.0.0.1:6443", "refused"),
        KubeConfigNotFoundError(),
    ],
)
def test_user_mistakes_are_pulumi_flink_errors(error: Exception) -> None:
    assert isinstance(error, PulumiFlinkError)


@pytest.mark.parametrize(
    "error",
    [
        CorruptRecordError("cm", "bad"),
        RegistryContentionError("bind", "id", 50),
        ClusterIdentityError("kube-system"),
    ],
)
def test_trouble_that_is_no_input_mistake_is_not_a_value_error(error: Exception) -> None:
    assert isinstance(error, RuntimeError)
    assert not isinstance(error, ValueError)


def test_in_use_error_lists_every_reference_and_says_to_delete_them_first() -> None:
    refs = [
        Reference(binding="prod-binding", namespace="jobs", owner="app/dev"),
        Reference(binding="prod", namespace="etl", owner="urn:pulumi:prod::p::t::n"),
    ]
    message = str(TargetInUseError("1234", "prod", refs))
    assert "'prod' (id 1234)" in message
    assert "Deployments of 2 stack(s)" in message
    assert "'app/dev' in namespace 'jobs' (binding 'prod-binding')" in message
    assert "'urn:pulumi:prod::p::t::n' in namespace 'etl' (binding 'prod')" in message
    assert "delete those Deployments" in message


def test_in_use_error_of_a_replaced_target_says_the_new_one_exists_and_what_to_run() -> None:
    refs = [
        Reference(binding="prod-binding", namespace="jobs", owner="app/dev"),
        Reference(binding="prod-binding", namespace="etl", owner="etl/prod"),
    ]
    message = str(TargetInUseError("old-id", "prod", refs, replaced_by="new-id"))
    assert message.startswith("DeploymentTarget 'prod' was replaced: the new target (id new-id)")
    assert "the old one (id old-id) is still used by Deployments of 2 stack(s)" in message
    assert "Run `pulumi up` in stack(s) 'app/dev', 'etl/prod'" in message
    assert "then run `pulumi up` here again: it deletes the old target" in message
    assert "\n" not in message


def test_cluster_unreachable_error_names_the_server_and_what_to_run() -> None:
    error = ClusterUnreachableError("https://10.0.0.1:6443", "[Errno 111] Connection refused")
    assert isinstance(error, PulumiFlinkError)
    assert str(error).startswith(
        "the Kubernetes cluster at https://10.0.0.1:6443 was unreachable "
        "([Errno 111] Connection refused)"
    )
    assert "run `pulumi up` again" in str(error)


def test_not_found_error_names_the_target_and_the_registry_namespace() -> None:
    message = str(TargetNotFoundError("1234", "registry", target_name="prod"))
    assert "'prod' (id 1234)" in message
    assert "'registry'" in message


def test_cluster_mismatch_error_carries_both_ids_and_the_fix() -> None:
    error = ClusterMismatchError("expected-uid", "actual-uid")
    assert (error.expected_cluster_id, error.actual_cluster_id) == ("expected-uid", "actual-uid")
    assert "expected-uid" in str(error) and "actual-uid" in str(error)
    assert "kube context" in str(error)
