"""How much memory the machine has, for refusing runs that cannot fit (plumbing, no model).

:func:`available_memory_bytes` is what the command line compares with
:func:`equipoise.run_memory.estimate_run_bytes` before simulating, so a run that cannot fit is
refused in one line instead of failing after minutes (or with a traceback) when an allocation
fails. :func:`format_bytes` prints sizes in messages.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["available_memory_bytes", "format_bytes"]


def _meminfo_available(path: Path = Path("/proc/meminfo")) -> int | None:
    """``MemAvailable`` from ``/proc/meminfo`` in bytes (Linux 3.14+), or None."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("MemAvailable:"):
            fields = line.split()
            if len(fields) >= 2 and fields[1].isdigit():
                unit = fields[2].lower() if len(fields) > 2 else "kb"
                return int(fields[1]) * (1024 if unit == "kb" else 1)
    return None


def _sysconf_available() -> int | None:
    """Free physical memory from ``os.sysconf`` (pages x page size), or None."""
    try:
        pages = os.sysconf("SC_AVPHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    if pages <= 0 or size <= 0:
        return None
    return int(pages) * int(size)


def available_memory_bytes() -> int | None:
    """Memory the machine can give a new allocation without swapping, in bytes.

    ``MemAvailable`` from ``/proc/meminfo`` (free memory plus reclaimable caches), or
    else the free physical pages from ``os.sysconf``; ``None`` where neither is known
    (then nothing is refused).
    """
    found = _meminfo_available()
    return found if found is not None else _sysconf_available()


def format_bytes(n: float) -> str:
    """``n`` bytes in binary units for messages: ``'7.3 TiB'``, ``'512 MiB'``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit in ("B", "KiB", "MiB") else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")  # pragma: no cover
