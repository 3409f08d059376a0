"""sBG (Fader & Hardie 2007): the paper's published fit and projections, DERL against a direct sum, a simulation."""

from __future__ import annotations

import numpy as np
import pytest

from clv_xl.errors import InvalidArgumentError
from clv_xl.models import ShiftedBetaGeometric

# Fader & Hardie (2007), "How to Project Customer Retention", the % still subscribed at the start of years 0..12
REGULAR = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3]
HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4]


def _survival_by_products(alpha: float, beta: float, periods: int) -> np.ndarray:
    """S(0..periods-1) as products of the retention rates (beta + t - 1) / (alpha + beta + t - 1), plain numpy."""
    t = np.arange(1, periods)
    return np.concatenate([[1.0], np.cumprod((beta + t - 1) / (alpha + beta + t - 1))])


@pytest.mark.parametrize(("curve", "alpha", "beta"), [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)])
def test_published_estimates_on_years_0_to_7(curve: list[float], alpha: float, beta: float) -> None:
    sbg = ShiftedBetaGeometric().fit_survival(curve[:8])
    assert sbg.params["alpha"] == pytest.approx(alpha, abs=5e-4)
    assert sbg.params["beta"] == pytest.approx(beta, abs=5e-4)


def test_regular_projection_years_8_to_12_within_one_point() -> None:
    sbg = ShiftedBetaGeometric().fit_survival(REGULAR[:8])
    projected = 100 * sbg.survival(np.arange(8, 13))
    assert np.abs(projected - np.array(REGULAR[8:])).max() < 1.0


def test_high_end_projection_years_8_to_12() -> None:
    """Within a point for years 8-9; the published parameters themselves drift to 1.6 points below by year 12.

    The paper's own (alpha, beta) = (0.668, 3.806) give 37.8 % at year 12 against 39.4 % observed, so "within one
    point" holds for years 8 and 9 only; we check the projection equals the published parameters' projection and
    stays within two points.
    """
    sbg = ShiftedBetaGeometric().fit_survival(HIGH_END[:8])
    projected = 100 * sbg.survival(np.arange(8, 13))
    actual = np.array(HIGH_END[8:])
    assert np.abs(projected[:2] - actual[:2]).max() < 1.0
    assert np.abs(projected - actual).max() < 2.0
    published = 100 * _survival_by_products(0.668, 3.806, 13)[8:]
    np.testing.assert_allclose(projected, published, atol=0.02)


def test_survival_and_retention_match_products_of_retention_rates() -> None:
    sbg = ShiftedBetaGeometric.from_params(0.704, 1.182)
    np.testing.assert_allclose(sbg.survival(np.arange(30)), _survival_by_products(0.704, 1.182, 30), rtol=1e-10)
    r = sbg.retention_rate(np.arange(1, 30))
    np.testing.assert_allclose(r[0], 1.182 / (0.704 + 1.182))
    assert np.all(np.diff(r) > 0)  # retention rises with tenure: heterogeneity, not customers changing


@pytest.mark.parametrize(("renewals", "d"), [(0, 0.1), (3, 0.1), (10, 0.05), (0, 0.01)])
def test_derl_equals_direct_discounted_sum(renewals: int, d: float) -> None:
    alpha, beta = 0.668, 3.806
    s = _survival_by_products(alpha, beta, 200_000)
    n = renewals + 1
    t = np.arange(n, s.size)
    direct = float(np.sum(s[t] / s[n - 1] * (1 / (1 + d)) ** (t - n + 1)))
    got = ShiftedBetaGeometric.from_params(alpha, beta).derl(d, renewals)
    assert got == pytest.approx(direct, rel=1e-6)


def test_derl_grows_with_tenure_and_vectorises() -> None:
    values = ShiftedBetaGeometric.from_params(0.704, 1.182).derl(0.1, [0, 1, 5, 20])
    assert values.shape == (4,)
    assert np.all(np.diff(values) > 0)


def test_expected_lifetime_closed_form_and_horizon() -> None:
    sbg = ShiftedBetaGeometric.from_params(3.0, 5.0)
    s = _survival_by_products(3.0, 5.0, 100_000)
    assert sbg.expected_lifetime() == pytest.approx(float(s.sum()), rel=1e-3)
    assert sbg.expected_lifetime(horizon=12) == pytest.approx(float(s[:12].sum()), rel=1e-10)
    assert ShiftedBetaGeometric.from_params(0.704, 1.182).expected_lifetime() == float("inf")


def test_fit_on_simulated_customers_with_censoring() -> None:
    rng = np.random.default_rng(7)
    alpha, beta, n = 1.3, 4.0, 6000
    theta = rng.beta(alpha, beta, n)
    lifetime = rng.geometric(theta)  # periods paid before leaving, >= 1
    observed = rng.integers(1, 25, n)  # periods each customer has been observed since joining
    churned = lifetime <= observed
    tenure = np.where(churned, lifetime, observed)
    sbg = ShiftedBetaGeometric().fit(tenure, churned)
    se = sbg.standard_errors
    assert sbg.n_customers == n
    for name, true in (("alpha", alpha), ("beta", beta)):
        assert 0 < se[name] < 0.25 * true
        assert abs(sbg.params[name] - true) < 4 * se[name]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_parameter_recovery_within_two_standard_errors(seed: int) -> None:
    rng = np.random.default_rng(seed)
    alpha, beta, n = 1.3, 4.0, 6000
    lifetime = rng.geometric(rng.beta(alpha, beta, n))  # periods paid before leaving, >= 1 (plain numpy)
    observed = rng.integers(1, 25, n)
    churned = lifetime <= observed
    sbg = ShiftedBetaGeometric().fit(np.where(churned, lifetime, observed), churned)
    for name, true in (("alpha", alpha), ("beta", beta)):
        assert abs(sbg.params[name] - true) < 2 * sbg.standard_errors[name], (name, sbg.params, sbg.standard_errors)


def test_survival_counts_give_standard_errors_and_shares_do_not() -> None:
    counts = [1000, 631, 468, 382, 326, 289, 262, 241]
    with_size = ShiftedBetaGeometric().fit_survival(counts)
    assert with_size.n_customers == 1000
    assert set(with_size.standard_errors) == {"alpha", "beta"}
    shares = ShiftedBetaGeometric().fit_survival(REGULAR[:8])
    assert shares.standard_errors == {}
    bigger = ShiftedBetaGeometric().fit_survival(REGULAR[:8], cohort_size=4000)
    assert bigger.standard_errors["alpha"] == pytest.approx(with_size.standard_errors["alpha"] / 2, rel=0.02)


@pytest.mark.parametrize(("survival", "words"), [
    ([100], "at least two"),
    ([0, 0], "start with the cohort"),
    ([100, 60, 70], "may not rise"),
    ([100, 100, 100], "never falls"),
    ([100, float("nan")], "finite"),
])
def test_bad_survival_curves_are_one_line(survival: list[float], words: str) -> None:
    with pytest.raises(InvalidArgumentError, match=words):
        ShiftedBetaGeometric().fit_survival(survival)


def test_bad_tenure_and_periods() -> None:
    with pytest.raises(InvalidArgumentError, match="tenure"):
        ShiftedBetaGeometric().fit([0, 2], [True, False])
    with pytest.raises(InvalidArgumentError, match="no customer has churned"):
        ShiftedBetaGeometric().fit([1, 2], [False, False])
    with pytest.raises(InvalidArgumentError, match="one value per customer"):
        ShiftedBetaGeometric().fit([1, 2], [True])
    sbg = ShiftedBetaGeometric.from_params(1, 1)
    with pytest.raises(InvalidArgumentError, match="t must be whole"):
        sbg.survival(1.5)
    with pytest.raises(InvalidArgumentError, match="discount_rate"):
        sbg.derl(0)
    with pytest.raises(InvalidArgumentError, match="not been fitted"):
        ShiftedBetaGeometric().survival(1)


def test_homogeneous_churn_gives_the_geometric_limit() -> None:
    """Everyone churning with the same probability: no interior optimum; the limit's theta is lost ÷ exposures."""
    rng = np.random.default_rng(4)
    lifetime = rng.geometric(0.2, 3000)
    observed = rng.integers(1, 15, 3000)
    churned = lifetime <= observed
    tenure = np.where(churned, lifetime, observed)
    sbg = ShiftedBetaGeometric().fit(tenure, churned)
    exposures = np.where(churned, tenure, tenure - 1).sum()
    theta = churned.sum() / exposures
    assert sbg.degenerate
    assert "same probability" in sbg.note and sbg.standard_errors == {}
    alpha, beta = sbg.params["alpha"], sbg.params["beta"]
    assert alpha / (alpha + beta) == pytest.approx(theta, rel=1e-9)
    np.testing.assert_allclose(sbg.survival(np.arange(1, 10)), (1 - theta) ** np.arange(1, 10), rtol=0.02)
