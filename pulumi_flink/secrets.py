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
- everything else is refused at preview, naming the key and the engine: the
  operator writes ``flinkConfiguration`` into a ConfigMap, and a ``jarUri``
  goes into the job spec or the container arguments.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from pulumi_flink.errors import FieldProblem, SpecValidationError
from pulumi_flink.model import Deployment

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


@dataclass(frozen=True)
class SecretKeyRef:
    """A key of a Kubernetes Secret in the workload's namespace."""

    secret: str
    key: str

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
    """

    environment: tuple[tuple[str, SecretKeyRef], ...] = ()
    omitted_keys: frozenset[str] = frozenset()
    template_values: tuple[tuple[str, SecretKeyRef], ...] = ()


NO_SECRETS = SecretDelivery()


def references(value: str) -> list[str]:
    """The names ``${name}`` references in a value, in order.

    >>> references("jdbc:${db-user}:${DB_PASSWORD}")
    ['db-user', 'DB_PASSWORD']
    """
    return SECRET_REFERENCE.findall(value)


def template_variable(name: str) -> str:
    """The init container's variable that carries secret value ``name``.

    >>> template_variable("db-password.v2")
    'PULUMI_FLINK_SECRET_VALUE_DB_PASSWORD_V2'
    """
    return TEMPLATE_ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def secret_delivery(
    deployment: Deployment, secret_values: Mapping[str, SecretKeyRef], engine: str
) -> SecretDelivery:
    """Plan how each referenced secret value reaches Flink on ``engine``, or refuse.

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
                    "flinkConfiguration into a ConfigMap. Use engine 'standalone' (it "
                    "renders the configuration from the Secret at start), or a key Flink "
                    f"also reads from the environment ({', '.join(ENVIRONMENT_CREDENTIALS)})",
                )
            )
    if problems:
        raise SpecValidationError(problems)
    return SecretDelivery(
        tuple(sorted(environment.items())), frozenset(omitted), tuple(sorted(templated.items()))
    )


def environment_reference_warnings(
    deployment: Deployment, secret_names: Collection[str]
) -> list[FieldProblem]:
    """Warnings for ``${NAME}`` that match none of ``secret_names``: kept as written."""
    configuration = deployment.spec.template.spec.flink_configuration
    warnings = []
    for key, value in configuration.items():
        unknown = [name for name in references(value) if name not in secret_names]
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
