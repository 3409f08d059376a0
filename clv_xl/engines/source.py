"""Orders opened in an engine: a query function over the orders view, and what was read and dropped.

The one place that decides which path the orders take (see :mod:`clv_xl.engines`): plain Parquet/CSV files (or
globs) read by the engine itself, out of core; anything else cleaned by :func:`clv_xl.orders.read_orders` and
handed to the engine as an Arrow table.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from clv_xl.customers import CustomerSummary
from clv_xl.engines.plain_files import (
    DIRECT_SUFFIXES,
    explicit_roles,
    matching_files,
    parquet_rows,
    plain_rules,
    refuse_glob,
)
from clv_xl.engines.plain_intake import PlainIntake, plain_intake
from clv_xl.engines.run import Query, summary_table_with
from clv_xl.engines.summary_sql import SOURCE_VIEW
from clv_xl.errors import DataError
from clv_xl.orders import CleaningReport
from clv_xl.orders.limits import LIMITS

__all__ = ["OpenedOrders", "open_orders", "is_spark_dataframe"]


@dataclass
class OpenedOrders:
    """Orders an engine can query.

    Attributes
    ----------
    query : callable
        Runs SQL over the orders view (:data:`~clv_xl.engines.summary_sql.ORDERS_VIEW`).
    engine : str
        ``"duckdb"`` or ``"spark"``.
    path : str
        ``"read by <engine>"`` or ``"cleaned by read_orders"``.
    orders : DataFrame or None
        The canonical orders when :func:`clv_xl.orders.read_orders` read them; None when the engine did.
    intake : CleaningReport
        What was read, kept and dropped, either way. When the engine read the files itself, it is counted
        mostly from the summary: complete once :meth:`summary` ran.
    plain : PlainIntake or None
        For orders the engine read itself: how to complete ``intake``.
    """

    query: Query
    engine: str
    path: str
    orders: pd.DataFrame | None
    intake: CleaningReport
    plain: PlainIntake | None = None

    def summary_table(self, **options: Any) -> CustomerSummary:
        """The customer summary, its columns derived on demand; ``options`` as for ``summary_table_with``.

        See :func:`~clv_xl.engines.run.summary_table_with`. For orders the engine read itself, the intake is
        completed from it (:meth:`~clv_xl.engines.plain_intake.PlainIntake.complete`).
        """
        dialect = None if self.plain is None else self.plain.dialect
        table = summary_table_with(self.query, plain_dialect=dialect, **options)
        if self.plain is not None:
            self.plain.complete(table)
        return table

    def summary(self, **options: Any) -> pd.DataFrame:
        """The customer summary as one frame (:meth:`summary_table`'s)."""
        return self.summary_table(**options).to_frame()


def _direct(engine: str, source: str, read_kwargs: Mapping[str, Any], spark: Any,
            memory_limit: str | None) -> OpenedOrders | None:
    """The plain files of ``source`` opened by the engine itself; None when ``read_orders`` must read them.

    ``read_orders`` reads them when they are not plain orders, or when an option asks for what only it does
    (:func:`~clv_xl.engines.plain_files.plain_rules`: ``dayfirst``, a sheet...).
    """
    rules = plain_rules(read_kwargs)
    if rules is None:
        return None
    suffixes = {path.suffix.lower() for path in matching_files(source)}
    opened: tuple[Query, dict[str, str]] | None = None
    if engine == "duckdb" and suffixes and suffixes <= set(DIRECT_SUFFIXES):
        from clv_xl.engines import duckdb_engine
        opened = duckdb_engine.plain_files(source, explicit_roles(read_kwargs), memory_limit, rules)
    elif engine == "spark" and suffixes == {".parquet"}:
        from clv_xl.engines import spark_engine
        opened = spark_engine.plain_files(source, spark, dict(read_kwargs))
    if opened is None:
        return None
    query, roles = opened
    plain = plain_intake(query, engine, SOURCE_VIEW, source, roles, engine, rules)
    return OpenedOrders(query, engine, f"read by {engine}", None, plain.report, plain)


def is_spark_dataframe(value: object) -> bool:
    """Whether ``value`` is a Spark DataFrame (told from its type, without importing pyspark).

    Examples
    --------
    >>> is_spark_dataframe("orders.parquet")
    False
    """
    kind = type(value)
    return kind.__name__ == "DataFrame" and kind.__module__.startswith("pyspark.")


def open_orders(
    source: Any, engine: str, *, read_kwargs: Mapping[str, Any] | None = None,
    spark: Any | None = None, spark_master: str | None = None, memory_limit: str | None = None,
) -> OpenedOrders:
    """Open the orders of ``source`` in ``engine`` (``"duckdb"`` or ``"spark"``, a session given or started).

    Parameters
    ----------
    source : path, glob or Spark DataFrame
        An order file (any kind :func:`clv_xl.orders.read_orders` reads), a glob of plain Parquet/CSV files, or
        (with ``"spark"``) a Spark DataFrame of plain orders.
    engine : {"duckdb", "spark"}
        The engine.
    read_kwargs : mapping, optional
        Keyword arguments of :func:`clv_xl.orders.read_orders` (column names, statuses...).
    spark : SparkSession, optional
        For ``"spark"``: the session (default: the active one, else a new one on ``spark_master``).
    spark_master : str, optional
        For ``"spark"`` without a session: the master of the one started (default ``local[*]``).
    memory_limit : str, optional
        For ``"duckdb"``: its memory limit (``"3GB"``; default
        :data:`~clv_xl.engines.duckdb_engine.DEFAULT_MEMORY_LIMIT`), past which it spills to disk.
    """
    from clv_xl.orders import cleaning_report, read_orders

    read_kwargs = dict(read_kwargs or {})
    if engine == "spark" and spark is None:  # the one place a session is started for the orders
        from clv_xl.engines import spark_engine
        spark = spark_engine.session(spark_master)
    if is_spark_dataframe(source):  # a warehouse table: summarised where it lives
        from clv_xl.engines import spark_engine
        roles = spark_engine.view_dataframe(source, spark, explicit_roles(read_kwargs))
        query = spark_engine.spark_query(spark)
        plain = plain_intake(query, "spark", SOURCE_VIEW, "the Spark DataFrame", roles, "spark")
        return OpenedOrders(query, "spark", "read by spark", None, plain.report, plain)
    name = os.fspath(source)
    opened = _direct(engine, name, read_kwargs, spark, memory_limit)
    if opened is not None:
        return opened
    if glob.has_magic(name):
        raise refuse_glob(name, read_kwargs)
    rows = parquet_rows(name)
    if rows > LIMITS.max_table_rows:
        raise DataError(
            f"{name} holds {rows:,} rows with columns that need clv-xl's cleaning rules (status, order id, refunds, "
            f"e-mail or currency), which run in memory up to {LIMITS.max_table_rows:,} rows; {engine} reads plain "
            "orders out of core: write the customer, date and amount of the paid orders to Parquet and pass that"
        )
    orders = read_orders(name, **read_kwargs)
    if engine == "spark":
        from clv_xl.engines import spark_engine
        query = spark_engine.orders_query(orders, spark)
    else:
        from clv_xl.engines import duckdb_engine
        query = duckdb_engine.orders_query(orders, memory_limit)
    return OpenedOrders(query, engine, "cleaned by read_orders", orders, cleaning_report(orders))
