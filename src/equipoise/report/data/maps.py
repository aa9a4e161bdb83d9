"""Maps of territories for the report: who owns each province, and colours that tell states apart.

A result does not record the map by default (it is large), so :func:`territory_map` re-runs
the chosen replication with the map recorded (:func:`~equipoise.report.data.simulations.replay`),
exactly, and says whether the replay matched the result. :func:`state_colors` colours states so
that neighbours differ, and :func:`map_image` turns one step of the map into an image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from equipoise.report.data.simulations import check_replication, replay
from equipoise.results import Result

if TYPE_CHECKING:
    from equipoise.scenario import Scenario

__all__ = [
    "TerritoryMap",
    "map_image",
    "map_steps",
    "neighbours",
    "state_capitals",
    "state_colors",
    "territory_map",
]


@dataclass(frozen=True)
class TerritoryMap:
    """Who owns each province at every step of one replication.

    Attributes
    ----------
    replication : int
    owner : int array, shape (T + 1, P)
        Owner of province ``p`` at step ``t`` (``-1``: nobody).
    width, height : int
        The lattice: province ``p`` is at column ``p % width``, row ``p // width``.
    names, strategies : list of str
        Per state, length N.
    capitals : int array, shape (N,), or None
        Each state's capital province (fixed for its life), or None if it
        could not be derived (then none is drawn).
    source : str
        ``"recorded"`` (the result holds the map), ``"replayed"`` (re-run and
        bit-identical to the result) or ``"replay differs"`` (re-run, but
        something recorded does not match: the map may not be the result's).
    """

    replication: int
    owner: np.ndarray
    width: int
    height: int
    names: list[str]
    strategies: list[str]
    capitals: np.ndarray | None
    source: str

    @property
    def steps(self) -> int:
        """The last step (the map covers steps 0..steps)."""
        return int(self.owner.shape[0] - 1)

    def grid(self, step: int) -> np.ndarray:
        """Owners at ``step`` as a (height, width) array: row ``r``, column ``c``."""
        return np.asarray(self.owner[step]).reshape(self.height, self.width)

    def provinces(self, step: int) -> np.ndarray:
        """Provinces held by each state at ``step`` (0: dead), shape (N,)."""
        row = np.asarray(self.owner[step])
        return np.bincount(row[row >= 0], minlength=len(self.names))[: len(self.names)]

    def alive(self, step: int) -> np.ndarray:
        """Which states hold territory (are alive) at ``step``, shape (N,)."""
        return self.provinces(step) > 0


def state_capitals(scenario: Scenario, seed: int, replication: int) -> np.ndarray:
    """The capital of every state in one replication (:func:`equipoise.engine.capitals`)."""
    from equipoise.engine import capitals

    return capitals(scenario, seed, replication)


def territory_map(result: Result, replication: int | None = None) -> TerritoryMap:
    """The map of one replication: recorded in the result, or replayed exactly.

    Parameters
    ----------
    result : Result
    replication : int, optional
        A value of the ``replication`` coordinate (default: the first).

    Returns
    -------
    TerritoryMap
        Capitals are given when they are consistent with the map (each
        state owns its capital at step 0), else None.
    """
    ds = result.dataset
    if replication is None:
        replication = int(ds["replication"].values[0])
    replication = int(replication)
    check_replication(result, replication)
    if "owner" in ds:
        source = "recorded"
        owner = ds["owner"].sel(replication=replication).values
        attrs = ds.attrs
    else:
        again = replay(result, replication, record_map=True)
        source = "replayed" if again.reproduced else "replay differs"
        owner = again.result.dataset["owner"].values[0]
        attrs = again.result.dataset.attrs
    scenario = result.scenario
    names = [str(n) for n in ds["state"].values]
    caps: np.ndarray | None = state_capitals(scenario, int(ds.attrs["seed"]), replication)
    if caps is not None and (
        caps.shape != (len(names),)
        or caps.max(initial=-1) >= owner.shape[1]
        or not np.array_equal(owner[0, caps], np.arange(len(names)))
    ):
        caps = None
    return TerritoryMap(
        replication=replication,
        owner=np.asarray(owner, dtype=np.int16),
        width=int(attrs["map_width"]),
        height=int(attrs["map_height"]),
        names=names,
        strategies=scenario.strategy_names(),
        capitals=caps,
        source=source,
    )


def map_steps(steps: int, k: int = 6) -> list[int]:
    """``k`` evenly spaced steps from 0 to ``steps`` (fewer when the run is short).

    Examples
    --------
    >>> map_steps(500)
    [0, 100, 200, 300, 400, 500]
    >>> map_steps(3, k=6)
    [0, 1, 2, 3]
    """
    return sorted({round(float(t)) for t in np.linspace(0, steps, k)})


def neighbours(tmap: TerritoryMap, steps: Sequence[int]) -> set[tuple[int, int]]:
    """Pairs of states ``(a, b)``, ``a < b``, that share a border at any of ``steps``."""
    pairs: set[tuple[int, int]] = set()
    for t in steps:
        g = tmap.grid(t)
        for a, b in ((g[:, :-1], g[:, 1:]), (g[:-1, :], g[1:, :])):
            cut = (a != b) & (a >= 0) & (b >= 0)
            lo = np.minimum(a[cut], b[cut]).astype(np.int64)
            hi = np.maximum(a[cut], b[cut]).astype(np.int64)
            pairs.update(zip(lo.tolist(), hi.tolist(), strict=True))
    return pairs


def _palette(n: int) -> np.ndarray:
    """``n`` distinct colours (RGB in [0, 1]): golden-ratio hues at three saturations."""
    from matplotlib.colors import hsv_to_rgb

    i = np.arange(n)
    hsv = np.column_stack(
        [
            (i * 0.618033988749895 + 0.08) % 1.0,
            np.array([0.55, 0.8, 0.35])[i % 3],
            np.array([0.95, 0.78, 0.88])[(i // 3) % 3],
        ]
    )
    return np.asarray(hsv_to_rgb(hsv), dtype=np.float64)


def _lab(rgb: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of sRGB colours in [0, 1], shape (..., 3)."""
    c = np.asarray(rgb, dtype=np.float64)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )


def state_colors(n: int, borders: set[tuple[int, int]] | Sequence[tuple[int, int]]) -> np.ndarray:
    """One colour per state, as different as possible between neighbours.

    A greedy colouring: states in order of decreasing number of neighbours
    each take the unused colour of a palette of ``max(n, 12)`` distinct
    colours that is farthest (CIE76 distance in L*a*b*) from the colours its
    neighbours already have. The same states and borders always give the same
    colours, so a state keeps its colour in every panel.

    Parameters
    ----------
    n : int
        Number of states.
    borders : pairs of int
        Neighbouring states, e.g. from :func:`neighbours`.

    Returns
    -------
    float array, shape (n, 3)
        RGB in [0, 1].

    Examples
    --------
    >>> c = state_colors(3, {(0, 1), (1, 2)})
    >>> c.shape, bool((c[0] != c[1]).any())
    ((3, 3), True)
    """
    palette = _palette(max(n, 12))
    lab = _lab(palette)
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in borders:
        adj[a].append(b)
        adj[b].append(a)
    order = sorted(range(n), key=lambda s: (-len(adj[s]), s))
    chosen = np.full(n, -1, dtype=np.int64)
    free = np.ones(len(palette), dtype=bool)
    for s in order:
        taken = [int(chosen[b]) for b in adj[s] if chosen[b] >= 0]
        if taken:
            dist = np.linalg.norm(lab[:, None, :] - lab[None, taken, :], axis=-1).min(axis=1)
        else:
            dist = np.zeros(len(palette))
        dist[~free] = -1.0
        pick = int(np.argmax(dist))
        chosen[s] = pick
        free[pick] = False
    return palette[chosen]


def map_image(grid: np.ndarray, colors: np.ndarray) -> np.ndarray:
    """An RGB image of a (height, width) grid of owners: white where nobody owns."""
    rgb = np.ones((*grid.shape, 3), dtype=np.float64)
    owned = grid >= 0
    rgb[owned] = colors[grid[owned]]
    return rgb
