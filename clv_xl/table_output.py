"""Write a table to CSV or XLSX for people to open in Excel: text from the data stays text.

Excel reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, in a workbook and when it opens a
CSV file ("CSV injection", OWASP). Here text cells of an ``.xlsx`` are stored as strings, never formulas, and text
values of a ``.csv`` that start with one of those characters (or a tab or carriage return) get a leading
apostrophe, which Excel shows as a text marker. The file is written atomically (see :mod:`clv_xl._atomic`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from clv_xl._atomic import atomic_output
from clv_xl.errors import InvalidArgumentError, OutputError

__all__ = ["write_table", "csv_safe_text", "FORMATS", "CSV_STYLES"]

#: File endings :func:`write_table` writes.
FORMATS: tuple[str, ...] = (".csv", ".xlsx", ".parquet")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: CSV column separator -> decimal mark: ``,`` with decimal points (English Excel), ``;`` with decimal commas
#: (French Excel, whose list separator is ``;`` because the comma is its decimal mark).
CSV_STYLES: dict[str, str] = {",": ".", ";": ","}


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


def _write_csv(frame: pd.DataFrame, stream: BinaryIO, separator: str = ",") -> None:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(csv_safe_text)
    whole_days = all(
        bool((stamps.dropna() == stamps.dropna().dt.normalize()).all())
        for _, stamps in safe.select_dtypes("datetime").items()
    )
    date_format = "%Y-%m-%d" if whole_days else "%Y-%m-%d %H:%M:%S"
    safe.to_csv(stream, index=False, encoding="utf-8-sig", date_format=date_format, sep=separator,
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


def _write_parquet(frame: pd.DataFrame, stream: BinaryIO, rows: int = 1_000_000) -> None:
    """Write ``frame`` (no index) as Parquet, ``rows`` at a time: 10M customers never exist twice in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    plain = frame.copy(deep=False)
    plain.attrs = {}  # pandas would store them as JSON: the report's objects are not
    first = pa.Table.from_pandas(plain.iloc[:rows], preserve_index=False)
    with pq.ParquetWriter(stream, first.schema) as writer:
        writer.write_table(first)
        del first
        for start in range(rows, len(plain), rows):
            writer.write_table(pa.Table.from_pandas(plain.iloc[start:start + rows], preserve_index=False,
                                                    schema=writer.schema))


def _check_sheet_rows(rows: int, path: str | Path) -> None:
    from clv_xl.report.content import MAX_DATA_ROWS  # imported for a sheet only: CSV/Parquet need no report

    if rows > MAX_DATA_ROWS:
        raise OutputError(
            f"{rows:,} rows do not fit in an Excel sheet (at most {MAX_DATA_ROWS:,} below the "
            f"header); nothing written: write {Path(path).with_suffix('.parquet').name} or .csv instead"
        )


def write_table(
    table: pd.DataFrame, path: str | Path, *, force: bool = False, sheet_name: str = "Customers", csv_style: str = ","
) -> Path:
    """Write ``table`` (its index as the first column) to a ``.csv``, ``.xlsx`` or ``.parquet`` file, atomically.

    A table longer than a worksheet (:data:`clv_xl.report.content.MAX_DATA_ROWS` rows below the header) is
    refused for ``.xlsx`` before anything is written: Excel would cut it (or not open it).

    Parameters
    ----------
    table : pandas.DataFrame
        What to write; a named index (such as ``customer_id``) becomes the first column. Not modified.
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
    frame = table.reset_index() if table.index.name is not None else table
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        _check_sheet_rows(len(frame), path)
    with atomic_output(path, force=force, suffixes=FORMATS, what="table") as stream:
        if suffix == ".csv":
            _write_csv(frame, stream, csv_style)
        elif suffix == ".parquet":
            _write_parquet(frame, stream)
        else:
            _write_xlsx(frame, stream, sheet_name)
    return Path(path).expanduser().absolute()
