"""``clv-xl inspect``: read an order file and print the intake summary, writing nothing."""

from __future__ import annotations

from typing import Any

import click

from clv_xl.cli._language import echo, lang_option
from clv_xl.cli._read_options import pop_read_kwargs, read_options

__all__ = ["inspect"]


@click.command()
@click.argument("orders", metavar="ORDERS")
@read_options
@lang_option()
def inspect(orders: str, lang: str, **options: Any) -> None:
    """Show how ORDERS would be read: columns picked and why, rows kept and dropped, statuses, refunds, currency.

    Writes nothing. Use it before ``report`` or ``summary`` to check what the figures will be built from,
    then add options (--customer, --paid-status, --exclude-status, --currency...) to change a decision.

    \b
    Example:
      clv-xl inspect orders.csv --exclude-status "On hold"
    """
    from clv_xl.orders import cleaning_report, read_orders

    frame = read_orders(orders, **pop_read_kwargs(options))
    for line in cleaning_report(frame).lines():
        echo(line)
