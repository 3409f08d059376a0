"""Run the customer summary in DuckDB: embedded, multi-threaded, out of core over Parquet and CSV files or globs.

Two ways in (see :mod:`clv_xl.engines.plain_files`): canonical orders handed over as an Arrow table (no copy),
or plain order files read by DuckDB itself, so orders larger than memory never become a pandas frame.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import threading
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from clv_xl.engines.plain_files import (
    DIRECT_SUFFIXES,
    PlainRules,
    matching_files,
    plain_columns,
    type_problems,
)
from clv_xl.engines.run import Query, histories_with, orders_table, summary_with
from clv_xl.engines.summary_sql import ORDERS_VIEW, SOURCE_VIEW, plain_view_statements, quoted_name
from clv_xl.engines.time_zones import parquet_zone, wall_clock_sql
from clv_xl.errors import ColumnNotFoundError, DataError, InvalidArgumentError

__all__ = ["DEFAULT_MEMORY_LIMIT", "spill_directory", "connect",
           "orders_query", "plain_files", "files_query", "summarize_orders", "summarize_files",
           "histories_files", "file_columns"]



#: DuckDB's memory limit unless one is given: past it, DuckDB spills to disk (its own default is 80 % of RAM,
#: which let a 100M-order summary reach 10.7 GB on a 24 GB machine). 2GB was too little for the summary of
#: 100M orders of 10M customers here (out of memory); see the README's "Big data" for measured figures.
DEFAULT_MEMORY_LIMIT = "3GB"


def _text(value: str) -> str:
    """``value`` as a DuckDB string literal (the quote doubled; backslashes are plain characters there).

    Examples
    --------
    >>> print(_text("o'k"))
    'o''k'
    """
    return "'" + value.replace("'", "''") + "'"


def spill_directory() -> str:
    """Where DuckDB spills past its memory limit: a folder of this process under the system's temporary folder.

    DuckDB's own default is ``.tmp`` in the current folder, which would leave spill files beside the user's data.

    Examples
    --------
    >>> import os, tempfile
    >>> os.path.dirname(spill_directory()) == tempfile.gettempdir()
    True
    """
    return os.path.join(tempfile.gettempdir(), f"clv_xl_duckdb_{os.getpid()}")


def connect(memory_limit: str | None = None) -> Any:
    """A DuckDB connection bounded to ``memory_limit`` (default :data:`DEFAULT_MEMORY_LIMIT`), spilling beyond it.

    ``memory_limit`` is DuckDB's notation: ``"3GB"``, ``"500MB"``, ``"2GiB"``. One-line errors when DuckDB is
    not installed or the limit is not a size.
    """
    try:
        import duckdb
    except ImportError:
        raise DataError("the duckdb engine needs DuckDB: pip install 'clv-xl[duckdb]' (or use --engine pandas)") \
            from None
    limit = DEFAULT_MEMORY_LIMIT if memory_limit is None else str(memory_limit).strip()
    connection = duckdb.connect()
    try:
        connection.execute(f"SET memory_limit = {_text(limit)}")
    except duckdb.Error:
        raise InvalidArgumentError("memory_limit", f"memory limit must be a size such as 3GB or 500MB; got "
                                                   f"{str(memory_limit)[:40]!r}") from None
    connection.execute(f"SET temp_directory = {_text(spill_directory())}")
    # the allocator's background threads hand freed memory back to the system: without them DuckDB kept ~2 GB of
    # a 100M-order query after it ended, on top of the summary being built in Python (peak RSS 4.6 GB at 3GB)
    # (DuckDB 1.1+; an older one without the setting only keeps more memory)
    with contextlib.suppress(duckdb.Error):
        connection.execute("SET allocator_background_threads = true")
    return connection


class _DuckDBQuery(Query):
    """Runs SQL in a DuckDB connection; results come as Arrow (ids stay Arrow strings, never Python objects).

    DECIMAL results (SUM of integers) become floats, as ``.df()`` gives them (streaming the result in batches
    was ~10 % slower at 10M orders and did not lower DuckDB's peak). A statement that returns nothing (``CREATE
    TEMP TABLE``, ``DROP``) gives an empty table. Running out of DuckDB's memory limit is one line saying how to
    raise it. One statement runs at a time (a lock): the report's monthly tables run on a background thread, and
    a DuckDB connection must not be used by two threads at once.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self._lock = threading.Lock()

    def arrow(self, sql: str) -> pa.Table:
        """The result of ``sql`` as an Arrow table."""
        import duckdb  # connect() made the connection: DuckDB is installed

        with self._lock:
            try:
                relation = self.connection.sql(sql)  # a statement (CREATE, DROP) runs here and returns None
                if relation is None:
                    return pa.table({})
                table = relation.to_arrow_table()
            except duckdb.OutOfMemoryException:
                limit = self.connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]
                raise DataError(f"DuckDB needs more memory than its limit ({limit}) for these orders: raise it "
                                "with --memory-limit (memory_limit=...), e.g. 4GB") from None
            except (duckdb.ConversionException, duckdb.InvalidInputException) as error:  # values, files: the data's
                raise DataError(f"DuckDB could not read the orders: {str(error).splitlines()[0][:300]}; for one file, "
                                "--engine pandas reads it (--skip-bad-rows drops unreadable rows); for a glob, write "
                                "the files with one schema of typed columns") from None
        for i, field in enumerate(table.schema):
            if pa.types.is_decimal(field.type):
                table = table.set_column(i, field.name, pc.cast(table.column(i), pa.float64()))
        return table

    def _register(self, name: str, table: pa.Table) -> None:
        with self._lock:
            self.connection.register(name, table)

    def _unregister(self, name: str) -> None:
        with self._lock:
            self.connection.unregister(name)


def orders_query(orders: pd.DataFrame, memory_limit: str | None = None) -> Query:
    """A query function over canonical orders (from :func:`clv_xl.orders.read_orders`) handed to DuckDB."""
    connection = connect(memory_limit)
    connection.register("clv_orders_arrow", orders_table(orders))
    connection.execute(f"CREATE TEMP VIEW {ORDERS_VIEW} AS SELECT * FROM clv_orders_arrow")
    return _DuckDBQuery(connection)


def summarize_orders(orders: pd.DataFrame, memory_limit: str | None = None, **options: Any) -> pd.DataFrame:
    """Summarise canonical orders (from :func:`clv_xl.orders.read_orders`) in DuckDB.

    ``options`` are those of :func:`clv_xl.customers.summarize`.
    """
    return summary_with(orders_query(orders, memory_limit), **options)


def _reader(source: str | os.PathLike[str]) -> str:
    files = matching_files(source)
    if not files:
        raise DataError(f"{os.fspath(source)}: no such file; check the path or the glob")
    suffixes = {path.suffix.lower() for path in files}
    if len(suffixes) > 1 or not suffixes <= set(DIRECT_SUFFIXES):
        raise DataError(f"{os.fspath(source)}: DuckDB reads Parquet or CSV files (one kind per glob); "
                        f"found {', '.join(sorted(suffixes))}")
    function = "read_parquet" if suffixes == {".parquet"} else "read_csv"
    # CSV: ISO dates only, so that 03/04/2024 is never read month-first here (read_orders decides that)
    # union_by_name: every file's columns are seen (a glob whose second file has a status column is not plain orders)
    options = (", union_by_name = true" if function == "read_parquet" else
               ", header = true, union_by_name = true, dateformat = '%Y-%m-%d', timestampformat = '%Y-%m-%d %H:%M:%S'")
    return f"{function}({_text(os.fspath(source))}{options})"


def file_columns(source: str | os.PathLike[str], connection: Any | None = None) -> dict[str, str]:
    """Column name -> DuckDB type of the orders in ``source`` (a file or a glob), read from the schema only."""
    connection = connection or connect()
    rows = connection.execute(f"DESCRIBE SELECT * FROM {_reader(source)}").fetchall()
    return {str(row[0]): str(row[1]) for row in rows}


def _zoned(duckdb_type: str) -> bool:
    """Whether a DuckDB column type holds instants (``TIMESTAMP WITH TIME ZONE``, ``TIMESTAMPTZ_NS``...).

    Examples
    --------
    >>> _zoned("TIMESTAMP WITH TIME ZONE"), _zoned("TIMESTAMPTZ_NS"), _zoned("TIMESTAMP_NS"), _zoned("DATE")
    (True, True, False, False)
    """
    return "WITH TIME ZONE" in duckdb_type or duckdb_type.startswith("TIMESTAMPTZ")


def microseconds_sql(column: str) -> str:
    """SQL of nanosecond times (``column``, quoted) cut to the microsecond below, as a ``TIMESTAMP``.

    DuckDB's own casts round them to the nearest microsecond, so 23:59:59.9999999 became the next day; pandas
    keeps nanoseconds, and its day is the one the time is in. (``//`` truncates towards zero: the remainder is
    taken off first, so times before 1970 go down too.)

    Examples
    --------
    >>> import duckdb
    >>> sql = microseconds_sql("CAST('2024-01-01 23:59:59.9999999' AS TIMESTAMP_NS)")
    >>> duckdb.connect().execute(f"SELECT CAST({sql} AS VARCHAR)").fetchone()[0]
    '2024-01-01 23:59:59.999999'
    """
    nanoseconds = f"epoch_ns({column})"
    return f"make_timestamp(({nanoseconds} - ({nanoseconds} % 1000 + 1000) % 1000) // 1000)"


def _wall_clock_source(connection: Any, source: str | os.PathLike[str], date: str,
                       date_type: str = "") -> tuple[str, str | None]:
    """SQL of the source's rows, the zoned times of ``date`` read as wall-clock times in their zone; or a problem.

    As ``read_orders`` reads them (:mod:`~clv_xl.engines.time_zones`). A CSV file (an offset per row) is a problem.
    """
    import duckdb

    files = matching_files(source)
    if any(path.suffix.lower() != ".parquet" for path in files):
        return "", f"date column {date!r} has time-zone offsets (read_orders keeps each order's local time)"
    try:
        zone = parquet_zone(files, date)
    except DataError as error:
        raise DataError(f"{os.fspath(source)}: {error}") from None
    if zone is None:  # DuckDB said zoned times; pyarrow reads every Parquet zone, so this is not expected
        return "", f"date column {date!r} has times with a time zone that could not be read from the files"
    column = quoted_name("duckdb", date)
    # nanoseconds (TIMESTAMPTZ_NS) cut to the microsecond below, as an instant, before the zone is applied
    instants = f"timezone('UTC', {microseconds_sql(column)})" if date_type.endswith("_NS") else column
    wall_clock = wall_clock_sql("duckdb", instants, zone)
    try:
        connection.execute(f"SELECT {wall_clock_sql('duckdb', 'TIMESTAMPTZ ' + _text('2000-01-01 00:00Z'), zone)}")
    except duckdb.Error:
        raise DataError(f"{os.fspath(source)}: DuckDB does not know the time zone {zone!r} of the date column "
                        f"{date!r}: use --engine pandas") from None
    return f"SELECT * REPLACE ({wall_clock} AS {column}) FROM {_reader(source)}", None


def _view_files(connection: Any, source: str | os.PathLike[str], explicit: dict[str, object] | None,
                rules: PlainRules | None = None) -> dict[str, str] | None:
    """Create the orders view over plain order files (role -> column); None when they are not plain orders.

    One file whose columns are not found by name (no header row, a layout DuckDB's reader misreads) is left to
    ``read_orders``, which also finds them by their values; a glob of such files is refused.
    """
    import duckdb  # connect() said how to install it when it is missing

    name = os.fspath(source)
    try:
        columns = file_columns(source, connection)
    except duckdb.Error as error:  # not UTF-8, not CSV-shaped...: read_orders knows more encodings and layouts
        if glob.has_magic(name):
            raise DataError(f"{name}: DuckDB cannot read these files ({str(error).splitlines()[0]}); "
                            "convert them to Parquet or UTF-8 CSV") from None
        return None
    try:
        roles = plain_columns(list(columns), explicit or {}, name)
    except ColumnNotFoundError:
        if glob.has_magic(name):
            raise
        return None
    if roles is None:
        return None
    problems = type_problems("duckdb", columns, roles)
    source_sql = f"SELECT * FROM {_reader(source)}"
    date_type = columns[roles["order_date"]]
    if not problems and _zoned(date_type):
        source_sql, problem = _wall_clock_source(connection, source, roles["order_date"], date_type)
        problems += [problem] if problem else []
    elif not problems and date_type == "TIMESTAMP_NS":
        column = quoted_name("duckdb", roles["order_date"])
        source_sql = f"SELECT * REPLACE ({microseconds_sql(column)} AS {column}) FROM {_reader(source)}"
    if problems and glob.has_magic(name):
        raise DataError(f"{name}: {'; '.join(problems)}; convert the files to Parquet with typed columns")
    if problems:
        return None
    connection.execute(f"CREATE TEMP VIEW {SOURCE_VIEW} AS {source_sql}")
    drop_zero = (rules or PlainRules()).drop_zero_amounts
    for statement in plain_view_statements("duckdb", SOURCE_VIEW, roles["customer_id"], roles["order_date"],
                                           roles["amount"], drop_zero_amounts=drop_zero):
        connection.execute(statement)
    # type pushdown: DuckDB would hand "CAST(date AS TIMESTAMP)" to the CSV reader, which then reads a date-only
    # column with the timestamp format and fails ("Could not convert string '2024-01-03' to 'TIMESTAMP'").
    # (Filter pushdown stays on: it moves the raw view's "not NULL" tests into the scan, 0.2-0.4 s of the 10M-order
    # summary; the orders view then strips blank-looking ids twice, which the 10M report did not show in its CPU.)
    # A name DuckDB does not know voids the whole setting (DuckDB 1.x has no type pushdown): only known ones.
    with contextlib.suppress(duckdb.Error):  # a DuckDB without the list runs with its optimizers
        known = {str(row[0]) for row in connection.execute("SELECT name FROM duckdb_optimizers()").fetchall()}
        disabled = [name for name in ("type_pushdown",) if name in known]
        if disabled:
            connection.execute(f"SET disabled_optimizers = {_text(','.join(disabled))}")
    return roles


def plain_files(
    source: str | os.PathLike[str], explicit: dict[str, object] | None = None, memory_limit: str | None = None,
    rules: PlainRules | None = None,
) -> tuple[Query, dict[str, str]] | None:
    """A query function over plain order files read by DuckDB itself, and the column of each role.

    The raw rows are the table :data:`~clv_xl.engines.summary_sql.SOURCE_VIEW`, the cleaned orders the view
    :data:`~clv_xl.engines.summary_sql.ORDERS_VIEW` (``rules``: the ``read_orders`` options applied, see
    :func:`~clv_xl.engines.plain_files.plain_rules`). None as for :func:`files_query`.
    """
    connection = connect(memory_limit)
    roles = _view_files(connection, source, explicit, rules)
    return None if roles is None else (_DuckDBQuery(connection), roles)


def files_query(
    source: str | os.PathLike[str], explicit: dict[str, object] | None = None, memory_limit: str | None = None,
) -> Query | None:
    """A query function over plain order files (a path or a glob of Parquet or CSV) read by DuckDB itself.

    None when one file is not plain orders (it has columns the cleaning rules use, or values DuckDB does not read
    as ISO dates and numbers): the caller then reads it with :func:`clv_xl.orders.read_orders` and calls
    :func:`orders_query`. A glob of such files is refused (one line).
    """
    opened = plain_files(source, explicit, memory_limit)
    return None if opened is None else opened[0]


def summarize_files(
    source: str | os.PathLike[str], explicit: dict[str, object] | None = None, memory_limit: str | None = None,
    **options: Any,
) -> pd.DataFrame | None:
    """Summarise plain order files read by DuckDB itself; None when they are not plain orders.

    See :func:`files_query`; ``options`` are those of :func:`clv_xl.customers.summarize`.
    """
    query = files_query(source, explicit, memory_limit)
    return None if query is None else summary_with(query, plain_dialect="duckdb", **options)


def histories_files(
    source: str | os.PathLike[str], explicit: dict[str, object] | None = None, memory_limit: str | None = None,
    **options: Any,
) -> pd.DataFrame | None:
    """Distinct (frequency, recency, T) histories with counts of plain order files, for a model fit.

    See :func:`clv_xl.engines.run.histories_with`; None as for :func:`summarize_files`.
    """
    query = files_query(source, explicit, memory_limit)
    return None if query is None else histories_with(query, **options)
