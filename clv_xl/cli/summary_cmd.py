"""``clv-xl summary``: read an order file and write one row per customer (CSV or XLSX)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
import pandas as pd

from clv_xl.errors import InvalidArgumentError, OutputError

__all__ = ["summary", "write_table_atomically"]

_FORMATS = (".csv", ".xlsx")


def write_table_atomically(table: pd.DataFrame, target: Path, *, force: bool) -> None:
    """Write ``table`` (with its index) to ``target`` (.csv or .xlsx) through a temporary file and a rename.

    Parameters
    ----------
    table : pandas.DataFrame
        What to write.
    target : pathlib.Path
        The output file; its suffix picks the format.
    force : bool
        Overwrite an existing file.

    Raises
    ------
    OutputError
        The file exists and ``force`` is off, or the folder is not writable.
    InvalidArgumentError
        The suffix is neither .csv nor .xlsx.
    """
    suffix = target.suffix.lower()
    if suffix not in _FORMATS:
        raise InvalidArgumentError(
            "output", f"the output must end in .csv or .xlsx; got {target.name!r}; pass e.g. -o customers.xlsx"
        )
    if target.exists() and not force:
        raise OutputError(f"{target} exists; pass --force to overwrite it")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"folder {folder} does not exist; create it or pick another -o path")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=suffix, dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror}; pick another -o path") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        if suffix == ".csv":
            stamps = table.select_dtypes("datetime").stack()
            whole_days = bool((stamps == stamps.dt.normalize()).all())
            table.to_csv(temp, encoding="utf-8-sig", date_format="%Y-%m-%d" if whole_days else "%Y-%m-%d %H:%M:%S")
        else:
            table.to_excel(temp, sheet_name="Customers", engine="openpyxl")
        os.replace(temp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        temp.unlink(missing_ok=True)


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

    target = Path(output)
    if target.suffix.lower() not in _FORMATS:
        raise InvalidArgumentError(
            "output", f"the output must end in .csv or .xlsx; got {target.name!r}; pass e.g. -o customers.xlsx"
        )
    if target.exists() and not force:
        raise OutputError(f"{target} exists; pass --force to overwrite it")
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
    write_table_atomically(table, target, force=force)
    click.echo(f"wrote {len(table):,} customers to {target}", err=True)


def _column(value: str | None) -> str | int | None:
    """A column option: a 0-based position when it is a whole number, else a name."""
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value
