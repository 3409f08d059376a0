"""The Orders sheet: the cleaned orders as an Excel Table, or a note when they do not fit in one sheet."""

from __future__ import annotations

from clv_xl.report.cells import put_text
from clv_xl.report.content import MAX_DATA_ROWS
from clv_xl.report.sheets._context import WriteContext
from clv_xl.report.sheets._table import DataColumn, write_data_table

__all__ = ["write_orders", "ORDER_LAYOUT"]

#: (column, number format kind, width) of the Orders sheet, in order, when present.
ORDER_LAYOUT: tuple[tuple[str, str, float], ...] = (
    ("order_id", "text", 14),
    ("customer_id", "text", 16),
    ("order_date", "date", 13),
    ("amount", "money", 13),
    ("quantity", "dec", 10),
    ("currency", "text", 10),
)


def write_orders(ctx: WriteContext) -> None:
    """Fill the Orders sheet (or explain why it is empty).

    Parameters
    ----------
    ctx : WriteContext
        Shared state; adds a dashboard note when the orders are left out.
    """
    anchor = ctx.anchors["anchor_orders"]
    ws = ctx.wb[anchor.sheet]
    orders = ctx.content.orders
    if orders is None:  # read by an engine and never loaded: the dashboard's notes say so too
        put_text(ws.cell(anchor.row, anchor.col), ctx.t("note.orders_read_by_engine", engine=ctx.content.engine,
                                                        n=f"{ctx.content.order_count:,}"), style="clv_note")
        return
    if len(orders) + anchor.row - 1 > MAX_DATA_ROWS:
        note = ctx.t("note.orders_left_out", n=ctx.integer(len(orders)))
        put_text(ws.cell(anchor.row, anchor.col), note, style="clv_note")
        ctx.notes.append(note)
        return
    columns = []
    for key, kind, width in ORDER_LAYOUT:
        if key not in orders.columns:
            continue
        values = orders[key]
        if kind == "text" and key != "customer_id" and values.dtype.kind in "iuf":
            kind = "dec" if values.dtype.kind == "f" else "int"
        columns.append(DataColumn(key, ctx.t(f"o.{key}"), kind, values, width))
    write_data_table(ctx, ws, anchor.row, anchor.col, columns, "tblOrders", "orders")
