"""``clv-xl functions``: list the Excel functions, or describe one, from their declarations."""

from __future__ import annotations

import click

from clv_xl.cli._language import lang_option
from clv_xl.errors import ClvXlError

__all__ = ["functions"]


@click.command()
@click.argument("name", required=False)
@click.option("--markdown", is_flag=True, help="Print the README's function table (Markdown).")
@lang_option("Language of the error messages (the functions' help is in English)")
def functions(name: str | None, markdown: bool, lang: str) -> None:
    """List every Excel function with its signature and a one-line description; NAME describes one in full.

    \b
    Example:
      clv-xl functions
      clv-xl functions CLV_PREDICTED
    """
    from clv_xl.excel import catalogue

    if name is None:
        click.echo(catalogue.markdown_table() if markdown else catalogue.function_list())
        return
    text = catalogue.function_help(name)
    if text is None:
        raise ClvXlError(f"no Excel function named {name[:40]!r}: `clv-xl functions` lists them")
    click.echo(text)
