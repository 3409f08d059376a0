"""The CDNOW report's dashboard figures, computed from the raw file with plain pandas (no clv_xl import).

Run it (``python tests/independent/cdnow_dashboard.py``) to print the figures; ``tests/test_report_independent.py``
compares them with the report recalculated by LibreOffice. Each figure is one small function of the raw orders,
written from the definitions on the report's Definitions sheet (and clv_xl/customers.py's module notes), not from
the package's code; add a figure by adding a function to FIGURES (keyed by the dashboard's ``kpi_<key>`` name) or
to SEGMENT_FIGURES.

The file: tests/data/cdnow/CDNOW_master.txt, whitespace-separated, header ``customer_id date number_of_cds
dollar_value``, dates YYYYMMDD; 69,659 rows, 23,570 customers (see tests/data/cdnow/README.md). Every row is an
order (80 of them of $0.00 are kept: nothing marks them as refunds or cancellations).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

MASTER = Path(__file__).parents[1] / "data" / "cdnow" / "CDNOW_master.txt"
DAYS_PER_YEAR = 365.25  # the Definitions sheet annualises with the Julian year
SEGMENT_SHARES = (0.8, 0.95)  # High / Mid / Low: ABC analysis on revenue, 80 % and 95 % of the total
MARGIN = 0.3  # the report's default margin: historical value = revenue x margin
GAP_PERCENTILE = 90  # the inactivity window: 90th percentile of the gaps between ordering months, rounded up


def read_master(path: Path = MASTER) -> pd.DataFrame:
    """One row per order: customer (text, leading zeros kept), date, amount."""
    raw = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    return pd.DataFrame({
        "customer": raw["customer_id"],
        "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
        "amount": raw["dollar_value"].astype(float),
    })


def customers(orders: pd.DataFrame) -> float:
    """Distinct customer ids."""
    return float(orders["customer"].nunique())


def order_count(orders: pd.DataFrame) -> float:
    """Rows of the file: each is an order."""
    return float(len(orders))


def revenue(orders: pd.DataFrame) -> float:
    """Sum of the order amounts."""
    return float(orders["amount"].sum())


def aov(orders: pd.DataFrame) -> float:
    """Average order value: revenue / orders."""
    return revenue(orders) / order_count(orders)


def years(orders: pd.DataFrame) -> float:
    """Observation period: first to last order day, both days counted, in Julian years."""
    return ((orders["date"].max() - orders["date"].min()).days + 1) / DAYS_PER_YEAR


def _order_months(orders: pd.DataFrame) -> pd.DataFrame:
    """Each customer's distinct ordering months (months counted from year 0), sorted."""
    month = orders["date"].dt.year * 12 + orders["date"].dt.month - 1
    frame = pd.DataFrame({"customer": orders["customer"], "month": month}).drop_duplicates()
    return frame.sort_values(["customer", "month"]).reset_index(drop=True)


def inactivity_window(orders: pd.DataFrame) -> int:
    """Months without an order after which a customer is lost: the 90th percentile of the gaps between a
    customer's consecutive ordering months, rounded up (the Definitions sheet's rule for irregular buying)."""
    gaps = _order_months(orders).groupby("customer")["month"].diff().dropna().to_numpy()
    return max(1, int(np.ceil(np.percentile(gaps, GAP_PERCENTILE) - 1e-9)))


def _books(orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """Customers on the books at each month's end and customers lost in each month, first to last order month.

    An order in month o keeps its customer on the books in months o .. o + window - 1; a customer whose next
    order comes more than ``window`` months later (or never) is lost in month o + window.
    """
    window = inactivity_window(orders)
    f = _order_months(orders)
    first, last = int(f["month"].min()), int(f["month"].max())
    n = last - first + 1
    month = f["month"].to_numpy()
    nxt = f.groupby("customer")["month"].shift(-1).to_numpy()
    cover_end = np.minimum(month + window - 1, last)
    cover_end = np.where(np.isnan(nxt), cover_end, np.minimum(cover_end, nxt - 1)).astype(int)
    delta = np.zeros(n + 1)
    np.add.at(delta, month - first, 1)
    np.add.at(delta, cover_end - first + 1, -1)
    on_books = np.cumsum(delta)[:n]
    lost_month = month + window
    spell_end = np.isnan(nxt) | (nxt - month > window)
    lost = np.bincount(lost_month[spell_end & (lost_month <= last)] - first, minlength=n)
    return on_books, lost, window


def purchases_per_customer_per_year(orders: pd.DataFrame) -> float:
    """Orders per active customer-year: orders / (Σ over months of the customers on the books at the month's end
    / 12), a customer being on the books from an order until the inactivity window passes without one."""
    on_books, _, _ = _books(orders)
    return order_count(orders) / (on_books.sum() / 12)


def monthly_churn(orders: pd.DataFrame) -> float:
    """Pooled monthly churn: Σ lost / Σ customers at the start, over the months from the window's end on (before
    it nobody can be lost yet), where someone was on the books at the start."""
    on_books, lost, window = _books(orders)
    start = np.concatenate(([0.0], on_books[:-1]))
    seen = (np.arange(len(start)) >= window) & (start > 0)
    return float(lost[seen].sum() / start[seen].sum())


#: Dashboard figures by their defined name ``kpi_<key>``.
FIGURES: dict[str, Callable[[pd.DataFrame], float]] = {
    "customers": customers,
    "orders": order_count,
    "revenue": revenue,
    "aov": aov,
    "years": years,
    "frequency": purchases_per_customer_per_year,
    "churn": monthly_churn,
}


def segments(orders: pd.DataFrame) -> pd.DataFrame:
    """Customers, revenue, orders and mean historical CLV of the High / Mid / Low segments.

    Historical CLV is the customer's revenue so far × the margin (the report's Definitions sheet).

    Customers sorted by revenue, largest first; a customer is High while the revenue of the customers before
    them is under 80 % of the total, Mid under 95 %, else Low (ties in revenue change no count: the running sums
    before equal amounts are the same whatever their order).
    """
    per = orders.groupby("customer").agg(revenue=("amount", "sum"), orders=("amount", "size"))
    per = per.sort_values("revenue", ascending=False)
    before = per["revenue"].cumsum() - per["revenue"]
    total = per["revenue"].sum()
    per["segment"] = "Low"
    per.loc[before < SEGMENT_SHARES[1] * total, "segment"] = "Mid"
    per.loc[before < SEGMENT_SHARES[0] * total, "segment"] = "High"
    table = per.groupby("segment").agg(customers=("revenue", "size"), revenue=("revenue", "sum"),
                                       orders=("orders", "sum"), mean_historical_clv=("revenue", "mean"))
    table["mean_historical_clv"] *= MARGIN
    return table.loc[["High", "Mid", "Low"]]


def main() -> None:
    """Print every figure."""
    orders = read_master()
    for key, figure in FIGURES.items():
        print(f"{key:>10} {figure(orders):.10g}")
    print(segments(orders).to_string())


if __name__ == "__main__":
    main()
