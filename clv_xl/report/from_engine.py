"""The report's content computed by an engine (DuckDB, Spark) from aggregates, the orders possibly never loaded.

The summary and the monthly tables are computed in SQL, the rest from those aggregates, without the orders in
memory when the engine reads plain files itself.

What differs from the pandas path, and is said in the notes: the Orders sheet is left out when the orders were
never loaded, and the subscription analysis (which needs every charge) is not made then. The forecast's holdout
check is made on the same split as the pandas path's, with only the sampled customers' orders (20,000 customers at
most) fetched from the engine; past that size the sample is drawn from the customers in id order, so it is not the
pandas path's sample of the same orders. Every figure still counts every order and customer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from clv_xl.background import started
from clv_xl.engines.activity import activity_with
from clv_xl.engines.activity_sql import SAMPLE_IDS, orders_of_query
from clv_xl.engines.run import Query
from clv_xl.engines.source import open_orders
from clv_xl.orders import CleaningReport
from clv_xl.report.content import ReportContent, content_from_tables
from clv_xl.report.forecast_data import HoldoutOrders, holdout_sample, holdout_split
from clv_xl.report.labels import label
from clv_xl.report.options import ReportOptions

__all__ = ["engine_content", "report_currency", "holdout_orders"]


def report_currency(intake: CleaningReport | None, asked: str | None) -> str:
    """The currency that labels the report: the one asked, else the data's, else USD (and say so).

    Examples
    --------
    >>> report_currency(None, "EUR"), report_currency(CleaningReport("x", currencies=["GBP"]), None)
    ('EUR', 'GBP')
    >>> intake = CleaningReport("x")
    >>> report_currency(intake, None), intake.warnings[0][:31]
    ('USD', 'the data states no currency: th')
    """
    if asked is not None:
        return asked
    found = getattr(intake, "currency", None)
    if found is not None:
        return str(found)
    if intake is not None and not any("states no currency" in w for w in intake.warnings):
        intake.warnings.append("the data states no currency: the report labels amounts USD; pass --currency CODE")
    return "USD"


def engine_content(
    source: str | os.PathLike[str] | Any,
    engine: str,
    options: ReportOptions,
    *,
    currency: str | None = None,
    read_options: dict[str, Any] | None = None,
    spark: Any | None = None,
    spark_master: str | None = None,
    forecast: bool = True,
    progress: Callable[[str], None] | None = None,
    on_read: Callable[[list[str]], None] | None = None,
    memory_limit: str | None = None,
) -> ReportContent:
    """The report's content with the summary, cohorts and churn computed by ``engine``.

    Parameters
    ----------
    source : path, glob or Spark DataFrame
        Order file(s): plain Parquet/CSV (or a glob of them) is read by the engine itself, anything else by
        :func:`clv_xl.orders.read_orders` and handed over; a Spark DataFrame of plain orders stays in Spark.
    engine : {"duckdb", "spark"}
        The engine.
    options : ReportOptions
        The assumptions (``currency`` is replaced by the report's currency).
    currency : str, optional
        The currency asked for (else the data's, else USD).
    read_options : dict, optional
        Keyword arguments of :func:`clv_xl.orders.read_orders`.
    spark, spark_master : optional
        For ``"spark"``: an existing SparkSession, or the master of the one :func:`open_orders` starts.
    forecast : bool, default True
        Fit the purchase models (on the summary).
    progress : callable, optional
        Called with each step's name.
    on_read : callable, optional
        Called with the intake summary's lines (what was read, kept and dropped).
    memory_limit : str, optional
        For ``"duckdb"``: its memory limit (see :func:`clv_xl.engines.source.open_orders`).
    """
    step = progress or (lambda name: None)
    opened = open_orders(source, engine, read_kwargs=read_options, spark=spark, spark_master=spark_master,
                         memory_limit=memory_limit)
    step("customers")
    summary = opened.summary(observation_end=options.observation_end, margin=options.margin)  # completes the intake
    options = replace(options, currency=report_currency(opened.intake, currency))
    if on_read is not None:
        on_read(opened.intake.lines())
    end = pd.Timestamp(summary.attrs["observation_end"])
    notes = []
    left_out = int(summary.attrs["orders_after_observation_end"])
    if left_out:
        notes.append(label("note.after_end", options.lang, n=f"{left_out:,}", end=f"{end:%Y-%m-%d}"))
    step("cohorts")
    end_day = int(np.datetime64(end, "D").astype("int64"))
    inactive = None if options.inactive_after is None else int(options.inactive_after)
    holdout = holdout_orders(opened.query, summary, end_day, options.holdout_days) \
        if forecast and opened.orders is None else None
    # the engine computes the monthly tables on its own threads (DuckDB and Spark release the GIL) while the
    # forecast's models fit on the summary here; nothing else queries the engine meanwhile
    customers = pa.array(summary.index.array) if len(summary) else None  # (no copy of pandas' Arrow strings)
    activity = started(activity_with, opened.query, end_day, inactive, engine, customers)
    order_count = int(summary["orders"].sum())
    orders = opened.orders
    if orders is not None and left_out:
        orders = orders[(orders["order_date"] < end + pd.Timedelta(days=1)).to_numpy()]
    if orders is None:
        notes.append(label("note.orders_read_by_engine", options.lang, n=f"{order_count:,}", engine=engine))
        if options.business != "shop":
            notes.append(label("note.subscriptions_by_engine", options.lang, engine=engine))
    return content_from_tables(summary, activity, options, orders=orders, order_count=order_count,
                               cleaning=opened.intake.to_rows(), forecast=forecast, progress=progress, notes=notes,
                               engine=engine, holdout_orders=holdout)


def holdout_orders(query: Query, summary: pd.DataFrame, end_day: int, holdout_days: int | None,
                   ) -> HoldoutOrders | None:
    """The forecast's holdout sample fetched from the engine: every order of the customers the check samples.

    The split and the sample are those of :func:`clv_xl.report.forecast_data.validate_models`, made from the
    summary's first and last orders (the customers in id order); only their orders (20,000 customers at most)
    come back from the engine. None when there are no customers; an empty sample when no check can be made (the
    check then says why).
    """
    if summary.empty:
        return None
    first = pd.to_datetime(summary["first_order"])
    bounds = (pd.Timestamp(first.min()), pd.Timestamp(pd.to_datetime(summary["last_order"]).max()))
    cut, _ = holdout_split(*bounds, holdout_days)
    nothing = pd.DataFrame({"customer_id": pd.Series([], dtype=object),
                            "order_date": pd.Series([], dtype="datetime64[ns]"), "amount": pd.Series([], dtype=float)})
    if cut is None:
        return HoldoutOrders(nothing, bounds, 0)
    customers, available = holdout_sample(first, cut)
    if not len(customers):
        return HoldoutOrders(nothing, bounds, 0)
    with query.registered(SAMPLE_IDS, pa.table({"customer_id": pa.array([str(c) for c in customers], pa.string())})):
        rows = query(orders_of_query(end_day))
    orders = pd.DataFrame({"customer_id": rows["customer_id"].astype(str).to_numpy(dtype=object),
                           "order_date": pd.to_datetime(rows["order_date"]).to_numpy().astype("datetime64[ns]"),
                           "amount": rows["amount"].to_numpy(dtype=float)})
    return HoldoutOrders(orders, bounds, available)
