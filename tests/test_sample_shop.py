"""The bundled demo shop: shape, determinism, realism, and that the models recover its parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clv_xl.customers import summarize
from clv_xl.errors import InvalidArgumentError
from clv_xl.models import BetaGeo, GammaGamma
from clv_xl.orders import read_orders
from clv_xl.sample_shop import SAMPLE_PARAMETERS, sample_orders


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return sample_orders()


def test_columns_and_types(orders):
    assert list(orders.columns) == ["order_id", "customer_id", "order_date", "amount"]
    assert pd.api.types.is_string_dtype(orders["customer_id"])
    assert pd.api.types.is_string_dtype(orders["order_id"])
    assert pd.api.types.is_datetime64_dtype(orders["order_date"])
    assert orders["amount"].dtype == np.float64
    assert orders["customer_id"].str.fullmatch(r"C\d{5}").all()
    assert orders["order_id"].is_unique
    assert (orders["order_date"] == orders["order_date"].dt.normalize()).all()


def test_amounts_are_cents_and_positive(orders):
    assert (orders["amount"] >= 1.0).all()
    assert np.allclose(orders["amount"] * 100, np.round(orders["amount"] * 100))


def test_dates_fill_the_period_in_order(orders):
    assert orders["order_date"].is_monotonic_increasing
    assert orders["order_date"].min() == pd.Timestamp("2024-01-01")
    assert orders["order_date"].max() <= pd.Timestamp("2025-12-31")
    assert orders["order_date"].max() >= pd.Timestamp("2025-12-01")
    assert orders["customer_id"].nunique() == 3000


def test_customers_are_numbered_by_acquisition(orders):
    first = orders.groupby("customer_id")["order_date"].min()
    assert first.is_monotonic_increasing


def test_same_seed_same_orders_other_seed_other_orders():
    a = sample_orders(n_customers=300, seed=5)
    b = sample_orders(n_customers=300, seed=5)
    c = sample_orders(n_customers=300, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not a["amount"].equals(c["amount"])


def test_options_move_the_period():
    orders = sample_orders(n_customers=100, seed=1, start="2020-03-15", months=6)
    assert orders["order_date"].min() == pd.Timestamp("2020-03-15")
    assert orders["order_date"].max() < pd.Timestamp("2020-09-15")


def test_it_looks_like_a_shop(orders):
    summary = summarize(orders, time_unit="W")
    repeat_share = (summary["frequency"] > 0).mean()
    assert 0.3 < repeat_share < 0.65
    assert 40 < orders["amount"].mean() < 80
    # acquisition grows: more new customers in the second year than in the first
    first = orders.groupby("customer_id")["order_date"].min()
    assert (first >= "2025-01-01").sum() > (first < "2025-01-01").sum()


def test_read_orders_accepts_it_unchanged(orders):
    canonical = read_orders(orders)
    assert len(canonical) == len(orders)


def test_models_recover_the_generating_parameters(orders):
    bigger = sample_orders(n_customers=20_000, seed=3)
    summary = summarize(bigger, time_unit="D")
    bg = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    for name in ("r", "alpha", "a", "b"):
        # orders of one day merge into one transaction, which biases slightly; 5 standard errors
        assert abs(bg.params[name] - SAMPLE_PARAMETERS[name]) < 5 * bg.standard_errors[name], bg.params
    repeat = summary[summary["frequency"] > 0]
    gg = GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    for name in ("p", "q", "gamma"):
        assert abs(gg.params[name] - SAMPLE_PARAMETERS[name]) < 5 * gg.standard_errors[name], gg.params


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"n_customers": 0}, "n_customers"),
        ({"n_customers": 2.5}, "n_customers"),
        ({"months": 0}, "months"),
        ({"start": "not a date"}, "start"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments(kwargs, argument):
    with pytest.raises(InvalidArgumentError) as info:
        sample_orders(**kwargs)
    assert info.value.argument == argument
