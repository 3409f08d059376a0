"""Streaming the big data sheets (Customers, Orders, Forecast) straight into the saved workbook.

openpyxl writes the filled template with, on each big sheet, the header row, a *prototype* data row carrying
each column's style, and the Excel Table that will span the data. :func:`splice` then copies that package to
the output and replaces the prototype row with every data row, built as XML text in vectorised chunks. The
template's layout, styles, tables, charts and conditional formats stay exactly as openpyxl wrote them.

Text is written as inline strings (``t="inlineStr"``), so ids such as ``=1+1`` or ``@cmd`` are never formulas.
"""

from __future__ import annotations

import collections
import functools
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO, Literal
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

from clv_xl.arrow_strings import large_string_bytes
from clv_xl.report.cell_xml import Part, arrow_text, joined, number_cells, text_cells

__all__ = ["StreamColumn", "StreamedTable", "splice", "faster_deflate", "CHUNK_ROWS"]

#: Rows built and written per chunk.
CHUNK_ROWS = 50_000

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


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


def _prepared(column: StreamColumn) -> pa.Array | np.ndarray:
    """Text as one Arrow array (cut to a cell's length), numbers as float64 (NaN where not a number)."""
    if column.kind == "number" and isinstance(column.values, np.ndarray) and column.values.dtype.kind in "fiub":
        return column.values.astype("float64", copy=False)  # already numbers: no detour through objects
    if isinstance(column.values, pd.Series):
        values = column.values.reset_index(drop=True)
    else:  # as objects: inferring a string dtype would fail on a lone surrogate
        values = pd.Series(np.asarray(column.values, dtype=object), dtype=object)
    if column.kind == "text":
        return arrow_text(values)
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()


def _chunk_builders(table: StreamedTable, styles: list[str]) -> list[Callable[[], pa.Buffer]]:
    """Rows as XML, one builder per chunk; the first cell of a row carries its reference (``r`` is optional after).

    The columns are prepared once, here; each builder then makes its chunk column by column with Arrow string
    kernels, joined row-wise: the rows of a chunk are one contiguous run of the result's data buffer, handed on
    without a copy. Builders share nothing they change, so they may run on several threads at once.
    """
    n = table.n_rows
    prepared = [_prepared(col) for col in table.columns]
    fallbacks = [col.fallback for col in table.columns]
    letter = get_column_letter(table.first_col)

    def build(start: int) -> pa.Buffer:
        stop = min(start + CHUNK_ROWS, n)
        rows = pc.cast(pa.array(np.arange(table.first_row + start, table.first_row + stop)), pa.large_string())
        parts: list[Part] = ['<row r="', rows, '">']
        for j, (values, style) in enumerate(zip(prepared, styles, strict=True)):
            attrs: list[Part] = [f' r="{letter}', rows, '"' + style] if j == 0 else [style]
            if isinstance(values, np.ndarray):
                parts += number_cells(values[start:stop], attrs, fallbacks[j])
            else:
                parts += text_cells(values.slice(start, stop - start), attrs)
        parts.append("</row>")
        return large_string_bytes(joined(parts))[1]  # the rows, end to end: a view of the data buffer

    return [functools.partial(build, start) for start in range(0, n, CHUNK_ROWS)]


#: Threads building the XML chunks while the caller deflates and writes them in order.
BUILDERS = 2


def _prefetched(builders: list[Callable[[], pa.Buffer]], depth: int = 2 * BUILDERS) -> Iterator[pa.Buffer]:
    """The chunks in order, built :data:`BUILDERS` at a time on other threads while the caller deflates earlier ones.

    Arrow kernels and deflate release the GIL, so building and deflating share the cores. At most ``depth`` chunks
    are built ahead; an error on a builder's side is raised here, and the builds not started are cancelled.
    """
    pool = ThreadPoolExecutor(max_workers=BUILDERS, thread_name_prefix="clv-xl-sheet-xml")
    ahead: collections.deque[Future[pa.Buffer]] = collections.deque()
    waiting = iter(builders)
    try:
        for builder in itertools.islice(waiting, depth):
            ahead.append(pool.submit(builder))
        while ahead:
            chunk = ahead.popleft().result()
            for builder in itertools.islice(waiting, 1):
                ahead.append(pool.submit(builder))
            yield chunk
    finally:
        for future in ahead:
            future.cancel()
        pool.shutdown(wait=True)


def faster_deflate(sink: object, level: int) -> bool:
    """Deflate what is written to a zip member with ISA-L (package ``isal``) when it is installed; True if so.

    The big sheets are most of a report's bytes (724 MB of XML at 10M orders), and zlib at level 1 deflates them at
    ~130 MB/s on this machine; ISA-L's level 1 deflates ~4x faster into a slightly smaller stream, which any
    unzip reads (raw deflate, the same format). ``zipfile`` has no public way to choose the compressor of a member
    opened for writing: ``sink._compressor`` (CPython 3.8 to 3.13) is replaced before the first byte. Without
    ``isal`` (xlwings Lite has none) or on another ``zipfile``, nothing changes and zlib deflates.

    Examples
    --------
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout, zout.open("a.xml", "w") as sink:
    ...     _ = faster_deflate(sink, 1)
    ...     _ = sink.write(b"<row/>" * 1000)
    >>> zipfile.ZipFile(buffer).read("a.xml") == b"<row/>" * 1000
    True
    """
    try:
        from isal import isal_zlib
    except ImportError:
        return False
    if getattr(sink, "_compressor", None) is None or getattr(sink, "_compress_size", None) != 0:
        return False
    sink._compressor = isal_zlib.compressobj(  # type: ignore[attr-defined]  # zipfile private, checked above
        min(max(level, 0), isal_zlib.ISAL_BEST_COMPRESSION), isal_zlib.DEFLATED, -15)
    return True


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
                faster_deflate(sink, compresslevel)
                sink.write(head.encode("utf-8"))
                written = 0
                for chunk in _prefetched(_chunk_builders(table, styles)):
                    sink.write(chunk)
                    written = min(written + CHUNK_ROWS, table.n_rows)
                    if progress:
                        progress(table.sheet, written)
                sink.write(tail.encode("utf-8"))
