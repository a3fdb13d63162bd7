"""VVP memory sizes, converted for Kubernetes and for Flink.

VVP writes memory like ``"1g"`` or ``"1500m"`` and means *decimal* units
(``k`` = 10^3, ``m`` = 10^6, ``g`` = 10^9, ``t`` = 10^12 bytes, any case;
VVP's docs: "each memory unit is interpreted as a power of ten"). The same
units spelt with a ``b`` (``1.5 gb``, ``1024MB``), a space before the unit,
and ``b``/``bytes`` read alike; Kubernetes' binary units (``Ki`` ... ``Ti``,
also ``KiB`` ... ``TiB``, as Ververica Cloud writes ``4 GiB``) are powers of two.
Kubernetes reads a lowercase ``m`` as *milli* and Flink reads ``m`` as
*mebibytes*, so passing the string through would be wrong for both. The rule:

1. parse the VVP string to an exact byte count (binary suffixes ``Ki``,
   ``Mi``, ``Gi``, ``Ti`` and plain byte counts are accepted too);
2. round *down* to whole mebibytes (never ask for more than was given);
3. emit ``"<n>Mi"`` for Kubernetes and ``"<n>m"`` for Flink: the same bytes.

Examples
--------
>>> memory_for_kubernetes("1g"), memory_for_flink("1g")
('953Mi', '953m')
>>> memory_for_flink("2Gi")
'2048m'
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

_MEBIBYTE = 1024 * 1024
_DECIMAL = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}
_BINARY = {"ki": 2**10, "mi": 2**20, "gi": 2**30, "ti": 2**40}
_UNITS = {
    **_DECIMAL,
    **{f"{unit}b": factor for unit, factor in _DECIMAL.items()},
    "bytes": 1,
    **_BINARY,
    **{f"{unit}b": factor for unit, factor in _BINARY.items()},
}
"""Every unit (lowercase) and its factor: ``1.5 gb`` is ``1.5g``, ``2GiB`` is ``2Gi``."""
_MEMORY = re.compile(r"^\s*(\d{1,30}(?:\.\d{1,30})?)\s*([a-zA-Z]{0,5})\s*$")
_LARGEST = 2**63 - 1
"""Flink's ``MemorySize`` counts bytes in a Java ``long``."""


@lru_cache(maxsize=1024)
def memory_bytes(memory: str) -> int:
    """Return the exact number of bytes a VVP memory string means.

    Cached: every Deployment's sizes are read several times, and they repeat.

    Raises
    ------
    ValueError
        When the string is not a positive size with a known unit.
    """
    match = _MEMORY.fullmatch(memory)
    unit = match.group(2).lower() if match else ""
    factor = _UNITS.get(unit)
    if match is None or factor is None:
        raise ValueError(
            f"{memory[:40]!r} is not a memory size: use a number with an optional "
            "unit k, m, g, t (decimal, as VVP; also kb, mb, gb, tb) or Ki, Mi, Gi, Ti "
            "(binary; also KiB ... TiB)"
        )
    # Decimal, not float: "0.12582912g" is exactly 120 MiB, float makes it 119.
    size = int(Decimal(match.group(1)) * factor)
    if size < _MEBIBYTE:
        raise ValueError(f"{memory!r} is less than 1 MiB, too small for a Flink process")
    if size > _LARGEST:
        raise ValueError(f"{memory!r} is more than Flink can count (8 EiB)")
    return size


def memory_for_kubernetes(memory: str) -> str:
    """Convert a VVP memory string to a Kubernetes quantity in whole MiB."""
    return f"{memory_bytes(memory) // _MEBIBYTE}Mi"


def memory_for_flink(memory: str) -> str:
    """Convert a VVP memory string to a Flink memory size in whole MiB."""
    return f"{memory_bytes(memory) // _MEBIBYTE}m"
