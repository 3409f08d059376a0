"""What every engine shares: the canonical orders as an Arrow table, and the summary from a query function.

An engine is a :class:`Query`, running SQL and returning a pandas frame (or an Arrow table);
:func:`summary_table_with` runs the queries of :mod:`clv_xl.engines.summary_sql` with it and hands the
aggregates, as Arrow columns, to :func:`clv_xl.customers.customer_summary` (the one definition of the derived
columns), which derives the table whole or a million customers at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from clv_xl.customers import AGGREGATE_COLUMNS, CustomerSummary, customer_summary, observation_end_day
from clv_xl.engines.summary_sql import (
    bounds_query,
    cleaned_orders_sql,
    histories_query,
    raw_summary_query,
    summary_query,
    uncleaned_view_sql,
)
from clv_xl.errors import DataError
from clv_xl.validation import TIME_UNITS, check_time_unit

__all__ = ["orders_table", "summary_with", "summary_table_with", "raw_aggregates", "MERGED_IDS", "histories_with",
           "Query"]


class Query:
    """Runs SQL on an engine: ``query(sql)`` returns a pandas frame, ``query.arrow(sql)`` an Arrow table.

    An engine overrides the one its library gives directly (DuckDB: Arrow; Spark: pandas); the other converts.
    """

    def __call__(self, sql: str) -> pd.DataFrame:
        """The result of ``sql`` as a pandas frame."""
        return self.arrow(sql).to_pandas(split_blocks=True, self_destruct=True)  # Arrow freed as it converts

    def arrow(self, sql: str) -> pa.Table:
        """The result of ``sql`` as an Arrow table."""
        return pa.Table.from_pandas(self(sql), preserve_index=False)

    @contextmanager
    def registered(self, name: str, table: pa.Table) -> Iterator[None]:
        """``table`` (text columns) as the temporary table ``name`` while the block runs, then dropped.

        How a list of ids reaches the engine: a table to join, not text literals in the SQL, whose escapes differ
        between dialects and with a Spark session's settings (``spark.sql.parser.escapedStringLiterals``).
        """
        self._register(name, table)
        try:
            yield
        finally:
            self._unregister(name)

    def _register(self, name: str, table: pa.Table) -> None:
        raise NotImplementedError

    def _unregister(self, name: str) -> None:
        raise NotImplementedError


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


def summary_with(query: Query, *, observation_end: object = None, plain_dialect: str | None = None,
                 **options: Any) -> pd.DataFrame:
    """The summary of :func:`clv_xl.customers.summarize`, aggregated by ``query`` over the orders view.

    :func:`summary_table_with` as one frame; ``options`` are its own.
    """
    return summary_table_with(query, observation_end=observation_end, plain_dialect=plain_dialect,
                              **options).to_frame()


def summary_table_with(query: Query, *, observation_end: object = None, plain_dialect: str | None = None,
                       **options: Any) -> CustomerSummary:
    """The customer summary aggregated by ``query`` over the orders view, its columns derived on demand.

    Parameters
    ----------
    query : callable
        Runs SQL on an engine where the view :data:`~clv_xl.engines.summary_sql.ORDERS_VIEW` exists.
    observation_end : date-like, optional
        As in :func:`clv_xl.customers.summarize`.
    plain_dialect : {"duckdb", "spark"}, optional
        Given when the orders are plain files read by the engine (the raw view
        :data:`~clv_xl.engines.summary_sql.RAW_VIEW` exists too): the ids are then cleaned per customer rather
        than per order (:func:`raw_aggregates`), with the same result.
    **options
        ``time_unit``, ``segment_shares``, ``margin``: as in :func:`clv_xl.customers.summarize`.

    Returns
    -------
    CustomerSummary
        Its frames have the columns, index, order and ``attrs`` of :func:`clv_xl.customers.summarize`.
    """
    def aggregates_to(end_day: int | None) -> pa.Table:
        if plain_dialect is None:
            return query.arrow(summary_query(end_day))
        return raw_aggregates(query, plain_dialect, end_day)

    if observation_end is None:  # one pass: the end is the last order day, nothing is left out
        ids, aggregates = _aggregates(aggregates_to(None))
        if not len(ids):
            raise DataError(_NOTHING_LEFT)
        end_day, left_out = int(aggregates["last_day"].max()), 0
    else:
        end_day, n_orders = _end_day(query, observation_end)
        ids, aggregates = _aggregates(aggregates_to(end_day))
        left_out = n_orders - int(np.sum(aggregates["orders"]))
    return customer_summary(ids, aggregates, end_day, left_out=left_out, **options)


#: Name of the temporary table of raw ids that clean to a shared customer id (:func:`raw_aggregates`).
MERGED_IDS = "clv_merged_ids"


def raw_aggregates(query: Query, dialect: str, end_day: int | None) -> pa.Table:
    """The aggregates of :func:`~clv_xl.engines.summary_sql.summary_query`, computed with ids cleaned per customer.

    The orders are aggregated per raw id (as in the file) and each raw id is cleaned once
    (:func:`~clv_xl.engines.summary_sql.raw_summary_query`); raw ids that clean to nothing (blank) are left out.
    Where several raw ids clean to one customer (``" a"`` and ``"a"``; ``"Ann@x.fr"`` and ``"ann@x.fr"``), their
    transactions may share days, so those customers are aggregated again from their orders: only the orders of
    those raw ids (handed to the engine as the table :data:`MERGED_IDS`) are read and cleaned. The result is the
    table the orders view gives.

    When no id of the whole file is blank or changed by cleaning (``end_day`` None: every order was seen), the
    orders view becomes the raw view (:func:`~clv_xl.engines.summary_sql.uncleaned_view_sql`): the same rows,
    without cleaning each order's id again in the queries that follow (the report's monthly tables and holdout
    sample: about 2 CPU s each at 10M orders).
    """
    rows = query.arrow(raw_summary_query(dialect, end_day))
    blank = int(pc.sum(pc.equal(rows.column("customer_id"), "")).as_py() or 0)  # first: '' sorts first
    rows = rows.slice(blank)
    ids = rows.column("customer_id")
    shared = pc.equal(ids[:-1], ids[1:]) if len(ids) > 1 else pa.array([], pa.bool_())
    if not pc.any(shared).as_py():
        if end_day is None and not blank and rows.column("raw_id").null_count == len(rows):
            query(uncleaned_view_sql())
        return rows.drop_columns(["raw_id"])
    merged = pc.is_in(ids, value_set=pc.unique(pc.filter(ids[:-1], shared)))
    raw_ids = pc.coalesce(pc.filter(rows.column("raw_id"), merged), pc.filter(ids, merged))  # NULL: unchanged
    kept = rows.filter(pc.invert(merged)).drop_columns(["raw_id"])
    orders = f"({cleaned_orders_sql(dialect, f'customer_id IN (SELECT raw_id FROM {MERGED_IDS})')}) AS merged"
    with query.registered(MERGED_IDS, pa.table({"raw_id": raw_ids.cast(pa.string())})):
        again = query.arrow(summary_query(end_day, view=orders))
    return pa.concat_tables([kept, again.select(kept.column_names).cast(kept.schema)]).sort_by("customer_id")


_NOTHING_LEFT = "no orders left after cleaning: check the customer, date and amount columns"


def _aggregates(rows: pa.Table) -> tuple[pd.Index, dict[str, np.ndarray]]:
    """Customer ids (sorted) and the aggregate columns as numpy arrays, each Arrow column freed once converted."""
    ids = rows.column("customer_id")
    if len(ids) > 1 and not pc.all(pc.less_equal(ids[:-1], ids[1:])).as_py():  # byte order, as Python's
        rows = rows.sort_by("customer_id")
        ids = rows.column("customer_id")
    index = pd.Index(pd.array(ids, dtype="str"), name="customer_id")
    rows = rows.select(list(AGGREGATE_COLUMNS))
    aggregates = {}
    for name in AGGREGATE_COLUMNS:
        aggregates[name] = rows.column(name).to_numpy()
        rows = rows.drop_columns([name])
    return index, aggregates


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
