"""The intake's count of same-day orders (clv_xl.orders.canonical) against Python's set of (customer, day) pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clv_xl.orders import read_orders


@pytest.mark.parametrize("clock", ["dates", "times", "zoned"])
def test_same_day_orders_match_a_set(clock: str) -> None:
    rng = np.random.default_rng(len(clock))
    n = 5_000
    stamps = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    if clock != "dates":
        stamps = stamps + pd.to_timedelta(rng.integers(0, 86_400, n), unit="s")
    if clock == "zoned":
        stamps = stamps.tz_localize("Asia/Tokyo")  # no summer time: every local time exists
    customers = [f"c{i}" for i in rng.integers(0, 500, n)]
    orders = read_orders(pd.DataFrame({"customer": customers, "date": stamps, "amount": 1.0}))
    days = [str(stamp)[:10] for stamp in stamps]  # the local day, as written
    assert orders.attrs["cleaning_report"].same_day_orders == n - len(set(zip(customers, days, strict=True)))
