"""The Churn sheet: monthly customers (new, returning, lost), churn and retention, orders, revenue, a line chart.

Months whose churn cannot be observed yet (see :mod:`clv_xl.churn`) have blank rates, not 0 %.
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference

from clv_xl.report.cells import put_text, put_value
from clv_xl.report.sheets._charts import slant_labels
from clv_xl.report.sheets._context import TablePosition, WriteContext, column_range, fit_headers

__all__ = ["write_churn", "CHURN_LAYOUT"]

#: (column, number format kind, width) of the churn table.
CHURN_LAYOUT: tuple[tuple[str, str, float], ...] = (
    ("period", "text", 11),
    ("customers_at_start", "int", 13),
    ("new_customers", "int", 13),
    ("returning_customers", "int", 14),
    ("lost_customers", "int", 13),
    ("customers_at_end", "int", 13),
    ("churn_rate", "pct", 12),
    ("retention_rate", "pct", 12),
    ("orders", "int", 11),
    ("revenue", "money", 15),
)


def write_churn(ctx: WriteContext) -> None:
    """Fill the Churn sheet and record its ranges (``churn.<column>``) for the dashboard.

    Parameters
    ----------
    ctx : WriteContext
        Shared state.
    """
    anchor = ctx.anchors["anchor_churn"]
    ws = ctx.wb[anchor.sheet]
    put_text(ws.cell(1, anchor.col), ctx.t("title.churn"), style="clv_title")
    frame = ctx.content.churn
    row, col = anchor.row, anchor.col
    first, last = row + 1, row + max(len(frame), 1)
    columns = {}
    for j, (key, kind, width) in enumerate(CHURN_LAYOUT):
        c = col + j
        columns[key] = c
        put_text(ws.cell(row, c), ctx.t(f"ch.{key}"), style="clv_header")
        ws.column_dimensions[ws.cell(row, c).column_letter].width = width
        values = frame[key].tolist() if key in frame.columns else [None] * len(frame)
        for i, value in enumerate(values):
            cell = ws.cell(first + i, c)
            if key == "period":
                put_text(cell, ctx.month(value))
            elif kind == "text":
                put_text(cell, value)
            else:
                put_value(cell, value, ctx.fmt(kind))
        ctx.ranges[f"churn.{key}"] = column_range(ws.title, c, first, last)
    fit_headers(ws, row, col, col + len(CHURN_LAYOUT) - 1)
    ws.freeze_panes = ws.cell(first, col + 1)
    ctx.header_rows[ws.title] = row
    position = TablePosition(ws.title, row, first, last, columns)
    ctx.tables["churn"] = position
    if len(frame) == 0:
        return
    chart = LineChart()
    chart.title = ctx.t("chart.churn")
    for key in ("churn_rate", "retention_rate"):
        chart.add_data(Reference(ws, min_col=columns[key], min_row=row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=columns["period"], min_row=first, max_row=last))
    for series in chart.series:
        series.smooth = False
    chart.y_axis.numFmt = ctx.fmt("0%")
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    slant_labels(chart.x_axis)
    chart.width, chart.height = 22, 10
    target = ctx.anchors["anchor_chart_churn"]
    ctx.wb[target.sheet].add_chart(chart, target.coordinate)
