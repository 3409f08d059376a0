"""How a delimited text file is written: its encoding, separator and header, found from its first 256 KiB.

Files whose first lines are too long, binary or full of control characters are refused here, before any reading.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clv_xl.errors import DataError, InvalidArgumentError
from clv_xl.orders.limits import LIMITS, size_text
from clv_xl.orders.raw_table import check_width, unique_labels

__all__ = ["TextLayout", "sniff_text", "WHITESPACE"]

_SNIFF_BYTES = LIMITS.max_line_bytes  # a line longer than the window read to sniff the file is refused
_SEPARATORS = (",", ";", "\t", "|")
WHITESPACE = r"\s+"  # the separator of a file whose columns are aligned by spaces


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
    if sep == WHITESPACE:
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


def _sniff_sep(lines: list[str]) -> str:
    best, best_score = WHITESPACE, 0.0
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
        return WHITESPACE
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
            sep = WHITESPACE
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
    notes.append("separator " + {"\t": "tab", WHITESPACE: "whitespace"}.get(sep, repr(sep)))
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
