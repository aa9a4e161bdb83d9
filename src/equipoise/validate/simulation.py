"""The simulated side of the table: a run of the model as the inputs of every statistic.

:func:`simulated_inputs` turns each replication of a run (one step per year from
``start``) into the plain inputs of :mod:`equipoise.validate`, with alliances from
the recorded blocs (:func:`bloc_spells`), so that the same per-statistic functions
that measure history measure the model
(:func:`~equipoise.validate.compare.system_statistics`). The run itself and the
comparison with history are :func:`~equipoise.validate.validate_scenario`
(:mod:`equipoise.validate.validation`).

**Time.** One step is one year. The state recorded at step ``k`` is the
system at the start of year ``start + k`` (step 0 is the data of ``start``),
and step ``s`` (from the state of step ``s - 1`` to that of step ``s``) is
the year ``start + s - 1``: a war whose first battle is at step ``s``, or an
alliance first in force at step ``s``, is dated ``start + s - 1``. The years
``start ... end`` take ``end - start + 1`` steps; ``alive`` and the
capabilities are the states recorded at steps ``0 ... end - start``, one row
per year as in the historical membership matrices, so a state destroyed in
the last year is not counted as a death, as in history.

**Wars.** A war of the model is a cluster of battles (one row of
:attr:`~equipoise.results.Result.wars`): ``participants`` are the
states that fought in it and ``size`` its ``relative_size``, the military
destroyed in all its battles as a share of the system's military stock when
it began (battle deaths relative to the system, scale-free like the
statistics of war size). Wars still being fought at the end are kept, with
the size reached so far.

**Membership.** A state is in the system while it holds provinces
(``provinces > 0``); taking its capital destroys it and it never returns, so
death is absorbing, as in a historical cohort.

**Alliances.** Without treaties allies are members of a *bloc*
(:mod:`equipoise.state`). The analogue of an ATOP alliance is a **bloc code
with at least two members**, in force from the first step it has two members
to the first step it has fewer (its ``end``; missing while still in force at
the end, i.e. censored). Members may join and leave while it lasts, as states
accede to and withdraw from a treaty. A code that falls below two members and
later regains them starts a new alliance. Blocs in force at step 0 are the
alliances of the starting year (ATOP alliances in force then, formed before):
they are listed (``initial``) but left out of the statistics, as history
counts only alliances formed from ``start`` on. With treaties
(``alliances.treaties``; :mod:`equipoise.rules.treaties`) the alliances are
the **treaties** instead (:func:`pact_spells`): one treaty is one alliance,
from the step its first pact is formed to the first step none of its pacts is
in force, as ATOP counts one treaty as one alliance whatever its number of
members (members accede to and withdraw from it meanwhile); treaties in force
at step 0 are the ``initial`` ones.

References
----------
Cederman, L.-E. (1997). *Emergent Actors in World Politics*. Princeton
    University Press.
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
    sandpiles. *American Political Science Review*, 97(1), 135-150.
    https://doi.org/10.1017/S0003055403000571
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
    28(3), 237-260. https://doi.org/10.1080/03050620213653
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.validate.compare import system_statistics

if TYPE_CHECKING:
    from equipoise.results import Result

__all__ = ["SimulatedInputs", "bloc_spells", "pact_spells", "simulated_inputs"]

#: Progress callback: ``(stage, done, total)``, stage ``"simulating"``
#: (replication-steps) or ``"measuring"`` (replications).
ProgressCallback = Callable[[str, int, int], None]


# --------------------------------------------------------------------------- inputs


#: Columns of a table of alliance spells (:func:`bloc_spells`, :func:`pact_spells`).
_SPELL_COLUMNS = {
    "replication": np.int64,
    "bloc": np.int64,
    "start": np.int64,
    "end": np.float64,
    "founders": np.int64,
    "max_members": np.int64,
    "initial": bool,
}


def _spell_table(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Spell rows as a table, typed and sorted by replication, start and bloc."""
    out = pd.DataFrame(rows, columns=list(_SPELL_COLUMNS)).astype(_SPELL_COLUMNS)
    return out.sort_values(["replication", "start", "bloc"], kind="stable").reset_index(drop=True)


def bloc_spells(blocs: npt.ArrayLike) -> pd.DataFrame:
    """Alliance spells of a simulation from its recorded blocs.

    An alliance is a bloc code with at least two members, from the first step
    it has two members to the first step it has fewer (module docstring): the
    analogue of an ATOP alliance, whose members may change while it lasts. A
    code that falls below two members and later regains them starts a new
    alliance.

    Parameters
    ----------
    blocs : int array, shape (R, n_steps, N) or (n_steps, N)
        Bloc code of every state at every recorded step (``-1``: none), as in
        ``Result.dataset["bloc"]``; a 2-d array is one replication.

    Returns
    -------
    DataFrame
        One row per alliance, ordered by replication, start and bloc:
        ``replication``, ``bloc`` (the code), ``start`` (first step with two
        members or more), ``end`` (first step with fewer, ``nan`` if it still
        has two at the last step: censored), ``founders`` (members at
        ``start``), ``max_members`` and ``initial`` (in force at step 0).

    Examples
    --------
    States 0 and 1 ally at step 1; state 2 joins at step 2; state 0 leaves at
    step 3 and state 1 at step 4:

    >>> blocs = np.array([[-1, -1, -1], [5, 5, -1], [5, 5, 5], [-1, 5, 5], [-1, -1, 5]])
    >>> bloc_spells(blocs).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'replication': 0, 'bloc': 5, 'start': 1, 'end': 4.0, 'founders': 2, 'max_members': 3,
      'initial': False}]
    """
    b = np.asarray(blocs)
    if b.ndim == 2:
        b = b[np.newaxis]
    if b.ndim != 3 or not np.issubdtype(b.dtype, np.integer):
        raise ValueError(
            "The 'blocs' parameter must be an integer (replications x steps x states) array. "
            f"Got {b.ndim} dimension(s) of {b.dtype} instead."
        )
    n_rep, n_steps, _ = b.shape
    rows: list[tuple[int, int, int, float, int, int, bool]] = []
    for r in range(n_rep):
        codes = np.unique(b[r][b[r] >= 0])
        for code in codes:
            count = (b[r] == code).sum(axis=1)  # members at each step
            allied = np.concatenate(([False], count >= 2, [False]))
            edges = np.flatnonzero(allied[1:] != allied[:-1])
            for first, stop in zip(edges[::2], edges[1::2], strict=True):
                end = float(stop) if stop < n_steps else np.nan
                rows.append(
                    (
                        r,
                        int(code),
                        int(first),
                        end,
                        int(count[first]),
                        int(count[first:stop].max()),
                        bool(first == 0),
                    )
                )
    return _spell_table(rows)


def pact_spells(pacts: pd.DataFrame, replications: npt.ArrayLike, last: int) -> pd.DataFrame:
    """Alliance spells of a simulation with treaties: one per treaty, as :func:`bloc_spells`.

    A treaty is the pacts sharing its number (``treaty``; a table without that column has
    one treaty per pact), in force from its first pact's start to its last pact's end, as
    ATOP counts a multilateral alliance once, from its signature to its end, whatever
    members join or leave it.

    Parameters
    ----------
    pacts : DataFrame
        :attr:`~equipoise.results.Result.pacts`.
    replications : int array
        The replication labels of the run, in order (rows are numbered by position).
    last : int
        The last step observed: pacts formed after it are left out, and a treaty with a
        pact still in force at it is censored (``end`` missing).

    Returns
    -------
    DataFrame
        The columns of :func:`bloc_spells`, ``bloc`` holding the treaty's number,
        ``founders`` the members of its first pacts and ``max_members`` the most members
        holding a pact in it at once.

    Examples
    --------
    Treaty 1 is signed by states 1 and 2 at step 3, joined by state 0 at step 4; state 1
    leaves it at step 6, and the treaty lasts:

    >>> pacts = pd.DataFrame({"replication": 0, "pact": [0, 1, 2, 3, 4, 5],
    ...                       "start": [0, 3, 4, 4, 9, 9], "end": [5, 6, -1, 6, -1, -1],
    ...                       "a": [0, 1, 0, 0, 0, 1], "b": [1, 2, 2, 1, 2, 2], "kind": 0,
    ...                       "treaty": [0, 1, 1, 1, 2, 2]})
    >>> spells = pact_spells(pacts, [0], last=8)
    >>> spells[["bloc", "start", "end", "founders", "max_members", "initial"]].to_dict("list")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'bloc': [0, 1], 'start': [0, 3], 'end': [5.0, nan], 'founders': [2, 2],
     'max_members': [2, 3], 'initial': [True, False]}
    """
    position = {int(v): i for i, v in enumerate(np.asarray(replications, dtype=np.int64))}
    table = pacts[pacts["start"] <= last]
    treaty = table["treaty"] if "treaty" in table else table["pact"]
    end = table["end"].to_numpy(dtype=np.float64)
    end[(end < 0) | (end > last)] = np.inf  # in force at `last`: censored
    rows: list[tuple[int, int, int, float, int, int, bool]] = []
    frame = pd.DataFrame(
        {
            "replication": table["replication"].to_numpy(dtype=np.int64),
            "treaty": treaty.to_numpy(dtype=np.int64),
            "start": table["start"].to_numpy(dtype=np.int64),
            "end": end,
            "a": table["a"].to_numpy(dtype=np.int64),
            "b": table["b"].to_numpy(dtype=np.int64),
        }
    )
    for (rep, number), group in frame.groupby(["replication", "treaty"], sort=True):
        starts = group["start"].to_numpy()
        ends = group["end"].to_numpy()
        first = int(starts.min())
        stop = float(ends.max())
        founding = group[starts == first]
        founders = len(set(founding["a"]) | set(founding["b"]))
        most = 0
        for s in np.unique(starts):  # members holding a pact at each accession
            live = group[(starts <= s) & (ends > s)]
            most = max(most, len(set(live["a"]) | set(live["b"])))
        rows.append(
            (
                position[int(rep)],
                int(number),
                first,
                np.nan if np.isinf(stop) else stop,
                founders,
                max(most, founders),
                first == 0,
            )
        )
    return _spell_table(rows)


@dataclass(frozen=True, eq=False)
class SimulatedInputs:
    """A run of the model as the plain inputs of every statistic (module docstring).

    Attributes
    ----------
    times : int array, shape (n_years,)
        ``start ... start + n_years - 1``: the year of each row.
    alive : bool array, shape (R, n_years, N)
        ``provinces > 0`` at the steps ``0 ... n_years - 1``.
    capabilities : float array, shape (R, n_years, N)
        Recorded capability shares at the same steps (0 for dead states).
    wars : DataFrame
        One row per war begun in the years of ``times``: ``replication``,
        ``war``, ``start`` and ``end`` (years), ``start_step``, ``end_step``,
        ``participants``, ``size`` (``relative_size``), ``military_destroyed``
        (the raw ``size``), ``ongoing``.
    alliances : DataFrame
        :func:`bloc_spells` (with treaties :func:`pact_spells`) with ``start`` and ``end``
        in years and
        ``start_step``, ``end_step``; every spell, ``initial`` ones included.
    dropped_wars : int
        Wars left out because their size is not positive (no military
        destroyed, or none in the system): the statistics of war size need
        sizes > 0. Zero in every run so far.
    """

    times: np.ndarray
    alive: np.ndarray
    capabilities: np.ndarray
    wars: pd.DataFrame
    alliances: pd.DataFrame
    dropped_wars: int = 0

    @property
    def formed_alliances(self) -> pd.DataFrame:
        """The alliances that enter the statistics: those formed after step 0."""
        return self.alliances[~self.alliances["initial"]].reset_index(drop=True)


def simulated_inputs(result: Result, start: int = 0, years: int | None = None) -> SimulatedInputs:
    """Turn a :class:`~equipoise.results.Result` into the inputs of the statistics.

    Parameters
    ----------
    result : Result
        A run with ``record_states=True`` (the default of :func:`equipoise.run`).
    start : int
        The year of step 0 (module docstring: step ``s`` is the year
        ``start + s - 1``). The default 0 numbers the years from 0.
    years : int, optional
        How many years to keep (default: the number of steps run). Rows are
        the recorded steps ``0 ... years - 1``; wars and alliances begun in
        steps ``1 ... years``.

    Returns
    -------
    SimulatedInputs

    Examples
    --------
    >>> from equipoise import Scenario, run
    >>> result = run(Scenario(n_states=6, war={"enabled": False}), 2, 10, seed=1)
    >>> inputs = simulated_inputs(result, start=1816)
    >>> inputs.times[[0, -1]].tolist(), inputs.alive.shape, len(inputs.wars)
    ([1816, 1825], (2, 10, 6), 0)
    """
    ds = result.dataset
    missing = [v for v in ("provinces", "share", "bloc") if v not in ds]
    if missing:
        raise ValueError(
            f"The 'result' has no recorded {', '.join(missing)}: run it with record_states=True."
        )
    steps = int(ds.attrs["steps"])
    if years is None:
        years = steps
    integer = isinstance(years, int | np.integer) and not isinstance(years, bool)
    if not integer or not 1 <= years <= steps:
        raise ValueError(
            f"The 'years' parameter must be an integer in 1-{steps} (the steps run). "
            f"Got {years!r} instead."
        )
    if isinstance(start, bool) or not isinstance(start, int | np.integer):
        raise ValueError(f"The 'start' parameter must be an integer year. Got {start!r} instead.")
    start, years = int(start), int(years)
    times = np.arange(start, start + years, dtype=np.int64)
    alive = ds["provinces"].values[:, :years, :] > 0
    capabilities = np.asarray(ds["share"].values[:, :years, :], dtype=np.float64)
    # replication labels of the dataset (a range of a bigger run) -> 0 ... R-1
    labels = np.asarray(ds["replication"].values, dtype=np.int64)
    position = {int(v): i for i, v in enumerate(labels)}

    table = result.wars
    table = table[(table["start"] >= 1) & (table["start"] <= years)]
    positive = table["relative_size"] > 0
    dropped = int((~positive).sum())
    table = table[positive]
    wars = pd.DataFrame(
        {
            "replication": np.array(
                [position[int(v)] for v in table["replication"]], dtype=np.int64
            ),
            "war": table["war"].to_numpy(dtype=np.int64),
            "start": start + table["start"].to_numpy(dtype=np.int64) - 1,
            "end": start + table["end"].to_numpy(dtype=np.int64) - 1,
            "start_step": table["start"].to_numpy(dtype=np.int64),
            "end_step": table["end"].to_numpy(dtype=np.int64),
            "participants": table["participants"].to_numpy(dtype=np.int64),
            "size": table["relative_size"].to_numpy(dtype=np.float64),
            "military_destroyed": table["size"].to_numpy(dtype=np.float64),
            "ongoing": table["ongoing"].to_numpy(dtype=np.int64),
        }
    )

    if "pact" in ds.dims:  # treaties: the pacts are the alliances
        spells = pact_spells(result.pacts, labels, years)
    else:
        spells = bloc_spells(ds["bloc"].values[:, : years + 1, :])
    spells = spells.rename(columns={"start": "start_step", "end": "end_step"})
    spells.insert(2, "start", start + spells["start_step"] - 1)
    spells.insert(3, "end", start + spells["end_step"] - 1.0)
    # an alliance still in force at step `years` is censored: `end` stays missing
    return SimulatedInputs(
        times=times,
        alive=alive,
        capabilities=capabilities,
        wars=wars.reset_index(drop=True),
        alliances=spells,
        dropped_wars=dropped,
    )


def _statistics(
    inputs: SimulatedInputs,
    duration_method: str,
    progress: ProgressCallback | None,
    powers: np.ndarray | None = None,
) -> pd.DataFrame:
    """:func:`system_statistics` of every replication (as ``replication_statistics``)."""
    n_rep = inputs.alive.shape[0]
    wars = dict(tuple(inputs.wars.groupby("replication")))
    formed = inputs.formed_alliances
    spells = dict(tuple(formed.groupby("replication")))
    rows = []
    for r in range(n_rep):
        rows.append(
            system_statistics(
                wars.get(r, inputs.wars.iloc[0:0]),
                inputs.alive[r],
                inputs.capabilities[r],
                spells.get(r, formed.iloc[0:0]),
                times=inputs.times,
                duration_method=duration_method,  # type: ignore[arg-type]
                powers=powers,
            )
        )
        if progress is not None:
            progress("measuring", r + 1, n_rep)
    return pd.DataFrame(rows, index=pd.RangeIndex(n_rep, name="replication"))
