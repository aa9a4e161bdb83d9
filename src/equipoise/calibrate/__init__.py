"""Calibration of the model to history (ABC-SMC), and counterfactuals from historical years.

:func:`calibrate` (``equipoise calibrate``) estimates a few parameters of a scenario from
the historical record by approximate Bayesian computation with sequential Monte Carlo
(pyabc; Schälte et al. 2022): the data are the statistics of ``equipoise validate`` for the
chosen years plus the great powers' capability shares by decade
(:mod:`equipoise.calibrate.simulator`), the priors uniform over the parameters' plausible
ranges (:mod:`equipoise.calibrate.parameters`; the default parameters are those a Morris
screening of the statistics ranks highest, :mod:`equipoise.calibrate.sensitivity`), the run
resumable from its SQLite database (:mod:`equipoise.calibrate.smc`), or, with
``method="adjusted"``, by rejection on summaries learnt from a reference table of
simulations from the priors with a regression adjustment
(:mod:`equipoise.calibrate.reference`, :mod:`equipoise.calibrate.adjustment`); the result is a
:class:`Calibration` (posterior samples, the calibrated scenario, the posterior predictive
validate table; :mod:`equipoise.calibrate.posterior`), and :func:`scenario_from_posterior`
(``scenario_from_posterior``) turns a saved one back into a scenario.

:func:`counterfactual` (``equipoise counterfactual``) runs a historical year with and
without an intervention, with common random numbers, over posterior draws
(:mod:`equipoise.calibrate.counterfactual`).

pyabc is an optional dependency: ``pip install 'equipoise[calibrate]'``.

References
----------
Schälte, Y., Klinger, E., Alamoudi, E., & Hasenauer, J. (2022). pyABC: efficient and robust
    easy-to-use approximate Bayesian computation. *Journal of Open Source Software*, 7(74),
    4304. https://doi.org/10.21105/joss.04304
Talts, S., Betancourt, M., Simpson, D., Vehtari, A., & Gelman, A. (2018). Validating
    Bayesian inference algorithms with simulation-based calibration. arXiv:1804.06788.
"""

from equipoise.calibrate.parameters import (
    DEFAULT_PARAMETERS,
    Parameter,
    apply_parameters,
    load_parameter_file,
)
from equipoise.calibrate.plan import CalibrationSettings, plan_calibration
from equipoise.calibrate.posterior import (
    Calibration,
    load_calibration,
    resample,
    scenario_from_posterior,
    weighted_quantile,
)
from equipoise.calibrate.simulator import (
    DEFAULT_STATISTICS,
    Simulator,
    Target,
    historical_target,
    synthetic_target,
)
from equipoise.calibrate.smc import GenerationReport, calibrate

__all__ = [
    "DEFAULT_PARAMETERS",
    "DEFAULT_STATISTICS",
    "Calibration",
    "CalibrationSettings",
    "GenerationReport",
    "Parameter",
    "Simulator",
    "Target",
    "apply_parameters",
    "calibrate",
    "historical_target",
    "load_calibration",
    "load_parameter_file",
    "plan_calibration",
    "resample",
    "scenario_from_posterior",
    "synthetic_target",
    "weighted_quantile",
]
