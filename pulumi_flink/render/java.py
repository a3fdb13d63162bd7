"""JVM options the official Flink image's default configuration carries.

The standalone engine mounts its own ConfigMap over ``/opt/flink/conf``, which
replaces the image's default configuration, and with it the module options
Flink needs on Java 17 (``--add-exports``/``--add-opens``): without them the
JobManager dies at start with ``InaccessibleObjectException``. So the
rendered configuration carries them again, for every Flink version that has
Java 17 images (1.18 and later); ``config.sh`` prepends
``-XX:+IgnoreUnrecognizedVMOptions``, and Java 11 accepts the options too.

From Flink 1.19 the options go to ``env.java.default-opts.all``, which Flink
prepends to ``env.java.opts.all``: a user's own ``env.java.opts.all`` adds to
them instead of replacing them. Flink 1.18 reads only ``env.java.opts.all``,
so there the options are prepended to the user's value.

>>> sorted(image_java_options("1.20", {}))
['env.java.default-opts.all']
>>> options = image_java_options("1.18", {"env.java.opts.all": "-Dx=1"})
>>> options["env.java.opts.all"].endswith("=ALL-UNNAMED -Dx=1")
True
>>> image_java_options("1.17", {})
{}
"""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_flink.model.versions import JAVA_DEFAULT_OPTS_ALL, JAVA_OPTS_ALL, flink_version

JAVA_17_OPTIONS = " ".join(
    [
        "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
        "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.net=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.text=ALL-UNNAMED",
        "--add-opens=java.base/java.time=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
    ]
)
"""``env.java.opts.all`` of the default configuration of Flink 1.18 to 2.x
(as in the ``conf/config.yaml`` of the 1.20.3 and 2.0.0 distributions)."""


def image_java_options(version: str, configuration: Mapping[str, str]) -> dict[str, str]:
    """The JVM option entries to add to ``configuration`` for Flink ``version``.

    Returns only the keys to set (an empty dict before Flink 1.18); a user's
    own ``env.java.default-opts.all`` is kept as it is. Which key a version
    reads is a column of :data:`~pulumi_flink.model.versions.FLINK_VERSIONS`.
    """
    key = flink_version(version).java_options_key
    if key is None:
        return {}
    if key == JAVA_DEFAULT_OPTS_ALL:
        if JAVA_DEFAULT_OPTS_ALL in configuration:
            return {}
        return {JAVA_DEFAULT_OPTS_ALL: JAVA_17_OPTIONS}
    own = configuration.get(JAVA_OPTS_ALL)
    return {JAVA_OPTS_ALL: f"{JAVA_17_OPTIONS} {own}" if own else JAVA_17_OPTIONS}
