"""Kubernetes structures inside a Deployment, checked against Kubernetes' own types.

VVP passes pod templates (``jobManagerPodTemplate``, ``taskManagerPodTemplate``)
and the parts of ``kubernetes.pods`` (tolerations, affinity, security
context, volumes, volume mounts, environment sources) through to Kubernetes.
They are checked here, when the Deployment is validated (so at ``validate``
and ``preview`` time), against the typed models lightkube generates from the
Kubernetes OpenAPI schema (``lightkube.models``): every field known, of the
right JSON type, required fields present. Beyond the structure, what the
API server would refuse in names, maps and quantities is checked too
(labels, annotations, node selectors, container, volume and environment
variable names: :mod:`pulumi_flink.model.names`; resource quantities);
other values Kubernetes judges (enum values) are left to the API server.

The walk is ours so that every problem names the full field path, but the
types are lightkube's (read through ``msgspec.inspect``), so they follow the
Kubernetes release lightkube-models is generated for. Types are named here
and the walk (``_kubernetes_walk``, which imports lightkube and msgspec) is
loaded on the first value to check: most specs have no pod settings, and
importing lightkube costs a Pulumi program about 4 MiB it would never use.

Examples
--------
>>> problems = kubernetes_problems({"spec": [1]}, POD_TEMPLATE)
>>> [str(problem) for problem in problems]
['spec: expected an object (a Kubernetes PodSpec), got an array']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, NamedTuple

from pydantic import AfterValidator

POD_TEMPLATE: Final = "PodTemplateSpec"
"""Names of types in ``lightkube.models.core_v1``."""
TOLERATION: Final = "Toleration"
AFFINITY: Final = "Affinity"
POD_SECURITY_CONTEXT: Final = "PodSecurityContext"
VOLUME: Final = "Volume"
VOLUME_MOUNT: Final = "VolumeMount"
ENV_VAR_SOURCE: Final = "EnvVarSource"

NAME_GIVEN_ELSEWHERE: Final = "named-elsewhere"
"""The name a volume or mount is checked with when the VVP document names it around it."""


class KubernetesProblem(NamedTuple):
    """One place where a value does not have the Kubernetes structure."""

    location: tuple[str | int, ...]
    """Keys and indexes from the checked value to the offending field."""
    reason: str

    def __str__(self) -> str:
        path = ""
        for part in self.location:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
        return f"{path or '<value>'}: {self.reason}"


class KubernetesShapeError(ValueError):
    """Raised by model validators: ``problems`` are located inside the field."""

    def __init__(self, problems: Sequence[KubernetesProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def check_kubernetes(value: object, model: str) -> None:
    """Raise :class:`KubernetesShapeError` when ``value`` is not a ``model`` (a type's name).

    Raises
    ------
    KubernetesShapeError
        Listing every problem (at most 20), each located inside ``value``.
    """
    problems = kubernetes_problems(value, model)
    if problems:
        raise KubernetesShapeError(problems)


def shaped_as(model: str, *, named_elsewhere: bool = False) -> AfterValidator:
    """A pydantic validator: the field's value has the structure of ``model`` (a type's name).

    ``named_elsewhere``: the object's ``name`` is given by the VVP document
    around it (a volume and its mount take the name of the ``volumeMounts``
    entry), so it may be left out.
    """

    def check(value: Any) -> Any:
        if value is not None:
            named = {"name": NAME_GIVEN_ELSEWHERE, **value} if named_elsewhere else value
            check_kubernetes(named, model)
        return value

    return AfterValidator(check)


def kubernetes_problems(value: object, model: str) -> list[KubernetesProblem]:
    """Every place (at most 20) where ``value`` is not the JSON form of the type named ``model``."""
    # Imported here: it loads lightkube, which most programs never need (module docstring).
    from pulumi_flink.model import _kubernetes_walk

    return _kubernetes_walk.problems(value, model)
