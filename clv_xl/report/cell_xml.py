"""Cells of the streamed sheets as XML text, built column by column with Arrow string kernels.

:mod:`clv_xl.report.stream` joins these pieces row-wise into ``<row>`` elements. Text cells are inline strings
(escaped for XML, illegal characters as U+FFFD, white space kept where a reader would trim it); number cells hold
the shortest text that reads back as the same double. Byte scans let plain columns (ids, labels) skip the regular
expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from clv_xl.arrow_strings import large_string_bytes
from clv_xl.report.cells import ILLEGAL_XML, MAX_CELL_TEXT

__all__ = ["Part", "arrow_text", "joined", "text_cells", "number_cells"]

#: XML-illegal characters in RE2 syntax (Arrow text is UTF-8, so lone surrogates cannot occur in it).
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
_NEEDS_ESCAPE = r"[&<>\r]|_x|" + _ILLEGAL
#: Text whose white space needs ``xml:space="preserve"``: leading, trailing, doubled, or other than a space.
_SPACE_TO_KEEP = r"^\s|\s$|\s\s|[\t\n\r]"


def _large(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


def arrow_text(values: pd.Series) -> pa.Array:
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
    return np.frombuffer(large_string_bytes(text)[1], dtype=np.uint8)


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
    """XML escapes, XML-illegal characters as U+FFFD, text looking like an OOXML ``_xHHHH_`` escape escaped.

    A carriage return is written ``&#13;`` (as openpyxl writes it): a bare one would be read back as a line feed.
    """
    if not _maybe_escaped(_utf8_bytes(text)) or not pc.any(pc.match_substring_regex(text, _NEEDS_ESCAPE)).as_py():
        return text
    for find, put in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;")):
        text = pc.replace_substring(text, find, put)
    text = pc.replace_substring_regex(text, _ILLEGAL, "\ufffd")
    return pc.replace_substring_regex(text, r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1")


Part: TypeAlias = "str | pa.Array"
"""A piece of each row's XML: the same text on every row, or one text per row."""


def joined(parts: list[Part]) -> pa.Array:
    """Concatenate the parts row by row (null where a part is null), merging neighbouring constant texts first."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return pc.binary_join_element_wise(*(_large(p) if isinstance(p, str) else p for p in merged), _large(""))


def text_cells(text: pa.Array, attrs: list[Part]) -> list[Part]:
    """Inline strings; ``xml:space="preserve"`` only on text whose white space a reader could otherwise trim."""
    opening: Part = "<t>"
    if _has_bytes(_utf8_bytes(text), _SPACE_BYTES):
        kept = pc.match_substring_regex(text, _SPACE_TO_KEEP)
        if pc.any(kept).as_py():
            opening = pc.if_else(kept, _large('<t xml:space="preserve">'), _large("<t>"))
    cells = ["<c", *attrs, ' t="inlineStr"><is>', opening, _escape(text), "</t></is></c>"]
    if text.null_count == 0:
        return cells
    return [pc.if_else(pc.is_valid(text), joined(cells), joined(["<c", *attrs, "/>"]))]


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


def number_cells(numbers: np.ndarray, attrs: list[Part], fallback: str | None) -> list[Part]:
    """``<v>`` holds the shortest text that reads back as the same double (Arrow's cast, like Python's repr)."""
    finite = np.isfinite(numbers)
    cells = ["<c", *attrs, "><v>", _number_text(numbers, finite), "</v></c>"]
    if finite.all():
        return cells
    if fallback is None:
        instead = joined(["<c", *attrs, "/>"])
    else:
        instead = joined(text_cells(pa.array([fallback] * len(numbers), pa.large_string()), attrs))
    return [pc.if_else(pa.array(finite), joined(cells), instead)]
