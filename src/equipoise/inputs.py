"""The scenario as the kernel reads it: its parameters, map, initial state and strategy codes.

:func:`kernel_params` turns a :class:`~equipoise.scenario.Scenario` into the plain numbers of
:class:`~equipoise.state.Params`; :func:`build_map` lays out its provinces;
:func:`initial_arrays` gives the initial state of given states (generated ones are drawn per
replication inside the kernel); :func:`capitals` and :func:`strategy_codes` the rest. The
engine (:func:`equipoise.engine.run`) and calibration's simulator read them, and so may anyone
who calls the kernel directly (tests, benchmarks).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from equipoise import maps, rng
from equipoise.rules.membership import DORMANT
from equipoise.scenario import (
    EVENT_KINDS,
    PACT_KINDS,
    STRATEGIES,
    InvalidScenarioError,
    Scenario,
)
from equipoise.state import Params

__all__ = [
    "build_map",
    "capitals",
    "check_seed",
    "initial_arrays",
    "initial_pacts",
    "kernel_params",
    "strategy_codes",
]


def check_seed(seed: object) -> int:
    """A seed of the random-number contract, or :class:`InvalidScenarioError` naming the problem."""
    try:
        return rng.check_seed(seed)
    except ValueError as exc:
        raise InvalidScenarioError(str(exc)) from None


def kernel_params(scenario: Scenario, steps: int, seed: int) -> Params:
    """The scenario's parameters as the kernel reads them."""
    s = scenario
    return Params(
        seed=int(seed),
        n_states=s.size,
        steps=int(steps),
        growth_rate=s.growth.growth_rate,
        growth_volatility=s.growth.growth_volatility,
        depreciation=s.growth.depreciation,
        convergence_rate=s.growth.convergence_rate,
        growth_dispersion=s.growth.growth_dispersion,
        economic_weight=s.power.economic_weight,
        gradient_exponent=s.power.gradient_exponent,
        mobile_share=s.power.mobile_share,
        technology=s.technology.enabled,
        innovation_rate=s.technology.innovation_rate,
        innovation_size=s.technology.innovation_size,
        diffusion_rate=s.technology.diffusion_rate,
        aggression_weight=s.threat.aggression_weight,
        aggression_memory=s.threat.aggression_memory,
        internal=s.internal.enabled,
        arming_base=s.internal.arming_base,
        arming_max=s.internal.arming_max,
        arming_response=s.internal.arming_response,
        adjustment_speed=s.internal.adjustment_speed,
        arming_drag=s.internal.arming_drag,
        alliances=s.alliances.enabled,
        landscape=s.alliances.alliance_rule == "landscape",
        alliance_threshold=s.alliances.alliance_threshold,
        reliability=s.alliances.alliance_reliability,
        alliance_duration=s.alliances.alliance_duration,
        landscape_interval=s.alliances.landscape_interval,
        proximity_weight=s.alliances.proximity_weight,
        soft=s.soft_balancing.enabled,
        soft_threshold=s.soft_balancing.soft_balancing_threshold,
        max_cost=s.soft_balancing.max_cost,
        sender_cost=s.soft_balancing.sender_cost,
        episode_length=s.soft_balancing.episode_length,
        evasion_rate=s.soft_balancing.evasion_rate,
        fatigue=s.soft_balancing.fatigue,
        war=s.war.enabled,
        attack_probability=s.war.attack_probability,
        superiority=s.war.superiority_threshold,
        decisiveness=s.war.decisiveness,
        battle_losses=s.war.battle_losses,
        ceasefire=s.war.ceasefire_probability,
        quiet_steps=s.war.quiet_steps,
        integrity_step=-1 if s.war.integrity_norm_step is None else s.war.integrity_norm_step,
        pole_threshold=s.hegemony.pole_threshold,
        across_water=s.map.across_water,
        treaties=s.alliances.enabled and s.alliances.treaties,
        pact_formation=s.alliances.pact_formation,
        pact_proximity=s.alliances.pact_proximity,
        shared_threat_factor=s.alliances.shared_threat_factor,
        pact_duration=s.alliances.pact_duration,
        changed_factor=s.alliances.changed_factor,
        power_shift=s.alliances.power_shift,
    )


def build_map(scenario: Scenario) -> maps.Map:
    """The scenario's map: a lattice for generated states, a map over the given states' capitals.

    Generated states get a square lattice of side
    ``ceil(sqrt(n_states * provinces_per_state))`` (or ``map.width`` x
    ``map.height``), with capitals drawn per replication. Given ``[[states]]``
    get :func:`equipoise.maps.explicit_map` over their positions, provinces in
    proportion to their capability, the same in every replication (``map.channels``
    cuts a generated lattice with straight water channels,
    :func:`equipoise.maps.with_channels`); with
    ``map.geography = "contiguity"`` its edges between states then follow
    ``map.land_borders`` and ``map.sea_borders`` (:func:`equipoise.maps.with_borders`).
    """
    m = scenario.map
    n = scenario.size
    if scenario.states:
        specs = scenario.states
        key = (
            tuple((s.name, s.x, s.y, s.economy, s.military) for s in specs),
            scenario.power.economic_weight,
            m,
        )
        return _states_map(key)
    if m.width is not None and m.height is not None:
        width, height = m.width, m.height
    else:
        width, height = maps.lattice_shape(n, m.provinces_per_state)
    if width * height < n:
        raise InvalidScenarioError(
            f"a {width} x {height} map has fewer provinces than the {n} states; "
            "raise map.provinces_per_state or the map size"
        )
    return maps.with_channels(maps.lattice(width, height), m.channels)


@functools.lru_cache(maxsize=8)
def _states_map(key: tuple[Any, ...]) -> maps.Map:
    """The map of given states, remembered for the few last inputs.

    ``key``: each state's ``(name, x, y, economy, military)``, the economic weight and the
    map table (a frozen model, hashable): everything the map is a function of. The whole
    system's map (200 states) takes about 1.4 s to build, which runs at many parameter
    values of one scenario (posterior draws, sweeps) would otherwise pay at every call;
    the engine reads the map and never writes it.
    """
    states, economic_weight, m = key
    graph = maps.map_for_states(
        np.array([s[1] for s in states]),
        np.array([s[2] for s in states]),
        np.array([s[3] for s in states]),
        np.array([s[4] for s in states]),
        economic_weight,
        m.provinces_per_state,
    )
    if m.geography == "contiguity":
        index = {s[0]: i for i, s in enumerate(states)}
        land = [(index[a], index[b]) for a, b in m.land_borders or ()]
        sea = [(index[a], index[b]) for a, b in m.sea_borders or ()]
        graph = maps.with_borders(graph, land, sea)
    return graph


def initial_arrays(scenario: Scenario, graph: maps.Map) -> dict[str, Any]:
    """The kernel's initial-state inputs (empty arrays where generated per replication)."""
    n = scenario.size
    bloc = np.full(n, -1, dtype=np.int64)
    if scenario.states:
        specs = scenario.states
        assert graph.owner is not None and graph.capitals is not None
        econ = np.array([s.economy for s in specs], dtype=np.float64)
        military = np.array([s.military for s in specs], dtype=np.float64)
        # NaN: the kernel sets the share that keeps the given military at rest
        arming = np.array(
            [np.nan if s.arming_share is None else s.arming_share for s in specs],
            dtype=np.float64,
        )
        growth = np.array(
            [[s.productivity, np.nan if s.trend is None else s.trend] for s in specs],
            dtype=np.float64,
        )
        longest = max(len(s.growth_path) for s in specs)
        path = np.zeros((n, longest), dtype=np.float64)
        for i, spec in enumerate(specs):  # a shorter path is padded with the mean (0)
            path[i, : len(spec.growth_path)] = spec.growth_path
        if scenario.initial_alliances:
            bloc = _initial_blocs(scenario)
        apart = np.zeros((0, 0), dtype=np.bool_)
        if scenario.alliance_exclusions:
            index = {name: i for i, name in enumerate(scenario.state_names())}
            apart = np.zeros((n, n), dtype=np.bool_)
            for a, b in scenario.alliance_exclusions:
                apart[index[a], index[b]] = apart[index[b], index[a]] = True
        events, shares, site, owner = _membership(scenario, graph.owner)
        held = np.bincount(owner, minlength=n).astype(np.float64)
        output = econ[owner] / held[owner]
        return {
            "init_owner": owner,
            "init_capital": graph.capitals.astype(np.int64),
            "init_output": output,
            "init_military": military,
            "init_arming": arming,
            "init_bloc": bloc,
            "init_apart": apart,
            "init_growth": growth,
            "init_path": path,
            "events": events,
            "entry_shares": shares,
            "site": site,
            "init_pacts": initial_pacts(scenario),
        }
    empty_i = np.zeros(0, dtype=np.int64)
    empty_f = np.zeros(0, dtype=np.float64)
    return {
        "init_owner": empty_i,
        "init_capital": empty_i,
        "init_output": empty_f,
        "init_military": empty_f,
        "init_arming": empty_f,
        "init_bloc": bloc,
        "init_apart": np.zeros((0, 0), dtype=np.bool_),
        "init_growth": np.column_stack([np.ones(n), np.full(n, np.nan)]),
        "init_path": np.zeros((n, 0), dtype=np.float64),
        "events": np.zeros((0, 4), dtype=np.int64),
        "entry_shares": np.zeros((0, 3), dtype=np.float64),
        "site": empty_i,
        "init_pacts": initial_pacts(scenario),
    }


def initial_pacts(scenario: Scenario) -> np.ndarray:
    """The pacts in force at the start as kernel rows ``(a, b, kind, treaty)`` ((0, 4): none).

    From ``initial_pacts`` (names and kind names, :data:`PACT_KINDS`), read only with
    ``alliances.treaties`` on. ``treaty`` numbers the treaties in order of first appearance:
    the rows with the same treaty label share one, a row without a label has its own.
    """
    if not scenario.initial_pacts or not scenario.alliances.treaties:
        return np.zeros((0, 4), dtype=np.int64)
    index = {name: i for i, name in enumerate(scenario.state_names())}
    labelled: dict[str, int] = {}
    count = 0
    rows = []
    for a, b, kind, *label in scenario.initial_pacts:
        if label and label[0] in labelled:
            number = labelled[label[0]]
        else:
            number, count = count, count + 1
            if label:
                labelled[label[0]] = number
        rows.append([index[a], index[b], PACT_KINDS.index(kind), number])
    return np.array(rows, dtype=np.int64).reshape(-1, 4)


def _membership(
    scenario: Scenario, site: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The kernel's event rows and entrants' shares, the sites, and the owners at the start.

    ``site`` holds the map's territories. A state absent at the start (``present =
    false``) is dormant, its site held by its ``held_by`` (followed while that one is
    absent and held in turn) or by itself, dormant: land no member holds. Each absent
    state gets a ``DORMANT`` row at step 0 (:mod:`equipoise.rules.membership`).
    """
    if not scenario.events:
        return np.zeros((0, 4), np.int64), np.zeros((0, 3)), np.zeros(0, np.int64), site
    index = {name: i for i, name in enumerate(scenario.state_names())}
    kinds = {kind: k for k, kind in enumerate(EVENT_KINDS)}
    ordered = scenario.ordered_events()
    dormant = {s.name for s in scenario.states if not s.present}
    rows = [[0, DORMANT, index[name], -1] for name in scenario.state_names() if name in dormant]
    rows += [
        [e.step, kinds[e.kind], index[e.state], -1 if e.successor is None else index[e.successor]]
        for e in ordered
    ]
    events = np.array(rows, dtype=np.int64)
    shares = np.array(
        [
            [
                np.nan if e.economy is None else e.economy,
                e.military
                if e.military is not None
                else (np.nan if e.economy is None else e.economy),
                1.0 if e.productivity is None else e.productivity,
            ]
            for e in ordered
        ],
        dtype=np.float64,
    ).reshape(-1, 3)
    shares = np.concatenate([np.full((len(events) - len(ordered), 3), np.nan), shares])
    held_by = {s.name: s.held_by for s in scenario.states}
    names = scenario.state_names()
    start_owner = np.arange(len(names), dtype=np.int64)
    for i, name in enumerate(names):
        holder, seen = name, {name}
        while holder in dormant and held_by[holder] is not None:
            holder = str(held_by[holder])
            if holder in seen:
                break
            seen.add(holder)
        start_owner[i] = index[holder]
    site = site.astype(np.int64)  # a copy: the kernel's own
    return events, shares, site, start_owner[site]


def _initial_blocs(scenario: Scenario) -> np.ndarray:
    """Blocs of the alliances in force at the start: connected groups of allied states."""
    n = scenario.size
    bloc = np.full(n, -1, dtype=np.int64)
    for k, group in enumerate(scenario.allied_groups()):
        bloc[group] = 2 * n + 2 + k
    return bloc


def capitals(scenario: Scenario, seed: int, replication: int) -> np.ndarray:
    """The capital province of every state in one replication, as the kernel sets them up.

    Generated states: drawn from the counter-based random numbers of that seed and
    replication (:func:`equipoise.maps.random_capitals`); given states: the capitals of
    their map, the same in every replication. A capital never moves: a state whose
    capital is taken dies.
    """
    graph = build_map(scenario)
    if scenario.states:
        assert graph.capitals is not None
        return np.asarray(graph.capitals, dtype=np.int64)
    caps = maps.random_capitals(
        check_seed(seed), int(replication), graph.n_provinces, scenario.size
    )
    return np.asarray(caps, dtype=np.int64)


def strategy_codes(scenario: Scenario) -> np.ndarray:
    """Strategy code of each state (index into :data:`~equipoise.scenario.STRATEGIES`)."""
    return np.array([STRATEGIES.index(s) for s in scenario.strategy_names()], dtype=np.int64)
