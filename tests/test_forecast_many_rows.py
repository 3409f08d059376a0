"""Forecasts of many customers at once: each row gets its own history's published value.

From 256 rows on, :meth:`PurchaseModel.expected_purchases` computes the expectation of a customer alive once per
distinct (window, x, T) row, and the forecast ranges once per distinct (x, T) pair. The truth: the published CDNOW
figures of single customers (Fader, Hardie & Lee 2005, BG/NBD: 1.226 purchases in 39 weeks; Fader & Hardie 2005,
note 009, Pareto/NBD: 25.46 in 52 weeks), placed among a thousand other histories sharing their (x, T) but not
their recency, and each row against the same model's value for that row alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from clv_xl.errors import InvalidArgumentError
from clv_xl.models import BetaGeo, BetaGeoBetaBinom, ModifiedBetaGeo, ParetoNBD

#: (model, window, published customer (x, t_x, T), published value)
CASES = [
    (BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259), 39.0, (2.0, 30.43, 38.86), 1.226),
    (ParetoNBD.from_params(0.553, 10.578, 0.606, 11.669), 52.0, (26.0, 30.86, 31.0), 25.46),
]


def _crowd(history: tuple[float, float, float], rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``rows`` histories with the published one at row 500, many sharing its (x, T) with other recencies."""
    rng = np.random.default_rng(7)
    x, tx, T = history
    xs = np.where(rng.random(rows) < 0.5, x, rng.integers(0, 30, rows)).astype(float)
    Ts = np.where(rng.random(rows) < 0.5, T, rng.choice([10.0, 31.0, 38.86, 50.0], rows))
    txs = np.where(xs > 0, np.round(rng.uniform(0.0, 1.0, rows) * Ts, 2), 0.0)
    xs[500], txs[500], Ts[500] = x, tx, T
    return xs, txs, Ts


@pytest.mark.parametrize(("model", "window", "history", "published"), CASES)
def test_each_row_gets_its_own_histories_value(model, window, history, published):
    x, tx, T = _crowd(history, 1000)
    many = model.expected_purchases(window, x, tx, T)
    assert many[500] == pytest.approx(published, abs=0.005)
    alone = np.array([model.expected_purchases(window, *row) for row in zip(x, tx, T, strict=True)])
    np.testing.assert_allclose(many, alone, rtol=1e-13, atol=0.0)
    assert len(set(zip(x, T, strict=True))) < len(set(zip(x, tx, T, strict=True)))  # pairs really shared


def test_windows_per_row_are_kept_apart():
    """One window per customer: rows that share (x, T) but not the window are not merged."""
    model = ModifiedBetaGeo.from_params(0.525, 6.183, 0.891, 1.614)
    x, tx, T = _crowd((2.0, 30.43, 38.86), 600)
    windows = np.where(np.arange(600) % 2 == 0, 13.0, 52.0)
    many = model.expected_purchases(windows, x, tx, T)
    alone = np.array([model.expected_purchases(w, *row) for w, *row in zip(windows, x, tx, T, strict=True)])
    np.testing.assert_allclose(many, alone, rtol=1e-13, atol=0.0)


def test_the_alive_factor_takes_the_models_own_rules():
    """``expected_purchases_if_alive`` refuses what ``expected_purchases`` refuses, in one line naming the argument."""
    bg = CASES[0][0]
    with pytest.raises(InvalidArgumentError, match="frequency must be whole numbers"):
        bg.expected_purchases_if_alive(39, 1.5, 38.86)
    bgbb = BetaGeoBetaBinom.from_params(1.204, 0.750, 0.657, 2.783)
    with pytest.raises(InvalidArgumentError, match="T must be whole numbers of opportunities"):
        bgbb.expected_purchases_if_alive(5, 2, 6.5)
    assert bgbb.expected_purchases_if_alive(5, 2, 6) * bgbb.p_alive(2, 4, 6) == pytest.approx(
        bgbb.expected_purchases(5, 2, 4, 6), rel=1e-12)
