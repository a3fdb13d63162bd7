"""The seams between the layers, as the README's layout section states them."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pulumi_flink"


def _offending(folder: str, *prefixes: str) -> dict[str, set[str]]:
    """Per file under ``pulumi_flink/<folder>``, the imported modules starting with a prefix."""
    offending = {
        name: {module for module in modules if module.startswith(prefixes)}
        for name, modules in _imports(folder).items()
    }
    return {name: modules for name, modules in offending.items() if modules}


def _imports(folder: str) -> dict[str, set[str]]:
    """Modules imported by each file under ``pulumi_flink/<folder>``."""
    imported: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / folder).glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        imported[path.name] = names
    return imported


def test_render_imports_nothing_above_it_in_the_chain() -> None:
    upward = ("pulumi_flink.effective", "pulumi_flink.validation", "pulumi_flink.manifests")

    assert _offending("render", *upward) == {}


def test_components_read_render_facts_from_the_render_package_only() -> None:
    assert _offending("components", "pulumi_flink.render.") == {}


def test_components_import_no_private_module_of_provider() -> None:
    assert _offending("components", "pulumi_flink.provider._") == {}


def test_the_provider_process_imports_no_component_and_no_pulumi_kubernetes() -> None:
    assert _offending("provider", "pulumi_flink.components", "pulumi_kubernetes") == {}
