"""calibration_holdout on CDNOW (reproduces the published calibration summary) and on the demo shop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clv_xl.errors import InvalidArgumentError
from clv_xl.models import BetaGeo
from clv_xl.models.holdout import CALIBRATION_HOLDOUT_COLUMNS, calibration_holdout, holdout_comparison
from clv_xl.orders import read_orders
from clv_xl.sample_shop import sample_orders


@pytest.fixture(scope="module")
def cdnow_orders(cdnow_dir) -> pd.DataFrame:
    # CDNOW_sample.txt: master id, sample id (1..2357), YYYYMMDD, number of CDs, dollar value
    return read_orders(cdnow_dir / "CDNOW_sample.txt", customer=1, date=2, amount=4)


@pytest.fixture(scope="module")
def cdnow_split(cdnow_orders) -> pd.DataFrame:
    return calibration_holdout(cdnow_orders, "1997-09-30", "1998-06-30", time_unit="W")


def test_columns_and_attrs(cdnow_split):
    assert tuple(cdnow_split.columns) == CALIBRATION_HOLDOUT_COLUMNS
    assert cdnow_split.index.name == "customer_id"
    assert cdnow_split.attrs["time_unit"] == "W"
    assert cdnow_split.attrs["calibration_end"] == pd.Timestamp("1997-09-30")


def test_calibration_reproduces_the_published_cdnow_summary(cdnow_split, cdnow_dir):
    published = pd.read_csv(cdnow_dir / "cdnow_customers_summary_with_transactions.csv")
    assert len(cdnow_split) == len(published) == 2357
    ours = cdnow_split.sort_index()
    assert ours.index.astype(int).tolist() == published["ID"].tolist()
    np.testing.assert_array_equal(ours["frequency_cal"].to_numpy(), published["x"].to_numpy())
    # the published file rounds weeks to 2 decimals
    np.testing.assert_allclose(ours["recency_cal"].to_numpy(), published["t_x"].to_numpy(), atol=0.0051)
    np.testing.assert_allclose(ours["T_cal"].to_numpy(), published["T"].to_numpy(), atol=0.0051)
    np.testing.assert_allclose(ours["monetary_value_cal"].to_numpy(), published["zbar"].to_numpy(), atol=0.0051)


def test_holdout_is_the_next_39_weeks(cdnow_split, cdnow_orders):
    assert (cdnow_split["duration_holdout"] == 273 / 7).all()  # 1997-10-01 .. 1998-06-30
    later = cdnow_orders[cdnow_orders["order_date"] > "1997-09-30"]
    purchase_days = later.drop_duplicates(["customer_id", "order_date"])
    assert cdnow_split["frequency_holdout"].sum() == len(purchase_days)


def test_bgnbd_tracks_the_cdnow_holdout(cdnow_split):
    bg = BetaGeo().fit(cdnow_split["frequency_cal"], cdnow_split["recency_cal"], cdnow_split["T_cal"])
    table = holdout_comparison(bg, cdnow_split)
    assert table["n_customers"].sum() == 2357
    assert list(table.index) == list(range(8))
    # FHL (2005), Figure 4: conditional expectations follow the holdout means, rising with calibration frequency
    assert table["predicted"].is_monotonic_increasing
    assert table["actual"].corr(table["predicted"]) > 0.98
    actual = cdnow_split["frequency_holdout"].sum()
    predicted = (table["predicted"] * table["n_customers"]).sum()
    assert predicted == pytest.approx(actual, rel=0.15)


def test_demo_shop_forecast_matches_what_happened():
    orders = sample_orders(n_customers=6000, seed=21)
    split = calibration_holdout(orders, "2025-06-30", "2025-12-31", time_unit="W")
    bg = BetaGeo().fit(split["frequency_cal"], split["recency_cal"], split["T_cal"])
    table = holdout_comparison(bg, split)
    predicted = (table["predicted"] * table["n_customers"]).sum()
    # the shop is drawn from the BG/NBD process, so only sampling noise separates forecast and outcome: with
    # 6,000 customers of very unequal rates it is several percent (this seed is one of the noisier: +11 %)
    assert predicted == pytest.approx(split["frequency_holdout"].sum(), rel=0.15)


def test_customers_acquired_in_the_holdout_are_left_out():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "order_date": pd.to_datetime(["2024-01-01", "2024-02-10", "2024-02-05"]),
            "amount": [10.0, 12.0, 5.0],
        }
    )
    before = orders.copy()
    split = calibration_holdout(orders, "2024-01-31", "2024-02-29", time_unit="D")
    pd.testing.assert_frame_equal(orders, before)
    assert split.index.tolist() == ["a"]
    assert split.loc["a", "frequency_holdout"] == 1
    assert split.loc["a", "monetary_value_holdout"] == 12.0
    assert split.loc["a", "duration_holdout"] == 29.0


def test_same_day_orders_are_one_holdout_transaction():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a"],
            "order_date": pd.to_datetime(["2024-01-01", "2024-02-10", "2024-02-10"]),
            "amount": [10.0, 12.0, 8.0],
        }
    )
    split = calibration_holdout(orders, "2024-01-31", "2024-02-29", time_unit="D")
    assert split.loc["a", "frequency_holdout"] == 1
    assert split.loc["a", "monetary_value_holdout"] == 20.0


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"calibration_end": "2024-03-01", "observation_end": "2024-02-01"}, "observation_end"),
        ({"calibration_end": "1990-01-01", "observation_end": "2024-02-01"}, "calibration_end"),
        ({"calibration_end": "soon", "observation_end": "2024-02-01"}, "calibration_end"),
        ({"calibration_end": "2024-01-15", "observation_end": "2024-02-01", "time_unit": "weeks"}, "time_unit"),
    ],
)
def test_bad_arguments(kwargs, argument):
    orders = sample_orders(n_customers=50, seed=2)
    with pytest.raises(InvalidArgumentError) as info:
        calibration_holdout(orders, **kwargs)
    assert info.value.argument == argument
