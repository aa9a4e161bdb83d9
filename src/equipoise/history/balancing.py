"""Tests of balancing claims on the historical record: what the tests share.

Two claims of balance-of-power theory are put to the data (COW capabilities,
ATOP alliances), each returning a tidy table of effect sizes with 95%
intervals:

- **External balancing** (:func:`~equipoise.history.levy_thompson`, module
  :mod:`equipoise.history.external_balancing`): great powers form alliances
  against a leading land power once it holds about a third of capabilities
  (Levy & Thompson 2005). The year and alliance tables it is computed from
  (:func:`~equipoise.history.levy_thompson_data`,
  :func:`~equipoise.history.levy_thompson_alliances`) are in
  :mod:`equipoise.history.alliance_formation`.
- **Internal balancing** (:func:`~equipoise.history.internal_balancing`, module
  :mod:`equipoise.history.arming`): the other great powers arm faster when the
  leader's share rises (Waltz 1979).

This module holds what they share: the leading power of each year among the
chosen states (leaving out the sea powers, optionally within a region). Shares,
leaders and intervals come from :mod:`equipoise.metrics` (through
:mod:`equipoise.history.measures`), the code that measures simulations. Each
test also has ``*_data`` functions returning the year, state-year or alliance
table it is computed from, so every number can be traced to the rows behind
it, and stores every setting it used in the ``attrs`` of its output.

References
----------
Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
    balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
    https://doi.org/10.1080/09636410591001465
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
    28(3), 237-260. https://doi.org/10.1080/03050620213653
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (Ed.), *Peace,
    War, and Numbers* (pp. 19-48). Sage.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from equipoise import metrics
from equipoise.history.measures import CapabilityPanel, Members, capability_panel, major_mask

__all__ = ["REGIONS", "SEA_POWERS"]

#: COW codes of the states not counted as land powers by default: the USA (2)
#: and the United Kingdom (200), the offshore sea powers of the period.
SEA_POWERS: tuple[int, ...] = (2, 200)

#: Regions a test can be restricted to, as a range of COW state codes (COW numbers
#: the states of Europe, Russia included and Turkey not, 200-399).
REGIONS: dict[str, tuple[int, int] | None] = {"world": None, "europe": (200, 399)}


def _check_positive_int(name: str, value: int, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(
            f"The '{name}' parameter must be an int >= {minimum}. Got {value!r} instead."
        )


def _region_mask(codes: np.ndarray, region: str) -> np.ndarray:
    """Which COW codes lie in ``region`` (all of them for ``"world"``)."""
    bounds = REGIONS[region]
    if bounds is None:
        return np.ones(len(codes), dtype=bool)
    return (codes >= bounds[0]) & (codes <= bounds[1])


def _leaders(
    nmc: pd.DataFrame,
    capability: str,
    members: Members,
    exclude: Sequence[int],
    start: int | None,
    end: int | None,
    majors: pd.DataFrame,
    region: str = "world",
) -> tuple[CapabilityPanel, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Panel, shares, and the leading major power (not in ``exclude``) per year.

    With a ``region`` other than ``"world"`` the panel keeps only the states of
    the region, so shares are shares of the region's chosen members.
    """
    p = capability_panel(nmc, capability, members, start, end, majors)
    if region != "world":
        inside = _region_mask(p.codes, region)[None, :]
        p = CapabilityPanel(
            p.years, p.codes, p.abb, np.where(inside, p.caps, np.nan), p.alive & inside
        )
    share = metrics.shares(p.caps, p.alive)
    candidate = (
        p.alive
        & major_mask(p.years, p.codes, majors)
        & ~np.isin(p.codes, np.asarray(list(exclude), dtype=np.int64))[None, :]
    )
    masked = np.where(candidate, share, np.nan)
    found = candidate.any(axis=-1)
    lead = metrics.leader(masked)
    lead_share = np.where(found, metrics.leader_share(masked), np.nan)
    return p, share, lead, lead_share, found
