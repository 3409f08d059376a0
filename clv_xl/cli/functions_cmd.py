"""``clv-xl functions``: list the Excel functions."""

from __future__ import annotations

import click

__all__ = ["functions"]


@click.command()
def functions() -> None:
    """List every Excel function with its signature and a one-line description.

    \b
    Example:
      clv-xl functions
    """
    from clv_xl.excel.udfs import EXCEL_FUNCTIONS

    width = max(len(f.signature) for f in EXCEL_FUNCTIONS)
    for f in EXCEL_FUNCTIONS:
        click.echo(f"{f.signature:<{width}}  {f.summary}")
