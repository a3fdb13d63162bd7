"""The Flink configuration a workload runs with, and its image."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

import yaml

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model.flink_configuration import key_problem, line_configuration_problem
from pulumi_flink.model.versions import CONFIG_YAML, HA_KEYS, flink_version
from pulumi_flink.render.context import RenderContext
from pulumi_flink.strategy import CHECKPOINTS_DIR, needs_kubernetes_ha, upgrade_mode
from pulumi_flink.vvp_settings import translated_configuration

HA_STORAGE_DIR = "high-availability.storageDir"
CONFIGURATION_FIELD = "spec.template.spec.flinkConfiguration"


def configuration_file_text(
    configuration: Mapping[str, str], file_name: str, templated: Collection[str] = ()
) -> str:
    """Write a Flink configuration file with the serializer of its format.

    ``config.yaml`` (Flink 1.19+) is YAML, written by a YAML dumper, so any
    value reads back exactly. ``flink-conf.yaml`` is read line by line as
    ``key: value`` with no quoting at all: a value it cannot hold (a line
    break, ``#``, surrounding spaces) is refused rather than written, because
    it would read back as something else, or as more keys.

    ``templated`` keys carry ``${name}`` placeholders that the standalone
    init container replaces (:mod:`pulumi_flink.render.secrets`): in
    ``config.yaml`` they are written as one-line double-quoted scalars (JSON
    strings, which YAML reads as such), where the init container's escaped
    value lands inside the quotes.

    >>> print(configuration_file_text({"a": "x", "b": "${s}/ha"}, "config.yaml", {"b"}), end="")
    a: x
    "b": "${s}/ha"

    Raises
    ------
    SpecValidationError
        Naming each key whose key or value the format cannot hold.

    >>> print(configuration_file_text({"a.b": "1 # x"}, "flink-conf.yaml"))
    Traceback (most recent call last):
    ...
    pulumi_flink.errors.SpecValidationError: spec.template.spec.flinkConfiguration.a.b: the value has '#', where Flink's reader starts a comment
    """  # noqa: E501
    problems = [
        FieldProblem(f"{CONFIGURATION_FIELD}.{key}", problem)
        for key, value in configuration.items()
        for problem in (
            key_problem(key),
            None if file_name == CONFIG_YAML else line_configuration_problem(value),
        )
        if problem is not None
    ]
    if problems:
        raise SpecValidationError(problems)
    if file_name == CONFIG_YAML:
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        plain = {key: value for key, value in configuration.items() if key not in templated}
        text = yaml.dump(plain, Dumper=dumper, sort_keys=True, allow_unicode=True) if plain else ""
        return text + "".join(
            f"{json.dumps(key)}: {json.dumps(configuration[key], ensure_ascii=False)}\n"
            for key in sorted(templated)
            if key in configuration
        )
    # Flink before 1.19 reads no YAML quoting: a quoted '6123' would keep its quotes.
    return "".join(f"{key}: {configuration[key]}\n" for key in sorted(configuration))


def flink_configuration(context: RenderContext) -> dict[str, str]:
    """The effective ``flinkConfiguration`` plus what the upgrade mode needs.

    ``last-state`` needs Kubernetes HA: unless the configuration already
    chooses HA services, it is switched on with the key and value the Flink
    version reads (see :data:`~pulumi_flink.model.versions.FLINK_VERSIONS`),
    with the storage directory from the configuration or
    ``<state.checkpoints.dir>/ha``. VVP-only settings are translated first
    (:mod:`pulumi_flink.vvp_settings`).
    """
    configuration = translated_configuration(context.deployment)
    for key in context.secrets.omitted_keys:
        del configuration[key]
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
