"""BG/NBD and MBG/NBD at the limit of homogeneous drop-out, where degenerate fits end: eq. (10) in closed form.

When drop-out is not heterogeneous, the fits end at the limit a, b -> infinity with ``p = a / (a + b)`` fixed
(:meth:`clv_xl.models.BetaGeo._fit_boundary`: ``a + b = 1e7``). There the published series of Fader, Hardie & Lee
(2005), eq. (10), is evaluated with parameters in the millions, slowly; its limit has a closed form.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DROPOUT_LIMIT_SIZE", "DROPOUT_LIMIT_SHAPE", "at_dropout_limit", "alive_purchases_at_limit"]

#: ``a + b`` from which eq. (10) is taken at its limit (fits at that limit end at ``a + b = 1e7``)
DROPOUT_LIMIT_SIZE = 5e6
#: ... with a and b both at least this: the spread of p across customers, about ``sqrt(p (1-p) / (a+b))``, is then
#: under 1 % of p (p >= 0.001 at a + b = 1e7). With one of them small, drop-out is far from homogeneous and the
#: limit is wrong (1 % off at a = 50, b = 5e6 for a heavy buyer over a long window): eq. (10) itself is evaluated.
DROPOUT_LIMIT_SHAPE = 1e4


def at_dropout_limit(a: float, b: float) -> bool:
    """Whether BG/NBD's drop-out parameters stand for the limit of homogeneous drop-out (both large).

    Examples
    --------
    >>> at_dropout_limit(538686.19, 9461313.81), at_dropout_limit(50.0, 5e6), at_dropout_limit(5e4, 9.5e5)
    (True, False, False)
    """
    return a + b >= DROPOUT_LIMIT_SIZE and min(a, b) >= DROPOUT_LIMIT_SHAPE


def alive_purchases_at_limit(
    r: float, alpha: float, p: float, t: np.ndarray, x: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """Eq. (10) without P(alive) as a, b -> infinity, ``p = a/(a+b)``: ``(1 - ((alpha+T)/(alpha+T+pt))**(r+x)) / p``.

    Every customer drops out after each purchase with probability p: alive at T with rate lambda, the purchases in
    the next t number ``(1 - e**(-lambda p t)) / p`` on average, and the rate of a customer alive at T is
    ``Gamma(r+x, alpha+T)``. The same is eq. (10)'s limit: ``(a+b+x-1)/(a-1) -> 1/p`` and ``2F1(r+x, b+x; a+b+x-1;
    z) -> (1 - (1-p) z)**-(r+x)`` (the series' terms tend to those of the binomial series). Both models (MBG/NBD's
    shift of b vanishes in the limit). At fixed p its distance to eq. (10) shrinks as ``1 / (a+b)``: under 1e-5
    relative at the 1M-order benchmark's fits (``a + b = 1e7``), against mpmath
    (``tests/test_beta_geometric_limit.py``).

    Examples
    --------
    >>> from clv_xl.models._beta_geometric import alive_purchases
    >>> r, alpha, a, b = 0.9998, 3.3667, 53868.6, 946131.4  # a + b = 1e6: eq. (10) itself
    >>> t, x, T = np.array([26.0]), np.array([3.0]), np.array([40.0])
    >>> exact = alive_purchases((r, alpha, a, b), t, x, T)
    >>> bool(np.isclose(alive_purchases_at_limit(r, alpha, a / (a + b), t, x, T), exact, rtol=1e-5))
    True
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.maximum(-np.expm1((r + x) * np.log1p(-p * t / (alpha + T + p * t))) / p, 0.0)
