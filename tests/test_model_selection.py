"""The holdout check of the purchase models and the forecast ranges, against hand counts and simulations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clv_xl.models import BetaGeo, GammaGamma, ParetoNBD
from clv_xl.models.holdout import calibration_holdout
from clv_xl.models.ranges import Z90, clv_ranges
from clv_xl.models.selection import ModelScore, compare_purchase_models, normalised_gini


def _pareto_orders(n: int, seed: int) -> pd.DataFrame:
    """Orders of a shop whose customers follow Pareto/NBD (weeks), purchase times kept to the day; plain numpy."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 52 * 7, n)  # first purchases over the first year, in days
    span = 104 * 7 - first
    lam = rng.gamma(0.8, 1 / 6.0, n) / 7  # per day
    lifetime = rng.exponential(1.0, n) / rng.gamma(1.2, 1 / (20.0 * 7), n)
    count = rng.poisson(lam * np.minimum(lifetime, span))
    owner = np.repeat(np.arange(n), count)
    when = first[owner] + rng.random(owner.size) * np.minimum(lifetime, span)[owner]
    days = np.concatenate([first, np.floor(when).astype(int)])
    who = np.concatenate([np.arange(n), owner])
    return pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in who],
        "order_date": pd.Timestamp("2023-01-02") + pd.to_timedelta(days, unit="D"),
        "amount": np.round(rng.gamma(3.0, 15.0, who.size) + 1, 2),
    })


@pytest.fixture(scope="module")
def shop():
    orders = _pareto_orders(4000, 5)
    end = orders["order_date"].max().normalize()
    cut = end - pd.Timedelta(days=26 * 7)
    ch = calibration_holdout(orders, cut, end, time_unit="W")
    later = orders[orders["order_date"] > cut]
    later = later[later["customer_id"].isin(ch.index)]
    days = later.assign(day=later["order_date"].dt.normalize()).drop_duplicates(["customer_id", "day"])
    offsets = pd.Series(((days["day"] - cut).dt.days / 7).to_numpy(), index=days["customer_id"].to_numpy())
    return orders, cut, end, ch, days, compare_purchase_models(ch, offsets)


def test_actual_holdout_purchases_are_the_hand_count(shop):
    orders, cut, end, ch, days, comparison = shop
    # distinct (customer, day) pairs after the cut, among customers who bought before it: counted here directly
    first = orders.groupby("customer_id")["order_date"].min()
    cohort = set(first.index[first <= cut])
    by_hand = {(c, d) for c, d in zip(orders["customer_id"], orders["order_date"].dt.normalize(), strict=True)
               if d > cut and c in cohort}
    for score in comparison.scores:
        assert score.actual == len(by_hand)
        assert score.error == pytest.approx((score.predicted - score.actual) / score.actual)
    assert comparison.tracking["actual"].iloc[-1] == len(by_hand)
    assert np.all(np.diff(comparison.tracking["actual"]) >= 0)


def test_histogram_counts_every_calibration_customer(shop):
    *_, ch, _, comparison = shop
    hist = comparison.histogram
    assert hist["actual"].sum() == len(ch)
    for score in comparison.scores:
        assert hist[score.key].sum() == pytest.approx(len(ch), rel=1e-9)  # the model's expected counts, 7+ included


def test_deciles_split_all_value(shop):
    *_, ch, _, comparison = shop
    actual_value = (ch["frequency_holdout"] * ch["monetary_value_holdout"]).sum()
    for score in comparison.scores:
        assert comparison.deciles[f"{score.key}_actual"].sum() == pytest.approx(actual_value)
        predicted = comparison.deciles[f"{score.key}_predicted"].to_numpy()
        assert np.all(np.diff(predicted) <= 1e-9)  # decile 1 holds the highest predictions


def test_the_forecasts_are_close_to_what_happened_and_the_choice_is_the_best_score(shop):
    *_, comparison = shop
    assert {s.key for s in comparison.scores} == {"bgnbd", "mbgnbd", "pareto_nbd"}
    pareto = comparison.score("pareto_nbd")
    assert abs(pareto.error) < 0.10  # the true model, on 4,000 simulated customers
    best = max(comparison.scores, key=lambda s: s.log_score)
    assert best.z == 0.0
    chosen = comparison.score(comparison.chosen)
    # the chosen model is the best, or a simpler one not significantly below it
    assert chosen.key == best.key or chosen.z < 2.0
    assert all(comparison.score(k).z < 2.0 for k in comparison.tied_with)


def test_holdout_log_score_is_the_likelihood_ratio_of_the_whole_history_by_hand(shop):
    orders, cut, end, ch, days, comparison = shop
    # one customer with holdout purchases: the whole history summarised here from the orders, with plain pandas
    who = days["customer_id"].value_counts().index[0]
    mine = orders[orders["customer_id"] == who]["order_date"].dt.normalize().drop_duplicates().sort_values()
    first, last = mine.iloc[0], mine.iloc[-1]
    x_all, tx_all, t_all = len(mine) - 1, (last - first).days / 7, (end - first).days / 7
    row = ch.loc[who]
    x, tx, T = row["frequency_cal"], row["recency_cal"], row["T_cal"]
    model = ParetoNBD().fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
    by_hand = model.individual_log_likelihood(x_all, tx_all, t_all) - model.individual_log_likelihood(x, tx, T)
    i = ch.index.get_loc(who)
    later = days[days["customer_id"].isin(ch.index)]
    offsets = pd.Series(((later["day"] - cut).dt.days / 7).to_numpy(), index=later["customer_id"].to_numpy())
    from clv_xl.models.selection import _last_holdout_purchase, holdout_log_scores

    last_offsets = _last_holdout_purchase(ch, offsets)
    scores = holdout_log_scores(model, ch["frequency_cal"].to_numpy(float), ch["recency_cal"].to_numpy(float),
                                ch["T_cal"].to_numpy(float), ch["frequency_holdout"].to_numpy(float), last_offsets,
                                float(ch["duration_holdout"].iloc[0]))
    assert scores[i] == pytest.approx(by_hand, rel=1e-9)
    assert comparison.score("pareto_nbd").log_score == pytest.approx(scores.mean(), rel=1e-6)


def test_ties_go_to_the_simpler_model(shop, monkeypatch):
    *_, ch, days, _ = shop
    import clv_xl.models.selection as selection
    from clv_xl.models.registry import PurchaseModelSpec

    # three copies of one model score exactly alike: a tie, which the first listed must win
    same = tuple(PurchaseModelSpec(key, key.upper(), ParetoNBD) for key in ("one", "two", "three"))
    monkeypatch.setattr(selection, "PURCHASE_MODELS", same)
    later = days[days["customer_id"].isin(ch.index)]
    cut = ch.attrs["calibration_end"]
    offsets = pd.Series(((later["day"] - cut).dt.days / 7).to_numpy(), index=later["customer_id"].to_numpy())
    comparison = compare_purchase_models(ch, offsets)
    assert comparison.chosen == "one"
    assert comparison.tied_with == ["two", "three"]
    assert isinstance(comparison.scores[0], ModelScore)


def test_offsets_that_disagree_with_the_holdout_counts_are_refused(shop):
    *_, ch, days, _ = shop
    from clv_xl.errors import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match="holdout_offsets"):
        compare_purchase_models(ch, pd.Series([1.0], index=[ch.index[0]]))


def test_normalised_gini_by_hand():
    actual = np.array([0.0, 0.0, 10.0, 30.0])
    # ranked perfectly -> 1; ranked 30, 0, 10, 0 -> cumulative shares 0.75, 0.75, 1, 1: (3.5/4 - 5/8) / (3.75/4 - 5/8)
    assert normalised_gini(actual, actual) == pytest.approx(1.0)
    by_hand = (3.5 / 4 - 5 / 8) / (3.75 / 4 - 5 / 8)
    assert normalised_gini(actual, np.array([0.1, 0.3, 0.2, 0.9])) == pytest.approx(by_hand)


def test_delta_method_ranges_match_a_monte_carlo_over_the_same_covariance(shop):
    orders, *_ = shop
    from clv_xl.customers import summarize
    from clv_xl.models.clv import forecast_with

    summary = summarize(orders, time_unit="W")
    x, tx, T, money = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T", "monetary_value"))
    pm = ParetoNBD().fit(x, tx, T)
    gg = GammaGamma().fit(x[x > 0], money[x > 0])
    table, _ = forecast_with(pm, gg, summary, 52, "W")
    ranges = clv_ranges(pm, gg, x, tx, T, money, 52, table["predicted_clv"])
    # Monte Carlo: draw log-parameters from the same normal law, recompute the undiscounted total each time
    rng = np.random.default_rng(0)
    theta = np.log(np.r_[list(pm.params.values()), list(gg.params.values())])
    cov = np.zeros((7, 7))
    cov[:4, :4], cov[4:, 4:] = pm.log_covariance(), gg.log_covariance()
    totals = []
    for draw in rng.multivariate_normal(theta, cov, size=400):
        p = ParetoNBD.from_params(*np.exp(draw[:4]))
        g = GammaGamma.from_params(*np.exp(draw[4:]))
        totals.append(float((np.asarray(p.expected_purchases(52, x, tx, T)) * g.expected_spend(x, money)).sum()))
    spread = np.log(np.percentile(totals, 90) / np.percentile(totals, 10)) / (2 * Z90)
    low, mid, high = ranges.total
    assert np.log(high / low) / (2 * Z90) == pytest.approx(spread, rel=0.15)
    assert mid == pytest.approx(table["predicted_clv"].sum())
    assert (ranges.customers["clv_p10"] <= ranges.customers["clv_p50"]).all()
    assert (ranges.customers["clv_p50"] <= ranges.customers["clv_p90"]).all()


def test_no_ranges_without_a_covariance():
    bg = BetaGeo.from_params(0.24, 4.4, 0.79, 2.4)  # built from numbers: no fit, no covariance
    gg = GammaGamma.from_params(6.25, 3.74, 15.44)
    one = np.array([1.0])
    assert clv_ranges(bg, gg, one, one, one * 2, one * 20, 52, pd.Series([1.0])) is None
