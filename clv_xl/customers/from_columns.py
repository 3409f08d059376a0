"""The summary and cohort retention from columns of cells: the core of ``CLV_SUMMARY`` and ``COHORT_RETENTION``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clv_xl.cell_columns import flatten_column, read_cells
from clv_xl.customers.aggregate import summarize
from clv_xl.customers.cohorts import _check_period, cohort_matrix, cohorts
from clv_xl.errors import DataError, InvalidArgumentError
from clv_xl.orders import read_orders

__all__ = ["summary_from_columns", "cohort_retention_from_columns"]


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
