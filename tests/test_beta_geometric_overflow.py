"""BG/NBD and MBG/NBD predictions at a degenerate fit: the 2F1 forms skipped because they surely overflow.

:func:`clv_xl.models._beta_geometric.alive_purchases` evaluates eq. (10) of Fader, Hardie & Lee (2005) by Euler's
transformation, falls back on the published form where that overflows, and on the one-rate limit where both do.
Near the drop-out ridge (a ~ 1e5, b ~ 2e6; fits on it, a + b = 1e7, take eq. (10)'s limit instead:
``test_beta_geometric_limit``) the Euler form overflows for most customers and windows, and would be computed only
to be discarded; it is skipped where a lower
bound (:func:`surely_overflows`) proves the overflow. The references: mpmath's 2F1 in 40-digit arithmetic (the
bound, and eq. (10) itself), scipy's value at the points skipped, and every form evaluated for every row.
"""

from __future__ import annotations

import itertools

import mpmath as mp
import numpy as np
import pytest
from scipy.special import hyp1f1, hyp2f1

from clv_xl.models._beta_geometric import alive_purchases, surely_overflows

#: the largest double's logarithm
_LOG_MAX = float(np.log(np.finfo(float).max))
#: BG/NBD and MBG/NBD fitted on the 1M-order benchmark's holdout sample (weeks), on the drop-out ridge, with a and b
#: five times smaller: a + b = 2e6, below the size from which eq. (10) is taken at its limit
#: (:data:`clv_xl.models._dropout_limit.DROPOUT_LIMIT_SIZE`; the fits' limit itself: ``test_beta_geometric_limit``)
_BENCH_BG = (0.9998273100644876, 3.366678792860031, 538686.1941361005 / 5, 9461313.805863898 / 5)
_BENCH_MBG = (1.384553577164987, 4.379382616870506, 558981.440620166 / 5, 9441018.559379835 / 5)
#: near the one-purchase-rate limit too (r and alpha large, r above a): the published form overflows as well
_ONE_RATE = (4.0e6, 2.0e7, 1.000005e5, 1.8e6)  # (r - a not whole: see _r_nudged)


def _mp_log_2f1(A: float, B: float, C: float, z: float) -> float:
    with mp.workdps(40):
        return float(mp.log(mp.hyp2f1(A, B, C, z)))


@pytest.mark.parametrize(("A", "B", "C", "z"), [
    (2.0e4, 1.2e3, 2.0e4 + 3, 0.5),  # an Euler form at a fit on the drop-out ridge: bound 830, skipped
    (2.0e4, 1.2e3, 2.0e4 + 3, 0.4),  # bound 612: finite, kept
    (2.0e4, 1.2e3, 2.0e4 + 3, 0.48),  # bound 783 (mpmath 785): skipped, just past the largest double
    (2.0, 3.0, 40.0, 0.9),  # ordinary parameters: bound below 0
    (4.5e6, 5.0e5, 9.5e6, 0.01),
    (1.0e3, 2.0e3, 2.5e3, 0.999),
])
def test_bound_is_below_mpmath(A: float, B: float, C: float, z: float) -> None:
    bound = (C - A - B) * np.log1p(-z)
    exact = _mp_log_2f1(A, B, C, z)
    assert bound <= exact + 1e-9 * abs(exact)
    skipped = bool(surely_overflows(A, B, np.array(C), np.log1p(-np.array(z))))
    assert skipped == (bound > 720.0)
    if skipped:
        assert exact > _LOG_MAX  # no double holds the value: nothing computable was skipped


def test_no_bound_without_positive_terms() -> None:
    """``(C-A-B) log(1-z)`` is 2070 here, but C - B < 0: the transformed series' terms change sign and the value,
    a cubic polynomial (A = -3), is -2.5e6; nothing may be skipped."""
    A, B, C, z = -3.0, 3000.0, 10.0, 0.5
    assert (C - A - B) * np.log1p(-z) > 2000
    assert not surely_overflows(A, B, np.array(C), np.log1p(-np.array(z)))
    with mp.workdps(40):
        assert abs(mp.hyp2f1(A, B, C, z)) < 1e7
    assert np.isfinite(hyp2f1(A, B, C, z))
    assert not surely_overflows(B, A, np.array(C), np.log1p(-np.array(z)))  # (2F1 is symmetric in A and B)


def test_scipy_gives_no_number_where_the_bound_says_overflow() -> None:
    """What makes the skip exact: at every point the bound flags, scipy's own 2F1 was inf or NaN, never a value."""
    flagged = 0
    for r, alpha, a, b in (_BENCH_BG, _BENCH_MBG, _ONE_RATE, (0.5, 2.0, 3.0e4, 8.0e5)):
        x = np.arange(0.0, 60.0, 3.0)[:, None, None]
        T = np.array([1.0, 20.0, 80.0])[None, :, None]
        t = np.array([0.01, 1.0, 13.0, 52.0, 400.0])[None, None, :]
        z = t / (alpha + T + t)
        c = a + b + x - 1
        log_m = np.log((alpha + T) / (alpha + T + t))
        for A, B in ((a + b - 1 - r, a - 1), (r + x, b + x)):  # the Euler form, the published form
            A, B, C, Z, L = np.broadcast_arrays(A, B, c, z, log_m)
            sure = surely_overflows(A, B, C, L)
            with np.errstate(all="ignore"):
                assert not np.any(np.isfinite(hyp2f1(A[sure], B[sure], C[sure], Z[sure])))
            flagged += int(sure.sum())
    assert flagged > 500


def _every_form(params: tuple[float, ...], t: np.ndarray, x: np.ndarray, T: np.ndarray, shift: int) -> np.ndarray:
    """Eq. (10) with all three forms evaluated for every row, the first finite one kept (no form skipped)."""
    r, alpha, a, b = params
    b = b + shift
    c = a + b + x - 1
    m = (alpha + T) / (alpha + T + t)
    z = t / (alpha + T + t)
    with np.errstate(all="ignore"):
        euler = 1.0 - m ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z)
        plain = 1.0 - m ** (r + x) * hyp2f1(r + x, b + x, c, z)
        limit = 1.0 - hyp1f1(a - 1, c, -(r + x) / (alpha + T) * t)
    bracket = np.where(np.isfinite(euler), euler, np.where(np.isfinite(plain), plain, limit))
    return np.maximum(c / (a - 1) * bracket, 0.0)


@pytest.mark.parametrize(("params", "shift"), [(_BENCH_BG, 0), (_BENCH_MBG, 1), (_ONE_RATE, 0), (_ONE_RATE, 1)])
def test_same_bits_as_evaluating_every_form(params: tuple[float, ...], shift: int) -> None:
    """Windows from 0.01 to 400 weeks: short ones keep the Euler form, long ones skip it, in the same call."""
    x, T, t = (v.ravel() for v in np.meshgrid(np.arange(0.0, 40.0), [0.5, 10.0, 38.0, 90.0],
                                              [0.01, 0.05, 0.5, 4.0, 26.0, 52.0, 400.0]))
    r, alpha, a, b = params
    log_m = np.log((alpha + T) / (alpha + T + t))
    euler_skipped = surely_overflows(a + b + shift - 1 - r, a - 1, a + b + shift + x - 1, log_m)
    if params != _ONE_RATE:
        assert 0 < euler_skipped.sum() < euler_skipped.size  # both kinds of rows in one call
    np.testing.assert_array_equal(alive_purchases(params, t, x, T, shift), _every_form(params, t, x, T, shift))


def _mp_alive_purchases(params: tuple[float, ...], t: float, x: float, T: float, shift: int) -> float:
    """Eq. (10) without P(alive), as published, in 40-digit arithmetic; 2F1 summed from its definition (DLMF 15.2.1).

    (mpmath's own ``hyp2f1`` crawls with parameters in the millions; the series converges geometrically here, its
    terms' ratio tending to ``z (b+x+k) / (c+k) < z``.)
    """
    with mp.workdps(40):
        r, alpha, a, b = (mp.mpf(v) for v in params)
        b += shift
        t, x, T = mp.mpf(t), mp.mpf(x), mp.mpf(T)
        c = a + b + x - 1
        z = t / (alpha + T + t)
        total, term, k = mp.mpf(0), mp.mpf(1), 0
        while abs(term) > mp.mpf(10) ** -45 * abs(total) or k < 10:
            total += term
            term *= (r + x + k) * (b + x + k) / ((c + k) * (k + 1)) * z
            k += 1
        return float(c / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * total))


@pytest.mark.parametrize(("params", "shift"), [(_BENCH_BG, 0), (_BENCH_MBG, 1)])
def test_near_ridge_fit_matches_mpmath(params: tuple[float, ...], shift: int) -> None:
    cases = list(itertools.product((0.0, 3.0, 25.0), (5.0, 52.0), (1.0, 52.0)))  # x, T, window
    x, T, t = (np.array(v) for v in zip(*cases, strict=True))
    got = alive_purchases(params, t, x, T, shift)
    want = np.array([_mp_alive_purchases(params, *case[::-1][:1], *case[:2], shift) for case in cases])
    np.testing.assert_allclose(got, want, rtol=1e-9)
