"""The random-number contract of the simulation kernel: counter-based draws.

Every random number the model uses is a pure function of five integers,

    draw = F(seed, replication, step, actor, purpose),

computed with the Threefry-2x32 block cipher with 20 rounds (Salmon, Moraes,
Dror & Shaw 2011) keyed by ``(seed, replication)`` and applied to the counter
``(step, actor * 256 + purpose)``. No generator state is carried from one draw
to the next, so a result depends only on the seed: not on how replications are
split into chunks, processes or threads, nor on which other draws were made.
A later backend (a GPU, say) reproduces the same numbers from the same five
integers.

The contract, version :data:`CONTRACT_VERSION` (recorded in every result's
provenance):

* **Key** ``(k0, k1) = (seed mod 2**32, replication)``; seeds must be below
  ``2**32`` (:func:`check_seed`), replications below ``2**32``.
* **Counter** ``(c0, c1) = (step, actor * 256 + purpose)`` with
  ``0 <= step < 2**32``, ``0 <= actor < 2**24`` and ``0 <= purpose < 256``.
  Initial conditions use ``step = 0`` with their own purposes; step ``t`` of
  the dynamics (``t = 1, 2, ...``) uses ``step = t``.
* **Uniform** ``u = (k + 0.5) / 2**52`` with ``k`` the top 52 bits of the
  64-bit word ``x0 * 2**32 + x1`` formed from the cipher's two output words:
  ``u`` lies strictly inside (0, 1), at least ``2**-53`` from either end.
* **Normal** ``z = Phi^{-1}(u)`` by Wichura's (1988) algorithm AS241
  (``PPND16``, relative accuracy about 1e-16), implemented here, so no
  platform maths library is involved beyond ``log`` and ``sqrt``.

Every draw of the kernel goes through :func:`uniform` or :func:`normal` with a
named purpose constant (``SHOCK``, ``BATTLE``, ...), listed in :data:`PURPOSES`.

References
----------
Salmon, J. K., Moraes, M. A., Dror, R. O., & Shaw, D. E. (2011). Parallel
    random numbers: as easy as 1, 2, 3. *Proceedings of SC'11*.
    https://doi.org/10.1145/2063384.2063405
Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the normal
    distribution. *Applied Statistics*, 37(3), 477-484.
    https://doi.org/10.2307/2347330
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "CONTRACT_VERSION",
    "PURPOSES",
    "check_seed",
    "derive_seed",
    "inverse_normal",
    "normal",
    "threefry2x32",
    "uniform",
    "uniforms",
]

#: Version of the random-number contract; results record it in their provenance.
CONTRACT_VERSION = "threefry2x32-20/u52/as241 v1"

_MASK = np.uint64(0xFFFFFFFF)
_PARITY = np.uint64(0x1BD11BDA)
_TWO_M52 = 2.0**-52

# ---------------------------------------------------------------- purposes
# Initial conditions (step 0).
CAPITAL = 1  #: choice of each generated state's capital province (actor: state)
OUTPUT = 2  #: initial output of a province (actor: province)
INIT_ALLIANCE = 3  #: lifetime of an alliance in force at the start (actor: state)
# Dynamics (step t >= 1).
SHOCK = 10  #: growth shock of a state (actor: state)
INNOVATE = 11  #: technological innovation of a state (actor: state)
DIFFUSE = 12  #: adoption of a neighbour's technology (actor: state)
ATTACK = 13  #: whether a state weighs an unprovoked attack (actor: state)
HONOUR = 14  #: whether an ally honours a commitment (actor: ally * N + enemy)
BATTLE = 15  #: outcome of a battle (actor: attacker * N + defender)
PATH = 16  #: province taken after a victory (actor: winner * N + loser)
CEASEFIRE = 17  #: end of hostilities between two states (actor: low * N + high)
ALLIANCE = 18  #: lifetime of a new alliance commitment (actor: state)
SANCTION = 19  #: lifetime of a new sanctions episode (actor: state)
TREND = 20  #: persistent trend growth of a state (actor: state; step 0)
REST = 21  #: a sender's rest after a sanctions episode (actor: state)
ORDER = 22  #: the key that places a state in the step's order of moves (actor: state)
#: gap to the next pair weighed for a new pact (actor: the position of the last pair weighed
#: in the order of pairs, plus 1; 0 for the first gap of a step; ``rules.treaties``)
PACT = 23
PACT_FORM = 24  #: whether a pair weighed forms a pact, and its kind (actor: the pair's position)
#: whether a member withdraws from a treaty this step (actor: ``2 * row + side``, ``row`` the
#: member's first pact in force in the treaty, ``side`` 0 if it is the pact's ``a``, else 1)
PACT_END = 25

#: Every purpose code, by name (a reader can see which event consumes which counter).
PURPOSES: dict[str, int] = {
    "CAPITAL": CAPITAL,
    "OUTPUT": OUTPUT,
    "INIT_ALLIANCE": INIT_ALLIANCE,
    "SHOCK": SHOCK,
    "INNOVATE": INNOVATE,
    "DIFFUSE": DIFFUSE,
    "ATTACK": ATTACK,
    "HONOUR": HONOUR,
    "BATTLE": BATTLE,
    "PATH": PATH,
    "CEASEFIRE": CEASEFIRE,
    "ALLIANCE": ALLIANCE,
    "SANCTION": SANCTION,
    "TREND": TREND,
    "REST": REST,
    "ORDER": ORDER,
    "PACT": PACT,
    "PACT_FORM": PACT_FORM,
    "PACT_END": PACT_END,
}


def check_seed(seed: object) -> int:
    """Return ``seed`` as an int if it is a valid seed of the contract.

    Raises
    ------
    ValueError
        Unless ``seed`` is an integer in ``[0, 2**32)``.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be an integer in [0, 2**32), got {seed!r}")
    if not 0 <= int(seed) < 2**32:
        raise ValueError(f"seed must be an integer in [0, 2**32), got {seed!r}")
    return int(seed)


def derive_seed(seed: int, index: int, salt: int = 0) -> int:
    """A seed of the contract for item ``index`` of a family (e.g. a sweep's points).

    The first output word of ``threefry2x32(seed, salt; index, 0)``: distinct
    items get independent-looking seeds, and the same inputs always the same
    seed.
    """
    x0, _ = threefry2x32(check_seed(seed), int(salt), int(index), 0)
    return int(x0)


@njit(inline="always")
def _rotl(x: np.uint64, r: int) -> np.uint64:
    return ((x << np.uint64(r)) | (x >> np.uint64(32 - r))) & _MASK


@njit
def threefry2x32(k0: int, k1: int, c0: int, c1: int) -> tuple[int, int]:
    """Threefry-2x32 with 20 rounds: the two 32-bit output words for key and counter.

    Parameters
    ----------
    k0, k1 : int
        The key words (each in ``[0, 2**32)``).
    c0, c1 : int
        The counter words (each in ``[0, 2**32)``).

    Returns
    -------
    (int, int)
        The cipher's output words. Known answers (Random123): key and counter
        all zero give ``(0x6b200159, 0x99ba4efe)``.

    Notes
    -----
    Arithmetic is done in 64-bit words masked to 32 bits, so the bits do not
    depend on how a compiler treats 32-bit overflow. Rotation constants
    13, 15, 26, 6, 17, 29, 16, 24; a key injection after every fourth round
    (Salmon et al. 2011).
    """
    ks0 = np.uint64(k0) & _MASK
    ks1 = np.uint64(k1) & _MASK
    ks2 = _PARITY ^ ks0 ^ ks1
    x0 = (np.uint64(c0) + ks0) & _MASK
    x1 = (np.uint64(c1) + ks1) & _MASK
    for s in range(1, 6):  # five blocks of four rounds, a key injection after each
        if s % 2 == 1:
            x0, x1 = _mix(x0, x1, 13)
            x0, x1 = _mix(x0, x1, 15)
            x0, x1 = _mix(x0, x1, 26)
            x0, x1 = _mix(x0, x1, 6)
        else:
            x0, x1 = _mix(x0, x1, 17)
            x0, x1 = _mix(x0, x1, 29)
            x0, x1 = _mix(x0, x1, 16)
            x0, x1 = _mix(x0, x1, 24)
        x0, x1 = _inject(x0, x1, ks0, ks1, ks2, s)
    return int(x0), int(x1)


@njit(inline="always")
def _mix(x0: np.uint64, x1: np.uint64, r: int) -> tuple[np.uint64, np.uint64]:
    """One Threefry round: add, rotate the second word by ``r``, xor."""
    x0 = (x0 + x1) & _MASK
    return x0, _rotl(x1, r) ^ x0


@njit(inline="always")
def _inject(
    x0: np.uint64, x1: np.uint64, ks0: np.uint64, ks1: np.uint64, ks2: np.uint64, s: int
) -> tuple[np.uint64, np.uint64]:
    """Key injection number ``s``: add key words ``s mod 3`` and ``(s+1) mod 3``, plus ``s``."""
    a = s % 3
    b = (s + 1) % 3
    ka = ks0 if a == 0 else (ks1 if a == 1 else ks2)
    kb = ks0 if b == 0 else (ks1 if b == 1 else ks2)
    return (x0 + ka) & _MASK, (x1 + kb + np.uint64(s)) & _MASK


@njit
def uniform(seed: int, replication: int, step: int, actor: int, purpose: int) -> float:
    """The uniform draw in (0, 1) of ``(seed, replication, step, actor, purpose)``."""
    x0, x1 = threefry2x32(seed, replication, step, actor * 256 + purpose)
    k = ((np.uint64(x0) << np.uint64(32)) | np.uint64(x1)) >> np.uint64(12)
    return (float(k) + 0.5) * _TWO_M52


@njit
def inverse_normal(p: float) -> float:
    """The standard normal quantile ``Phi^{-1}(p)`` for ``0 < p < 1`` (Wichura's AS241, PPND16).

    Returns ``-inf``/``inf`` at 0 and 1 and ``nan`` outside [0, 1]; the
    contract's uniforms never reach those cases.
    """
    if not 0.0 <= p <= 1.0:
        return np.nan
    if p == 0.0:
        return -np.inf
    if p == 1.0:
        return np.inf
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        num = (
            (
                (
                    (
                        (
                            (2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r
                            + 6.7265770927008700853e4
                        )
                        * r
                        + 4.5921953931549871457e4
                    )
                    * r
                    + 1.3731693765509461125e4
                )
                * r
                + 1.9715909503065514427e3
            )
            * r
            + 1.3314166789178437745e2
        ) * r + 3.3871328727963666080e0
        den = (
            (
                (
                    (
                        (
                            (5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r
                            + 3.9307895800092710610e4
                        )
                        * r
                        + 2.1213794301586595867e4
                    )
                    * r
                    + 5.3941960214247511077e3
                )
                * r
                + 6.8718700749205790830e2
            )
            * r
            + 4.2313330701600911252e1
        ) * r + 1.0
        return q * num / den
    r = p if q < 0.0 else 1.0 - p
    r = np.sqrt(-np.log(r))
    if r <= 5.0:
        r -= 1.6
        num = (
            (
                (
                    (
                        (
                            (7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
                            + 2.41780725177450611770e-1
                        )
                        * r
                        + 1.27045825245236838258e0
                    )
                    * r
                    + 3.64784832476320460504e0
                )
                * r
                + 5.76949722146069140550e0
            )
            * r
            + 4.63033784615654529590e0
        ) * r + 1.42343711074968357734e0
        den = (
            (
                (
                    (
                        (
                            (1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
                            + 1.51986665636164571966e-2
                        )
                        * r
                        + 1.48103976427480074590e-1
                    )
                    * r
                    + 6.89767334985100004550e-1
                )
                * r
                + 1.67638483018380384940e0
            )
            * r
            + 2.05319162663775882187e0
        ) * r + 1.0
    else:
        r -= 5.0
        num = (
            (
                (
                    (
                        (
                            (2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                            + 1.24266094738807843860e-3
                        )
                        * r
                        + 2.65321895265761230930e-2
                    )
                    * r
                    + 2.96560571828504891230e-1
                )
                * r
                + 1.78482653991729133580e0
            )
            * r
            + 5.46378491116411436990e0
        ) * r + 6.65790464350110377720e0
        den = (
            (
                (
                    (
                        (
                            (2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
                            + 1.84631831751005468180e-5
                        )
                        * r
                        + 7.86869131145613259100e-4
                    )
                    * r
                    + 1.48753612908506148525e-2
                )
                * r
                + 1.36929880922735805310e-1
            )
            * r
            + 5.99832206555887937690e-1
        ) * r + 1.0
    z = num / den
    return -z if q < 0.0 else z


@njit
def normal(seed: int, replication: int, step: int, actor: int, purpose: int) -> float:
    """The standard normal draw of ``(seed, replication, step, actor, purpose)``."""
    return inverse_normal(uniform(seed, replication, step, actor, purpose))


@njit
def _uniforms(
    seed: int, replication: int, step: int, actors: np.ndarray, purpose: int
) -> np.ndarray:
    out = np.empty(actors.size)
    for k in range(actors.size):
        out[k] = uniform(seed, replication, step, actors[k], purpose)
    return out


def uniforms(
    seed: int, replication: int, step: int, actors: np.ndarray | list[int], purpose: int
) -> np.ndarray:
    """Uniform draws of many actors at once (for inspection and tests)."""
    return _uniforms(
        int(seed), int(replication), int(step), np.asarray(actors, dtype=np.int64), int(purpose)
    )
