"""What DuckDB reports reading from plain files, counted mostly from the summary, against counts made by hand.

The kept orders, customers, same-day orders, dates and total come from sums of the customer summary (no second
grouping of the orders); the dropped rows are counted only when some row was dropped (issue 15). Each test counts
the same file independently - by hand for a small file, with plain numpy for a simulated one - and compares.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from clv_xl.cli import main
from clv_xl.engines.source import open_orders
from clv_xl.orders import read_orders

pytest.importorskip("duckdb")
FIELDS = ("rows_read", "missing_customer", "missing_date", "missing_amount", "refunded_orders_dropped",
          "zero_amounts", "orders", "customers", "same_day_orders")


def intake_of(path: Path, **options: object) -> tuple[pd.DataFrame, dict[str, object]]:
    opened = open_orders(str(path), "duckdb")
    summary = opened.summary(**options)
    report = opened.intake
    counts = {name: getattr(report, name) for name in FIELDS}
    counts.update(first=report.first_order, last=report.last_order, total=report.total_amount)
    return summary, counts


def test_nothing_dropped_counts_zero_orders_and_same_day_orders(tmp_path: Path) -> None:
    # by hand: 6 rows, all kept (one of 0); customers a, b, c; a twice on 2024-01-01 (one same-day order);
    # first 2024-01-01 09:00, last 2024-03-01 12:00; total 10 + 2 + 0 + 4 + 6 + 8 = 30
    plain = pd.DataFrame({
        "customer": ["a", "a", "b", "b", "c", "a"],
        "date": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 18:00", "2024-01-05", "2024-02-01",
                                "2024-02-10", "2024-03-01 12:00"], format="ISO8601"),
        "amount": [10.0, 2.0, 0.0, 4.0, 6.0, 8.0],
    })
    path = tmp_path / "plain.parquet"
    plain.to_parquet(path, index=False)
    _, counts = intake_of(path)
    assert counts == {"rows_read": 6, "missing_customer": 0, "missing_date": 0, "missing_amount": 0,
                      "refunded_orders_dropped": 0, "zero_amounts": 1, "orders": 6, "customers": 3,
                      "same_day_orders": 1, "first": pd.Timestamp("2024-01-01 09:00"),
                      "last": pd.Timestamp("2024-03-01 12:00"), "total": 30.0}
    result = CliRunner().invoke(main, ["summary", str(path), "-o", str(tmp_path / "c.csv"), "--engine", "duckdb"])
    assert result.exit_code == 0, result.output
    for line in ("plain.parquet: 6 rows read, 6 orders of 3 customers, 2024-01-01 to 2024-03-01, total 30.00",
                 "Zero-amount orders (kept): 1",
                 "Same-day orders (one transaction per customer-day in the summary): 1"):
        assert line in result.stderr, line
    assert "(dropped)" not in result.stderr and "negative amounts dropped" not in result.stderr


def simulated(seed: int, n: int, dirty: bool) -> pd.DataFrame:
    """Random plain orders: ~n/8 customers over a year, a few per day; ``dirty`` adds rows the rules drop."""
    rng = np.random.default_rng(seed)
    customers = np.char.add("c", rng.integers(0, n // 8, n).astype(str)).astype(object)
    stamps = np.datetime64("2024-01-01T00:00") + rng.integers(0, 365 * 24 * 60, n).astype("timedelta64[m]")
    amounts = np.round(rng.gamma(2.0, 20.0, n), 2)
    amounts[rng.random(n) < 0.02] = 0.0
    frame = pd.DataFrame({"customer": customers, "date": stamps, "amount": amounts})
    if dirty:
        frame.loc[rng.random(n) < 0.01, "customer"] = None
        frame.loc[rng.random(n) < 0.01, "date"] = pd.NaT
        frame.loc[rng.random(n) < 0.01, "amount"] = np.nan
        negative = rng.random(n) < 0.01
        frame.loc[negative, "amount"] = -frame.loc[negative, "amount"]
    return frame


def counted_with_numpy(frame: pd.DataFrame, end: str | None = None) -> dict[str, object]:
    """The intake's counts of ``frame`` by the rules, in the order read_orders applies them, with numpy alone."""
    customer = frame["customer"].to_numpy(dtype=object)
    stamp = frame["date"].to_numpy(dtype="datetime64[ns]")
    amount = frame["amount"].to_numpy(dtype="float64")
    no_customer = np.array([not isinstance(c, str) for c in customer])  # None or NaN, as pandas stores it
    no_date = ~no_customer & np.isnat(stamp)
    no_amount = ~no_customer & ~np.isnat(stamp) & np.isnan(amount)
    rest = ~no_customer & ~np.isnat(stamp) & ~np.isnan(amount)
    negative = rest & (amount < 0)
    kept = rest & (amount >= 0)
    days = stamp[kept].astype("datetime64[D]").astype("int64")
    ids = customer[kept].astype(str)
    customer_days = {(c, d) for c, d in zip(ids, days, strict=True)}
    counts: dict[str, object] = {
        "rows_read": len(frame), "missing_customer": int(no_customer.sum()), "missing_date": int(no_date.sum()),
        "missing_amount": int(no_amount.sum()), "refunded_orders_dropped": int(negative.sum()),
        "zero_amounts": int((kept & (amount == 0)).sum()), "orders": int(kept.sum()),
        "customers": len(set(ids)), "same_day_orders": int(kept.sum()) - len(customer_days),
        "first": pd.Timestamp(stamp[kept].min()), "last": pd.Timestamp(stamp[kept].max()),
        "total": float(amount[kept].sum()),
    }
    if end is not None:  # the summary's side: orders up to the end day
        counts["summary_orders"] = int((days <= np.datetime64(end, "D").astype("int64")).sum())
    return counts


@pytest.mark.parametrize("dirty", [False, True], ids=["all kept", "rows dropped"])
@pytest.mark.parametrize("end", [None, "2024-09-30"], ids=["all orders", "observation end"])
def test_simulated_orders_are_counted_as_numpy_counts_them(tmp_path: Path, dirty: bool, end: str | None) -> None:
    frame = simulated(7 if dirty else 8, 40_000, dirty)
    path = tmp_path / "orders.parquet"
    frame.to_parquet(path, index=False)
    summary, counts = intake_of(path, observation_end=end)
    expected = counted_with_numpy(frame, end)
    assert counts.pop("total") == pytest.approx(expected.pop("total"), rel=1e-12)
    summary_orders = expected.pop("summary_orders", expected["orders"])
    assert counts == expected
    assert int(summary["orders"].sum()) == summary_orders  # the summary stops at the end; the intake does not
    assert summary.attrs["orders_after_observation_end"] == expected["orders"] - summary_orders
    # read_orders (pandas, another code path) counts the same file the same way
    pandas_side = read_orders(path).attrs["cleaning_report"]
    assert {name: getattr(pandas_side, name) for name in FIELDS} == {name: counts[name] for name in FIELDS}
