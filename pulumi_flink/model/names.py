"""VVP naming rules and the Kubernetes name rules they meet."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

DEPLOYMENT_NAME_PATTERN = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
"""VVP Deployment names: up to 63 of ``[-0-9a-z]``, no leading/trailing hyphen."""

TARGET_NAME_PATTERN = re.compile(r"^[0-9a-zA-Z_-]{1,250}$")
"""VVP DeploymentTarget names: up to 250 of ``[0-9a-zA-Z_-]``."""

DNS1123_LABEL_PATTERN = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
"""Kubernetes namespace names (RFC 1123 labels)."""


def deployment_name_problem(name: str) -> str | None:
    """Say why ``name`` is not a valid VVP Deployment name, or ``None``."""
    if DEPLOYMENT_NAME_PATTERN.fullmatch(name):
        return None
    return (
        f"{name!r} is not a valid Deployment name: use 1-63 lowercase letters, "
        "digits and '-', starting and ending with a letter or digit"
    )


def session_cluster_name_problem(name: str) -> str | None:
    """Say why ``name`` is not a valid VVP SessionCluster name, or ``None``.

    VVP names SessionClusters by the rules of Deployments.
    """
    if DEPLOYMENT_NAME_PATTERN.fullmatch(name):
        return None
    return (
        f"{name!r} is not a valid SessionCluster name: use 1-63 lowercase letters, "
        "digits and '-', starting and ending with a letter or digit"
    )


def target_name_problem(name: str) -> str | None:
    """Say why ``name`` is not a valid VVP DeploymentTarget name, or ``None``."""
    if TARGET_NAME_PATTERN.fullmatch(name):
        return None
    return f"{name!r} is not a valid DeploymentTarget name: use 1-250 letters, digits, '_' and '-'"


def namespace_problem(namespace: object) -> str | None:
    """Say why ``namespace`` is not a valid Kubernetes namespace, or ``None``."""
    if not isinstance(namespace, str):
        return f"a namespace is a string, not {type(namespace).__name__}"
    if DNS1123_LABEL_PATTERN.fullmatch(namespace):
        return None
    return (
        f"{namespace!r} is not a valid Kubernetes namespace (a DNS-1123 label): "
        "use 1-63 lowercase letters, digits and '-', starting and ending with "
        "a letter or digit"
    )


DNS1123_SUBDOMAIN_PATTERN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
"""Kubernetes object names and label-key prefixes (RFC 1123 subdomains, up to 253)."""

LABEL_NAME_PATTERN = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
"""The name part of a label or annotation key, and a non-empty label value (up to 63)."""

ENV_VAR_NAME_PATTERN = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
"""Environment variable names every Kubernetes release accepts."""

MAX_ANNOTATIONS_SIZE = 256 * 1024
"""Most bytes the keys and values of one object's annotations may hold together."""


def dns1123_label_problem(name: object, what: str = "name") -> str | None:
    """Say why ``name`` is not a Kubernetes DNS-1123 label (a container or volume name).

    >>> print(dns1123_label_problem("Data Dir", "volume name"))
    'Data Dir' is not a valid volume name (a DNS-1123 label): use 1-63 lowercase letters, \
digits and '-', starting and ending with a letter or digit
    """
    if isinstance(name, str) and DNS1123_LABEL_PATTERN.fullmatch(name):
        return None
    return (
        f"{name!r} is not a valid {what} (a DNS-1123 label): use 1-63 lowercase letters, "
        "digits and '-', starting and ending with a letter or digit"
    )


def dns1123_subdomain_problem(name: object, what: str = "name") -> str | None:
    """Say why ``name`` is not a Kubernetes object name (a DNS-1123 subdomain), or ``None``."""
    if isinstance(name, str) and len(name) <= 253 and DNS1123_SUBDOMAIN_PATTERN.fullmatch(name):
        return None
    return (
        f"{name!r} is not a valid {what} (a DNS-1123 subdomain): use up to 253 lowercase "
        "letters, digits, '-' and '.', starting and ending with a letter or digit"
    )


def qualified_name_problem(key: str, what: str = "label key") -> str | None:
    """Say why ``key`` is not a Kubernetes label or annotation key, or ``None``.

    A key is a name of up to 63 letters, digits, ``-``, ``_`` and ``.``
    (starting and ending with a letter or digit), optionally after a DNS
    subdomain prefix and ``/``.

    >>> qualified_name_problem("app.kubernetes.io/name") is None
    True
    >>> print(qualified_name_problem("team name"))
    'team name' is not a valid label key: use an optional DNS prefix and '/', then 1-63 \
letters, digits, '-', '_' and '.', starting and ending with a letter or digit
    """
    prefix, slash, name = key.rpartition("/")
    if LABEL_NAME_PATTERN.fullmatch(name) and (
        not slash
        or (len(prefix) <= 253 and DNS1123_SUBDOMAIN_PATTERN.fullmatch(prefix) is not None)
    ):
        return None
    return (
        f"{key!r} is not a valid {what}: use an optional DNS prefix and '/', then 1-63 letters, "
        "digits, '-', '_' and '.', starting and ending with a letter or digit"
    )


def label_value_problem(value: str) -> str | None:
    """Say why ``value`` is not a Kubernetes label value, or ``None``.

    >>> print(label_value_problem("a b"))
    'a b' is not a valid label value: use at most 63 letters, digits, '-', '_' and '.', \
starting and ending with a letter or digit (or leave it empty)
    """
    if value == "" or LABEL_NAME_PATTERN.fullmatch(value):
        return None
    return (
        f"{_shown(value)} is not a valid label value: use at most 63 letters, digits, '-', '_' "
        "and '.', starting and ending with a letter or digit (or leave it empty)"
    )


def env_var_name_problem(name: str) -> str | None:
    """Say why ``name`` is not an environment variable name Kubernetes accepts, or ``None``.

    >>> print(env_var_name_problem("MY VAR"))
    'MY VAR' is not a valid environment variable name: use letters, digits, '_', '-' and '.', \
not starting with a digit
    """
    if ENV_VAR_NAME_PATTERN.fullmatch(name):
        return None
    return (
        f"{_shown(name)} is not a valid environment variable name: use letters, digits, '_', "
        "'-' and '.', not starting with a digit"
    )


MapProblem = tuple[tuple[str, ...], str]
"""Where in a string map (``()`` for the map, ``(key,)`` for one entry) and why."""


FLINK_RESERVED_ENV_VARS = frozenset({"FLINK_PROPERTIES"})
"""Variables the Flink image's entrypoint appends to its configuration file: setting one
would write configuration keys past every check of ``flinkConfiguration``."""


def flink_env_var_problem(name: str) -> str | None:
    """Say why ``name`` cannot name an environment variable of a Flink container, or ``None``.

    >>> print(flink_env_var_problem("FLINK_PROPERTIES"))
    'FLINK_PROPERTIES' is reserved: the Flink image appends it to its configuration file, past \
the checks of flinkConfiguration; set the options in flinkConfiguration instead
    """
    if name in FLINK_RESERVED_ENV_VARS:
        return (
            f"{name!r} is reserved: the Flink image appends it to its configuration file, past "
            "the checks of flinkConfiguration; set the options in flinkConfiguration instead"
        )
    return env_var_name_problem(name)


def label_map_problems(labels: Mapping[str, str]) -> list[MapProblem]:
    """Every entry of ``labels`` Kubernetes would refuse as a label (or node selector).

    >>> label_map_problems({"team": "data", "tier": "a b"})[0][0]
    ('tier',)
    """
    problems: list[MapProblem] = []
    for key, value in labels.items():
        reason = qualified_name_problem(key) or label_value_problem(value)
        if reason:
            problems.append(((key,), reason))
    return problems


def annotation_map_problems(annotations: Mapping[str, str]) -> list[MapProblem]:
    """Every key of ``annotations`` Kubernetes would refuse, and a map too large as a whole."""
    problems: list[MapProblem] = [
        ((key,), reason)
        for key in annotations
        if (reason := qualified_name_problem(key, "annotation key"))
    ]
    size = sum(len(key) + len(value) for key, value in annotations.items())
    if size > MAX_ANNOTATIONS_SIZE:
        reason = f"{size:,} characters of annotations; Kubernetes takes {MAX_ANNOTATIONS_SIZE:,}"
        problems.append(((), reason))
    return problems


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 80 else repr(text[:77]) + "..."


_IMAGE_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE_HOST = (
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
)
IMAGE_PATTERNS = {
    "registry": re.compile(rf"^{_IMAGE_HOST}(?::[0-9]+)?(?:/{_IMAGE_COMPONENT})*/?$"),
    "repository": re.compile(rf"^{_IMAGE_COMPONENT}(?:/{_IMAGE_COMPONENT})*$"),
    "tag": re.compile(r"^[\w][\w.-]{0,127}$"),
}
"""The parts of an image reference (``registry/repository:tag``), as container runtimes read
them; VVP's registry may carry a path (``registry.ververica.com/v2.13``)."""


def image_part_problem(part: str, value: str | None) -> str | None:
    """Say why ``value`` cannot be the image ``part`` (registry, repository, tag), or ``None``.

    ``None`` (the part is not set) is fine.

    >>> image_part_problem("registry", "registry.ververica.com/v2.13") is None
    True
    >>> print(image_part_problem("tag", " "))
    ' ' is not a valid image tag: use up to 128 letters, digits, '_', '.' and '-', \
not starting with '.' or '-'
    """
    if value is None or (IMAGE_PATTERNS[part].fullmatch(value) and len(value) <= 255):
        return None
    rules = {
        "registry": "a host name with an optional :port and /path",
        "repository": "lowercase letters and digits separated by '.', '_', '-' or '/'",
        "tag": "up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'",
    }
    return f"{_shown(value)} is not a valid image {part}: use {rules[part]}"


CONFIG_MAP_KEY_PATTERN = re.compile(r"^[-._a-zA-Z0-9]{1,253}$")
"""Keys of Kubernetes Secrets and ConfigMaps."""


def secret_key_problem(key: object) -> str | None:
    """Say why ``key`` cannot be a key of a Kubernetes Secret, or ``None``.

    >>> print(secret_key_problem("db password"))
    'db password' is not a valid Kubernetes Secret key: use 1-253 letters, digits, '-', '_' \
and '.' (not '.', nor starting with '..')
    """
    if (
        isinstance(key, str)
        and CONFIG_MAP_KEY_PATTERN.fullmatch(key)
        and key != "."
        and not key.startswith("..")
    ):
        return None
    return (
        f"{_shown(str(key))} is not a valid Kubernetes Secret key: use 1-253 letters, digits, "
        "'-', '_' and '.' (not '.', nor starting with '..')"
    )


_NOT_IN_A_URI = re.compile(r"[\s\x00-\x1f\x7f]")


def uri_problem(uri: str | None) -> str | None:
    """Say why ``uri`` cannot be a URI Flink or Kubernetes reads, or ``None``.

    Unset and empty are left to the rules that require a location (they say which).

    >>> print(uri_problem("https://example.com/my job.jar"))
    'https://example.com/my job.jar' is not a URI: it holds a space or a control character; \
write a space as %20
    """
    if not uri or not _NOT_IN_A_URI.search(uri):
        return None
    return (
        f"{_shown(uri)} is not a URI: it holds a space or a control character; write a space as %20"
    )


_CODE_NAMES: Final = {
    "Java class": (
        re.compile(r"(?:[^\W\d]|\$)[\w$]*(?:\.(?:[^\W\d]|\$)[\w$]*)*"),
        "a Java class name such as com.example.Orders",
    ),
    "Python module": (
        re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*"),
        "a Python module name such as orders.main",
    ),
}
"""What the entrypoints are given after ``--job-classname`` and ``-pym``."""


def code_name_problem(what: str, name: str | None) -> str | None:
    """Say why ``name`` cannot be the ``what`` (``Java class``, ``Python module``) a job runs.

    The name is passed to Flink's entrypoint as the value of an option; one
    that starts with ``-`` would be read as an option of its own (``-D``
    sets configuration past the forbidden keys). Unset and empty are left to
    the rules that require the field.

    >>> code_name_problem("Java class", "com.example.Orders$Main") is None
    True
    >>> print(code_name_problem("Java class", "-Dkubernetes.namespace=x"))
    '-Dkubernetes.namespace=x' is not a Java class name: write a Java class name such as \
com.example.Orders
    """
    if not name:
        return None
    pattern, example = _CODE_NAMES[what]
    if pattern.fullmatch(name):
        return None
    return f"{_shown(name)} is not a {what} name: write {example}"
