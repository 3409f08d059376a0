"""The Forecast sheet: BG/NBD + Gamma-Gamma predictions per customer, or why there are none."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference

from clv_xl.report.cells import put_text, put_value
from clv_xl.report.sheets._context import WriteContext
from clv_xl.report.sheets._table import DataColumn, write_data_table

__all__ = ["write_forecast", "FORECAST_LAYOUT"]

#: (column, number format kind, width) of the per-customer forecast.
FORECAST_LAYOUT: tuple[tuple[str, str, float], ...] = (
    ("customer_id", "text", 28),
    ("expected_purchases", "dec", 14),
    ("p_alive", "pct", 11),
    ("expected_spend", "money", 16),
    ("predicted_clv", "money", 14),
)


def write_forecast(ctx: WriteContext) -> None:
    """Fill the Forecast sheet: parameters, calibration chart data, then the per-customer table.

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
    put_text(ws.cell(row, col), ctx.t("f.horizon", horizon=forecast.horizon, unit=forecast.time_unit,
                                      rate=f"{options.discount_rate:.1%}", margin=f"{options.margin:.0%}"),
             style="clv_note")
    put_text(ws.cell(row + 1, col), ctx.t("f.param"), style="clv_header")
    put_text(ws.cell(row + 1, col + 1), ctx.t("d.value"), style="clv_header")
    for i, (name, value) in enumerate(forecast.params.items(), start=2):
        put_text(ws.cell(row + i, col), name, style="clv_label")
        number_format = "#,##0" if float(value).is_integer() and abs(value) >= 1 else "0.0000"
        put_value(ws.cell(row + i, col + 1), value, number_format, style="clv_value")
    if forecast.note:  # in the blank row under the parameters
        put_text(ws.cell(row + len(forecast.params) + 2, col), forecast.note, style="clv_note")
    next_row = row + len(forecast.params) + 3
    calibration = forecast.calibration
    if calibration is not None and len(calibration) > 1:
        top = row + 1
        c0 = col + 3
        for j, key in enumerate(("f.period", "f.actual", "f.model")):
            put_text(ws.cell(top, c0 + j), ctx.t(key), style="clv_header")
        ws.row_dimensions[top].height = 30
        for i, values in enumerate(calibration.itertuples(index=False), start=1):
            put_text(ws.cell(top + i, c0), values[0])
            put_value(ws.cell(top + i, c0 + 1), values[1], "0.00")
            put_value(ws.cell(top + i, c0 + 2), values[2], "0.00")
        chart = LineChart()
        chart.title = ctx.t("chart.calibration")
        chart.add_data(Reference(ws, min_col=c0 + 1, max_col=c0 + 2, min_row=top, max_row=top + len(calibration)),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=c0, min_row=top + 1, max_row=top + len(calibration)))
        for series in chart.series:
            series.smooth = False
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.width, chart.height = 18, 8
        ws.add_chart(chart, ws.cell(top, c0 + 4).coordinate)
        next_row = max(next_row, top + len(calibration) + 2)
    table = forecast.table
    columns = [DataColumn(key, ctx.t(f"f.{key}"), kind, table[key], width)
               for key, kind, width in FORECAST_LAYOUT if key in table.columns]
    write_data_table(ctx, ws, next_row, col, columns, "tblForecast", "forecast")
