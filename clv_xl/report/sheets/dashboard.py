"""The Dashboard: assumptions, live key figures, the what-if grid and the charts.

Every key figure is a classic Excel formula over the data sheets and the named assumption cells (no dynamic
arrays), so changing the margin in the workbook updates everything without Python. :mod:`clv_xl.report.kpis`
computes the same numbers in Python.
"""

from __future__ import annotations

from datetime import date

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.utils import absolute_coordinate, get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from clv_xl import __version__
from clv_xl.report.cells import put_formula, put_text, put_value
from clv_xl.report.kpis import DAYS_PER_YEAR, KPI_FORMATS, KPI_KEYS, WHATIF_LIFESPANS, WHATIF_MARGINS
from clv_xl.report.sheets._context import WriteContext, sheet_ref

__all__ = ["write_dashboard", "clv_formula", "kpi_formulas"]

_ASSUMPTION_FORMATS = {
    "margin": "0%",
    "discount_rate": "pct",
    "cac_input": "money",
    "marketing_spend": "money",
    "new_customers": "int",
    "lifespan_override": "dec",
    "currency": "text",
    "report_lang": "text",
}
_ASSUMPTION_LABELS = {
    "margin": "a.margin",
    "discount_rate": "a.discount_rate",
    "cac_input": "a.cac",
    "marketing_spend": "a.marketing_spend",
    "new_customers": "a.new_customers",
    "lifespan_override": "a.lifespan_override",
    "currency": "a.currency",
    "report_lang": "a.lang",
}


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def clv_formula(aov: str, freq: str, life: str, margin: str, rate: str) -> str:
    """Excel expression of :func:`clv_xl.formulas.clv` (end-of-year discounting, partial year pro rata).

    Parameters
    ----------
    aov, freq, life, margin, rate : str
        Cell references or expressions.

    Returns
    -------
    str
        An expression without the leading ``=``.

    Examples
    --------
    >>> clv_formula("A", "F", "L", "m", "d")
    'A*F*m*IF(d=0,L,(1-(1+d)^(-INT(L)))/d+(L-INT(L))*(1+d)^(-(INT(L)+1)))'
    """
    return (f"{aov}*{freq}*{margin}*IF({rate}=0,{life},(1-(1+{rate})^(-INT({life})))/{rate}"
            f"+({life}-INT({life}))*(1+{rate})^(-(INT({life})+1)))")


def kpi_formulas(
    cells: dict[str, str], ranges: dict[str, str], na: str, verdicts: tuple[str, str, str]
) -> dict[str, str]:
    """The formula of each key figure.

    Parameters
    ----------
    cells : dict
        Absolute address of each key figure's cell, by key.
    ranges : dict
        Data ranges: ``customers.orders``, ``customers.revenue``, ``customers.first_order``,
        ``customers.last_order``, ``customers.T``, ``churn.customers_at_start``, ``churn.lost_customers``,
        ``churn.customers_at_end``, ``churn.new_customers``.
    na : str
        Text shown where a figure is undefined.
    verdicts : tuple of str
        Healthy, fragile and losing labels.

    Returns
    -------
    dict
        Formula (with ``=``) by key.
    """
    c, r, q = cells, ranges, _quote(na)
    healthy, fragile, losing = (_quote(v) for v in verdicts)
    start, lost = r["churn.customers_at_start"], r["churn.lost_customers"]
    end, new = r["churn.customers_at_end"], r["churn.new_customers"]
    return {
        "customers": f"=COUNT({r['customers.orders']})",
        "orders": f"=SUM({r['customers.orders']})",
        "revenue": f"=SUM({r['customers.revenue']})",
        "aov": f"=IFERROR({c['revenue']}/{c['orders']},{q})",
        "years": f"=(MAX({r['customers.last_order']})-MIN({r['customers.first_order']})+1)/{DAYS_PER_YEAR}",
        "frequency": f"=IFERROR({c['orders']}/((SUM({r['customers.T']})+{c['customers']})/{DAYS_PER_YEAR}),{q})",
        "churn": f"=IFERROR(SUM({lost})/SUM({start}),{q})",
        "retention": f"=IFERROR((SUM({end})-SUM({new}))/SUM({start}),{q})",
        "lifespan": f"=IF(ISNUMBER(lifespan_override),lifespan_override,IFERROR(1/{c['churn']}/12,{q}))",
        "clv_simple": f"=IFERROR({c['aov']}*{c['frequency']}*{c['lifespan']},{q})",
        "clv": f"=IFERROR({clv_formula(c['aov'], c['frequency'], c['lifespan'], 'margin', 'discount_rate')},{q})",
        "cac": ("=IF(ISNUMBER(cac_input),cac_input,IF(AND(ISNUMBER(marketing_spend),ISNUMBER(new_customers)),"
                f"IFERROR(marketing_spend/new_customers,{q}),{q}))"),
        "ltv_cac": f"=IFERROR({c['clv']}/{c['cac']},{q})",
        "verdict": (f"=IF(ISNUMBER({c['ltv_cac']}),IF({c['ltv_cac']}>=3,{healthy},"
                    f"IF({c['ltv_cac']}>=1,{fragile},{losing})),{q})"),
        "payback": f"=IFERROR({c['cac']}/({c['aov']}*{c['frequency']}/12*margin),{q})",
    }


def _assumptions(ctx: WriteContext) -> None:
    options = ctx.content.options
    values = {
        "margin": options.margin,
        "discount_rate": options.discount_rate,
        "cac_input": options.cac,
        "marketing_spend": options.marketing_spend,
        "new_customers": options.new_customers,
        "lifespan_override": options.lifespan_override,
        "currency": options.currency,
        "report_lang": options.lang,
    }
    first = ctx.anchors["margin"]
    if first.col > 1:
        put_text(ctx.wb[first.sheet].cell(first.row - 1, first.col - 1), ctx.t("block.assumptions"),
                 style="clv_block")
    for key, value in values.items():
        anchor = ctx.anchors[key]
        ws = ctx.wb[anchor.sheet]
        cell = ws.cell(anchor.row, anchor.col)
        if isinstance(value, str):
            put_text(cell, value, style="clv_input")
        else:
            kind = _ASSUMPTION_FORMATS[key]
            put_value(cell, value, kind if kind == "0%" else ctx.fmt(kind), style="clv_input")
        if anchor.col > 1:
            put_text(ws.cell(anchor.row, anchor.col - 1), ctx.t(_ASSUMPTION_LABELS[key]), style="clv_label")


def _kpis(ctx: WriteContext) -> dict[str, str]:
    anchor = ctx.anchors["anchor_kpis"]
    ws = ctx.wb[anchor.sheet]
    put_text(ws.cell(anchor.row, anchor.col), ctx.t("block.kpis"), style="clv_block")
    ws.cell(anchor.row, anchor.col + 1).style = "clv_block"
    cells = {}
    for i, key in enumerate(KPI_KEYS, start=1):
        cells[key] = absolute_coordinate(f"{get_column_letter(anchor.col + 1)}{anchor.row + i}")
    verdicts = (ctx.t("verdict.healthy"), ctx.t("verdict.fragile"), ctx.t("verdict.losing"))
    formulas = kpi_formulas(cells, ctx.ranges, ctx.t("na"), verdicts)
    for i, key in enumerate(KPI_KEYS, start=1):
        put_text(ws.cell(anchor.row + i, anchor.col), ctx.t(f"k.{key}"), style="clv_label")
        value = ws.cell(anchor.row + i, anchor.col + 1)
        put_formula(value, formulas[key], ctx.fmt(KPI_FORMATS[key]), style="clv_value")
        name = f"kpi_{key}"
        ctx.wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet_ref(ws.title)}!{cells[key]}")
    verdict = cells["verdict"].replace("$", "")
    for key, colour in (("verdict.healthy", "C6EFCE"), ("verdict.fragile", "FFEB9C"), ("verdict.losing", "FFC7CE")):
        ws.conditional_formatting.add(verdict, CellIsRule(operator="equal", formula=[_quote(ctx.t(key))],
                                                          fill=PatternFill("solid", bgColor=colour)))
    return cells


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
        put_value(ws.cell(row + 1 + i, col), margin, "0%", style="clv_input")
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
    subtitle = ctx.t("subtitle", customers=f"{len(content.customers):,}", orders=f"{len(content.orders):,}",
                     start=f"{first:%Y-%m-%d}", end=f"{last:%Y-%m-%d}", today=date.today().isoformat(),
                     version=__version__)
    put_text(ws.cell(title.row + 1, title.col), subtitle, style="clv_subtitle")
    _assumptions(ctx)
    cells = _kpis(ctx)
    _whatif(ctx, cells)
    if content.options.cac_value is None:
        ctx.notes.append(ctx.t("note.cac_missing"))
    notes = ctx.anchors["anchor_notes"]
    for i, note in enumerate(ctx.notes):
        put_text(ctx.wb[notes.sheet].cell(notes.row + i, notes.col), note, style="clv_note")
    _charts(ctx)
