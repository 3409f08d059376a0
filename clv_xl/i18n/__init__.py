"""Text in the analyst's language.

Numbers, money, percents and dates in English or French style, the language of the system locale, and (for the
command line) the message catalogue.
"""

from clv_xl.i18n.system_language import language_of_locale, system_language
from clv_xl.i18n.text_format import (
    CURRENCY_SYMBOLS,
    FRENCH_SPACE,
    LANGUAGES,
    MONTHS_SHORT,
    check_language,
    currency_symbol,
    format_date,
    format_integer,
    format_money,
    format_month,
    format_number,
    format_percent,
    not_a_number_text,
)

__all__ = [
    "CURRENCY_SYMBOLS",
    "FRENCH_SPACE",
    "LANGUAGES",
    "MONTHS_SHORT",
    "check_language",
    "currency_symbol",
    "format_date",
    "format_integer",
    "format_money",
    "format_month",
    "format_number",
    "format_percent",
    "language_of_locale",
    "not_a_number_text",
    "system_language",
]
