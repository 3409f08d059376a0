"""Run the customer summary in Spark SQL: a local session on one machine, or a cluster through ``--spark-master``.

The same SQL as DuckDB (:mod:`clv_xl.engines.summary_sql`). Ways in: canonical orders handed over as an Arrow
batch (``createDataFrame``), plain Parquet order files (a path, a directory or a glob) that Spark reads itself,
or, from Python, any Spark DataFrame of plain orders (a warehouse table: ``spark.table("sales.orders")``).
Spark needs a Java runtime (17 here).

Time zones: the sessions clv-xl starts run in UTC (:data:`SESSION_SETTINGS`); a session passed in, or the active
one, is used as it is, its time zone included, and the figures do not depend on it. Order times are wall-clock
times, as :func:`clv_xl.orders.read_orders` keeps them: canonical orders are handed over as ``timestamp_ntz``, and
the instants (``timestamp``) of Parquet files are read as the wall-clock times of their zone, shown as such in the
session's zone (:func:`~clv_xl.engines.time_zones.wall_clock_sql`; a time in that zone's summer-time gap is shown
an hour later, the same day). The instants of a Spark DataFrame passed in are taken on the day and at the time
the session's zone shows them (as ``DataFrame.show()`` does).

A Spark, Java or Arrow error in a query becomes one line (:func:`spark_error`), never a Java trace.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pandas as pd
import pyarrow as pa

from clv_xl.engines.parquet_footers import column_names, local_parquet_files, nanosecond_column, type_differences
from clv_xl.engines.plain_files import (
    explicit_roles,
    plain_columns,
    plain_rules,
    type_problems,
)
from clv_xl.engines.run import Query, orders_table, summary_with
from clv_xl.engines.summary_sql import ORDERS_VIEW, SOURCE_VIEW, plain_view_statements, quoted_name
from clv_xl.engines.time_zones import parquet_zone, wall_clock_sql
from clv_xl.errors import DataError

__all__ = ["session", "spark_query", "spark_error", "view_dataframe", "orders_query", "dataframe_query",
           "plain_files", "files_query", "summarize_orders", "summarize_dataframe", "summarize_files"]

#: Settings of the sessions clv-xl starts. A session passed in, or the active one, is used as it is (its time zone
#: too: the figures do not depend on it, see the module's docstring).
SESSION_SETTINGS: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.showConsoleProgress": "false",
}


def session(master: str | None = None) -> Any:
    """The active SparkSession (its settings untouched), or a new one on ``master`` (default ``local[*]``).

    One line when pyspark is absent.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise DataError("the spark engine needs pyspark and Java: pip install 'clv-xl[spark]' "
                        "(or use --engine duckdb)") from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    from pyspark import SparkContext

    started_here = SparkContext._active_spark_context is None  # else getOrCreate returns the caller's
    builder = SparkSession.builder.master(master or "local[*]").appName("clv-xl")
    for key, value in SESSION_SETTINGS.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if started_here:  # Spark's warnings are not the user's (a Java trace for every glob read: no metadata folder)
        spark.sparkContext.setLogLevel("ERROR")
    return spark


class _SparkQuery(Query):
    """Runs SQL in a SparkSession; results come as pandas frames (``toPandas``, through Arrow).

    A Spark, Java or Arrow error is one line (:func:`spark_error`).
    """

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def __call__(self, sql: str) -> pd.DataFrame:
        """The result of ``sql`` as a pandas frame."""
        try:
            return self.spark.sql(sql).toPandas()
        except Exception as error:
            if not _from_spark(error):
                raise
            raise spark_error(error) from None

    def _register(self, name: str, table: pa.Table) -> None:
        schema = ", ".join(f"`{field.name}` string" for field in table.schema)
        self.spark.createDataFrame(table.to_pandas(), schema=schema).createOrReplaceTempView(name)

    def _unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)


#: Packages whose errors come from running a query in Spark: the JVM bridge, pyspark, and Arrow (``toPandas``).
_SPARK_PACKAGES = frozenset(("py4j", "pyspark", "pyarrow"))
#: A Spark error class and its message (``[CANNOT_MERGE_SCHEMAS] Failed merging schemas:``), anywhere in a line.
_ERROR_CLASS = re.compile(r"\[[A-Z][A-Z0-9_.]*\][^\n]*")


def _from_spark(error: BaseException) -> bool:
    """Whether ``error`` comes from Spark, its JVM or Arrow (told from its classes' packages, imported or not)."""
    return any(kind.__module__.split(".")[0] in _SPARK_PACKAGES for kind in type(error).__mro__)


def spark_message(error: BaseException) -> str:
    """The line of a Spark error that says what went wrong, at most 300 characters.

    Its first error class (``[NAME] message``) in the Java exception and its causes, else its first line.

    Examples
    --------
    >>> spark_message(ValueError("Casting from timestamp[us] to timestamp[ns] would result in out of bounds\\nmore"))
    'Casting from timestamp[us] to timestamp[ns] would result in out of bounds'
    """
    lines: list[str] = []
    java = getattr(error, "java_exception", None)
    try:
        while java is not None and len(lines) < 20:  # the causes, a bounded walk
            lines.append(str(java.getMessage() or java.toString()))
            java = java.getCause()
    except Exception:  # the JVM is gone: the Python side's message is what there is
        lines = []
    text = "\n".join(lines) or str(error)
    classed = _ERROR_CLASS.search(text)
    first = classed.group(0) if classed else next((line for line in text.splitlines() if line.strip()), "")
    return (first.strip() or type(error).__name__)[:300]


def spark_error(error: BaseException, source: str | None = None) -> DataError:
    """A Spark, Java or Arrow error as one line (:func:`spark_message`), naming ``source`` when given."""
    where = f"{source}: " if source else ""
    return DataError(f"{where}Spark could not run the query: {spark_message(error)}; "
                     "check the files (or try --engine duckdb)")


def spark_query(spark: Any) -> Query:
    """A query function running SQL in ``spark`` and returning the result as a pandas frame."""
    return _SparkQuery(spark)


#: The orders view of canonical orders: wall-clock times as ``timestamp_ntz``, which no session zone moves (as
#: ``timestamp`` a Paris session read 23:30 as 00:30 the next day, and a time in its summer-time gap not at all).
_ORDERS_SCHEMA = "customer_id string, day bigint, stamp timestamp_ntz, amount double"


def orders_query(orders: pd.DataFrame, spark: Any | None = None) -> Query:
    """A query function over canonical orders (from :func:`clv_xl.orders.read_orders`) handed to Spark."""
    spark = spark or session()
    frame = spark.createDataFrame(orders_table(orders).to_pandas(), schema=_ORDERS_SCHEMA)
    frame.createOrReplaceTempView(ORDERS_VIEW)
    return spark_query(spark)


def summarize_orders(orders: pd.DataFrame, spark: Any | None = None, **options: Any) -> pd.DataFrame:
    """Summarise canonical orders (from :func:`clv_xl.orders.read_orders`) in Spark.

    ``options`` are those of :func:`clv_xl.customers.summarize`.
    """
    return summary_with(orders_query(orders, spark), **options)


def view_dataframe(orders: Any, spark: Any, explicit: Mapping[str, object] | None,
                   drop_zero_amounts: bool = False) -> dict[str, str]:
    """Create the orders view over a Spark DataFrame of plain orders; return the column of each role.

    Orders of 0 are kept, as :func:`clv_xl.orders.read_orders` keeps them, unless ``drop_zero_amounts``.
    """
    roles = plain_columns(list(orders.columns), explicit or {}, "the Spark DataFrame")
    if roles is None:
        raise DataError("the Spark DataFrame has columns that need clv-xl's cleaning rules (status, order id, "
                        "refunds, e-mail or currency): select customer, date and amount of paid orders first")
    problems = type_problems("spark", dict(orders.dtypes), roles)
    if problems:
        raise DataError(f"the Spark DataFrame: {'; '.join(problems)}; cast the columns first (ids to string)")
    orders.createOrReplaceTempView(SOURCE_VIEW)
    for statement in plain_view_statements("spark", SOURCE_VIEW, roles["customer_id"], roles["order_date"],
                                           roles["amount"], drop_zero_amounts=drop_zero_amounts):
        spark.sql(statement)
    return roles


def dataframe_query(orders: Any, spark: Any | None = None, explicit: dict[str, object] | None = None) -> Query:
    """A query function over a Spark DataFrame of plain orders (customer, date, amount columns found by name).

    A DataFrame with status, order id, refund, e-mail or currency columns is refused: those need the cleaning of
    :func:`clv_xl.orders.read_orders` (select the three columns of paid orders first).
    """
    spark = spark or session()
    view_dataframe(orders, spark, explicit)
    return spark_query(spark)


def summarize_dataframe(
    orders: Any, spark: Any | None = None, explicit: dict[str, object] | None = None, **options: Any
) -> pd.DataFrame:
    """Summarise a Spark DataFrame of plain orders (see :func:`dataframe_query`)."""
    return summary_with(dataframe_query(orders, spark, explicit), plain_dialect="spark", **options)


def plain_files(
    source: str | os.PathLike[str], spark: Any | None = None, read_kwargs: dict[str, object] | None = None,
) -> tuple[Query, dict[str, str]] | None:
    """A query function over plain Parquet order files read by Spark, and the column of each role.

    The raw rows are the view :data:`~clv_xl.engines.summary_sql.SOURCE_VIEW`, the cleaned orders
    :data:`~clv_xl.engines.summary_sql.ORDERS_VIEW`; None when the files are not plain orders, nanosecond times
    or not (:func:`clv_xl.orders.read_orders` reads them); plain ones in nanoseconds are refused in one line (Spark
    cannot read them; INT96 times, Spark's own, are read). Every file's columns are seen
    (``mergeSchema``): a glob one of whose files has a status column is not plain orders, and files whose columns
    differ in type are refused in one line.
    """
    name = os.fspath(source)
    explicit = explicit_roles(read_kwargs or {})
    rules = plain_rules(read_kwargs or {})
    if rules is None:  # an option only read_orders applies (dayfirst, a sheet...)
        return None
    files = local_parquet_files(name)  # checked before a session starts (10 s)
    column = nanosecond_column(files)
    if column is not None:
        if plain_columns(column_names(files), explicit, name) is None:
            return None  # read_orders reads nanoseconds and hands Spark the cleaned orders
        raise DataError(_NANOSECONDS.format(source=name, column=f"column {column!r} is "))
    spark = spark or session()
    frame = _read_parquet(spark, name)
    roles = plain_columns(list(frame.columns), explicit, name)
    if roles is None:
        return None
    types = dict(frame.dtypes)
    problems = type_problems("spark", types, roles)
    if problems and glob.has_magic(name):
        raise DataError(f"{name}: {'; '.join(problems)}; convert the files to Parquet with typed columns")
    if problems:  # read_orders reads such a file
        return None
    date = roles["order_date"]
    if types[date] == "timestamp":  # instants: read as the wall-clock times of their zone, as read_orders does
        try:
            zone = parquet_zone(_local_files(frame), date) or "UTC"  # no zone: INT96, or files elsewhere
        except DataError as error:
            raise DataError(f"{name}: {error}") from None
        from pyspark.sql import functions

        frame = frame.withColumn(date, functions.expr(wall_clock_sql("spark", quoted_name("spark", date), zone)))
    return spark_query(spark), view_dataframe(frame, spark, explicit, rules.drop_zero_amounts)


#: Why Spark cannot read a file of pandas' default times, and what to do (``{source}``, ``{column}`` filled in).
_NANOSECONDS = ("{source}: Spark cannot read Parquet times in nanoseconds ({column}timestamp[ns], pandas' default); "
                "use --engine duckdb, or write the file with times in microseconds (pandas: "
                "to_parquet(..., coerce_timestamps='us', allow_truncated_timestamps=True))")
#: Why Spark cannot read files whose columns differ in type (``{source}``, ``{difference}`` filled in).
_DIFFERENT_TYPES = ("{source}: the files' columns differ in type ({difference}), and Spark reads files of one "
                    "schema; use --engine duckdb, or write the files with the same column types")


def _read_parquet(spark: Any, source: str) -> Any:
    """``spark.read.parquet(source)`` with every file's columns (``mergeSchema``), Spark's errors in one line.

    Nanosecond times of files elsewhere (local files are checked before:
    :func:`~clv_xl.engines.parquet_footers.nanosecond_column`) and files whose columns differ in type (Spark cannot
    merge their schemas) are refused saying what to do.
    """
    try:
        return spark.read.option("mergeSchema", "true").parquet(source)
    except Exception as error:  # pyspark's AnalysisException (its module moved between versions), Py4JJavaError
        if not _from_spark(error):
            raise
        message = spark_message(error)
        if "TIMESTAMP(NANOS" in str(error) or "TIMESTAMP(NANOS" in message:
            raise DataError(_NANOSECONDS.format(source=source, column="")) from None
        if "CANNOT_MERGE" in message:
            difference = type_differences(local_parquet_files(source)) or message
            raise DataError(_DIFFERENT_TYPES.format(source=source, difference=difference)) from None
        raise spark_error(error, source) from None


def _local_files(frame: Any) -> list[Path]:
    """The files on this machine (``file:``) a Spark DataFrame reads, whatever named them (path, glob, folder).

    Files elsewhere (``hdfs:``, ``s3a:``) are not listed: their instants are read as UTC times.
    """
    found = []
    for uri in frame.inputFiles():
        parsed = urlparse(uri)
        if parsed.scheme in ("", "file"):
            found.append(Path(unquote(parsed.path)))
    return found


def files_query(
    source: str | os.PathLike[str], spark: Any | None = None, read_kwargs: dict[str, object] | None = None,
) -> Query | None:
    """A query function over plain Parquet order files read by Spark; None when they are not plain orders."""
    opened = plain_files(source, spark, read_kwargs)
    return None if opened is None else opened[0]


def summarize_files(
    source: str | os.PathLike[str], spark: Any | None = None, read_kwargs: dict[str, object] | None = None,
    **options: Any,
) -> pd.DataFrame | None:
    """Summarise plain Parquet order files read by Spark; None when they are not plain orders (see above)."""
    query = files_query(source, spark, read_kwargs)
    return None if query is None else summary_with(query, plain_dialect="spark", **options)
