"""Open an order file as a raw table: find its kind, encoding, separator, header, sheet.

Nothing here interprets values; :mod:`clv_xl.orders` does that. The functions return a :class:`RawTable` that
also knows how to turn a row position into the row number a person sees in the file.
"""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clv_xl.errors import DataError, InvalidArgumentError
from clv_xl.orders.limits import LIMITS, size_text

__all__ = [
    "RawTable", "TextLayout", "as_path", "file_kind", "sniff_text", "read_text", "read_parquet", "check_width",
    "unique_labels",
]

_SNIFF_BYTES = LIMITS.max_line_bytes  # a line longer than the window read to sniff the file is refused
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


def _check_line_lengths(path: Path, raw: bytes, text: str) -> None:
    """Refuse a file whose first or second line does not end within the sniffed window."""
    if len(raw) < _SNIFF_BYTES:
        return
    breaks = len(text.splitlines()) - 1  # the last piece of a full window is cut
    if breaks < 2:
        raise DataError(
            f"{path.name}: line {breaks + 1} is longer than {size_text(_SNIFF_BYTES)}; an order file has one "
            "order a line, so this is not one (or its line breaks were lost)"
        )


def check_width(name: str, columns: int) -> None:
    """Refuse a table wider than an Excel sheet (message short, whatever the width)."""
    if columns > LIMITS.max_columns:
        raise DataError(
            f"{name} has {columns:,} columns, more than the {LIMITS.max_columns:,} an Excel sheet holds; "
            "refused (is it the order export?)"
        )


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
    _check_line_lengths(path, raw, text)
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()][:50]
    if not lines:
        raise DataError(f"{path.name} is empty (no text lines); export the orders again")
    if len(raw) == _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    notes = [f"encoding {encoding}"]
    try:
        if sep is None:
            sep = _sniff_sep(lines)
        elif sep in ("whitespace", " "):
            sep = _WHITESPACE
        elif sep == "\\t":
            sep = "\t"
        first = _split(lines[0], sep)
        sample = [_split(line, sep) for line in lines[1:]]
    except csv.Error:  # a field longer than csv.field_size_limit(), LIMITS.max_field_chars
        raise DataError(
            f"{path.name}: a field of its first lines is longer than {LIMITS.max_field_chars:,} characters; "
            "an order file has short fields, so this is not one"
        ) from None
    check_width(path.name, len(first))
    notes.append("separator " + {"\t": "tab", _WHITESPACE: "whitespace"}.get(sep, repr(sep)))
    has_header = not any(_looks_like_data(cell) for cell in first)
    if has_header:
        columns = unique_labels([cell.strip() or f"column {i + 1}" for i, cell in enumerate(first)])
    else:
        columns = [f"column {i + 1}" for i in range(len(first))]
        notes.append("no header line")
    if has_header and len(lines) == 1:
        raise DataError(f"{path.name} has a header but no order rows")
    if not has_header:
        sample.insert(0, first)
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
    _check_field_lengths(frame, path.name, first_row=2 if layout.has_header else 1)
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


def _check_field_lengths(frame: pd.DataFrame, name: str, first_row: int) -> None:
    """Refuse a text field longer than ``LIMITS.max_field_chars`` (a 5 MB "customer id"), naming its row.

    Lengths are counted in UTF-8 bytes by pyarrow (a bound on characters; 0.02 s a million values).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    for column in frame.columns:
        values = frame[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
            continue
        try:
            lengths = pc.binary_length(pa.array(values, type=pa.string(), from_pandas=True))
        except (pa.ArrowException, TypeError):  # numbers among the text: a column no parser reads as text
            continue
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > LIMITS.max_field_chars:
            position = int(lengths.to_numpy(zero_copy_only=False).argmax())
            raise DataError(
                f"{name}: row {first_row + position} holds a field of {len(str(values.iloc[position])):,} "
                f"characters in {str(column)[:40]!r}, more than {LIMITS.max_field_chars:,}; refused"
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


def unique_labels(labels: list[str]) -> list[str]:
    """Make repeated header labels unique: the second ``Total`` becomes ``Total (2)``."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def as_path(source: str | os.PathLike[str]) -> Path:
    """Return ``source`` as a path, refusing text that is obviously data rather than a file name."""
    text = os.fspath(source)
    if "\n" in text:
        raise InvalidArgumentError("source", "source looks like CSV text, not a file name; save it and pass the path")
    return Path(text).expanduser()

