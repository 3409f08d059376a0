"""The Forecast sheet says when the BG/NBD fit is degenerate (drop-out not heterogeneous in the data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from clv_xl.report import build_report
from tests.simulations import bgnbd_purchases


def same_drop_out_orders(n_customers: int = 2000, seed: int = 2) -> pd.DataFrame:
    """Orders of customers who all drop out with the same probability p = 0.1 after each purchase."""
    rng = np.random.default_rng(seed)
    first_day = rng.integers(0, 300, n_customers)
    T = (400 - first_day).astype(float)
    who, when = bgnbd_purchases(0.8, 20.0, 1e9, 9e9, T, rng)
    customers = np.concatenate([np.arange(n_customers), who])
    days = np.concatenate([first_day, first_day[who] + np.floor(when).astype(int)])
    return pd.DataFrame({
        "customer_id": [f"C{c:05d}" for c in customers],
        "order_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
        "amount": np.round(rng.gamma(4.0, 12.0, customers.size) + 1, 2),
    })


def test_degenerate_fit_is_reported_on_the_forecast_sheet(tmp_path: Path) -> None:
    path = build_report(same_drop_out_orders(), tmp_path / "r.xlsx")
    sheet = load_workbook(path)["Forecast"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("not heterogeneous" in t and "penalizer" in t for t in texts), texts[:20]
    assert sheet.max_row > 20  # the per-customer table is still there
