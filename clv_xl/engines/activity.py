"""The report's monthly tables from the counts an engine returns: the same frames as the pandas functions.

:mod:`clv_xl.engines.activity_sql` reduces the orders to one row per month (or per cohort and month) in DuckDB or
Spark; the functions here turn those rows into exactly what :func:`clv_xl.customers.cohorts` (monthly),
:func:`clv_xl.churn.choose_inactivity_window` and :func:`clv_xl.churn.churn_series` return for the same orders,
with the definitions of those functions (the tests hold them equal on CDNOW and on the export corpus).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from clv_xl.churn import GAP_PERCENTILE, REGULAR_SHARE, InactivityWindow, series_from_flows
from clv_xl.customers import PERIODS
from clv_xl.engines.activity_sql import (
    CUSTOMER_IDS,
    HASHED_KEY,
    churn_counts_query,
    cohort_counts_query,
    distinct_hashes_query,
    gap_counts_query,
    marked_statements,
)
from clv_xl.engines.run import Query

__all__ = ["ActivityTables", "cohorts_from_counts", "window_from_gaps", "churn_from_counts", "customer_key",
           "activity_with"]


def _month_starts(ordinals: np.ndarray) -> pd.DatetimeIndex:
    return pd.PeriodIndex.from_ordinals(np.asarray(ordinals, dtype="int64"), freq="M").start_time.astype(
        "datetime64[ns]")


def cohorts_from_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """The monthly cohorts of :func:`clv_xl.customers.cohorts` from (cohort, period_number) counts.

    Parameters
    ----------
    rows : pandas.DataFrame
        Columns ``cohort`` (month number), ``period_number``, ``active_customers``, ``revenue``
        (:func:`~clv_xl.engines.activity_sql.cohort_counts_query`).

    Returns
    -------
    pandas.DataFrame
        Long format, every cohort to the last month of the data (inactive months 0).

    Examples
    --------
    >>> rows = pd.DataFrame({"cohort": [648, 648, 648, 649], "period_number": [0, 1, 2, 0],
    ...                      "active_customers": [2, 1, 1, 1], "revenue": [30.0, 5.0, 4.0, 8.0]})
    >>> cohorts_from_counts(rows)[["period_number", "cohort_size", "active_customers", "retention"]].values.tolist()
    [[0.0, 2.0, 2.0, 1.0], [1.0, 2.0, 1.0, 0.5], [2.0, 2.0, 1.0, 0.5], [0.0, 1.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]]
    """
    cohort = rows["cohort"].to_numpy(dtype="int64")
    number = rows["period_number"].to_numpy(dtype="int64")
    firsts = number == 0
    cohort_ids, sizes = cohort[firsts], rows["active_customers"].to_numpy(dtype="int64")[firsts]
    order = np.argsort(cohort_ids)
    cohort_ids, sizes = cohort_ids[order], sizes[order]
    last = int((cohort + number).max())
    lengths = last - cohort_ids + 1
    grid_cohort = np.repeat(cohort_ids, lengths)
    grid_number = np.concatenate([np.arange(n) for n in lengths])
    grid = pd.MultiIndex.from_arrays([grid_cohort, grid_number])
    found = pd.MultiIndex.from_arrays([cohort, number])
    active = pd.Series(rows["active_customers"].to_numpy(dtype="int64"), index=found)
    revenue = pd.Series(rows["revenue"].to_numpy(dtype="float64"), index=found)
    out = pd.DataFrame({
        "cohort": _month_starts(grid_cohort),
        "period_number": grid_number.astype("int64"),
        "cohort_size": np.repeat(sizes, lengths).astype("int64"),
        "active_customers": active.reindex(grid, fill_value=0).to_numpy().astype("int64"),
    })
    out["retention"] = out["active_customers"] / out["cohort_size"]
    out["revenue"] = revenue.reindex(grid, fill_value=0.0).to_numpy().astype("float64")
    return out


def _percentile(values: np.ndarray, counts: np.ndarray, q: float) -> float:
    """``np.percentile(np.repeat(values, counts), q)`` (linear method) without repeating the values."""
    ends = np.cumsum(counts)
    position = (int(ends[-1]) - 1) * (q / 100)
    below = math.floor(position)
    low = float(values[np.searchsorted(ends, below, side="right")])
    high = float(values[np.searchsorted(ends, min(below + 1, int(ends[-1]) - 1), side="right")])
    fraction = position - below
    step = high - low  # numpy's _lerp, from the nearer end
    return high - step * (1 - fraction) if fraction >= 0.5 else low + step * fraction


def window_from_gaps(rows: pd.DataFrame) -> InactivityWindow:
    """The window :func:`clv_xl.churn.choose_inactivity_window` chooses, from the gap counts.

    Parameters
    ----------
    rows : pandas.DataFrame
        Columns ``gap`` (months between consecutive ordering months) and ``gaps`` (how many)
        (:func:`~clv_xl.engines.activity_sql.gap_counts_query`).

    Examples
    --------
    >>> window = window_from_gaps(pd.DataFrame({"gap": [1, 2, 7], "gaps": [1, 1, 1]}))
    >>> window.periods, window.how, round(window.gap_share, 2), window.gaps
    (6, 'percentile', 0.67, 3)
    >>> window_from_gaps(pd.DataFrame({"gap": [1, 3], "gaps": [95, 5]})).how
    'regular'
    """
    rows = rows.sort_values("gap")
    values, counts = rows["gap"].to_numpy(dtype="int64"), rows["gaps"].to_numpy(dtype="int64")
    total = int(counts.sum())
    if total == 0:
        return InactivityWindow(PERIODS["M"], "M", "default")
    if counts.max() >= REGULAR_SHARE * total:
        mode = int(values[np.argmax(counts)])
        return InactivityWindow(mode, "M", "regular", float(counts.max() / total), total)
    window = max(1, math.ceil(_percentile(values, counts, GAP_PERCENTILE) - 1e-9))
    return InactivityWindow(window, "M", "percentile", float(counts[values <= window].sum() / total), total)


def churn_from_counts(rows: pd.DataFrame, window: InactivityWindow) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The monthly :func:`clv_xl.churn.churn_series`, and orders and revenue per month, from the month counts.

    Parameters
    ----------
    rows : pandas.DataFrame
        One row per month with an order: ``month``, ``new_customers``, ``returning_customers``, ``spell_ends``,
        ``orders``, ``revenue`` (:func:`~clv_xl.engines.activity_sql.churn_counts_query` with ``window``).
    window : InactivityWindow
        The window the counts were made with.

    Returns
    -------
    tuple of pandas.DataFrame
        The churn series (every month from the first order's to the last's) and a frame indexed by month label
        (``YYYY-MM``) with columns ``size`` (orders) and ``sum`` (revenue).

    Examples
    --------
    The orders of :func:`clv_xl.churn.churn_series`'s example (a: January, February, May; b: January; c: March),
    lost after one month without an order:

    >>> rows = pd.DataFrame({"month": [648, 649, 650, 652], "new_customers": [2, 0, 1, 0],
    ...     "returning_customers": [0, 0, 0, 1], "spell_ends": [1, 1, 1, 1], "orders": [2, 1, 1, 1],
    ...     "revenue": [30.0, 5.0, 8.0, 1.0]})
    >>> series, monthly = churn_from_counts(rows, InactivityWindow(1))
    >>> series["lost_customers"].tolist(), series["customers_at_end"].tolist(), monthly.index.tolist()[-1]
    ([0, 1, 1, 1, 0], [2, 1, 1, 0, 1], '2024-05')
    """
    w = window.periods
    month = rows["month"].to_numpy(dtype="int64")
    first, last = int(month.min()), int(month.max())
    n = last - first + 1
    at = month - first

    def per_month(column: str) -> np.ndarray:
        out = np.zeros(n, dtype="int64")
        out[at] = rows[column].to_numpy(dtype="int64")
        return out

    new, returning, ends = per_month("new_customers"), per_month("returning_customers"), per_month("spell_ends")
    lost = np.zeros(n, dtype="int64")
    lost[w:] = ends[: max(n - w, 0)]
    series = series_from_flows(new, returning, lost, first, window)
    labels = pd.PeriodIndex.from_ordinals(month, freq="M").astype(str)
    monthly = pd.DataFrame({"size": rows["orders"].to_numpy(dtype="int64"),
                            "sum": rows["revenue"].to_numpy(dtype="float64")}, index=labels)
    return series, monthly


@dataclass
class ActivityTables:
    """The monthly tables of a report, as an engine computed them.

    Attributes
    ----------
    cohorts : DataFrame
        As :func:`clv_xl.customers.cohorts` returns them (monthly).
    churn : DataFrame
        As :func:`clv_xl.churn.churn_series` returns it (monthly).
    monthly : DataFrame
        Orders (``size``) and revenue (``sum``) per month label.
    window : InactivityWindow
        The inactivity window of the churn figures.
    """

    cohorts: pd.DataFrame
    churn: pd.DataFrame
    monthly: pd.DataFrame
    window: InactivityWindow


def customer_key(query: Query, dialect: str, customers: pa.Array | None) -> str:
    """SQL of the key the marked orders are grouped by: a hash of the id when ``customers`` have distinct hashes.

    Examples
    --------
    >>> from clv_xl.engines.duckdb_engine import orders_query
    >>> query = orders_query(pd.DataFrame({"customer_id": ["a"], "order_date": [pd.Timestamp("2024-01-01")],
    ...                                    "amount": [1.0]}))
    >>> customer_key(query, "duckdb", pa.array(["a", "b"])), customer_key(query, "spark", pa.array(["a"]))
    ('hash(customer_id)', 'customer_id')
    """
    if customers is None or dialect not in HASHED_KEY:
        return "customer_id"
    with query.registered(CUSTOMER_IDS, pa.table({"customer_id": customers.cast(pa.string())})):
        distinct = bool(query(distinct_hashes_query(dialect)).iloc[0, 0])
    return HASHED_KEY[dialect] if distinct else "customer_id"


def activity_with(query: Query, end_day: int, inactive_after: int | None = None,
                  dialect: str = "duckdb", customers: pa.Array | None = None) -> ActivityTables:
    """Run the monthly queries with ``query`` (orders up to ``end_day``) and finish the tables.

    The orders, each marked with its month and its customer's first, previous and next ordering month, are
    computed once and kept by the engine (``dialect``: ``"duckdb"`` or
    ``"spark"``, see :func:`~clv_xl.engines.activity_sql.marked_statements`) while the three small queries read
    them, and let go afterwards, also when a query fails. ``inactive_after`` (months) is the window; None
    chooses it from the gaps as :func:`clv_xl.churn.choose_inactivity_window` does. ``customers``, every
    customer's id (those of the summary), lets the orders be grouped by a hash of the id where no two of them share
    one (:func:`customer_key`).
    """
    create, drop = marked_statements(dialect, end_day, key=customer_key(query, dialect, customers))
    try:
        for statement in create:
            query(statement)
        window = (window_from_gaps(query(gap_counts_query())) if inactive_after is None
                  else InactivityWindow(int(inactive_after), "M", "given"))
        churn, monthly = churn_from_counts(query(churn_counts_query(window.periods)), window)
        cohorts = cohorts_from_counts(query(cohort_counts_query()))
    except BaseException:
        # let go of the marked orders, but never let a failing clean-up (an engine already gone) hide the error
        with contextlib.suppress(Exception):
            for statement in drop:
                query(statement)
        raise
    for statement in drop:
        query(statement)
    return ActivityTables(cohorts, churn, monthly, window)
