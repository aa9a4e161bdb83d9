"""The scenario's parameters as the twin reads them (plain numbers, looked up once)."""

from __future__ import annotations

from dataclasses import dataclass

from equipoise import Scenario

__all__ = ["Params"]


@dataclass(frozen=True, slots=True)
class Params:
    """Parameters of the rules, read from an :class:`equipoise.Scenario` (docs/model.md, 8)."""

    growth_rate: float
    growth_volatility: float
    depreciation: float
    convergence_rate: float
    growth_dispersion: float
    economic_weight: float
    reach: float
    gradient_exponent: float
    mobile_share: float
    output_inequality: float
    technology: bool
    innovation_rate: float
    innovation_size: float
    diffusion_rate: float
    aggression_weight: float
    aggression_memory: float
    internal: bool
    arming_base: float
    arming_max: float
    arming_response: float
    adjustment_speed: float
    arming_drag: float
    alliances: bool
    landscape: bool
    alliance_threshold: float
    reliability: float
    alliance_duration: float
    landscape_interval: int
    proximity_weight: float
    soft: bool
    soft_threshold: float
    max_cost: float
    sender_cost: float
    episode_length: float
    evasion_rate: float
    fatigue: float
    war: bool
    attack_probability: float
    superiority: float
    decisiveness: float
    battle_losses: float
    ceasefire: float
    quiet_steps: int
    hegemony_threshold: float
    hegemony_duration: int
    pole_threshold: float

    @classmethod
    def from_scenario(cls, s: Scenario) -> Params:
        """Read every parameter the rules use from the scenario's tables."""
        return cls(
            growth_rate=s.growth.growth_rate,
            growth_volatility=s.growth.growth_volatility,
            depreciation=s.growth.depreciation,
            convergence_rate=s.growth.convergence_rate,
            growth_dispersion=s.growth.growth_dispersion,
            economic_weight=s.power.economic_weight,
            reach=s.power.reach,
            gradient_exponent=s.power.gradient_exponent,
            mobile_share=s.power.mobile_share,
            output_inequality=s.initial.output_inequality,
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
            hegemony_threshold=s.hegemony.hegemony_threshold,
            hegemony_duration=s.hegemony.hegemony_duration,
            pole_threshold=s.hegemony.pole_threshold,
        )
