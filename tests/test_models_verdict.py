"""The Forecast sheet's verdict: the chosen model's holdout forecast called too high or too low against a hand count.

Truth: the holdout's repeat purchases counted here from the orders with plain pandas (the last third of the days
between the first and the last order held out, span // 3 days; purchase days of the customers who had bought by
the cut), and the direction read from that count and the model's forecast on the sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from clv_xl.report import build_report
from tests.test_model_selection import _pareto_orders


def _holdout_purchases_by_hand(orders: pd.DataFrame) -> int:
    days = orders.assign(day=orders["order_date"].dt.normalize())[["customer_id", "day"]].drop_duplicates()
    start, end = days["day"].min(), days["day"].max()
    cut = end - pd.Timedelta(days=(end - start).days // 3)
    first = days.groupby("customer_id")["day"].min()
    cohort = set(first.index[first <= cut])
    return int(((days["day"] > cut) & days["customer_id"].isin(cohort)).sum())


def test_the_verdict_says_too_high_or_too_low_as_the_hand_count_does(tmp_path: Path) -> None:
    orders = _pareto_orders(700, 8)
    sheet = load_workbook(build_report(orders, tmp_path / "r.xlsx"))["Forecast"]
    column_b = [c.value for c in sheet["B"]]
    verdict = next(v for v in column_b if isinstance(v, str) and " was chosen: " in v)
    chosen = verdict.split(" was chosen: ")[0]
    header = column_b.index("Model")  # the comparison table: label, actual, predicted, ...
    row = header + 1 + column_b[header + 1:header + 4].index(chosen) + 1
    actual, predicted = sheet.cell(row, 3).value, sheet.cell(row, 4).value
    by_hand = _holdout_purchases_by_hand(orders)
    assert actual == by_hand
    right, wrong = ("too high", "too low") if predicted > by_hand else ("too low", "too high")
    assert f"{right} (actual {by_hand:,})" in verdict
    assert wrong not in verdict
