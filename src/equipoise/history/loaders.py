"""Loaders for the Correlates of War and ATOP data, typed and with missing values.

Every loader returns a pandas DataFrame with nullable dtypes (``Int64``,
``Float64``, ``string``) in which the makers' missing-value codes (COW: -9
unknown, -8 not applicable) are ``<NA>``. By default the built-in copies
shipped with equipoise are used (see ``equipoise/data/SOURCES.md`` for their
provenance and citations); files fetched by ``equipoise data update`` into the
user data directory take precedence. Set ``EQUIPOISE_DATA_DIR`` to use another
directory.

Every problem with a file (missing column, a value that is not a number, a
year out of range, an unreadable file) raises :class:`DataError` with a
one-line message naming the file and the problem.

Examples
--------
>>> from equipoise.history import load_nmc
>>> nmc = load_nmc()
>>> int(nmc["year"].min()), int(nmc["year"].max())
(1816, 2016)
>>> bool(nmc["milex"].isna().any())  # -9 codes became missing values
True
"""

from __future__ import annotations

import functools
import importlib.resources
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from equipoise.history.specs import SPECS, DataSpec

#: What a state's entry into the COW system can be (``succession.csv``, column ``kind``).
ENTRY_KINDS = frozenset(
    {"secession", "decolonisation", "restoration", "dissolution", "admission", "unification"}
)
#: What a state's exit from the COW system can be (``succession.csv``, column ``kind``).
EXIT_KINDS = frozenset({"conquest", "unification", "dissolution", "other"})

__all__ = [
    "ENTRY_KINDS",
    "EXIT_KINDS",
    "DataError",
    "data_dir",
    "data_source",
    "load_alliances",
    "load_majors",
    "load_nmc",
    "load_states",
    "load_succession",
    "load_system",
    "load_wars",
    "read_raw",
    "validate",
]


class DataError(ValueError):
    """A data file is missing, unreadable or not shaped as expected."""


def data_dir() -> Path:
    """Directory where ``equipoise data update`` keeps downloaded files.

    ``EQUIPOISE_DATA_DIR`` if set, otherwise the platform's user data directory.
    """
    env = os.environ.get("EQUIPOISE_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("equipoise", appauthor=False)) / "data"


def _builtin_path(spec: DataSpec) -> Path:
    return Path(str(importlib.resources.files("equipoise") / "data" / f"{spec.name}.parquet"))


def data_source(name: str) -> Path:
    """The file a loader reads for table ``name``: a downloaded CSV, or the built-in copy."""
    spec = SPECS[name]
    user = data_dir() / spec.filename
    return user if user.is_file() else _builtin_path(spec)


def read_raw(path: str | Path) -> pd.DataFrame:
    """Read a CSV (or built-in Parquet) file with every cell as a string."""
    path = Path(path)
    try:
        if path.suffix == ".parquet":
            return pq.read_table(path).to_pandas()
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, skipinitialspace=True, index_col=False
        )
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{path}: cannot read as CSV: {first}") from None
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from None


def _to_number(col: pd.Series, name: str, source: str) -> pd.Series:
    text = col.astype("string").str.strip()
    num = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = num.isna() & text.notna() & (text != "") & (text.str.upper() != "NA")
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            f"{source}: column '{name}', data row {row + 1}: {text.iloc[row]!r} is not a number"
        )
    return num


#: Text of a whole number that int64 holds exactly (after trimming ASCII whitespace).
_WHOLE = r"^-?[0-9]{1,18}$"


def _whole_numbers(col: pd.Series, missing: tuple[int, ...]) -> pd.Series | None:
    """An ``int`` column parsed in one pass when every cell is blank or plain whole-number text.

    The result is what the general path gives for such a column (``_to_number``, the
    missing-value mask, ``astype("Int64")``), at about a fifth of its cost. Any other cell
    (a decimal, an exponent, a sign, ``NA``, non-ASCII space, a bad value) returns ``None``:
    the column then goes the general way, which also words the errors.
    """
    compute: Any = pc  # pyarrow-stubs type these kernels too narrowly for string arrays
    try:
        text = compute.ascii_trim_whitespace(pa.array(col, type=pa.large_string()))
    except (pa.ArrowException, TypeError, ValueError):
        return None
    blank = compute.fill_null(compute.equal(text, ""), True)
    plain = compute.fill_null(compute.match_substring_regex(text, _WHOLE), False)
    if not compute.all(compute.or_(blank, plain)).as_py():
        return None
    empty = pa.scalar(None, pa.large_string())
    values = compute.cast(compute.if_else(blank, empty, text), pa.int64())
    data = np.asarray(compute.fill_null(values, 0), dtype=np.int64)
    mask = np.asarray(values.is_null(), dtype=np.bool_)
    if missing:
        mask |= np.isin(data, np.asarray(missing, dtype=np.int64))
    return pd.Series(pd.arrays.IntegerArray(data, mask), index=col.index, name=col.name)


def validate(raw: pd.DataFrame, spec: DataSpec, source: str) -> pd.DataFrame:
    """Check a raw table against its spec and return it typed, missing codes as ``<NA>``."""
    if raw.empty:
        raise DataError(f"{source}: no data rows")
    missing = [c for c in spec.columns if c not in raw.columns]
    if missing:
        raise DataError(f"{source}: missing column '{missing[0]}'")
    out = {}
    for name in raw.columns:
        kind = spec.columns.get(name)
        col = raw[name]
        if kind == "str":
            out[name] = col.astype("string").str.strip()
            continue
        if kind is None:
            text = col.astype("string").str.strip()
            num = pd.to_numeric(text.where(text != ""), errors="coerce")
            parsed_all = not (num.isna() & text.notna() & (text != "")).any()
            if not (spec.numeric_rest and parsed_all):
                out[name] = text
                continue
        else:
            fast = _whole_numbers(col, spec.missing) if kind == "int" else None
            if fast is not None:
                out[name] = fast
                continue
            num = _to_number(col, name, source)
        if spec.missing:
            num = num.mask(num.isin(spec.missing))
        whole = num.dropna()
        if kind == "int" or (kind is None and (whole == whole.round()).all()):
            if kind == "int" and not (whole == whole.round()).all():
                raise DataError(f"{source}: column '{name}' holds non-whole numbers")
            out[name] = num.astype("Int64")
        else:
            out[name] = num.astype("Float64")
    df = pd.DataFrame(out)
    lo, hi = spec.year_range
    for name in spec.year_columns:
        years = df[name].dropna()
        if name in spec.open_end:
            years = years[years != 0]
        outside = years[(years < lo) | (years > hi)]
        if len(outside):
            raise DataError(
                f"{source}: column '{name}' has year {int(outside.iloc[0])} outside {lo}-{hi}"
            )
    return df


@functools.lru_cache(maxsize=32)
def _load_cached(name: str, path: str, stamp: tuple[int, int, int]) -> pd.DataFrame:
    spec = SPECS[name]
    return validate(read_raw(path), spec, source=Path(path).name)


def _load(name: str) -> pd.DataFrame:
    path = data_source(name)
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    return _load_cached(name, str(path), stamp).copy()


def load_nmc() -> pd.DataFrame:
    """COW National Material Capabilities v6.0: one row per state-year, 1816-2016.

    Columns: ``stateabb``, ``ccode``, ``year``, the six components ``milex``
    (thousands of current USD; pounds sterling before 1914), ``milper``
    (thousands), ``irst`` (thousands of tons), ``pec`` (thousands of coal-ton
    equivalents), ``tpop`` and ``upop`` (thousands), ``cinc`` and ``version``.
    Cite Singer, Bremer & Stuckey (1972).
    """
    return _load("nmc")


def load_states() -> pd.DataFrame:
    """COW State System Membership v2016: one row per tenure spell of a state."""
    return _load("states")


def load_majors() -> pd.DataFrame:
    """COW major powers v2016: one row per major-power spell."""
    return _load("majors")


def load_system() -> pd.DataFrame:
    """COW State System Membership v2016: one row per system member per year."""
    return _load("system")


def load_wars() -> pd.DataFrame:
    """COW Inter-State War Data v4.0: one row per participant in a war.

    ``-8`` (not applicable) and ``-9`` (unknown) are ``<NA>``. Cite Sarkees &
    Wayman (2010).
    """
    return _load("wars")


def load_alliances(
    level: Literal["member", "alliance", "state-year"] = "member",
) -> pd.DataFrame:
    """ATOP 5.1 alliances (Leeds et al. 2002).

    Parameters
    ----------
    level : {"member", "alliance", "state-year"}
        ``member``: one row per member per alliance phase (``atopid``,
        ``member`` as a COW code, ``yrent``, ``yrexit`` with 0 for "still in
        force in 2018", and the obligations ``defense``, ``offense``,
        ``neutral``, ``nonagg``, ``consul``); ``alliance``: one row per
        alliance; ``state-year``: one row per state-year with an alliance.
    """
    names = {"member": "atop_members", "alliance": "atop_alliances", "state-year": "atop_stateyear"}
    if level not in names:
        raise ValueError(f"level must be one of {', '.join(names)}; got {level!r}")
    return _load(names[level])


#: Columns of ``succession.csv`` and their kinds, in order.
_SUCCESSION_COLUMNS = {
    "ccode": "int",
    "stateabb": "str",
    "event": "str",
    "year": "int",
    "month": "int",
    "day": "int",
    "kind": "str",
    "other_ccode": "int",
    "note": "str",
}


def _check_succession(table: pd.DataFrame, source: str) -> None:
    """Raise :class:`DataError` unless every row of the succession table is well formed."""
    if list(table.columns) != list(_SUCCESSION_COLUMNS):
        raise DataError(f"{source}: columns must be {', '.join(_SUCCESSION_COLUMNS)}")
    required = ("ccode", "stateabb", "event", "year", "month", "day", "kind", "note")
    for name in required:
        empty = table[name].isna() | (table[name].astype("string") == "")
        if empty.any():
            row = int(empty.to_numpy().nonzero()[0][0])
            raise DataError(f"{source}: data row {row + 1}: column '{name}' is empty")
    allowed = {"entry": ENTRY_KINDS, "exit": EXIT_KINDS}
    for row, (event, kind) in enumerate(zip(table["event"], table["kind"], strict=True)):
        if event not in allowed:
            raise DataError(f"{source}: data row {row + 1}: event {event!r} is not entry or exit")
        if kind not in allowed[event]:
            kinds = ", ".join(sorted(allowed[event]))
            raise DataError(
                f"{source}: data row {row + 1}: {event} kind {kind!r} is not one of {kinds}"
            )
    bad = ~table["year"].between(1816, 2016) | ~table["month"].between(1, 12)
    bad |= ~table["day"].between(1, 31)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(f"{source}: data row {row + 1}: date outside 1816-2016")
    key = ["ccode", "event", "year", "month", "day"]
    if table.duplicated(key).any():
        row = int(table.duplicated(key).to_numpy().nonzero()[0][0])
        raise DataError(f"{source}: data row {row + 1}: the same event is listed twice")


@functools.lru_cache(maxsize=1)
def _succession() -> pd.DataFrame:
    res = importlib.resources.files("equipoise") / "data" / "succession.csv"
    with res.open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
    source = "succession.csv"
    out: dict[str, pd.Series] = {}
    for name, kind in _SUCCESSION_COLUMNS.items():
        if name not in raw.columns:
            raise DataError(f"{source}: missing column '{name}'")
        col = raw[name].astype("string").str.strip()
        if kind == "int":
            out[name] = _to_number(col, name, source).astype("Int64")
        else:
            out[name] = col
    table = pd.DataFrame(out)
    _check_succession(table, source)
    return table


def load_succession() -> pd.DataFrame:
    """How each state entered and left the COW system: one row per spell boundary.

    The project's own hand coding (``equipoise/data/succession.csv``; how it was
    made is in ``SOURCES.md`` and ``docs/history.md``) of every start and end of a
    membership spell in :func:`load_states`, except the entries of 1 January 1816
    and the exits of 31 December 2016. Columns:

    ``ccode``, ``stateabb``
        The state, as COW codes it.
    ``event``
        ``entry`` (a spell starts) or ``exit`` (a spell ends).
    ``year``, ``month``, ``day``
        COW's start or end date of the spell.
    ``kind``
        For an exit (:data:`EXIT_KINDS`): ``conquest`` (conquered or occupied by
        another state's military, Fazal's (2007) violent state death),
        ``unification`` (merged into another member by treaty or plebiscite),
        ``dissolution`` (broke up into successors) or ``other``. For an entry
        (:data:`ENTRY_KINDS`): ``secession`` (broke away from a member),
        ``decolonisation`` (left a colonial empire whose colonies the model does
        not hold as provinces), ``restoration`` (re-formed after occupation),
        ``dissolution`` (a successor of a member that broke up), ``admission``
        (already existed, met COW's criteria later) or ``unification`` (formed by
        a merger).
    ``other_ccode``
        For an exit the successor: the member that took most of the territory.
        For an entry the predecessor: the member that held or administered the
        territory just before (as its own land, a colony, a mandate or under
        military occupation). ``<NA>`` when there is none.
    ``note``
        A short justification and its source, and the doubts where the coding is
        uncertain.

    Rows are in date order, exits before entries on the same day.

    Examples
    --------
    >>> from equipoise.history import load_succession
    >>> table = load_succession()
    >>> row = table[(table["stateabb"] == "BAV") & (table["event"] == "exit")].iloc[0]
    >>> str(row["kind"]), int(row["other_ccode"])
    ('unification', 255)
    """
    return _succession().copy()
