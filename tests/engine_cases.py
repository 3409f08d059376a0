"""Inputs shared by the engine tests: CDNOW as plain files, the export corpus as one frame, the published summary."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from clv_xl.orders import read_orders

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
#: The figures the engines must agree on (issue 15).
FIGURES = ["frequency", "recency", "T", "monetary_value", "revenue", "orders"]


def cdnow_sample_plain(folder: Path) -> Path:
    """CDNOW_sample.txt as a plain Parquet file (sample id, date, dollars), read with pandas alone."""
    raw = pd.read_csv(DATA / "cdnow" / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["master", "customer", "date", "cds", "dollars"], dtype={"date": str})
    plain = pd.DataFrame({"customer": raw["customer"], "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
                          "amount": raw["dollars"]})
    path = folder / "cdnow_sample.parquet"
    plain.to_parquet(path, index=False)
    return path


def assert_published_cdnow(summary: pd.DataFrame) -> None:
    """The summary of CDNOW_sample up to 1997-09-30 in weeks equals Fader & Hardie's published one."""
    published = pd.read_csv(DATA / "cdnow" / "cdnow_customers_summary_with_transactions.csv", index_col="ID")
    assert len(summary) == len(published) == 2_357
    summary = summary.set_axis(summary.index.astype(int)).loc[published.index]
    np.testing.assert_array_equal(summary["frequency"].to_numpy(), published["x"].to_numpy())
    np.testing.assert_array_equal(summary["recency"].round(2).to_numpy(), published["t_x"].to_numpy())
    np.testing.assert_array_equal(summary["T"].round(2).to_numpy(), published["T"].to_numpy())
    np.testing.assert_allclose(summary["monetary_value"], published["zbar"], rtol=0, atol=0.005 + 1e-9)


def export_corpus() -> pd.DataFrame:
    """Every file of the export corpus cleaned by read_orders, customers prefixed by their file, in one frame."""
    expected = {k: v for k, v in json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8")).items()
                if not k.startswith("_")}
    frames = []
    for name in sorted(expected):
        orders = read_orders(EXPORTS / name)
        frames.append(orders[["customer_id", "order_date", "amount"]].assign(
            customer_id=name + "/" + orders["customer_id"].astype(str)))
    return read_orders(pd.concat(frames, ignore_index=True), customer="customer_id", date="order_date",
                       amount="amount")


def export_totals() -> tuple[int, int, float]:
    """Customers, paid orders and revenue of the corpus, summed from the hand counts of expected.json."""
    expected = [v for k, v in json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8")).items()
                if not k.startswith("_")]
    return (sum(e["customers"] for e in expected), sum(e["paid_orders"] for e in expected),
            round(sum(e["revenue"] for e in expected), 2))


def assert_same_summary(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Same customers in the same order, equal figures (integers exactly; sums of amounts to 1e-12 relative, the
    engines adding the same amounts in another order), same dates, segments and attrs."""
    assert left.index.tolist() == right.index.tolist()
    for column in ("frequency", "orders"):
        np.testing.assert_array_equal(left[column].to_numpy(), right[column].to_numpy())
    for column in ("recency", "T", "monetary_value", "revenue", "aov"):
        np.testing.assert_allclose(left[column].to_numpy(), right[column].to_numpy(), rtol=1e-12, atol=1e-9)
    for column in ("first_order", "last_order", "segment"):
        assert left[column].tolist() == right[column].tolist(), column
    assert left.attrs == right.attrs
