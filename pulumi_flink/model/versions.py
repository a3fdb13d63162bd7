"""Every Flink version we run, and what each one really reads: one table.

Every version difference the renderers act on is a column of
:data:`FLINK_VERSIONS`; nothing else compares version numbers. The README's
"Flink versions" table shows the same rows. Facts were checked against
Flink's own classes of each release (see the notes of issue 13):

- **configuration file**: ``config.yaml`` from 1.19, ``flink-conf.yaml``
  before (FLIP-366).
- **Kubernetes HA**: 1.13 to 1.15 load HA services only by factory class under
  ``high-availability``; 1.16 also takes the short value ``kubernetes``
  there (FLINK-27808); 1.17 renamed the key to ``high-availability.type``
  (the old key and the factory class keep working).
- **Flink fetches artifacts** (1.19+, FLINK-32315): native Kubernetes
  application mode downloads a remote ``jarURI`` and the
  ``user.artifacts.artifact-list`` itself, and ``standalone-job`` takes
  ``--jars=a,b``. Before 1.19 the native entrypoint accepts only one
  ``local://`` job jar and ``standalone-job`` has no ``--jars``.
- **Java 17 module options** (images with Java 17 from 1.18): the image's
  default configuration carries them in ``env.java.opts.all`` (1.18) or
  ``env.java.default-opts.all`` (1.19+, prepended to the user's own); our
  standalone ConfigMap replaces that default, so it carries them again
  (:mod:`pulumi_flink.render.java`).
- **SQL driver** (2.0+, FLIP-480): ``org.apache.flink.table.runtime.application.SqlDriver``
  in ``flink-table-runtime`` runs a script (``--scriptUri`` / ``--script``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FLINK_CONF_YAML = "flink-conf.yaml"
CONFIG_YAML = "config.yaml"

HA_KEY = "high-availability"
HA_TYPE_KEY = "high-availability.type"
HA_KEYS = (HA_TYPE_KEY, HA_KEY)
"""Both keys that switch HA on; 1.17+ reads either."""
KUBERNETES_HA_FACTORY = "org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory"


@dataclass(frozen=True)
class FlinkVersion:
    """What one Flink minor version reads (a row of :data:`FLINK_VERSIONS`)."""

    version: str
    """VVP spelling, ``"1.20"``."""
    config_file: str
    """Name of the configuration file Flink reads from ``conf/``."""
    kubernetes_ha: tuple[str, str]
    """Key and value that switch on Kubernetes HA."""
    fetches_artifacts: bool
    """Flink downloads job jars itself: remote ``jarURI``, ``user.artifacts.*``, ``--jars``."""
    sql_driver: bool
    """Flink runs a SQL script itself with ``SqlDriver``."""
    java_options_key: str | None
    """Where the image's default configuration puts the Java 17 module options
    (``None``: no Java 17 image)."""

    @property
    def operator_version(self) -> str:
        """The operator's ``flinkVersion`` enum value, ``v1_20``."""
        return "v" + self.version.replace(".", "_")


_SHORT_HA = (HA_KEY, "kubernetes")
_FACTORY_HA = (HA_KEY, KUBERNETES_HA_FACTORY)
_TYPE_HA = (HA_TYPE_KEY, "kubernetes")

JAVA_OPTS_ALL = "env.java.opts.all"
JAVA_DEFAULT_OPTS_ALL = "env.java.default-opts.all"
_OPTS = JAVA_OPTS_ALL
_DEFAULT_OPTS = JAVA_DEFAULT_OPTS_ALL

# version, configuration file, Kubernetes HA, Flink fetches artifacts, SQL driver,
# Java 17 options key
_ROWS = (
    ("1.13", FLINK_CONF_YAML, _FACTORY_HA, False, False, None),
    ("1.14", FLINK_CONF_YAML, _FACTORY_HA, False, False, None),
    ("1.15", FLINK_CONF_YAML, _FACTORY_HA, False, False, None),
    ("1.16", FLINK_CONF_YAML, _SHORT_HA, False, False, None),
    ("1.17", FLINK_CONF_YAML, _TYPE_HA, False, False, None),
    ("1.18", FLINK_CONF_YAML, _TYPE_HA, False, False, _OPTS),
    ("1.19", CONFIG_YAML, _TYPE_HA, True, False, _DEFAULT_OPTS),
    ("1.20", CONFIG_YAML, _TYPE_HA, True, False, _DEFAULT_OPTS),
    ("2.0", CONFIG_YAML, _TYPE_HA, True, True, _DEFAULT_OPTS),
    ("2.1", CONFIG_YAML, _TYPE_HA, True, True, _DEFAULT_OPTS),
    ("2.2", CONFIG_YAML, _TYPE_HA, True, True, _DEFAULT_OPTS),
    ("2.3", CONFIG_YAML, _TYPE_HA, True, True, _DEFAULT_OPTS),
    ("2.4", CONFIG_YAML, _TYPE_HA, True, True, _DEFAULT_OPTS),
)

FLINK_VERSIONS: dict[str, FlinkVersion] = {row[0]: FlinkVersion(*row) for row in _ROWS}
"""Every supported version (the operator CRD's ``flinkVersion`` enum), oldest first."""

SUPPORTED_FLINK_VERSIONS = tuple(FLINK_VERSIONS)
"""VVP-style versions matching the ``flinkVersion`` enum of the operator's CRD."""


def known_flink_version(version: str) -> str:
    """Return ``version`` when the Flink operator knows it, else raise ``ValueError``.

    >>> known_flink_version("1.20")
    '1.20'
    """
    if version not in SUPPORTED_FLINK_VERSIONS:
        oldest = SUPPORTED_FLINK_VERSIONS[0]
        if _older(version, oldest):
            raise ValueError(
                f"Flink {version} is older than the oldest version the Flink operator "
                f"runs ({oldest}); upgrade the job to Flink {oldest} or later"
            )
        known = ", ".join(SUPPORTED_FLINK_VERSIONS)
        raise ValueError(f"Flink version {version!r} is not one the Flink operator knows ({known})")
    return version


_ENGINE_FLINK_VERSION = re.compile(r"flink-(\d+\.\d+)")


def engine_flink_version(engine_version: str) -> str | None:
    """The Flink version an engine version names (VVP 3, Ververica Cloud), else ``None``.

    Ververica's engines are named ``vera-<release>-flink-<version>`` (or
    ``vvr-...``); the Flink part is what runs.

    >>> engine_flink_version("vera-4.1-flink-1.20"), engine_flink_version("vvr-8.0.5")
    ('1.20', None)
    """
    found = _ENGINE_FLINK_VERSION.search(engine_version)
    return found.group(1) if found else None


def _older(version: str, than: str) -> bool:
    """True when ``version`` is a ``major.minor`` number below ``than``.

    >>> _older("1.10", "1.13"), _older("1.x", "1.13"), _older("3.0", "1.13")
    (True, False, False)
    """
    parts = version.split(".")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return False
    major, minor = (int(part) for part in parts)
    oldest_major, oldest_minor = (int(part) for part in than.split("."))
    return (major, minor) < (oldest_major, oldest_minor)


def flink_version(version: str) -> FlinkVersion:
    """The row of a supported version (validated by the model before rendering).

    >>> flink_version("1.16").kubernetes_ha
    ('high-availability', 'kubernetes')
    """
    return FLINK_VERSIONS[version]


def operator_flink_version(version: str) -> str:
    """Return the operator's spelling of a VVP Flink version.

    >>> operator_flink_version("1.20")
    'v1_20'
    """
    return flink_version(version).operator_version
