"""The Segments sheet: High / Mid / Low value customers, as live formulas over the Customers sheet."""

from __future__ import annotations

import pandas as pd
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter

from clv_xl.report.cells import put_formula, put_text, put_value
from clv_xl.report.labels import SEGMENT_KEYS
from clv_xl.report.sheets._context import TablePosition, WriteContext, fit_headers

__all__ = ["SEGMENT_LAYOUT", "write_segments"]

#: The Segments table's columns: (key, number kind, width), in order (also the layout of the Excel scripts' sheet).
SEGMENT_LAYOUT: tuple[tuple[str, str, float], ...] = (
    ("segment", "text", 24),
    ("customers", "int", 13),
    ("customer_share", "pct", 13),
    ("revenue", "money", 16),
    ("revenue_share", "pct", 13),
    ("avg_clv", "money", 16),
    ("orders", "int", 13),
)


def _average(values: pd.Series, na: str) -> float | str:
    mean = values.mean()
    return na if pd.isna(mean) else float(mean)


def _all_customers(ctx: WriteContext, key: str) -> dict[str, float | str]:
    """A segment's customers, revenue, orders and average historical CLV over every customer, as values.

    Read from the report content's segment table (:func:`clv_xl.report.content.build_content` computed it over
    every customer), not grouped again here.
    """
    row = ctx.content.segments.set_index("segment").loc[key]
    return {"customers": float(row["customers"]), "revenue": float(row["revenue"]), "orders": float(row["orders"]),
            "avg_clv": ctx.t("na") if pd.isna(row["avg_clv"]) else float(row["avg_clv"])}


def _put(cell: Cell, content: str | float, number_format: str, style: str) -> None:
    """A formula (text starting with ``=``) or a value."""
    if isinstance(content, str) and content.startswith("="):
        put_formula(cell, content, number_format, style=style)
    else:
        put_value(cell, content, number_format, style=style)


def write_segments(ctx: WriteContext) -> None:
    """Fill the Segments sheet; the Customers sheet must be laid out first.

    Each segment's figures are one COUNTIF / SUMIF / AVERAGEIF over the customers: a constant number of
    formulas, whatever the number of customers.

    Parameters
    ----------
    ctx : WriteContext
        Shared state.
    """
    anchor = ctx.anchors["anchor_segments"]
    ws = ctx.wb[anchor.sheet]
    put_text(ws.cell(1, anchor.col), ctx.t("title.segments"), style="clv_title")
    row, col = anchor.row, anchor.col
    seg = ctx.ranges["customers.segment"]
    rev = ctx.ranges["customers.revenue"]
    orders = ctx.ranges["customers.orders"]
    clv = ctx.ranges["customers.historical_clv"]
    na = '"' + ctx.t("na").replace('"', '""') + '"'
    letters = {key: get_column_letter(col + j) for j, (key, _, _) in enumerate(SEGMENT_LAYOUT)}
    first, total = row + 1, row + 1 + len(SEGMENT_KEYS)
    for j, (key, _, width) in enumerate(SEGMENT_LAYOUT):
        put_text(ws.cell(row, col + j), ctx.t(f"s.{key}"), style="clv_header")
        ws.column_dimensions[letters[key]].width = width
    fit_headers(ws, row, col, col + len(SEGMENT_LAYOUT) - 1)
    for i, key in enumerate(SEGMENT_KEYS):
        r = first + i
        name = f"${letters['segment']}{r}"
        put_text(ws.cell(r, col), ctx.t(f"seg.{key}"), style="clv_label")
        formulas: dict[str, str | float] = {
            "customers": f"=COUNTIF({seg},{name})",
            "customer_share": f"=IFERROR({letters['customers']}{r}/{letters['customers']}${total},0)",
            "revenue": f"=SUMIF({seg},{name},{rev})",
            "revenue_share": f"=IFERROR({letters['revenue']}{r}/{letters['revenue']}${total},0)",
            "avg_clv": f"=IFERROR(AVERAGEIF({seg},{name},{clv}),{na})",
            "orders": f"=SUMIF({seg},{name},{orders})",
        }
        if "customers" in ctx.partial_ranges:  # the sheet lists part of the customers: values over all of them
            formulas.update(_all_customers(ctx, key))
        for j, (column, kind, _) in enumerate(SEGMENT_LAYOUT[1:], start=1):
            _put(ws.cell(r, col + j), formulas[column], ctx.fmt(kind), style="clv_value")
    put_text(ws.cell(total, col), ctx.t("s.total"), style="clv_block")
    totals: dict[str, str | float] = {
        "customers": f"=SUM({letters['customers']}{first}:{letters['customers']}{total - 1})",
        "customer_share": f"=SUM({letters['customer_share']}{first}:{letters['customer_share']}{total - 1})",
        "revenue": f"=SUM({letters['revenue']}{first}:{letters['revenue']}{total - 1})",
        "revenue_share": f"=SUM({letters['revenue_share']}{first}:{letters['revenue_share']}{total - 1})",
        "avg_clv": f"=IFERROR(AVERAGE({clv}),{na})",
        "orders": f"=SUM({letters['orders']}{first}:{letters['orders']}{total - 1})",
    }
    if "customers" in ctx.partial_ranges:
        totals["avg_clv"] = _average(ctx.content.customers["historical_clv"], ctx.t("na"))
    for j, (column, kind, _) in enumerate(SEGMENT_LAYOUT[1:], start=1):
        _put(ws.cell(total, col + j), totals[column], ctx.fmt(kind), style="clv_block")
    ctx.tables["segments"] = TablePosition(ws.title, row, first, total - 1,
                                           {key: col + j for j, (key, _, _) in enumerate(SEGMENT_LAYOUT)})
