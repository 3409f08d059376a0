"""Parse the amounts and dates that spreadsheets and shops write, column at a time.

Each parser returns the parsed values (missing where the input was blank) and the positions of the values it
could not understand, so the caller can report them with their file and row.

The parsers live in modules by job and are importable from here as before: :mod:`~clv_xl.orders.amount_parsing`
(amounts and their currencies), :mod:`~clv_xl.orders.date_parsing` (dates) and
:mod:`~clv_xl.orders.parsed_column` (:class:`ParseResult`, what each returns).
"""

from __future__ import annotations

from clv_xl.orders.amount_parsing import currency_symbols, parse_amounts, row_currencies
from clv_xl.orders.date_parsing import parse_dates
from clv_xl.orders.parsed_column import ParseResult

__all__ = ["ParseResult", "parse_amounts", "parse_dates", "currency_symbols", "row_currencies"]
