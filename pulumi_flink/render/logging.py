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
    lines = [_PREAMBLE.format(root=properties_value(loggers.get("", "INFO")))]
    used: set[str] = set()
    for name in sorted(name for name in loggers if name):
        key = re.sub(r"[^A-Za-z0-9]", "_", name)
        # "a.b" and "a_b" sanitize alike; one properties key would silently win.
        while key in used:
            key = f"{key}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        used.add(key)
        lines.append(f"logger.{key}.name = {properties_value(name)}\n")
        lines.append(f"logger.{key}.level = {properties_value(loggers[name])}\n")
    return "".join(lines)


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}


def properties_value(value: str) -> str:
    r"""Escape a value for a ``.properties`` file as ``java.util.Properties`` reads it.

    Line breaks and backslashes are escaped, a leading space is kept, and
    characters outside Latin-1 (which log4j's loader reads the file as) become
    ``\uXXXX``, so no value can end its line or start another.

    >>> print(properties_value("a\nrootLogger.level = OFF"))
    a\nrootLogger.level = OFF
    >>> print(properties_value(" x"), properties_value("é€"))
    \ x é\u20ac
    """
    escaped = []
    for position, character in enumerate(value):
        if character in _ESCAPES:
            escaped.append(_ESCAPES[character])
        elif position == 0 and character == " ":
            escaped.append("\\ ")
        elif ord(character) < 0x20 or ord(character) > 0xFF:
            escaped.extend(f"\\u{unit:04x}" for unit in _utf16_units(character))
        else:
            escaped.append(character)
    return "".join(escaped)


def _utf16_units(character: str) -> list[int]:
    data = character.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
