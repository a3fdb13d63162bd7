"""The package's tools are pinned to the toolchain's Pulumi, in one place each."""

from __future__ import annotations

import re
from pathlib import Path

TOOLCHAIN = Path(__file__).resolve().parents[2] / "toolchain"


def _pins(name: str) -> dict[str, str]:
    lines = (TOOLCHAIN / name).read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", line))
    return {key: value for key, value in pairs}


def test_the_sdk_generator_uses_the_pulumi_cli_version() -> None:
    go_mod = (TOOLCHAIN / "sdkgen" / "go.mod").read_text()
    pulumi = _pins("versions.env")["PULUMI_VERSION"]

    for module in ("pkg", "sdk"):
        assert f"github.com/pulumi/pulumi/{module}/v3 v{pulumi}\n" in go_mod


def test_the_package_pins_do_not_touch_the_core_toolchain_key() -> None:
    assert set(_pins("polyglot.env")).isdisjoint(_pins("versions.env"))
