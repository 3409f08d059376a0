"""BG/BB against the published donations results (Fader, Hardie & Shang 2010) and simulated donors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln

from clv_xl.errors import InvalidArgumentError
from clv_xl.models import BetaGeoBetaBinom
from tests.model_checks import assert_distribution_matches_the_mean, assert_recovers

# Fader, Hardie & Shang (2010), section 4: 11,104 donors, 6 yearly opportunities after the first donation.
PUBLISHED = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}


@pytest.fixture(scope="module")
def donations(cdnow_dir) -> pd.DataFrame:
    return pd.read_csv(cdnow_dir / "donations.csv")


@pytest.fixture(scope="module")
def fitted(donations) -> BetaGeoBetaBinom:
    return BetaGeoBetaBinom().fit(
        donations["frequency"], donations["recency"], donations["periods"], weights=donations["weights"]
    )


def test_the_data_hold_11104_donors(donations):
    assert donations["weights"].sum() == 11_104


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_parameters_match_the_paper(fitted, name):
    assert fitted.params[name] == pytest.approx(PUBLISHED[name], rel=0.002)
    assert 0 < fitted.standard_errors[name] < fitted.params[name]


@pytest.mark.parametrize(("x", "tx", "expected"), [(0, 0, 0.11), (2, 4, 0.59), (6, 6, 0.93)])
def test_p_alive_matches_the_paper(fitted, x, tx, expected):
    assert fitted.p_alive(x, tx, 6) == pytest.approx(expected, abs=0.005)


def test_conditional_expectation_equals_the_sum_over_future_opportunities(fitted):
    # eq. (13) in closed form against its definition: at each of the next n* opportunities the customer is alive
    # with posterior probability E[(1-theta)^(n+k)] / ... and buys with posterior mean (alpha+x)/(alpha+beta+n)
    alpha, beta, gamma, delta = fitted.params.values()
    for x, tx, n, future in [(2, 4, 6, 5), (0, 0, 6, 3), (6, 6, 6, 10)]:
        alive = fitted.p_alive(x, tx, n)
        by_sum = sum(np.exp(betaln(gamma, delta + n + k) - betaln(gamma, delta + n + 1)) for k in range(1, future + 1))
        assert fitted.expected_purchases(future, x, tx, n) == pytest.approx(
            alive * (alpha + x) / (alpha + beta + n) * by_sum, rel=1e-10
        )


def test_residual_value_equals_the_discounted_sum_of_future_opportunities(fitted):
    rate = 0.1
    x, tx, n = np.array([0.0, 2.0, 6.0]), np.array([0.0, 4.0, 6.0]), np.full(3, 6.0)
    increments = [
        np.asarray(fitted.expected_purchases(k, x, tx, n)) - np.asarray(fitted.expected_purchases(k - 1, x, tx, n))
        for k in range(1, 400)
    ]
    by_sum = sum(inc / (1 + rate) ** k for k, inc in enumerate(increments, start=1))
    np.testing.assert_allclose(fitted.residual_purchases(x, tx, n, rate), by_sum, rtol=1e-9)


def test_probabilities_sum_to_one_and_match_the_mean(fitted):
    assert_distribution_matches_the_mean(fitted, (1, 6, 11), np.arange(0, 12), tolerance=1e-10)


def test_impossible_histories_are_refused(fitted):
    with pytest.raises(InvalidArgumentError, match="recency must be >= frequency"):
        fitted.p_alive(3, 2, 6)
    with pytest.raises(InvalidArgumentError, match="whole numbers of opportunities"):
        fitted.p_alive(1, 2.5, 6)


def _simulate(params, n_customers, n, rng):
    """BG/BB histories, plain numpy: each opportunity, survive with 1 - theta, then buy with p."""
    alpha, beta, gamma, delta = params
    p, theta = rng.beta(alpha, beta, n_customers), rng.beta(gamma, delta, n_customers)
    alive = np.cumprod(rng.random((n_customers, n)) >= theta[:, None], axis=1).astype(bool)
    buys = alive & (rng.random((n_customers, n)) < p[:, None])
    x = buys.sum(axis=1).astype(float)
    tx = np.where(x > 0, n - np.argmax(buys[:, ::-1], axis=1), 0).astype(float)
    return x, tx, np.full(n_customers, float(n))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_parameter_recovery_within_two_standard_errors(seed):
    true = (1.2, 0.75, 0.66, 2.8)
    x, tx, n = _simulate(true, 11_000, 6, np.random.default_rng(seed))
    assert_recovers(BetaGeoBetaBinom, true, x, tx, n)
