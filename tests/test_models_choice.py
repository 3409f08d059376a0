"""The model choice: Vuong's paired z and the tie rule, recomputed here by hand from the per-customer scores.

Truths: the z statistic is written out from its definition (Vuong 1989, out of sample: the per-customer score
differences d, ``z = sum(d) / (sd(d) * sqrt(n))``, sd with n - 1) with plain numpy, on a vector small enough to
check on paper and on every model of a shop; the choice is the rule read in words (the best score, unless a model
listed before it - a simpler one - is less than ``tie_z`` standard errors below it; the first of those wins).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clv_xl.models.holdout import calibration_holdout
from clv_xl.models.registry import PURCHASE_MODELS
from clv_xl.models.selection import (
    TIE_Z,
    _last_holdout_purchase,
    _paired_z,
    compare_purchase_models,
    holdout_log_scores,
)
from clv_xl.sample_shop import sample_orders


def test_paired_z_on_paper():
    # d = 1, 2, 3, 4: sum 10; mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / (n - 1) = 5/3;
    # sd = 1.2909944; z = 10 / (1.2909944 * sqrt(4)) = 3.8729833
    assert _paired_z(np.array([2.0, 3, 4, 5]), np.array([1.0, 1, 1, 1])) == pytest.approx(3.8729833, rel=1e-7)
    # the other way round: the same size, negative
    assert _paired_z(np.array([1.0, 1, 1, 1]), np.array([2.0, 3, 4, 5])) == pytest.approx(-3.8729833, rel=1e-7)
    assert _paired_z(np.ones(3), np.ones(3)) == 0.0  # the same scores: no difference at all
    assert _paired_z(np.ones(3) * 2, np.ones(3)) == math.inf  # better on every customer by the same amount


@pytest.fixture(scope="module")
def checked():
    orders = sample_orders(n_customers=1500, seed=21)
    end = orders["order_date"].max().normalize()
    cut = end - pd.Timedelta(days=26 * 7)
    ch = calibration_holdout(orders, cut, end, time_unit="W")
    later = orders[(orders["order_date"] > cut) & orders["customer_id"].isin(ch.index)]
    days = later.assign(day=later["order_date"].dt.normalize()).drop_duplicates(["customer_id", "day"])
    offsets = pd.Series(((days["day"] - cut).dt.days / 7).to_numpy(), index=days["customer_id"].to_numpy())
    x, tx, T, actual = (ch[c].to_numpy(float) for c in ("frequency_cal", "recency_cal", "T_cal", "frequency_holdout"))
    last = _last_holdout_purchase(ch, offsets)
    duration = float(ch["duration_holdout"].iloc[0])
    scores = {spec.key: holdout_log_scores(spec.model_class().fit(x, tx, T), x, tx, T, actual, last, duration)
              for spec in PURCHASE_MODELS}
    return ch, offsets, scores, compare_purchase_models(ch, offsets)


def _z_by_hand(best: np.ndarray, other: np.ndarray) -> float:
    d = best - other
    return float(d.sum() / (np.sqrt(((d - d.mean()) ** 2).sum() / (d.size - 1)) * np.sqrt(d.size)))


def test_each_models_z_is_vuongs_statistic_against_the_best(checked):
    _, _, scores, comparison = checked
    assert [s.key for s in comparison.scores] == [spec.key for spec in PURCHASE_MODELS]
    best = max(scores, key=lambda key: scores[key].mean())
    for score in comparison.scores:
        assert score.log_score == pytest.approx(scores[score.key].mean(), rel=1e-9)
        expected = 0.0 if score.key == best else _z_by_hand(scores[best], scores[score.key])
        assert score.z == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert score.z >= 0


def test_the_choice_follows_the_rule_in_words(checked):
    _, _, scores, comparison = checked
    keys = [spec.key for spec in PURCHASE_MODELS]  # simplest first
    best = max(keys, key=lambda key: scores[key].mean())
    tied = [k for k in keys if k == best or _z_by_hand(scores[best], scores[k]) < TIE_Z]
    assert comparison.chosen == tied[0]
    assert comparison.tied_with == tied[1:]


def test_a_wider_tie_gives_the_simplest_model_and_a_narrow_one_the_best(checked):
    ch, offsets, scores, _ = checked
    keys = [spec.key for spec in PURCHASE_MODELS]
    best = max(keys, key=lambda key: scores[key].mean())
    everything = compare_purchase_models(ch, offsets, tie_z=math.inf)
    assert everything.chosen == keys[0]
    assert everything.tied_with == keys[1:]
    strict = compare_purchase_models(ch, offsets, tie_z=1e-12)
    assert strict.chosen == best
    assert strict.tied_with == []
    no_ties = compare_purchase_models(ch, offsets, tie_z=0)  # raised IndexError before: the best's own z is 0
    assert no_ties.chosen == best
    assert no_ties.tied_with == []
