"""The options every command that reads an order file shares, and their translation to ``read_orders``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["read_options", "pop_read_kwargs"]

_F = TypeVar("_F", bound=Callable[..., Any])

_OPTIONS = (
    click.option("--customer", metavar="COL",
                 help="Customer column (name or 0-based position); found by name if omitted."),
    click.option("--date", "date", metavar="COL", help="Order date column (name or position)."),
    click.option("--amount", metavar="COL", help="Amount column (name or position)."),
    click.option("--dayfirst/--monthfirst", "dayfirst", default=None,
                 help="Read 03/04/2024 as 3 April / March 4 (default: decided from the data)."),
    click.option("--sheet", metavar="NAME", help="Workbook sheet of the orders (default: the first with orders)."),
    click.option("--skip-bad-rows", is_flag=True,
                 help="Drop rows whose date or amount cannot be read (counted), instead of stopping."),
)


def read_options(command: _F) -> _F:
    """Add the order-reading options to a click command."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def _column(value: str | None) -> str | int | None:
    """A column option: a 0-based position when it is a whole number, else a name.

    Examples
    --------
    >>> _column("2"), _column("Montant TTC"), _column(None)
    (2, 'Montant TTC', None)
    """
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value


def pop_read_kwargs(options: dict[str, Any]) -> dict[str, Any]:
    """Remove the order-reading options from ``options``; return them as ``read_orders`` keyword arguments.

    Examples
    --------
    >>> options = {"customer": "0", "date": None, "amount": None, "dayfirst": True, "sheet": None,
    ...            "skip_bad_rows": True, "margin": 0.3}
    >>> pop_read_kwargs(options), options
    ({'customer': 0, 'dayfirst': True, 'on_bad_values': 'drop'}, {'margin': 0.3})
    """
    read = {name: _column(options.pop(name)) for name in ("customer", "date", "amount")}
    read["dayfirst"] = options.pop("dayfirst")
    read["sheet"] = options.pop("sheet")
    read["on_bad_values"] = "drop" if options.pop("skip_bad_rows") else None
    return {name: value for name, value in read.items() if value is not None}
