"""Real Flink for the dev cluster: distributions, images and the entrypoint.

``toolchain/flink.sh`` fetches one distribution per pinned Flink line
(``toolchain/flink.env``) and compiles pulumi-flink's test job against each.
This module finds them and turns a pod's container into a command line the
way the official image does, with an entrypoint of our own:

* the *image* names the Flink line (the tag's leading ``major.minor``) and
  what the image holds: ``flink:<tag>`` is the plain distribution (an empty
  ``usrlib/``, as in the official image); :data:`COUNTER_JOB_IMAGE` adds
  pulumi-flink's test job as ``usrlib/counter-job.jar``;
* the container *args* run unchanged: ``standalone-job ...``, ``jobmanager``
  and ``taskmanager ...`` start the classes the distribution's
  ``standalone-job.sh``, ``jobmanager.sh`` and ``taskmanager.sh`` start,
  with the JVM options ``config.sh`` reads from the configuration
  (``env.java.default-opts.*``, ``env.java.opts.*``) and the memory flags
  Flink's own ``BashJavaUtils`` computes from it, as ``flink-console.sh``
  does. The configuration directory is used read-only: the image's
  entrypoint edits it only when it is writable, which a ConfigMap is not.

We run our own entrypoint rather than the distribution's scripts because the
PyPI sdist that carries the distribution holds ``bin/bash-java-utils.jar``
but not the shell scripts.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import DevClusterError

__all__ = [
    "COUNTER_JOB_IMAGE",
    "FLINK_DIR_ENV",
    "FlinkDistributions",
    "FlinkImageError",
    "flink_command",
    "flink_line",
    "java_options",
    "read_flink_configuration",
]

#: Environment variable naming a Flink cache dir to use instead of ``flink.sh --dir``'s.
FLINK_DIR_ENV = "PULUMI_FLINK_FLINK_DIR"

#: Image repository of the dev cluster's image with pulumi-flink's test job in ``usrlib/``.
COUNTER_JOB_IMAGE = "pulumi-flink/counter-job"

_PLAIN_IMAGE = "flink"
_COUNTER_JOB_JAR = "counter-job.jar"
_FLINK_SH = Path(__file__).resolve().parents[2] / "toolchain" / "flink.sh"
_PINS = _FLINK_SH.with_name("flink.env")
_LINE = re.compile(r"^(\d+)\.(\d+)")

_ENTRY_CLASSES = {
    "standalone-job": (
        "org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint"
    ),
    "jobmanager": "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
    "taskmanager": "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
}
_PROCESS = {
    "standalone-job": "jobmanager",
    "jobmanager": "jobmanager",
    "taskmanager": "taskmanager",
}
_BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils"
_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:"


class FlinkImageError(DevClusterError):
    """A pod's image or args cannot run as a local Flink process; the reason says why."""


def flink_line(image: str) -> str:
    """The Flink line (``major.minor``) an image's tag names.

    >>> flink_line("flink:1.20"), flink_line("registry.example/flink:2.0.0-java17")
    ('1.20', '2.0')
    """
    name, _, tag = image.rpartition(":")
    match = _LINE.match(tag) if name and "/" not in tag else None
    if match is None:
        raise FlinkImageError(f"image {image!r}: its tag does not start with a Flink version")
    return f"{match.group(1)}.{match.group(2)}"


def _repository(image: str) -> str:
    name = image.rpartition(":")[0]
    first, _, rest = name.partition("/")
    # A registry host has a dot or a port; Docker Hub's library/ is implied.
    if rest and ("." in first or ":" in first or first == "localhost"):
        name = rest
    return name.removeprefix("library/").removeprefix("docker.io/")


def read_pins(path: Path = _PINS) -> dict[str, str]:
    """Flink line -> pinned version, from ``toolchain/flink.env``.

    >>> read_pins()["1.20"].startswith("1.20.")
    True
    """
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"FLINK_(\d+)_(\d+)=(\S+)", line.strip())
        if match:
            pins[f"{match.group(1)}.{match.group(2)}"] = match.group(3)
    return pins


@dataclass(frozen=True)
class FlinkImage:
    """What a pod's image holds, as local paths.

    Attributes
    ----------
    version
        The Flink version of the distribution.
    home
        The distribution (``lib/``, ``opt/``, ``plugins/``, ``bin/``).
    usrlib
        Jars the image has in ``/opt/flink/usrlib``.
    """

    version: str
    home: Path
    usrlib: tuple[Path, ...]


@dataclass(frozen=True)
class FlinkDistributions:
    """The distributions ``toolchain/flink.sh`` fetched.

    Parameters
    ----------
    root
        The cache dir (``flink.sh --dir``), holding ``flink-<version>/``.
    jobs
        The test job's dir (``flink.sh --jobs-dir``), holding
        ``<version>/counter-job.jar``.
    pins
        Flink line -> version, from ``toolchain/flink.env``.
    """

    root: Path
    jobs: Path
    pins: Mapping[str, str]

    @classmethod
    def locate(cls, root: Path | None = None) -> FlinkDistributions:
        """Find the fetched distributions, or explain how to fetch them.

        ``root`` defaults to ``$PULUMI_FLINK_FLINK_DIR``, else what
        ``toolchain/flink.sh --dir`` prints; the jobs are in ``root/jobs/current``
        under ``$PULUMI_FLINK_FLINK_DIR``, else where ``flink.sh --jobs-dir``
        says. Raises :class:`DevClusterError` when a pinned version is missing.
        """
        if root is None:
            from_env = os.environ.get(FLINK_DIR_ENV)
            root = Path(from_env) if from_env else _flink_sh("--dir")
        jobs = _flink_sh("--jobs-dir") if _FLINK_SH.is_file() else root / "jobs" / "current"
        distributions = cls(root=root, jobs=jobs, pins=read_pins())
        missing = [
            version
            for version in distributions.pins.values()
            if not (root / f"flink-{version}" / ".complete").is_file()
            or not (jobs / version / _COUNTER_JOB_JAR).is_file()
        ]
        if missing:
            raise DevClusterError(
                f"real Flink {', '.join(missing)} not found in {root}: run toolchain/flink.sh "
                "(toolchain/bootstrap.sh runs it too), or set PULUMI_FLINK_FLINK_DIR"
            )
        return distributions

    def image(self, image: str) -> FlinkImage:
        """The local contents of ``image``; :class:`FlinkImageError` if we have none."""
        line = flink_line(image)
        version = self.pins.get(line)
        if version is None:
            raise FlinkImageError(
                f"image {image!r}: Flink {line} is not one of the real Flink lines "
                f"{sorted(self.pins)} (toolchain/flink.env)"
            )
        repository = _repository(image)
        home = self.root / f"flink-{version}"
        if repository == _PLAIN_IMAGE:
            return FlinkImage(version, home, ())
        if repository == COUNTER_JOB_IMAGE:
            return FlinkImage(version, home, (self.jobs / version / _COUNTER_JOB_JAR,))
        raise FlinkImageError(
            f"image {image!r}: the dev cluster runs only {_PLAIN_IMAGE}:<version> and "
            f"{COUNTER_JOB_IMAGE}:<version> for real"
        )


def _flink_sh(option: str) -> Path:
    result = subprocess.run(
        ["bash", str(_FLINK_SH), option], check=False, capture_output=True, text=True
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise DevClusterError(f"cannot locate the Flink cache: {_FLINK_SH} {option} failed")
    return Path(result.stdout.strip())


def _flatten(prefix: str, value: Any, into: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), inner, into)
    elif isinstance(value, bool):
        into[prefix] = "true" if value else "false"
    elif value is not None:
        into[prefix] = str(value)


def read_flink_configuration(conf_dir: Path) -> dict[str, str]:
    """The flat key/value configuration Flink reads from ``conf_dir``.

    ``flink-conf.yaml`` wins when present, as in ``config.sh``; it is read
    line by line (``key: value``, the last one wins, ``#`` starts a
    comment). ``config.yaml`` is standard YAML, nested keys joined by dots.
    """
    legacy = conf_dir / "flink-conf.yaml"
    if legacy.is_file():
        configuration: dict[str, str] = {}
        for line in legacy.read_text().splitlines():
            match = re.match(r"^\s*([^#:\s][^:]*?)\s*:\s([^#]*)", line)
            if match:
                configuration[match.group(1)] = match.group(2).strip()
        return configuration
    standard = conf_dir / "config.yaml"
    flat: dict[str, str] = {}
    if standard.is_file():
        _flatten("", yaml.safe_load(standard.read_text()) or {}, flat)
    return flat


def java_options(configuration: Mapping[str, str], process: str) -> list[str]:
    """``FLINK_ENV_JAVA_OPTS`` as ``config.sh`` and the start scripts build it."""
    options = " ".join(
        [
            configuration.get("env.java.default-opts.all", ""),
            configuration.get("env.java.opts.all", configuration.get("env.java.opts", "")),
            configuration.get(f"env.java.default-opts.{process}", ""),
            configuration.get(f"env.java.opts.{process}", ""),
        ]
    )
    return ["-XX:+IgnoreUnrecognizedVMOptions", *options.split()]


def _resource_parameters(
    java: str, home: Path, conf_dir: Path, process: str, args: Sequence[str]
) -> tuple[list[str], list[str]]:
    """JVM memory flags and memory ``-D`` properties from Flink's ``BashJavaUtils``."""
    command = "GET_JM_RESOURCE_PARAMS" if process == "jobmanager" else "GET_TM_RESOURCE_PARAMS"
    [dist] = sorted((home / "lib").glob("flink-dist*.jar"))
    result = subprocess.run(
        [
            java,
            "-classpath",
            f"{home / 'bin' / 'bash-java-utils.jar'}:{dist}",
            _BASH_JAVA_UTILS,
            command,
            "--configDir",
            str(conf_dir),
            *args,
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    results = [
        line.removeprefix(_RESULT_PREFIX)
        for line in result.stdout.splitlines()
        if line.startswith(_RESULT_PREFIX)
    ]
    if result.returncode != 0 or len(results) != 2:
        raise FlinkImageError(
            f"Flink's BashJavaUtils {command} failed (exit {result.returncode}):\n"
            + "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        )
    return results[0].split(), results[1].split()


def flink_command(
    image: FlinkImage,
    flink_home: Path,
    conf_dir: Path,
    args: Sequence[str],
    dynamic_properties: Mapping[str, str],
    java: str = "java",
) -> list[str]:
    """The command line the image's entrypoint would run for container ``args``.

    Parameters
    ----------
    image
        The image's contents.
    flink_home
        The pod's ``/opt/flink``: ``lib/`` and ``usrlib/`` are read from here.
    conf_dir
        The pod's ``/opt/flink/conf`` (read-only).
    args
        The container's args, unchanged: ``standalone-job ...``,
        ``jobmanager`` or ``taskmanager ...``.
    dynamic_properties
        ``-D`` properties the runner adds (addresses, ports, paths), placed
        before the container's own args so that a user's ``-D`` in the args
        wins, as it would in a container.
    java
        The ``java`` to run (the image's JVM; here the machine's).

    Raises
    ------
    FlinkImageError
        For args the image's entrypoint does not know, or when Flink itself
        rejects the configuration's memory settings.
    """
    if not args or args[0] not in _ENTRY_CLASSES:
        raise FlinkImageError(
            f"container args {list(args)!r}: the entrypoint runs "
            f"{', '.join(sorted(_ENTRY_CLASSES))}"
        )
    process = _PROCESS[args[0]]
    configuration = read_flink_configuration(conf_dir)
    own = [f"-D{key}={value}" for key, value in dynamic_properties.items()]
    user_args = [*own, *args[1:]]
    jvm, memory = _resource_parameters(java, image.home, conf_dir, process, user_args)
    lib = sorted((flink_home / "lib").glob("*.jar"))
    # flink-dist goes last on the class path, as constructFlinkClassPath puts it.
    classpath = [jar for jar in lib if not jar.name.startswith("flink-dist")] + [
        jar for jar in lib if jar.name.startswith("flink-dist")
    ]
    log4j = conf_dir / "log4j-console.properties"
    return [
        java,
        *jvm,
        *java_options(configuration, process),
        f"-Dlog4j.configuration=file:{log4j}",
        f"-Dlog4j.configurationFile=file:{log4j}",
        "-classpath",
        ":".join(str(jar) for jar in classpath),
        _ENTRY_CLASSES[args[0]],
        "--configDir",
        str(conf_dir),
        *memory,
        *user_args,
    ]
