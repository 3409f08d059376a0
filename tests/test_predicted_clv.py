"""predicted_clv and forecast_table: definitions, discounting, time units, validation."""

from __future__ import annotations

import pandas as pd
import pytest

from clv_xl.customers import summarize
from clv_xl.errors import InvalidArgumentError
from clv_xl.models import BetaGeo, GammaGamma, discount_rate_per_period, forecast_table, predicted_clv
from clv_xl.sample_shop import sample_orders

BG = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)  # CDNOW, weeks
GG = GammaGamma.from_params(6.25, 3.74, 15.44)


@pytest.fixture(scope="module")
def cdnow(cdnow_dir) -> pd.DataFrame:
    frame = pd.read_csv(cdnow_dir / "cdnow_customers_summary_with_transactions.csv", index_col="ID")
    return frame.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return sample_orders(n_customers=2000, seed=11)


def test_undiscounted_clv_is_purchases_times_spend_times_margin(cdnow):
    clv = predicted_clv(BG, GG, cdnow, horizon=39, time_unit="W", margin=0.3)
    purchases = BG.expected_purchases(39, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    spend = GG.expected_spend(cdnow["frequency"], cdnow["monetary_value"])
    pd.testing.assert_series_equal(clv, (0.3 * spend * purchases).rename("predicted_clv"), rtol=1e-12)


def test_cdnow_customer_1_by_hand(cdnow):
    # x = 2, t_x = 30.43, T = 38.86, zbar = 22.35. Expected spend, Fader & Hardie (2013) eq. 5, by hand:
    # p (gamma + x zbar) / (p x + q - 1) = 6.25 (15.44 + 44.70) / (12.50 + 2.74) = 375.875 / 15.24 = 24.663714...
    spend = 6.25 * (15.44 + 2 * 22.35) / (6.25 * 2 + 3.74 - 1)
    # expected purchases in 39 weeks at BG's parameters: lifetimes 0.11.3 gives 1.2259226579870348
    # (tests/independent/lifetimes_reference.json, at_params mle_4_decimals; FHL 2005 publish 1.226)
    purchases = 1.2259226579870348
    clv = predicted_clv(BG, GG, cdnow.loc[[1]], horizon=39, time_unit="W")
    assert clv.loc[1] == pytest.approx(purchases * spend, rel=1e-9)


def test_discounting_by_hand_with_a_partial_last_period():
    summary = pd.DataFrame({"frequency": [3], "recency": [20.0], "T": [30.0], "monetary_value": [40.0]})
    horizon, yearly = 2.5, 0.2
    d = (1 + yearly) ** (7 / 365.25) - 1
    e = [BG.expected_purchases(t, 3, 20.0, 30.0) for t in (0.0, 1.0, 2.0, 2.5)]
    expected_purchases = (e[1] - e[0]) / (1 + d) + (e[2] - e[1]) / (1 + d) ** 2 + (e[3] - e[2]) / (1 + d) ** 3
    expected = 0.5 * GG.expected_spend(3, 40.0) * expected_purchases
    clv = predicted_clv(BG, GG, summary, horizon=horizon, time_unit="W", discount_rate=yearly, margin=0.5)
    assert clv.iloc[0] == pytest.approx(expected, rel=1e-12)


def test_discounting_lowers_clv_monotonically(cdnow):
    values = [
        predicted_clv(BG, GG, cdnow.head(50), horizon=104, time_unit="W", discount_rate=d).sum()
        for d in (0.0, 0.05, 0.1, 0.5)
    ]
    assert values == sorted(values, reverse=True)
    assert values[-1] < values[0]


def test_yearly_rate_conversion():
    assert discount_rate_per_period(0.1, "Y") == pytest.approx(0.1)
    assert (1 + discount_rate_per_period(0.1, "M")) ** 12 == pytest.approx(1.1)
    assert (1 + discount_rate_per_period(0.1, "D")) ** 365.25 == pytest.approx(1.1)
    assert discount_rate_per_period(0.0, "W") == 0.0


def test_same_answer_whatever_the_time_unit(orders):
    # The lifetimes trap: a unit that silently differs between model and horizon multiplies CLV.
    # Here the unit is explicit, so fitting and forecasting in days or in weeks gives the same money.
    results = {}
    for unit, per_year in (("D", 365.25), ("W", 365.25 / 7)):
        summary = summarize(orders, time_unit=unit)
        table, params = forecast_table(summary, horizon=per_year, time_unit=unit, discount_rate=0.1, margin=0.3)
        results[unit] = table
    pd.testing.assert_series_equal(results["D"]["expected_purchases"], results["W"]["expected_purchases"], rtol=1e-4)
    # discounting per day vs per week only shifts cash flows by a few days
    pd.testing.assert_series_equal(results["D"]["predicted_clv"], results["W"]["predicted_clv"], rtol=2e-3)


def test_forecast_table_shape_and_params(orders):
    summary = summarize(orders, time_unit="W")
    before = summary.copy()
    table, params = forecast_table(summary, horizon=26, time_unit="W", discount_rate=0.08, margin=0.4)
    pd.testing.assert_frame_equal(summary, before)
    assert list(table.columns) == ["expected_purchases", "p_alive", "expected_spend", "predicted_clv"]
    assert table.index.equals(summary.index)
    assert table.notna().all().all()
    assert ((table["p_alive"] >= 0) & (table["p_alive"] <= 1)).all()
    assert (table["predicted_clv"] >= 0).all()
    for key in (
        "r",
        "alpha",
        "a",
        "b",
        "p",
        "q",
        "gamma",
        "bgnbd_log_likelihood",
        "gamma_gamma_log_likelihood",
        "frequency_spend_correlation",
        "n_customers",
        "n_repeat_buyers",
        "horizon",
        "time_unit",
        "discount_rate",
        "discount_rate_per_period",
        "margin",
    ):
        assert key in params
    assert params["n_customers"] == len(summary)
    assert params["n_repeat_buyers"] == int(((summary["frequency"] > 0) & (summary["monetary_value"] > 0)).sum())
    # the table agrees with predicted_clv on the same fitted models
    bg = BetaGeo.from_params(params["r"], params["alpha"], params["a"], params["b"])
    gg = GammaGamma.from_params(params["p"], params["q"], params["gamma"])
    clv = predicted_clv(bg, gg, summary, 26, "W", discount_rate=0.08, margin=0.4)
    pd.testing.assert_series_equal(clv, table["predicted_clv"], rtol=1e-12)


def test_time_unit_must_match_the_summary(orders):
    summary = summarize(orders, time_unit="D")
    with pytest.raises(InvalidArgumentError) as info:
        predicted_clv(BG, GG, summary, horizon=52, time_unit="W")
    assert info.value.argument == "time_unit"
    assert "'D'" in str(info.value) and "'W'" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"time_unit": "weeks"}, "time_unit"),
        ({"horizon": 0}, "horizon"),
        ({"horizon": "soon"}, "horizon"),
        ({"discount_rate": 1.5}, "discount_rate"),
        ({"discount_rate": -0.1}, "discount_rate"),
        ({"margin": 30}, "margin"),
    ],
)
def test_bad_arguments_name_themselves(cdnow, kwargs, argument):
    call = {"horizon": 52, "time_unit": "W", **kwargs}
    with pytest.raises(InvalidArgumentError) as info:
        predicted_clv(BG, GG, cdnow, **call)
    assert info.value.argument == argument


def test_missing_columns_are_listed(cdnow):
    with pytest.raises(InvalidArgumentError, match="missing monetary_value"):
        predicted_clv(BG, GG, cdnow.drop(columns="monetary_value"), horizon=52, time_unit="W")


def test_models_must_be_models(cdnow):
    with pytest.raises(InvalidArgumentError) as info:
        predicted_clv({"r": 1}, GG, cdnow, horizon=52, time_unit="W")
    assert info.value.argument == "bg"


def test_new_customer_gets_population_spend(cdnow):
    summary = pd.DataFrame({"frequency": [0], "recency": [0.0], "T": [10.0], "monetary_value": [0.0]})
    clv = predicted_clv(BG, GG, summary, horizon=52, time_unit="W")
    assert clv.iloc[0] == pytest.approx(GG.mean_spend * BG.expected_purchases(52, 0, 0, 10.0), rel=1e-12)
