"""Where the report splits the history for the holdout check, and which orders fall on each side, counted by hand.

Truths: the split is the rule the Forecast sheet states (the last third of the days between the first and the
last order, or the days the analyst gives; at least 28 days held out after at least 90 days of calibration),
worked out here from the orders' dates with date arithmetic; the sides of the split are read off a few orders
placed on the boundary days on purpose.
"""

from __future__ import annotations

import pandas as pd
import pytest

from clv_xl.models.holdout import calibration_holdout
from clv_xl.report.forecast_data import validate_models
from tests.test_model_selection import _pareto_orders


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return _pareto_orders(700, 8)  # two years; first orders over the first one (plain numpy)


def _span(orders: pd.DataFrame) -> int:
    return (orders["order_date"].max().normalize() - orders["order_date"].min().normalize()).days


def _cohort_by_hand(orders: pd.DataFrame, holdout: int) -> int:
    """Customers whose first order is on or before the last calibration day."""
    cut = orders["order_date"].max().normalize() - pd.Timedelta(days=holdout)
    firsts = {}
    for customer, day in zip(orders["customer_id"], orders["order_date"].dt.normalize(), strict=True):
        firsts[customer] = min(day, firsts.get(customer, day))
    return sum(day <= cut for day in firsts.values())


def test_the_default_holdout_is_the_last_third_of_the_history(orders):
    span = _span(orders)
    comparison, note, (checked, available) = validate_models(orders, None)
    assert note is None
    assert comparison.holdout_length == pytest.approx((span // 3) / 7)
    assert checked == available == _cohort_by_hand(orders, span // 3)


def test_a_given_holdout_is_used_as_given(orders):
    comparison, note, (checked, available) = validate_models(orders, 60)
    assert note is None
    assert comparison.holdout_length == pytest.approx(60 / 7)
    assert checked == available == _cohort_by_hand(orders, 60)


def test_the_shortest_holdout_and_calibration_are_allowed_one_day_less_is_not(orders):
    span = _span(orders)
    assert validate_models(orders, 28)[1] is None
    assert "too short" in validate_models(orders, 27)[1]
    comparison, note, (checked, available) = validate_models(orders, span - 90)  # exactly 90 days of calibration
    assert note is None
    assert checked == available == _cohort_by_hand(orders, span - 90) < orders["customer_id"].nunique()
    assert "too short" in validate_models(orders, span - 89)[1]


def test_no_holdout_when_none_is_asked_for(orders):
    comparison, note, sample = validate_models(orders, 0)
    assert comparison is None and "0 days" in note and sample == (0, 0)


def test_orders_on_the_boundary_days_fall_on_the_right_side():
    # a: first order on the calibration end -> calibration (T 0), then one on the observation end -> holdout;
    # b: one order the day after the calibration end -> acquired in the holdout, left out;
    # c: orders on the first day, on the calibration end (calibration) and the day after it (holdout)
    orders = pd.DataFrame({
        "customer_id": ["c", "a", "c", "b", "c", "a", "a"],
        "order_date": pd.to_datetime(["2024-01-01", "2024-03-31", "2024-03-31", "2024-04-01", "2024-04-01",
                                      "2024-06-30", "2024-07-01"]),
        "amount": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0],
    })
    split = calibration_holdout(orders, "2024-03-31", "2024-06-30", time_unit="D")
    assert sorted(split.index) == ["a", "c"]
    assert split.loc["a", ["frequency_cal", "T_cal", "frequency_holdout"]].tolist() == [0, 0.0, 1]
    assert split.loc["a", "monetary_value_holdout"] == 60.0  # the order of 2024-07-01 is after the observation end
    assert split.loc["c", ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout"]].tolist() == [1, 90.0, 90.0, 1]
    assert split.loc["c", "monetary_value_cal"] == 30.0
    assert (split["duration_holdout"] == 91.0).all()  # April 1 to June 30
