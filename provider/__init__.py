"""Pulumi dynamic providers: DeploymentTarget and the stacks' bindings to it.

Module paths and class names here are stored in Pulumi state and needed to
delete: they are a permanent API.
"""

from pulumi_flink.provider.deployment_target import DeploymentTarget, DeploymentTargetProvider
from pulumi_flink.provider.target_binding import TargetBinding, TargetBindingProvider

__all__ = [
    "DeploymentTarget",
    "DeploymentTargetProvider",
    "TargetBinding",
    "TargetBindingProvider",
]
