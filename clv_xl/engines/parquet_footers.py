"""What local Parquet files declare in their footers, read with pyarrow before (or instead of) an engine's reader.

Spark starts in 10-20 s and answers a file it cannot read with a long Java trace: what can be told from the files'
schemas on this machine (times in nanoseconds, columns whose type differs between the files of a glob) is told
here first, in one line, by :mod:`clv_xl.engines.spark_engine`. Files elsewhere (``hdfs:``, ``s3a:``) are not
listed: the engine's own error is turned into the same line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from clv_xl.engines.plain_files import matching_files
from clv_xl.errors import DataError

__all__ = ["footer", "local_parquet_files", "nanosecond_column", "column_names", "type_differences"]


def footer(path: Path) -> Any:
    """The Parquet footer (``pyarrow.parquet.FileMetaData``) of ``path``; one line when it cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "bad.parquet"
    >>> _ = bad.write_bytes(b"PAR1garbagePAR1")
    >>> footer(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    clv_xl.errors.DataError: bad.parquet is not a Parquet file pyarrow can read (...); check the file, or write it again
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_metadata(path)
    except (pa.ArrowException, OSError) as error:
        raise DataError(f"{path.name} is not a Parquet file pyarrow can read ({str(error).splitlines()[0][:120]}); "
                        "check the file, or write it again") from None


def local_parquet_files(source: str) -> list[Path]:
    """The Parquet files on this machine that ``source`` names (none for files elsewhere: ``hdfs:``, ``s3a:``).

    ``source`` is a file, a glob, a folder (its ``*.parquet`` files, at any depth) or a ``file:`` URI.

    Examples
    --------
    >>> local_parquet_files("s3a://bucket/orders"), local_parquet_files("no/such/*.parquet")
    ([], [])
    """
    parsed = urlparse(source)
    if len(parsed.scheme) > 1 and parsed.scheme != "file":  # one letter: a Windows drive
        return []
    text = unquote(parsed.path) if parsed.scheme == "file" else source
    return sorted(Path(text).rglob("*.parquet")) if Path(text).is_dir() else matching_files(text)


def nanosecond_column(files: list[Path]) -> str | None:
    """The first column of nanosecond times (Parquet INT64 timestamps in nanoseconds) in ``files``, if any.

    Told from the Parquet types, not pyarrow's: pyarrow also reads INT96 times (Spark's default, Impala's) as
    ``timestamp[ns]``, and Spark reads those.

    Examples
    --------
    >>> import tempfile, pyarrow as pa, pyarrow.parquet as pq
    >>> folder = Path(tempfile.mkdtemp())
    >>> table = pa.table({"d": pa.array([0], pa.timestamp("ns"))})
    >>> pq.write_table(table, folder / "int96.parquet", use_deprecated_int96_timestamps=True)
    >>> nanosecond_column(local_parquet_files(str(folder)))
    >>> pq.write_table(table, folder / "ns.parquet")
    >>> nanosecond_column(local_parquet_files(str(folder)))
    'd'
    """
    for path in files:
        schema = footer(path).schema
        for i in range(len(schema)):
            column = schema.column(i)
            if column.physical_type == "INT64" and column.logical_type.type == "TIMESTAMP" and json.loads(
                    column.logical_type.to_json()).get("timeUnit") == "nanoseconds":
                return str(column.path)
    return None


def column_names(files: list[Path]) -> list[str]:
    """The column names of Parquet ``files``, each once, in the order first seen."""
    return list(dict.fromkeys(name for path in files for name in footer(path).schema.to_arrow_schema().names))


def type_differences(files: list[Path], most: int = 3) -> str:
    """The columns whose type differs between Parquet ``files`` (at most ``most``), as pyarrow reads them.

    Examples
    --------
    >>> import tempfile, pyarrow as pa, pyarrow.parquet as pq
    >>> folder = Path(tempfile.mkdtemp())
    >>> pq.write_table(pa.table({"id": pa.array([1]), "x": [1.0]}), folder / "a.parquet")
    >>> pq.write_table(pa.table({"ID": ["1"], "x": [2.0]}), folder / "b.parquet")
    >>> type_differences(local_parquet_files(str(folder)))
    "column 'ID' is int64 in a.parquet, string in b.parquet"
    """
    first: dict[str, tuple[str, str]] = {}  # column (any case, as Spark matches them) -> first type, its file
    found: dict[str, str] = {}
    for path in files:
        for field in footer(path).schema.to_arrow_schema():
            kind, key = str(field.type), field.name.lower()
            seen = first.setdefault(key, (kind, path.name))
            if seen[0] != kind and key not in found and len(found) < most:
                found[key] = f"column {field.name!r} is {seen[0]} in {seen[1]}, {kind} in {path.name}"
    return "; ".join(found.values())
