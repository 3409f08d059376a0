"""The report as value sheets with formats, for the xlwings Lite button (the book API cannot insert a workbook).

:func:`report_sheets` computes the report once (:func:`clv_xl.report.content.build_content`) and lays each table
out as a :class:`FormattedSheet`: headers from the report's label table in the report's language, number
formats from the report's own column layouts in the report's currency, live totals on the Summary and an
Excel Table for the customers. :func:`clv_xl.excel.scripts.write_report_sheets` writes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from clv_xl.report.options import ReportOptions

__all__ = ["REPORT_SHEETS", "FormattedSheet", "report_sheets"]

Grid = list[list[Any]]


@dataclasses.dataclass(frozen=True)
class FormattedSheet:
    """A value sheet with what the book API can add: number formats, live formulas and an Excel Table.

    ``column_formats`` maps a 0-based column to the format of its data rows; ``cell_formats`` and
    ``formulas`` map 0-based ``(row, column)`` cells (row 0 is the header) to a format or a formula.
    """

    content: pd.DataFrame | Grid
    column_formats: Mapping[int, str] = dataclasses.field(default_factory=dict)
    cell_formats: Mapping[tuple[int, int], str] = dataclasses.field(default_factory=dict)
    formulas: Mapping[tuple[int, int], str] = dataclasses.field(default_factory=dict)
    table: str | None = None


#: Sheets the Office.js / Lite button writes, in order (prefixed so they never clash with the user's).
REPORT_SHEETS: tuple[str, ...] = (
    "CLV Summary",
    "CLV Customers",
    "CLV Segments",
    "CLV Cohorts",
    "CLV Churn",
    "CLV Forecast",
    "CLV Cleaning",
    "CLV Subscriptions",
)


#: Key figures the Summary sheet keeps live: (Customers sheet column, Excel function over it).
_LIVE_TOTALS: dict[str, tuple[str, str]] = {
    "customers": ("customer_id", "COUNTA"),
    "orders": ("orders", "SUM"),
    "revenue": ("revenue", "SUM"),
}


def _laid_out(
    frame: pd.DataFrame, layout: Iterable[tuple[str, str, Any]], prefix: str, lang: str, currency: str,
    table: str | None = None,
) -> FormattedSheet:
    """A table with the report's headers (label ``<prefix><column>``) and number formats (its layout's kinds).

    Examples
    --------
    >>> churn = pd.DataFrame({"period": ["2024-01"], "churn_rate": [0.1], "revenue": [5.0]})
    >>> sheet = _laid_out(churn, [("period", "text", 9), ("churn_rate", "pct", 9), ("revenue", "money", 9)],
    ...                   "ch.", "fr", "EUR")
    >>> from clv_xl.report.labels import label
    >>> list(sheet.content.columns) == [label(f"ch.{k}", "fr") for k in ("period", "churn_rate", "revenue")]
    True
    >>> sheet.column_formats == {1: '0.0"\u00a0"%', 2: '#,##0.00 "€"'}  # French: a no-break space before %
    True
    """
    from clv_xl.report.labels import label
    from clv_xl.report.styles import number_format

    kinds = {key: kind for key, kind, _ in layout}
    kept = frame[[key for key in kinds if key in frame.columns]]
    return FormattedSheet(
        kept.rename(columns={key: label(f"{prefix}{key}", lang) for key in kept.columns}),
        column_formats={i: number_format(kinds[key], currency, lang) for i, key in enumerate(kept.columns)
                        if kinds[key] != "text"},
        table=table,
    )


def _cohort_sheet(cohorts: pd.DataFrame, lang: str, currency: str) -> FormattedSheet:
    """The cohort table: cohort, size, revenue, then the share still buying each month after the first."""
    from clv_xl.report.labels import label
    from clv_xl.report.styles import number_format

    heads = {"cohort": label("h.cohort", lang), "size": label("h.size", lang), "revenue": label("h.revenue", lang)}
    names = [heads.get(c, c) if isinstance(c, str) else label("h.month", lang, n=int(c)) for c in cohorts.columns]
    formats = {i: number_format("int" if c == "size" else "money" if c == "revenue" else "pct", currency, lang)
               for i, c in enumerate(cohorts.columns) if c != "cohort"}
    return FormattedSheet(cohorts.set_axis(names, axis=1), column_formats=formats)


def report_sheets(
    orders: pd.DataFrame, *, forecast: bool = True, options: ReportOptions | None = None
) -> dict[str, pd.DataFrame | Grid | FormattedSheet]:
    """The report as sheets of values, computed by :func:`clv_xl.report.content.build_content`.

    This is what the Office.js / xlwings Lite button writes into the open workbook (values only; the
    classic button writes the full workbook with live formulas and charts instead).

    Parameters
    ----------
    orders : pandas.DataFrame
        Output of :func:`clv_xl.orders.read_orders`.
    forecast : bool, default True
        Include the BG/NBD + Gamma-Gamma forecast.
    options : ReportOptions, optional
        The assumptions (margin, language...); the defaults when omitted.

    Returns
    -------
    dict of str to FormattedSheet, DataFrame or 2-D list
        Sheet name to content, in the order of :data:`REPORT_SHEETS` (sheets without content left out): headers
        in the report's language, number formats in its currency.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 20.0, 30.0],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-10"])})
    >>> sheets = report_sheets(orders, forecast=False)
    >>> list(sheets)[:3]
    ['CLV Summary', 'CLV Customers', 'CLV Segments']
    >>> sheets["CLV Summary"].content[:4]
    [['Metric', 'Value'], ['Customers', 2.0], ['Orders', 3.0], ['Revenue', 60.0]]
    >>> sheets["CLV Summary"].formulas[(3, 1)], sheets["CLV Summary"].cell_formats[(3, 1)]
    ("=SUM('CLV Customers'!E2:E3)", '"$"#,##0.00')
    >>> list(sheets["CLV Customers"].content.columns[:3]), sheets["CLV Customers"].table
    (['Customer', 'First order', 'Last order'], 'tblCustomers')
    >>> french = report_sheets(orders, forecast=False, options=ReportOptions(lang="fr"))["CLV Segments"]
    >>> from clv_xl.report.labels import label
    >>> list(french.content.columns)[:3] == [label(f"s.{k}", "fr") for k in ("segment", "customers", "revenue")]
    True
    """
    from clv_xl.report.content import build_content
    from clv_xl.report.kpis import KPIS
    from clv_xl.report.labels import LABELS, label
    from clv_xl.report.sheets.churn import CHURN_LAYOUT
    from clv_xl.report.sheets.customers import CUSTOMER_LAYOUT
    from clv_xl.report.sheets.forecast import FORECAST_LAYOUT
    from clv_xl.report.sheets.segments import SEGMENT_LAYOUT
    from clv_xl.report.styles import number_format

    content = build_content(orders, options, forecast=forecast)
    lang, currency = content.options.lang, content.options.currency
    customers = _laid_out(content.customers, CUSTOMER_LAYOUT, "c.", lang, currency, table="tblCustomers")
    columns = [key for key, _, _ in CUSTOMER_LAYOUT if key in content.customers.columns]
    summary: Grid = [[label("d.metric", lang), label("d.value", lang)]]
    summary_formats: dict[tuple[int, int], str] = {}
    formulas: dict[tuple[int, int], str] = {}
    last = len(content.customers) + 1
    fields = {"window": content.window.periods, "horizon": content.options.horizon_months}
    for kpi in KPIS:
        key, value = kpi.key, content.kpis[kpi.key]
        if value is None:
            continue
        if isinstance(value, str) and value in LABELS:
            value = label(value, lang)
        summary.append([kpi.label(lang, **fields), value])
        if not isinstance(value, str) and kpi.kind != "text":
            summary_formats[(len(summary) - 1, 1)] = number_format(kpi.kind, currency, lang)
        if key in _LIVE_TOTALS and _LIVE_TOTALS[key][0] in columns:
            column, function = _LIVE_TOTALS[key]
            letter = chr(ord("A") + columns.index(column))
            formulas[(len(summary) - 1, 1)] = f"={function}('CLV Customers'!{letter}2:{letter}{last})"
    segments = content.segments.assign(segment=[label(f"seg.{s}", lang) if f"seg.{s}" in LABELS else s
                                                for s in content.segments["segment"]])
    sheets: dict[str, pd.DataFrame | Grid | FormattedSheet] = {
        "CLV Summary": FormattedSheet(summary, cell_formats=summary_formats, formulas=formulas),
        "CLV Customers": customers,
        "CLV Segments": _laid_out(segments, SEGMENT_LAYOUT, "s.", lang, currency),
        "CLV Cohorts": _cohort_sheet(content.cohorts, lang, currency),
        "CLV Churn": _laid_out(content.churn, CHURN_LAYOUT, "ch.", lang, currency),
    }
    if content.forecast is not None:
        if content.forecast.table is not None:
            sheets["CLV Forecast"] = _laid_out(content.forecast.table, FORECAST_LAYOUT, "f.", lang, currency)
        elif content.forecast.reason:
            sheets["CLV Forecast"] = [[label("f.unavailable", lang, reason=content.forecast.reason)]]
    if content.cleaning:
        header = [label("d.item", lang), label("d.value", lang)]
        sheets["CLV Cleaning"] = [header] + [[k, v] for k, v in content.cleaning]
    if content.subscriptions is not None:  # recurring billing: MRR per month and its movements
        from clv_xl.subscriptions import mrr_table

        sheets["CLV Subscriptions"] = mrr_table(content.subscriptions.movements)
    return sheets
