"""Special functions of the purchase models, in forms that neither overflow nor lose precision nor crawl.

References
----------
DLMF: NIST Digital Library of Mathematical Functions, https://dlmf.nist.gov (chapter 15, hypergeometric function).
A&S: M. Abramowitz and I. A. Stegun (1964), Handbook of Mathematical Functions, chapters 15 and 25.
"""

from __future__ import annotations

import numpy as np
from scipy.special import hyp2f1, roots_legendre

__all__ = ["log_pareto_tail"]

#: Gauss-Legendre nodes and weights on [-1, 1] (A&S 25.4.29), used on each of two panels
_NODES, _WEIGHTS = roots_legendre(32)
#: the quadrature window drops integrand values below exp(-_WINDOW) times its largest (a relative 4e-18)
_WINDOW = 40.0
#: width, in the log variable tau, of the second panel, placed where u**(M-1) starts to cut the integrand off
_CUTOFF_PANEL = 3.0


def log_pareto_tail(M: np.ndarray, e: np.ndarray, c: float, o: float, t: np.ndarray) -> np.ndarray:
    """``log[(c+t)**-M * 2F1(M, e; M+1; z)]`` with ``z = (c-o)/(c+t)``, the building block of the Pareto/NBD likelihood.

    With ``c = max(alpha, beta)`` and ``o = min(alpha, beta)``, ``M * integral_t^inf (alpha+y)**-(r+x)
    (beta+y)**-(s+1) dy`` equals this function's exponential (``M = r+s+x``; ``e`` is ``s + 1`` when
    ``alpha >= beta``, ``r + x`` otherwise), and the likelihood's ``A_0`` term of Fader & Hardie (2005, note 009) is
    its difference at ``t_x`` and ``T``. ``M > 0``, ``0 < e < M + 1`` and ``0 <= z < 1``; ``1 - z = (o+t)/(c+t)``
    is used as such, never as ``1 - z`` rounded.

    Written naively, ``(c+t)**-M`` underflows and ``2F1`` overflows for heavy buyers (M grows with x), so the power
    is taken in log space, and the hypergeometric function is evaluated in one of two ways:

    - ``z <= 1/2``: Euler's transformation (DLMF 15.8.1, A&S 15.3.3), ``2F1(M, e; M+1; z) = (1-z)**(1-e)
      2F1(1, M+1-e; M+1; z)``, whose power series (DLMF 15.2.1) has terms ``(M+1-e)_k / (M+1)_k z**k`` in
      ``(0, z**k]``: scipy sums it exactly and fast.
    - ``z > 1/2`` (near-degenerate fits: the optimiser walks to s, beta -> infinity, where z -> 1 and that series
      needs up to ~1/(1-z) terms; scipy took ~50 us per value there, and returned NaN for some heavy buyers):
      Euler's integral (DLMF 15.6.1 with the parameters swapped, A&S 15.3.1),
      ``2F1(M, e; M+1; z) = M integral_0^1 u**(M-1) (1 - z u)**-e du``, split at ``u = 1/2``. The part below is
      ``2**-M 2F1(M, e; M+1; z/2)`` (the same integral, ``u = v/2``), summed as above at ``z/2 <= 1/2``. In the part
      above, the substitution ``1 - z u = (1-z) e**tau`` turns the near-singularity at ``u = 1`` into a smooth
      exponential: it equals ``M (1-z)**(1-e) / z * integral_0^tau0 (1 - (1-z)/z (e**tau - 1))**(M-1)
      e**((1-e) tau) dtau`` with ``tau0 = log((1 - z/2)/(1-z))``. That integral is taken by 32-point Gauss-Legendre
      quadrature (A&S 25.4.29) on each of two panels: the window where the integrand is above ``exp(-40)`` of its
      largest value (``e**((1-e) tau)`` and ``u**(M-1)`` bound it), split 3 units of tau before ``u**(M-1)`` starts
      to cut it off. Checked against mpmath (30 digits) for M from 0.4 to 5,000, e from 0.03 to 600 and 1 - z
      from 0.93 down to 1e-12, and against the defining integral: the logarithm agrees to 1e-13
      (``tests/test_special_functions.py``). A value costs the same whatever z (about 1.5 us against scipy's 50).

    Examples
    --------
    >>> from scipy.special import hyp2f1
    >>> M, e, c, o, t = np.array([3.2]), np.array([1.6]), 10.6, 9.0, np.array([4.0])
    >>> direct = np.log((c + t) ** -M * hyp2f1(M, e, M + 1, (c - o) / (c + t)))
    >>> bool(np.allclose(log_pareto_tail(M, e, c, o, t), direct, rtol=1e-12))
    True

    Near z = 1 (here 1 - z = 1.2e-3, a ridge point of a degenerate fit), scipy's own value agrees:

    >>> M, e, c, o, t = np.array([168.0]), np.array([2.4]), 4700.0, 5.4, np.array([0.3])
    >>> direct = np.log(hyp2f1(M, e, M + 1, (c - o) / (c + t))) - M * np.log(c + t)
    >>> bool(np.allclose(log_pareto_tail(M, e, c, o, t), direct, rtol=1e-12))
    True
    """
    M, e, t = np.broadcast_arrays(np.asarray(M, dtype=float), np.asarray(e, dtype=float), np.asarray(t, dtype=float))
    if M.ndim == 0:  # one value: the row selections below need an axis
        return log_pareto_tail(M[None], e[None], c, o, t[None])[0]
    log_c = np.log(c + t)
    log_gap = np.log(o + t) - log_c  # log(1 - z), exact for z near 1
    z = (c - o) / (c + t)
    far = z > 0.5
    y = np.where(far, z / 2, z)  # the series' argument, <= 1/2
    log_f = np.zeros_like(M)
    summed = ~far  # the rows whose series is summed
    if np.any(far):
        at = np.flatnonzero(far)
        log_f[at] = near = _log_upper_part(M[at], e[at], z[at], log_gap[at])
        summed[at[~_lower_part_negligible(M[at], e[at], y[at], near)]] = True
    rows = np.flatnonzero(summed)
    M_s, e_s, y_s, far_s = M[rows], e[rows], y[rows], far[rows]
    log_series = (1.0 - e_s) * np.where(far_s, np.log1p(-y_s), log_gap[rows]) + np.log(
        hyp2f1(1.0, M_s + 1.0 - e_s, M_s + 1.0, y_s))
    log_f[rows] = np.where(far_s, np.logaddexp(log_series - M_s * np.log(2.0), log_f[rows]), log_series)
    return -M * log_c + log_f


def _lower_part_negligible(M: np.ndarray, e: np.ndarray, y: np.ndarray, near: np.ndarray) -> np.ndarray:
    """Where ``log_f = logaddexp(lower, near)`` is ``near`` to the last bit, whatever the lower part (z > 1/2).

    The lower part is ``log[2**-M (1-y)**(1-e) 2F1(1, M+1-e; M+1; y)]`` with ``y = z/2``; the series' terms
    ``(M+1-e)_k / (M+1)_k y**k`` are at most ``y**k`` (``0 < e``), so the sum is at most ``1/(1-y)`` and the part at
    most ``bound = -e log(1-y) - M log 2`` (plus 1, for rounding). numpy's ``logaddexp(a, b)`` for ``a < b`` is
    ``b + log1p(exp(a - b))``: where ``exp(bound - near)`` is under a quarter of the spacing of doubles at
    ``near``, the sum rounds to ``near`` itself, and the series (a third of the tail's cost on a fit climbing the
    drop-out ridge, where M grows) need not be summed: the value is the same to the last bit
    (``tests/test_special_functions.py``).
    """
    bound = -e * np.log1p(-y) - M * np.log(2.0) + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return bound - near < np.log(0.25 * np.spacing(np.abs(near)))


def _log_upper_part(M: np.ndarray, e: np.ndarray, z: np.ndarray, log_gap: np.ndarray) -> np.ndarray:
    """``log[M integral_1/2^1 u**(M-1) (1 - z u)**-e du]`` for ``z > 1/2``, by quadrature in ``tau``.

    See :func:`log_pareto_tail`: with ``1 - z u = (1-z) e**tau`` the integrand is
    ``exp(phi(tau))``, ``phi = (M-1) log(1 - q (e**tau - 1)) + (1-e) tau``, ``q = (1-z)/z``. ``phi`` falls by at
    least ``(e-1) tau`` (e > 1) and by at least ``(M-1) q (e**tau - 1)`` (M > 1); for e < 1 it rises by
    ``(1-e) tau`` until u**(M-1) cuts it off near ``tau1 = log(1 + 1/((M-1) q))``. The window keeps what lies within
    ``exp(-40)`` of the largest value.
    """
    q = np.exp(log_gap) / z
    tau0 = np.log1p(-z / 2) - log_gap  # u = 1/2
    steep = M > 1
    with np.errstate(divide="ignore"):
        inverse = np.where(steep, 1.0 / (np.where(steep, M - 1.0, 1.0) * q), np.inf)
        slope = np.abs(1.0 - e)
        reach = np.where(slope > 0, _WINDOW / np.where(slope > 0, slope, 1.0), np.inf)
    cut_start = np.log1p(inverse)  # where u**(M-1) has fallen by e**-1
    cut_end = np.log1p(_WINDOW * inverse)  # ... by e**-40
    hi = np.minimum(tau0, np.where(e > 1, np.minimum(cut_end, reach), cut_end))
    lo = np.where(e < 1, np.maximum(0.0, np.minimum(hi, cut_start) - reach), 0.0)
    split = np.clip(np.where(steep, cut_start, hi) - _CUTOFF_PANEL, lo, hi)
    total = np.zeros_like(M)
    for left, right in ((lo, split), (split, hi)):
        half = (right - left) / 2
        total += half * _panel_sums(M, e, q, left, half)
    return np.log(M) + (1.0 - e) * log_gap - np.log(z) + np.log(total)


def _panel_sums(M: np.ndarray, e: np.ndarray, q: np.ndarray, left: np.ndarray, half: np.ndarray) -> np.ndarray:
    """Gauss-Legendre sums of ``exp(phi)`` over one panel per row (see :func:`_log_upper_part`), 0 where it is empty.

    The panel is ``[left, left + 2 half]``; the caller multiplies the sums by ``half``. An empty panel adds exactly 0
    (its width is 0), so only the others are integrated: the first panel is empty for nearly every row of a fit
    climbing the drop-out ridge (``u**(M-1)`` cuts the integrand off within 3 units of tau), which halves the
    quadrature there. The integrand of an empty panel's row is left 0 rather than dropped, so that each row's sum
    is taken in the same place of the same matrix product, and the arithmetic runs in place in the order of
    ``phi = (M-1) log1p(-q expm1(tau)) + (1-e) tau``: every value is the one integrating every row gives, to the
    last bit (``tests/test_special_functions.py``).
    """
    rows = np.flatnonzero(half != 0)
    if rows.size == 0:  # (what the product of a matrix of zeros gives)
        return np.zeros(M.size)
    every = rows.size == M.size
    pick = (lambda v: v) if every else (lambda v: v[rows])
    tau = pick(half)[:, None] * (_NODES + 1.0)
    tau += pick(left)[:, None]  # tau = left + half (nodes + 1)
    phi = np.expm1(tau)
    phi *= -pick(q)[:, None]
    np.log1p(phi, out=phi)
    phi *= (pick(M) - 1.0)[:, None]
    tau *= (1.0 - pick(e))[:, None]
    phi += tau
    np.exp(phi, out=phi)
    if every:
        return phi @ _WEIGHTS
    integrand = np.zeros((M.size, _NODES.size))
    integrand[rows] = phi
    return integrand @ _WEIGHTS
