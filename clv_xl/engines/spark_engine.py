"""Run the customer summary in Spark SQL: a local session on one machine, or a cluster through ``--spark-master``.

The same SQL as DuckDB (:mod:`clv_xl.engines.summary_sql`). Ways in: canonical orders handed over as an Arrow
batch (``createDataFrame``), plain Parquet order files (a path, a directory or a glob) that Spark reads itself,
or, from Python, any Spark DataFrame of plain orders (a warehouse table: ``spark.table("sales.orders")``).
Spark needs a Java runtime (17 here); the session runs in UTC so that timestamps come back unchanged.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pandas as pd
import pyarrow as pa

from clv_xl.engines.plain_files import explicit_roles, matching_files, plain_columns, type_problems
from clv_xl.engines.run import Query, orders_table, summary_with
from clv_xl.engines.summary_sql import ORDERS_VIEW, SOURCE_VIEW, plain_view_statements, quoted_name
from clv_xl.engines.time_zones import parquet_zone, wall_clock_sql
from clv_xl.errors import DataError

__all__ = ["session", "spark_query", "view_dataframe", "orders_query", "dataframe_query", "plain_files",
           "files_query", "summarize_orders", "summarize_dataframe", "summarize_files"]

#: Settings of the sessions clv-xl starts (an existing session passed in is used as it is, bar the time zone).
SESSION_SETTINGS: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.showConsoleProgress": "false",
}


def session(master: str | None = None) -> Any:
    """The active SparkSession, or a new one on ``master`` (default ``local[*]``); one line when pyspark is absent."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise DataError("the spark engine needs pyspark and Java: pip install 'clv-xl[spark]' "
                        "(or use --engine duckdb)") from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        active.conf.set("spark.sql.session.timeZone", "UTC")
        return active
    builder = SparkSession.builder.master(master or "local[*]").appName("clv-xl")
    for key, value in SESSION_SETTINGS.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


class _SparkQuery(Query):
    """Runs SQL in a SparkSession; results come as pandas frames (``toPandas``, through Arrow)."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def __call__(self, sql: str) -> pd.DataFrame:
        """The result of ``sql`` as a pandas frame."""
        return self.spark.sql(sql).toPandas()

    def _register(self, name: str, table: pa.Table) -> None:
        schema = ", ".join(f"`{field.name}` string" for field in table.schema)
        self.spark.createDataFrame(table.to_pandas(), schema=schema).createOrReplaceTempView(name)

    def _unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)


def spark_query(spark: Any) -> Query:
    """A query function running SQL in ``spark`` and returning the result as a pandas frame."""
    return _SparkQuery(spark)


def orders_query(orders: pd.DataFrame, spark: Any | None = None) -> Query:
    """A query function over canonical orders (from :func:`clv_xl.orders.read_orders`) handed to Spark."""
    spark = spark or session()
    frame = spark.createDataFrame(orders_table(orders).to_pandas())
    frame.createOrReplaceTempView(ORDERS_VIEW)
    return spark_query(spark)


def summarize_orders(orders: pd.DataFrame, spark: Any | None = None, **options: Any) -> pd.DataFrame:
    """Summarise canonical orders (from :func:`clv_xl.orders.read_orders`) in Spark.

    ``options`` are those of :func:`clv_xl.customers.summarize`.
    """
    return summary_with(orders_query(orders, spark), **options)


def view_dataframe(orders: Any, spark: Any, explicit: Mapping[str, object] | None) -> dict[str, str]:
    """Create the orders view over a Spark DataFrame of plain orders; return the column of each role."""
    roles = plain_columns(list(orders.columns), explicit or {}, "the Spark DataFrame")
    if roles is None:
        raise DataError("the Spark DataFrame has columns that need clv-xl's cleaning rules (status, order id, "
                        "refunds, e-mail or currency): select customer, date and amount of paid orders first")
    problems = type_problems("spark", dict(orders.dtypes), roles)
    if problems:
        raise DataError(f"the Spark DataFrame: {'; '.join(problems)}; cast the columns first (ids to string)")
    orders.createOrReplaceTempView(SOURCE_VIEW)
    for statement in plain_view_statements("spark", SOURCE_VIEW, roles["customer_id"], roles["order_date"],
                                           roles["amount"]):
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
    :data:`~clv_xl.engines.summary_sql.ORDERS_VIEW`; None when the files are not plain orders.
    """
    column = nanosecond_column(os.fspath(source))  # before a session starts (10 s)
    if column is not None:
        raise DataError(_NANOSECONDS.format(source=os.fspath(source), column=f"column {column!r} is "))
    spark = spark or session()
    frame = _read_parquet(spark, os.fspath(source))
    explicit = explicit_roles(read_kwargs or {})
    roles = plain_columns(list(frame.columns), explicit, os.fspath(source))
    if roles is None:
        return None
    problems = type_problems("spark", dict(frame.dtypes), roles)
    if problems and glob.has_magic(os.fspath(source)):
        raise DataError(f"{os.fspath(source)}: {'; '.join(problems)}; convert the files to Parquet with typed columns")
    if problems:  # read_orders reads such a file
        return None
    date = roles["order_date"]
    try:
        zone = parquet_zone(_local_files(frame), date)
    except DataError as error:
        raise DataError(f"{os.fspath(source)}: {error}") from None
    if zone is not None:  # Spark holds instants: read them as the wall-clock times of their zone, as read_orders
        from pyspark.sql import functions

        frame = frame.withColumn(date, functions.expr(wall_clock_sql("spark", quoted_name("spark", date), zone)))
    return spark_query(spark), view_dataframe(frame, spark, explicit)


#: Why Spark cannot read a file of pandas' default times, and what to do (``{source}``, ``{column}`` filled in).
_NANOSECONDS = ("{source}: Spark cannot read Parquet times in nanoseconds ({column}timestamp[ns], pandas' default); "
                "use --engine duckdb, or write the file with times in microseconds (pandas: "
                "to_parquet(..., coerce_timestamps='us', allow_truncated_timestamps=True))")


def _read_parquet(spark: Any, source: str) -> Any:
    """``spark.read.parquet(source)``, refusing in one line the nanosecond times Spark cannot read (a Java trace).

    Local files are checked before (:func:`nanosecond_column`); this catches those of files elsewhere.
    """
    try:
        return spark.read.parquet(source)
    except Exception as error:  # pyspark's AnalysisException (its module moved between versions)
        if "TIMESTAMP(NANOS" not in str(error):
            raise
        raise DataError(_NANOSECONDS.format(source=source, column="")) from None


def nanosecond_column(source: str) -> str | None:
    """The first column of nanosecond times in the Parquet files on this machine that ``source`` names, if any.

    ``source`` is a file, a glob or a folder (its ``*.parquet`` files, at any depth), or a ``file:`` URI; None for
    files elsewhere (``hdfs:``, ``s3a:``).

    Examples
    --------
    >>> import tempfile, pyarrow as pa, pyarrow.parquet as pq
    >>> folder = Path(tempfile.mkdtemp())
    >>> pq.write_table(pa.table({"d": pa.array([0], pa.timestamp("ns"))}), folder / "o.parquet")
    >>> nanosecond_column(str(folder)), nanosecond_column("s3a://bucket/orders")
    ('d', None)
    """
    import pyarrow.parquet as pq

    parsed = urlparse(source)
    if len(parsed.scheme) > 1 and parsed.scheme != "file":  # one letter: a Windows drive
        return None
    text = unquote(parsed.path) if parsed.scheme == "file" else source
    files = sorted(Path(text).rglob("*.parquet")) if Path(text).is_dir() else matching_files(text)
    for path in files:
        for field in pq.read_schema(path):
            if pa.types.is_timestamp(field.type) and field.type.unit == "ns":
                return str(field.name)
    return None


def _local_files(frame: Any) -> list[Path]:
    """The files on this machine (``file:``) a Spark DataFrame reads, whatever named them (path, glob, folder).

    Files elsewhere (``hdfs:``, ``s3a:``) are not listed: their times are read in UTC, Spark's session zone.
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
