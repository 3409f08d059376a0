"""The pandas engine of the customer summary: per-customer aggregates of canonical orders with numpy.

What xlwings Lite (no DuckDB there) and small files use; the derived columns are those of
:mod:`clv_xl.customers.derived`, as for every engine.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clv_xl.customers.derived import CustomerSummary, customer_summary, observation_end_day
from clv_xl.errors import InvalidArgumentError
from clv_xl.id_codes import id_codes
from clv_xl.orders import read_orders
from clv_xl.validation import check_time_unit, is_canonical_orders

__all__ = ["summarize", "summary_table"]


def _as_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Return canonical orders: the frame itself when it already is one, else what read_orders makes of it."""
    if not isinstance(orders, pd.DataFrame):
        raise InvalidArgumentError(
            "orders", f"orders must be a DataFrame from read_orders; got {type(orders).__name__}"
        )
    return orders if is_canonical_orders(orders) else read_orders(orders)


def _day_numbers(dates: pd.Series) -> np.ndarray:
    return dates.to_numpy().astype("datetime64[D]").astype("int64")


def summarize(
    orders: pd.DataFrame,
    observation_end: object = None,
    time_unit: str = "D",
    segment_shares: tuple[float, float] = (0.8, 0.95),
    margin: float = 1.0,
) -> pd.DataFrame:
    """Summarise each customer: RFM in the lifetimes conventions, revenue, dates, AOV, CLV to date, segment.

    Parameters
    ----------
    orders : pandas.DataFrame
        Canonical orders from :func:`clv_xl.orders.read_orders` (another frame goes through it first).
    observation_end : date-like, optional
        End of the observation period (its whole day counts); later orders are left out. None: the day of the
        last order.
    time_unit : {"D", "W", "M", "Y"}
        Unit of ``recency`` and ``T``: days, weeks (days / 7), months (days / 30.4375), years (days / 365.25).
    segment_shares : tuple of float
        Cumulative revenue shares closing the "High" and "Mid" segments (see the module notes).
    margin : float
        Gross margin applied to revenue for ``historical_clv``; 1 gives revenue.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (sorted), with the columns of
        :data:`~clv_xl.customers.derived.SUMMARY_COLUMNS`; ``attrs`` records
        ``observation_end``, ``time_unit`` and ``orders_after_observation_end`` (orders left out).

    Examples
    --------
    >>> orders = read_orders(pd.DataFrame({
    ...     "customer": ["a", "a", "a", "b"],
    ...     "date": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"],
    ...     "amount": [10.0, 5.0, 20.0, 7.0],
    ... }))
    >>> summarize(orders, observation_end="2024-01-29", time_unit="W")[["frequency", "recency", "T", "monetary_value"]]
                 frequency  recency    T  monetary_value
    customer_id
    a                    1      2.0  4.0            20.0
    b                    0      0.0  3.0             0.0
    >>> summarize(orders)[["orders", "revenue", "aov", "segment"]]
                 orders  revenue   aov segment
    customer_id
    a                 3     35.0  11.67    High
    b                 1      7.0   7.00     Mid
    """
    return summary_table(orders, observation_end, time_unit=time_unit, segment_shares=segment_shares,
                         margin=margin).to_frame()


def summary_table(orders: pd.DataFrame, observation_end: object = None, **options: Any) -> CustomerSummary:
    """:func:`summarize` as a :class:`~clv_xl.customers.derived.CustomerSummary` (frames made on demand).

    ``options`` are :func:`summarize`'s ``time_unit``, ``segment_shares`` and ``margin``.
    """
    check_time_unit(options.get("time_unit", "D"))  # before the work; customer_summary applies it
    orders = _as_orders(orders)
    days = _day_numbers(orders["order_date"])
    end_day = observation_end_day(observation_end, int(days.min()), int(days.max()))
    keep = days <= end_day
    left_out = int((~keep).sum())
    if left_out:
        orders, days = orders[keep], days[keep]
    codes, customers = id_codes(orders["customer_id"], sort=True)
    amount = orders["amount"].to_numpy(dtype="float64")
    n_customers = len(customers)
    # one transaction per (customer, day), found by hashing (no sort)
    first_day_all = int(days.min())
    span = int(days.max()) - first_day_all + 1
    tx_of_order, tx_key = pd.factorize(codes.astype("int64") * span + (days - first_day_all))
    tx_amount = np.bincount(tx_of_order, weights=amount, minlength=len(tx_key))
    tx_customer = tx_key // span
    tx_day = tx_key % span + first_day_all
    first_day = np.full(n_customers, np.iinfo("int64").max)
    np.minimum.at(first_day, tx_customer, tx_day)
    last_day = np.full(n_customers, np.iinfo("int64").min)
    np.maximum.at(last_day, tx_customer, tx_day)
    stamps = orders["order_date"].to_numpy().view("int64")
    first_stamp = np.full(n_customers, np.iinfo("int64").max)
    np.minimum.at(first_stamp, codes, stamps)
    last_stamp = np.full(n_customers, np.iinfo("int64").min)
    np.maximum.at(last_stamp, codes, stamps)
    aggregates = {
        "transactions": np.bincount(tx_customer, minlength=n_customers),
        "first_day": first_day,
        "last_day": last_day,
        "first_amount": np.bincount(
            tx_customer, weights=np.where(tx_day == first_day[tx_customer], tx_amount, 0.0),
            minlength=n_customers,
        ),
        "orders": np.bincount(codes, minlength=n_customers),
        "revenue": np.bincount(codes, weights=amount, minlength=n_customers),
        "first_order": first_stamp.view("datetime64[ns]"),
        "last_order": last_stamp.view("datetime64[ns]"),
    }
    return customer_summary(customers, aggregates, end_day, left_out=left_out, **options)


