"""The Forecast sheet: the models' holdout check and verdict, then the chosen model's forecast per customer.

Layout, top to bottom: the horizon and assumptions; the verdict sentence; the comparison table (one row per
purchase model); the total CLV range; the fitted parameters; the weekly tracking table and chart; the histogram
table and chart; the decile table and chart; the per-customer table (streamed, last because it is long).
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference

from clv_xl.report.cells import put_text, put_value
from clv_xl.report.labels import param_label
from clv_xl.report.sheets._context import WriteContext, fit_headers
from clv_xl.report.sheets._table import DataColumn, write_data_table

__all__ = ["write_forecast", "FORECAST_LAYOUT", "COMPARISON_LAYOUT"]

#: (column, number format kind, width) of the per-customer forecast.
FORECAST_LAYOUT: tuple[tuple[str, str, float], ...] = (
    ("customer_id", "text", 28),
    ("expected_purchases", "dec", 14),
    ("p_alive", "pct", 11),
    ("expected_spend", "money", 16),
    ("predicted_clv", "money", 14),
    ("clv_p10", "money", 12),
    ("clv_p90", "money", 12),
)

#: (label key, ModelScore attribute, number format kind) of the comparison table.
COMPARISON_LAYOUT: tuple[tuple[str, str, str], ...] = (
    ("f.model", "label", "text"),
    ("f.holdout_actual", "actual", "int"),
    ("f.holdout_predicted", "predicted", "int"),
    ("f.error", "error", "pct"),
    ("f.mae", "mae", "dec"),
    ("f.rmse", "rmse", "dec"),
    ("f.gini", "gini", "dec"),
    ("f.log_likelihood", "log_likelihood", "dec"),
    ("f.log_score", "log_score", "dec"),
    ("f.z", "z", "dec"),
)


def _verdict(ctx: WriteContext, comparison: Any) -> str:
    """The sentence saying which model was chosen, why, and how far off it was on the holdout."""
    score = comparison.score(comparison.chosen)
    if comparison.tied_with:
        others = ", ".join(comparison.score(k).label for k in comparison.tied_with)
        why = ctx.t("f.why_tie", others=others, score=ctx.number(score.log_score, 4))
    else:
        why = ctx.t("f.why_best", score=ctx.number(score.log_score, 4))
    return ctx.t("f.verdict", model=score.label, why=why, length=ctx.integer(comparison.holdout_length),
                 predicted=ctx.integer(score.predicted), error=ctx.percent(abs(score.error), 0),
                 direction=ctx.t("f.high" if score.error > 0 else "f.low"), actual=ctx.integer(score.actual))


def _headers(ctx: WriteContext, ws: Any, row: int, col: int, texts: list[str]) -> None:
    for j, text in enumerate(texts):
        put_text(ws.cell(row, col + j), text, style="clv_header")
    fit_headers(ws, row, col, col + len(texts) - 1)


def _block(ctx: WriteContext, ws: Any, row: int, col: int, title: str, frame: Any, headers: list[str],
           kinds: list[str]) -> int:
    """Write a titled table of values; return the row after it."""
    put_text(ws.cell(row, col), title, style="clv_block")
    _headers(ctx, ws, row + 1, col, headers)
    for i, values in enumerate(frame.itertuples(index=False), start=row + 2):
        for j, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            put_value(ws.cell(i, col + j), value, ctx.fmt(kind) if kind != "text" else None)
    return row + 2 + len(frame)


def _chart(ws: Any, chart: Any, title: str, row: int, col: int, n_rows: int, n_series: int, anchor_col: int) -> None:
    chart.title = title
    chart.add_data(Reference(ws, min_col=col + 1, max_col=col + n_series, min_row=row + 1, max_row=row + 1 + n_rows),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=col, min_row=row + 2, max_row=row + 1 + n_rows))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 18, 8
    ws.add_chart(chart, ws.cell(row, anchor_col).coordinate)


def _write_comparison(ctx: WriteContext, ws: Any, row: int, col: int, comparison: Any) -> int:
    """The comparison table, tracking, histogram and deciles; return the next free row."""
    labels = {s.key: s.label for s in comparison.scores}
    put_text(ws.cell(row, col), ctx.t("f.comparison"), style="clv_block")
    _headers(ctx, ws, row + 1, col, [ctx.t(key) for key, _, _ in COMPARISON_LAYOUT] + [ctx.t("f.chosen")])
    for i, score in enumerate(comparison.scores, start=row + 2):
        for j, (_, attribute, kind) in enumerate(COMPARISON_LAYOUT):
            value = getattr(score, attribute)
            put_value(ws.cell(i, col + j), value, ctx.fmt(kind) if kind != "text" else None)
        put_text(ws.cell(i, col + len(COMPARISON_LAYOUT)), "✓" if score.key == comparison.chosen else "")
    row += 2 + len(comparison.scores)
    for label, why in comparison.failures.items():
        put_text(ws.cell(row, col), f"{label}: {why}", style="clv_note")
        row += 1
    row += 1
    chart_col = col + len(COMPARISON_LAYOUT) + 2
    tracking = comparison.tracking
    names = [ctx.t("f.actual")] * ("actual" in tracking.columns) + [labels[k] for k in tracking.columns[1:]
                                                                     if k in labels]
    end = _block(ctx, ws, row, col, ctx.t("chart.tracking"), tracking, [ctx.t("f.week"), *names],
                 ["int"] + ["int"] * len(names))
    _chart(ws, LineChart(), ctx.t("chart.tracking"), row, col, len(tracking), len(names), chart_col)
    row = max(end, row + 17) + 1
    histogram = comparison.histogram
    names = [ctx.t("f.actual")] + [labels[k] for k in histogram.columns[2:]]
    end = _block(ctx, ws, row, col, ctx.t("chart.histogram"), histogram, [ctx.t("f.repeat_purchases"), *names],
                 ["text"] + ["int"] * len(names))
    _chart(ws, BarChart(), ctx.t("chart.histogram"), row, col, len(histogram), len(names), chart_col)
    row = max(end, row + 17) + 1
    deciles = comparison.deciles
    names = []
    for key in deciles.columns[1::2]:
        model = labels[key.removesuffix("_predicted")]
        names += [f"{model} {ctx.t('f.predicted')}", f"{model} {ctx.t('f.observed')}"]
    end = _block(ctx, ws, row, col, ctx.t("chart.deciles"), deciles, [ctx.t("f.decile"), *names],
                 ["int"] + ["money"] * len(names))
    chosen = list(deciles.columns).index(f"{comparison.chosen}_predicted")
    bar = BarChart()
    _chart(ws, bar, f"{ctx.t('chart.deciles')}: {labels[comparison.chosen]}", row, col + chosen - 1,
           len(deciles), 2, chart_col)
    bar.set_categories(Reference(ws, min_col=col, min_row=row + 2, max_row=row + 1 + len(deciles)))
    return max(end, row + 17) + 1


def write_forecast(ctx: WriteContext) -> None:
    """Fill the Forecast sheet (see the module notes).

    Parameters
    ----------
    ctx : WriteContext
        Shared state.
    """
    anchor = ctx.anchors["anchor_forecast"]
    ws = ctx.wb[anchor.sheet]
    put_text(ws.cell(1, anchor.col), ctx.t("title.forecast"), style="clv_title")
    forecast = ctx.content.forecast
    row, col = anchor.row, anchor.col
    if forecast is None or forecast.table is None:
        reason = forecast.reason if forecast is not None else "not requested"
        put_text(ws.cell(row, col), ctx.t("f.unavailable", reason=reason), style="clv_note")
        return
    options = ctx.content.options
    put_text(ws.cell(row, col), ctx.t("f.horizon", months=options.horizon_months, days=ctx.number(forecast.horizon),
                                      rate=ctx.percent(options.discount_rate), margin=ctx.percent(options.margin, 0)),
             style="clv_note")
    comparison = forecast.comparison
    if comparison is not None:
        put_text(ws.cell(row + 1, col), _verdict(ctx, comparison), style="clv_block")
        n, total = forecast.sample
        if n < total:
            put_text(ws.cell(row + 2, col), ctx.t("f.sample", n=ctx.integer(n), total=ctx.integer(total)),
                     style="clv_note")
    else:
        put_text(ws.cell(row + 1, col), ctx.t("f.no_check", reason=forecast.validation_note), style="clv_note")
    row += 3
    if forecast.note:
        put_text(ws.cell(row, col), forecast.note, style="clv_note")
        row += 1
    if forecast.total_range is not None:
        money = ctx.fmt("money")
        low, mid, high = (ctx.money(v) for v in forecast.total_range)
        put_text(ws.cell(row, col), ctx.t("f.total_range", p10=low, p50=mid, p90=high), style="clv_note")
        for j, value in enumerate(forecast.total_range):
            put_value(ws.cell(row + 1, col + j), value, money, style="clv_value")
        row += 2
    row += 1
    if comparison is not None:
        row = _write_comparison(ctx, ws, row, col, comparison)
    put_text(ws.cell(row, col), ctx.t("f.params", model=forecast.model), style="clv_block")
    _headers(ctx, ws, row + 1, col, [ctx.t("f.param"), ctx.t("d.value")])
    for i, (name, value) in enumerate(forecast.params.items(), start=row + 2):
        put_text(ws.cell(i, col), param_label(name, ctx.lang), style="clv_label")
        number_format = "#,##0" if float(value).is_integer() and abs(value) >= 1 else "0.0000"
        put_value(ws.cell(i, col + 1), value, number_format, style="clv_value")
    row += len(forecast.params) + 3
    table = forecast.table
    columns = [DataColumn(key, ctx.t(f"f.{key}"), kind, table[key], width)
               for key, kind, width in FORECAST_LAYOUT if key in table.columns]
    write_data_table(ctx, ws, row, col, columns, "tblForecast", "forecast")
