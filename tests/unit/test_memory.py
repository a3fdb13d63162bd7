"""Specification of VVP memory conversion (issue 2, rule 6).

VVP memory units are decimal (``g`` = 10^9 bytes, ``m`` = 10^6 bytes).
Kubernetes reads ``m`` as *milli* and Flink reads ``m`` as *MiB*, so the
string is never passed through: it becomes whole MiB, rounded down, written
``<n>Mi`` for Kubernetes and ``<n>m`` for Flink.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulumi_flink.memory import memory_bytes, memory_for_flink, memory_for_kubernetes

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("memory", "size"),
    [
        ("1g", 10**9),
        ("1G", 10**9),
        ("1500m", 1_500_000_000),
        ("1.5g", 1_500_000_000),
        ("2000000k", 2 * 10**9),
        ("1t", 10**12),
        ("2Gi", 2 * 2**30),
        ("512Mi", 512 * MIB),
        ("1048576", MIB),
        ("1.5 gb", 1_500_000_000),
        ("1024MB", 1_024_000_000),
        ("1 G", 10**9),
        ("4 GiB", 4 * 2**30),
        ("512MiB", 512 * MIB),
        ("1048576b", MIB),
        ("1048576 bytes", MIB),
    ],
)
def test_memory_bytes_reads_vvp_decimal_and_kubernetes_binary_units(memory: str, size: int) -> None:
    assert memory_bytes(memory) == size


def test_vvp_m_means_megabytes_not_mebibytes_for_flink() -> None:
    # 1500 * 10^6 bytes is 1430.5 MiB; Flink would read "1500m" as 1500 MiB.
    assert memory_for_flink("1500m") == "1430m"


def test_vvp_m_means_megabytes_not_milli_for_kubernetes() -> None:
    # Kubernetes would read "1500m" as 1.5 bytes.
    assert memory_for_kubernetes("1500m") == "1430Mi"


def test_one_decimal_gigabyte_is_953_mebibytes() -> None:
    assert (memory_for_kubernetes("1g"), memory_for_flink("1g")) == ("953Mi", "953m")


def test_binary_units_convert_without_loss() -> None:
    assert (memory_for_kubernetes("2Gi"), memory_for_flink("2Gi")) == ("2048Mi", "2048m")


def test_conversion_rounds_down_to_whole_mebibytes() -> None:
    assert memory_for_flink(str(2 * MIB - 1)) == "1m"


@pytest.mark.parametrize("memory", ["lots", "1 g b", "1gbs", "-1g", "", "g", "1e9", "1.5 gigs"])
def test_strings_that_are_not_memory_sizes_are_rejected(memory: str) -> None:
    with pytest.raises(ValueError, match="not a memory size"):
        memory_bytes(memory)


def test_sizes_below_one_mebibyte_are_rejected() -> None:
    with pytest.raises(ValueError, match="less than 1 MiB"):
        memory_bytes("1000k")


@given(st.integers(min_value=MIB, max_value=2**44))
def test_kubernetes_and_flink_are_given_the_same_whole_mebibytes(size: int) -> None:
    kubernetes = memory_for_kubernetes(str(size))
    flink = memory_for_flink(str(size))

    assert kubernetes.removesuffix("Mi") == flink.removesuffix("m")


@given(st.integers(min_value=MIB, max_value=2**44))
def test_converted_size_never_exceeds_what_was_asked(size: int) -> None:
    mebibytes = int(memory_for_flink(str(size)).removesuffix("m"))

    assert mebibytes * MIB <= size < (mebibytes + 1) * MIB


@given(st.integers(min_value=2, max_value=10**6), st.sampled_from(["m", "M", "g", "G"]))
def test_decimal_units_are_case_insensitive(amount: int, unit: str) -> None:
    assert memory_bytes(f"{amount}{unit}") == memory_bytes(f"{amount}{unit.lower()}")


def test_fractional_sizes_are_exact() -> None:
    # 0.12582912g is exactly 120 MiB; binary floating point would make it 119.
    assert memory_for_flink("0.12582912g") == "120m"
