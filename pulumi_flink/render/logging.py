"""Flink's ``log4j-console.properties`` from VVP's ``logging.log4jLoggers``."""

from __future__ import annotations

import hashlib
import re

LOG4J_CONSOLE = "log4j-console.properties"

_PREAMBLE = """\
monitorInterval = 30
rootLogger.level = {root}
rootLogger.appenderRef.console.ref = ConsoleAppender
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{{yyyy-MM-dd HH:mm:ss,SSS}} %-5p %-60c %x - %m%n
"""


def log4j_console_properties(loggers: dict[str, str]) -> str:
    """Render logger levels; ``""`` is the root logger (default INFO).

    >>> print(log4j_console_properties({"": "WARN", "org.apache.kafka": "DEBUG"}))
    ... # doctest: +ELLIPSIS
    monitorInterval = 30
    rootLogger.level = WARN
    ...
    logger.org_apache_kafka.name = org.apache.kafka
    logger.org_apache_kafka.level = DEBUG
    <BLANKLINE>
    """
    lines = [_PREAMBLE.format(root=loggers.get("", "INFO"))]
    used: set[str] = set()
    for name in sorted(name for name in loggers if name):
        key = re.sub(r"[^A-Za-z0-9]", "_", name)
        # "a.b" and "a_b" sanitize alike; one properties key would silently win.
        while key in used:
            key = f"{key}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        used.add(key)
        lines.append(f"logger.{key}.name = {name}\nlogger.{key}.level = {loggers[name]}\n")
    return "".join(lines)
