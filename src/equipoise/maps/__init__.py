"""Maps: the territory of a simulated state system as a graph of provinces.

A :class:`Map` is a set of provinces with coordinates and an adjacency graph
(compressed sparse rows). Two kinds are built in:

* :func:`lattice` -- a rectangular lattice with four neighbours per province
  (von Neumann), as in Cederman's GeoSim (1997; 2003: 50 x 50 provinces with
  about 200 initial states). Generated states get random capitals and the
  provinces nearest to them on the graph (:func:`partition`), so every state
  starts contiguous.
* :func:`explicit_map` -- a lattice laid over given capital positions (the
  states of ``scenario_from_history`` or hand-written ``[[states]]``), with
  provinces assigned to states around their capitals in proportion to their
  capability (:func:`grow_territories`).
* :func:`with_borders` -- such a map with its edges between states following
  given borders: land edges, sea edges (flagged in :attr:`Map.sea`), none
  (COW direct contiguity for historical scenarios; Stinnett et al. 2002).

References
----------
Cederman, L.-E. (1997). *Emergent Actors in World Politics*. Princeton
    University Press.
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
    sandpiles. *American Political Science Review*, 97(1), 135-150.
    https://doi.org/10.1017/S0003055403000571
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The
    Correlates of War Project direct contiguity data, version 3.0. *Conflict
    Management and Peace Science*, 19(2), 58-66.
"""

from equipoise.maps._borders import (
    LAND,
    SEA,
    land_border_agreement,
    land_pairs,
    with_borders,
    with_channels,
)
from equipoise.maps._graph import (
    Map,
    bfs_distances,
    connected,
    explicit_map,
    grow_territories,
    lattice,
    lattice_shape,
    map_for_states,
    partition,
    random_capitals,
    state_weights,
)

__all__ = [
    "LAND",
    "SEA",
    "Map",
    "bfs_distances",
    "connected",
    "explicit_map",
    "grow_territories",
    "land_border_agreement",
    "land_pairs",
    "lattice",
    "lattice_shape",
    "map_for_states",
    "partition",
    "random_capitals",
    "state_weights",
    "with_borders",
    "with_channels",
]
