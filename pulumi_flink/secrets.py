"""VVP Secret Values: ``${name}`` in ``flinkConfiguration`` values and a JAR's ``jarUri``.

VVP substitutes its Secret Values into those places at deployment, so the
spec never holds the secret. A ``${NAME}`` that matches no secret value is an
environment-variable reference (VVP docs: "If a Secret Value with a given
name exists, it will be preferred over an environment variable with the same
name"): it is kept as written, with a warning, since Flink substitutes nothing
in its configuration.

Here a secret value is a key of a Kubernetes Secret (:class:`SecretKeyRef`):
one the user names, or one the ``Deployment`` component creates from a
Pulumi secret. The resolved value must never appear in a FlinkDeployment, a
ConfigMap or a pod spec, so only a reference is rendered, and only where a
mechanism keeps the value out of every object:

- **credentials a filesystem plugin reads from the environment**
  (:data:`ENVIRONMENT_CREDENTIALS`: the S3 plugins fall back to the AWS SDK's
  ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``): the key is left out of the
  configuration and the Flink containers get the variable from the Secret
  (``secretKeyRef``), on both engines;
- **any other configuration value, standalone engine**: the configuration
  file keeps the ``${name}`` placeholder; an init container renders it, with
  the value from the Secret (its own environment, by reference), into an
  ``emptyDir`` that Flink reads as ``/opt/flink/conf`` (the ConfigMap mount is
  read-only, which is why the image's own substitution cannot be used);
- **an environment variable's value** (``kubernetes.pods.envVars``, or a
  container's ``env`` in ``jobManagerPodTemplate``/``taskManagerPodTemplate``),
  on both engines and in session clusters: a value that is exactly
  ``${name}`` becomes ``valueFrom.secretKeyRef``; a value with text around
  the reference takes it from a helper variable (``secretKeyRef``) through
  Kubernetes' own ``$(VAR)`` expansion (:data:`ENVIRONMENT_VALUE_FIELD`);
- everything else is refused at preview, naming the key and the engine: the
  operator writes ``flinkConfiguration`` into a ConfigMap, and a ``jarUri``
  goes into the job spec or the container arguments.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import Deployment
from pulumi_flink.model.names import dns1123_subdomain_problem, secret_key_problem

SECRET_REFERENCE = re.compile(r"\$\{([A-Za-z0-9_.-]+)\}")
"""``${name}``: a VVP Secret Value, or else an environment variable."""

ENVIRONMENT_CREDENTIALS = {
    "s3.access-key": "AWS_ACCESS_KEY_ID",
    "s3.secret-key": "AWS_SECRET_ACCESS_KEY",
    "fs.s3a.access.key": "AWS_ACCESS_KEY_ID",
    "fs.s3a.secret.key": "AWS_SECRET_ACCESS_KEY",
}
"""Flink keys whose value the filesystem plugins also read from an environment variable."""

TEMPLATE_ENV_PREFIX = "PULUMI_FLINK_SECRET_VALUE_"
"""Prefix of the init container's variables that carry secret values (by reference)."""

CONFIGURATION = "spec.template.spec.flinkConfiguration"
JAR_URI = "spec.template.spec.artifact.jarUri"

PULUMI_SECRET_PREFIX = "pulumi-secret."
"""Secret value names standing for Pulumi secrets given in a spec or a patch set.

The prefix is reserved: ``${pulumi-secret.<...>}`` always names a key of the
Secret the ``Deployment`` component makes (secrets in its spec) or, under
:data:`PATCH_SET_SECRET_PREFIX`, of the target's Secret
(:func:`target_secret_values_name`).
"""
PATCH_SET_SECRET_PREFIX = f"{PULUMI_SECRET_PREFIX}patch-set."
"""Secret value names standing for Pulumi secrets in a target's patch set."""

ENVIRONMENT_VALUE_FIELD = re.compile(
    r"spec\.template\.spec\.kubernetes\.(?:pods\.envVars|(?:jobManager|taskManager)PodTemplate"
    r"\.spec\.(?:initContainers|containers)\[\d+\]\.env)\[\d+\]\.value"
)
"""The fields of a Deployment that are environment variables' values (delivered by reference)."""

_SECRET_KEY = re.compile(r"[A-Za-z0-9_.-]+")
_CONFIGURATION_PATH = ("spec", "template", "spec", "flinkConfiguration")


@dataclass(frozen=True)
class SecretKeyRef:
    """A key of a Kubernetes Secret in the workload's namespace.

    Both parts must be what Kubernetes accepts (they are rendered into a
    ``secretKeyRef``), or :class:`~pulumi_flink.errors.SpecValidationError`:

    >>> SecretKeyRef("db credentials", "password")
    Traceback (most recent call last):
    ...
    pulumi_flink.errors.SpecValidationError: secretKeyRef: 'db credentials' is not a valid \
Secret name (a DNS-1123 subdomain): use up to 253 lowercase letters, digits, '-' and '.', \
starting and ending with a letter or digit
    """

    secret: str
    key: str

    def __post_init__(self) -> None:
        problem = dns1123_subdomain_problem(self.secret, "Secret name") or secret_key_problem(
            self.key
        )
        if problem:
            raise SpecValidationError.single("secretKeyRef", problem)

    def env_source(self) -> dict[str, object]:
        """The ``valueFrom`` of an environment variable taking this key."""
        return {"secretKeyRef": {"name": self.secret, "key": self.key}}


@dataclass(frozen=True)
class SecretDelivery:
    """How the secret values a Deployment references reach Flink without being rendered.

    Attributes
    ----------
    environment
        Variables of the Flink containers taken from Secrets (credentials).
    omitted_keys
        Configuration keys left out because a variable carries them.
    template_values
        The secret values the standalone init container substitutes into
        the configuration file (by name); empty when nothing needs rendering.
    environment_values
        The secret values environment variables' values reference (by name),
        rendered as references into every pod template's ``env``.
    """

    environment: tuple[tuple[str, SecretKeyRef], ...] = ()
    omitted_keys: frozenset[str] = frozenset()
    template_values: tuple[tuple[str, SecretKeyRef], ...] = ()
    environment_values: tuple[tuple[str, SecretKeyRef], ...] = ()


NO_SECRETS = SecretDelivery()


def references(value: str) -> list[str]:
    """The names ``${name}`` references in a value, in order.

    >>> references("jdbc:${db-user}:${DB_PASSWORD}")
    ['db-user', 'DB_PASSWORD']
    """
    return SECRET_REFERENCE.findall(value)


def pulumi_secret_name(prefix: str, path: Sequence[str | int]) -> str:
    """The secret value name of the Pulumi secret found at ``path``.

    Usable as a ``${name}`` reference and as a Kubernetes Secret key; a
    ``flinkConfiguration`` value is named after its key alone. A path with
    characters a Secret key cannot take is made safe and told apart by a hash.

    >>> pulumi_secret_name(PULUMI_SECRET_PREFIX, ["spec", "template", "spec",
    ...                    "flinkConfiguration", "s3.access-key"])
    'pulumi-secret.s3.access-key'
    >>> pulumi_secret_name(PATCH_SET_SECRET_PREFIX, [0])
    'pulumi-secret.patch-set.0'
    >>> pulumi_secret_name(PULUMI_SECRET_PREFIX, ["spec", "a/b"])
    'pulumi-secret.spec.a_b-df44a470'
    """
    parts = [str(part) for part in path]
    if tuple(parts[:4]) == _CONFIGURATION_PATH and len(parts) == 5:
        parts = parts[4:]
    text = ".".join(parts)
    if _SECRET_KEY.fullmatch(text) and len(text) <= 200:
        return prefix + text
    return f"{prefix}{re.sub(r'[^A-Za-z0-9_.-]', '_', text)[:180]}-{_digest(text)}"


def secret_values_name(workload: str) -> str:
    """Name of the Secret a Deployment or SessionCluster makes for its secret values.

    >>> secret_values_name("orders")
    'orders-secret-values'
    """
    return f"{workload}-secret-values"


def target_secret_values_name(target_name: str) -> str:
    """Name of the Secret holding the Pulumi secrets of a target's patch set.

    It lives in the target's namespace, where the Flink pods read it, and is
    named after the target, so a stack that reads the target with
    ``DeploymentTarget.get`` finds it too.

    >>> target_secret_values_name("prod")
    'prod-target-secrets'
    >>> target_secret_values_name("Prod_EU")
    'prod-eu-51006711-target-secrets'
    """
    base = re.sub(r"[^a-z0-9-]+", "-", target_name.lower()).strip("-")[:40].rstrip("-")
    if base == target_name:
        return f"{base}-target-secrets"
    # Distinct target names stay distinct: the hash is of the full name.
    return f"{base or 'target'}-{_digest(target_name)}-target-secrets"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def pulumi_secret_references(document: Any) -> Iterator[tuple[str, str]]:
    """Each ``(field, name)`` where a ``${pulumi-secret.*}`` reference sits in a wire document.

    >>> list(pulumi_secret_references({"a": [{"b": "x${pulumi-secret.k}"}]}))
    [('a[0].b', 'pulumi-secret.k')]
    """
    if isinstance(document, Mapping):
        for key, value in document.items():
            for field, name in pulumi_secret_references(value):
                yield (
                    (f"{key}.{field}" if field and not field.startswith("[") else f"{key}{field}"),
                    name,
                )
    elif isinstance(document, list):
        for index, value in enumerate(document):
            for field, name in pulumi_secret_references(value):
                yield (f"[{index}].{field}" if field else f"[{index}]"), name
    elif isinstance(document, str):
        for name in references(document):
            if name.startswith(PULUMI_SECRET_PREFIX):
                yield "", name


def _pulumi_secret_references_of(deployment: Deployment) -> Iterator[tuple[str, str]]:
    """:func:`pulumi_secret_references` of a Deployment's wire document.

    Every render asks, and most Deployments have none: their JSON text (made
    in pydantic's Rust serializer, several times faster than the walk) holds
    no ``${pulumi-secret.``, which JSON writes unescaped.
    """
    if "${" + PULUMI_SECRET_PREFIX not in deployment.model_dump_json(
        by_alias=True, exclude_none=True
    ):
        return iter(())
    return pulumi_secret_references(deployment.to_wire())


def pulumi_secret_refs(
    deployment: Deployment, own_secret: str, target_secret: str
) -> dict[str, SecretKeyRef]:
    """The Secret key behind each ``${pulumi-secret.*}`` reference in ``deployment``.

    Secrets of the target's patch set are keys of ``target_secret``, those of
    the Deployment's own spec keys of ``own_secret``.
    """
    return {
        name: SecretKeyRef(
            target_secret if name.startswith(PATCH_SET_SECRET_PREFIX) else own_secret, name
        )
        for _, name in _pulumi_secret_references_of(deployment)
    }


def template_variable(name: str) -> str:
    """The init container's variable that carries secret value ``name``.

    >>> template_variable("db-password.v2")
    'PULUMI_FLINK_SECRET_VALUE_DB_PASSWORD_V2'
    """
    return TEMPLATE_ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def secret_delivery(
    deployment: Deployment,
    secret_values: Mapping[str, SecretKeyRef],
    engine: str,
    *,
    session_cluster: bool = False,
) -> SecretDelivery:
    """Plan how each referenced secret value reaches Flink on ``engine``, or refuse.

    ``session_cluster``: ``deployment`` is a session cluster's view, which
    runs on the operator only (the refusal does not suggest another engine).

    Raises
    ------
    SpecValidationError
        One problem per key (and for the ``jarUri``) that references a
        secret value the engine cannot deliver without rendering it.
    """
    spec = deployment.spec.template.spec
    problems = []
    jar_uri = spec.artifact.jar_uri or ""
    for name in references(jar_uri):
        if name in secret_values:
            problems.append(
                FieldProblem(
                    JAR_URI,
                    f"references secret value {name!r}, which cannot be delivered safely "
                    f"on engine {engine!r}: the jar URI is part of the job spec and the "
                    "container arguments; put the credentials in the filesystem's "
                    "configuration (e.g. s3.access-key: ${...}) instead",
                )
            )
    problems += misplaced_pulumi_secrets(deployment, engine)
    remedy = (
        "A session cluster runs on the operator only; use "
        if session_cluster
        else "Use engine 'standalone' (it renders the configuration from the Secret at start), or "
    )
    environment: dict[str, SecretKeyRef] = {}
    omitted: set[str] = set()
    templated: dict[str, SecretKeyRef] = {}
    for key, value in spec.flink_configuration.items():
        names = [name for name in references(value) if name in secret_values]
        if not names:
            continue
        if key in ENVIRONMENT_CREDENTIALS and value == f"${{{names[0]}}}":
            environment[ENVIRONMENT_CREDENTIALS[key]] = secret_values[names[0]]
            omitted.add(key)
        elif engine == "standalone":
            templated.update((name, secret_values[name]) for name in names)
        else:
            problems.append(
                FieldProblem(
                    f"{CONFIGURATION}.{key}",
                    f"references secret value {', '.join(map(repr, names))}, which cannot "
                    f"be delivered safely on engine {engine!r}: the Flink operator writes "
                    f"flinkConfiguration into a ConfigMap. {remedy}a key Flink also reads "
                    f"from the environment ({', '.join(ENVIRONMENT_CREDENTIALS)})",
                )
            )
    if problems:
        raise SpecValidationError(problems)
    in_environment = {
        name: secret_values[name]
        for value in (environment_values(deployment) if secret_values else ())
        for name in references(value)
        if name in secret_values
    }
    return SecretDelivery(
        tuple(sorted(environment.items())),
        frozenset(omitted),
        tuple(sorted(templated.items())),
        tuple(sorted(in_environment.items())),
    )


def environment_values(deployment: Deployment) -> Iterator[str]:
    """Each literal env value of a Deployment's pods (``envVars``, pod templates' containers)."""
    kubernetes = deployment.spec.template.spec.kubernetes
    for variable in kubernetes.pods.env_vars:
        if variable.value:
            yield variable.value
    for template in (kubernetes.job_manager_pod_template, kubernetes.task_manager_pod_template):
        spec = (template or {}).get("spec") or {}
        for container in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
            for variable in container.get("env") or []:
                if isinstance(variable.get("value"), str):
                    yield variable["value"]


def misplaced_pulumi_secrets(deployment: Deployment, engine: str) -> list[FieldProblem]:
    """One problem per field that holds a Pulumi secret it cannot deliver by reference.

    Configuration values and environment variables' values are delivered
    from a Kubernetes Secret; anywhere else the value would be written into
    the FlinkDeployment or a pod spec. (A ``jarUri`` is refused by
    :func:`secret_delivery` itself.)
    """
    return [
        FieldProblem(
            field,
            f"holds a Pulumi secret ({name!r}), which cannot be delivered safely on engine "
            f"{engine!r}: it would be written into the workload's spec. Only flinkConfiguration "
            "values and environment variables' values can be Pulumi secrets",
        )
        for field, name in _pulumi_secret_references_of(deployment)
        if not field.startswith(f"{CONFIGURATION}.")
        and field != JAR_URI
        and not ENVIRONMENT_VALUE_FIELD.fullmatch(field)
    ]


def environment_reference_warnings(
    deployment: Deployment, secret_names: Collection[str]
) -> list[FieldProblem]:
    """Warnings for ``${NAME}`` that match none of ``secret_names``: kept as written."""
    configuration = deployment.spec.template.spec.flink_configuration
    warnings = []
    for key, value in configuration.items():
        unknown = [
            name
            for name in references(value)
            if name not in secret_names and not name.startswith(PULUMI_SECRET_PREFIX)
        ]
        if unknown:
            warnings.append(
                FieldProblem(
                    f"{CONFIGURATION}.{key}",
                    f"{', '.join('${' + n + '}' for n in unknown)} matches no secret value: "
                    "kept as an environment-variable reference, written as is (Flink "
                    "substitutes nothing in its configuration)",
                )
            )
    return warnings
