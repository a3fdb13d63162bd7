"""The user's pod parts that would collide with the ones pulumi-flink and Flink add.

Every pod that runs a job gets parts of ours: the configuration volume
(standalone), the ``usrlib`` volume and its fetching init container, the SQL
script's volume, the init container that renders secret values; under the
operator, Flink's native Kubernetes integration adds its own configuration
and pod-template volumes (:data:`FLINK_NATIVE_POD_PARTS`). A user volume
named like one of them, a Flink-container mount at one of their paths, or a
container named like one of ours would reach Kubernetes as a duplicate (the
API server or the operator refuses the pod at ``up`` time, or later), or be
merged into ours by name. So they are refused where the spec is checked,
naming the user's field and what it collides with.

The parts of ours are not restated here: each engine's renderer builds them
with the functions it renders with (:func:`~pulumi_flink.render.operator.operator_pod_parts`,
:func:`~pulumi_flink.render.standalone.standalone_pod_parts`), and the check
reads names and paths off that pod template.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import DeploymentKubernetes
from pulumi_flink.render.context import MAIN_CONTAINER
from pulumi_flink.render.pods import VVP_MAIN_CONTAINERS

FLINK_CONF_DIR = "/opt/flink/conf"
"""Where Flink reads its configuration: a volume of ours (standalone) or Flink's (operator)."""

FLINK_NATIVE_POD_PARTS: Final[dict[str, Any]] = {
    "spec": {
        "containers": [
            {
                "name": MAIN_CONTAINER,
                "volumeMounts": [
                    {"name": "flink-config-volume", "mountPath": FLINK_CONF_DIR},
                    {"name": "pod-template-volume", "mountPath": "/opt/flink/pod-template"},
                ],
            }
        ],
        "volumes": [{"name": "flink-config-volume"}, {"name": "pod-template-volume"}],
    }
}
"""What Flink's native Kubernetes integration adds to every pod the operator starts
(its ``FlinkConfMountDecorator`` and ``PodTemplateMountDecorator``)."""

_TEMPLATE_FIELDS = {
    "jobmanager": "jobManagerPodTemplate",
    "taskmanager": "taskManagerPodTemplate",
}

KUBERNETES_FIELD = "spec.template.spec.kubernetes"


@dataclass(frozen=True)
class _Part:
    """One named thing of a pod: a volume, a Flink-container mount path, a container."""

    kind: str
    value: str
    field: str
    volume: str = ""
    """For a mount path: the volume mounted there."""


def pod_collision_problems(
    ours: Mapping[str, Any], kubernetes: DeploymentKubernetes, components: tuple[str, ...]
) -> list[FieldProblem]:
    """The user's pod parts (of ``components``' pods) that collide with ``ours``.

    Parameters
    ----------
    ours
        A pod template holding every part pulumi-flink (and Flink) adds.
    kubernetes
        The Deployment's ``spec.template.spec.kubernetes``.
    components
        ``jobmanager`` and/or ``taskmanager``: whose full pod template counts.

    Examples
    --------
    >>> from pulumi_flink.model import DeploymentKubernetes
    >>> kubernetes = DeploymentKubernetes.model_validate({"pods": {"volumeMounts": [
    ...     {"name": "conf", "volume": {"emptyDir": {}},
    ...      "volumeMount": {"mountPath": "/opt/flink/conf/"}}]}})
    >>> for problem in pod_collision_problems(FLINK_NATIVE_POD_PARTS, kubernetes, ()):
    ...     print(problem.field, "-", problem.reason)  # doctest: +NORMALIZE_WHITESPACE
    spec.template.spec.kubernetes.pods.volumeMounts[0].volumeMount.mountPath - '/opt/flink/conf'
    is where the pod already mounts volume 'flink-config-volume' (added by pulumi-flink or
    Flink): mount elsewhere (to change the Flink configuration, use flinkConfiguration)
    """
    taken = {(part.kind, part.value): part for part in _parts(ours, "")}
    return [
        FieldProblem(part.field, _reason(part, taken[(part.kind, part.value)]))
        for part in _user_parts(kubernetes, components)
        if (part.kind, part.value) in taken
    ]


def check_pod_parts(
    ours: Mapping[str, Any], kubernetes: DeploymentKubernetes, components: tuple[str, ...]
) -> None:
    """Raise :class:`SpecValidationError` if :func:`pod_collision_problems` finds any."""
    problems = pod_collision_problems(ours, kubernetes, components)
    if problems:
        raise SpecValidationError(problems)


def _reason(part: _Part, ours: _Part) -> str:
    added = "(added by pulumi-flink or Flink)"
    if part.kind == "mount":
        advice = " (to change the Flink configuration, use flinkConfiguration)"
        return (
            f"{part.value!r} is where the pod already mounts volume {ours.volume!r} {added}: "
            f"mount elsewhere{advice if part.value == FLINK_CONF_DIR else ''}"
        )
    return f"{part.value!r} is the name of a {part.kind} the pod already has {added}: rename yours"


def _normalized(path: str) -> str:
    return posixpath.normpath(path) if path else path


def _parts(template: Mapping[str, Any], field: str) -> Iterator[_Part]:
    """The volumes, Flink-container mount paths and container names of a pod template."""
    spec = template.get("spec") or {}
    for index, volume in enumerate(spec.get("volumes") or []):
        yield _Part("volume", str(volume.get("name")), f"{field}spec.volumes[{index}].name")
    for key in ("initContainers", "containers"):
        for index, container in enumerate(spec.get(key) or []):
            name = str(container.get("name"))
            if name in VVP_MAIN_CONTAINERS:
                for at, mount in enumerate(container.get("volumeMounts") or []):
                    path = _normalized(str(mount.get("mountPath", "")))
                    where = f"{field}spec.{key}[{index}].volumeMounts[{at}].mountPath"
                    yield _Part("mount", path, where, volume=str(mount.get("name")))
            else:
                yield _Part("container", name, f"{field}spec.{key}[{index}].name")


def _user_parts(kubernetes: DeploymentKubernetes, components: tuple[str, ...]) -> Iterator[_Part]:
    """The parts the user gave, each with the field that gave it."""
    pods = f"{KUBERNETES_FIELD}.pods.volumeMounts"
    for index, mount in enumerate(kubernetes.pods.volume_mounts):
        yield _Part("volume", mount.name, f"{pods}[{index}].name")
        path = mount.volume_mount.get("mountPath")
        if isinstance(path, str):
            yield _Part("mount", _normalized(path), f"{pods}[{index}].volumeMount.mountPath")
    for component in components:
        name = _TEMPLATE_FIELDS[component]
        template = getattr(kubernetes, _snake(name))
        if template:
            yield from _parts(template, f"{KUBERNETES_FIELD}.{name}.")


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)
