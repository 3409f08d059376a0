"""Order times with a time zone, read by an engine as :func:`clv_xl.orders.read_orders` reads them.

``read_orders`` keeps each order's local (wall-clock) time and drops the zone: an order placed at 00:30 in Paris
is on the day it was placed in Paris, whatever the time zone of the machine. DuckDB and Spark hold such times as
instants and would show them in the session's time zone (DuckDB's default is the machine's), so a plain Parquet
file whose date column has a zone (``timestamp[us, tz=Europe/Paris]``; Spark and DuckDB write ``UTC``) is read
here as the wall-clock time of that zone, the zone named in the file's schema. A CSV file has an offset per row
(``2024-01-01T00:30:00+01:00``), which DuckDB's reader turns into one instant: such a file goes through
``read_orders``, which keeps each row's own local time.

Spark shows an instant, and takes its day (``CAST(stamp AS DATE)``), in the session's time zone, which a session
passed in sets as it likes: its wall-clock time in the file's zone is made the instant that the session's zone shows
as that time (``to_utc_timestamp(from_utc_timestamp(t, zone), current_timezone())``; in a UTC session, the shifted
instant itself).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from clv_xl.errors import DataError

__all__ = ["parquet_zone", "wall_clock_sql"]

#: Zones handed to an engine: IANA names (``Europe/Paris``, ``UTC``) or offsets (``+01:00``); never a quote.
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-/]{0,63}|[+-]\d{2}:?\d{2}")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")

#: Per dialect: the wall-clock time of instant ``{column}`` in zone ``{zone}`` (named) or at an offset of
#: ``{minutes}`` minutes (DuckDB knows zones by name only). Spark's, an instant the session's zone shows as that time.
_SPARK_WALL_CLOCK = "to_utc_timestamp(from_utc_timestamp({column}, '{zone}'), current_timezone())"
_WALL_CLOCK: dict[str, dict[str, str]] = {
    "duckdb": {"named": "timezone('{zone}', {column})",
               "offset": "(timezone('UTC', {column}) + INTERVAL ({minutes}) MINUTE)"},
    "spark": {"named": _SPARK_WALL_CLOCK, "offset": _SPARK_WALL_CLOCK},
}


def parquet_zone(files: Sequence[Path], column: str) -> str | None:
    """The time zone of the timestamps of ``column`` in Parquet ``files`` (the same in each); None when they have none.

    The column is found whatever the case of its name in each file, as DuckDB's ``union_by_name`` finds it; a file
    without it adds nothing.

    Raises
    ------
    DataError
        The files' zones differ, or a zone is neither a name nor an offset.

    Examples
    --------
    >>> import tempfile, pyarrow as pa, pyarrow.parquet as pq
    >>> path = Path(tempfile.mkdtemp()) / "o.parquet"
    >>> pq.write_table(pa.table({"d": pa.array([0], pa.timestamp("us", tz="Europe/Paris"))}), path)
    >>> parquet_zone([path], "d"), parquet_zone([path], "no such column")
    ('Europe/Paris', None)
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    zones: set[str | None] = set()  # None: values without a zone (times, dates, text): a zone would move them
    for path in files:
        schema = pq.read_schema(path)
        kinds = [field.type for field in schema if field.name.lower() == column.lower()]  # as union_by_name reads
        for kind in kinds:
            zones.add(str(kind.tz) if pa.types.is_timestamp(kind) and kind.tz is not None else None)
    if len(zones) > 1:
        names = sorted(str(zone or "none") for zone in zones)
        raise DataError(f"the date column {column!r} is in several time zones across the files "
                        f"({', '.join(names)}): write them in one, or read one file at a time")
    zone = zones.pop() if zones else None
    if zone is not None and not _ZONE.fullmatch(zone):
        raise DataError(f"the date column {column!r} has the time zone {zone[:40]!r}, which is not a zone name "
                        "(Europe/Paris) or an offset (+01:00): use --engine pandas")
    return zone


def wall_clock_sql(dialect: str, column: str, zone: str) -> str:
    """SQL of the wall-clock time in ``zone`` of the instants of ``column`` (SQL already quoted), in ``dialect``.

    Examples
    --------
    >>> wall_clock_sql("duckdb", '"d"', "Europe/Paris")
    'timezone(\\'Europe/Paris\\', "d")'
    >>> wall_clock_sql("duckdb", '"d"', "-05:30")
    '(timezone(\\'UTC\\', "d") + INTERVAL (-330) MINUTE)'
    >>> wall_clock_sql("spark", "`d`", "+01:00")
    "to_utc_timestamp(from_utc_timestamp(`d`, '+01:00'), current_timezone())"
    """
    if not _ZONE.fullmatch(zone):
        raise ValueError(f"not a time zone: {zone!r}")
    offset = _OFFSET.fullmatch(zone)
    if offset is None:
        return _WALL_CLOCK[dialect]["named"].format(column=column, zone=zone)
    sign, hours, minutes = offset.groups()
    total = (int(hours) * 60 + int(minutes)) * (-1 if sign == "-" else 1)
    return _WALL_CLOCK[dialect]["offset"].format(column=column, zone=zone, minutes=total)
