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

import pandas as pd

MASTER = Path(__file__).parents[1] / "data" / "cdnow" / "CDNOW_master.txt"
DAYS_PER_YEAR = 365.25  # the Definitions sheet annualises with the Julian year
SEGMENT_SHARES = (0.8, 0.95)  # High / Mid / Low: ABC analysis on revenue, 80 % and 95 % of the total


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


def purchases_per_customer_per_year(orders: pd.DataFrame) -> float:
    """Orders per customer-year observed; a customer is observed from their first order day to the data's last
    day, both days counted."""
    first = orders.groupby("customer")["date"].min()
    observed_days = ((orders["date"].max() - first).dt.days + 1).sum()
    return order_count(orders) / (observed_days / DAYS_PER_YEAR)


#: Dashboard figures by their defined name ``kpi_<key>``.
FIGURES: dict[str, Callable[[pd.DataFrame], float]] = {
    "customers": customers,
    "orders": order_count,
    "revenue": revenue,
    "aov": aov,
    "years": years,
    "frequency": purchases_per_customer_per_year,
}


def segments(orders: pd.DataFrame) -> pd.DataFrame:
    """Customers, revenue, orders and mean historical CLV of the High / Mid / Low segments.

    Historical CLV is "revenue of the customer so far" (the report's Definitions sheet).

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
    return table.loc[["High", "Mid", "Low"]]


def main() -> None:
    """Print every figure."""
    orders = read_master()
    for key, figure in FIGURES.items():
        print(f"{key:>10} {figure(orders):.10g}")
    print(segments(orders).to_string())


if __name__ == "__main__":
    main()
