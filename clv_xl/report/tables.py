"""The report's tables besides the forecast, from the customer summary and the monthly data.

The value segments, the Cohorts and Churn sheets' tables, the monthly tables computed by pandas (the engines compute
the same record in SQL: :mod:`clv_xl.engines.activity`), the ranges the key figures read, and the Excel date serials
and month labels they are written with. :mod:`clv_xl.report.content` assembles them into the report's content.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl.churn import InactivityWindow, choose_inactivity_window, churn_series
from clv_xl.customers import cohorts
from clv_xl.customers.aggregate import _as_orders
from clv_xl.engines.activity import ActivityTables
from clv_xl.inactivity import active_periods
from clv_xl.report.labels import SEGMENT_KEYS

__all__ = ["excel_serial", "period_label", "segment_table", "cohort_table", "churn_table", "activity_tables",
           "kpi_ranges"]

_EPOCH = np.datetime64("1899-12-30T00:00:00", "ns")


def excel_serial(dates: pd.Series | pd.Index | np.ndarray) -> np.ndarray:
    """Convert datetimes to Excel serial day numbers (1900 date system).

    Parameters
    ----------
    dates : Series, Index or ndarray of datetime64
        Naive or time-zone aware (the wall-clock time is kept).

    Returns
    -------
    ndarray of float
        Days since 1899-12-30; NaN for missing dates.

    Examples
    --------
    >>> excel_serial(pd.Series([pd.Timestamp("1900-03-01"), pd.Timestamp("2024-01-01 12:00")])).tolist()
    [61.0, 45292.5]
    """
    values = pd.DatetimeIndex(dates)
    if values.tz is not None:
        values = values.tz_localize(None)
    ns = values.values.astype("datetime64[ns]")
    out = (ns - _EPOCH).astype("int64").astype(np.float64) / 86_400e9
    out[np.isnat(ns)] = np.nan
    return out


def period_label(value: object) -> str:
    """Label a month (Period, Timestamp or text) as ``YYYY-MM``.

    Parameters
    ----------
    value : object
        A ``pd.Period``, a timestamp or a string.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> period_label(pd.Period("1997-03", "M")), period_label(pd.Timestamp("1997-03-15")), period_label("Q1")
    ('1997-03', '1997-03', 'Q1')
    """
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m")
    return str(value)


def segment_table(customers: pd.DataFrame) -> pd.DataFrame:
    """One row per value segment (High, Mid, Low, every one even when empty): customers, revenue, orders, avg_clv.

    Examples
    --------
    >>> customers = pd.DataFrame({"segment": ["High", "Low", "High"], "revenue": [10.0, 1.0, 20.0],
    ...                           "orders": [2, 1, 3], "historical_clv": [3.0, 0.3, 6.0]})
    >>> segment_table(customers)["customers"].tolist()
    [2.0, 0.0, 1.0]
    """
    grouped = customers.groupby("segment", observed=True)
    frame = pd.DataFrame({
        "customers": grouped.size(),
        "revenue": grouped["revenue"].sum(),
        "orders": grouped["orders"].sum(),
        "avg_clv": grouped["historical_clv"].mean(),
    }).reindex(list(SEGMENT_KEYS))
    frame[["customers", "revenue", "orders"]] = frame[["customers", "revenue", "orders"]].fillna(0)
    return frame.rename_axis("segment").reset_index()


def cohort_table(long: pd.DataFrame) -> pd.DataFrame:
    """The Cohorts sheet's table (one row a cohort, retention by month since) from monthly cohorts in long form."""
    if long.empty:
        return pd.DataFrame(columns=["cohort", "size", "revenue"])
    long = long.assign(cohort=[period_label(c) for c in long["cohort"]])
    matrix = long.pivot_table(index="cohort", columns="period_number", values="retention", aggfunc="first")
    matrix = matrix.reindex(columns=range(int(long["period_number"].max()) + 1))
    head = long.groupby("cohort").agg(size=("cohort_size", "first"), revenue=("revenue", "sum"))
    table = head.join(matrix).sort_index()
    return table.rename_axis("cohort").reset_index()


def churn_table(activity: ActivityTables) -> pd.DataFrame:
    """The Churn sheet's table: the monthly churn series with each month's orders and revenue."""
    series = activity.churn.copy()
    series["period"] = [period_label(p) for p in series["period"]]
    series["orders"] = series["period"].map(activity.monthly["size"]).fillna(0).astype("int64")
    series["revenue"] = series["period"].map(activity.monthly["sum"]).fillna(0.0)
    return series.reset_index(drop=True)


def activity_tables(orders: pd.DataFrame, inactive_after: int | None = None) -> ActivityTables:
    """The monthly cohorts, churn series, orders and revenue per month of cleaned orders, computed by pandas.

    ``inactive_after`` (months) is the churn's inactivity window; None chooses it from the data. The engines
    compute the same record in SQL (:func:`clv_xl.engines.activity.activity_with`).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 20.0, 30.0],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-10"])})
    >>> tables = activity_tables(orders, 1)
    >>> tables.monthly["sum"].to_dict(), tables.churn["lost_customers"].tolist()
    ({'2024-01': 10.0, '2024-02': 30.0, '2024-03': 20.0}, [0, 1, 1])
    """
    orders = _as_orders(orders)  # the pairs below are read from the orders as the tables' functions clean them
    active = active_periods(orders, "M")  # the window and the churn series both read them: computed once
    window = (choose_inactivity_window(orders, active=active) if inactive_after is None
              else InactivityWindow(int(inactive_after), "M", "given"))
    monthly = orders.groupby(orders["order_date"].dt.to_period("M"))["amount"].agg(["size", "sum"])
    monthly.index = [period_label(p) for p in monthly.index]  # a label per month, not per order
    churn = churn_series(orders, period="M", inactive_after=window.periods, active=active)
    return ActivityTables(cohorts(orders, period="M"), churn, monthly, window)


def kpi_ranges(customers: pd.DataFrame, churn: pd.DataFrame) -> dict[str, np.ndarray]:
    """The numeric columns of the Customers and Churn sheets as the key figures read them (dates as serials).

    Parameters
    ----------
    customers, churn : pandas.DataFrame
        The Customers and Churn tables.

    Returns
    -------
    dict of str to ndarray
        ``customers.<column>`` and ``churn.<column>``, as floats (NaN where a cell is blank).

    Examples
    --------
    >>> ranges = kpi_ranges(pd.DataFrame({"revenue": [1.0, 2.0], "first_order": pd.to_datetime(["1900-03-01"] * 2)}),
    ...                     pd.DataFrame({"churn_rate": [None, 0.5]}))
    >>> ranges["customers.first_order"].tolist(), ranges["churn.churn_rate"].tolist()
    ([61.0, 61.0], [nan, 0.5])
    """
    data: dict[str, np.ndarray] = {}
    for prefix, frame in (("customers", customers), ("churn", churn)):
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_datetime64_any_dtype(values):
                data[f"{prefix}.{column}"] = excel_serial(values)
            elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                data[f"{prefix}.{column}"] = values.to_numpy(dtype=float)
    return data
