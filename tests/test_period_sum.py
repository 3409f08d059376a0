"""The discounted forecast's per-period sum, taken on an interpolant, against the exact daily sums.

``discounted_purchases`` sums, period by period, the purchases expected in each period discounted at its end. It
interpolates the cumulative expectation at a few nodes instead of evaluating it once per period; these tests
compute the exact daily sums independently: FHL (2005) eq. (10) in mpmath at 30 digits for BG/NBD, and the
public ``expected_purchases`` once per day for the other models, on short and long histories, including
histories much shorter than the horizon (``alpha + T << h``, where the expectation bends fastest).
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from clv_xl.models import BetaGeo, BetaGeoBetaBinom, ModifiedBetaGeo, ParetoNBD
from clv_xl.models._period_sum import discounted_period_sum

DAILY_RATE = 1.1 ** (1 / 365) - 1  # 10 % a year, per day


def _bgnbd_expected(params: tuple[float, float, float, float], x: int, tx: float, T: float, t: float) -> mpmath.mpf:
    """E[Y(t) | x, tx, T] of BG/NBD, Fader, Hardie & Lee (2005) eq. (10), in mpmath."""
    r, alpha, a, b = (mpmath.mpf(v) for v in params)
    x, tx, T, t = mpmath.mpf(x), mpmath.mpf(tx), mpmath.mpf(T), mpmath.mpf(t)
    z = t / (alpha + T + t)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * mpmath.hyp2f1(r + x, b + x, a + b + x - 1, z)
    head = (a + b + x - 1) / (a - 1) * bracket
    alive_denominator = 1 + (a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x) if x > 0 else 0)
    return head / alive_denominator


def _daily_sum(expected, horizon: float, rate: float) -> float:
    """sum_k (E(min(k, h)) - E(min(k-1, h))) / (1 + rate)^k, written out."""
    total, previous, k = mpmath.mpf(0), mpmath.mpf(0), 1
    while k - 1 < horizon - 1e-9:
        current = expected(min(k, horizon))
        total += (current - previous) / mpmath.mpf(1 + rate) ** k
        previous, k = current, k + 1
    return float(total)


# (x, tx, T) in days: new (T = 0), short, long, heavy buyers; horizons of a year, a partial last day, a month
HISTORIES = [(0, 0.0, 0.0), (1, 2.0, 3.0), (3, 40.0, 60.0), (12, 900.0, 1000.0), (40, 300.0, 310.0)]
PARAMS = [
    (1.02, 31.5, 6.0, 94.0),  # the 1M-order benchmark fit's r, alpha (a month: alpha + T << 365), rare drop-out
    (0.2426, 30.9, 0.7929, 2.4259),  # CDNOW's BG/NBD (FHL 2005) with alpha in days
    (0.5, 0.5, 0.8, 2.4),  # a very short time scale: alpha + T of a day or less
]


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("horizon", [365.0, 100.5, 30.0])
def test_bgnbd_discounted_purchases_equal_the_daily_sum_of_eq_10(params, horizon):
    mpmath.mp.dps = 30
    model = BetaGeo.from_params(*params)
    x, tx, T = (np.array(column, dtype=float) for column in zip(*HISTORIES, strict=True))
    got = np.asarray(model.discounted_purchases(horizon, x, tx, T, DAILY_RATE))
    for i, (xi, txi, Ti) in enumerate(HISTORIES):
        exact = _daily_sum(lambda t, h=(xi, txi, Ti): _bgnbd_expected(params, *h, t), horizon, DAILY_RATE)
        assert got[i] == pytest.approx(exact, rel=1e-9, abs=1e-300), (params, horizon, HISTORIES[i])


def _histories(seed: int, n: int = 400) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    T = np.concatenate([[0.0, 0.0, 1.0], rng.integers(0, 1100, n - 3)]).astype(float)
    x = np.where(T > 0, rng.poisson(T / 60.0), 0).astype(float)
    tx = np.where(x > 0, np.floor(T * rng.uniform(0.1, 1.0, n)), 0.0)
    return x, tx, T


@pytest.mark.parametrize("model", [
    ParetoNBD.from_params(0.55, 74.1, 0.61, 81.7),  # CDNOW's Pareto/NBD (Fader et al. 2005) with days
    ParetoNBD.from_params(0.55, 0.8, 0.61, 1.5),
    ModifiedBetaGeo.from_params(0.5, 20.0, 0.9, 3.0),
    ModifiedBetaGeo.from_params(2.0, 1.0, 1.5, 5.0),
    BetaGeoBetaBinom.from_params(1.2, 0.75, 0.66, 2.78),  # donations (Fader, Hardie & Shang 2010), opportunities
], ids=["pnbd", "pnbd-short", "mbgnbd", "mbgnbd-short", "bgbb"])
@pytest.mark.parametrize("horizon", [365.0, 200.25])
def test_other_models_equal_the_daily_sum_of_expected_purchases(model, horizon):
    x, tx, T = _histories(seed=3)
    if isinstance(model, BetaGeoBetaBinom):
        T, x = np.round(T / 10), np.minimum(np.round(x / 10), np.round(T / 10))
        tx = np.where(x > 0, np.maximum(x, np.round(tx / 10)), 0.0)
        tx = np.minimum(tx, T)
    got = np.asarray(model.discounted_purchases(horizon, x, tx, T, DAILY_RATE))
    exact, previous, k = np.zeros(x.size), np.zeros(x.size), 1
    while k - 1 < horizon - 1e-9:
        current = np.asarray(model.expected_purchases(min(k, horizon), x, tx, T), dtype=float)
        exact += (current - previous) / (1 + DAILY_RATE) ** k
        previous, k = current, k + 1
    np.testing.assert_allclose(got, exact, rtol=1e-9, atol=1e-300)


def test_a_kink_no_node_level_settles_is_summed_period_by_period():
    # C(t) = min(t, 100.3) has a kink no polynomial follows: every row must fall back to the exact sum
    calls = []

    def kinked(t, rows):
        calls.append(t.size)
        return np.minimum(t, 100.3 + rows)

    got = discounted_period_sum(kinked, 3, 365.0, DAILY_RATE)
    k = np.arange(1, 366)
    for row in range(3):
        c = np.minimum(k, 100.3 + row)
        exact = np.sum(np.diff(np.concatenate([[0.0], c])) / (1 + DAILY_RATE) ** k)
        assert got[row] == pytest.approx(exact, rel=1e-13)
    assert sum(calls) >= 3 * 365  # the period-by-period pass ran for them


def test_a_smooth_curve_needs_far_fewer_evaluations_than_periods():
    calls = []

    def smooth(t, rows):
        calls.append(t.size)
        return (1.0 + rows) * np.log1p(t / 20.0)

    got = discounted_period_sum(smooth, 50, 365.0, DAILY_RATE)
    k = np.arange(1, 366)
    exact = np.sum(np.diff(np.concatenate([[0.0], np.log1p(k / 20.0)])) / (1 + DAILY_RATE) ** k)
    np.testing.assert_allclose(got, (1.0 + np.arange(50)) * exact, rtol=1e-11)
    assert sum(calls) <= 50 * 33
