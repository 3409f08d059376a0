"""``clv-xl functions``: list the Excel functions."""

from __future__ import annotations

import click

from clv_xl.function_catalog import FUNCTIONS

__all__ = ["functions"]


@click.command()
def functions() -> None:
    """List every Excel function with its signature and a one-line description.

    \b
    Example:
      clv-xl functions
    """
    width = max(len(f.signature) for f in FUNCTIONS)
    for f in FUNCTIONS:
        click.echo(f"{f.signature:<{width}}  {f.summary}")
