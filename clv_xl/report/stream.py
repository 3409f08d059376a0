"""Streaming the big data sheets (Customers, Orders, Forecast) straight into the saved workbook.

openpyxl writes the filled template with, on each big sheet, the header row, a *prototype* data row carrying
each column's style, and the Excel Table that will span the data. :func:`splice` then copies that package to
the output and replaces the prototype row with every data row, built as XML text in vectorised chunks. The
template's layout, styles, tables, charts and conditional formats stay exactly as openpyxl wrote them.

Text is written as inline strings (``t="inlineStr"``), so ids such as ``=1+1`` or ``@cmd`` are never formulas.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Literal
from xml.etree import ElementTree

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from clv_xl.report.cells import MAX_CELL_TEXT

__all__ = ["StreamColumn", "StreamedTable", "splice", "CHUNK_ROWS"]

#: Rows built and written per chunk.
CHUNK_ROWS = 50_000

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"


@dataclass
class StreamColumn:
    """One column of a streamed table.

    Parameters
    ----------
    kind : {"text", "number"}
        Text is written as an inline string; numbers (and dates as serial numbers) as values.
    values : array-like
        One value per row; missing values leave the cell blank.
    fallback : str, optional
        For numbers: text written where the value is missing, instead of a blank.
    """

    kind: Literal["text", "number"]
    values: Sequence[object] | np.ndarray | pd.Series
    fallback: str | None = None


@dataclass
class StreamedTable:
    """Rows to stream into a sheet below what openpyxl wrote.

    Parameters
    ----------
    sheet : str
        Sheet title.
    first_row : int
        Row of the prototype row, where the data starts.
    first_col : int
        Column of the first data column (1-based).
    columns : list of StreamColumn
        Data, in sheet order.
    """

    sheet: str
    first_row: int
    first_col: int
    columns: list[StreamColumn]

    @property
    def n_rows(self) -> int:
        """Number of data rows."""
        return len(self.columns[0].values) if self.columns else 0


def _text_cells(values: pd.Series, attrs: str | pd.Series) -> pd.Series:
    text = values.astype("string").fillna("")
    text = text.str.slice(0, MAX_CELL_TEXT)
    if text.str.contains(r"[&<>]|_x|" + _ILLEGAL, regex=True).any():
        text = (text.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False)
                .str.replace(">", "&gt;", regex=False).str.replace(_ILLEGAL, "\ufffd", regex=True)
                .str.replace(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", regex=True))
    cells = "<c" + attrs + ' t="inlineStr"><is><t xml:space="preserve">' + text + "</t></is></c>"
    return cells.where(values.notna().to_numpy(), "<c" + attrs + "/>")


def _number_cells(values: pd.Series, attrs: str | pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    finite = np.isfinite(numbers.to_numpy())
    text = numbers.astype(str).astype("string")
    cells = "<c" + attrs + "><v>" + text + "</v></c>"
    return cells.where(finite, "<c" + attrs + "/>")


def _chunks(table: StreamedTable, styles: list[str]) -> Iterator[bytes]:
    """Rows as XML; the first cell of a row carries its reference, the others follow it (``r`` is optional)."""
    n = table.n_rows
    series = [pd.Series(np.asarray(col.values) if not isinstance(col.values, pd.Series) else col.values.to_numpy())
              for col in table.columns]
    letter = get_column_letter(table.first_col)
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        rows = pd.Series(np.arange(table.first_row + start, table.first_row + stop)).astype(str).astype("string")
        line = '<row r="' + rows + '">'
        for j, (col, values, style) in enumerate(zip(table.columns, series, styles, strict=True)):
            part = values.iloc[start:stop].reset_index(drop=True)
            attrs: str | pd.Series = (f' r="{letter}' + rows + '"' + style) if j == 0 else style
            if col.kind == "text":
                cells = _text_cells(part, attrs)
            else:
                cells = _number_cells(part, attrs)
                if col.fallback is not None:
                    missing = pd.Series([col.fallback] * len(part), dtype="string")
                    text = _text_cells(missing, attrs)
                    cells = cells.where(np.isfinite(pd.to_numeric(part, errors="coerce").astype("float64")).to_numpy(),
                                        text)
            line = line + cells
        yield ("".join((line + "</row>").tolist())).encode("utf-8", "replace")


def _sheet_parts(zin: zipfile.ZipFile) -> dict[str, str]:
    workbook = ElementTree.fromstring(zin.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zin.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets[sheet.get(f"{{{_NS['r']}}}id")]
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


def _split(xml: str, table: StreamedTable) -> tuple[str, str, list[str]]:
    match = re.search(rf'<row r="{table.first_row}"[^>]*>(.*?)</row>', xml, flags=re.S)
    if match is None:
        raise RuntimeError(f"prototype row {table.first_row} missing on sheet {table.sheet!r}")
    styles: dict[str, str] = {}
    for cell in re.finditer(r'<c r="([A-Z]+)\d+"([^>]*?)/?>', match.group(1)):
        style = re.search(r'\ss="(\d+)"', cell.group(2))
        styles[cell.group(1)] = f' s="{style.group(1)}"' if style else ""
    letters = [get_column_letter(table.first_col + i) for i in range(len(table.columns))]
    head, tail = xml[: match.start()], xml[match.end():]
    last_col = get_column_letter(table.first_col + len(table.columns) - 1)
    last_row = table.first_row + max(table.n_rows, 1) - 1
    head = re.sub(r'<dimension ref="([A-Z]+)(\d+)(?::[A-Z]+\d+)?"\s*/>',
                  lambda m: f'<dimension ref="{m.group(1)}{m.group(2)}:{last_col}{last_row}"/>', head, count=1)
    return head, tail, [styles.get(letter, "") for letter in letters]


def splice(
    package: bytes,
    tables: list[StreamedTable],
    out: BinaryIO,
    *,
    compresslevel: int = 1,
    progress: Callable[[str, int], None] | None = None,
) -> None:
    """Copy the workbook ``package`` to ``out``, streaming each table's rows into its sheet.

    Parameters
    ----------
    package : bytes
        The ``.xlsx`` openpyxl saved, with a prototype row where each table starts.
    tables : list of StreamedTable
        The data to stream.
    out : binary file
        Open for writing.
    compresslevel : int, default 1
        Deflate level of the streamed sheets (1 is fast; Excel files are usually 6).
    progress : callable, optional
        Called with the sheet title and the rows written so far.

    Examples
    --------
    >>> from openpyxl import Workbook, load_workbook
    >>> wb = Workbook(); ws = wb.active; ws.title = "T"
    >>> ws["A1"], ws["B1"], ws["A2"], ws["B2"] = "id", "n", "x", 0
    >>> buffer = io.BytesIO(); wb.save(buffer)
    >>> out = io.BytesIO()
    >>> splice(buffer.getvalue(), [StreamedTable("T", 2, 1, [StreamColumn("text", ["=1+1", "a&b"]),
    ...        StreamColumn("number", [1.5, float("nan")])])], out)
    >>> [[c.value for c in row] for row in load_workbook(out)["T"].iter_rows()]
    [['id', 'n'], ['=1+1', 1.5], ['a&b', None]]
    """
    by_sheet = {t.sheet: t for t in tables}
    with zipfile.ZipFile(io.BytesIO(package)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zout:
        parts = {part: by_sheet[name] for name, part in _sheet_parts(zin).items() if name in by_sheet}
        missing = set(by_sheet) - {t.sheet for t in parts.values()}
        if missing:
            raise RuntimeError(f"sheets not found in the package: {sorted(missing)}")
        for info in zin.infolist():
            if info.filename not in parts:
                zout.writestr(info, zin.read(info.filename), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
                continue
            table = parts[info.filename]
            head, tail, styles = _split(zin.read(info.filename).decode("utf-8"), table)
            # Zip64 only when the sheet may pass 2 GiB: some Excel versions complain about needless Zip64 headers
            estimate = table.n_rows * (40 + 60 * len(table.columns))
            with zout.open(info.filename, "w", force_zip64=estimate > 1_500_000_000) as sink:
                sink.write(head.encode("utf-8"))
                written = 0
                for chunk in _chunks(table, styles):
                    sink.write(chunk)
                    written = min(written + CHUNK_ROWS, table.n_rows)
                    if progress:
                        progress(table.sheet, written)
                sink.write(tail.encode("utf-8"))
