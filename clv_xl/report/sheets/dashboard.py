"""The Dashboard: assumptions, key figures with the reconciled CLV block, top customers, what-if grid, charts.

Every key figure is a classic Excel formula over the data sheets and the named assumption cells (no dynamic
arrays), so changing the margin in the workbook updates everything without Python. The figures, their labels and
formulas are the records of :data:`clv_xl.report.kpis.KPIS`, which also computes them in Python.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import absolute_coordinate, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from clv_xl import __version__
from clv_xl.report.assumptions import ASSUMPTIONS, LTV_BASES
from clv_xl.report.cells import put_formula, put_text, put_value
from clv_xl.report.kpis import KPI_BLOCKS, KPI_TEXTS, KPIS, WHATIF_LIFESPANS, WHATIF_MARGINS, clv_formula, render
from clv_xl.report.labels import label
from clv_xl.report.sheets._charts import slant_labels
from clv_xl.report.sheets._context import WriteContext, fit_headers, sheet_ref

__all__ = ["write_dashboard", "kpi_formulas", "TOP_CUSTOMERS"]

#: Customers listed on the dashboard, best first.
TOP_CUSTOMERS = 10

def _validation(kind: str, lang: str) -> dict[str, object]:
    """The data validation of an assumption cell (``rate``, ``positive``, ``basis``), its message in ``lang``."""
    if kind == "rate":
        return dict(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=False,
                    error=label("valid.rate", lang))
    if kind == "positive":
        return dict(type="decimal", operator="greaterThan", formula1="0", allow_blank=True,
                    error=label("valid.positive", lang))
    choices = [label(f"basis.{basis}", lang) for basis in LTV_BASES]
    return dict(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False,
                error=label("valid.basis", lang, choices=", ".join(choices)))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def kpi_formulas(cells: dict[str, str], ranges: dict[str, str], lang: str) -> dict[str, str]:
    """The formula of each key figure of :data:`~clv_xl.report.kpis.KPIS`, rendered for this workbook.

    Parameters
    ----------
    cells : dict
        Absolute address of each key figure's cell, by key.
    ranges : dict
        Data ranges by ``<sheet>.<column>`` (``customers.revenue``, ``churn.lost_customers``, ...); a figure
        whose range is missing (no forecast) shows n/a.
    lang : str
        Language of the n/a and verdict texts.

    Returns
    -------
    dict
        Formula (with ``=``) by key.

    Examples
    --------
    >>> f = kpi_formulas({"revenue": "$C$3", "orders": "$C$2", "aov": "$C$4"}, {}, "en")
    >>> f["aov"], f["predicted_clv"]
    ('=IFERROR($C$3/$C$2,"n/a")', '="n/a"')
    """
    na = _quote(label("na", lang))
    refs = {**cells, **ranges, **{f"a:{a.name}": a.name for a in ASSUMPTIONS},
            **{f"t:{key}": _quote(label(key, lang)) for key in KPI_TEXTS}}
    out = {}
    for kpi in KPIS:
        expression = render(kpi.excel, refs)
        out[kpi.key] = f"={na}" if expression is None else f"=IFERROR({expression},{na})"
    return out


def _assumption_values(ctx: WriteContext) -> dict[str, object]:
    content, options = ctx.content, ctx.content.options
    values: dict[str, object] = {a.name: getattr(options, a.name) for a in ASSUMPTIONS}
    values["inactive_after"] = content.window.periods
    values["observation_end"] = content.observation_end
    return values


def _assumptions(ctx: WriteContext) -> None:
    values = _assumption_values(ctx)
    first = ctx.anchors[ASSUMPTIONS[0].name]
    if first.col > 1:
        put_text(ctx.wb[first.sheet].cell(first.row - 1, first.col - 1), ctx.t("block.assumptions"),
                 style="clv_block")
    for assumption in ASSUMPTIONS:
        anchor = ctx.anchors[assumption.name]
        ws = ctx.wb[anchor.sheet]
        cell = ws.cell(anchor.row, anchor.col)
        style = "clv_input" if assumption.editable else "clv_value"
        value = values[assumption.name]
        if assumption.validation == "basis":
            value = ctx.t(f"basis.{value}")
        if assumption.kind == "text":
            put_text(cell, "" if value is None else value, style=style)
        elif assumption.kind == "date":
            cell.style = style
            cell.value = None if value is None else pd.Timestamp(value).to_pydatetime()
            cell.number_format = ctx.fmt("date")
        else:
            kind = assumption.kind
            put_value(cell, value, ctx.fmt(kind), style=style)
        if assumption.validation and assumption.editable:
            rule = _validation(assumption.validation, ctx.lang)
            check = DataValidation(showErrorMessage=True, **rule)
            check.add(cell.coordinate)
            ws.add_data_validation(check)
        if anchor.col > 1:
            put_text(ws.cell(anchor.row, anchor.col - 1), assumption.label(ctx.lang), style="clv_label")


def _reads_partial(template: str, partial: set[str]) -> bool:
    """Whether a figure's Excel template reads a range of a table that shows only part of its rows.

    Examples
    --------
    >>> _reads_partial("SUM({customers.revenue})", {"customers"}), _reads_partial("{revenue}/{orders}", {"customers"})
    (True, False)
    """
    return any("{" + prefix + "." in template for prefix in partial)


def _kpis(ctx: WriteContext) -> tuple[dict[str, str], int]:
    """Write the key figures block by block; return their cells and the first free row below."""
    anchor = ctx.anchors["anchor_kpis"]
    ws = ctx.wb[anchor.sheet]
    fields = {"window": ctx.content.window.periods, "horizon": ctx.content.options.horizon_months}
    rows: dict[str, int] = {}
    row = anchor.row
    for block, title in KPI_BLOCKS:
        put_text(ws.cell(row, anchor.col), ctx.t(title), style="clv_block")
        ws.cell(row, anchor.col + 1).style = "clv_block"
        for kpi in (k for k in KPIS if k.block == block):
            row += 1
            rows[kpi.key] = row
        row += 1
        if block == "clv":
            why = put_text(ws.cell(row, anchor.col), ctx.t("clv.why", **fields), style="clv_note")
            _wrap_across(ws, why, 2)
            row += 1
        row += 1
    cells = {key: absolute_coordinate(f"{get_column_letter(anchor.col + 1)}{r}") for key, r in rows.items()}
    formulas = kpi_formulas(cells, ctx.ranges, ctx.lang)
    for kpi in KPIS:
        r = rows[kpi.key]
        put_text(ws.cell(r, anchor.col), kpi.label(ctx.lang, **fields), style="clv_label")
        if _reads_partial(kpi.excel, ctx.partial_ranges):  # computed over every row, not the rows shown
            value = ctx.content.kpis[kpi.key]
            put_value(ws.cell(r, anchor.col + 1), ctx.t("na") if value is None else value, ctx.fmt(kpi.kind),
                      style="clv_value")
        else:
            put_formula(ws.cell(r, anchor.col + 1), formulas[kpi.key], ctx.fmt(kpi.kind), style="clv_value")
        name = f"kpi_{kpi.key}"
        ctx.wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet_ref(ws.title)}!{cells[kpi.key]}")
    verdict = cells["verdict"].replace("$", "")
    for key, colour in (("verdict.healthy", "C6EFCE"), ("verdict.fragile", "FFEB9C"), ("verdict.losing", "FFC7CE")):
        ws.conditional_formatting.add(verdict, CellIsRule(operator="equal", formula=[_quote(ctx.t(key))],
                                                          fill=PatternFill("solid", bgColor=colour)))
    return cells, row


def _top_customers(ctx: WriteContext, row: int) -> int:
    """List the most valuable customers (the Customers sheet's order) from ``row``; return the next free row."""
    anchor = ctx.anchors["anchor_kpis"]
    ws = ctx.wb[anchor.sheet]
    customers = ctx.content.customers
    value = ctx.content.value_column
    put_text(ws.cell(row, anchor.col), ctx.t("block.top", n=min(TOP_CUSTOMERS, len(customers))), style="clv_block")
    ws.cell(row, anchor.col + 1).style = "clv_block"
    put_text(ws.cell(row + 1, anchor.col), ctx.t("c.customer_id"), style="clv_header")
    put_text(ws.cell(row + 1, anchor.col + 1), ctx.t(f"c.{value}", horizon=ctx.content.options.horizon_months),
             style="clv_header")
    fit_headers(ws, row + 1, anchor.col, anchor.col + 1)
    top = customers.head(TOP_CUSTOMERS)
    for i, (customer, amount) in enumerate(zip(top["customer_id"], top[value], strict=True), start=2):
        put_text(ws.cell(row + i, anchor.col), customer, style="clv_label")
        put_value(ws.cell(row + i, anchor.col + 1), amount, ctx.fmt("money"), style="clv_value")
    return row + len(top) + 3


def _whatif(ctx: WriteContext, cells: dict[str, str]) -> None:
    anchor = ctx.anchors["anchor_whatif"]
    ws = ctx.wb[anchor.sheet]
    row, col = anchor.row, anchor.col
    put_text(ws.cell(row, col), ctx.t("block.whatif"), style="clv_block")
    put_text(ws.cell(row + 1, col), ctx.t("whatif.corner"), style="clv_header")
    na = _quote(ctx.t("na"))
    for j, life in enumerate(WHATIF_LIFESPANS, start=1):
        put_value(ws.cell(row + 1, col + j), life, "0.0", style="clv_input")
    for i, margin in enumerate(WHATIF_MARGINS, start=1):
        put_value(ws.cell(row + 1 + i, col), margin, ctx.fmt("0%"), style="clv_input")
        for j in range(1, len(WHATIF_LIFESPANS) + 1):
            m = f"${get_column_letter(col)}{row + 1 + i}"
            life_ref = f"{get_column_letter(col + j)}${row + 1}"
            formula = f"=IFERROR({clv_formula(cells['aov'], cells['frequency'], life_ref, m, 'discount_rate')},{na})"
            put_formula(ws.cell(row + 1 + i, col + j), formula, ctx.fmt("money"), style="clv_value")


def _charts(ctx: WriteContext) -> None:
    churn = ctx.tables.get("churn")
    if churn is not None and churn.last_row >= churn.first_row:
        src = ctx.wb[churn.sheet]
        chart = BarChart()
        chart.title = ctx.t("chart.revenue")
        chart.legend = None
        chart.add_data(Reference(src, min_col=churn.columns["revenue"], min_row=churn.header_row,
                                 max_row=churn.last_row), titles_from_data=True)
        chart.set_categories(Reference(src, min_col=churn.columns["period"], min_row=churn.first_row,
                                       max_row=churn.last_row))
        chart.y_axis.numFmt = "#,##0"
        chart.y_axis.scaling.min = 0
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        slant_labels(chart.x_axis)
        chart.width, chart.height = 24, 9
        anchor = ctx.anchors["anchor_chart_revenue"]
        ctx.wb[anchor.sheet].add_chart(chart, anchor.coordinate)
    segments = ctx.tables.get("segments")
    if segments is not None:
        src = ctx.wb[segments.sheet]
        bar = BarChart()
        bar.title = ctx.t("chart.segments")
        bar.add_data(Reference(src, min_col=segments.columns["customers"], min_row=segments.header_row,
                               max_row=segments.last_row), titles_from_data=True)
        categories = Reference(src, min_col=segments.columns["segment"], min_row=segments.first_row,
                               max_row=segments.last_row)
        bar.set_categories(categories)
        bar.y_axis.title = ctx.t("s.customers")
        bar.y_axis.majorGridlines = None
        bar.y_axis.scaling.min = 0
        line = LineChart()
        line.add_data(Reference(src, min_col=segments.columns["revenue"], min_row=segments.header_row,
                                max_row=segments.last_row), titles_from_data=True)
        line.set_categories(categories)
        for series in line.series:
            series.smooth = False
        line.y_axis.axId = 200
        line.y_axis.title = ctx.t("s.revenue")
        line.y_axis.crosses = "max"
        line.y_axis.numFmt = "#,##0"
        line.y_axis.scaling.min = 0
        for axis in (bar.x_axis, bar.y_axis, line.y_axis):
            axis.delete = False
        bar += line
        bar.legend.position = "b"
        bar.width, bar.height = 24, 9
        anchor = ctx.anchors["anchor_chart_segments"]
        ctx.wb[anchor.sheet].add_chart(bar, anchor.coordinate)


#: Widest the label column grows to hold the assumptions' labels; longer labels wrap.
LABEL_COLUMN_MAX = 60
#: Column width units a label character takes (labels are in a smaller font than the width unit's digit).
_LABEL_CHAR = 0.9


def _fit_labels(ws: Worksheet, col: int, last_assumption_row: int) -> None:
    """Widen the label column for the longest assumption label (up to a limit); wrap the labels still longer.

    French labels run longer than English ones; a label cut by the value beside it reads as a different figure.
    """
    letter = get_column_letter(col)
    labels = [cell for (cell,) in ws.iter_rows(min_col=col, max_col=col)
              if cell.style == "clv_label" and isinstance(cell.value, str)]
    width = ws.column_dimensions[letter].width or 13
    assumptions = [len(cell.value) for cell in labels if cell.row <= last_assumption_row]
    width = max(width, min(max(assumptions, default=0) * _LABEL_CHAR + 2, LABEL_COLUMN_MAX))
    ws.column_dimensions[letter].width = width
    for cell in labels:
        lines = math.ceil(len(cell.value) * _LABEL_CHAR / (width - 2))
        if lines > 1:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[cell.row].height = 15 * lines


def _wrap_across(ws: Worksheet, cell: Any, columns: int) -> None:
    """Wrap a long note over ``columns`` merged cells (it would run under the charts), the row as tall as it needs."""
    ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row,
                   end_column=cell.column + columns - 1)
    width = sum(ws.column_dimensions[get_column_letter(cell.column + j)].width or 13 for j in range(columns))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[cell.row].height = 12 * math.ceil(len(str(cell.value)) * _LABEL_CHAR * 0.9 / (width - 2))


def write_dashboard(ctx: WriteContext) -> None:
    """Fill the Dashboard; the data sheets must be written first (their ranges are in ``ctx``).

    Parameters
    ----------
    ctx : WriteContext
        Shared state.
    """
    content = ctx.content
    title = ctx.anchors["anchor_title"]
    ws = ctx.wb[title.sheet]
    put_text(ws.cell(title.row, title.col), ctx.t("title.dashboard"), style="clv_title")
    first = content.customers["first_order"].min()
    last = content.customers["last_order"].max()
    subtitle = ctx.t("subtitle", customers=ctx.integer(len(content.customers)), orders=ctx.integer(content.order_count),
                     start=ctx.date(first), end=ctx.date(last), today=ctx.date(date.today()), version=__version__)
    put_text(ws.cell(title.row + 1, title.col), subtitle, style="clv_subtitle")
    _assumptions(ctx)
    cells, row = _kpis(ctx)
    row = _top_customers(ctx, row)
    _whatif(ctx, cells)
    notes = content.all_notes() + ctx.notes
    if content.options.cac_value is None:
        notes.append(ctx.t("note.cac_missing"))
    anchor = ctx.anchors["anchor_notes"]
    first = max(anchor.row, row) if anchor.sheet == title.sheet and anchor.col == ctx.anchors["anchor_kpis"].col \
        else anchor.row
    for i, note in enumerate(notes):
        put_text(ctx.wb[anchor.sheet].cell(first + i, anchor.col), note, style="clv_note")
    _fit_labels(ws, ctx.anchors["anchor_kpis"].col, max(ctx.anchors[a.name].row for a in ASSUMPTIONS))
    _charts(ctx)
