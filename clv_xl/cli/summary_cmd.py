"""``clv-xl summary``: read an order file and write one row per customer (CSV or XLSX)."""

from __future__ import annotations

import click

from clv_xl._atomic import check_target
from clv_xl.table_output import FORMATS, write_table

__all__ = ["summary"]


@click.command()
@click.argument("orders", metavar="ORDERS")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="customers.csv or .xlsx")
@click.option("--customer", metavar="COL", help="Customer column (name or 0-based position); found by name if omitted.")
@click.option("--date", "date", metavar="COL", help="Order date column.")
@click.option("--amount", metavar="COL", help="Amount column.")
@click.option("--dayfirst/--monthfirst", "dayfirst", default=None, help="Read 03/04/2024 as 3 April / March 4.")
@click.option("--sheet", metavar="NAME", help="Workbook sheet (default: the first one with orders).")
@click.option("--observation-end", metavar="DATE", help="End of observation (default: last order day).")
@click.option(
    "--time-unit", type=click.Choice(["D", "W", "M", "Y"]), default="D", show_default=True,
    help="Unit of recency and T: days, weeks, months (30.4375 days), years.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file.")
def summary(
    orders: str,
    output: str,
    customer: str | None,
    date: str | None,
    amount: str | None,
    dayfirst: bool | None,
    sheet: str | None,
    observation_end: str | None,
    time_unit: str,
    force: bool,
) -> None:
    """Summarise each customer of an order file (CSV, TXT, XLSX, Parquet): frequency, recency, T, revenue, segment.

    Prints what was read and cleaned to stderr; writes nothing when anything fails.

    \b
    Example:
      clv-xl summary orders.csv -o customers.xlsx --time-unit W
    """
    from clv_xl.customers import summarize
    from clv_xl.orders import cleaning_report, read_orders

    target = check_target(output, force=force, suffixes=FORMATS, what="table")  # before the long read
    frame = read_orders(
        orders,
        customer=_column(customer),
        date=_column(date),
        amount=_column(amount),
        dayfirst=dayfirst,
        sheet=sheet,
    )
    for line in cleaning_report(frame).lines():
        click.echo(line, err=True)
    table = summarize(frame, observation_end=observation_end, time_unit=time_unit)
    left_out = table.attrs["orders_after_observation_end"]
    if left_out:
        click.echo(f"{left_out:,} orders after the observation end "
                   f"{table.attrs['observation_end']:%Y-%m-%d} left out", err=True)
    write_table(table, target, force=force)
    click.echo(f"wrote {len(table):,} customers to {target}", err=True)


def _column(value: str | None) -> str | int | None:
    """A column option: a 0-based position when it is a whole number, else a name."""
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value
