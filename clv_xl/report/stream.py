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
from typing import BinaryIO, Literal, TypeAlias
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

from clv_xl.report.cells import ILLEGAL_XML, MAX_CELL_TEXT

__all__ = ["StreamColumn", "StreamedTable", "splice", "faster_deflate", "CHUNK_ROWS"]

#: Rows built and written per chunk.
CHUNK_ROWS = 50_000

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
#: XML-illegal characters in RE2 syntax (Arrow text is UTF-8, so lone surrogates cannot occur in it).
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
_NEEDS_ESCAPE = r"[&<>]|_x|" + _ILLEGAL
#: Text whose white space needs ``xml:space="preserve"``: leading, trailing, doubled, or other than a space.
_SPACE_TO_KEEP = r"^\s|\s$|\s\s|[\t\n\r]"


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


def _large(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


def _arrow_text(values: pd.Series) -> pa.Array:
    """Text (null where missing) as an Arrow array; characters UTF-8 cannot carry (lone surrogates) become U+FFFD."""
    try:
        text = pa.array(values.astype("string"), type=pa.large_string(), from_pandas=True)
    except UnicodeEncodeError:  # only object data can hold a lone surrogate: clean it in Python, value by value
        cleaned = [None if pd.isna(v) else ILLEGAL_XML.sub("\ufffd", str(v)) for v in values.astype(object)]
        text = pa.array(cleaned, type=pa.large_string())
    if isinstance(text, pa.ChunkedArray):  # Arrow-backed columns (an engine's) come in chunks
        text = text.combine_chunks()
    if (pc.max(pc.binary_length(text)).as_py() or 0) <= MAX_CELL_TEXT:  # no more characters than bytes
        return text
    return pc.utf8_slice_codeunits(text, 0, MAX_CELL_TEXT)


def _utf8_bytes(text: pa.Array) -> np.ndarray:
    """The UTF-8 bytes of all the array's strings, end to end (a view, no copy)."""
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset:text.offset + len(text) + 1]
    data = text.buffers()[2]
    if data is None or len(offsets) < 2:
        return np.zeros(0, dtype=np.uint8)
    return np.frombuffer(data, dtype=np.uint8)[int(offsets[0]):int(offsets[-1])]


@dataclass(frozen=True)
class _ByteSet:
    """Bytes to look for: those listed, and every byte below ``below``."""

    listed: bytes
    below: int = 0


def _has_bytes(data: np.ndarray, wanted: _ByteSet) -> bool:
    """Whether ``data`` holds a byte of ``wanted``: one comparison for the range, then ``memchr`` for each byte listed.

    Examples
    --------
    >>> data = np.frombuffer(b"C000123 a&b", dtype=np.uint8)
    >>> _has_bytes(data, _ESCAPE_BYTES), _has_bytes(data[:7], _ESCAPE_BYTES), _has_bytes(data[:7], _SPACE_BYTES)
    (True, False, False)
    """
    if wanted.below and bool((data < wanted.below).any()):
        return True
    raw = data.tobytes()
    return any(raw.find(byte) >= 0 for byte in wanted.listed)


#: Bytes that may need an escape: & < > and control characters, and 0xEF (U+FFFE and U+FFFF start with it).
_ESCAPE_BYTES = _ByteSet(b"&<>\xef", below=0x20)
#: Bytes of the white space ``\s`` matches (space, and tab to carriage return); any lower control byte too, which
#: only sends its text to the exact regex.
_SPACE_BYTES = _ByteSet(b" ", below=0x0E)


def _maybe_escaped(data: np.ndarray) -> bool:
    """Whether any text may need :func:`_escape` (a byte scan that rules out the regex on plain ids)."""
    return _has_bytes(data, _ESCAPE_BYTES) or b"_x" in data.tobytes()


def _escape(text: pa.Array) -> pa.Array:
    """XML escapes, XML-illegal characters as U+FFFD, text looking like an OOXML ``_xHHHH_`` escape escaped."""
    if not _maybe_escaped(_utf8_bytes(text)) or not pc.any(pc.match_substring_regex(text, _NEEDS_ESCAPE)).as_py():
        return text
    for find, put in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, find, put)
    text = pc.replace_substring_regex(text, _ILLEGAL, "\ufffd")
    return pc.replace_substring_regex(text, r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1")


Part: TypeAlias = "str | pa.Array"
"""A piece of each row's XML: the same text on every row, or one text per row."""


def _joined(parts: list[Part]) -> pa.Array:
    """Concatenate the parts row by row (null where a part is null), merging neighbouring constant texts first."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return pc.binary_join_element_wise(*(_large(p) if isinstance(p, str) else p for p in merged), _large(""))


def _text_cells(text: pa.Array, attrs: list[Part]) -> list[Part]:
    """Inline strings; ``xml:space="preserve"`` only on text whose white space a reader could otherwise trim."""
    opening: Part = "<t>"
    if _has_bytes(_utf8_bytes(text), _SPACE_BYTES):
        kept = pc.match_substring_regex(text, _SPACE_TO_KEEP)
        if pc.any(kept).as_py():
            opening = pc.if_else(kept, _large('<t xml:space="preserve">'), _large("<t>"))
    cells = ["<c", *attrs, ' t="inlineStr"><is>', opening, _escape(text), "</t></is></c>"]
    if text.null_count == 0:
        return cells
    return [pc.if_else(pc.is_valid(text), _joined(cells), _joined(["<c", *attrs, "/>"]))]


def _number_text(numbers: np.ndarray, finite: np.ndarray) -> pa.Array:
    """Whole numbers below 1e15 (dates, counts) through the integer cast, which is faster and writes the same.

    Whole numbers in a range narrower than half their count (the dates of many orders) are cast once per value of
    the range and picked from it.

    Examples
    --------
    >>> numbers = np.array([45000.0, 45001.0, 45000.0, 45000.0, 45001.0, np.nan])
    >>> _number_text(numbers, np.isfinite(numbers)).to_pylist()
    ['45000', '45001', '45000', '45000', '45001', '0']
    >>> _number_text(np.array([0.1, 2.0]), np.array([True, True])).to_pylist()
    ['0.1', '2']
    """
    shown = np.where(finite, numbers, 0.0)
    if not (np.all(np.abs(shown) < 1e15) and np.array_equal(shown, np.trunc(shown))):
        return _fraction_text(numbers)
    whole = shown.astype(np.int64)
    low, high = (int(whole.min()), int(whole.max())) if len(whole) else (0, 0)
    if high - low + 1 > len(whole) // 2:
        return pc.cast(pa.array(whole), pa.large_string())
    every = pc.cast(pa.array(np.arange(low, high + 1)), pa.large_string())
    return every.take(pa.array(whole - low))


#: Values sampled to see whether a column's numbers repeat enough to cast each distinct value once.
_SAMPLE = 20_000


def _fraction_text(numbers: np.ndarray) -> pa.Array:
    """Numbers as Arrow casts them; when they repeat (the amounts of many orders), each distinct value cast once.

    Casting a double to its shortest text costs ~10x more than hashing it: a column whose first :data:`_SAMPLE`
    values hold fewer than half as many distinct ones is factorized, its distinct values cast, and the texts
    taken. Negative zero (which the hash merges with zero) keeps the plain cast.

    Examples
    --------
    >>> numbers = np.tile([19.99, 5.5, np.nan, 0.1 + 0.2], 2 * _SAMPLE)
    >>> _fraction_text(numbers).to_pylist()[:4]
    ['19.99', '5.5', 'nan', '0.30000000000000004']
    """
    repeating = len(numbers) > 2 * _SAMPLE and len(pd.unique(numbers[:_SAMPLE])) * 2 <= _SAMPLE
    if not repeating or np.signbit(numbers[numbers == 0]).any():
        return pc.cast(pa.array(numbers), pa.large_string())
    codes, distinct = pd.factorize(numbers, use_na_sentinel=False)
    return pc.cast(pa.array(distinct), pa.large_string()).take(pa.array(codes))


def _number_cells(numbers: np.ndarray, attrs: list[Part], fallback: str | None) -> list[Part]:
    """``<v>`` holds the shortest text that reads back as the same double (Arrow's cast, like Python's repr)."""
    finite = np.isfinite(numbers)
    cells = ["<c", *attrs, "><v>", _number_text(numbers, finite), "</v></c>"]
    if finite.all():
        return cells
    if fallback is None:
        instead = _joined(["<c", *attrs, "/>"])
    else:
        instead = _joined(_text_cells(pa.array([fallback] * len(numbers), pa.large_string()), attrs))
    return [pc.if_else(pa.array(finite), _joined(cells), instead)]


def _prepared(column: StreamColumn) -> pa.Array | np.ndarray:
    """Text as one Arrow array (cut to a cell's length), numbers as float64 (NaN where not a number)."""
    if column.kind == "number" and isinstance(column.values, np.ndarray) and column.values.dtype.kind in "fiub":
        return column.values.astype("float64", copy=False)  # already numbers: no detour through objects
    if isinstance(column.values, pd.Series):
        values = column.values.reset_index(drop=True)
    else:  # as objects: inferring a string dtype would fail on a lone surrogate
        values = pd.Series(np.asarray(column.values, dtype=object), dtype=object)
    if column.kind == "text":
        return _arrow_text(values)
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
                parts += _number_cells(values[start:stop], attrs, fallbacks[j])
            else:
                parts += _text_cells(values.slice(start, stop - start), attrs)
        parts.append("</row>")
        joined = _joined(parts)
        offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)[joined.offset:joined.offset + len(joined) + 1]
        return joined.buffers()[2][int(offsets[0]):int(offsets[-1])]

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
