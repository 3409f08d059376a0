"""What every engine shares: the canonical orders as an Arrow table, and the summary from a query function.

An engine is a function running SQL and returning a pandas frame; :func:`summary_with` runs the two queries of
:mod:`clv_xl.engines.summary_sql` with it and finishes the table with
:func:`clv_xl.customers.summary_from_aggregates` (the one definition of the derived columns).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from clv_xl.customers import AGGREGATE_COLUMNS, observation_end_day, summary_from_aggregates
from clv_xl.engines.summary_sql import bounds_query, histories_query, summary_query
from clv_xl.errors import DataError
from clv_xl.validation import TIME_UNITS, check_time_unit

__all__ = ["orders_table", "summary_with", "histories_with", "Query"]

#: Runs one SQL statement and returns its result as a pandas frame.
Query = Callable[[str], pd.DataFrame]


def orders_table(orders: pd.DataFrame) -> pa.Table:
    """Canonical orders (from :func:`clv_xl.orders.read_orders`) as the columns the orders view has.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a"], "order_date": pd.to_datetime(["2024-01-02 10:00"]),
    ...                        "amount": [5.0]})
    >>> orders_table(orders).to_pydict()["day"]
    [19724]
    """
    stamps = orders["order_date"].to_numpy().astype("datetime64[us]")
    return pa.table({
        "customer_id": pa.array(orders["customer_id"].astype("str").to_numpy(dtype=object), pa.string()),
        "day": pa.array(stamps.astype("datetime64[D]").astype("int64")),
        "stamp": pa.array(stamps, pa.timestamp("us")),
        "amount": pa.array(orders["amount"].to_numpy(dtype="float64")),
    })


def summary_with(query: Query, *, observation_end: object = None, **options: Any) -> pd.DataFrame:
    """The summary of :func:`clv_xl.customers.summarize`, aggregated by ``query`` over the orders view.

    Parameters
    ----------
    query : callable
        Runs SQL on an engine where the view :data:`~clv_xl.engines.summary_sql.ORDERS_VIEW` exists.
    observation_end : date-like, optional
        As in :func:`clv_xl.customers.summarize`.
    **options
        ``time_unit``, ``segment_shares``, ``margin``: as in :func:`clv_xl.customers.summarize`.

    Returns
    -------
    pandas.DataFrame
        Same columns, index, order and ``attrs`` as :func:`clv_xl.customers.summarize`.
    """
    if observation_end is None:  # one pass: the end is the last order day, nothing is left out
        aggregates = _aggregates(query(summary_query(None)))
        if aggregates.empty:
            raise DataError(_NOTHING_LEFT)
        end_day, left_out = int(aggregates["last_day"].max()), 0
    else:
        end_day, n_orders = _end_day(query, observation_end)
        aggregates = _aggregates(query(summary_query(end_day)))
        left_out = n_orders - int(np.sum(aggregates["orders"].to_numpy()))
    return summary_from_aggregates(aggregates, end_day, left_out=left_out, **options)


_NOTHING_LEFT = "no orders left after cleaning: check the customer, date and amount columns"


def _aggregates(rows: pd.DataFrame) -> pd.DataFrame:
    aggregates = rows.set_index("customer_id").loc[:, list(AGGREGATE_COLUMNS)]
    return aggregates if aggregates.index.is_monotonic_increasing else aggregates.sort_index()


def _end_day(query: Query, observation_end: object) -> tuple[int, int]:
    bounds = query(bounds_query())
    first_day, last_day, n_orders = (bounds.iloc[0, i] for i in range(3))
    if not n_orders:
        raise DataError(_NOTHING_LEFT)
    return observation_end_day(observation_end, int(first_day), int(last_day)), int(n_orders)


def histories_with(query: Query, *, observation_end: object = None, time_unit: str = "D") -> pd.DataFrame:
    """Distinct (frequency, recency, T) histories with their number of customers, aggregated by ``query``.

    Fit a purchase model on them with ``weights``: ``BetaGeo().fit(h.frequency, h.recency, h.T,
    weights=h.customers)`` equals the fit on every customer's row.

    Returns
    -------
    pandas.DataFrame
        Columns ``frequency``, ``recency``, ``T`` (in ``time_unit``) and ``customers``, sorted.
    """
    unit = TIME_UNITS[check_time_unit(time_unit)]
    end_day, _ = _end_day(query, observation_end)
    rows = query(histories_query(end_day)).sort_values(["frequency", "recency_days", "t_days"], ignore_index=True)
    return pd.DataFrame({
        "frequency": rows["frequency"].to_numpy(dtype="int64"),
        "recency": rows["recency_days"].to_numpy(dtype="int64") / unit,
        "T": rows["t_days"].to_numpy(dtype="int64") / unit,
        "customers": rows["customers"].to_numpy(dtype="int64"),
    })
