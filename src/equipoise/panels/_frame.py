"""What a panel is: its kind (state-year or dyad-year), its keys and the data it used.

A panel is an ordinary :class:`pandas.DataFrame` whose ``attrs`` say what it is:

``attrs["equipoise.panel"]``
    ``"state_year"`` (keys ``ccode``, ``year``) or ``"dyad_year"`` (keys ``ccode1``,
    ``ccode2``, ``year``), as peacesciencer's ``ps_data_type`` attribute (Miller 2022).
``attrs["equipoise.directed"]``
    For dyad-years: ``True`` when both (A, B) and (B, A) are rows, ``False`` when only
    ``ccode1 < ccode2`` is.
``attrs["equipoise.sources"]``
    A tuple of the keys of :data:`equipoise.panels._cite.BIBTEX` for every data set and method
    the panel used, read by :func:`~equipoise.panels.cite`.
``attrs["equipoise.source_columns"]``
    For each of those keys, the columns that rest on it (a tuple), or ``None`` when the panel
    itself does (the state system it was built from, a filter applied to its rows). A key
    whose columns have all been dropped is no longer cited.

pandas keeps ``attrs`` through selections, ``assign``, ``sort_values``, ``reset_index``,
``query``, ``copy`` and ``.pipe`` chains, but drops them in ``merge`` (and in a ``concat`` of
frames whose attrs differ). Every function of :mod:`equipoise.panels` returns a frame with its
attrs set; after a merge of your own, declare the result again with :func:`as_panel` (pass
``like=`` the original panel to keep its sources).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "DYAD_YEAR",
    "STATE_YEAR",
    "PanelError",
    "as_panel",
    "panel_kind",
]

STATE_YEAR = "state_year"
DYAD_YEAR = "dyad_year"
Kind = Literal["state_year", "dyad_year"]

_KIND = "equipoise.panel"
_DIRECTED = "equipoise.directed"
_SOURCES = "equipoise.sources"
_SOURCE_COLUMNS = "equipoise.source_columns"
KEYS: dict[str, tuple[str, ...]] = {
    STATE_YEAR: ("ccode", "year"),
    DYAD_YEAR: ("ccode1", "ccode2", "year"),
}


class PanelError(ValueError):
    """A panel, an add-on's argument or a year range that cannot be used (one-line message)."""


def _declared(frame: pd.DataFrame) -> str | None:
    kind = frame.attrs.get(_KIND)
    return kind if kind in KEYS else None


def panel_kind(frame: pd.DataFrame, caller: str = "this function") -> str:
    """The kind of a panel: ``"state_year"`` or ``"dyad_year"``.

    Raises
    ------
    PanelError
        If ``frame`` is not a DataFrame, carries no kind (it was not built by
        :func:`~equipoise.panels.state_years` or :func:`~equipoise.panels.dyad_years`, or a
        merge dropped its attrs), or lacks its key columns.

    Examples
    --------
    >>> from equipoise.panels import state_years
    >>> panel_kind(state_years(1816, 1817))
    'state_year'
    """
    if not isinstance(frame, pd.DataFrame):
        raise PanelError(
            f"{caller} needs a state-year or dyad-year DataFrame; got {type(frame).__name__}"
        )
    kind = _declared(frame)
    if kind is None:
        raise PanelError(
            f"{caller} needs a state-year or dyad-year panel, and this frame is neither: build "
            "it with state_years() or dyad_years(), or declare it with as_panel(frame, kind) "
            "(a merge drops the declaration)"
        )
    missing = [c for c in KEYS[kind] if c not in frame.columns]
    if missing:
        raise PanelError(
            f"{caller}: this {kind.replace('_', '-')} panel has lost its key column "
            f"'{missing[0]}' (keys: {', '.join(KEYS[kind])})"
        )
    return kind


def is_directed(frame: pd.DataFrame) -> bool:
    """Whether a dyad-year panel is directed (``True`` unless declared otherwise)."""
    return bool(frame.attrs.get(_DIRECTED, True))


def sources(frame: pd.DataFrame) -> tuple[str, ...]:
    """The keys of the data sets and methods recorded in a panel's attrs, in order."""
    return tuple(frame.attrs.get(_SOURCES, ()))


def cited_sources(frame: pd.DataFrame) -> tuple[str, ...]:
    """The recorded sources that the panel still rests on, in order.

    Those bound to no column (the panel as a whole), and those with at least one of their
    columns still present.
    """
    bound = frame.attrs.get(_SOURCE_COLUMNS, {})
    present = set(frame.columns)
    out = []
    for key in sources(frame):
        columns = bound.get(key)
        if columns is None or present.intersection(columns):
            out.append(key)
    return tuple(out)


#: What an add-on used: source keys bound to all the columns it adds, or each key to its own.
Used = Iterable[str] | Mapping[str, Iterable[str]]


def declare(
    frame: pd.DataFrame,
    kind: str,
    directed: bool | None,
    used: Iterable[str],
    extra: Iterable[str] = (),
    columns: Mapping[str, tuple[str, ...] | None] | None = None,
) -> pd.DataFrame:
    """Set the panel attrs on ``frame`` (in place) and return it; ``used`` then ``extra``.

    ``columns`` binds sources to columns (see the module docstring); a source without an entry
    is bound to the panel as a whole.
    """
    seen = list(used)
    for key in extra:
        if key not in seen:
            seen.append(key)
    bound: dict[str, tuple[str, ...] | None] = {key: None for key in seen}
    for key, cols in (columns or {}).items():
        if key in bound:
            bound[key] = None if cols is None else tuple(cols)
    frame.attrs[_KIND] = kind
    if kind == DYAD_YEAR:
        frame.attrs[_DIRECTED] = bool(True if directed is None else directed)
    else:
        frame.attrs.pop(_DIRECTED, None)
    frame.attrs[_SOURCES] = tuple(seen)
    frame.attrs[_SOURCE_COLUMNS] = bound
    return frame


def _bindings(
    frame: pd.DataFrame, new: Mapping[str, object], used: Used
) -> tuple[list[str], dict[str, tuple[str, ...] | None]]:
    """The sources after an add-on and their columns: earlier bindings merged with new ones."""
    before = dict(frame.attrs.get(_SOURCE_COLUMNS, {}))
    keys = list(sources(frame))
    bound: dict[str, tuple[str, ...] | None] = {k: before.get(k) for k in keys}
    if isinstance(used, Mapping):
        adding = {key: tuple(cols) for key, cols in used.items()}
    else:
        adding = {key: tuple(new) for key in used}
    for key, cols in adding.items():
        if key not in bound:
            keys.append(key)
            bound[key] = cols if cols else None
        elif bound[key] is not None:
            old = bound[key] or ()
            bound[key] = (*old, *(c for c in cols if c not in old)) if cols else None
    return keys, bound


def extend(frame: pd.DataFrame, new: dict[str, object], used: Used) -> pd.DataFrame:
    """``frame`` with the columns ``new`` added (replacing same-named ones), attrs kept.

    The input frame is not modified. The columns are added in one step (no fragmentation), and
    the panel attrs are set again with ``used`` appended to the sources: each key bound to the
    columns added (or, if ``used`` maps keys to columns, to its own), or to the panel as a
    whole when nothing is added (a filter).
    """
    kind = _declared(frame)
    if kind is None:
        raise PanelError("not a panel: build it with state_years() or dyad_years()")
    keys, bound = _bindings(frame, new, used)
    if not new:
        out = frame.copy(deep=False)
    else:
        replaced = [c for c in frame.columns if c in new]
        base = frame.drop(columns=replaced) if replaced else frame
        # copy=False keeps one block per new column: no consolidation copy of two million rows
        added = pd.DataFrame(new, index=frame.index, copy=False)
        out = pd.concat([base, added], axis=1)
    out.attrs = {}
    return declare(out, kind, is_directed(frame), keys, columns=bound)


def as_panel(
    frame: pd.DataFrame,
    kind: str | None = None,
    *,
    directed: bool | None = None,
    like: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Declare a DataFrame a state-year or dyad-year panel (peacesciencer's declare_attributes).

    Use it on a frame you built yourself, or after a ``merge`` (which drops pandas attrs).

    Parameters
    ----------
    frame : DataFrame
        With ``ccode`` and ``year`` (state-year) or ``ccode1``, ``ccode2`` and ``year``
        (dyad-year), whole numbers, no missing values and no duplicate keys.
    kind : {"state_year", "dyad_year"}, optional
        Default: the kind of ``like``, else inferred from the columns.
    directed : bool, optional
        For dyad-years. Default: that of ``like``, else ``False`` when every row has
        ``ccode1 < ccode2`` and ``True`` otherwise.
    like : DataFrame, optional
        A panel whose kind, direction and sources (for :func:`~equipoise.panels.cite`) the
        result takes.

    Returns
    -------
    DataFrame
        A shallow copy of ``frame`` with the panel attrs set.

    Raises
    ------
    PanelError
        If the kind is unknown, a key column is missing, holds missing values or non-whole
        numbers, a key repeats, or an undirected panel has a row with ``ccode1 >= ccode2``.

    Examples
    --------
    >>> import pandas as pd
    >>> mine = pd.DataFrame({"ccode1": [2, 2], "ccode2": [20, 200], "year": [1990, 1990]})
    >>> panel = as_panel(mine)
    >>> panel.attrs["equipoise.panel"], panel.attrs["equipoise.directed"]
    ('dyad_year', False)
    """
    if not isinstance(frame, pd.DataFrame):
        raise PanelError(f"as_panel needs a DataFrame; got {type(frame).__name__}")
    used: tuple[str, ...] = ()
    bound: dict[str, tuple[str, ...] | None] = {}
    if like is not None:
        like_kind = panel_kind(like, "as_panel(like=...)")
        kind = kind or like_kind
        directed = is_directed(like) if directed is None else directed
        used = sources(like)
        bound = dict(like.attrs.get(_SOURCE_COLUMNS, {}))
    if kind is None:
        kind = DYAD_YEAR if {"ccode1", "ccode2"} <= set(frame.columns) else STATE_YEAR
    if kind not in KEYS:
        raise PanelError(f"unknown panel kind {kind!r}; use 'state_year' or 'dyad_year'")
    for col in KEYS[kind]:
        if col not in frame.columns:
            raise PanelError(f"a {kind.replace('_', '-')} panel needs a column '{col}'")
        values = frame[col]
        if values.isna().any():
            raise PanelError(f"column '{col}' has missing values; panel keys must be complete")
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.isna().any() or not bool((numbers == np.round(numbers)).all()):
            raise PanelError(f"column '{col}' must hold whole numbers (COW codes and years)")
    if frame.duplicated(list(KEYS[kind])).any():
        raise PanelError(f"the keys ({', '.join(KEYS[kind])}) repeat; each row must be unique")
    if kind == DYAD_YEAR:
        ordered = bool((frame["ccode1"] < frame["ccode2"]).all())
        if directed is None:
            directed = not ordered
        if not directed and not ordered:
            raise PanelError("an undirected dyad-year panel needs ccode1 < ccode2 on every row")
    out = frame.copy(deep=False)
    out.attrs = {}
    return declare(out, kind, directed, used, columns=bound)
