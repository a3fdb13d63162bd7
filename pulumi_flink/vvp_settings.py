"""VVP-only settings: a faithful Flink translation, or a warning, never a silent pass-through.

Ververica Platform reads a few settings that mean nothing to Flink or to the
Flink operator:

- ``flinkConfiguration["high-availability"] = "vvp-kubernetes"`` selects
  VVP's own Kubernetes HA services. Flink's own Kubernetes HA does the same
  job, so it is switched on instead (with the key and value the Flink version
  reads), storing its metadata under ``high-availability.storageDir`` or
  ``<state.checkpoints.dir>/ha``.
- Template annotations that are VVP feature switches
  (:data:`FEATURE_ANNOTATIONS`): mapped to Flink configuration where Flink
  has an equivalent, otherwise dropped with a warning naming them. Neither
  reaches the FlinkDeployment's annotations.
- ``logging.loggingProfile`` and ``logging.log4j2ConfigurationTemplate`` are
  kept but not rendered (we write ``log4j-console.properties`` from
  ``log4jLoggers``): a warning says so.

Warnings are :class:`~pulumi_flink.errors.FieldProblem` values: ``validate``
and ``render`` print them, the ``Deployment`` component logs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pulumi_flink.errors import FieldProblem
from pulumi_flink.model import Deployment, DeploymentTemplateSpec
from pulumi_flink.model.versions import HA_KEYS, flink_version

VVP_KUBERNETES_HA = "vvp-kubernetes"
"""VVP's own HA services, as ``high-availability`` names them."""

HA_STORAGE_DIR = "high-availability.storageDir"
CHECKPOINTS_DIR = "state.checkpoints.dir"

TEMPLATE_SPEC = "spec.template.spec"
TEMPLATE_ANNOTATIONS = "spec.template.metadata.annotations"


@dataclass(frozen=True)
class FeatureAnnotation:
    """A VVP feature switch set as a template annotation, and its Flink equivalent."""

    flink_key: str | None
    """The Flink configuration key that does the same, or ``None``."""
    last_version: str | None
    """The newest Flink version that has ``flink_key`` (``None``: all)."""
    advice: str
    """What to do instead, for the warning."""


FEATURE_ANNOTATIONS: dict[str, FeatureAnnotation] = {
    "flink.queryable-state.enabled": FeatureAnnotation(
        "queryable-state.enable",
        "1.20",
        "queryable state also needs flink-queryable-state-runtime in the image's lib/ "
        "(it ships in opt/); Flink 2.0 removed it",
    ),
    "flink.security.ssl.enabled": FeatureAnnotation(
        None,
        None,
        "VVP provisions the certificates itself; configure Flink's security.ssl.* "
        "options with your own keystores instead",
    ),
}
"""VVP's feature-switch annotations (VVP docs: "Deployment template annotations")."""


def _switched_on(value: str) -> bool:
    return value.strip().lower() == "true"


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _mapped_key(annotation: str, version: str) -> str | None:
    feature = FEATURE_ANNOTATIONS[annotation]
    if feature.flink_key is None:
        return None
    if feature.last_version and _version_tuple(version) > _version_tuple(feature.last_version):
        return None
    return feature.flink_key


def uses_vvp_kubernetes_ha(spec: DeploymentTemplateSpec) -> bool:
    """True when the configuration asks for VVP's own Kubernetes HA services."""
    return any(spec.flink_configuration.get(key) == VVP_KUBERNETES_HA for key in HA_KEYS)


def rendered_annotations(deployment: Deployment) -> dict[str, str]:
    """The template annotations without VVP's feature switches."""
    annotations = deployment.spec.template.metadata.annotations
    return {key: value for key, value in annotations.items() if key not in FEATURE_ANNOTATIONS}


def translated_configuration(deployment: Deployment) -> dict[str, str]:
    """``flinkConfiguration`` with VVP-only settings translated to Flink's.

    The user's own value of a mapped key wins over the feature switch.
    """
    spec = deployment.spec.template.spec
    version = spec.artifact.flink_version
    configuration = dict(spec.flink_configuration)
    if uses_vvp_kubernetes_ha(spec):
        for key in HA_KEYS:
            if configuration.get(key) == VVP_KUBERNETES_HA:
                del configuration[key]
        key, value = flink_version(version).kubernetes_ha
        configuration[key] = value
        if HA_STORAGE_DIR not in configuration and CHECKPOINTS_DIR in configuration:
            configuration[HA_STORAGE_DIR] = f"{configuration[CHECKPOINTS_DIR].rstrip('/')}/ha"
    for annotation, value in deployment.spec.template.metadata.annotations.items():
        if annotation in FEATURE_ANNOTATIONS and _switched_on(value):
            flink_key = _mapped_key(annotation, version)
            if flink_key is not None:
                configuration.setdefault(flink_key, "true")
    return configuration


def vvp_setting_problems(deployment: Deployment) -> list[FieldProblem]:
    """Errors: VVP-only settings that cannot be translated as given."""
    configuration = deployment.spec.template.spec.flink_configuration
    if uses_vvp_kubernetes_ha(deployment.spec.template.spec) and not (
        HA_STORAGE_DIR in configuration or CHECKPOINTS_DIR in configuration
    ):
        return [
            FieldProblem(
                f"{TEMPLATE_SPEC}.flinkConfiguration.high-availability",
                f"{VVP_KUBERNETES_HA!r} becomes Flink's Kubernetes HA, which needs "
                f"{HA_STORAGE_DIR!r} (VVP took it from its blob storage) or "
                f"{CHECKPOINTS_DIR!r}; set one, e.g. through the target's deploymentPatchSet",
            )
        ]
    return []


def vvp_setting_warnings(deployment: Deployment) -> list[FieldProblem]:
    """Warnings: VVP-only settings translated into something else, or dropped."""
    spec = deployment.spec.template.spec
    version = spec.artifact.flink_version
    warnings = []
    if uses_vvp_kubernetes_ha(spec):
        warnings.append(
            FieldProblem(
                f"{TEMPLATE_SPEC}.flinkConfiguration.high-availability",
                f"{VVP_KUBERNETES_HA!r} (VVP's HA services) is rendered as Flink's own "
                "Kubernetes HA",
            )
        )
    for annotation, value in deployment.spec.template.metadata.annotations.items():
        feature = FEATURE_ANNOTATIONS.get(annotation)
        if feature is None:
            continue
        flink_key = _mapped_key(annotation, version)
        if flink_key is not None and _switched_on(value):
            reason = f"VVP feature switch rendered as {flink_key}: true; {feature.advice}"
        elif feature.flink_key is None:
            reason = f"VVP feature switch dropped: Flink has no equivalent; {feature.advice}"
        elif flink_key is None:
            reason = f"VVP feature switch dropped: Flink {version} has no {feature.flink_key}"
        else:
            reason = "VVP feature switch (off) dropped"
        warnings.append(FieldProblem(f"{TEMPLATE_ANNOTATIONS}.{annotation}", reason))
    logging = spec.logging
    unrendered = {
        "loggingProfile": logging.logging_profile,
        "log4j2ConfigurationTemplate": logging.log4j2_configuration_template,
    }
    for logging_field, setting in unrendered.items():
        if setting is not None:
            warnings.append(
                FieldProblem(
                    f"{TEMPLATE_SPEC}.logging.{logging_field}",
                    "kept but not rendered: pulumi-flink writes log4j-console.properties "
                    "from log4jLoggers",
                )
            )
    return warnings
