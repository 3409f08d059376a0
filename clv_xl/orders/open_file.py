"""Open an order file as a raw table: find its kind, encoding, separator, header, sheet.

Nothing here interprets values; :mod:`clv_xl.orders` does that. The functions return a :class:`RawTable` that
also knows how to turn a row position into the row number a person sees in the file.

The stages have a module each, re-exported here: :mod:`~clv_xl.orders.raw_table` (:class:`RawTable`, the header
checks), :mod:`~clv_xl.orders.text_layout` (a text file's encoding, separator and header) and
:mod:`~clv_xl.orders.read_text_file` (reading it whole). This module tells a file's kind and reads Parquet.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from clv_xl.errors import DataError, InvalidArgumentError
from clv_xl.orders.limits import LIMITS
from clv_xl.orders.raw_table import RawTable, check_width, unique_labels
from clv_xl.orders.read_text_file import read_text
from clv_xl.orders.text_layout import TextLayout, sniff_text

__all__ = [
    "RawTable", "TextLayout", "as_path", "file_kind", "sniff_text", "read_text", "read_parquet", "check_width",
    "unique_labels",
]


def file_kind(path: Path) -> str:
    """Return ``"xlsx"``, ``"parquet"`` or ``"text"`` from the file's first bytes (not its extension).

    Raises
    ------
    DataError
        The file is missing, empty, an old binary ``.xls``, or another binary file.
    """
    if not path.exists():
        raise DataError(f"order file not found: {path}")
    if path.is_dir():
        raise DataError(f"{path} is a folder; pass an order file (CSV, TXT, XLSX or Parquet), or its files as a glob "
                        f"('{Path(path) / '*.parquet'}') with --engine duckdb")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise DataError(f"{path.name} is empty; export the orders again")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(f"{path.name} is an old binary .xls workbook; save it as .xlsx or CSV in Excel")
    return "text"


def read_parquet(path: Path) -> RawTable:
    """Read a Parquet file (its width and length checked from its metadata first)."""
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:
            check_width(path.name, len(parquet.schema_arrow.names))
            rows = parquet.metadata.num_rows
        if rows > LIMITS.max_table_rows:
            raise DataError(
                f"{path.name} holds {rows:,} rows, more than the {LIMITS.max_table_rows:,} orders clv-xl reads "
                "into memory from a Parquet file: use --engine duckdb (pip install 'clv-xl[duckdb]'), which reads "
                "plain orders (customer, date, amount) out of core, or split the file by period"
            )
        frame = pd.read_parquet(path)
    except DataError:
        raise
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {path.name} as Parquet: {str(exc).splitlines()[0][:160]}") from None
    if frame.empty:
        raise DataError(f"{path.name} has no order rows")
    keep_index = not isinstance(frame.index, pd.RangeIndex)  # a named index (customer_id, date) is data
    frame = frame.reset_index(drop=not keep_index)
    return RawTable(frame=frame, name=path.name, first_row=1, notes=["Parquet file"])


def as_path(source: str | os.PathLike[str]) -> Path:
    """Return ``source`` as a path, refusing text that is obviously data rather than a file name."""
    text = os.fspath(source)
    if "\n" in text:
        raise InvalidArgumentError("source", "source looks like CSV text, not a file name; save it and pass the path")
    return Path(text).expanduser()
