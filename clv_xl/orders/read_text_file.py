"""Read a delimited text file whole, as its :class:`~clv_xl.orders.text_layout.TextLayout` says.

UTF-8 files with a header go through pyarrow's multithreaded CSV reader, others through pandas; a field longer
than ``LIMITS.max_field_chars`` is refused, naming its row.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path

import pandas as pd

from clv_xl.errors import DataError
from clv_xl.orders.limits import LIMITS
from clv_xl.orders.raw_table import RawTable
from clv_xl.orders.text_layout import WHITESPACE, TextLayout

__all__ = ["read_text"]


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
        and layout.sep != WHITESPACE
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
