"""Turn canonical orders into customers: the per-customer summary, acquisition cohorts.

Definitions (written once here, shown in the report's Definitions sheet through :data:`SUMMARY_DEFINITIONS`):

- A *transaction* is a customer's purchase day: several orders of one customer on one day are one transaction
  whose amount is their sum (the convention of Fader & Hardie's published CDNOW summaries and of ``lifetimes``).
- ``frequency`` = transactions - 1 (repeat purchases); ``recency`` = first to last transaction; ``T`` = first
  transaction to ``observation_end``; ``monetary_value`` = mean amount of the repeat transactions (the first one
  left out), 0 for customers without repeat purchases.
- ``time_unit``: ``"D"`` days, ``"W"`` weeks = days / 7, ``"M"`` months = days / 30.4375 (365.25 / 12),
  ``"Y"`` years = days / 365.25; measured continuously between calendar days, never floored.
- ``orders`` = orders (rows) of the customer; ``revenue`` = their amounts' sum; ``aov`` = revenue / orders;
  ``historical_clv`` = revenue to date x ``margin`` (the value the customer has already brought, undiscounted).
- ``segment``: customers sorted by revenue, largest first; "High" while the revenue of the customers before them
  is under the first share of the total (80 % by default), "Mid" under the second (95 %), else "Low" - the ABC
  (Pareto) analysis: High customers bring about 80 % of revenue, Mid the next 15 %, Low the last 5 %.
- Churn by period is in :mod:`clv_xl.churn`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clv_xl.cell_columns import flatten_column, read_cells
from clv_xl.errors import DataError, InvalidArgumentError
from clv_xl.orders import read_orders
from clv_xl.validation import TIME_UNITS, check_choice, check_time_unit, is_canonical_orders, parse_date

__all__ = [
    "SUMMARY_COLUMNS",
    "SUMMARY_DEFINITIONS",
    "TIME_UNITS",
    "PERIODS",
    "summarize",
    "cohorts",
    "cohort_matrix",
    "summary_from_columns",
    "summary_from_aggregates",
    "observation_end_day",
    "AGGREGATE_COLUMNS",
    "cohort_retention_from_columns",
    "parse_date",
]

#: Columns of :func:`summarize`, in order.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "frequency", "recency", "T", "monetary_value", "orders", "revenue", "first_order", "last_order", "aov",
    "historical_clv", "segment",
)
#: Periods accepted by :func:`cohorts` and :func:`churn_series`, and the default ``inactive_after`` of each:
#: about a year, the usual "lapsed customer" line in retail and e-commerce, where many loyal customers buy only
#: once or twice a year (a 90-day line would call most of them lost between two purchases).
PERIODS: dict[str, int] = {"D": 365, "W": 52, "M": 12, "Q": 4, "Y": 1}
#: (column, definition) pairs for the report's Definitions sheet.
SUMMARY_DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("transaction", "a customer's purchase day; orders of one customer on one day are summed into one"),
    ("frequency", "repeat purchases: transactions - 1"),
    ("recency", "time from the first to the last transaction, in time_unit"),
    ("T", "time from the first transaction to observation_end, in time_unit"),
    ("monetary_value", "mean amount of the repeat transactions (first left out); 0 without repeat purchases"),
    ("orders", "orders (rows) of the customer up to observation_end"),
    ("revenue", "sum of the customer's order amounts up to observation_end"),
    ("aov", "average order value: revenue / orders"),
    ("historical_clv", "revenue to date x margin, undiscounted"),
    ("segment", "High / Mid / Low: customers by revenue, largest first, until 80 % / 95 % of total revenue"),
    ("time_unit", "D = days, W = days / 7, M = days / 30.4375, Y = days / 365.25, continuous"),
)


def _as_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Return canonical orders: the frame itself when it already is one, else what read_orders makes of it."""
    if not isinstance(orders, pd.DataFrame):
        raise InvalidArgumentError(
            "orders", f"orders must be a DataFrame from read_orders; got {type(orders).__name__}"
        )
    return orders if is_canonical_orders(orders) else read_orders(orders)


def _day_numbers(dates: pd.Series) -> np.ndarray:
    return dates.to_numpy().astype("datetime64[D]").astype("int64")


def _check_period(period: str) -> str:
    return check_choice(period, PERIODS, "period")



def _segments(revenue: np.ndarray, shares: tuple[float, float], customers: pd.Index) -> np.ndarray:
    high, mid = shares
    if not 0 < high <= mid <= 1:
        raise InvalidArgumentError(
            "segment_shares", f"segment_shares must be two shares with 0 < high <= mid <= 1; got {shares!r}"
        )
    # rounded to a billionth: the same amounts summed in another order (by another engine, or DuckDB's threads)
    # differ in the last bits, which would reorder equal revenues and move the 80 % / 95 % boundaries
    positive = np.round(np.clip(revenue, 0, None), 9)
    total = positive.sum()
    order = np.lexsort((np.arange(len(revenue)), -positive))
    before = np.empty_like(positive)
    before[order] = np.cumsum(positive[order]) - positive[order]
    share = before / total if total > 0 else np.ones_like(positive)
    return np.where(share < high, "High", np.where(share < mid, "Mid", "Low"))


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
        Indexed by ``customer_id`` (sorted), with the columns of :data:`SUMMARY_COLUMNS`; ``attrs`` records
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
    check_time_unit(time_unit)  # before the work; summary_from_aggregates applies it
    orders = _as_orders(orders)
    days = _day_numbers(orders["order_date"])
    end_day = observation_end_day(observation_end, int(days.min()), int(days.max()))
    keep = days <= end_day
    left_out = int((~keep).sum())
    if left_out:
        orders, days = orders[keep], days[keep]
    codes, customers = pd.factorize(orders["customer_id"], sort=True)
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
    aggregates = pd.DataFrame(
        {
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
        },
        index=pd.Index(customers, name="customer_id", dtype="str"),
    )
    return summary_from_aggregates(
        aggregates, end_day, time_unit=time_unit, segment_shares=segment_shares, margin=margin, left_out=left_out
    )


def observation_end_day(observation_end: object, first_day: int, last_day: int) -> int:
    """Return the observation end as a day number (days since 1970-01-01): the given date, else the last order day.

    Parameters
    ----------
    observation_end : date-like or None
        The end asked for; None takes ``last_day``.
    first_day, last_day : int
        Day numbers of the first and last order.

    Examples
    --------
    >>> observation_end_day(None, 19000, 19010), observation_end_day("2024-01-01", 19000, 19010)
    (19010, 19723)
    """
    if observation_end is None:
        return last_day
    end = parse_date(observation_end, "observation_end")
    end_day = int(np.datetime64(end.normalize(), "D").astype("int64"))
    if end_day < first_day:
        raise InvalidArgumentError(
            "observation_end",
            f"observation_end {end:%Y-%m-%d} is before the first order "
            f"({np.datetime64(first_day, 'D')}); pass a later date or None",
        )
    return end_day


#: Columns of the per-customer aggregates every engine computes (:mod:`clv_xl.engines`), indexed by customer_id:
#: transactions (purchase days), first_day / last_day (day numbers of the first and last transaction),
#: first_amount (amount of the first transaction), orders, revenue, first_order / last_order (timestamps).
AGGREGATE_COLUMNS: tuple[str, ...] = (
    "transactions", "first_day", "last_day", "first_amount", "orders", "revenue", "first_order", "last_order",
)


def summary_from_aggregates(
    aggregates: pd.DataFrame,
    end_day: int,
    *,
    time_unit: str = "D",
    segment_shares: tuple[float, float] = (0.8, 0.95),
    margin: float = 1.0,
    left_out: int = 0,
) -> pd.DataFrame:
    """Turn per-customer aggregates (:data:`AGGREGATE_COLUMNS`) into the summary of :func:`summarize`.

    The one place where frequency, recency, T, monetary value, AOV, historical CLV and segments are derived:
    the pandas path of :func:`summarize` and the SQL engines of :mod:`clv_xl.engines` both end here.

    Examples
    --------
    >>> aggregates = pd.DataFrame({"transactions": [2], "first_day": [19723], "last_day": [19737],
    ...     "first_amount": [15.0], "orders": [3], "revenue": [35.0],
    ...     "first_order": pd.to_datetime(["2024-01-01"]), "last_order": pd.to_datetime(["2024-01-15"])},
    ...     index=pd.Index(["a"], name="customer_id"))
    >>> summary_from_aggregates(aggregates, 19751, time_unit="W")[["frequency", "recency", "T", "monetary_value"]]
                 frequency  recency    T  monetary_value
    customer_id
    a                    1      2.0  4.0            20.0
    """
    time_unit = check_time_unit(time_unit)
    unit = TIME_UNITS[time_unit]
    if isinstance(margin, bool) or not (isinstance(margin, int | float) and 0 <= margin <= 1):
        raise InvalidArgumentError("margin", f"margin must be a number from 0 to 1; got {margin!r}")
    frequency = aggregates["transactions"].to_numpy(dtype="int64") - 1
    first_day = aggregates["first_day"].to_numpy(dtype="int64")
    revenue = aggregates["revenue"].to_numpy(dtype="float64")
    n_orders = aggregates["orders"].to_numpy(dtype="int64")
    repeat_total = revenue - aggregates["first_amount"].to_numpy(dtype="float64")
    index = pd.Index(aggregates.index.astype("str"), name="customer_id", dtype="str")
    result = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (aggregates["last_day"].to_numpy(dtype="int64") - first_day) / unit,
            "T": (end_day - first_day) / unit,
            "monetary_value": np.where(frequency > 0, repeat_total / np.maximum(frequency, 1), 0.0),
            "orders": n_orders,
            "revenue": revenue,
            "first_order": aggregates["first_order"].to_numpy().astype("datetime64[ns]"),
            "last_order": aggregates["last_order"].to_numpy().astype("datetime64[ns]"),
            "aov": revenue / n_orders,
            "historical_clv": revenue * margin,
            "segment": pd.array(_segments(revenue, segment_shares, index), dtype="str"),
        },
        index=index,
    )
    result.attrs["observation_end"] = pd.Timestamp(np.datetime64(end_day, "D"))
    result.attrs["time_unit"] = time_unit
    result.attrs["orders_after_observation_end"] = left_out
    return result


def _period_ordinals(dates: pd.Series, period: str) -> np.ndarray:
    return dates.dt.to_period(period).array.asi8


def _period_start(ordinals: np.ndarray, period: str) -> pd.DatetimeIndex:
    return pd.PeriodIndex.from_ordinals(ordinals, freq=period).start_time.astype("datetime64[ns]")


def cohorts(orders: pd.DataFrame, period: str = "M") -> pd.DataFrame:
    """Acquisition cohorts: for each cohort and each period since acquisition, active customers and revenue.

    Parameters
    ----------
    orders : pandas.DataFrame
        Canonical orders from :func:`clv_xl.orders.read_orders`.
    period : {"D", "W", "M", "Q", "Y"}
        Period length (weeks start on Monday).

    Returns
    -------
    pandas.DataFrame
        Long format, one row per cohort and period number from 0 (the acquisition period) to the last period of
        the data: ``cohort`` (period start), ``period_number``, ``cohort_size`` (customers whose first order falls
        in the cohort period), ``active_customers`` (of those, customers with an order in that period),
        ``retention`` (active / size) and ``revenue`` (their amounts in that period).

    Examples
    --------
    >>> orders = read_orders(pd.DataFrame({
    ...     "customer": ["a", "b", "a", "c", "b"],
    ...     "date": ["2024-01-05", "2024-01-20", "2024-02-02", "2024-02-10", "2024-03-01"],
    ...     "amount": [10.0, 20.0, 5.0, 8.0, 4.0],
    ... }))
    >>> cohorts(orders)
          cohort  period_number  cohort_size  active_customers  retention  revenue
    0 2024-01-01              0            2                 2        1.0     30.0
    1 2024-01-01              1            2                 1        0.5      5.0
    2 2024-01-01              2            2                 1        0.5      4.0
    3 2024-02-01              0            1                 1        1.0      8.0
    4 2024-02-01              1            1                 0        0.0      0.0
    """
    period = _check_period(period)
    orders = _as_orders(orders)
    ordinal = _period_ordinals(orders["order_date"], period)
    codes, _ = pd.factorize(orders["customer_id"])
    first = np.full(codes.max() + 1, np.iinfo("int64").max)
    np.minimum.at(first, codes, ordinal)
    cohort = first[codes]
    number = ordinal - cohort
    frame = pd.DataFrame({"cohort": cohort, "period_number": number, "customer": codes, "amount": orders["amount"]})
    grouped = frame.groupby(["cohort", "period_number"])
    active = grouped["customer"].nunique()
    revenue = grouped["amount"].sum()
    size = pd.Series(first).value_counts()
    last = int(ordinal.max())
    cohort_ids = np.sort(size.index.to_numpy())
    lengths = last - cohort_ids + 1
    grid_cohort = np.repeat(cohort_ids, lengths)
    grid_number = np.concatenate([np.arange(n) for n in lengths])
    grid = pd.MultiIndex.from_arrays([grid_cohort, grid_number], names=["cohort", "period_number"])
    out = pd.DataFrame(
        {
            "cohort": _period_start(grid_cohort, period),
            "period_number": grid_number.astype("int64"),
            "cohort_size": size.reindex(grid_cohort).to_numpy().astype("int64"),
            "active_customers": active.reindex(grid, fill_value=0).to_numpy().astype("int64"),
        }
    )
    out["retention"] = out["active_customers"] / out["cohort_size"]
    out["revenue"] = revenue.reindex(grid, fill_value=0.0).to_numpy().astype("float64")
    return out


def cohort_matrix(cohort_frame: pd.DataFrame, value: str = "retention") -> pd.DataFrame:
    """Pivot :func:`cohorts` output to a cohort x period-number matrix.

    Parameters
    ----------
    cohort_frame : pandas.DataFrame
        The output of :func:`cohorts`.
    value : str
        The column to show: ``retention``, ``active_customers``, ``revenue`` or ``cohort_size``.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort``, one column per ``period_number``; NaN where a cohort has not reached that period.

    Examples
    --------
    >>> frame = pd.DataFrame({"cohort": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
    ...                       "period_number": [0, 1, 0], "retention": [1.0, 0.5, 1.0]})
    >>> cohort_matrix(frame)
    period_number    0    1
    cohort
    2024-01-01     1.0  0.5
    2024-02-01     1.0  NaN
    """
    allowed = ("retention", "active_customers", "revenue", "cohort_size")
    if value not in allowed:
        raise InvalidArgumentError("value", f"value must be one of {', '.join(allowed)}; got {value!r}")
    needed = {"cohort", "period_number", value}
    if not isinstance(cohort_frame, pd.DataFrame) or not needed <= set(cohort_frame.columns):
        raise InvalidArgumentError(
            "cohort_frame", f"cohort_frame must be the output of cohorts() with columns {sorted(needed)}"
        )
    return cohort_frame.pivot(index="cohort", columns="period_number", values=value)


def _orders_from_columns(
    customer_ids: Sequence[object], order_dates: Sequence[object], amounts: Sequence[object] | None
) -> pd.DataFrame:
    columns = {
        "customer_id": flatten_column(customer_ids, "customer_ids"),
        "order_date": flatten_column(order_dates, "order_dates"),
    }
    columns["amount"] = (
        flatten_column(amounts, "amounts") if amounts is not None else [0.0] * len(columns["customer_id"])
    )
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) != 1:
        raise InvalidArgumentError(
            "customer_ids", f"the columns must have the same length; got {lengths}"
        )
    cells = {name: read_cells(values) for name, values in columns.items()}  # one look per column
    empty = np.column_stack([column.empty for column in cells.values()])
    blank = np.asarray(empty.all(axis=1))  # trailing empty cells of a selection
    if empty[~blank].any():  # a half-filled row is a mistake to show, not a row to drop silently
        row, column = np.argwhere(empty & ~blank[:, None])[0]
        argument = ("customer_ids", "order_dates", "amounts")[column]
        raise InvalidArgumentError(
            argument,
            f"{argument} has an empty cell at row {row + 1} of the range: fill it in, or empty the whole row",
        )
    kept = np.flatnonzero(~blank)
    if kept.size == 0:
        raise DataError("the columns hold no orders")
    # index = position in the range (1 = first cell), so messages point at the cell a person counts to
    index = pd.Index(kept + 1)
    frame = pd.DataFrame({name: _kept(column.values, kept, index) for name, column in cells.items()})
    return read_orders(frame, customer="customer_id", date="order_date", amount="amount")


def _kept(values: np.ndarray | pd.api.extensions.ExtensionArray | list[object], kept: np.ndarray,
          index: pd.Index) -> pd.Series:
    """The cells at ``kept``, as a typed column or a column of objects."""
    if not isinstance(values, list):
        return pd.Series(values[kept], index=index)
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    return pd.Series(cells[kept], index=index, dtype=object)


def summary_from_columns(
    customer_ids: Sequence[object],
    order_dates: Sequence[object],
    amounts: Sequence[object],
    observation_end: object = None,
    time_unit: str = "D",
) -> pd.DataFrame:
    """The customer summary from three equal-length columns (the core of Excel's ``CLV_SUMMARY``).

    Parameters
    ----------
    customer_ids, order_dates, amounts : sequence
        One value per order. Dates may be datetimes, Excel serial numbers or text; amounts numbers or text such
        as ``"1 234,56 €"``. Rows where all three are empty are ignored; a row with only some empty is an error.
    observation_end : date-like, optional
        See :func:`summarize`.
    time_unit : {"D", "W", "M", "Y"}
        See :func:`summarize`.

    Returns
    -------
    pandas.DataFrame
        :func:`summarize`'s columns with ``customer_id`` as the first column and a RangeIndex (a table to spill
        with its header).

    Examples
    --------
    >>> table = summary_from_columns(["a", "b", "a"], [45292, 45293, 45299], [10, 20, 30])
    >>> table[["customer_id", "frequency", "recency", "T", "revenue"]]
      customer_id  frequency  recency    T  revenue
    0           a          1      7.0  7.0     40.0
    1           b          0      0.0  6.0     20.0
    """
    orders = _orders_from_columns(customer_ids, order_dates, amounts)
    return summarize(orders, observation_end=observation_end, time_unit=time_unit).reset_index()


def cohort_retention_from_columns(
    customer_ids: Sequence[object], order_dates: Sequence[object], period: str = "M"
) -> pd.DataFrame:
    """The cohort retention matrix from two equal-length columns (the core of Excel's ``COHORT_RETENTION``).

    Parameters
    ----------
    customer_ids, order_dates : sequence
        One value per order; dates as datetimes, Excel serial numbers or text.
    period : {"D", "W", "M", "Q", "Y"}
        Cohort and period length.

    Returns
    -------
    pandas.DataFrame
        Columns ``cohort`` (period start), ``cohort_size``, then one column per period number (0, 1, ...) with the
        retention share; NaN where a cohort has not reached that period yet.

    Examples
    --------
    >>> cohort_retention_from_columns(["a", "b", "a"], ["2024-01-05", "2024-01-09", "2024-02-01"])
          cohort  cohort_size    0    1
    0 2024-01-01            2  1.0  0.5
    """
    period = _check_period(period)
    frame = cohorts(_orders_from_columns(customer_ids, order_dates, None), period=period)
    matrix = cohort_matrix(frame, "retention")
    sizes = frame.groupby("cohort")["cohort_size"].first()
    matrix.insert(0, "cohort_size", sizes.reindex(matrix.index).astype("int64"))
    matrix.columns = [c if isinstance(c, str) else int(c) for c in matrix.columns]
    return matrix.reset_index()
