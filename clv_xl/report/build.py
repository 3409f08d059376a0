"""``build_report``: order data in, a filled report workbook out."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from clv_xl._atomic import atomic_output, check_target
from clv_xl.engines import choose_engine
from clv_xl.engines.source import is_spark_dataframe
from clv_xl.errors import DataError
from clv_xl.report.content import ReportContent, build_content
from clv_xl.report.from_engine import engine_content, report_currency
from clv_xl.report.labels import label
from clv_xl.report.options import ReportOptions
from clv_xl.report.sheet_names import rename_sheets, sheet_name
from clv_xl.report.sheets._context import WriteContext
from clv_xl.report.sheets.churn import write_churn
from clv_xl.report.sheets.cohorts import write_cohorts
from clv_xl.report.sheets.customers import customer_capacity, write_customers
from clv_xl.report.sheets.dashboard import write_dashboard
from clv_xl.report.sheets.data import write_data
from clv_xl.report.sheets.definitions import write_definitions
from clv_xl.report.sheets.forecast import write_forecast
from clv_xl.report.sheets.orders import write_orders
from clv_xl.report.sheets.segments import write_segments
from clv_xl.report.sheets.subscriptions import SHEET as SUBSCRIPTIONS_SHEET
from clv_xl.report.sheets.subscriptions import write_subscriptions
from clv_xl.report.stream import splice
from clv_xl.report.styles import ensure_styles
from clv_xl.report.template import anchors, check_sheet_bounds, load_template
from clv_xl.table_output import write_table

__all__ = ["build_report", "write_workbook", "Progress"]

#: Progress callback: called with a step name and the fraction of the work done (0 to 1).
Progress = Callable[[str, float], None]


#: Sheets whose header row is their table's anchor (the others record theirs while they are written).
_TABLE_ANCHORS = {"anchor_segments": 0, "anchor_cohorts": 0, "anchor_definitions": 0}


def _print_setup(ctx: WriteContext) -> None:
    """Every sheet prints landscape, one page wide, with its table's header row repeated on each page."""
    headers = dict(ctx.header_rows)
    for name in _TABLE_ANCHORS:
        anchor = ctx.anchors[name]
        headers.setdefault(anchor.sheet, anchor.row)
    for ws in ctx.wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if ws.title in headers:
            ws.print_title_rows = f"{headers[ws.title]}:{headers[ws.title]}"


def write_workbook(content: ReportContent, out: Any, *, template: str | Path | None = None,
                   progress: Progress | None = None) -> None:
    """Fill the template with ``content`` and write the ``.xlsx`` to a binary file object.

    Parameters
    ----------
    content : ReportContent
        Output of :func:`clv_xl.report.content.build_content`.
    out : binary file
        Where the workbook goes (a file, ``io.BytesIO``...).
    template : str or pathlib.Path, optional
        A template honouring the contract; the default template when omitted.
    progress : callable, optional
        ``progress(step, fraction)``.
    """
    report = progress or (lambda step, fraction: None)
    wb = load_template(template)
    rename_sheets(wb, content.options.lang)
    ensure_styles(wb)
    ctx = WriteContext(wb, content, anchors(wb))
    report("sheets", 0.35)
    write_customers(ctx)
    write_orders(ctx)
    write_churn(ctx)
    write_segments(ctx)
    write_cohorts(ctx)
    write_forecast(ctx)
    write_dashboard(ctx)
    write_definitions(ctx)
    write_subscriptions(ctx)
    write_data(ctx)
    _print_setup(ctx)
    subscriptions = sheet_name(SUBSCRIPTIONS_SHEET, content.options.lang)
    landing = subscriptions if content.subscriptions is not None else ctx.anchors["anchor_title"].sheet
    for ws in wb.worksheets:  # one selected tab only, or Excel groups the sheets and edits both
        ws.sheet_view.tabSelected = ws.title == landing
    wb.active = wb.sheetnames.index(landing)
    check_sheet_bounds(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    report("rows", 0.45)
    total = sum(t.n_rows for t in ctx.streamed) or 1
    done: dict[str, int] = {}

    def rows(sheet: str, written: int) -> None:
        done[sheet] = written
        report("rows", 0.45 + 0.55 * sum(done.values()) / total)

    splice(buffer.getvalue(), ctx.streamed, out, progress=rows)


def _already_read(orders: object, read_options: dict[str, Any]) -> bool:
    """Whether ``orders`` is a frame that read_orders returned (with its intake summary) and nothing is re-asked."""
    return isinstance(orders, pd.DataFrame) and "cleaning_report" in orders.attrs and not read_options


def _customer_files(target: Path) -> tuple[Path, Path]:
    """Where the full customer table goes when the Customers sheet cannot hold it: beside the workbook.

    Examples
    --------
    >>> [p.name for p in _customer_files(Path("out/report.xlsx"))]
    ['report_customers.parquet', 'report_customers.csv']
    """
    return (target.with_name(f"{target.stem}_customers.parquet"), target.with_name(f"{target.stem}_customers.csv"))


def _left_out_note(content: ReportContent, capacity: int, files: tuple[Path, Path]) -> str:
    """The line saying how many customers the Customers sheet leaves out, by what value, and where they all are."""
    options = content.options
    return label("note.customers_left_out", options.lang, total=f"{len(content.customers):,}",
                 shown=f"{capacity:,}", left=f"{len(content.customers) - capacity:,}",
                 value=label(f"c.{content.value_column}", options.lang, horizon=options.horizon_months),
                 files=" ; ".join(f.name for f in files) if options.lang == "fr" else ", ".join(f.name for f in files))


def _write_outputs(content: ReportContent, target: Path, *, template: str | Path | None, capacity: int, force: bool,
                   inputs: tuple[object, ...], progress: Progress, notify: Callable[[str], None] | None) -> list[Path]:
    """Write the workbook, and the full customer table beside it when the Customers sheet cannot hold every customer.

    ``capacity`` is how many customers the template's Customers sheet holds. All targets are checked before anything
    is written, and nothing new is left behind when one of them fails.
    """
    files: tuple[Path, ...] = ()
    if len(content.customers) > capacity:
        files = _customer_files(target)
        for file in files:
            check_target(file, force=force, suffixes=(file.suffix,), what="customer table", inputs=inputs)
        content.customers_left_out = _left_out_note(content, capacity, files)
        content.notes.append(content.customers_left_out)
    if notify is not None:
        for note in content.all_notes():
            notify(note)
    existed = {file: file.exists() for file in files}
    written: list[Path] = []
    try:
        for file in files:
            written.append(write_table(content.customers, file, force=force))
        with atomic_output(target, force=force, inputs=inputs) as out:
            write_workbook(content, out, template=template, progress=progress)
    except BaseException:
        for file in written:
            if not existed[file]:
                file.unlink(missing_ok=True)
        raise
    return [target, *written]


def _pandas_content(orders: str | Path | pd.DataFrame, options: ReportOptions, currency: str | None,
                    read_options: dict[str, Any], *, forecast: bool, progress: Callable[[str], None],
                    on_read: Callable[[list[str]], None] | None) -> ReportContent:
    """The report's content computed by pandas from the orders read (or given) in memory."""
    from clv_xl.orders import read_orders

    frame = orders if isinstance(orders, pd.DataFrame) and _already_read(orders, read_options) else (
        read_orders(orders, **read_options)
    )
    if len(frame) == 0:
        raise DataError("no orders to report on: the order data is empty after cleaning")
    intake = frame.attrs.get("cleaning_report")
    options = replace(options, currency=report_currency(intake, currency))
    if on_read is not None and intake is not None:
        on_read(intake.lines())
    return build_content(frame, options, forecast=forecast, progress=progress)


def build_report(
    orders: str | Path | pd.DataFrame,
    path: str | Path,
    *,
    margin: float = 0.3,
    discount_rate: float = 0.1,
    cac: float | None = None,
    marketing_spend: float | None = None,
    new_customers: float | None = None,
    lifespan_override: float | None = None,
    currency: str | None = None,
    lang: str = "en",
    ltv_basis: str = "simple",
    inactive_after: int | str | None = None,
    observation_end: object = None,
    horizon_months: int = 12,
    business: str = "auto",
    template: str | Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    forecast: bool = True,
    notify: Callable[[str], None] | None = None,
    holdout_days: int | None = None,
    on_read: Callable[[list[str]], None] | None = None,
    engine: str = "pandas",
    spark_master: str | None = None,
    spark: Any | None = None,
    memory_limit: str | None = None,
    on_written: Callable[[list[Path]], None] | None = None,
    **read_options: Any,
) -> Path:
    """Build the CLV report workbook from order data.

    Parameters
    ----------
    orders : str, pathlib.Path, DataFrame or Spark DataFrame
        An order file (CSV, XLSX, Parquet; a glob of plain Parquet/CSV files with an engine) or a DataFrame, read
        with :func:`clv_xl.orders.read_orders`; or a Spark DataFrame of plain orders (customer, date, amount),
        summarised by Spark where it lives.
    path : str or pathlib.Path
        The ``.xlsx`` to write.
    margin : float, default 0.3
        Gross margin in [0, 1].
    discount_rate : float, default 0.1
        Yearly discount rate in [0, 1].
    cac : float, optional
        Customer acquisition cost (or give ``marketing_spend`` and ``new_customers``).
    marketing_spend, new_customers : float, optional
        Spend and customers acquired with it; CAC = spend ÷ new customers.
    lifespan_override : float, optional
        Customer lifespan in years instead of 1 ÷ churn.
    currency : str, optional
        Currency of the amounts, which labels every money figure. None takes the data's (a currency column, or
        signs in the amounts), else USD. Given, it also keeps only the orders in that currency, which a file
        mixing currencies needs.
    lang : {"en", "fr"}, default "en"
        Language of the labels.
    ltv_basis : {"simple", "predicted", "historical"}, default "simple"
        Which CLV drives LTV/CAC (an assumption cell of the workbook too).
    inactive_after : int or str, optional
        Months without an order after which a customer is lost (``6``, ``"6M"``, ``"1Y"``); None chooses it
        from the data and the dashboard says how.
    observation_end : date-like, optional
        Last day of data to use; later orders are left out (and counted in a note).
    horizon_months : int, default 12
        Horizon of the model's predicted CLV.
    business : {"auto", "subscription", "shop"}, default "auto"
        Recurring billing adds the Subscriptions sheet (MRR, churn, NRR, cohorts, sBG); ``"auto"`` decides from
        the regularity of each customer's charges and says why in the notes.
    template : str or pathlib.Path, optional
        A template honouring ``templates/README.md``; the bundled one when omitted.
    force : bool, default False
        Replace ``path`` if it exists.
    progress : callable, optional
        ``progress(step, fraction)``, e.g. for a progress bar.
    forecast : bool, default True
        Fit the purchase models and Gamma-Gamma for the Forecast sheet.
    notify : callable, optional
        Called with each note that changes the figures (the inactivity window and how it was chosen, orders
        left out, a model that could not be fitted and its fallback); the same notes are on the dashboard.
    holdout_days : int, optional
        Days at the end of the history held out to check the purchase models (default: a third of the history;
        0: no check, BG/NBD is used).
    on_read : callable, optional
        Called with the intake summary's lines once the orders are read (the command line prints them).
    engine : {"pandas", "auto", "duckdb", "spark"}, default "pandas"
        What computes the per-customer summary, cohorts and churn (see :func:`clv_xl.engines.choose_engine`;
        ``auto`` picks by input size). A DataFrame is always summarised by pandas.
    spark_master, spark : optional
        For ``engine="spark"``: a master URL for a new session, or an existing SparkSession.
    memory_limit : str, optional
        For ``engine="duckdb"``: DuckDB's memory limit (``"3GB"``; default
        :data:`clv_xl.engines.duckdb_engine.DEFAULT_MEMORY_LIMIT`), past which it spills to disk.
    on_written : callable, optional
        Called with the files written: the workbook, then the full customer table (Parquet, CSV) when the
        Customers sheet cannot hold every customer.
    **read_options
        Passed to :func:`clv_xl.orders.read_orders` (``customer``, ``date``, ``amount``, ``dayfirst``,
        ``sheet``...).

    Returns
    -------
    pathlib.Path
        The written workbook. Past a sheet's rows (1,048,575 customers) the Customers sheet lists the most
        valuable customers and the full table is written beside it as ``<name>_customers.parquet`` and
        ``<name>_customers.csv`` (every figure of the workbook covers all customers).

    Raises
    ------
    OutputError
        The target exists (without ``force``), cannot be written, or the data do not fit in a sheet.
    TemplateError
        The template breaks the contract.
    DataError
        The orders cannot be read or are empty.

    Examples
    --------
    >>> import tempfile
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "=cmd"], "amount": [10.0, 20.0, 30.0],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-10"])})
    >>> out = build_report(orders, Path(tempfile.mkdtemp()) / "report.xlsx", margin=0.4, forecast=False)
    >>> out.name
    'report.xlsx'
    """
    report = progress or (lambda step, fraction: None)
    options = ReportOptions(margin=margin, discount_rate=discount_rate, cac=cac, marketing_spend=marketing_spend,
                            new_customers=new_customers, lifespan_override=lifespan_override,
                            currency=currency or "USD", lang=lang, ltv_basis=ltv_basis,
                            inactive_after=inactive_after, observation_end=observation_end,
                            horizon_months=horizon_months, business=business, holdout_days=holdout_days)
    target = check_target(path, force=force, inputs=(orders, template))
    # fail on a broken template before the slow part
    capacity = customer_capacity(anchors(load_template(template))["anchor_customers"])
    report("reading", 0.0)
    if currency is not None:
        read_options.setdefault("keep_currency", currency)
    chosen = "pandas" if isinstance(orders, pd.DataFrame) else (
        "spark" if is_spark_dataframe(orders) else choose_engine(engine, orders, spark_master))
    report("summarizing", 0.1)

    def steps(step: str) -> None:
        report(step, 0.2 if step != "forecast" else 0.25)

    if chosen == "pandas":
        content = _pandas_content(orders, options, currency, read_options, forecast=forecast, progress=steps,
                                  on_read=on_read)
    else:
        content = engine_content(orders, chosen, options, currency=currency, read_options=read_options,
                                 spark=spark, spark_master=spark_master, forecast=forecast, progress=steps,
                                 on_read=on_read, memory_limit=memory_limit)
    written = _write_outputs(content, target, template=template, capacity=capacity, force=force,
                             inputs=(orders, template), progress=report, notify=notify)
    if on_written is not None:
        on_written(written)
    report("done", 1.0)
    return target
