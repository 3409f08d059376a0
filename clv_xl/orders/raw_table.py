"""A table as read from its source, before any interpretation, and the checks of its header row.

What every opener of :mod:`clv_xl.orders.open_file` returns: a :class:`RawTable`, which also knows how to turn a row
position into the row number a person sees in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clv_xl.errors import DataError
from clv_xl.orders.limits import LIMITS

__all__ = ["RawTable", "check_width", "unique_labels"]


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


def check_width(name: str, columns: int) -> None:
    """Refuse a table wider than an Excel sheet (message short, whatever the width)."""
    if columns > LIMITS.max_columns:
        raise DataError(
            f"{name} has {columns:,} columns, more than the {LIMITS.max_columns:,} an Excel sheet holds; "
            "refused (is it the order export?)"
        )


def unique_labels(labels: list[str]) -> list[str]:
    """Make repeated header labels unique: the second ``Total`` becomes ``Total (2)``."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out
