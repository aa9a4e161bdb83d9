"""A validation against history for the report: its table, settings and war-size fits.

:func:`validation_data` reads a :class:`~equipoise.validate.Validation` or the directory
``equipoise validate`` wrote (:func:`load_validation`) into a :class:`ValidationData`, so that
a report on either is the same; :func:`validation_size_panels` gives history's and the
simulation's war sizes with the fitted lines (:func:`slope_line`, :func:`tail_line`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from equipoise._io import MARKER
from equipoise.report.data.simulations import war_size_ccdf

__all__ = [
    "COMPARISON_COLUMNS",
    "HISTORY_SIZE_LABEL",
    "SIMULATED_SIZE_LABEL",
    "VALIDATION_FILES",
    "SizePanel",
    "ValidationData",
    "is_validation_dir",
    "load_validation",
    "slope_line",
    "tail_line",
    "validation_data",
    "validation_size_panels",
]

#: Files of a validation output directory (``equipoise validate``,
#: :meth:`equipoise.validate.Validation.to_files`) that the report reads.
VALIDATION_FILES: tuple[str, ...] = (
    "comparison.csv",
    "replications.csv",
    "wars.csv",
    "validation.json",
)
#: Columns of the comparison table (:func:`equipoise.validate.compare_to_history`).
COMPARISON_COLUMNS: tuple[str, ...] = (
    "statistic",
    "description",
    "history",
    "sim_median",
    "sim_low",
    "sim_high",
    "n_replications",
    "inside",
)


@dataclass
class ValidationData:
    """A validation against history, as the report shows it.

    Built by :func:`validation_data` from a
    :class:`~equipoise.validate.Validation` or from the directory its
    :meth:`~equipoise.validate.Validation.to_files` wrote, so a report on
    either is the same.

    Attributes
    ----------
    table : DataFrame
        The comparison (``comparison.csv``): :data:`COMPARISON_COLUMNS`, one
        row per statistic, ``inside`` a nullable boolean.
    replications : DataFrame
        Every statistic of every replication (``replications.csv``, index
        ``replication``).
    settings : dict
        Scenario, seed, years, level, the comparison (cohort or system) and
        the history options (``validation.json``).
    notes : list of str
        What is compared with what, verbatim.
    history : dict
        History's side (``validation.json``): ``values``, ``settings``,
        ``windows``, ``counts`` and the fits ``war_size_slope_fit`` and
        ``war_size_tail_fit``.
    pooled : dict
        The war-size fits on the simulated wars of all replications pooled:
        ``wars``, ``slope`` and ``tail``.
    history_sizes : ndarray
        Battle deaths of the wars history's fits used, rebuilt by
        :func:`equipoise.validate.war_size_sample` from the recorded years and
        checked against the recorded fit.
    simulated_sizes : ndarray
        Sizes of every simulated war (``wars.csv``: military destroyed as a
        share of the world's military at onset), the sample of ``pooled``.
    provenance : dict
        The run's provenance (seed, scenario hash, versions).
    """

    table: pd.DataFrame
    replications: pd.DataFrame
    settings: dict[str, Any]
    notes: list[str]
    history: dict[str, Any]
    pooled: dict[str, Any]
    history_sizes: np.ndarray
    simulated_sizes: np.ndarray
    provenance: dict[str, Any]

    @property
    def level(self) -> float:
        """Coverage of the simulated interval (0.9 by default)."""
        return float(self.settings["level"])

    def verdicts(self) -> dict[str, list[str]]:
        """Statistics by verdict: ``inside``, ``outside`` and ``undecided`` (no verdict)."""
        out: dict[str, list[str]] = {"inside": [], "outside": [], "undecided": []}
        for name, inside in zip(self.table["statistic"], self.table["inside"], strict=True):
            key = "undecided" if pd.isna(inside) else ("inside" if bool(inside) else "outside")
            out[key].append(str(name))
        return out


def is_validation_dir(directory: str | Path) -> bool:
    """Whether ``directory`` is the output of ``equipoise validate``.

    It is if it holds ``validation.json``, or if its ``provenance.json``
    records the command ``validate``.
    """
    directory = Path(directory)
    if (directory / "validation.json").is_file():
        return True
    try:
        meta = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(meta, dict) and meta.get("command") == "validate"


def _comparison_table(table: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in COMPARISON_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{where} lacks the column(s) {', '.join(missing)}")
    out = table.loc[:, list(COMPARISON_COLUMNS)].copy()
    out["statistic"] = out["statistic"].astype(str)
    out["description"] = out["description"].fillna("").astype(str)
    for col in ("history", "sim_median", "sim_low", "sim_high"):
        out[col] = pd.to_numeric(out[col], errors="raise").astype(np.float64)
    out["n_replications"] = pd.to_numeric(out["n_replications"]).astype(np.int64)
    inside: list[bool | Any] = []
    for value in out["inside"].tolist():
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            inside.append(pd.NA)
        elif isinstance(value, str):
            if value not in ("True", "False"):
                raise ValueError(f"{where} has 'inside' = {value!r}; expected True, False or empty")
            inside.append(value == "True")
        else:
            inside.append(bool(value))
    out["inside"] = pd.array(inside, dtype="boolean")
    return out.reset_index(drop=True)


def _record_part(record: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = record.get(key)
    if not isinstance(value, kind):
        raise ValueError(f"{where} has no {key!r} {kind.__name__}")
    return value


def _validation_from(
    record: Mapping[str, Any],
    table: pd.DataFrame,
    replications: pd.DataFrame,
    sizes: np.ndarray,
    where: str,
) -> ValidationData:
    """The report's view of a validation: ``record`` is :meth:`Validation.to_dict`."""
    from equipoise.validate import war_size_sample, war_size_slope

    settings = _record_part(record, "settings", dict, where)
    history = _record_part(record, "history", dict, where)
    pooled = _record_part(record, "pooled_war_sizes", dict, where)
    notes = _record_part(record, "notes", list, where)
    for key in ("start", "end", "level", "size_window", "replications"):
        if key not in settings:
            raise ValueError(f"{where} has no setting {key!r}")
    for key in ("war_size_slope_fit", "war_size_tail_fit", "counts", "windows"):
        if not isinstance(history.get(key), dict):
            raise ValueError(f"{where} has no history {key!r}")
    window = history["windows"].get("war_size")
    if not isinstance(window, list | tuple) or len(window) != 2:
        raise ValueError(f"{where} has no history window 'war_size'")
    for key in ("slope", "tail"):
        if not isinstance(pooled.get(key), dict):
            raise ValueError(f"{where} has no pooled war-size {key!r} fit")
    sim = np.asarray(sizes, dtype=np.float64)
    if sim.size != int(pooled.get("wars", -1)):
        raise ValueError(
            f"{where}: {sim.size} simulated wars, but the pooled fit was on {pooled.get('wars')}"
        )
    sample = war_size_sample(
        int(settings["start"]), int(settings["end"]), tuple(settings["size_window"])
    )
    deaths = sample["size"].to_numpy(dtype=np.float64)
    fit = history["war_size_slope_fit"]
    recorded = fit.get("slope")
    again = war_size_slope(deaths).slope if deaths.size else np.nan
    same_slope = (recorded is None and not np.isfinite(again)) or (
        recorded is not None and np.isclose(again, float(recorded), rtol=1e-9, atol=0.0)
    )
    if deaths.size != int(history["counts"].get("size_wars", -1)) or not same_slope:
        raise ValueError(
            f"{where}: the built-in COW war data give {deaths.size} wars for the war-size "
            f"distribution, not the {history['counts'].get('size_wars')} this validation fitted "
            "(the data were updated since: run equipoise validate again)"
        )
    statistics = table["statistic"].tolist()
    unknown = [c for c in replications.columns if c not in statistics]
    if unknown:
        raise ValueError(f"{where}: replications has statistic(s) not in the table: {unknown[0]}")
    return ValidationData(
        table=table,
        replications=replications.astype(np.float64),
        settings=dict(settings),
        notes=[str(n) for n in notes],
        history=dict(history),
        pooled=dict(pooled),
        history_sizes=deaths,
        simulated_sizes=sim,
        provenance=dict(record.get("provenance") or {}),
    )


def load_validation(directory: str | Path) -> ValidationData:
    """Read the output of ``equipoise validate`` for the report.

    Parameters
    ----------
    directory : str or Path
        A directory written by :meth:`equipoise.validate.Validation.to_files`
        (:data:`VALIDATION_FILES`).

    Returns
    -------
    ValidationData

    Raises
    ------
    FileNotFoundError
        If a file of :data:`VALIDATION_FILES` is missing.
    ValueError
        If a file cannot be read as a validation's, or the built-in COW war
        data no longer give the war sizes the validation fitted.
    """
    directory = Path(directory)
    for name in VALIDATION_FILES:
        if not (directory / name).is_file():
            raise FileNotFoundError(f"{name} is missing from {directory}")
    where = str(directory / "validation.json")
    try:
        record = json.loads((directory / "validation.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {where}: {exc}") from None
    if not isinstance(record, dict):
        raise ValueError(f"{where} is not a JSON object")
    try:
        table = pd.read_csv(directory / "comparison.csv", keep_default_na=True)
        replications = pd.read_csv(directory / "replications.csv", index_col="replication")
        wars = pd.read_csv(directory / "wars.csv")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the tables in {directory}: {exc}") from None
    if "size" not in wars.columns:
        raise ValueError(f"{directory / 'wars.csv'} has no 'size' column")
    return _validation_from(
        record,
        _comparison_table(table, str(directory / "comparison.csv")),
        replications,
        pd.to_numeric(wars["size"]).to_numpy(dtype=np.float64),
        where,
    )


def validation_data(source: Any) -> ValidationData:
    """The report's view of a validation, from the object or from its output directory.

    Parameters
    ----------
    source : Validation, ValidationData, str or Path
        :func:`equipoise.validate.validate_scenario`'s result, or the
        directory ``equipoise validate`` wrote.

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`load_validation`; ``ValueError`` also for another kind of
        ``source``.
    """
    from equipoise.validate import Validation

    if isinstance(source, ValidationData):
        return source
    if isinstance(source, str | Path):
        return load_validation(source)
    if isinstance(source, Validation):
        return _validation_from(
            source.to_dict(),
            _comparison_table(source.table, "the validation's table"),
            source.replications,
            source.inputs.wars["size"].to_numpy(dtype=np.float64),
            "the validation",
        )
    raise ValueError(
        "The 'source' parameter must be a Validation or the directory `equipoise validate` "
        f"wrote. Got {type(source).__name__} instead."
    )


def slope_line(sizes: np.ndarray, fit: Mapping[str, Any]) -> pd.DataFrame:
    """Cederman's OLS line of ``log10 P(S >= s)`` on ``log10 s``, over the sizes' range.

    Parameters
    ----------
    sizes : ndarray
        The sizes the line was fitted to.
    fit : mapping
        :meth:`equipoise.validate.WarSizeSlope.as_dict` (``slope``,
        ``intercept``; ``None`` or ``nan`` when there was no fit).

    Returns
    -------
    DataFrame
        ``size`` and ``ccdf`` at the smallest and the largest size (a straight
        line on log-log axes); empty without a fit.

    References
    ----------
    Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
        sandpiles. *American Political Science Review*, 97(1), 135-150.

    Examples
    --------
    >>> slope_line(np.array([1.0, 10.0, 100.0]), {"slope": -0.5, "intercept": 0.0})
        size  ccdf
    0    1.0   1.0
    1  100.0   0.1
    """
    slope, intercept = _finite(fit.get("slope")), _finite(fit.get("intercept"))
    s = np.asarray(sizes, dtype=np.float64)
    s = s[np.isfinite(s) & (s > 0)]
    if slope is None or intercept is None or s.size == 0:
        return pd.DataFrame({"size": np.zeros(0), "ccdf": np.zeros(0)})
    x = np.array([s.min(), s.max()])
    return pd.DataFrame({"size": x, "ccdf": 10 ** (intercept + slope * np.log10(x))})


def tail_line(sizes: np.ndarray, fit: Mapping[str, Any]) -> pd.DataFrame:
    """The fitted power-law tail as ``P(S >= s)``, from ``x_min`` to the largest size.

    Above ``x_min`` the fitted density is ``p(s) ~ s^-alpha``, so the
    complementary cumulative distribution of all sizes is ``P(S >= s) =
    (n_tail / n) (s / x_min)^(1 - alpha)``: the share of sizes in the tail
    times the tail's own distribution (Clauset, Shalizi & Newman 2009).

    Parameters
    ----------
    sizes : ndarray
        The sizes the tail was fitted to.
    fit : mapping
        :meth:`equipoise.validate.PowerLawTail.as_dict` (``alpha``, ``xmin``,
        ``n_tail``, ``n``; ``None`` or ``nan`` without a fit).

    Returns
    -------
    DataFrame
        ``size`` and ``ccdf`` at ``x_min`` and at the largest size; empty
        without a fit.

    References
    ----------
    Clauset, A., Shalizi, C. R., & Newman, M. E. J. (2009). Power-law
        distributions in empirical data. *SIAM Review*, 51(4), 661-703.

    Examples
    --------
    >>> fit = {"alpha": 2.0, "xmin": 10.0, "n_tail": 5, "n": 10}
    >>> tail_line(np.array([1.0, 10.0, 100.0]), fit)
        size  ccdf
    0   10.0  0.50
    1  100.0  0.05
    """
    alpha, xmin = _finite(fit.get("alpha")), _finite(fit.get("xmin"))
    n_tail, n = fit.get("n_tail") or 0, fit.get("n") or 0
    s = np.asarray(sizes, dtype=np.float64)
    s = s[np.isfinite(s) & (s > 0)]
    if alpha is None or xmin is None or not n_tail or not n or s.size == 0:
        return pd.DataFrame({"size": np.zeros(0), "ccdf": np.zeros(0)})
    x = np.array([xmin, max(s.max(), xmin)])
    return pd.DataFrame({"size": x, "ccdf": (n_tail / n) * (x / xmin) ** (1.0 - alpha)})


def _finite(value: Any) -> float | None:
    """``value`` as a float, or None if it is missing or not finite."""
    if value is None:
        return None
    v = float(value)
    return v if np.isfinite(v) else None


@dataclass
class SizePanel:
    """One panel of the validation's war-size distributions: sizes and their two fits.

    Attributes
    ----------
    key : str
        ``"history"`` or ``"simulation"`` (names the panel's lines).
    title : str
    xlabel : str
        The unit of the sizes.
    sizes : ndarray
        The sizes both fits were made on.
    slope : dict
        Cederman's OLS fit (:meth:`equipoise.validate.WarSizeSlope.as_dict`).
    tail : dict
        The power-law tail (:meth:`equipoise.validate.PowerLawTail.as_dict`).
    """

    key: str
    title: str
    xlabel: str
    sizes: np.ndarray
    slope: dict[str, Any]
    tail: dict[str, Any]

    def ccdf(self) -> pd.DataFrame:
        """:func:`war_size_ccdf` of the sizes: the points fitted."""
        return war_size_ccdf(self.sizes)

    def slope_line(self) -> pd.DataFrame:
        """:func:`slope_line` of the sizes and the OLS fit."""
        return slope_line(self.sizes, self.slope)

    def tail_line(self) -> pd.DataFrame:
        """:func:`tail_line` of the sizes and the power-law fit."""
        return tail_line(self.sizes, self.tail)


#: Unit of history's war sizes in the validation.
HISTORY_SIZE_LABEL = "battle deaths"
#: Unit of the simulated war sizes in the validation (``relative_size``).
SIMULATED_SIZE_LABEL = "military destroyed / world military at onset"


def validation_size_panels(vd: ValidationData) -> list[SizePanel]:
    """History's and the simulation's war sizes with the fits the validation recorded.

    History: the wars of :func:`equipoise.validate.war_size_sample` (battle
    deaths) with ``war_size_slope_fit`` and ``war_size_tail_fit``; simulation:
    every simulated war of every replication (a share of the world's
    military) with the pooled fits. The sizes are in different units, so each
    gets its own panel.
    """
    lo, hi = vd.history["windows"]["war_size"]
    reps = int(vd.settings["replications"])
    return [
        SizePanel(
            key="history",
            title=f"history: COW inter-state wars begun {lo}-{hi}",
            xlabel=HISTORY_SIZE_LABEL,
            sizes=vd.history_sizes,
            slope=dict(vd.history["war_size_slope_fit"]),
            tail=dict(vd.history["war_size_tail_fit"]),
        ),
        SizePanel(
            key="simulation",
            title=f"simulation: {reps} replication{'s' if reps != 1 else ''} pooled",
            xlabel=SIMULATED_SIZE_LABEL,
            sizes=vd.simulated_sizes,
            slope=dict(vd.pooled["slope"]),
            tail=dict(vd.pooled["tail"]),
        ),
    ]
