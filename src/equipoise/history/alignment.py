"""Landscape theory on history: sizes and propensity components from COW and ATOP.

:func:`alignment_components` builds, for the states of a year, the inputs of
landscape theory (:mod:`equipoise.landscape`) from the data shipped with
equipoise:

* **Sizes**: the published COW composite index (CINC, National Material
  Capabilities v6.0) of each state in that year, as a share of the selected
  states' total.
* **Components** (symmetric 0/1 matrices, zero diagonal):

  ``alliance``
      1 if the pair are members of the same ATOP alliance in force that year
      (``yrent <= year <= yrexit``, ``yrexit = 0`` meaning still in force)
      in which at least one of them holds an obligation of a chosen type
      (``pacts``, default defence and offence), as in
      :func:`~equipoise.history.scenario_from_history`.
  ``war_enemies``
      1 if the pair fought on opposite sides of a COW inter-state war that
      began in the ``war_years`` years before ``year``.
  ``war_allies``
      1 if they fought on the same side of such a war.

  A war in which a state changed sides (COW lists it on both) makes it both
  an enemy and an ally of the states on either side.

:meth:`AlignmentComponents.propensity` adds them up with
:data:`DEFAULT_WEIGHTS` (+1 alliance, +1 fought together, -1 fought each
other), following Axelrod & Bennett (1993), who sum components coded so that
positive means "would rather be together". They used five components for
Europe in 1936 (ethnic conflict, religion, border disputes, type of government
and history of wars); only alliances and wars are in the data shipped here, so
this is an approximation. Pass your own matrices (e.g. regime similarity) to
:func:`equipoise.landscape.propensity_from_components` together with these.

References
----------
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://www.jstor.org/stable/194248
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
    28(3), 237-260. https://doi.org/10.1080/03050620213653
Sarkees, M. R., & Wayman, F. (2010). *Resort to War: 1816-2007*. CQ Press.
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (Ed.), *Peace,
    War, and Numbers* (pp. 19-48). Sage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from equipoise._io import atomic_write_text
from equipoise.history.loaders import load_wars
from equipoise.history.scenario_builder import PACT_TYPES, _alliance_pairs, _selection
from equipoise.landscape import LandscapeResult, propensity_from_components, solve
from equipoise.scenario import InvalidScenarioError

__all__ = [
    "AB1936_ALIGNMENT",
    "AB1936_STATES",
    "DEFAULT_WEIGHTS",
    "AlignmentComponents",
    "alignment_components",
]

#: Weights of :meth:`AlignmentComponents.propensity` unless others are given.
DEFAULT_WEIGHTS: dict[str, float] = {"alliance": 1.0, "war_allies": 1.0, "war_enemies": -1.0}

#: COW codes of the 17 European states of Axelrod & Bennett's (1993) 1936 case:
#: UKG, FRN, POR, GMY, POL, HUN, CZE, ITA, YUG, GRC, ROM, RUS, EST, LAT, LIT, FIN, DEN.
AB1936_STATES: tuple[int, ...] = (
    200,
    220,
    235,
    255,
    290,
    310,
    315,
    325,
    345,
    350,
    360,
    365,
    366,
    367,
    368,
    375,
    390,
)

#: The Second World War alignment against which Axelrod & Bennett (1993) judge
#: their 1936 prediction, as the case is usually summarised: 1 with Germany, 0
#: against (the Baltic states counted with Germany, Portugal and Denmark with
#: Britain).
AB1936_ALIGNMENT: dict[str, int] = {
    "UKG": 0,
    "FRN": 0,
    "RUS": 0,
    "CZE": 0,
    "YUG": 0,
    "GRC": 0,
    "POL": 0,
    "POR": 0,
    "DEN": 0,
    "GMY": 1,
    "ITA": 1,
    "HUN": 1,
    "ROM": 1,
    "FIN": 1,
    "EST": 1,
    "LAT": 1,
    "LIT": 1,
}


@dataclass(frozen=True, eq=False)
class AlignmentComponents:
    """Inputs of landscape theory for the states of one year.

    Attributes
    ----------
    year : int
    names : tuple of str
        COW abbreviations, in COW code order.
    ccodes : tuple of int
    sizes : (n,) float
        CINC shares of the selected states (sum to 1).
    components : dict of str to (n, n) float
        ``alliance``, ``war_enemies``, ``war_allies`` (0/1, symmetric).
    """

    year: int
    names: tuple[str, ...]
    ccodes: tuple[int, ...]
    sizes: np.ndarray
    components: dict[str, np.ndarray]

    def propensity(self, weights: Mapping[str, float] | None = None) -> np.ndarray:
        """Weighted sum of the components (default :data:`DEFAULT_WEIGHTS`)."""
        w = dict(DEFAULT_WEIGHTS) if weights is None else {**DEFAULT_WEIGHTS, **weights}
        return propensity_from_components(self.components, w)

    def solve(self, weights: Mapping[str, float] | None = None, **kwargs: Any) -> LandscapeResult:
        """:func:`equipoise.landscape.solve` on these sizes and :meth:`propensity`."""
        return solve(self.sizes, self.propensity(weights), names=self.names, **kwargs)

    def to_csv(
        self,
        path: str | Path | None = None,
        weights: Mapping[str, float] | None = None,
        digits: int = 5,
    ) -> str:
        """The landscape as a CSV file that ``equipoise landscape`` and ``read_landscape`` read.

        Sizes are rounded to ``digits`` decimals; propensities are written as
        integers when they are whole numbers; the diagonal is left empty. This
        is how ``examples/landscape-europe-1936.csv`` is made (a test checks
        that the shipped file is exactly this output)::

            alignment_components(1936, AB1936_STATES).to_csv("examples/landscape-europe-1936.csv")

        Parameters
        ----------
        path : str or Path, optional
            Where to write the CSV (atomically); nothing is written if ``None``.
        weights : mapping, optional
            Weights of :meth:`propensity` (default :data:`DEFAULT_WEIGHTS`).
        digits : int
            Decimals of the sizes.

        Returns
        -------
        str
            The CSV text.

        Examples
        --------
        >>> c = alignment_components(1913, [220, 255, 365])
        >>> print(c.to_csv(), end="")
        name,size,FRN,GMY,RUS
        FRN,0.20777,,0,2
        GMY,0.43761,0,,0
        RUS,0.35462,2,0,
        """
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
            raise ValueError(f"The 'digits' parameter must be an int >= 1. Got {digits!r} instead.")
        p = self.propensity(weights)

        def cell(value: float) -> str:
            v = float(value)
            return str(int(v)) if v.is_integer() else repr(v)

        lines = [",".join(["name", "size", *self.names])]
        for i, name in enumerate(self.names):
            row = ["" if j == i else cell(p[i, j]) for j in range(len(self.names))]
            lines.append(",".join([name, f"{self.sizes[i]:.{digits}f}", *row]))
        text = "\n".join(lines) + "\n"
        if path is not None:
            atomic_write_text(path, text)
        return text


def _war_matrices(ccodes: Sequence[int], first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """(enemies, allies) among ``ccodes`` in COW wars that began in [first, last]."""
    wars = load_wars()
    index = {c: i for i, c in enumerate(ccodes)}
    rows = wars[
        wars["ccode"].isin(list(ccodes))
        & (wars["StartYear1"] >= first)
        & (wars["StartYear1"] <= last)
        & wars["Side"].notna()
    ]
    n = len(ccodes)
    enemies = np.zeros((n, n))
    allies = np.zeros((n, n))
    for _, war in rows.groupby("WarNum"):
        sides = [(index[int(c)], int(s)) for c, s in zip(war["ccode"], war["Side"], strict=True)]
        for i, si in sides:
            for j, sj in sides:
                if i != j:
                    (allies if si == sj else enemies)[i, j] = 1.0
    return enemies, allies


def alignment_components(
    year: int,
    states: str | Sequence[int] = "major",
    *,
    pacts: str | Sequence[str] = ("defense", "offense"),
    war_years: int = 40,
) -> AlignmentComponents:
    """Sizes and propensity components of the states of ``year`` from COW and ATOP.

    Parameters
    ----------
    year : int
        A year covered by the NMC data (1816-2016).
    states : {"major", "all"} or sequence of int
        The COW major powers of that year, every system member, or a list of
        COW codes (e.g. :data:`AB1936_STATES`).
    pacts : str or sequence of str
        ATOP obligation types that count as an alliance (see
        :data:`~equipoise.history.scenario_builder.PACT_TYPES`).
    war_years : int
        Wars that began in ``year - war_years`` to ``year - 1`` count.

    Returns
    -------
    AlignmentComponents
        See the module docstring for how each matrix is built.

    Raises
    ------
    InvalidScenarioError
        A year outside the data, unknown or absent states, an unknown pact
        type, a state without a CINC score, or ``war_years < 1``.

    References
    ----------
    Axelrod & Bennett (1993); COW NMC (Singer, Bremer & Stuckey 1972), COW
    Inter-State Wars (Sarkees & Wayman 2010), ATOP (Leeds et al. 2002). Full
    entries in the module docstring.

    Examples
    --------
    Europe in 1936, the case of Axelrod & Bennett (1993):

    >>> from equipoise.history.alignment import AB1936_STATES, alignment_components
    >>> c = alignment_components(1936, AB1936_STATES)
    >>> c.names[:4]
    ('UKG', 'FRN', 'POR', 'GMY')
    >>> result = c.solve()
    >>> result.coalitions()[1]  # the coalition without Britain
    ('GMY', 'POL', 'HUN', 'EST', 'LAT', 'FIN')
    """
    pact_list = [pacts] if isinstance(pacts, str) else list(pacts)
    unknown = [p for p in pact_list if p not in PACT_TYPES]
    if unknown or not pact_list:
        raise InvalidScenarioError(
            f"unknown pact type {unknown[0] if unknown else None!r}: "
            f"choose from {', '.join(PACT_TYPES)}"
        )
    if isinstance(war_years, bool) or not isinstance(war_years, int) or war_years < 1:
        raise InvalidScenarioError(f"war_years must be a positive integer, got {war_years!r}")
    rows, _ = _selection(year, states)
    year = int(year)
    ccodes = tuple(int(c) for c in rows["ccode"])
    names = tuple(str(a) for a in rows["stateabb"])
    cinc = rows["cinc"].astype("float64").to_numpy(na_value=np.nan)
    if np.isnan(cinc).any():
        raise InvalidScenarioError(f"{names[int(np.argmax(np.isnan(cinc)))]} has no CINC in {year}")
    n = len(ccodes)
    index = {c: i for i, c in enumerate(ccodes)}
    alliance = np.zeros((n, n))
    for a, b in _alliance_pairs(ccodes, year, pact_list):
        alliance[index[a], index[b]] = alliance[index[b], index[a]] = 1.0
    enemies, allies = _war_matrices(ccodes, year - war_years, year - 1)
    return AlignmentComponents(
        year=year,
        names=names,
        ccodes=ccodes,
        sizes=cinc / cinc.sum(),
        components={"alliance": alliance, "war_enemies": enemies, "war_allies": allies},
    )
