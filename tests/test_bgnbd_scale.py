"""BG/NBD and MBG/NBD fits past 40,000 distinct histories: the subset-first search against the search on every row.

Customers are simulated with plain numpy from parameters set here (tests/simulations.py), with times in days, so
most (frequency, recency, T) rows are distinct, as in the 10M-order bench data (560,044 distinct rows of 999,970
customers). The reference is the same model searched from every start on all rows (``polish_above`` out of reach),
the path every fit of this size took when the subset's starts all ran to a bound. Evaluation counts are asserted,
not times.
"""

from __future__ import annotations

import numpy as np
import pytest

from clv_xl.models import BetaGeo, ModifiedBetaGeo
from tests.model_checks import count_evaluations_by_rows
from tests.simulations import bgnbd_histories

DAYS = 1095  # three years, as the bench data


class FullSearchBetaGeo(BetaGeo):
    """BG/NBD searched from every start on all rows, whatever the number of rows."""

    polish_above = 10**9


class FullSearchModifiedBetaGeo(ModifiedBetaGeo):
    polish_above = 10**9


def _days(seed: int, n: int = 100_000) -> tuple[np.random.Generator, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng, rng.integers(1, DAYS + 1, size=n).astype(float)


def _fit_both(monkeypatch, fast_class, full_class, x, tx, T):
    """Fit with the subset-first search and with the full search; the evaluations each made on all rows."""
    rows = len(set(zip(x, tx, T, strict=True)))
    assert rows > 40_000  # the subset path is taken
    counts = count_evaluations_by_rows(monkeypatch, BetaGeo)
    fast = fast_class().fit(x, tx, T)
    fast_full_rows = counts.get(rows, 0)
    counts.clear()
    full = full_class().fit(x, tx, T)
    return fast, fast_full_rows, full, counts.get(rows, 0)


def test_heterogeneous_drop_out_same_optimum_in_a_few_full_evaluations(monkeypatch):
    # CDNOW's estimates (alpha per day): an interior optimum, reached by the subset then Newton steps on all rows
    rng, T = _days(11)
    x, tx = bgnbd_histories(0.243, 4.414 * 7, 0.793, 2.426, T, rng)
    fast, fast_evals, full, full_evals = _fit_both(monkeypatch, BetaGeo, FullSearchBetaGeo, x, np.floor(tx), T)
    assert not fast.degenerate and not full.degenerate
    for name in ("r", "alpha", "a", "b"):
        assert fast.params[name] == pytest.approx(full.params[name], rel=1e-3), name
        assert abs(fast.params[name] - {"r": 0.243, "alpha": 30.9, "a": 0.793, "b": 2.426}[name]) \
            < 3 * fast.standard_errors[name]
    assert fast.log_likelihood >= full.log_likelihood - 1e-3
    assert fast_evals <= 15 < full_evals


def test_homogeneous_drop_out_same_flagged_limit_in_fewer_full_evaluations(monkeypatch):
    # Every customer drops out with p = 0.1 (Beta(1e9, 9e9) is a point mass). In this sample (as in half of the
    # seeds tried) the likelihood keeps rising as a, b -> infinity: the subset-first search ends at the limiting
    # model, flagged; the full search stops where the ridge is too flat to move (a = 7.8e4, b = 6.9e5 here), with
    # the same p, r, alpha and log-likelihood
    rng, T = _days(13)
    x, tx = bgnbd_histories(0.8, 60.0, 1e9, 9e9, T, rng)
    fast, fast_evals, full, full_evals = _fit_both(monkeypatch, BetaGeo, FullSearchBetaGeo, x, np.floor(tx), T)
    assert fast.degenerate and "drops out" in fast.note and full.params["a"] + full.params["b"] > 1e5
    p_fast, p_full = (m.params["a"] / (m.params["a"] + m.params["b"]) for m in (fast, full))
    assert p_fast == pytest.approx(p_full, rel=1e-5) and p_fast == pytest.approx(0.1, abs=0.01)
    for name in ("r", "alpha"):
        assert fast.params[name] == pytest.approx(full.params[name], rel=1e-5), name
    assert fast.log_likelihood == pytest.approx(full.log_likelihood, abs=1e-3)
    assert fast_evals < full_evals


@pytest.mark.parametrize(("fast_class", "full_class"), [(BetaGeo, FullSearchBetaGeo),
                                                         (ModifiedBetaGeo, FullSearchModifiedBetaGeo)])
def test_one_purchase_rate_and_no_drop_out_end_at_the_rate_limit(monkeypatch, fast_class, full_class):
    # The bench data's process: every customer buys at the same rate, 10 orders in three years, and never drops out.
    # Repeat purchases in (0, T] are then Poisson(lambda T), whose maximum-likelihood rate is sum(x) / sum(T); the
    # BG/NBD likelihood keeps rising towards that limit as r and alpha grow together (and a / (a + b) -> 0) when the
    # sample's counts are not over-dispersed, as in this one (and the bench data); a sample that is, by chance,
    # gets an interior fit (seeds 13, 14, 17 and 18 of 13-18 here), which the rate score below tells apart.
    rng, T = _days(15)
    rate = 10 / DAYS
    x = rng.poisson(rate * T).astype(float)
    tx = np.where(x > 0, np.floor(T * rng.beta(np.maximum(x, 1), 1)), 0.0)  # the last of x uniform times, in days
    fast, fast_evals, full, full_evals = _fit_both(monkeypatch, fast_class, full_class, x, tx, T)
    for model in (fast, full):
        assert model.degenerate and "Purchase rates are not heterogeneous" in model.note and "penalizer" in model.note
        assert model.params["r"] > 1e5
        assert model.params["r"] / model.params["alpha"] == pytest.approx(x.sum() / T.sum(), rel=1e-4)
        assert model.params["a"] / (model.params["a"] + model.params["b"]) < 1e-5
        assert model.p_alive(x, tx, T).mean() > 0.999
    assert fast.log_likelihood == pytest.approx(full.log_likelihood, abs=0.05)
    # a / (a + b) -> 0 is flat too: the two searches stop at different tiny drop-out probabilities, which only
    # customers with a long silence feel
    gap = np.abs(fast.p_alive(x, tx, T) - full.p_alive(x, tx, T))
    assert gap.mean() < 1e-4 and gap.max() < 0.02
    # an alive customer then buys at the one rate: 365 sum(x) / sum(T) in a year (eq. (10) overflows at such r
    # and alpha; its limit takes over)
    alive = fast.p_alive(x, tx, T)
    np.testing.assert_allclose(fast.expected_purchases(365, x, tx, T) / alive, 365 * x.sum() / T.sum(), rtol=1e-3)
    # here the subset finds an interior optimum (r = 305) that the full data do not have: the walk from it to the
    # limit costs 100 (BG/NBD) and 152 (MBG/NBD) evaluations of all rows, the full search 229 and 184
    assert fast_evals < full_evals


def test_the_bench_data_process_ends_at_the_rate_limit_in_fewer_full_evaluations(monkeypatch):
    # As above with 10 orders per customer over three years, on 60,000 customers: the subset's starts all run to
    # the limit and the full data only confirm it (4 evaluations of all rows on the 10M-order bench data); in this
    # sample the subset stops short of it first, and the full data walk on to the ridge (56 evaluations, 239 for the
    # full search)
    rng, T = _days(16, 60_000)
    x = rng.poisson(10 / DAYS * T).astype(float)
    tx = np.where(x > 0, np.floor(T * rng.beta(np.maximum(x, 1), 1)), 0.0)
    fast, fast_evals, full, full_evals = _fit_both(monkeypatch, BetaGeo, FullSearchBetaGeo, x, tx, T)
    assert fast.degenerate and full.degenerate
    assert fast.params["r"] / fast.params["alpha"] == pytest.approx(x.sum() / T.sum(), rel=1e-4)
    assert fast.log_likelihood == pytest.approx(full.log_likelihood, abs=0.05)
    assert fast_evals < full_evals / 3


def test_the_rate_score_tells_over_dispersed_counts_from_a_single_rate():
    # Gamma-distributed rates (r = 2: a coefficient of variation of 71 %) make the counts over-dispersed: the score
    # for the variance of the rate is positive at the limit; one rate for all gives a negative score (seed 15 above)
    from clv_xl.models._beta_geometric import rate_score

    for rates, sign in (("gamma", 1), ("one", -1)):
        rng, T = _days(15, 20_000)
        lam = rng.gamma(2.0, 10 / DAYS / 2.0, T.size) if rates == "gamma" else np.full(T.size, 10 / DAYS)
        x = rng.poisson(lam * T).astype(float)
        tx = np.where(x > 0, np.floor(T * rng.beta(np.maximum(x, 1), 1)), 0.0)
        limit = np.array([1e7, 1e7 / (x.sum() / T.sum()), 1e-6, 1e3])  # one rate, p = 1e-9
        assert np.sign(rate_score(limit, x, tx, T, np.ones(x.size))) == sign, rates


@pytest.mark.parametrize(("a", "b"), [(0.8, 2.4), (7.6e-5, 793.5)])
def test_the_one_rate_limit_of_eq_10_agrees_with_eq_10_at_large_r(a, b):
    # eq. (10) can still be evaluated at r = 1e4 and 1e5 (rates varying by 1 % and 0.3 %): where it overflows
    # (r = 1e12 here; r = 6e5 on the bench data, where every forecast was NaN) its limit takes over, and eq. (10)
    # converges to it as O(1 / r): ten times closer at r = 1e5 than at 1e4
    rng, T = _days(17, 3000)
    x = rng.poisson(10 / DAYS * T).astype(float)
    rate = 10 / DAYS
    for t in (365.0, 3650.0):
        def purchases(r: float, t: float = t) -> np.ndarray:
            return BetaGeo.from_params(r, r / rate, a, b)._alive_purchases(np.full(T.size, t), x, T)

        limit, near, nearer = purchases(1e12), purchases(1e4), purchases(1e5)
        assert np.all(np.isfinite(nearer))
        gap, closer = np.abs(limit / near - 1).max(), np.abs(limit / nearer - 1).max()
        assert gap < 2e-3 and closer < gap / 5, (gap, closer)
    huge = BetaGeo.from_params(6e5, 6e5 / rate, a, b).expected_purchases(365.0, x, np.zeros_like(x), T)
    assert np.all(np.isfinite(huge))


@pytest.mark.parametrize(("a", "b", "x", "lam_t"), [(2.0, 0.5, 0, 3650.0), (0.8, 2.4, 3, 40.0), (1.5, 88.7, 0, 1e4)])
def test_the_one_rate_limit_is_the_mean_over_the_drop_out_probability(a, b, x, lam_t):
    # the limit's own definition, integrated by mpmath: a customer alive at T buying at the one rate lam, who drops
    # out with probability p after each repeat purchase, p ~ Beta(a, b + x) given alive, buys (1 - exp(-lam t p)) / p
    # in t; the mean over p is E[X] (the old interpolated integral was 1.4 % off at lam t = 3650)
    mpmath = pytest.importorskip("mpmath")
    mean = mpmath.quad(lambda p: (1 - mpmath.exp(-lam_t * p)) / p * p ** (a - 1) * (1 - p) ** (b + x - 1),
                       [0, 1e-6, 1e-3, 0.1, 1]) / mpmath.beta(a, b + x)
    T, t = 100.0, 365.0
    model = BetaGeo.from_params(1e13, 1e13 * t / lam_t, a, b)  # r / alpha = lam, so (r + x) / (alpha + T) * t = lam t
    value = model._alive_purchases(np.array([t]), np.array([float(x)]), np.array([T]))[0]
    assert value == pytest.approx(float(mean), rel=1e-6)
