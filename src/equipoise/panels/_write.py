"""Write a panel to Parquet, CSV or Stata, atomically, chosen by the file's extension."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from equipoise.panels._frame import PanelError, panel_kind

__all__ = ["FORMATS", "LABELS", "check_output", "write_panel"]

#: Extensions and the format each writes.
FORMATS = {".parquet": "Parquet", ".csv": "CSV", ".dta": "Stata"}

#: Column descriptions, written as Stata variable labels (at most 80 characters).
LABELS: dict[str, str] = {
    "ccode": "COW state code",
    "ccode1": "COW state code, first state",
    "ccode2": "COW state code, second state",
    "year": "Year",
    "stateabb": "COW state abbreviation",
    "statenme": "COW state name",
    "cowmaj": "COW major power",
    "cowmaj1": "COW major power, ccode1",
    "cowmaj2": "COW major power, ccode2",
    "atop_alliance": "ATOP: shares an alliance in force",
    "atop_defense": "ATOP: defence obligation",
    "atop_offense": "ATOP: offence obligation",
    "atop_neutral": "ATOP: neutrality obligation",
    "atop_nonagg": "ATOP: non-aggression obligation",
    "atop_consul": "ATOP: consultation obligation",
    "warnum": "COW inter-state war number",
    "cowinteronset": "COW inter-state war onset",
    "cowinterongoing": "COW inter-state war ongoing",
    "resume": "War onset is a return to a war (second spell)",
    "capdist": "Great-circle distance between capitals, km",
    "mincapdist": "Distance to the nearest other member's capital, km",
    "power_ratio": "CINC of the stronger / CINC of the weaker",
    "cowinterspell": "Peace years (Beck, Katz & Tucker 1998)",
    "cowinterspell2": "Peace years squared (Carter & Signorino 2010)",
    "cowinterspell3": "Peace years cubed (Carter & Signorino 2010)",
    "gmlmidspell": "Years since a GML MID (Beck, Katz & Tucker 1998)",
    "gmlmidspell2": "Years since a GML MID, squared",
    "gmlmidspell3": "Years since a GML MID, cubed",
    "conttype": "COW contiguity: 0 none, 1 land, 2-5 water <=12/24/150/400 mi",
    "land": "COW contiguity: states bordering by land",
    "sea": "COW contiguity: states contiguous by water (types 2-5)",
    "dispnum": "GML MID dispute number",
    "gmlmidonset": "GML MID onset",
    "gmlmidongoing": "GML MID ongoing",
    "gmlmidonset_init": "GML MID onset, as initiator",
    "gmlmidongoing_init": "GML MID ongoing, as initiator",
    "n_gmlmidonset": "GML MIDs begun (participations)",
    "n_gmlmidongoing": "GML MIDs under way",
    "fatality": "GML MID fatality level of the dispute (0-6)",
    "hostlev": "GML MID hostility level of the dispute (1-5)",
    "recip": "GML MID reciprocated",
    "mindur": "GML MID least duration, days",
    "maxdur": "GML MID greatest duration, days",
    "stmon": "GML MID start month",
    "mindist": "Minimum distance between territories on 1 January, km",
    "minmindist": "Smallest minimum distance to another state, km",
    "rivalryno": "Thompson & Dreyer rivalry number",
    "rivalryname": "Thompson & Dreyer rivalry name",
    "ongoingrivalry": "Strategic rivalry under way",
    "rivalryonset": "Strategic rivalry begins",
    "region": "Thompson & Dreyer rivalry region",
    "spatial": "Rivalry type: spatial",
    "positional": "Rivalry type: positional",
    "ideological": "Rivalry type: ideological",
    "interventionary": "Rivalry type: interventionary",
    "n_rivalries": "Strategic rivalries under way",
    "n_rivalryonset": "Strategic rivalries begun",
    "n_spatial": "Spatial rivalries under way",
    "n_positional": "Positional rivalries under way",
    "n_ideological": "Ideological rivalries under way",
    "n_interventionary": "Interventionary rivalries under way",
    "sallyvus": "S, ATOP ties valued, unweighted, squared distances",
    "sallyvua": "S, ATOP ties valued, unweighted, absolute distances",
    "sallybus": "S, ATOP ties binary, unweighted, squared distances",
    "sallybua": "S, ATOP ties binary, unweighted, absolute distances",
    "sallyvwa": "S, ATOP ties valued, CINC-weighted, absolute distances",
    "sallybwa": "S, ATOP ties binary, CINC-weighted, absolute distances",
    "pallyv": "Scott's pi, ATOP ties valued",
    "pallyb": "Scott's pi, ATOP ties binary",
    "kallyv": "Cohen's kappa, ATOP ties valued",
    "kallyb": "Cohen's kappa, ATOP ties binary",
}
for _side, _which in (("", ""), ("1", ", ccode1"), ("2", ", ccode2")):
    for _name, _text in (
        ("milex", "NMC military expenditure, thousands"),
        ("milper", "NMC military personnel, thousands"),
        ("irst", "NMC iron and steel production, thousand tons"),
        ("pec", "NMC primary energy consumption, thousand coal-ton eq."),
        ("tpop", "NMC total population, thousands"),
        ("upop", "NMC urban population, thousands"),
        ("cinc", "NMC composite index of national capability"),
        ("sidea", "COW war side (1 or 2)"),
        ("initiator", "COW war initiator"),
        ("outcome", "COW war outcome code"),
        ("batdeath", "COW battle deaths in the war"),
        ("v2x_polyarchy", "V-Dem electoral democracy (polyarchy), 0-1"),
        ("polity2", "Polity IV polity2, -10 to 10"),
        ("xm_qudsest", "Extended UDS latent democracy"),
    ):
        LABELS[_name + _side] = _text + _which
for _name, _text in (
    ("v2x_polyarchy", "V-Dem polyarchy"),
    ("polity2", "polity2"),
    ("xm_qudsest", "extended UDS"),
):
    LABELS[f"{_name}_min"] = f"Weak link: the lower {_text} of the two states"
for _side, _which in (("1", ", ccode1"), ("2", ", ccode2")):
    for _name, _text in (
        ("gmlsidea", "GML MID on Side A"),
        ("orig", "GML MID originator"),
        ("init", "GML MID initiator"),
        ("hiact", "GML MID highest action (0-21)"),
        ("hostlev", "GML MID highest hostility level (1-5)"),
        ("fatality", "GML MID fatality level (0-6)"),
        ("fatalpre", "GML MID fatalities"),
    ):
        LABELS[_name + _side] = _text + _which


def check_output(path: str | Path, overwrite: bool = False) -> tuple[Path, str]:
    """Check an output path before any work: known extension, writable place, no clobbering.

    Returns the path and its format name; raises :class:`PanelError` (or ``FileExistsError``
    for an existing file without ``overwrite``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise PanelError(
            f"unknown output format '{path.suffix or path.name}' for {path}: "
            f"use {', '.join(FORMATS)}"
        )
    if path.exists():
        if path.is_dir():
            raise FileExistsError(f"output path is a directory: {path}")
        if not overwrite:
            raise FileExistsError(f"refusing to overwrite existing file {path} (pass overwrite)")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise FileExistsError(f"cannot create {path}: {parent} is not a directory")
            break
    return path, FORMATS[suffix]


def _stata_ready(panel: pd.DataFrame) -> pd.DataFrame:
    """Stata has no 64-bit integers or nullable integers: small ints stay, others become float."""
    out: dict[str, pd.Series] = {}
    for name in panel.columns:
        col = panel[name]
        if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) and col.dtype.kind in "iub":
            if col.isna().any():
                out[name] = col.astype("float64")
            else:
                out[name] = col.astype(col.dtype.type)  # the matching numpy integer
        elif col.dtype == np.int64 and len(col) and col.abs().max() < 2**31 - 1:
            out[name] = col.astype(np.int32)
        elif isinstance(col.dtype, pd.StringDtype):
            out[name] = col.astype(object).where(col.notna(), "")
        else:
            out[name] = col
    return pd.DataFrame(out, index=panel.index)


def write_panel(panel: pd.DataFrame, path: str | Path, overwrite: bool = False) -> Path:
    """Write a panel to ``path`` as Parquet, CSV or Stata ``.dta``, by its extension.

    The file appears whole or not at all: it is written beside ``path`` under a temporary
    name and renamed into place. Parquet keeps every dtype; CSV writes missing values as
    empty cells; Stata (format 118) gets the column descriptions as variable labels, nullable
    integers with missing values as doubles and missing values as Stata's ``.``.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.
    path : str or Path
        Ends in ``.parquet``, ``.csv`` or ``.dta``.
    overwrite : bool
        Replace an existing file (default: refuse).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    PanelError
        If ``panel`` is not a panel or the extension is unknown.
    FileExistsError
        If ``path`` exists and ``overwrite`` is false, or is a directory.

    Examples
    --------
    >>> from equipoise.panels import state_years
    >>> import pandas as pd
    >>> write_panel(state_years(1816, 1820), "states.csv").name
    'states.csv'
    >>> len(pd.read_csv("states.csv"))
    115
    """
    panel_kind(panel, "write_panel")
    path, fmt = check_output(path, overwrite)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    try:
        if fmt == "Parquet":
            panel.to_parquet(tmp, index=False)
        elif fmt == "CSV":
            panel.to_csv(tmp, index=False)
        else:
            ready = _stata_ready(panel.reset_index(drop=True))
            labels = {c: LABELS[c] for c in ready.columns if c in LABELS}
            ready.to_stata(
                tmp,
                write_index=False,
                version=118,
                data_label="equipoise panel",
                variable_labels=labels,
            )
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path
