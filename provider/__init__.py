"""Pulumi dynamic providers: DeploymentTarget, the stacks' bindings to it, and job state.

``FlinkJob`` waits for the operator and stops a stateful job with a savepoint
before its FlinkDeployment is deleted; ``RecordedSavepoint`` reads where a
re-created Deployment starts from; ``SnapshotCompletion`` waits for a
FlinkStateSnapshot; ``StandaloneHaData`` resets a standalone JobManager's
Kubernetes HA data when its job must not recover it; ``SessionClusterRecord``
records a session cluster, which the jobs running in it claim like a target.

This package holds only what the dynamic-provider process unpickles: the
provider classes, their resources and their cluster access (``_cluster``).
It imports no component and not pulumi-kubernetes; helpers only a program
needs live in :mod:`pulumi_flink._program`. Module paths and class names here
are stored in Pulumi state and needed to delete: they are a permanent API.
"""

from pulumi_flink.provider.deployment_target import DeploymentTarget, DeploymentTargetProvider
from pulumi_flink.provider.flink_job import STANDALONE_JOB, FlinkJob, FlinkJobProvider
from pulumi_flink.provider.recorded_savepoint import RecordedSavepoint, RecordedSavepointProvider
from pulumi_flink.provider.session_cluster_record import (
    SessionClusterRecord,
    SessionClusterRecordProvider,
)
from pulumi_flink.provider.snapshot_completion import SnapshotCompletion, SnapshotCompletionProvider
from pulumi_flink.provider.standalone_ha import StandaloneHaData, StandaloneHaDataProvider
from pulumi_flink.provider.target_binding import (
    ClaimIntent,
    ClaimIntentProvider,
    TargetBinding,
    TargetBindingProvider,
)

__all__ = [
    "STANDALONE_JOB",
    "ClaimIntent",
    "ClaimIntentProvider",
    "DeploymentTarget",
    "DeploymentTargetProvider",
    "FlinkJob",
    "FlinkJobProvider",
    "RecordedSavepoint",
    "RecordedSavepointProvider",
    "SessionClusterRecord",
    "SessionClusterRecordProvider",
    "SnapshotCompletion",
    "SnapshotCompletionProvider",
    "StandaloneHaData",
    "StandaloneHaDataProvider",
    "TargetBinding",
    "TargetBindingProvider",
]
