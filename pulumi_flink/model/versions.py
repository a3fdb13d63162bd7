"""Flink versions the Flink Kubernetes Operator knows."""

from __future__ import annotations

SUPPORTED_FLINK_VERSIONS = (
    "1.13", "1.14", "1.15", "1.16", "1.17", "1.18", "1.19", "1.20",
    "2.0", "2.1", "2.2", "2.3", "2.4",
)  # fmt: skip
"""VVP-style versions matching the ``flinkVersion`` enum of the operator's CRD."""


def known_flink_version(version: str) -> str:
    """Return ``version`` when the Flink operator knows it, else raise ``ValueError``.

    >>> known_flink_version("1.20")
    '1.20'
    """
    if version not in SUPPORTED_FLINK_VERSIONS:
        known = ", ".join(SUPPORTED_FLINK_VERSIONS)
        raise ValueError(f"Flink version {version!r} is not one the Flink operator knows ({known})")
    return version


def operator_flink_version(version: str) -> str:
    """Return the operator's spelling of a VVP Flink version.

    >>> operator_flink_version("1.20")
    'v1_20'
    """
    return "v" + version.replace(".", "_")


def uses_config_yaml(version: str) -> bool:
    """True when Flink reads ``config.yaml`` (1.19+) instead of ``flink-conf.yaml``."""
    major, minor = (int(part) for part in version.split("."))
    return (major, minor) >= (1, 19)
