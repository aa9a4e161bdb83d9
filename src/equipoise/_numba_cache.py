"""Keep Numba's on-disk cache of the kernel in step with every source file it compiles.

Numba caches a compiled function (``cache=True``) under a stamp of the file
that defines it; functions it calls from other files are compiled into it,
but a change to those files does not change the stamp, so a stale kernel
would be loaded (numba issue #6845). equipoise's kernel is defined in
``kernel.py`` and calls the rules in ``rules/`` (and the indexes they read, in
``rules/indexes.py``), the random-number contract in
``rng.py``, the state in ``state.py``, the map code in ``maps/`` and the bins of
the dyad-year cells in ``metrics.py``. This
module registers a cache locator, used for functions of ``equipoise.kernel``
only, that adds a SHA-256 of all those files to the stamp: any edit to any of
them recompiles the kernel once, and an unchanged installation loads it from
the cache. It relies on Numba's locator interface (``numba.core.caching``);
if that interface is not there, caching falls back to Numba's own stamp.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path
from typing import Any

__all__ = ["KERNEL_SOURCES", "needs_compiling", "source_hash"]

_ROOT = Path(__file__).resolve().parent

# Extension point: a new module of rules/ is listed here, or a stale kernel is loaded
# after it changes (tests/test_mechanisms.py checks that every rules/ module is listed).
#: The files compiled into the kernel (relative to the package).
KERNEL_SOURCES: tuple[str, ...] = (
    "kernel.py",
    "state.py",
    "metrics.py",
    "rng.py",
    "maps/_graph.py",
    "rules/__init__.py",
    "rules/alliances.py",
    "rules/dyads.py",
    "rules/geography.py",
    "rules/growth.py",
    "rules/hedging.py",
    "rules/indexes.py",
    "rules/membership.py",
    "rules/order.py",
    "rules/internal.py",
    "rules/soft.py",
    "rules/technology.py",
    "rules/threat.py",
    "rules/treaties.py",
    "rules/war.py",
)


def source_hash() -> str:
    """SHA-256 of the kernel's source files, in a fixed order."""
    digest = hashlib.sha256()
    for name in KERNEL_SOURCES:
        digest.update(name.encode())
        digest.update((_ROOT / name).read_bytes())
    return digest.hexdigest()


def needs_compiling(dispatcher: Any) -> bool:
    """Whether calling a cached Numba function compiles it first (no usable copy on disk).

    False when it is compiled or loaded in this process already, or when its on-disk cache
    has an index whose stamp matches the sources; True when the cache is empty or stale.
    Also False when this Numba's cache is laid out in a way this function does not know
    (then nothing is said about it, rather than something wrong).
    """
    if getattr(dispatcher, "signatures", None):
        return False
    try:
        index = dispatcher._cache._cache_file._load_index()
    except Exception:  # an unknown cache layout, or no cache at all: do not guess
        return False
    return not index


def _install() -> None:
    try:
        from numba.core import caching
    except ImportError:  # pragma: no cover - a Numba without the caching module
        return
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl", None)
    base = getattr(caching, "_CacheLocator", None)
    if impl is None or base is None or not hasattr(impl, "_locator_classes"):
        warnings.warn(
            "equipoise: this Numba's cache layout is unknown; after editing the kernel's "
            "sources, clear its cache (the __pycache__ folders of equipoise) by hand",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    if any(getattr(k, "_equipoise", False) for k in impl._locator_classes):
        return
    stamp = source_hash()
    others = list(impl._locator_classes)

    class KernelLocator(base):  # type: ignore[misc, valid-type]
        """Numba's usual locator for the kernel, with the sources' hash in the stamp."""

        _equipoise = True

        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def ensure_cache_path(self) -> None:
            self._inner.ensure_cache_path()

        def get_cache_path(self) -> str:
            return str(self._inner.get_cache_path())

        def get_source_stamp(self) -> Any:
            return (self._inner.get_source_stamp(), stamp)

        def get_disambiguator(self) -> str:
            return str(self._inner.get_disambiguator())

        @classmethod
        def from_function(cls, py_func: Any, py_file: str) -> Any:
            if getattr(py_func, "__module__", None) != "equipoise.kernel":
                return None
            for klass in others:
                inner = klass.from_function(py_func, py_file)
                if inner is not None:
                    return cls(inner)
            return None

    impl._locator_classes.insert(0, KernelLocator)


_install()
