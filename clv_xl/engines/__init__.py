"""One definition of the customer summary, run by pandas, DuckDB or Spark.

Which mechanism, and why
------------------------
The per-customer aggregates are **one SQL query** (:mod:`clv_xl.engines.summary_sql`) written in the subset that
DuckDB and Spark SQL read identically (CTEs, ``GROUP BY``, ``COUNT``/``SUM``/``MIN``/``MAX``, joins, integer
day numbers instead of date functions), so it runs unchanged on both - no transpiler (SQLGlot) and no expression
library (Ibis) to install, pin and trust with the figures, and the query a user can read is the one that runs.
What differs between engines is only how the orders view is built (an Arrow table handed over, or the engine
reading files: :func:`~clv_xl.engines.summary_sql.plain_view_statements`, with the few dialect words as a table).
Everything derived from the aggregates (frequency, recency, T, monetary value, AOV, segments, time units) is
computed once, by :func:`clv_xl.customers.customer_summary` (:mod:`clv_xl.customers.derived`), for every engine
including pandas.
The pandas engine keeps its numpy aggregation because xlwings Lite (Pyodide) has no DuckDB; the tests hold the
three engines to identical summaries on CDNOW and on the export corpus.

Which path the orders take
--------------------------
- Files with platform columns (status, order id, refunds, e-mail, currency) are cleaned by
  :func:`clv_xl.orders.read_orders` (statuses, refunds netted, line items, identity), and the engine receives
  the canonical frame: same-day orders, refunds and unpaid orders follow exactly the same rules.
- Plain order files (customer, date, amount columns only) in Parquet or CSV, and globs of them, are read by
  DuckDB (Parquet also by Spark) directly, out of core, with the rules that apply to such files.

Choosing the engine (:func:`choose_engine`): ``auto`` takes DuckDB when it is installed and the input is at least
:data:`AUTO_DUCKDB_BYTES`, a glob, or a Parquet file of more rows than the pandas path reads
(:data:`clv_xl.orders.limits.LIMITS` ``.max_table_rows``); Spark when a Spark master is given; else pandas.
Why 64 MB: about a million orders of CSV, where DuckDB's summary starts to win clearly (0.3 s against pandas'
1.1 s for reading and summarising 1M orders here) and below which pandas' wider reader (encodings, Excel, any
column layout) costs nothing noticeable; a compressed Parquet file can hold many more rows in fewer bytes, hence
the row count.
"""

from __future__ import annotations

import glob
import importlib.util
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from clv_xl.engines.plain_files import input_bytes, parquet_rows, refuse_glob
from clv_xl.orders import CleaningReport
from clv_xl.orders.limits import LIMITS

if TYPE_CHECKING:
    from clv_xl.customers import CustomerSummary

__all__ = ["ENGINES", "AUTO_DUCKDB_BYTES", "choose_engine", "summarize_source"]

#: Engines :func:`summarize_source` runs.
ENGINES: tuple[str, ...] = ("auto", "pandas", "duckdb", "spark")
#: Input size from which ``auto`` takes DuckDB (about 1M orders of CSV): below it pandas is as fast.
AUTO_DUCKDB_BYTES = 64 * 1024 * 1024


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def choose_engine(engine: str, source: str | os.PathLike[str], spark_master: str | None = None) -> str:
    """The engine ``engine`` means for ``source``: itself, or for ``"auto"`` one picked by input size.

    Examples
    --------
    >>> choose_engine("pandas", "big.parquet"), choose_engine("auto", "no/such/file.csv")
    ('pandas', 'pandas')
    >>> choose_engine("auto", "x.csv", spark_master="local[2]")
    'spark'
    """
    if engine != "auto":
        return engine
    if spark_master:
        return "spark"
    big = glob.has_magic(os.fspath(source)) or input_bytes(source) >= AUTO_DUCKDB_BYTES or \
        parquet_rows(source) > LIMITS.max_table_rows
    return "duckdb" if big and _installed("duckdb") else "pandas"


def summarize_source(
    source: str | os.PathLike[str],
    engine: str = "auto",
    *,
    read_kwargs: Mapping[str, Any] | None = None,
    spark_master: str | None = None,
    spark: Any | None = None,
    memory_limit: str | None = None,
    on_cleaned: Callable[[pd.DataFrame], None] | None = None,
    on_intake: Callable[[CleaningReport], None] | None = None,
    **options: Any,
) -> tuple[CustomerSummary, str, str]:
    """Summarise the orders of ``source`` with ``engine``; return the summary, the engine and the path taken.

    The summary is a :class:`~clv_xl.customers.CustomerSummary`, whose rows are derived as they are asked for
    (``frames()``, a million customers at a time: what writes a file of 10M customers without the whole table in
    memory) or all at once (``to_frame()``: the frame :func:`clv_xl.customers.summarize` returns).

    Parameters
    ----------
    source : path or glob
        An order file (any kind :func:`clv_xl.orders.read_orders` reads), or a glob of plain Parquet/CSV files.
    engine : {"auto", "pandas", "duckdb", "spark"}
        See :func:`choose_engine`.
    read_kwargs : mapping, optional
        Keyword arguments of :func:`clv_xl.orders.read_orders` (column names, statuses...).
    spark_master, spark
        A Spark master URL for a new session, or an existing SparkSession.
    memory_limit : str, optional
        DuckDB's memory limit (``"3GB"``; default :data:`~clv_xl.engines.duckdb_engine.DEFAULT_MEMORY_LIMIT`),
        past which it spills to a temporary folder.
    on_cleaned : callable, optional
        Called with the canonical frame when the orders went through ``read_orders`` (to print what was cleaned).
    on_intake : callable, optional
        Called with the :class:`~clv_xl.orders.CleaningReport` whichever path the orders took (plain files read
        by an engine included: rows read, rows dropped by each rule).
    **options
        Options of :func:`clv_xl.customers.summarize` (``observation_end``, ``time_unit``...).

    Returns
    -------
    tuple
        The summary, the engine used, and ``"read by <engine>"`` or ``"cleaned by read_orders"``.
    """
    from clv_xl.customers import summary_table
    from clv_xl.engines.source import open_orders
    from clv_xl.orders import cleaning_report, read_orders

    name = os.fspath(source)
    chosen = choose_engine(engine, name, spark_master)
    if chosen == "pandas":
        if glob.has_magic(name):
            raise refuse_glob(name)
        orders = read_orders(name, **dict(read_kwargs or {}))
        if on_cleaned is not None:
            on_cleaned(orders)
        if on_intake is not None:
            on_intake(cleaning_report(orders))
        return summary_table(orders, **options), chosen, "cleaned by read_orders"
    opened = open_orders(name, chosen, read_kwargs=read_kwargs, spark=spark, spark_master=spark_master,
                         memory_limit=memory_limit)
    if opened.orders is not None and on_cleaned is not None:
        on_cleaned(opened.orders)
    summary = opened.summary_table(**options)  # first: what was kept is counted from it
    if on_intake is not None:
        on_intake(opened.intake)
    return summary, chosen, opened.path
