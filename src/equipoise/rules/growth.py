"""Growth: economies grow with noise, arming slows them, arms build military stock.

    E_i <- E_i * max(0, 1 + g - arming_drag * a_i + sigma * z_i),  z_i ~ N(0, 1)
    M_i <- (1 - depreciation) * M_i + a_i * E_i

Arms are bought out of this step's output before growth. A state whose
economy (hence capability) collapses to zero leaves the system. The share of output spent on
arms feeds the military stock and is lost to growth: the guns-versus-butter
trade-off of Powell (1993). Growth shocks make relative power drift even
without conflict, the raw material of power transitions (Organski & Kugler
1980).

References
----------
Powell, R. (1993). Guns, butter, and anarchy. *American Political Science
    Review*, 87(1), 115-132. https://doi.org/10.2307/2938960
Organski, A. F. K., & Kugler, J. (1980). *The War Ledger*. University of
    Chicago Press.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.special import ndtri

from equipoise.scenario import Scenario
from equipoise.state import FloatArray, SystemState, capability, remove_states

__all__ = ["grow"]


def grow(state: SystemState, scenario: Scenario, u_shock: FloatArray) -> SystemState:
    """Grow economies and military stocks one step.

    Parameters
    ----------
    u_shock : (R, N) array of uniforms in (0, 1)
        Turned into standard normal shocks by the inverse normal CDF.
    """
    p = scenario.growth
    # shocks only for alive states: a dead state's growth factor is never used
    z = np.zeros(u_shock.shape)
    z[state.alive] = ndtri(np.clip(u_shock[state.alive], 1e-12, 1.0 - 1e-12))
    factor = np.maximum(
        0.0, 1.0 + p.growth_rate - p.arming_drag * state.arming_share + p.growth_volatility * z
    )
    economy = np.where(state.alive, state.economy * factor, 0.0)
    military = np.where(
        state.alive,
        (1.0 - p.depreciation) * state.military + state.arming_share * state.economy,
        0.0,
    )
    grown = dataclasses.replace(state, economy=economy, military=military)
    return remove_states(grown, state.alive & ~(capability(grown, p.economic_weight) > 0))
