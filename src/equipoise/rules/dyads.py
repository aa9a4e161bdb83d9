"""Dyad-years of a simulated system as cell counts: dyad-years and war onsets by covariate cell.

Quantitative peace science measures war on *dyad-years* (one row per pair of
states and year) with covariates such as land contiguity, the capability ratio
and alliance (Bremer 1992; :mod:`equipoise.panels`). A simulated run has
millions of them, so the kernel never writes them as rows: at every step it
counts, for each *cell* of covariate values, the dyad-years and the war onsets
in it (:func:`open_year` before the step's rules, :func:`count_onsets` after
them). A binomial model of onset on the cells is the same model as a logit on
the rows.

The cells of a dyad-year of step ``t`` (an unordered pair ``i < j`` of states
living at the start of the step, after its entries and exits, before its
rules), measured on the system at that moment:

* ``contiguous``: the two states share a front by land on the map
  (``land[i, j] > 0``: adjacent provinces joined by a land edge; on a map
  without seas every front), the model's analogue of COW direct contiguity by
  land (type 1); states facing each other only across water are not contiguous;
* ``ratio_bin``: the capability ratio, the stronger capability share over the
  weaker (:func:`~equipoise.rules.threat.capability_shares`, the model's CINC),
  in the bins of :data:`equipoise.metrics.DYAD_RATIO_EDGES`: parity (below 1.25:
  the weaker has at least 80% of the stronger's capability, Organski & Kugler
  1980), a small difference
  (1.25 to 3), a medium one (3 to 10) and preponderance (10 or more), Bremer's
  (1992) thresholds of 3 and 10 (Weede 1976's 10:1 "overwhelming preponderance");
* ``allied``: the two are in the same bloc (``bloc[i] == bloc[j] >= 0``) or,
  with treaties, hold a defence or offence pact
  (:func:`equipoise.rules.treaties.allied`): the model's analogue of an ATOP
  defence or offence pact;
* ``at_war``: the two are hostile at the start of the step (the dyad was at war
  in the previous year).

A **war onset** of the dyad in step ``t`` is a hostility between ``i`` and
``j`` opened during the step (:func:`equipoise.rules.indexes.open_hostility`:
an unprovoked attack, or an ally entering the war against the other) when the
two were not hostile at its start; it is counted even if it ends in the same
step (a capital taken in the first battle). So a dyad has at most one onset per
step, only in a cell with ``at_war`` 0, and a ceasefire followed by a new
attack within one step continues the dyad's war rather than starting another.
This is COW's dyadic war onset (``cowinteronset``: the first year of a spell of
two states at war) with one difference: COW's participant data cannot say who
fought whom, so every state on one side of a multilateral war is at war with
every state on the other, where the model counts the pairs that fought.

The cell index is :func:`equipoise.metrics.dyad_cell` (vectorised; :func:`cell_of`
is its compiled twin, used by the kernel, with the same bin edges), so the history
side (:mod:`equipoise.validate.dyads`) classifies COW dyad-years with the same code.

References
----------
Bremer, S. A. (1992). Dangerous dyads: Conditions affecting the likelihood of
    interstate war, 1816-1965. *Journal of Conflict Resolution*, 36(2),
    309-341. https://doi.org/10.1177/0022002792036002005
Organski, A. F. K., & Kugler, J. (1980). *The War Ledger*. University of
    Chicago Press.
Weede, E. (1976). Overwhelming preponderance as a pacifying condition among
    contiguous Asian dyads, 1950-1969. *Journal of Conflict Resolution*,
    20(3), 395-411. https://doi.org/10.1177/002200277602000302
"""

from __future__ import annotations

import numpy as np
from numba import njit

from equipoise.metrics import DYAD_RATIO_EDGES, N_RATIO_BINS
from equipoise.rules import treaties
from equipoise.rules.threat import shares_into
from equipoise.state import FloatArray, IntArray, Params, World

__all__ = ["cell_of", "count_onsets", "open_year"]


@njit
def cell_of(contiguous: bool, ratio: float, allied: bool, at_war: bool) -> int:
    """:func:`equipoise.metrics.dyad_cell` of one dyad-year (compiled, for the kernel)."""
    b = 0
    for edge in DYAD_RATIO_EDGES:
        if ratio >= edge:
            b += 1
    c = 1 if contiguous else 0
    return ((c * N_RATIO_BINS + b) * 2 + (1 if allied else 0)) * 2 + (1 if at_war else 0)


@njit
def open_year(w: World, p: Params, cells: IntArray, shares: FloatArray, counts: np.ndarray) -> None:
    """Count this step's dyad-years by cell and remember each pair's cell; empty ``w.opened``.

    Called before the step's rules (after its entries and exits). ``cells`` (N * N) receives
    the cell of each living pair ``i < j`` at ``i * N + j`` (other entries are left as they
    are: no pair of a state not living now can open a hostility this step); ``shares`` (N) is
    work space for the capability shares; ``counts`` (N_DYAD_CELLS, 2) gets one more dyad-year in
    column 0 of each pair's cell.
    """
    n = p.n_states
    shares_into(w, p, shares)
    alive, bloc, land, hostile = w.alive, w.bloc, w.land, w.hostile  # read once, not per pair
    for i in range(n):
        if not alive[i]:
            continue
        si = shares[i]
        bi = bloc[i]
        row = i * n
        for j in range(i + 1, n):
            if not alive[j]:
                continue
            sj = shares[j]
            hi, lo = (si, sj) if si >= sj else (sj, si)
            ratio = hi / lo if lo > 0.0 else np.inf
            allied = (bi >= 0 and bi == bloc[j]) or treaties.allied(w, i, j)
            c = cell_of(land[i, j] > 0, ratio, allied, hostile[i, j])
            cells[row + j] = c
            counts[c, 0] += 1
    w.opened[0] = 0


@njit
def count_onsets(w: World, p: Params, cells: IntArray, counts: np.ndarray) -> None:
    """Add the step's war onsets to column 1 of ``counts`` (after the step's rules).

    Every pair in ``w.opened`` that was not hostile at the start of the step counts once, in
    the cell :func:`open_year` gave it.
    """
    for k in range(1, w.opened[0] + 1):
        code = w.opened[k]
        c = cells[code]
        if c % 2 == 0:  # not at war at the start of the step
            counts[c, 1] += 1
            cells[code] = c + 1  # counted: a second opening in this step is not an onset
    w.opened[0] = 0
