"""The source tables of the panels, reshaped once for integer lookups and cached.

Every add-on looks its values up by integer keys instead of merging DataFrames:

* state attributes (NMC, major-power status, capitals) live in dense ``(1000, n_years)``
  arrays indexed by the COW code (codes run 2-990) and ``year - first_year``, so a column for
  two million dyad-years is one gather;
* dyad attributes (ATOP obligations, wars) live in sorted ``int64`` keys
  ``(ccode1 * 1000 + ccode2) * 10**4 + year`` found with :func:`numpy.searchsorted`.

The COW and ATOP tables are read through the loaders of :mod:`equipoise.history` (a CSV fetched
by ``equipoise data update``, else the built-in copy); the tables made from peacesciencer's data
(contiguity, disputes, democracy, rivalries, minimum distances) are typed Parquet files shipped
with the package (:func:`read_builtin`; ``scripts/build_data.py`` makes them). The caches are
keyed on the files read (path, size, modification time), so a table fetched by
``equipoise data update`` is picked up at the next call.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from equipoise.history.loaders import DataError, data_source, read_raw, validate
from equipoise.history.specs import SPECS

__all__ = [
    "NCODES",
    "builtin_path",
    "cached",
    "date_ordinal",
    "dyad_key",
    "load_columns",
    "lookup",
    "nullable",
    "pairs_within_groups",
    "read_builtin",
    "scattered",
    "state_key",
    "state_table",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
T = TypeVar("T")

#: COW codes are below 1000; dense state arrays have this many rows.
NCODES = 1000
#: Years are below 10,000: the last four digits of a key.
YEARS = 10_000


def builtin_path(name: str) -> Path:
    """The built-in typed Parquet file ``name`` (the tables made from peacesciencer's data).

    These tables (``contiguity``, ``gml_mids``, ``democracy``, ``rivalries``, ``mindist``)
    are not among the downloadable COW and ATOP tables of :data:`SPECS`: they are always
    read from the package (see ``equipoise/data/SOURCES.md`` and ``scripts/build_data.py``).
    """
    return Path(str(importlib.resources.files("equipoise") / "data" / f"{name}.parquet"))


def read_builtin(name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The built-in typed table ``name`` (see :func:`builtin_path`), nulls as ``<NA>``."""
    path = builtin_path(name)
    try:
        table = pq.read_table(path, columns=None if columns is None else list(columns))
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (pa.ArrowException, OSError, KeyError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{path}: cannot read: {first}") from None
    return table.to_pandas(types_mapper=_nullable_types)


def _nullable_types(dtype: pa.DataType) -> Any:
    """Arrow integers as pandas nullable integers, so that nulls stay ``<NA>``."""
    if pa.types.is_integer(dtype):
        return pd.api.types.pandas_dtype(str(dtype).replace("int", "Int").replace("uInt", "UInt"))
    return None


def _stamp(names: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for name in names:
        path = data_source(name) if name in SPECS else builtin_path(name)
        try:
            st = path.stat()
        except FileNotFoundError:
            raise DataError(f"{path}: file not found") from None
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


def cached(*names: str) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Cache a table builder until one of the data files ``names`` changes."""

    def wrap(build: Callable[[], T]) -> Callable[[], T]:
        @functools.lru_cache(maxsize=2)
        def keyed(stamp: tuple[Any, ...]) -> T:
            return build()

        @functools.wraps(build)
        def get() -> T:
            return keyed(_stamp(names))

        get.cache_clear = keyed.cache_clear  # type: ignore[attr-defined]
        return get

    return wrap


def load_columns(name: str, columns: Sequence[str]) -> pd.DataFrame:
    """The columns ``columns`` of data table ``name``, checked as its loader checks them.

    Reads the file the loader would read (a downloaded CSV, else the built-in copy) and
    validates only these columns against the table's spec (:mod:`equipoise.history.specs`):
    the same missing-value codes and year ranges, at a fraction of the cost of checking the
    100-odd columns of the ATOP files. Columns not in the spec are read as whole numbers.
    """
    path = data_source(name)
    spec = SPECS[name]
    cols = list(columns)
    if path.suffix == ".parquet":
        try:
            present = set(pq.read_schema(path).names)
            missing = [c for c in cols if c not in present]
            if missing:
                raise DataError(f"{path.name}: missing column '{missing[0]}'")
            raw = pq.read_table(path, columns=cols).to_pandas()
        except FileNotFoundError:
            raise DataError(f"{path}: file not found") from None
        except (pa.ArrowException, OSError) as exc:
            raise DataError(f"{path}: cannot read: {exc}") from None
    else:
        raw = read_raw(path)
        missing = [c for c in cols if c not in raw.columns]
        if missing:
            raise DataError(f"{path.name}: missing column '{missing[0]}'")
        raw = raw[cols]
    sub = dataclasses.replace(
        spec,
        columns={c: spec.columns.get(c, "int") for c in cols},
        year_columns=tuple(c for c in spec.year_columns if c in cols),
        open_end=tuple(c for c in spec.open_end if c in cols),
    )
    return validate(raw, sub, source=path.name)


def nullable(values: npt.NDArray[Any], missing: npt.NDArray[np.bool_], dtype: Any) -> Any:
    """A pandas nullable integer array of ``values`` cast to ``dtype``, ``<NA>`` where ``missing``.

    ``dtype`` is a numpy integer type (``np.int8`` gives ``Int8``, ...); the values under the
    mask are set to 0 (they are never read). The mask is copied, so one mask can serve several
    columns.
    """
    values = np.asarray(values)
    if values.dtype.kind == "f":
        values = np.nan_to_num(values, nan=0.0)
    data = values.astype(dtype)  # a new array: safe to write into
    mask = np.array(missing, dtype=bool)
    data[mask] = 0
    return pd.arrays.IntegerArray(data, mask)


def scattered(n: int, rows: IntArray, values: npt.NDArray[Any], dtype: Any) -> Any:
    """A nullable integer column of length ``n``: ``values`` at ``rows``, ``<NA>`` elsewhere.

    For the columns that only a few rows have (a dispute's details): no pass over all ``n``
    rows beyond allocating them.
    """
    data = np.zeros(n, dtype=dtype)
    mask = np.ones(n, dtype=bool)
    data[rows] = values
    mask[rows] = False
    return pd.arrays.IntegerArray(data, mask)


def ints(values: Any) -> IntArray:
    """A column as an ``int64`` array (missing values are an error of the caller)."""
    return np.asarray(pd.to_numeric(values), dtype=np.int64)


def floats(values: Any) -> FloatArray:
    """A column as ``float64`` with missing values as ``nan``."""
    return pd.to_numeric(values).astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)


def date_ordinal(year: Any, month: Any, day: Any) -> IntArray:
    """Days since 1970-01-01 of whole-number year, month and day arrays (proleptic Gregorian)."""
    y = np.asarray(year, dtype=np.int64)
    m = np.asarray(month, dtype=np.int64)
    d = np.asarray(day, dtype=np.int64)
    months = (y - 1970) * 12 + (m - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return first + d - 1


def month_end(year: Any, month: Any) -> IntArray:
    """Day number (as :func:`date_ordinal`) of the last day of each month."""
    y = np.asarray(year, dtype=np.int64)
    m = np.asarray(month, dtype=np.int64)
    nxt = ((y - 1970) * 12 + m).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return nxt - 1


def year_of(ordinal: IntArray) -> IntArray:
    """Calendar year of day numbers from :func:`date_ordinal`."""
    return ordinal.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def pairs_within_groups(sizes: IntArray) -> tuple[IntArray, IntArray]:
    """Every ordered pair ``(i, j)`` of positions inside each run of consecutive rows.

    ``sizes`` are the lengths of consecutive groups of rows (rows 0..sizes[0]-1 form the first
    group, and so on). Pairs with ``i == j`` are included; drop them if not wanted. No Python
    loop: the k-th pair of a group of size n at offset o is ``(o + k // n, o + k % n)``.

    Examples
    --------
    >>> i, j = pairs_within_groups(np.array([2, 1]))
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)]
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    squares = sizes * sizes
    group = np.repeat(np.arange(len(sizes)), squares)
    starts = np.concatenate([[0], np.cumsum(squares)[:-1]]).astype(np.int64)
    k = np.arange(int(squares.sum()), dtype=np.int64) - starts[group]
    n = sizes[group]
    o = offsets[group]
    return o + k // n, o + k % n


def expand_years(first: IntArray, last: IntArray) -> tuple[IntArray, IntArray]:
    """Row index and year of every year in ``[first[r], last[r]]`` for every row ``r``."""
    lengths = np.maximum(last - first + 1, 0)
    row = np.repeat(np.arange(len(first), dtype=np.int64), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    year = first[row] + (np.arange(int(lengths.sum()), dtype=np.int64) - starts[row])
    return row, year


def dyad_key(ccode1: IntArray, ccode2: IntArray, year: IntArray) -> IntArray:
    """``(ccode1 * 1000 + ccode2) * 10**4 + year``; -1 where a code is not a COW code.

    Keys sort as the rows of a dyad-year panel do (by ``ccode1``, ``ccode2``, ``year``), so
    the look-ups of a sorted panel walk the tables in order.
    """
    ok = (ccode1 >= 0) & (ccode1 < NCODES) & (ccode2 >= 0) & (ccode2 < NCODES)
    return np.where(ok, (ccode1 * NCODES + ccode2) * YEARS + year, -1)


def state_key(ccode: IntArray, year: IntArray) -> IntArray:
    """``ccode * 10**4 + year``; -1 where ``ccode`` is not a COW code."""
    ok = (ccode >= 0) & (ccode < NCODES)
    return np.where(ok, ccode * YEARS + year, -1)


def lookup(sorted_keys: IntArray, keys: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Position of each of ``keys`` in the sorted unique ``sorted_keys`` and whether it is there."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    found = (sorted_keys[pos] == keys) & (keys >= 0)
    return pos, found


@dataclasses.dataclass(frozen=True)
class StateTable:
    """State attributes by COW code and year: ``values[k]`` is a ``(1000, n_years)`` plane.

    Planes are laid out code-major, so the rows of a panel sorted by code and year read them
    nearly in order.
    """

    first_year: int
    values: npt.NDArray[Any]  # (n_columns, NCODES, n_years), C order

    @property
    def n_years(self) -> int:
        """Years the table covers."""
        return int(self.values.shape[2])

    def index(self, ccode: IntArray, year: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Flat positions in a plane, and which rows fall inside the table."""
        y = year - self.first_year
        ok = (y >= 0) & (y < self.n_years) & (ccode >= 0) & (ccode < NCODES)
        return np.where(ok, ccode * self.n_years + y, 0), ok

    def take(
        self, column: int, flat: IntArray, ok: npt.NDArray[np.bool_], fill: Any
    ) -> npt.NDArray[Any]:
        """Column ``column`` at the positions from :meth:`index`, ``fill`` outside the table."""
        out = np.take(self.values[column].reshape(-1), flat)
        if not ok.all():
            out[~ok] = fill
        return out

    def get(self, column: int, ccode: IntArray, year: IntArray, fill: Any) -> npt.NDArray[Any]:
        """Column ``column`` for each (code, year); ``fill`` outside the table."""
        flat, ok = self.index(ccode, year)
        return self.take(column, flat, ok, fill)


def state_table(
    ccode: IntArray, year: IntArray, columns: Sequence[npt.NDArray[Any]], fill: Any, dtype: Any
) -> StateTable:
    """A :class:`StateTable` from rows of (code, year, values...); ``fill`` where no row."""
    y0 = int(year.min()) if len(year) else 0
    span = int(year.max()) - y0 + 1 if len(year) else 1
    values = np.full((len(columns), NCODES, span), fill, dtype=dtype)
    for k, col in enumerate(columns):
        values[k, ccode, year - y0] = col
    return StateTable(y0, values)


def first_per_key(keys: IntArray, *priority: npt.NDArray[Any]) -> IntArray:
    """Indices of one row per distinct key: the first by ``priority`` (ascending) columns.

    The result is sorted by key. ``priority`` arrays are compared in order (the first decides,
    the next breaks ties); negate a column to prefer large values.
    """
    order = np.lexsort((*reversed(priority), keys))
    ks = keys[order]
    first = np.ones(len(ks), dtype=bool)
    first[1:] = ks[1:] != ks[:-1]
    return np.asarray(order[first], dtype=np.int64)
