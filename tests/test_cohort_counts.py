"""Cohort tables (clv_xl.customers.cohorts) against plain Python sets and sums over random orders."""

from __future__ import annotations

import collections

import numpy as np
import pandas as pd
import pytest

from clv_xl.customers import cohorts


@pytest.mark.parametrize("period", ["D", "W", "M", "Q"])
def test_active_customers_and_revenue_match_python(period: str) -> None:
    rng = np.random.default_rng(len(period) + ord(period))
    n = 3_000
    dates = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    customers = [f"c{i}" for i in rng.integers(0, 300, n)]  # repeat buyers, several orders in one period
    amounts = rng.integers(1, 10_000, n) / 100
    orders = pd.DataFrame({"customer_id": customers, "order_date": dates, "amount": amounts})
    table = cohorts(orders, period)

    periods = pd.PeriodIndex(dates, freq=period)
    first: dict[str, pd.Period] = {}
    for customer, p in zip(customers, periods, strict=True):
        first[customer] = min(first.get(customer, p), p)
    active = collections.defaultdict(set)
    revenue: collections.Counter[tuple[pd.Timestamp, int]] = collections.Counter()
    for customer, p, amount in zip(customers, periods, amounts, strict=True):
        cell = (first[customer].start_time, (p - first[customer]).n)
        active[cell].add(customer)
        revenue[cell] += amount
    sizes = collections.Counter(p.start_time for p in first.values())
    last = periods.max()

    expected = [(start, k, sizes[start], len(active[(start, k)]))
                for start in sorted(sizes) for k in range((last - pd.Period(start, freq=period)).n + 1)]
    got = list(zip(table["cohort"], table["period_number"], table["cohort_size"], table["active_customers"],
                   strict=True))
    assert got == expected
    assert np.allclose(table["revenue"], [revenue[(start, k)] for start, k, _, _ in expected], rtol=1e-12)
