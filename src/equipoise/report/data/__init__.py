"""The numbers behind every plot of the report and the dashboard.

Each function here is pure data in, data out (numpy, pandas, networkx), so the
plots can be tested on what they show rather than on pixels; the figures in
:mod:`equipoise.report.figures` only draw what these functions return. One
module per kind of output, every name also importable from this package:

- :mod:`~equipoise.report.data.simulations`: results of ``equipoise run`` and
  ``compare``, their measures across replications, exact replays;
- :mod:`~equipoise.report.data.maps`: maps of territories and their colours;
- :mod:`~equipoise.report.data.alliances`: a simulation's alliance networks;
- :mod:`~equipoise.report.data.history`: the historical system (COW, ATOP);
- :mod:`~equipoise.report.data.sweeps`: a finished sweep of ``equipoise sweep``;
- :mod:`~equipoise.report.data.validation`: the output of ``equipoise validate``;
- :mod:`~equipoise.report.data.calibration`: the outputs of ``equipoise
  calibrate`` and ``equipoise counterfactual``.

Contract
--------
- Simulation data come from a :class:`~equipoise.results.Result` (its
  ``dataset``); nothing is re-estimated or smoothed.
- Alliance networks come from the recorded ``bloc`` of every state (states
  in one bloc are allied).
- Maps of territories are not recorded by default (they are large), so
  :func:`territory_map` re-runs the chosen replication with the map recorded
  (:func:`replay`). Every random number of model 0.2 depends only on the
  seed, the replication, the step, the actor and the purpose, so the replay is
  exact; it is checked bit for bit against everything the result recorded for
  that replication, and the outcome travels with the map.
- Historical data come from :mod:`equipoise.history` (COW National Material
  Capabilities v6.0, major-power spells, Inter-State Wars v4.0 and ATOP 5.1)
  and are measured with the same :mod:`equipoise.metrics` as simulations.
"""

from equipoise.report.data.alliances import (
    Snapshot,
    alliance_graph,
    bloc_label,
    blocs,
    graph_layout,
    network_steps,
    pacts_in_force,
    snapshot,
)
from equipoise.report.data.calibration import (
    counterfactual_parts,
    is_calibration_dir,
    is_counterfactual_dir,
)
from equipoise.report.data.history import (
    MILITARY_PACTS,
    OTHER_PACTS,
    history_alliance_graph,
    history_shares,
    history_system,
    history_war_sizes,
    history_years,
)
from equipoise.report.data.maps import (
    TerritoryMap,
    map_image,
    map_steps,
    neighbours,
    state_capitals,
    state_colors,
    territory_map,
)
from equipoise.report.data.simulations import (
    BAND_QUANTILES,
    Replay,
    hegemony_rates,
    hegemony_timing,
    load_results,
    quantile_bands,
    replay,
    sample_replications,
    share_stack,
    war_size_ccdf,
)
from equipoise.report.data.sweeps import (
    SWEEP_MANIFEST,
    SweepData,
    is_sweep_dir,
    load_sweep,
    rate_by_parameter,
    rate_grid,
    sensitivity_bars,
)
from equipoise.report.data.validation import (
    COMPARISON_COLUMNS,
    HISTORY_SIZE_LABEL,
    SIMULATED_SIZE_LABEL,
    VALIDATION_FILES,
    SizePanel,
    ValidationData,
    is_validation_dir,
    load_validation,
    slope_line,
    tail_line,
    validation_data,
    validation_size_panels,
)

__all__ = [
    "BAND_QUANTILES",
    "COMPARISON_COLUMNS",
    "HISTORY_SIZE_LABEL",
    "MILITARY_PACTS",
    "OTHER_PACTS",
    "SIMULATED_SIZE_LABEL",
    "SWEEP_MANIFEST",
    "VALIDATION_FILES",
    "Replay",
    "SizePanel",
    "Snapshot",
    "SweepData",
    "TerritoryMap",
    "ValidationData",
    "alliance_graph",
    "bloc_label",
    "blocs",
    "counterfactual_parts",
    "graph_layout",
    "hegemony_rates",
    "hegemony_timing",
    "history_alliance_graph",
    "history_shares",
    "history_system",
    "history_war_sizes",
    "history_years",
    "is_calibration_dir",
    "is_counterfactual_dir",
    "is_sweep_dir",
    "is_validation_dir",
    "load_results",
    "load_sweep",
    "load_validation",
    "map_image",
    "map_steps",
    "neighbours",
    "network_steps",
    "pacts_in_force",
    "quantile_bands",
    "rate_by_parameter",
    "rate_grid",
    "replay",
    "sample_replications",
    "sensitivity_bars",
    "share_stack",
    "slope_line",
    "snapshot",
    "state_capitals",
    "state_colors",
    "tail_line",
    "territory_map",
    "validation_data",
    "validation_size_panels",
    "war_size_ccdf",
]
