"""The forecast ranges (delta method) against a Monte Carlo over the same parameter law, customer by customer.

The truth here is a brute-force simulation written in the test: log-parameters drawn from the normal law the
fits give (numpy's multivariate normal), the undiscounted forecast ``E[Y(H)] * E[spend]`` recomputed for each
draw, and its 10th / 50th / 90th percentiles read off the draws. The delta method approximates those percentiles
without drawing; the two must agree to within Monte Carlo and linearisation error, for the total and for single
customers (one-time buyers, regulars, lapsed ones), and the P10 / P90 must sit at the standard normal's 10 % /
90 % points (scipy's quantile, not the module's constant).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from clv_xl.customers import summarize
from clv_xl.models import BetaGeo, GammaGamma
from clv_xl.models.ranges import Z90, clv_ranges
from clv_xl.sample_shop import sample_orders

HORIZON = 52.0
DRAWS = 600


@pytest.fixture(scope="module")
def fitted():
    summary = summarize(sample_orders(n_customers=2500, seed=11), time_unit="W")
    x, tx, T, money = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T", "monetary_value"))
    bg = BetaGeo().fit(x, tx, T)
    gg = GammaGamma().fit(x[x > 0], money[x > 0])
    # the point forecast handed to the ranges: undiscounted purchases x spend (any positive point would do)
    point = np.asarray(bg.expected_purchases(HORIZON, x, tx, T)) * np.asarray(gg.expected_spend(x, money))
    ranges = clv_ranges(bg, gg, x, tx, T, money, HORIZON, pd.Series(point, index=summary.index))
    # Monte Carlo over the same law of the log-parameters (block-diagonal: the two fits are independent)
    rng = np.random.default_rng(20261130)
    theta = np.log(np.r_[list(bg.params.values()), list(gg.params.values())])
    cov = np.zeros((7, 7))
    cov[:4, :4], cov[4:, 4:] = bg.log_covariance(), gg.log_covariance()
    draws = np.empty((DRAWS, x.size))
    for k, draw in enumerate(rng.multivariate_normal(theta, cov, size=DRAWS)):
        b = BetaGeo.from_params(*np.exp(draw[:4]))
        g = GammaGamma.from_params(*np.exp(draw[4:]))
        draws[k] = np.asarray(b.expected_purchases(HORIZON, x, tx, T)) * np.asarray(g.expected_spend(x, money))
    return x, tx, T, point, ranges, draws


def _log_spread(low: np.ndarray | float, high: np.ndarray | float) -> np.ndarray:
    return np.log(np.asarray(high) / np.asarray(low))


def test_z90_is_the_standard_normal_90th_percentile():
    assert Z90 == pytest.approx(norm.ppf(0.9), rel=1e-12)


def test_total_p10_p90_are_the_monte_carlo_percentiles(fitted):
    *_, point, ranges, draws = fitted
    totals = draws.sum(axis=1)
    p10, p50, p90 = np.percentile(totals, [10, 50, 90])
    low, mid, high = ranges.total
    assert mid == pytest.approx(point.sum())
    # each side of the range against the simulated percentile of the same side (log-normal: ratios to the median)
    assert np.log(high / mid) == pytest.approx(np.log(p90 / p50), rel=0.15)
    assert np.log(mid / low) == pytest.approx(np.log(p50 / p10), rel=0.15)


@pytest.mark.parametrize("who", ["one-time buyer", "regular", "lapsed", "best"])
def test_each_customers_p10_p90_are_the_monte_carlo_percentiles(fitted, who):
    x, tx, T, point, ranges, draws = fitted
    recent = np.divide(tx, T, out=np.zeros_like(T), where=T > 0)
    pick = {
        "one-time buyer": np.flatnonzero((x == 0) & (T > 40))[0],
        "regular": np.flatnonzero((x >= 3) & (recent > 0.9))[0],
        "lapsed": np.flatnonzero((x >= 2) & (recent < 0.3) & (T > 40))[0],
        "best": int(np.argmax(point)),
    }[who]
    row = ranges.customers.iloc[pick]
    p10, p50, p90 = np.percentile(draws[:, pick], [10, 50, 90])
    assert row["clv_p50"] == pytest.approx(point[pick])
    assert _log_spread(row["clv_p10"], row["clv_p90"]) == pytest.approx(_log_spread(p10, p90), rel=0.15)


def test_customers_ranges_differ_as_their_uncertainty_does(fitted):
    """One-time buyers' forecasts lean on the population parameters more than regulars' do: wider ranges."""
    x, tx, T, point, ranges, draws = fitted
    spread = _log_spread(ranges.customers["clv_p10"].to_numpy(), ranges.customers["clv_p90"].to_numpy())
    simulated = _log_spread(*np.percentile(draws, [10, 90], axis=0))
    # the ordering of the customers by spread follows the simulation's (rank correlation)
    ranks = pd.Series(spread).rank().corr(pd.Series(simulated).rank())
    assert ranks > 0.9
