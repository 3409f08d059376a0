"""BG/NBD and MBG/NBD forecasts at the limit of homogeneous drop-out, where degenerate fits end (a + b = 1e7).

There eq. (10) of Fader, Hardie & Lee (2005) is taken at its limit in closed form
(:func:`clv_xl.models._beta_geometric.alive_purchases_at_limit`). The truths: eq. (10) as published in 40-digit
arithmetic (mpmath) at the fits' own finite a and b, whose distance to the limit must shrink as ``1 / (a + b)``;
and a simulation of customers who drop out after each repeat purchase with a probability p set here.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from clv_xl.models import BetaGeo, ModifiedBetaGeo
from clv_xl.models._beta_geometric import alive_purchases
from clv_xl.models._dropout_limit import at_dropout_limit
from tests.test_beta_geometric_overflow import _mp_alive_purchases

#: BG/NBD and MBG/NBD fitted on the 1M-order benchmark's holdout sample (weeks): at the drop-out limit, a + b = 1e7
BENCH_BG = (0.9998273100644876, 3.366678792860031, 538686.1941361005, 9461313.805863898)
BENCH_MBG = (1.384553577164987, 4.379382616870506, 558981.440620166, 9441018.559379835)
CASES = list(itertools.product((0.0, 3.0, 25.0), (5.0, 52.0), (1.0, 52.0)))  # x, T, window


def _scaled(params: tuple[float, ...], size: float) -> tuple[float, ...]:
    r, alpha, a, b = params
    return r, alpha, a / (a + b) * size, b / (a + b) * size


@pytest.mark.parametrize(("params", "shift"), [(BENCH_BG, 0), (BENCH_MBG, 1)])
def test_the_fits_forecasts_are_eq_10_to_a_hundred_thousandth(params, shift):
    x, T, t = (np.array(v) for v in zip(*CASES, strict=True))
    assert at_dropout_limit(params[2], params[3])  # the limit is taken
    got = alive_purchases(params, t, x, T, shift)
    want = np.array([_mp_alive_purchases(params, w, xi, Ti, shift) for xi, Ti, w in CASES])
    np.testing.assert_allclose(got, want, rtol=1e-5)  # 4e-6 at most: x = 25, T = 5, a 52-week window


@pytest.mark.parametrize(("params", "shift"), [(BENCH_BG, 0), (BENCH_MBG, 1)])
def test_the_closed_form_is_eq_10s_limit(params, shift):
    """The distance to eq. (10) shrinks a hundredfold when a + b grows a hundredfold: a limit, not an approximation."""
    x, T, t = (np.array(v) for v in zip(*CASES, strict=True))
    got = alive_purchases(params, t, x, T, shift)
    gaps = []
    for size in (1e7, 1e9):
        exact = np.array([_mp_alive_purchases(_scaled(params, size), w, xi, Ti, shift) for xi, Ti, w in CASES])
        gaps.append(np.max(np.abs(got / exact - 1.0)))
    assert gaps[0] > 0 and gaps[1] < gaps[0] / 50


@pytest.mark.parametrize("shift", [0, 1])
def test_uneven_drop_out_parameters_take_eq_10_itself(shift):
    """a + b past the size, but a small: drop-out is far from homogeneous (the spread of p is ~1/sqrt(a)), the limit
    would be wrong by a percent for a heavy buyer over a long window; eq. (10) is evaluated, to mpmath's digits."""
    params = (1.3, 4.0, 50.0, 5e6)
    assert not at_dropout_limit(params[2], params[3])
    cases = [(40.0, 1.0, 300.0), (3.0, 10.0, 52.0), (0.0, 30.0, 26.0)]  # x, T, window
    x, T, t = (np.array(v) for v in zip(*cases, strict=True))
    want = np.array([_mp_alive_purchases(params, w, xi, Ti, shift) for xi, Ti, w in cases])
    np.testing.assert_allclose(alive_purchases(params, t, x, T, shift), want, rtol=1e-8)


@pytest.mark.parametrize(("model", "first_counts"), [(BetaGeo, False), (ModifiedBetaGeo, True)])
def test_new_customers_forecast_matches_a_simulation(model, first_counts):
    """Customers with rates Gamma(r, alpha) who drop out after each repeat purchase (MBG/NBD: also at the first) with
    probability p, simulated with plain numpy: their mean repeat purchases in t weeks against the limit model's."""
    r, alpha, p, t = 0.8, 4.0, 0.3, 26.0
    rng = np.random.default_rng(20261130)
    n = 400_000
    rate = rng.gamma(r, 1.0 / alpha, n)
    bought = rng.poisson(rate * t)
    last = rng.geometric(p, n)  # the repeat purchase after which the customer drops out (1, 2, ...)
    counts = np.minimum(bought, last)
    if first_counts:  # MBG/NBD: gone at the first purchase already with probability p
        counts = np.where(rng.random(n) < p, 0, counts)
    fitted = model.from_params(r, alpha, p * 1e7, (1.0 - p) * 1e7)
    expected = float(fitted.expected_purchases_new(t))
    assert expected == pytest.approx(counts.mean(), abs=4 * counts.std() / np.sqrt(n))
