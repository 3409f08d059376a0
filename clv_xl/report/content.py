"""Everything the report shows, computed from the orders without touching the file system.

:func:`build_content` is the engine shared by the command line, :func:`clv_xl.build_report` and the Excel
ribbon (the Office.js host writes the same tables with its own API). Per-customer figures are computed here,
once, and written as values; the workbook's live formulas only aggregate them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from clv_xl.churn import InactivityWindow
from clv_xl.customers import summarize
from clv_xl.engines.activity import ActivityTables
from clv_xl.errors import DataError
from clv_xl.i18n.text_format import format_date, format_integer
from clv_xl.report.forecast_data import ForecastContent, HoldoutOrders, build_forecast
from clv_xl.report.kpis import KpiData, compute_kpis, whatif_grid
from clv_xl.report.labels import label
from clv_xl.report.options import ReportOptions
from clv_xl.report.risk import add_value_and_risk, forecast_notes
from clv_xl.report.subscription_data import build_subscriptions
from clv_xl.report.tables import (
    activity_tables,
    churn_table,
    cohort_table,
    excel_serial,
    kpi_ranges,
    period_label,
    segment_table,
)
from clv_xl.subscriptions import SubscriptionAnalysis

__all__ = ["ReportContent", "build_content", "content_from_tables", "activity_tables", "MAX_DATA_ROWS", "excel_serial",
           "period_label"]

#: Data rows a sheet can hold below a one-row header (1,048,576 rows in all).
MAX_DATA_ROWS = 1_048_575

#: Columns of the Customers sheet, in order (from :func:`clv_xl.customers.summarize`).
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer_id", "first_order", "last_order", "orders", "revenue", "aov",
    "frequency", "recency", "T", "monetary_value", "historical_clv", "segment",
    "predicted_clv", "p_alive", "churn_risk",
)

#: Columns of the Orders sheet, in order, when present.
ORDER_COLUMNS: tuple[str, ...] = ("order_id", "customer_id", "order_date", "amount", "quantity", "currency")


@dataclass
class ReportContent:
    """The report's figures and tables, ready to be written by any host.

    Attributes
    ----------
    options : ReportOptions
        The assumptions.
    orders : DataFrame or None
        The cleaned orders (canonical columns); None when an engine read them without loading them.
    customers : DataFrame
        One row per customer, columns :data:`CUSTOMER_COLUMNS` (``customer_id`` a column), every customer
        however many (the Customers sheet shows those that fit, the most valuable first).
    segments : DataFrame
        One row per value segment (High, Mid, Low): customers, revenue, orders, avg_clv.
    cohorts : DataFrame
        One row per monthly cohort: cohort, size, revenue, and retention in columns 0, 1, 2, ... (months since
        the first order).
    churn : DataFrame
        One row per month: period, customers_at_start, new_customers, lost_customers, customers_at_end,
        churn_rate, retention_rate, orders, revenue.
    kpis : dict
        Key figures (see :func:`clv_xl.report.kpis.compute_kpis`).
    kpi_data : dict
        The ranges the key figures read (see :func:`clv_xl.report.tables.kpi_ranges`).
    whatif : list of list
        CLV with margin by margin × lifespan.
    cleaning : list of (str, object)
        The cleaning report's rows.
    forecast : ForecastContent
        Model forecast, or why there is none.
    orders_fit : bool
        Whether the orders fit on one sheet.
    window : InactivityWindow
        The inactivity window of the churn figures and how it was chosen.
    observation_end : Timestamp
        The last day of data used.
    value_column : str
        The column the customers are sorted by: ``predicted_clv`` with a forecast, else ``revenue``.
    subscriptions : SubscriptionAnalysis or None
        MRR, movements, churn, cohorts and sBG when the orders are recurring billing (the Subscriptions sheet).
    notes : list of str
        What changed the figures (orders left out, a model that could not be fitted and its fallback), in the
        report's language; printed on the terminal and written on the dashboard.
    order_count : int
        Orders counted by the figures (``len(orders)`` when they are in memory).
    engine : str
        What computed the summary and the monthly tables: ``pandas``, ``duckdb`` or ``spark``.
    customers_left_out : str or None
        When the customers do not all fit on the Customers sheet: the line saying how many are left out and where
        the full table is (set by :func:`clv_xl.report.build.build_report`, which writes that table).
    """

    options: ReportOptions
    orders: pd.DataFrame | None
    customers: pd.DataFrame
    segments: pd.DataFrame
    cohorts: pd.DataFrame
    churn: pd.DataFrame
    kpis: dict[str, float | str | None]
    whatif: list[list[float | str | None]]
    kpi_data: KpiData
    cleaning: list[tuple[str, object]] = field(default_factory=list)
    forecast: ForecastContent | None = None
    orders_fit: bool = True
    window: InactivityWindow = field(default_factory=lambda: InactivityWindow(12))
    observation_end: pd.Timestamp | None = None
    value_column: str = "revenue"
    notes: list[str] = field(default_factory=list)
    subscriptions: SubscriptionAnalysis | None = None
    order_count: int = 0
    engine: str = "pandas"
    customers_left_out: str | None = None

    def all_notes(self) -> list[str]:
        """The notes that change the figures, the inactivity window first, in the report's language."""
        window = label("note.window", self.options.lang, window=self.window.describe(self.options.lang))
        return [window, *self.notes]


def _cleaning_rows(orders: pd.DataFrame | None) -> list[tuple[str, object]]:
    report = None if orders is None else orders.attrs.get("cleaning_report")
    if report is None:
        return []
    if hasattr(report, "to_rows"):
        return [(str(k), v) for k, v in report.to_rows()]
    return [(str(line), "") for line in getattr(report, "lines", lambda: [])()]


def build_content(
    orders: pd.DataFrame,
    options: ReportOptions | None = None,
    *,
    forecast: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ReportContent:
    """Compute every figure and table of the report from cleaned orders.

    Parameters
    ----------
    orders : DataFrame
        Output of :func:`clv_xl.orders.read_orders` (customer_id, order_date, amount, ...).
    options : ReportOptions, optional
        Assumptions; defaults when omitted.
    forecast : bool, default True
        Fit the BG/NBD and Gamma-Gamma models for the Forecast sheet.
    progress : callable, optional
        Called with the name of each step as it starts.

    Returns
    -------
    ReportContent
        Figures and tables; nothing is written anywhere.

    Raises
    ------
    DataError
        If there are no orders.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 20.0, 30.0],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-10"])})
    >>> content = build_content(orders, ReportOptions(margin=0.5), forecast=False)
    >>> content.kpis["customers"], content.kpis["revenue"], content.kpis["aov"]
    (2.0, 60.0, 20.0)
    """
    options = options or ReportOptions()
    step = progress or (lambda name: None)
    if orders is None or len(orders) == 0:
        raise DataError("no orders to report on: the order data is empty after cleaning")
    notes: list[str] = []
    if options.observation_end is not None:
        end = pd.Timestamp(options.observation_end)
        keep = orders["order_date"] < end.normalize() + pd.Timedelta(days=1)
        if not keep.any():
            raise DataError(f"no orders on or before the observation end {end:%Y-%m-%d}; "
                            "pass a later date")
        if not keep.all():
            notes.append(label("note.after_end", options.lang, n=format_integer(int((~keep).sum()), options.lang),
                               end=format_date(end, options.lang)))
            orders = orders[keep.to_numpy()]
    step("customers")
    summary = summarize(orders, margin=options.margin)
    step("cohorts")
    activity = activity_tables(orders, None if options.inactive_after is None else int(options.inactive_after))
    return content_from_tables(summary, activity, options, orders=orders, forecast=forecast, progress=progress,
                               notes=notes)


def content_from_tables(
    summary: pd.DataFrame,
    activity: ActivityTables | Callable[[], ActivityTables],
    options: ReportOptions,
    *,
    orders: pd.DataFrame | None,
    order_count: int | None = None,
    cleaning: list[tuple[str, object]] | None = None,
    forecast: bool = True,
    progress: Callable[[str], None] | None = None,
    notes: list[str] | None = None,
    engine: str = "pandas",
    holdout_orders: HoldoutOrders | None = None,
) -> ReportContent:
    """The report's content from the per-customer summary and the monthly tables, however they were computed.

    :func:`build_content` computes them with pandas; an engine (:mod:`clv_xl.engines`) computes them in SQL
    without loading the orders.

    Parameters
    ----------
    summary : DataFrame
        As :func:`clv_xl.customers.summarize` returns it (with ``margin``).
    activity : ActivityTables or callable
        Monthly cohorts, churn, orders and revenue, and the inactivity window; or what waits for them (see
        :func:`clv_xl.background.started`), asked for once the forecast is made.
    options : ReportOptions
        The assumptions.
    orders : DataFrame or None
        The cleaned orders when they are in memory (the Orders sheet, the forecast's holdout check and the
        subscription analysis need them); None when an engine read them.
    order_count : int, optional
        Orders counted (default: ``len(orders)``).
    cleaning : list of (str, object), optional
        The intake summary's rows (default: the cleaning report ``orders`` carries).
    forecast : bool, default True
        Fit the purchase models.
    progress : callable, optional
        Called with the name of each step as it starts.
    notes : list of str, optional
        Notes already made (orders left out...).
    engine : str, default "pandas"
        What computed ``summary`` and ``activity`` (said on the Orders sheet when ``orders`` is None).
    holdout_orders : HoldoutOrders, optional
        When ``orders`` is None: the orders of the customers the forecast's holdout check samples (from the engine).

    Returns
    -------
    ReportContent
        Every customer is in ``customers``, however many: the Customers sheet shows as many as fit.
    """
    step = progress or (lambda name: None)
    notes = list(notes or [])
    forecast_content = None
    if forecast:
        step("forecast")
        forecast_content = build_forecast(summary, options, orders if orders is not None else holdout_orders)
        notes.extend(forecast_notes(forecast_content, options.lang))
    step("subscriptions")
    subscriptions = None
    if orders is not None:
        subscriptions, subscription_notes = build_subscriptions(orders, options)
        notes.extend(subscription_notes)
    if callable(activity):  # computed meanwhile (by an engine, on its own threads)
        activity = activity()
    window = activity.window
    churn = churn_table(activity)
    customers, value_column, risk_notes = add_value_and_risk(summary, forecast_content, window, options.lang)
    notes.extend(risk_notes)
    customers = customers[[c for c in CUSTOMER_COLUMNS if c in customers.columns]]
    kpi_data = kpi_ranges(customers, churn)
    kpis = compute_kpis(kpi_data, options)
    count = len(orders) if order_count is None and orders is not None else int(order_count or 0)
    return ReportContent(
        options=options,
        orders=orders,
        customers=customers,
        segments=segment_table(customers),
        cohorts=cohort_table(activity.cohorts),
        churn=churn,
        kpis=kpis,
        whatif=whatif_grid(kpis, options),
        kpi_data=kpi_data,
        cleaning=_cleaning_rows(orders) if cleaning is None else cleaning,
        forecast=forecast_content,
        orders_fit=orders is not None and count <= MAX_DATA_ROWS,
        window=window,
        observation_end=summary.attrs["observation_end"],
        value_column=value_column,
        notes=notes,
        subscriptions=subscriptions,
        order_count=count,
        engine=engine,
    )
