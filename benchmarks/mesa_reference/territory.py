"""Territory on the grid: fronts, conquest of provinces and state collapse (Cederman 1997; 2003).

The model's bookkeeping of who holds which cell, as in ``rules/geography.py``:
every state's fronts (adjacent province pairs with each neighbour) are updated
as each province changes hands (:meth:`Territory.transfer`), and only the
states whose territory or neighbourhood changed are re-measured
(:meth:`Territory.refresh_fronts`, over their own provinces).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mesa_reference.relations import AGAINST, CAMP

if TYPE_CHECKING:
    import numpy as np

    from mesa_reference.agents import State
    from mesa_reference.relations import Bloc
    from mesa_reference.space import Province

__all__ = ["Territory"]


class Territory:
    """Mixin of :class:`~mesa_reference.model.GeoSimTwin`: the territorial rules."""

    rng: np.random.Generator
    blocs: dict[tuple[str, int], Bloc]
    deaths: int
    _dirty: dict[State, None]

    def transfer(self, q: Province, b: State) -> None:
        """Province ``q`` passes to ``b`` with its output; both sides' fronts are updated."""
        a = q.owner
        assert a is not None
        dirty = self._dirty
        for r in q.adjacent:
            c = r.owner
            assert c is not None
            if c is not a:
                a.front_change(c, -1)
                c.front_change(a, -1)
            if c is not b:
                b.front_change(c, 1)
                c.front_change(b, 1)
            dirty[c] = None
        value = q.output * a.level
        q.owner = b
        del a.territory[q]
        b.territory[q] = None
        q.output = value / b.level
        dirty[a] = None
        dirty[b] = None

    def refresh_fronts(self) -> None:
        """Re-measure the states marked dirty: summed output and distance to each front.

        A front's distance from a state's capital is that of its nearest province
        on the front (province centres, Euclidean, in lattice units).
        """
        dirty = self._dirty
        if not dirty:
            return
        for i in dirty:
            held = 0.0
            front_dist: dict[State, float] = dict.fromkeys(i.fronts, math.inf)
            cx, cy = i.capital.x, i.capital.y
            for q in i.territory:
                held += q.output
                d = -1.0
                for r in q.adjacent:
                    j = r.owner
                    if j is i:
                        continue
                    if d < 0.0:
                        d = math.hypot(q.x - cx, q.y - cy)
                    if d < front_dist[j]:  # type: ignore[index]
                        front_dist[j] = d  # type: ignore[index]
            i.held = held
            i.front_dist = front_dist
            i.economy = i.output() if i.alive else 0.0
        dirty.clear()

    def conquer(self, winner: State, loser: State) -> int:
        """The winner takes a province of the loser on their front; returns provinces moved.

        Drawn uniformly among the loser's provinces adjacent to the winner; the
        loser's provinces cut off from its capital fall to the winner too; a
        captured capital collapses the loser.
        """
        candidates = [q for q in loser.territory if any(r.owner is winner for r in q.adjacent)]
        if not candidates:
            return 0
        taken = candidates[int(self.rng.integers(len(candidates)))]
        self.transfer(taken, winner)
        if taken is loser.capital:
            return 1 + self.collapse(loser, winner)
        reached = {loser.capital}
        queue = [loser.capital]
        while queue:
            q = queue.pop()
            for r in q.adjacent:
                if r.owner is loser and r not in reached:
                    reached.add(r)
                    queue.append(r)
        moved = 1
        for q in [q for q in loser.territory if q not in reached]:
            self.transfer(q, winner)
            moved += 1
        return moved

    def collapse(self, loser: State, taker: State) -> int:
        """``loser`` lost its capital: its provinces go to the nearest enemy; it dies.

        A breadth-first search through its territory from the provinces that border
        the taker or a state at war with it (the taker winning ties, then the lower
        index), in province order; returns the provinces shared out.
        """
        claims: list[tuple[Province, State]] = []
        for q in sorted(loser.territory, key=_province_index):
            best: State | None = None
            for r in q.adjacent:
                j = r.owner
                assert j is not None
                if j is loser or not (j is taker or j in loser.enemies):
                    continue
                if best is None or j is taker or (best is not taker and j.index < best.index):
                    best = j
            if best is not None:
                claims.append((q, best))
        for q, j in claims:
            self.transfer(q, j)
        queue = [q for q, _ in claims]
        head = 0
        while head < len(queue):
            q = queue[head]
            head += 1
            for r in q.adjacent:
                if r.owner is loser:
                    assert q.owner is not None
                    self.transfer(r, q.owner)
                    queue.append(r)
        self.kill(loser)
        return len(queue)

    def kill(self, i: State) -> None:
        """State death (Fazal 2007): no military, alliances, sanctions or hostilities remain."""
        i.alive = False
        i.military = 0.0
        i.arming = 0.0
        if i.bloc is not None:
            i.bloc.discard(i)
        i.stop_sanctions()
        i.threat = None
        for kind in (AGAINST, CAMP):  # the coalition against i, or i's camp, dissolves
            bloc = self.blocs.pop((kind, i.index), None)
            if bloc is not None:
                bloc.dissolve()
        for sender in list(i.senders):
            sender.stop_sanctions()
        for enemy in list(i.enemies):
            self.end_hostility(i, enemy)  # type: ignore[attr-defined]  # WarRules
        i.remove()  # from the model's AgentSet and from its capital cell
        self.deaths += 1


def _province_index(q: Province) -> int:
    return q.index
