"""Hand-worked cases for changes a review showed the suite could not see (issue 17).

Each case is computed by hand from the written definitions (or by plain numpy/pandas counting in the test), and
goes through public functions only (read_orders, churn_series, build_report and the workbook read back), so it
survives moves of the code behind them. The change each case catches is named in its docstring;
benchmarks/mutation.py applies those changes and checks that these tests fail.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from clv_xl.churn import churn_series
from clv_xl.orders import read_orders
from clv_xl.report import build_report


def _orders(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return read_orders(pd.DataFrame(rows, columns=["customer", "date", "amount"]))


# --- churn: "lost in the period that makes inactive_after periods without an order" ---


def test_an_order_exactly_inactive_after_periods_later_keeps_the_customer() -> None:
    """Catches ``gap > inactive_after`` -> ``>=`` (a customer counted lost and back in the month they order).

    inactive_after = 2 months. a orders in Jan and Mar: only February passes without an order, so a is never
    lost. b orders in Jan and Apr: February and March pass without one, so b is lost in March (Jan + 2) and
    returning in April. Churn can be observed only from the third month (nobody can be lost before Jan + 2).
    """
    orders = _orders([("a", "2024-01-10", 5.0), ("b", "2024-01-20", 5.0),
                      ("a", "2024-03-05", 5.0), ("b", "2024-04-02", 5.0)])
    churn = churn_series(orders, period="M", inactive_after=2)
    assert [str(p)[:7] for p in churn["period"]] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    #           start new returning lost end  (by hand, see the docstring)
    expected = [[0, 2, 0, 0, 2],   # Jan: a and b arrive
                [2, 0, 0, 0, 2],   # Feb
                [2, 0, 0, 1, 1],   # Mar: b lost (Feb, Mar without an order); a ordered: still on the books
                [1, 0, 1, 0, 2]]   # Apr: b is back (returning, not new)
    counts = ["customers_at_start", "new_customers", "returning_customers", "lost_customers", "customers_at_end"]
    assert churn[counts].to_numpy().tolist() == expected
    # churn = lost / start, retention = (end - new - returning) / start; blank before losses can be seen
    assert churn["churn_rate"].isna().tolist()[:2] == [True, True]
    assert churn["churn_rate"].tolist()[2:] == [0.5, 0.0]
    assert churn["retention_rate"].tolist()[2:] == [0.5, 1.0]


# --- refunds: an order refunded in full is no purchase ---


def test_an_order_refunded_in_full_through_a_refunded_amount_column_is_dropped(tmp_path: Path) -> None:
    """Catches ``amount - refunded <= 0`` -> ``< 0`` (a fully refunded order kept as a $0 purchase).

    Three orders: a's $50 refunded in full (no purchase), a's $40 refunded $10 (a $30 purchase), b's $20.
    """
    path = tmp_path / "orders.csv"
    path.write_text("customer,date,amount,refunded amount\n"
                    "a,2024-01-05,50.00,50.00\n"
                    "a,2024-02-01,40.00,10.00\n"
                    "b,2024-01-10,20.00,0\n", encoding="utf-8")
    orders = read_orders(path)
    assert sorted(zip(orders["customer_id"], orders["amount"], strict=True)) == [("a", 30.0), ("b", 20.0)]
    assert orders.loc[orders["customer_id"] == "a", "order_date"].tolist() == [pd.Timestamp("2024-02-01")]


# --- the report's monthly churn and retention, recalculated by LibreOffice ---


@pytest.fixture(scope="module")
def tiny_report_recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from tests.libreoffice import recalculate
    from tests.test_report_libreoffice import Recalculated

    orders = _orders([("a", "2023-01-10", 10.0), ("b", "2023-01-15", 20.0), ("c", "2023-02-03", 30.0),
                      ("b", "2023-06-20", 40.0), ("b", "2024-03-01", 50.0), ("a", "2024-03-20", 60.0)])
    folder = tmp_path_factory.mktemp("tiny")
    path = build_report(orders, folder / "tiny.xlsx", inactive_after=12)
    book = Recalculated(recalculate(path, folder / "lo"))
    return {key: book.named(f"kpi_{key}") for key in ("churn", "retention", "customers", "orders", "revenue")}


def test_report_churn_and_retention_on_a_hand_counted_history(tiny_report_recalculated: dict[str, object]) -> None:
    """Catches retention (or churn) redefined the same way in Python and in the workbook.

    Monthly series, a customer lost after 12 months without an order (given), Jan 2023 .. Mar 2024: a buys
    Jan 2023 and Mar 2024 (lost Jan 2024, returning Mar 2024); b buys Jan, Jun 2023 and Mar 2024 (never lost);
    c buys Feb 2023 (lost Feb 2024). Losses can be seen only from Jan 2024 (Jan 2023 + 12), so the pooled churn
    covers Jan, Feb, Mar 2024: customers at the start 3, 2, 1 (6 in all), lost 1, 1, 0 (2 in all).
    Churn = Σ lost / Σ start = 2/6; retention = 1 - churn = 4/6.
    """
    k = tiny_report_recalculated
    assert (k["customers"], k["orders"], k["revenue"]) == (3, 6, 210)
    assert k["churn"] == pytest.approx(2 / 6, rel=1e-12)
    assert k["retention"] == pytest.approx(4 / 6, rel=1e-12)


# --- the Forecast sheet's calibration vs holdout check ---


def _simulated_orders(seed: int = 7) -> tuple[pd.DataFrame, pd.Timestamp]:
    """400 customers buying as Poisson processes over days 0..359 (plain numpy), 150 of them on the cut day.

    The Forecast sheet splits the history at two thirds of its span: first day 2024-01-01 (day 0), last day
    day 359, so the cut is day 359 * 2 // 3 = 239; orders on day 239 belong to the calibration period.
    """
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, int]] = [("anchor", 0), ("anchor", 359)]
    for c in range(400):
        first = int(rng.integers(0, 200))
        rate = rng.gamma(0.8, 1 / 30)  # purchases a day
        days = first + np.cumsum(rng.exponential(1 / rate, 30)).astype(int)
        rows += [(f"c{c:03d}", first)] + [(f"c{c:03d}", int(d)) for d in days if d <= 359]
        if c < 150 and first < 239:
            rows.append((f"c{c:03d}", 239))  # the cut day
    start = pd.Timestamp("2024-01-01")
    frame = pd.DataFrame(rows, columns=["customer", "day"])
    frame["date"] = start + pd.to_timedelta(frame["day"], unit="D")
    frame["amount"] = np.round(rng.gamma(3.0, 10.0, len(frame)) + 1.0, 2)
    return frame, start + pd.Timedelta(days=239)


def test_forecast_sheet_holdout_check_counts_purchases_after_the_cut_day(tmp_path: Path) -> None:
    """Catches the holdout window including the cut day, and the actual and predicted columns swapped.

    The last 120 days (days 240..359) are held out, so day 239 (the cut day, with 150 customers ordering on it)
    belongs to the calibration period. Actual repeat purchases in the holdout, counted here with plain pandas:
    the distinct (customer, day) pairs after day 239 of the customers who bought on or before it.
    """
    frame, cut = _simulated_orders()
    seen = frame.groupby("customer")["date"].transform("min") <= cut
    after = frame[seen & (frame["date"] > cut)]
    expected = len(after.drop_duplicates(["customer", "date"]))
    path = build_report(read_orders(frame[["customer", "date", "amount"]]), tmp_path / "r.xlsx", holdout_days=120)
    sheet = load_workbook(path)["Forecast"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    header = cells["Actual repeat purchases"]
    assert sheet.cell(header.row, header.column + 1).value == "Predicted repeat purchases"
    rows = range(header.row + 1, header.row + 4)  # BG/NBD, MBG/NBD, Pareto/NBD
    assert [sheet.cell(r, header.column - 1).value for r in rows] == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    for r in rows:
        assert sheet.cell(r, header.column).value == expected
        predicted = sheet.cell(r, header.column + 1).value
        assert isinstance(predicted, float) and predicted > 0 and predicted != expected


# --- statuses: WooCommerce's order statuses (woocommerce.com docs, "Managing orders") ---


def test_cancelled_refunded_and_failed_woocommerce_orders_are_no_sales() -> None:
    """Catches a "no sale" status (e.g. British "cancelled") missing from the vocabulary: the order would count."""
    raw = pd.DataFrame({
        "Customer": ["a", "b", "c", "d", "e"],
        "Order Date": [f"2024-01-0{d}" for d in range(1, 6)],
        "Order Total": [10.0, 20.0, 30.0, 40.0, 50.0],
        "Status": ["Completed", "Cancelled", "Refunded", "Failed", "completed"],
    })
    orders = read_orders(raw)
    assert sorted(zip(orders["customer_id"], orders["amount"], strict=True)) == [("a", 10.0), ("e", 50.0)]
