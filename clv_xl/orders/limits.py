"""The bounds an order file must stay within, as data: what is refused, and the words the refusal uses.

A file beyond them is refused before it is parsed (sizes, compression, rows, columns, XML declarations) or its
values are reported as unreadable (dates, amounts), always with one line naming the file. The bounds follow
Excel's own (1,048,576 rows and 16,384 columns a sheet) or lie far beyond any real order export; none of them is
an option, because a file beyond them is damaged or hostile rather than large.

Examples
--------
>>> LIMITS.max_rows, LIMITS.max_columns
(1048576, 16384)
>>> LIMITS.first_date <= pd.Timestamp("1997-01-01") <= LIMITS.last_date
True
>>> size_text(LIMITS.max_line_bytes), size_text(LIMITS.max_part_bytes)
('256 KiB', '1 GiB')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Limits", "LIMITS", "VALUE_RULES", "size_text", "short_list"]


@dataclass(frozen=True)
class Limits:
    """Bounds on an order file.

    Attributes
    ----------
    max_rows : int
        Rows of a sheet or table, header included (Excel's 1,048,576).
    max_columns : int
        Columns of a table (Excel's 16,384).
    max_cells : int
        Cells of a workbook's order table (rows below the header times its labelled columns): the reader holds
        each as a Python object, so this bounds its memory (a million orders of 20 columns).
    max_table_rows : int
        Rows of a Parquet file, whose compression has no bound: a few kilobytes can hold a hundred million
        identical rows. Ten million orders take about half a gigabyte once read.
    max_line_bytes : int
        Bytes of one line of a text file (also the window read to find its encoding, separator and header).
    max_field_chars : int
        Characters of one field of a text file (Python's csv module's own default).
    max_zip_members : int
        Parts of an XLSX package.
    max_part_bytes : int
        Uncompressed bytes of one XLSX part (a sheet of a million orders takes about 300 MB).
    max_shared_strings_bytes : int
        Uncompressed bytes of the shared-strings part, which the reader holds in memory whole.
    max_shared_strings : int
        Strings in it.
    max_total_bytes : int
        Uncompressed bytes of all parts together.
    max_ratio : float
        Uncompressed / compressed size of a part larger than ``ratio_floor_bytes`` (real sheets: 5 to 30).
    ratio_floor_bytes : int
        Parts smaller than this are not held to ``max_ratio``.
    first_date, last_date : pandas.Timestamp
        Order dates allowed: from Excel's first day to the last day pandas' nanosecond timestamps hold.
    max_amount : float
        Largest amount in absolute value: any sum of a billion such amounts stays finite and exact to the cent
        at a thousandth of it.
    """

    max_rows: int = 1_048_576
    max_columns: int = 16_384
    max_cells: int = 20_000_000
    max_table_rows: int = 10_000_000
    max_line_bytes: int = 256 * 1024
    max_field_chars: int = 131_072
    max_zip_members: int = 10_000
    max_part_bytes: int = 1 << 30
    max_shared_strings_bytes: int = 256 << 20
    max_shared_strings: int = 4_000_000
    max_total_bytes: int = 2 << 30
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 << 20
    first_date: pd.Timestamp = pd.Timestamp("1900-01-01")
    last_date: pd.Timestamp = pd.Timestamp("2262-04-11")
    max_amount: float = 1e15


LIMITS = Limits()

#: What a readable value is, by the kind of value a bad-value message names.
VALUE_RULES = {
    "date": f"dates must fall between {LIMITS.first_date:%Y-%m-%d} and {LIMITS.last_date:%Y-%m-%d}",
    "amount": f"amounts must be finite numbers up to {LIMITS.max_amount:.0e}".replace("e+", "e")
    + ", one a cell (no lists or records)",
}


def size_text(size: float) -> str:
    """A byte count as people write it: ``256 KiB``, ``1 GiB``, ``1.5 MiB``.

    Examples
    --------
    >>> size_text(1_572_864), size_text(512)
    ('1.5 MiB', '512 bytes')
    """
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size:,.0f} bytes"


def short_list(names: list[object], shown: int = 10) -> str:
    """The first ``shown`` names quoted, and how many more: messages stay one short line.

    Examples
    --------
    >>> short_list(["a", "b"])
    "'a', 'b'"
    >>> short_list([f"f{i}" for i in range(1, 5001)], shown=2)
    "'f1', 'f2' and 4,998 more"
    """
    text = ", ".join(repr(str(name)[:40]) for name in names[:shown])
    return text + (f" and {len(names) - shown:,} more" if len(names) > shown else "")
