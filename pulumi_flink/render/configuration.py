"""The Flink configuration a workload runs with, and its image."""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_flink.model.versions import HA_KEYS, flink_version
from pulumi_flink.render.context import RenderContext
from pulumi_flink.strategy import CHECKPOINTS_DIR, needs_kubernetes_ha, upgrade_mode

HA_STORAGE_DIR = "high-availability.storageDir"


def flink_configuration(context: RenderContext) -> dict[str, str]:
    """The effective ``flinkConfiguration`` plus what the upgrade mode needs.

    ``last-state`` needs Kubernetes HA: unless the configuration already
    chooses HA services, it is switched on with the key and value the Flink
    version reads (see :data:`~pulumi_flink.model.versions.FLINK_VERSIONS`),
    with the storage directory from the configuration or
    ``<state.checkpoints.dir>/ha``.
    """
    configuration = dict(context.spec.flink_configuration)
    if needs_kubernetes_ha(upgrade_mode(context.deployment.spec)):
        if not ha_configured(configuration):
            key, value = flink_version(context.spec.artifact.flink_version).kubernetes_ha
            configuration[key] = value
        checkpoints = configuration[CHECKPOINTS_DIR].rstrip("/")
        configuration.setdefault(HA_STORAGE_DIR, f"{checkpoints}/ha")
    return configuration


def ha_configured(configuration: Mapping[str, str]) -> bool:
    """True when the configuration chooses HA services under either key.

    >>> ha_configured({"high-availability": "kubernetes"})
    True
    """
    return any(configuration.get(key, "NONE").upper() != "NONE" for key in HA_KEYS)


def image(context: RenderContext) -> str:
    """``registry/repository:tag`` from the artifact, else ``flink:<version>``.

    The tag defaults to the Flink version.
    """
    artifact = context.spec.artifact
    repository = artifact.flink_image_repository or "flink"
    registry = artifact.flink_image_registry
    registry = f"{registry.rstrip('/')}/" if registry else ""
    return f"{registry}{repository}:{artifact.flink_image_tag or artifact.flink_version}"
