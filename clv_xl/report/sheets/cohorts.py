"""The Cohorts sheet: monthly acquisition cohorts, revenue per cohort, and the retention heatmap."""

from __future__ import annotations

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from clv_xl.report.cells import put_formula, put_text, put_value
from clv_xl.report.sheets._context import WriteContext, fit_headers

__all__ = ["write_cohorts"]


def write_cohorts(ctx: WriteContext) -> None:
    """Fill the Cohorts sheet.

    Columns: cohort (month of first order), customers, revenue, revenue per customer, then the share of the
    cohort buying in month 0, 1, 2, ... after its first order, coloured from white (0%) to green.

    Parameters
    ----------
    ctx : WriteContext
        Shared state.
    """
    anchor = ctx.anchors["anchor_cohorts"]
    ws = ctx.wb[anchor.sheet]
    put_text(ws.cell(1, anchor.col), ctx.t("title.cohorts"), style="clv_title")
    frame = ctx.content.cohorts
    row, col = anchor.row, anchor.col
    months = [c for c in frame.columns if not isinstance(c, str)]
    heads = [ctx.t("h.cohort"), ctx.t("h.size"), ctx.t("h.revenue"), ctx.t("h.revenue_per_customer")]
    heads += [ctx.t("h.month", n=int(m)) for m in months]
    for j, text in enumerate(heads):
        put_text(ws.cell(row, col + j), text, style="clv_header")
        ws.column_dimensions[get_column_letter(col + j)].width = 12 if j == 0 else (15 if j < 4 else 10)
    fit_headers(ws, row, col, col + len(heads) - 1)
    money = ctx.fmt("money")
    for i, record in enumerate(frame.itertuples(index=False)):
        r = row + 1 + i
        cohort, size, revenue = record[0], record[1], record[2]
        put_text(ws.cell(r, col), ctx.month(cohort))
        put_value(ws.cell(r, col + 1), size, ctx.fmt("int"))
        put_value(ws.cell(r, col + 2), revenue, money)
        size_ref = f"{get_column_letter(col + 1)}{r}"
        rev_ref = f"{get_column_letter(col + 2)}{r}"
        put_formula(ws.cell(r, col + 3), f"=IF({size_ref}>0,{rev_ref}/{size_ref},0)", money)
        for j, value in enumerate(record[3:]):
            put_value(ws.cell(r, col + 4 + j), value, ctx.fmt("0%"))
    last = row + len(frame)
    if len(frame) and len(months) > 1:
        start = get_column_letter(col + 5)
        stop = get_column_letter(col + 3 + len(months))
        ws.conditional_formatting.add(
            f"{start}{row + 1}:{stop}{last}",
            ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                           mid_type="percentile", mid_value=50, mid_color="C6E0B4",
                           end_type="max", end_color="548235"),
        )
    ws.freeze_panes = ws.cell(row + 1, col + 1)
