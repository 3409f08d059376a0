"""The options every command that reads an order file shares, and their translation to ``read_orders``.

The column options are generated from the order-column roles (:data:`clv_xl.orders.roles.ROLES`): each role's
option names its column, and reaches ``read_orders`` under the role's keyword.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from clv_xl.orders.roles import ROLES

__all__ = ["read_options", "pop_read_kwargs"]

_F = TypeVar("_F", bound=Callable[..., Any])

_COLUMN_OPTIONS = tuple(
    click.option(role.option, role.keyword, metavar="COL", help=role.help) for role in ROLES
)
_OPTIONS = (
    *_COLUMN_OPTIONS,
    click.option("--dayfirst/--monthfirst", "dayfirst", default=None,
                 help="Read 03/04/2024 as 3 April / March 4 (default: decided from the data)."),
    click.option("--sheet", metavar="NAME", help="Workbook sheet of the orders (default: the first with orders)."),
    click.option("--skip-bad-rows", is_flag=True,
                 help="Drop rows whose date or amount cannot be read (counted), instead of stopping."),
    click.option("--paid-status", "paid_statuses", metavar="VALUE", multiple=True,
                 help="A status value that means paid (repeat for several); wins over the vocabularies."),
    click.option("--exclude-status", "excluded_statuses", metavar="VALUE", multiple=True,
                 help="A status value that means not paid: its orders are dropped (repeat for several)."),
    click.option("--zero-amounts", type=click.Choice(["auto", "keep", "drop"]), default="auto", show_default=True,
                 help="Orders of 0: auto drops them as verification charges in payment exports only."),
    click.option("--currency", "keep_currency", metavar="CODE",
                 help="Currency of the amounts (default: the data's); keeps only the orders in it."),
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
    >>> options = {role.keyword: None for role in ROLES}
    >>> options.update({"customer": "0", "dayfirst": True, "sheet": None, "skip_bad_rows": True,
    ...                 "paid_statuses": ("gift",), "excluded_statuses": (), "zero_amounts": "auto",
    ...                 "keep_currency": None, "margin": 0.3})
    >>> pop_read_kwargs(options), options
    ({'customer': 0, 'dayfirst': True, 'on_bad_values': 'drop', 'paid_statuses': ['gift']}, {'margin': 0.3})
    """
    read: dict[str, Any] = {role.keyword: _column(options.pop(role.keyword)) for role in ROLES}
    read["dayfirst"] = options.pop("dayfirst")
    read["sheet"] = options.pop("sheet")
    read["on_bad_values"] = "drop" if options.pop("skip_bad_rows") else None
    read["paid_statuses"] = list(options.pop("paid_statuses")) or None
    read["excluded_statuses"] = list(options.pop("excluded_statuses")) or None
    zero = options.pop("zero_amounts")
    read["zero_amounts"] = zero if zero != "auto" else None
    read["keep_currency"] = options.pop("keep_currency")
    return {name: value for name, value in read.items() if value is not None}
