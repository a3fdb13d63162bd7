"""The dev cluster's parts that need no control plane."""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.x509.oid import NameOID
from lightkube.codecs import load_all_yaml

from pulumi_flink.devcluster import SIMULATE_ANNOTATION, ToolchainNotFoundError, locate_toolchain
from pulumi_flink.devcluster._cluster import _crd_objects
from pulumi_flink.devcluster._pki import ADMIN_GROUP, create_pki
from pulumi_flink.devcluster._ports import free_loopback_ports
from pulumi_flink.devcluster._process import ManagedProcess, read_records, stop_recorded
from pulumi_flink.devcluster._simulation import simulation_stages_yaml
from tests.reference import CRD_DIR


def test_admin_certificate_is_in_the_superuser_group(tmp_path: Path) -> None:
    pki = create_pki(tmp_path, "10.0.0.1")

    admin = x509.load_pem_x509_certificate(pki.admin_cert.read_bytes())

    organizations = admin.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert [o.value for o in organizations] == [ADMIN_GROUP]


def test_server_certificate_names_loopback_and_the_kubernetes_service(tmp_path: Path) -> None:
    pki = create_pki(tmp_path, "10.0.0.1")

    server = x509.load_pem_x509_certificate(pki.server_cert.read_bytes())

    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    addresses = {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    assert addresses == {"127.0.0.1", "10.0.0.1"}
    assert "kubernetes.default.svc" in names.get_values_for_type(x509.DNSName)


def test_private_keys_are_readable_only_by_the_owner(tmp_path: Path) -> None:
    pki = create_pki(tmp_path, "10.0.0.1")

    modes = {p.stat().st_mode & 0o777 for p in (pki.ca_key, pki.admin_key, pki.service_account_key)}

    assert modes == {0o600}


def test_free_loopback_ports_are_distinct() -> None:
    ports = free_loopback_ports(6)

    assert len(set(ports)) == 6


def test_simulation_stages_name_the_annotation_and_target_the_operators_kinds() -> None:
    stages = list(yaml.safe_load_all(simulation_stages_yaml()))

    assert {s["spec"]["resourceRef"]["kind"] for s in stages} == {
        "FlinkDeployment",
        "FlinkStateSnapshot",
        "FlinkSessionJob",
    }
    assert "__FAILED_ANNOTATION__" not in simulation_stages_yaml()
    assert SIMULATE_ANNOTATION in simulation_stages_yaml()


def test_missing_toolchain_error_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ToolchainNotFoundError) as raised:
        locate_toolchain(tmp_path)

    assert "toolchain/bootstrap.sh" in str(raised.value)
    assert "kube-apiserver" in raised.value.missing


def test_stopping_recorded_processes_kills_them_and_removes_pid_files(tmp_path: Path) -> None:
    process = ManagedProcess(
        "sleeper",
        [sys.executable, "-c", "import time; time.sleep(60)"],
        log_path=tmp_path / "sleeper.log",
        pid_dir=tmp_path / "pids",
    )
    process.start()
    [record] = read_records(tmp_path / "pids")

    stopped = stop_recorded(tmp_path / "pids", reap=process.reap)

    assert stopped == ["sleeper"]
    assert not record.is_alive()
    assert read_records(tmp_path / "pids") == []


def test_a_recycled_pid_is_not_mistaken_for_a_recorded_process(tmp_path: Path) -> None:
    pid_dir = tmp_path / "pids"
    pid_dir.mkdir()
    # Our own pid with a start time that cannot be ours.
    (pid_dir / "ghost.pid").write_text(f"{os.getpid()} 1\n")

    assert stop_recorded(pid_dir) == []


def test_packaged_state_snapshot_crd_has_the_official_crds_fields() -> None:
    official_path = CRD_DIR / "flinkstatesnapshots.flink.apache.org-v1.yml"
    if not official_path.is_file():
        pytest.fail(f"missing {official_path}")
    packaged = yaml.safe_load(
        (files("pulumi_flink.devcluster") / "data" / "flinkstatesnapshot-crd.yaml").read_text()
    )
    official = yaml.safe_load(official_path.read_text())

    def fields(crd: dict[str, Any], part: str) -> set[str]:
        schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"][part]
        return set(schema["properties"])

    assert fields(packaged, "spec") == fields(official, "spec")
    assert fields(packaged, "status") <= fields(official, "status")


def test_packaged_session_job_crd_has_the_official_crds_spec_fields() -> None:
    packaged = yaml.safe_load(
        (files("pulumi_flink.devcluster") / "data" / "flinksessionjob-crd.yaml").read_text()
    )
    official = yaml.safe_load((CRD_DIR / "flinksessionjobs.flink.apache.org-v1.yml").read_text())

    def spec(crd: dict[str, Any]) -> dict[str, Any]:
        version = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
        result: dict[str, Any] = version["properties"]["spec"]["properties"]
        return result

    assert sorted(spec(packaged)) == sorted(spec(official))
    assert sorted(spec(packaged)["job"]["properties"]) == sorted(
        spec(official)["job"]["properties"]
    )


def test_a_given_crd_replaces_only_its_packaged_twin() -> None:
    official = CRD_DIR / "flinkdeployments.flink.apache.org-v1.yml"

    crds = _crd_objects([official])

    names = [crd.metadata.name for crd in crds if crd.metadata is not None]
    assert sorted(names) == [
        "flinkdeployments.flink.apache.org",
        "flinksessionjobs.flink.apache.org",
        "flinkstatesnapshots.flink.apache.org",
    ]
    assert [crds[0]] == load_all_yaml(official.read_text())
