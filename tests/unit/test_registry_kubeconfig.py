"""The default namespace of a kube context."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pulumi_flink.registry import default_namespace_of_kubeconfig


def write_kubeconfig(path: Path, namespaces: dict[str, str | None], current: str) -> Path:
    contexts = []
    for name, namespace in namespaces.items():
        context: dict[str, str] = {"cluster": "c", "user": "u"}
        if namespace is not None:
            context["namespace"] = namespace
        contexts.append({"name": name, "context": context})
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:1"}}],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": contexts,
                "current-context": current,
            }
        )
    )
    return path


def test_namespace_of_the_current_context(tmp_path: Path) -> None:
    path = write_kubeconfig(tmp_path / "config", {"a": "team-a", "b": "team-b"}, current="b")
    assert default_namespace_of_kubeconfig(path) == "team-b"


def test_namespace_of_a_named_context(tmp_path: Path) -> None:
    path = write_kubeconfig(tmp_path / "config", {"a": "team-a", "b": "team-b"}, current="b")
    assert default_namespace_of_kubeconfig(path, context="a") == "team-a"


def test_context_without_namespace_means_default(tmp_path: Path) -> None:
    path = write_kubeconfig(tmp_path / "config", {"a": None}, current="a")
    assert default_namespace_of_kubeconfig(path) == "default"


@pytest.mark.skipif(
    Path("/var/run/secrets/kubernetes.io/serviceaccount").exists(),
    reason="in a pod the in-cluster configuration comes first",
)
def test_kubeconfig_environment_variable_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_kubeconfig(tmp_path / "config", {"a": "from-env"}, current="a")
    monkeypatch.setenv("KUBECONFIG", str(path))
    assert default_namespace_of_kubeconfig() == "from-env"
