"""``clv-xl summary``: read an order file and write one row per customer (CSV, XLSX or Parquet)."""

from __future__ import annotations

from typing import Any

import click

from clv_xl._atomic import check_target
from clv_xl.cli._engine_options import engine_options
from clv_xl.cli._language import echo, lang_option, say
from clv_xl.cli._read_options import pop_read_kwargs, read_options
from clv_xl.table_output import CSV_STYLES, FORMATS, write_table
from clv_xl.validation import check_time_unit, parse_date

__all__ = ["summary"]


@click.command()
@click.argument("orders", metavar="ORDERS")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="customers.csv, .xlsx or .parquet")
@read_options
@click.option("--observation-end", metavar="DATE", help="End of observation (default: last order day).")
@click.option(
    "--time-unit", metavar="D|W|M|Y", default="D", show_default=True,
    help="Unit of recency and T: days, weeks, months (30.4375 days), years.",
)
@click.option("--inactive-after", metavar="6M", help="Add a churn_risk column (active, at_risk, lapsed): lost after "
              "this long without an order, 6M, 2Q, 1Y or auto (chosen from the gaps between orders).")
@engine_options
@click.option("--csv-sep", type=click.Choice(["auto", *CSV_STYLES]), default="auto", show_default=True,
              help="CSV column separator: ';' writes decimal commas (French Excel), ',' decimal points; auto: ';' "
              "with --lang fr.")
@click.option("--force", is_flag=True, help="Overwrite the output file.")
@lang_option()
def summary(
    orders: str, output: str, observation_end: str | None, time_unit: str, inactive_after: str | None, engine: str,
    spark_master: str | None, memory_limit: str | None, csv_sep: str, force: bool, lang: str, **read_options: Any
) -> None:
    """Summarise each customer of order files (CSV, TXT, XLSX, Parquet, or a glob of plain Parquet/CSV files).

    Per customer: frequency, recency, T, monetary value, revenue, orders, segment.

    Prints what was read and cleaned to stderr; writes nothing when anything fails. In French (--lang fr, or a
    French system locale) a .csv has ';' between columns and decimal commas, as French Excel opens it.

    \b
    Example:
      clv-xl summary orders.csv -o customers.xlsx --time-unit W --inactive-after 6M
    """
    import numpy as np

    from clv_xl.churn import (
        InactivityWindow,
        choose_inactivity_window,
        months_since_last_order,
        parse_inactive_after,
        risk_bands,
    )
    from clv_xl.engines import summarize_source
    from clv_xl.errors import InvalidArgumentError

    time_unit = check_time_unit(time_unit)  # before the long read, by the rules summarize applies
    if observation_end is not None:
        parse_date(observation_end, "observation_end")
    target = check_target(output, force=force, suffixes=FORMATS, what="table", inputs=(orders,))
    months = None if inactive_after is None else parse_inactive_after(inactive_after)
    cleaned: list[Any] = []  # the canonical orders, when read_orders read them (for --inactive-after auto)

    def print_intake(intake: Any) -> None:  # whichever path the orders took: what was read, kept and dropped
        for line in intake.lines():
            echo(line, err=True)

    table, used, path = summarize_source(
        orders, engine, read_kwargs=pop_read_kwargs(read_options), spark_master=spark_master, memory_limit=memory_limit,
        on_cleaned=cleaned.append, on_intake=print_intake, observation_end=observation_end, time_unit=time_unit,
    )
    if used != "pandas" or engine != "auto":
        say("cli.summary_engine", err=True, engine=used, path=path)
    if path != "cleaned by read_orders":
        say("cli.summary_plain", err=True)
    if inactive_after is not None and months is None and not cleaned:
        raise InvalidArgumentError("inactive_after", "--inactive-after auto needs the orders in memory; the engine "
                                   f"read {orders} itself: give a length such as 6M")
    left_out = table.attrs["orders_after_observation_end"]
    if left_out:
        say("cli.after_end", err=True, n=left_out, date=table.attrs["observation_end"])
    if inactive_after is not None:
        window = choose_inactivity_window(cleaned[0]) if months is None else InactivityWindow(months, "M", "given")
        say("cli.inactivity", err=True, text=window.describe(lang))
        table.add_column("churn_risk", lambda frame: risk_bands(
            np.full(len(frame), np.nan), months_since_last_order(frame), window.periods))
    style = (";" if lang == "fr" else ",") if csv_sep == "auto" else csv_sep
    write_table(table, target, force=force, csv_style=style)
    say("cli.summary_wrote", err=True, n=len(table), path=target)
    if target.suffix.lower() == ".csv":
        say("cli.csv_fr" if style == ";" else "cli.csv_en", err=True)
