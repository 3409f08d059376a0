"""Open an order file as a raw table: find its kind, encoding, separator, header, sheet.

Nothing here interprets values; :mod:`clv_xl.orders` does that. The functions return a :class:`RawTable` that
also knows how to turn a row position into the row number a person sees in the file.
"""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clv_xl.errors import DataError, InvalidArgumentError

__all__ = ["RawTable", "TextLayout", "as_path", "file_kind", "sniff_text", "read_text", "read_excel", "read_parquet"]

_SNIFF_BYTES = 256 * 1024
_SEPARATORS = (",", ";", "\t", "|")
_WHITESPACE = r"\s+"


@dataclass
class RawTable:
    """A table as read from its source, before any interpretation.

    Attributes
    ----------
    frame : pandas.DataFrame
        The cells; columns are the header's labels (or ``column 1`` ... for a file without header).
    name : str
        The source as named in messages (a file name, ``the DataFrame``).
    first_row : int or None
        Row number (as a person counts them in the file or sheet) of the first data row; None for DataFrames,
        whose index labels are reported instead.
    has_header : bool
        Whether the first line named the columns.
    dayfirst_hint : bool
        The file's style is European (``;`` separator or decimal commas): ambiguous dates are day first.
    decimal_comma : bool or None
        Whether a lone comma is the decimal mark (True for ``;``-separated text files), None to decide per column.
    notes : list of str
        What was decided while reading (encoding, separator, sheet), for the cleaning report.
    """

    frame: pd.DataFrame
    name: str
    first_row: int | None
    has_header: bool = True
    dayfirst_hint: bool = False
    decimal_comma: bool | None = None
    notes: list[str] = field(default_factory=list)

    def row_label(self, position: int) -> str:
        """Return how a person finds the row at ``position`` (0-based) of :attr:`frame`."""
        if self.first_row is None:
            label = self.frame.index[position]
            return f"row {label.item() if hasattr(label, 'item') else label!r}"
        return f"row {self.first_row + position}"


@dataclass
class TextLayout:
    """How a delimited text file is written."""

    encoding: str
    sep: str
    has_header: bool
    columns: Sequence[Hashable]
    notes: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)

    def sample_values(self, column: Hashable) -> list[str]:
        """The stripped values of ``column`` in the sniffed data lines."""
        position = self.columns.index(column)
        return [row[position].strip() for row in self.sample if len(row) > position]


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
        raise DataError(f"{path} is a folder; pass an order file (CSV, TXT, XLSX or Parquet)")
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


def _detect_encoding(raw: bytes, name: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = raw[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) / 4 and even == 0:
            return "utf-16-le"
        if even > len(sample) / 4 and odd == 0:
            return "utf-16-be"
        raise DataError(f"{name} is not a text, Excel or Parquet file (it holds binary data)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw, final=len(raw) < _SNIFF_BYTES)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _split(line: str, sep: str) -> list[str]:
    if sep == _WHITESPACE:
        return line.split()
    return next(csv.reader([line], delimiter=sep))


def _sniff_sep(lines: list[str]) -> str:
    best, best_score = _WHITESPACE, 0.0
    for sep in _SEPARATORS:
        counts = [len(_split(line, sep)) for line in lines]
        width = max(set(counts), key=counts.count)
        if width < 2:
            continue
        score = counts.count(width) / len(counts) + width / 1000
        if score > best_score:
            best, best_score = sep, score
    if best_score >= 0.8:
        return best
    counts = [len(line.split()) for line in lines]
    if min(counts) >= 2 and len(set(counts)) == 1:
        return _WHITESPACE
    return best if best_score else ","


def _looks_like_data(cell: str) -> bool:
    """A number, a date or an amount: digits with separators, signs and currency marks only."""
    text = cell.strip()
    if not text:
        return False
    stripped = text.strip("€$£¥ ").replace("\u00a0", "")
    return any(ch.isdigit() for ch in stripped) and all(ch.isdigit() or ch in "-+/.,:'() TZ" for ch in stripped)


def sniff_text(path: Path, *, sep: str | None = None, encoding: str | None = None) -> TextLayout:
    """Find the encoding, separator and header of a delimited text file from its first 256 KiB.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    sep : str, optional
        The separator (``","``, ``";"``, ``"\\t"``, ``"|"``, or ``"whitespace"``); None to detect it.
    encoding : str, optional
        The text encoding; None to detect it (BOM, UTF-16, UTF-8, else cp1252).

    Returns
    -------
    TextLayout
        What was found.
    """
    with path.open("rb") as handle:
        raw = handle.read(_SNIFF_BYTES)
    if encoding is None:
        encoding = _detect_encoding(raw, path.name)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidArgumentError(
            "encoding", f"unknown encoding {encoding!r}; pass e.g. utf-8, cp1252 or utf-16"
        ) from None
    try:
        text = raw.decode(encoding, errors="ignore" if len(raw) == _SNIFF_BYTES else "strict")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path.name} is not valid {encoding} text ({exc.reason}); pass encoding=...") from None
    if any(ord(ch) < 9 or 13 < ord(ch) < 32 for ch in text[:4096]):
        raise DataError(f"{path.name} is not a text, Excel or Parquet file (it holds control characters)")
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()][:50]
    if not lines:
        raise DataError(f"{path.name} is empty (no text lines); export the orders again")
    if len(raw) == _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    notes = [f"encoding {encoding}"]
    if sep is None:
        sep = _sniff_sep(lines)
    elif sep in ("whitespace", " "):
        sep = _WHITESPACE
    elif sep == "\\t":
        sep = "\t"
    notes.append("separator " + {"\t": "tab", _WHITESPACE: "whitespace"}.get(sep, repr(sep)))
    first = _split(lines[0], sep)
    has_header = not any(_looks_like_data(cell) for cell in first)
    if has_header:
        columns = _unique_labels([cell.strip() or f"column {i + 1}" for i, cell in enumerate(first)])
    else:
        columns = [f"column {i + 1}" for i in range(len(first))]
        notes.append("no header line")
    if has_header and len(lines) == 1:
        raise DataError(f"{path.name} has a header but no order rows")
    sample = [_split(line, sep) for line in (lines[1:] if has_header else lines)]
    return TextLayout(
        encoding=encoding, sep=sep, has_header=has_header, columns=columns, notes=notes, sample=sample
    )


def _read_arrow(
    path: Path, layout: TextLayout, text_columns: list[Hashable], timestamp_columns: list[Hashable]
) -> pd.DataFrame:
    """Read a UTF-8 file with pyarrow's multithreaded CSV reader (ids as text, plain ISO dates as timestamps)."""
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    types = {str(c): pa.string() for c in text_columns}
    types.update({str(c): pa.timestamp("ns") for c in timestamp_columns})
    table = pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(column_names=[str(c) for c in layout.columns], skip_rows=1),
        parse_options=pa_csv.ParseOptions(delimiter=layout.sep),
        convert_options=pa_csv.ConvertOptions(column_types=types),
    )
    return table.combine_chunks().to_pandas()


def read_text(
    path: Path, layout: TextLayout, text_columns: list[Hashable], timestamp_columns: Sequence[Hashable] = ()
) -> RawTable:
    """Read a delimited text file whole, with ``text_columns`` kept as text (ids, dates).

    ``timestamp_columns`` hold plain ISO dates (no zone) in the sample and are parsed while reading when the
    fast reader applies; if any value there is not such a date, they are read as text instead, so that the
    date parser can name the bad values.
    """
    fast = (
        layout.encoding in ("utf-8", "utf-8-sig")
        and layout.sep != _WHITESPACE
        and layout.has_header
        and len(set(layout.columns)) == len(layout.columns)
    )
    frame = None
    if fast:
        import pyarrow as pa

        for stamps in ([*timestamp_columns], []) if timestamp_columns else ([],):
            try:
                frame = _read_arrow(path, layout, text_columns + ([] if stamps else list(timestamp_columns)), stamps)
                break
            except (pa.ArrowInvalid, ValueError):
                continue
    if frame is None:
        frame = _read_pandas(path, layout, text_columns + list(timestamp_columns))
    if frame.empty:
        raise DataError(f"{path.name} has no order rows")
    european = layout.sep == ";"
    return RawTable(
        frame=frame,
        name=path.name,
        first_row=2 if layout.has_header else 1,
        has_header=layout.has_header,
        dayfirst_hint=european,
        decimal_comma=True if european else None,
        notes=list(layout.notes),
    )


def _read_pandas(path: Path, layout: TextLayout, text_columns: list[Hashable]) -> pd.DataFrame:
    dtype = {column: "str" for column in text_columns} if layout.has_header else "str"
    try:
        frame = pd.read_csv(
            path,
            sep=layout.sep,
            encoding=layout.encoding,
            engine="c" if layout.sep != "|" else "python",
            header=0 if layout.has_header else None,
            names=None if layout.has_header else layout.columns,
            dtype=dtype,
            skip_blank_lines=True,
        )
    except UnicodeDecodeError:
        if layout.encoding != "utf-8":
            raise DataError(
                f"{path.name} is not valid {layout.encoding} text; pass encoding=... (e.g. utf-8, cp1252)"
            ) from None
        layout.encoding = "cp1252"  # UTF-8 in the first 256 KiB, then a Windows character further down
        layout.notes[0] = "encoding cp1252"
        return _read_pandas(path, layout, text_columns)
    except (ValueError, pd.errors.ParserError) as exc:
        message = str(exc).splitlines()[0][:160]
        raise DataError(f"cannot read {path.name} as a {layout.encoding} table: {message}") from None
    if layout.has_header:
        frame.columns = [*layout.columns[: len(frame.columns)], *frame.columns[len(layout.columns):]]
    return frame


def read_parquet(path: Path) -> RawTable:
    """Read a Parquet file."""
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {path.name} as Parquet: {str(exc).splitlines()[0][:160]}") from None
    if frame.empty:
        raise DataError(f"{path.name} has no order rows")
    keep_index = not isinstance(frame.index, pd.RangeIndex)  # a named index (customer_id, date) is data
    frame = frame.reset_index(drop=not keep_index)
    return RawTable(frame=frame, name=path.name, first_row=1, notes=["Parquet file"])


def read_excel(
    path: Path, *, sheet: str | int | None, accept: Callable[[list[Hashable]], bool]
) -> RawTable:
    """Read the order table of a workbook: the chosen sheet, or the first sheet whose header ``accept`` takes.

    The header is the first of a sheet's first 20 rows with at least two filled cells that ``accept`` takes,
    so title rows above a table are skipped.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise DataError(f"cannot open {path.name} as an Excel workbook: {str(exc)[:160]}") from None
    try:
        names = book.sheetnames
        if sheet is not None:
            if isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
                chosen = [names[sheet]]
            elif str(sheet) in names:
                chosen = [str(sheet)]
            else:
                raise InvalidArgumentError(
                    "sheet", f"sheet={sheet!r} is not in {path.name}; its sheets are {names}; pass one of those"
                )
        else:
            chosen = names
        seen: list[str] = []
        for name in chosen:
            rows = book[name].iter_rows(values_only=True)
            head = []
            for row in rows:
                head.append(row)
                if len(head) == 20:
                    break
            for offset, row in enumerate(head):
                header = [c for c in row if c is not None and str(c).strip()]
                if len(header) < 2:
                    continue
                columns = _excel_columns(row)
                if sheet is not None or accept(columns):
                    body = head[offset + 1:] + list(rows)
                    return _excel_table(path, name, offset, columns, body)
                break
            seen.append(f"{name!r}")
        raise DataError(
            f"no sheet of {path.name} has recognisable customer, date and amount columns "
            f"(sheets: {', '.join(seen)}); pass sheet=NAME and the column arguments"
        )
    finally:
        book.close()


def _unique_labels(labels: list[str]) -> list[str]:
    """Make repeated header labels unique: the second ``Total`` becomes ``Total (2)``."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _excel_columns(row: tuple[object, ...]) -> list[Hashable]:
    return [*_unique_labels(
        [str(c).strip() if c is not None and str(c).strip() else f"column {i + 1}" for i, c in enumerate(row)]
    )]


def _excel_table(path: Path, sheet: str, offset: int, columns: list[Hashable], body: list[tuple]) -> RawTable:
    width = len(columns)
    while body and all(c is None or (isinstance(c, str) and not c.strip()) for c in body[-1]):
        body.pop()
    if not body:
        raise DataError(f"sheet {sheet!r} of {path.name} has a header but no order rows")
    frame = pd.DataFrame([tuple(r[:width]) + (None,) * (width - len(r)) for r in body], columns=columns, dtype=object)
    return RawTable(
        frame=frame, name=f"{path.name} [{sheet}]", first_row=offset + 2, notes=[f"sheet {sheet!r}"]
    )


def as_path(source: str | os.PathLike[str]) -> Path:
    """Return ``source`` as a path, refusing text that is obviously data rather than a file name."""
    text = os.fspath(source)
    if "\n" in text:
        raise InvalidArgumentError("source", "source looks like CSV text, not a file name; save it and pass the path")
    return Path(text).expanduser()

