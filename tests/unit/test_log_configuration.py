"""Specification of ``log4j-console.properties`` rendered from ``logging.log4jLoggers``."""

from __future__ import annotations

import re

from pulumi_flink.render.logging import log4j_console_properties


def _properties(text: str) -> dict[str, str]:
    pairs = (line.split(" = ", 1) for line in text.splitlines() if " = " in line)
    result: dict[str, str] = {}
    for key, value in pairs:
        assert key not in result, f"duplicate property {key!r}"
        result[key] = value
    return result


def _logger_levels(text: str) -> dict[str, str]:
    """Logger name to level, as log4j would read the properties."""
    properties = _properties(text)
    names = {
        match.group(1): value
        for key, value in properties.items()
        if (match := re.fullmatch(r"logger\.(.+)\.name", key))
    }
    return {name: properties[f"logger.{key}.level"] for key, name in names.items()}


def test_root_logger_defaults_to_info() -> None:
    assert _properties(log4j_console_properties({}))["rootLogger.level"] == "INFO"


def test_empty_logger_name_is_the_root_logger() -> None:
    assert _properties(log4j_console_properties({"": "WARN"}))["rootLogger.level"] == "WARN"


def test_root_logger_writes_to_the_console_appender() -> None:
    properties = _properties(log4j_console_properties({}))

    assert properties["rootLogger.appenderRef.console.ref"] == properties["appender.console.name"]


def test_each_named_logger_gets_its_level() -> None:
    loggers = {"": "INFO", "org.apache.kafka": "WARN", "com.acme.orders": "DEBUG"}

    assert _logger_levels(log4j_console_properties(loggers)) == {
        "org.apache.kafka": "WARN",
        "com.acme.orders": "DEBUG",
    }


def test_loggers_are_written_in_name_order() -> None:
    text = log4j_console_properties({"b.logger": "INFO", "a.logger": "INFO"})

    assert text.index("a.logger") < text.index("b.logger")


def test_loggers_whose_names_sanitize_alike_keep_their_own_levels() -> None:
    loggers = {"a.b": "DEBUG", "a_b": "ERROR", "a-b": "WARN"}

    assert _logger_levels(log4j_console_properties(loggers)) == loggers
