"""The Subscriptions sheet (recurring billing only): live key figures, MRR movements, sBG survival, cohorts.

It holds the key figures as live formulas over the MRR table, the MRR movements chart, the survival curve with its
sBG projection, and cohort retention heatmaps.

The sheet is added after the Dashboard when :attr:`ReportContent.subscriptions` is set; a shop's report is
unchanged. Its figures are Excel formulas over the MRR table written on the same sheet (edit a month and they
follow) and over the Dashboard's assumptions (``margin``, ``cac``, ``marketing_spend``, ``new_customers``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from clv_xl.report.cells import put_formula, put_text, put_value
from clv_xl.report.sheet_names import sheet_name
from clv_xl.report.sheets._charts import slant_labels
from clv_xl.report.sheets._context import WriteContext, fit_headers
from clv_xl.report.subscription_data import monthly_rate, subscription_notes
from clv_xl.subscriptions import MRR_TABLE_COLUMNS, SubscriptionAnalysis, mrr_table

__all__ = ["SHEET", "SUBSCRIPTION_KPIS", "SubscriptionKpi", "write_subscriptions", "KPI_ROW", "TABLE_ROW"]

#: Name of the sheet in English (:func:`clv_xl.report.sheet_names.sheet_name` gives its tab in each language).
SHEET = "Subscriptions"
#: Row of the first key figure, and the header row of the tables.
KPI_ROW, TABLE_ROW = 6, 41
_CAC = ('IF(ISNUMBER(cac),cac,IF(AND(ISNUMBER(marketing_spend),ISNUMBER(new_customers)),'
        'IF(new_customers>0,marketing_spend/new_customers,{na}),{na}))')


@dataclass(frozen=True)
class SubscriptionKpi:
    """One key figure of the sheet: labels ``sub.k.<key>`` / ``sub.d.<key>``, format, Excel formula, Python value.

    ``formula`` is a template: ``{<col>}`` is the range of an MRR table column (``{churn}``), ``{<col>2}`` the
    same from the second month on, ``{last_<col>}`` its last cell, ``{k_<key>}`` another figure's cell,
    ``{na}`` the text "n/a" in the report's language.
    """

    key: str
    kind: str
    formula: str
    value: Callable[[SubscriptionAnalysis], float]


SUBSCRIPTION_KPIS: tuple[SubscriptionKpi, ...] = (
    SubscriptionKpi("mrr", "money", "{last_mrr_end}", lambda a: a.metrics.mrr),
    SubscriptionKpi("customers", "int", "{last_customers_end}", lambda a: a.metrics.customers),
    SubscriptionKpi("arpa", "money", "IF({k_customers}>0,{k_mrr}/{k_customers},0)", lambda a: a.metrics.arpa),
    SubscriptionKpi("logo_churn", "pct", "IF(SUM({customers_start2})>0,SUM({churned_customers2})/"
                    "SUM({customers_start2}),{na})", lambda a: a.metrics.logo_churn),
    SubscriptionKpi("gross_mrr_churn", "pct", "IF(SUM({mrr_start2})>0,(SUM({churn2})+SUM({contraction2}))/"
                    "SUM({mrr_start2}),{na})", lambda a: a.metrics.gross_mrr_churn),
    SubscriptionKpi("net_mrr_churn", "pct", "IF(SUM({mrr_start2})>0,(SUM({churn2})+SUM({contraction2})"
                    "-SUM({expansion2}))/SUM({mrr_start2}),{na})", lambda a: a.metrics.net_mrr_churn),
    SubscriptionKpi("nrr", "pct", "IF(ISNUMBER({k_net_mrr_churn}),1-{k_net_mrr_churn},{na})",
                    lambda a: a.metrics.nrr),
    SubscriptionKpi("margin", "pct", "margin", lambda a: math.nan),
    SubscriptionKpi("ltv", "money", "IF(ISNUMBER({k_logo_churn}),IF({k_logo_churn}>0,{k_arpa}*margin/"
                    "{k_logo_churn},{na}),{na})", lambda a: a.metrics.ltv),
    SubscriptionKpi("cac", "money", _CAC, lambda a: math.nan),
    SubscriptionKpi("ltv_cac", "dec", "IF(AND(ISNUMBER({k_ltv}),ISNUMBER({k_cac})),IF({k_cac}>0,{k_ltv}/{k_cac},"
                    "{na}),{na})", lambda a: math.nan),
    SubscriptionKpi("payback", "dec", "IF(ISNUMBER({k_cac}),IF({k_arpa}*margin>0,{k_cac}/({k_arpa}*margin),{na}),"
                    "{na})", lambda a: a.metrics.cac_payback_months),
    SubscriptionKpi("derl", "money", "IF(ISNUMBER({derl}),{k_arpa}*margin*{derl},{na})", lambda a: math.nan),
)

#: Number format kind of each MRR table column.
_TABLE_KINDS = {"month": "text", "customers_start": "int", "new_customers": "int", "reactivated_customers": "int",
                "churned_customers": "int", "customers_end": "int"}


def _letter(column: str) -> str:
    return get_column_letter(1 + MRR_TABLE_COLUMNS.index(column))


def write_subscriptions(ctx: WriteContext) -> None:
    """Add and fill the Subscriptions sheet when the orders are recurring billing; do nothing otherwise.

    Parameters
    ----------
    ctx : WriteContext
        Shared state.
    """
    analysis = ctx.content.subscriptions
    if analysis is None:
        return
    dashboard = ctx.anchors["anchor_title"].sheet
    ws = ctx.wb.create_sheet(sheet_name(SHEET, ctx.lang), index=ctx.wb.sheetnames.index(dashboard) + 1)
    put_text(ws.cell(1, 1), ctx.t("title.subscriptions"), style="clv_title")
    for i, note in enumerate(subscription_notes(analysis, ctx.lang)):
        put_text(ws.cell(2 + i, 1), note, style="clv_note")
    ws.column_dimensions["A"].width = 50
    first, last = _write_mrr_table(ctx, ws, analysis)
    _write_kpis(ctx, ws, analysis, first, last)
    _movements_chart(ctx, ws, first, last)
    _write_survival(ctx, ws, analysis)
    _write_cohorts(ctx, ws, analysis, last + 4)
    _append_definitions(ctx)


def _write_mrr_table(ctx: WriteContext, ws: Worksheet, analysis: SubscriptionAnalysis) -> tuple[int, int]:
    table = mrr_table(analysis.movements)
    put_text(ws.cell(TABLE_ROW - 1, 1), ctx.t("sub.block.mrr"), style="clv_block")
    first, last = TABLE_ROW + 1, TABLE_ROW + len(table)
    for j, column in enumerate(MRR_TABLE_COLUMNS, start=1):
        put_text(ws.cell(TABLE_ROW, j), ctx.t(f"sub.h.{column}"), style="clv_header")
        if j > 1:
            ws.column_dimensions[get_column_letter(j)].width = 13
        fmt = ctx.fmt(_TABLE_KINDS.get(column, "money"))
        for i, value in enumerate(table[column].tolist()):
            cell = ws.cell(first + i, j)
            if column == "month":
                put_text(cell, ctx.month(value))
            elif column == "arpa":
                end, count = f"{_letter('mrr_end')}{first + i}", f"{_letter('customers_end')}{first + i}"
                put_formula(cell, f"=IF({count}>0,{end}/{count},0)", fmt)
            else:
                put_value(cell, value, fmt)
    helpers = (("minus_contraction", "contraction"), ("minus_churn", "churn"))
    for j, (key, source) in enumerate(helpers, start=len(MRR_TABLE_COLUMNS) + 1):
        put_text(ws.cell(TABLE_ROW, j), ctx.t(f"sub.h.{key}"), style="clv_header")
        ws.column_dimensions[get_column_letter(j)].width = 13
        for r in range(first, last + 1):
            put_formula(ws.cell(r, j), f"=-{_letter(source)}{r}", ctx.fmt("money"))
    fit_headers(ws, TABLE_ROW, 2, len(MRR_TABLE_COLUMNS) + len(helpers))
    return first, last


def _kpi_formula(kpi: SubscriptionKpi, first: int, last: int, rows: dict[str, int], na: str, derl: str) -> str:
    fields: dict[str, str] = {"na": na, "derl": derl}
    for column in MRR_TABLE_COLUMNS:
        letter = _letter(column)
        fields[column] = f"${letter}${first}:${letter}${last}"
        fields[f"{column}2"] = f"${letter}${min(first + 1, last)}:${letter}${last}"
        fields[f"last_{column}"] = f"${letter}${last}"
    fields.update({f"k_{key}": f"$B${row}" for key, row in rows.items()})
    return "=" + kpi.formula.format_map(fields)


def _write_kpis(ctx: WriteContext, ws: Worksheet, analysis: SubscriptionAnalysis, first: int, last: int) -> None:
    put_text(ws.cell(KPI_ROW - 1, 1), ctx.t("sub.block.kpis"), style="clv_block")
    put_text(ws.cell(KPI_ROW - 1, 3), ctx.t("sub.definition"), style="clv_block")
    ws.column_dimensions["C"].width = 13
    rows = {kpi.key: KPI_ROW + i for i, kpi in enumerate(SUBSCRIPTION_KPIS)}
    na = '"' + ctx.t("na").replace('"', '""') + '"'
    derl = na
    rate = ctx.content.options.discount_rate
    if analysis.sbg is not None and rate > 0:
        derl = repr(float(analysis.sbg.derl(monthly_rate(rate), 0)))
    for kpi in SUBSCRIPTION_KPIS:
        row = rows[kpi.key]
        put_text(ws.cell(row, 1), ctx.t(f"sub.k.{kpi.key}"), style="clv_label")
        put_formula(ws.cell(row, 2), _kpi_formula(kpi, first, last, rows, na, derl), ctx.fmt(kpi.kind),
                    style="clv_value")
        note = put_text(ws.cell(row, 3), ctx.t(f"sub.d.{kpi.key}"), style="clv_note")
        note.alignment = Alignment(wrap_text=False)
    ws.column_dimensions["B"].width = 16


def _movements_chart(ctx: WriteContext, ws: Worksheet, first: int, last: int) -> None:
    bars = BarChart()
    bars.type, bars.grouping, bars.overlap = "col", "stacked", 100
    bars.title = ctx.t("sub.chart.movements")
    for column in ("new", "reactivation", "expansion"):
        col = 1 + MRR_TABLE_COLUMNS.index(column)
        bars.add_data(Reference(ws, min_col=col, min_row=TABLE_ROW, max_row=last), titles_from_data=True)
    for col in (len(MRR_TABLE_COLUMNS) + 1, len(MRR_TABLE_COLUMNS) + 2):
        bars.add_data(Reference(ws, min_col=col, min_row=TABLE_ROW, max_row=last), titles_from_data=True)
    months = Reference(ws, min_col=1, min_row=first, max_row=last)
    bars.set_categories(months)
    line = LineChart()
    line.add_data(Reference(ws, min_col=1 + MRR_TABLE_COLUMNS.index("mrr_end"), min_row=TABLE_ROW, max_row=last),
                  titles_from_data=True)
    line.set_categories(months)
    line.series[0].smooth = False
    line.y_axis.axId = 200
    line.y_axis.crosses = "max"
    line.y_axis.title = ctx.t("sub.h.mrr_end")
    bars.y_axis.numFmt = line.y_axis.numFmt = "#,##0"
    bars.x_axis.delete = bars.y_axis.delete = line.y_axis.delete = False
    bars.x_axis.tickLblPos = "low"
    slant_labels(bars.x_axis)
    bars += line
    bars.legend.position = "b"
    bars.width, bars.height = 20, 9.5
    ws.add_chart(bars, f"A{KPI_ROW + len(SUBSCRIPTION_KPIS) + 2}")


def _write_survival(ctx: WriteContext, ws: Worksheet, analysis: SubscriptionAnalysis) -> None:
    col = len(MRR_TABLE_COLUMNS) + 4  # right of the MRR table and its two chart columns
    survival = analysis.survival
    put_text(ws.cell(TABLE_ROW - 1, col), ctx.t("sub.block.survival"), style="clv_block")
    for j, key in enumerate(("t", "actual", "projected")):
        put_text(ws.cell(TABLE_ROW, col + j), ctx.t(f"sub.h.{key}"), style="clv_header")
        ws.column_dimensions[get_column_letter(col + j)].width = 14
        for i, value in enumerate(survival[key].tolist()):
            put_value(ws.cell(TABLE_ROW + 1 + i, col + j), value, ctx.fmt("int" if key == "t" else "pct"))
    last = TABLE_ROW + len(survival)
    chart = LineChart()
    chart.title = ctx.t("sub.chart.survival")
    for j in (1, 2):
        chart.add_data(Reference(ws, min_col=col + j, min_row=TABLE_ROW, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=col, min_row=TABLE_ROW + 1, max_row=last))
    for series in chart.series:
        series.smooth = False
    chart.y_axis.numFmt = ctx.fmt("0%")
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = 16, 9.5
    ws.add_chart(chart, f"G{KPI_ROW + len(SUBSCRIPTION_KPIS) + 2}")


def _write_cohorts(ctx: WriteContext, ws: Worksheet, analysis: SubscriptionAnalysis, row: int) -> None:
    col = 1
    blocks = (("sub.block.cohorts", analysis.cohort_customers, "size", "sub.h.size", "int"),
              ("sub.block.revenue_cohorts", analysis.cohort_revenue, "mrr", "sub.h.mrr0", "money"))
    for title, frame, head, head_label, kind in blocks:
        put_text(ws.cell(row - 1, col), ctx.t(title), style="clv_block")
        ages = [c for c in frame.columns if c != head]
        put_text(ws.cell(row, col), ctx.t("sub.h.cohort"), style="clv_header")
        put_text(ws.cell(row, col + 1), ctx.t(head_label), style="clv_header")
        for j, age in enumerate(ages):
            put_text(ws.cell(row, col + 2 + j), ctx.t("h.month", n=int(age)), style="clv_header")
            width = ws.column_dimensions[get_column_letter(col + 2 + j)].width
            ws.column_dimensions[get_column_letter(col + 2 + j)].width = max(width or 0, 9)
        for i, (cohort, record) in enumerate(frame.iterrows(), start=1):
            put_text(ws.cell(row + i, col), ctx.month(cohort))
            put_value(ws.cell(row + i, col + 1), record[head], ctx.fmt(kind))
            for j, age in enumerate(ages):
                put_value(ws.cell(row + i, col + 2 + j), record[age], ctx.fmt("0%"))
        if len(frame) and len(ages) > 1:
            area = f"{get_column_letter(col + 3)}{row + 1}:{get_column_letter(col + 1 + len(ages))}{row + len(frame)}"
            ws.conditional_formatting.add(area, ColorScaleRule(
                start_type="num", start_value=0, start_color="FFFFFF", mid_type="percentile", mid_value=50,
                mid_color="C6E0B4", end_type="max", end_color="548235"))
        row += len(frame) + 4


def _append_definitions(ctx: WriteContext) -> None:
    """Add the subscription figures' definitions below what the Definitions sheet already holds."""
    anchor = ctx.anchors["anchor_definitions"]
    ws = ctx.wb[anchor.sheet]
    row = ws.max_row + 2
    put_text(ws.cell(row, anchor.col), ctx.t("title.subscriptions"), style="clv_block")
    for i, kpi in enumerate(SUBSCRIPTION_KPIS, start=1):
        put_text(ws.cell(row + i, anchor.col), ctx.t(f"sub.k.{kpi.key}"), style="clv_label")
        cell = put_text(ws.cell(row + i, anchor.col + 1), ctx.t(f"sub.d.{kpi.key}"), style="clv_label")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
