"""Write a table to CSV or XLSX for people to open in Excel: text from the data stays text.

Excel reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, in a workbook and when it opens a
CSV file ("CSV injection", OWASP). Here text cells of an ``.xlsx`` are stored as strings, never formulas, and text
values of a ``.csv`` that start with one of those characters (or a tab or carriage return) get a leading
apostrophe, which Excel shows as a text marker. The file is written atomically (see :mod:`clv_xl._atomic`).

A table may also come in chunks (:class:`FrameChunks`, such as :class:`clv_xl.customers.CustomerSummary`): CSV and
Parquet are then written a chunk at a time, so a table of 10M rows never exists whole in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import numpy as np
import pandas as pd

from clv_xl._atomic import atomic_output
from clv_xl.errors import InvalidArgumentError, OutputError

__all__ = ["write_table", "csv_safe_text", "FORMATS", "CSV_STYLES", "FrameChunks"]

#: File endings :func:`write_table` writes.
FORMATS: tuple[str, ...] = (".csv", ".xlsx", ".parquet")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: CSV column separator -> decimal mark: ``,`` with decimal points (English Excel), ``;`` with decimal commas
#: (French Excel, whose list separator is ``;`` because the comma is its decimal mark).
CSV_STYLES: dict[str, str] = {",": ".", ";": ","}


class FrameChunks(Protocol):
    """A table in chunks: its rows as consecutive frames (same columns, index named as the first column's)."""

    def __len__(self) -> int:
        """Rows of the whole table."""

    def frames(self) -> Iterator[pd.DataFrame]:
        """The rows, in order, a chunk at a time (a new pass at each call).

        A table may also have ``whole_days()`` (whether its timestamps are all midnights): the CSV writer then
        takes its date format from it instead of a first pass over the frames.
        """


def csv_safe_text(value: object) -> object:
    """Prefix text that Excel would read as a formula with an apostrophe; leave everything else alone.

    Examples
    --------
    >>> csv_safe_text("=HYPERLINK(1)"), csv_safe_text("-2"), csv_safe_text("alice@example.com"), csv_safe_text(-2)
    ("'=HYPERLINK(1)", "'-2", 'alice@example.com', -2)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _whole_days(frames: Iterable[pd.DataFrame]) -> bool:
    """Whether every timestamp of the frames is a midnight (then CSV writes dates without a time)."""
    return all(
        bool((stamps.dropna() == stamps.dropna().dt.normalize()).all())
        for frame in frames for _, stamps in frame.select_dtypes("datetime").items()
    )


def _write_csv(frames: Iterable[pd.DataFrame], stream: BinaryIO, separator: str = ",", *,
               whole_days: bool) -> None:
    for number, frame in enumerate(frames):
        safe = frame.copy()
        for column in safe.columns:
            if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
                safe[column] = safe[column].map(csv_safe_text)
        safe.to_csv(stream, index=False, header=number == 0, encoding="utf-8-sig" if number == 0 else "utf-8",
                    date_format="%Y-%m-%d" if whole_days else "%Y-%m-%d %H:%M:%S", sep=separator,
                    decimal=CSV_STYLES[separator])


def _xlsx_value(text_cell: Callable[[str], Any], value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, str):
        return text_cell(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int | float | dt.datetime | dt.date):
        return value
    return _xlsx_value(text_cell, str(value))


def _write_xlsx(frame: pd.DataFrame, stream: BinaryIO, sheet_name: str) -> None:
    # imported here: writing CSV or Parquet (clv-xl summary on millions of orders) needs neither
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from clv_xl.report.cells import clean_text

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)

    def text_cell(value: str) -> Any:
        cell = WriteOnlyCell(sheet, clean_text(value))
        cell.data_type = "s"  # text, whatever it starts with
        return cell

    sheet.append([_xlsx_value(text_cell, str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_xlsx_value(text_cell, v) for v in row])
    book.save(stream)


def _write_parquet(frames: Iterable[pd.DataFrame], stream: BinaryIO, rows: int = 1_000_000) -> None:
    """Write the frames (no index) as Parquet, ``rows`` at a time: 10M rows never exist twice in memory.

    Each piece is written on a second thread (pyarrow encodes without the GIL) while the next frame is derived and
    converted on this one: at most two pieces are in memory, and a failed write stops the file at once.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from clv_xl.background import started

    writer = None
    in_flight: list[Callable[[], None]] = []  # what waits for the piece being written (at most one)

    def wait() -> None:
        while in_flight:
            in_flight.pop()()

    try:
        for frame in frames:
            plain = frame.copy(deep=False)
            plain.attrs = {}  # pandas would store them as JSON: the report's objects are not
            for start in range(0, max(len(plain), 1), rows):
                piece = pa.Table.from_pandas(plain.iloc[start:start + rows], preserve_index=False,
                                             schema=None if writer is None else writer.schema)
                if writer is None:  # dictionaries for the label columns only: the key and the numbers are
                    # mostly distinct, and trying a dictionary on them cost 30 % of writing 1M customers
                    labels = [f.name for f in list(piece.schema)[1:] if pa.types.is_string(f.type)
                              or pa.types.is_large_string(f.type)]
                    writer = pq.ParquetWriter(stream, piece.schema, use_dictionary=labels)
                wait()
                in_flight.append(started(writer.write_table, piece))
                del piece
        wait()
    finally:
        with contextlib.suppress(Exception):  # an error on this thread: let the write in flight end first
            wait()
        if writer is not None:
            writer.close()


def _check_sheet_rows(rows: int, path: str | Path) -> None:
    from clv_xl.report.content import MAX_DATA_ROWS  # imported for a sheet only: CSV/Parquet need no report

    if rows > MAX_DATA_ROWS:
        raise OutputError(
            f"{rows:,} rows do not fit in an Excel sheet (at most {MAX_DATA_ROWS:,} below the "
            f"header); nothing written: write {Path(path).with_suffix('.parquet').name} or .csv instead"
        )


def write_table(
    table: pd.DataFrame | FrameChunks, path: str | Path, *, force: bool = False, sheet_name: str = "Customers",
    csv_style: str = ",",
) -> Path:
    """Write ``table`` (its index as the first column) to a ``.csv``, ``.xlsx`` or ``.parquet`` file, atomically.

    A table longer than a worksheet (:data:`clv_xl.report.content.MAX_DATA_ROWS` rows below the header) is
    refused for ``.xlsx`` before anything is written: Excel would cut it (or not open it).

    Parameters
    ----------
    table : pandas.DataFrame or FrameChunks
        What to write, whole or in chunks; a named index (such as ``customer_id``) becomes the first column. Not
        modified.
    path : str or pathlib.Path
        The output file; its ending picks the format.
    force : bool, default False
        Replace an existing file.
    sheet_name : str, default "Customers"
        Worksheet name, for ``.xlsx``.
    csv_style : {",", ";"}, default ","
        For ``.csv``: the column separator, which also picks the decimal mark (:data:`CSV_STYLES`): ``";"``
        writes ``12,5`` as French Excel reads it. Dates stay ``2024-01-31``, which every Excel reads.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OutputError
        Another ending, an existing file without ``force``, a missing or read-only folder, too many rows
        for ``.xlsx``.
    InvalidArgumentError
        A ``csv_style`` other than ``","`` or ``";"``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> frame = pd.DataFrame({"revenue": [40.0]}, index=pd.Index(["=1+1"], name="customer_id"))
    >>> print(write_table(frame, folder / "c.csv").read_text(encoding="utf-8-sig").strip())
    customer_id,revenue
    '=1+1,40.0
    >>> print(write_table(frame, folder / "f.csv", csv_style=";").read_text(encoding="utf-8-sig").strip())
    customer_id;revenue
    '=1+1;40,0
    """
    if csv_style not in CSV_STYLES:
        raise InvalidArgumentError("csv_style", f"csv_style must be one of {', '.join(CSV_STYLES)}; got {csv_style!r}")
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        _check_sheet_rows(len(table), path)

    def frames() -> Iterator[pd.DataFrame]:
        for frame in [table] if isinstance(table, pd.DataFrame) else table.frames():
            yield frame.reset_index() if frame.index.name is not None else frame

    with atomic_output(path, force=force, suffixes=FORMATS, what="table") as stream:
        if suffix == ".csv":
            # a table that knows its timestamps (CustomerSummary) says it, rather than deriving every frame twice
            known = None if isinstance(table, pd.DataFrame) else getattr(table, "whole_days", None)
            whole_days = known() if known is not None else _whole_days(frames())
            _write_csv(frames(), stream, csv_style, whole_days=whole_days)
        elif suffix == ".parquet":
            _write_parquet(frames(), stream)
        else:
            whole = list(frames())
            _write_xlsx(whole[0] if len(whole) == 1 else pd.concat(whole, ignore_index=True), stream, sheet_name)
    return Path(path).expanduser().absolute()
