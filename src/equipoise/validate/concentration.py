"""Stylized facts of the distribution of power among the great powers.

:func:`concentration_statistics` takes a plain ``(time x states)`` matrix of
capabilities (or shares) of the states that play the great powers, and
measures it with :mod:`equipoise.metrics`, the code that measures every
simulation: Ray-Singer CON per year, then its level and its year-to-year
variation, and how often the leading power holds a third or a half of the
great powers' capabilities.

References
----------
Ray, J. L., & Singer, J. D. (1973). Measuring the concentration of power in the
    international system. *Sociological Methods & Research*, 1(4), 403-437.
    https://doi.org/10.1177/004912417300100401
Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
    balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
Niou, E. M. S., Ordeshook, P. C., & Rose, G. F. (1989). *The Balance of Power:
    Stability in International Systems*. Cambridge University Press.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from equipoise import metrics

__all__ = ["CONCENTRATION_STATISTICS", "concentration_statistics"]

#: The keys of :func:`concentration_statistics`, in order.
CONCENTRATION_STATISTICS: tuple[str, ...] = (
    "con_mean",
    "con_diff_sd",
    "leader_third_share",
    "leader_half_share",
)


def concentration_statistics(
    capabilities: npt.ArrayLike, alive: npt.ArrayLike | None = None
) -> dict[str, float]:
    """Level and variation of great-power concentration, and time spent near hegemony.

    Each row (a year, a step) is measured over the states alive in it with a
    positive capability: shares (:func:`equipoise.metrics.shares`), Ray-Singer
    CON with ``N`` the number of those states
    (:func:`equipoise.metrics.concentration`) and the leader's share. Then

    - ``con_mean``: the mean of CON over rows (its level);
    - ``con_diff_sd``: the standard deviation of its year-to-year changes
      (:func:`equipoise.metrics.first_difference_sd`), how much concentration
      moves from one year to the next;
    - ``leader_third_share`` and ``leader_half_share``: the share of rows in
      which the leading state holds at least 1/3 (Levy & Thompson's 2005
      threshold) and at least 1/2 (Niou, Ordeshook & Rose's 1989 hegemony) of
      the capabilities (:func:`equipoise.metrics.share_of_time_at_least`).

    Rows with no state alive are left out. A lone surviving state has CON 1
    and holds everything.

    Parameters
    ----------
    capabilities : array, shape (n_times, n_states)
        Capabilities (any unit) or shares of the great powers; ``nan`` or 0
        where a state is absent.
    alive : bool array of the same shape, optional
        Which states count in each row (default: those with a positive
        capability).

    Returns
    -------
    dict of str to float
        Keys :data:`CONCENTRATION_STATISTICS`.

    References
    ----------
    Ray, J. L., & Singer, J. D. (1973). Measuring the concentration of power
        in the international system. *Sociological Methods & Research*, 1(4),
        403-437.

    Examples
    --------
    Two equal powers, then one holding 60 %:

    >>> stats = concentration_statistics(np.array([[1.0, 1.0], [1.0, 1.0], [3.0, 2.0]]))
    >>> round(stats["con_mean"], 4), stats["leader_half_share"]
    (0.0667, 1.0)
    """
    caps = np.asarray(capabilities, dtype=np.float64)
    if caps.ndim != 2:
        raise ValueError(
            "The 'capabilities' parameter must be a (time x states) matrix. "
            f"Got {caps.ndim} dimension(s) instead."
        )
    mask = None
    if alive is not None:
        mask = np.asarray(alive)
        if mask.shape != caps.shape:
            raise ValueError(
                f"The 'alive' parameter must have the shape of 'capabilities' {caps.shape}. "
                f"Got {mask.shape} instead."
            )
        mask = mask.astype(bool)
    if (np.nan_to_num(caps) < 0).any():
        raise ValueError("The 'capabilities' parameter must not hold negative values.")
    share = metrics.shares(caps, mask)
    n = metrics.alive_count(caps, mask)
    con = np.where(n > 0, metrics.concentration(share, n), np.nan)
    lead = np.where(n > 0, metrics.leader_share(share), np.nan)
    finite = np.isfinite(con)
    return {
        "con_mean": float(con[finite].mean()) if finite.any() else float("nan"),
        "con_diff_sd": float(metrics.first_difference_sd(con)),
        "leader_third_share": float(metrics.share_of_time_at_least(lead, 1 / 3)),
        "leader_half_share": float(metrics.share_of_time_at_least(lead, 1 / 2)),
    }
