"""The Customers sheet: one row per customer as an Excel Table, with conditional formats."""

from __future__ import annotations

from openpyxl.formatting.rule import CellIsRule, DataBarRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from clv_xl.report.labels import SEGMENT_KEYS
from clv_xl.report.sheets._context import WriteContext
from clv_xl.report.sheets._table import DataColumn, write_data_table

__all__ = ["write_customers", "CUSTOMER_LAYOUT"]

#: (column, number format kind, width) of the Customers sheet, in order.
CUSTOMER_LAYOUT: tuple[tuple[str, str, float], ...] = (
    ("customer_id", "text", 16),
    ("first_order", "date", 13),
    ("last_order", "date", 13),
    ("orders", "int", 10),
    ("revenue", "money", 14),
    ("aov", "money", 13),
    ("frequency", "int", 14),
    ("recency", "int", 12),
    ("T", "int", 12),
    ("monetary_value", "money", 16),
    ("historical_clv", "money", 14),
    ("segment", "text", 11),
)

_SEGMENT_FILLS = {"High": "C6EFCE", "Mid": "FFEB9C", "Low": "F2F2F2"}


def write_customers(ctx: WriteContext) -> None:
    """Fill the Customers sheet.

    Parameters
    ----------
    ctx : WriteContext
        Shared state; ``ctx.ranges["customers.<column>"]`` are set for the dashboard's formulas.
    """
    anchor = ctx.anchors["anchor_customers"]
    ws = ctx.wb[anchor.sheet]
    frame = ctx.content.customers
    segment_names = {key: ctx.t(f"seg.{key}") for key in SEGMENT_KEYS}
    columns = []
    for key, kind, width in CUSTOMER_LAYOUT:
        if key not in frame.columns:
            continue
        values = frame[key]
        if key == "segment":
            values = values.astype("string").map(lambda s: segment_names.get(s, s))
        columns.append(DataColumn(key, ctx.t(f"c.{key}"), kind, values, width))
    first, last = write_data_table(ctx, ws, anchor.row, anchor.col, columns, "tblCustomers", "customers")
    keys = [c.key for c in columns]
    if "historical_clv" in keys:
        letter = get_column_letter(anchor.col + keys.index("historical_clv"))
        ws.conditional_formatting.add(
            f"{letter}{first}:{letter}{last}",
            DataBarRule(start_type="min", end_type="max", color="5B9BD5", showValue=True),
        )
    if "segment" in keys:
        letter = get_column_letter(anchor.col + keys.index("segment"))
        for key, colour in _SEGMENT_FILLS.items():
            name = segment_names[key].replace('"', '""')
            ws.conditional_formatting.add(
                f"{letter}{first}:{letter}{last}",
                CellIsRule(operator="equal", formula=[f'"{name}"'], fill=PatternFill("solid", bgColor=colour)),
            )
