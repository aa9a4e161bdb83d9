"""Sampling designs in a factor space: Latin hypercube, Sobol' (Saltelli) and Morris.

Every sampler takes a SALib ``problem`` (``names``, ``bounds``), a sample size and an
integer seed, and returns the design matrix, shape (points, factors), in the
units of the bounds. ``lhs`` uses :class:`scipy.stats.qmc.LatinHypercube`;
``sobol`` and ``morris`` use SALib (``pip install "equipoise[experiments]"``),
whose analysers need exactly the matrices its samplers produce.

References
----------
McKay, M. D., Beckman, R. J., & Conover, W. J. (1979). A comparison of three methods
    for selecting values of input variables. *Technometrics* 21(2), 239-245.
    https://doi.org/10.1080/00401706.1979.10489755
Saltelli, A., et al. (2010). Variance based sensitivity analysis of model output.
    *Computer Physics Communications* 181(2), 259-270.
    https://doi.org/10.1016/j.cpc.2009.09.018
Morris, M. D. (1991). Factorial sampling plans for preliminary computational
    experiments. *Technometrics* 33(2), 161-174. https://doi.org/10.1080/00401706.1991.10484804
Herman, J., & Usher, W. (2017). SALib: An open-source Python library for sensitivity
    analysis. *Journal of Open Source Software* 2(9), 97. https://doi.org/10.21105/joss.00097
"""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["design_size", "require_salib", "sample"]


def require_salib(module: str) -> ModuleType:
    """Import a SALib module, or explain in one line how to install it.

    Raises
    ------
    InvalidSweepError
        If SALib is not installed.
    """
    from equipoise.experiments.spec import InvalidSweepError

    try:
        return importlib.import_module(f"SALib.{module}")
    except ImportError:
        raise InvalidSweepError(
            "sobol and morris designs need SALib: pip install 'equipoise[experiments]'"
        ) from None


def design_size(design: str, samples: int, n_factors: int, second_order: bool = False) -> int:
    """Number of points a sampling design produces.

    Examples
    --------
    >>> design_size("sobol", 64, 3), design_size("sobol", 64, 3, second_order=True)
    (320, 512)
    >>> design_size("morris", 10, 3), design_size("lhs", 50, 3)
    (40, 50)
    """
    if design == "lhs":
        return samples
    if design == "sobol":
        return samples * (2 * n_factors + 2 if second_order else n_factors + 2)
    if design == "morris":
        return samples * (n_factors + 1)
    raise ValueError(f"unknown sampling design {design!r}")


def sample(
    design: str,
    problem: dict[str, Any],
    samples: int,
    seed: int,
    *,
    second_order: bool = False,
    morris_levels: int = 4,
) -> np.ndarray:
    """Draw a design matrix.

    Parameters
    ----------
    design : {"lhs", "sobol", "morris"}
    problem : dict
        SALib problem: ``num_vars``, ``names``, ``bounds``.
    samples : int
        Points (lhs), base samples N (sobol) or trajectories (morris).
    seed : int
        Seeds the sampler's generator (numpy's PCG64); the same seed gives the same
        matrix. A sweep passes ``derive_seed(spec.seed, 0, salt=DESIGN_SALT)``.
    second_order : bool
        Sobol' only: the larger design that allows second-order indices.
    morris_levels : int
        Morris only: levels of the grid.

    Returns
    -------
    ndarray, shape (design_size(...), num_vars)
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    bounds = np.asarray(problem["bounds"], dtype=np.float64).reshape(-1, 2)
    if design == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=bounds.shape[0], rng=rng).random(samples)
        return bounds[:, 0] + unit * (bounds[:, 1] - bounds[:, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        if design == "sobol":
            sobol = require_salib("sample.sobol")
            return np.asarray(
                sobol.sample(problem, samples, calc_second_order=second_order, seed=rng)
            )
        if design == "morris":
            morris = require_salib("sample.morris")
            return np.asarray(morris.sample(problem, samples, num_levels=morris_levels, seed=rng))
    raise ValueError(f"unknown sampling design {design!r}")
