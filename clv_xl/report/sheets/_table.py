"""A big data table: header and prototype row through openpyxl, rows streamed in later, as an Excel Table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from clv_xl.errors import OutputError
from clv_xl.report.cells import clean_text, put_text, put_value
from clv_xl.report.content import excel_serial
from clv_xl.report.sheets._context import WriteContext, column_range, fit_headers
from clv_xl.report.stream import StreamColumn, StreamedTable

__all__ = ["DataColumn", "write_data_table", "MAX_ROWS"]

#: Rows in a worksheet.
MAX_ROWS = 1_048_576


@dataclass
class DataColumn:
    """A column of a data table.

    Attributes
    ----------
    key : str
        Name used in ``ctx.ranges`` (``"<prefix>.<key>"``).
    header : str
        Header text (unique in the table).
    kind : str
        ``"text"``, ``"date"`` or a number format kind (``"int"``, ``"dec"``, ``"money"``, ``"pct"``).
    values : Series
        One value per row.
    width : float
        Column width.
    fallback : str, optional
        Text written where a number column has no value (blank otherwise).
    """

    key: str
    header: str
    kind: str
    values: pd.Series
    width: float = 14.0
    fallback: str | None = None


def write_data_table(ctx: WriteContext, ws: Worksheet, row: int, col: int, columns: list[DataColumn],
                     table_name: str, prefix: str) -> tuple[int, int]:
    """Lay out a data table whose rows are streamed in after saving.

    Parameters
    ----------
    ctx : WriteContext
        Shared state; receives the streamed table and the column ranges.
    ws : Worksheet
        Target sheet; nothing may be written at or below ``row + 1`` afterwards.
    row, col : int
        Header cell (top-left).
    columns : list of DataColumn
        The data.
    table_name : str
        Excel Table name.
    prefix : str
        Prefix of the range names put in ``ctx.ranges``.

    Returns
    -------
    tuple of int
        First and last data row.
    """
    n = len(columns[0].values)
    first, last = row + 1, row + max(n, 1)
    if last > MAX_ROWS:
        raise OutputError(f"{n:,} rows do not fit on sheet {ws.title!r} below row {row} (a sheet has "
                          f"{MAX_ROWS:,} rows); move the table up in the template or split the data")
    stream: list[StreamColumn] = []
    for j, column in enumerate(columns):
        c = col + j
        put_text(ws.cell(row, c), column.header, style="clv_header")
        ws.column_dimensions[get_column_letter(c)].width = column.width
        proto = ws.cell(first, c)
        values = column.values
        if column.kind == "text":
            put_text(proto, "x")
            proto.number_format = "@"
            stream.append(StreamColumn("text", values.astype("string").reset_index(drop=True)))
        else:
            put_value(proto, 0, ctx.fmt(column.kind))
            numbers = excel_serial(values) if column.kind == "date" else \
                pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
            stream.append(StreamColumn("number", np.asarray(numbers, dtype=np.float64), column.fallback))
        ctx.ranges[f"{prefix}.{column.key}"] = column_range(ws.title, c, first, last)
    fit_headers(ws, row, col, col + len(columns) - 1)
    ref = f"{get_column_letter(col)}{row}:{get_column_letter(col + len(columns) - 1)}{last}"
    table = Table(displayName=table_name, ref=ref)
    # name the columns ourselves: left to openpyxl, it would create every cell of the range to read the header
    table._initialise_columns()
    for column, header in zip(table.tableColumns, columns, strict=True):
        column.name = clean_text(header.header)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = ws.cell(row + 1, col)
    ctx.header_rows[ws.title] = row
    ctx.streamed.append(StreamedTable(ws.title, first, col, stream))
    return first, last
