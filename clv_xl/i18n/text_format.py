"""Numbers, money, percents and dates written as text the English or the French way.

Text built in code (a sentence on the terminal, a note in a cell) cannot use Excel's number formats, so it is
formatted here, once, for every caller:

=========== ================ ==================
what        ``"en"``         ``"fr"``
=========== ================ ==================
number      ``1,234.5``      ``1 234,5``
integer     ``3,000``        ``3 000``
percent     ``10.0%``        ``10,0 %``
money       ``$1,234.56``    ``1 234,56 €``
date        ``2024-01-01``   ``01/01/2024``
month       ``Jan 2024``     ``janv. 2024``
=========== ================ ==================

The French spaces (between thousands, before ``%`` and before the currency symbol) are all the **no-break
space U+00A0** (:data:`FRENCH_SPACE`). French typography and CLDR prefer the narrower U+202F between
thousands, but U+00A0 is in Latin-1, so every font has it (here Liberation Mono, a stand-in for Courier New,
has no U+202F: ``fc-list ':charset=202f'`` does not list it) and so do the cp1252 and cp850 consoles of
Windows; Excel and LibreOffice show it in any font and never break a line at it. French Excel's own
``# ##0`` format used it for decades. Changing :data:`FRENCH_SPACE` is the one line to change for U+202F.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping

import numpy as np

__all__ = [
    "LANGUAGES",
    "FRENCH_SPACE",
    "CURRENCY_SYMBOLS",
    "MONTHS_SHORT",
    "check_language",
    "format_number",
    "format_integer",
    "format_percent",
    "format_money",
    "currency_symbol",
    "format_date",
    "format_month",
    "not_a_number_text",
]

#: Languages clv-xl writes.
LANGUAGES: tuple[str, ...] = ("en", "fr")

#: The space of French numbers: between thousands, before ``%`` and before a currency symbol (see module notes).
FRENCH_SPACE = "\u00a0"

#: Currency symbols written with amounts; other ISO codes are written as the code itself.
CURRENCY_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "CHF": "CHF"}

#: Short month names (January first) as English and French dictionaries (CLDR abbreviated forms) write them.
MONTHS_SHORT: dict[str, tuple[str, ...]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
}

#: How each language writes a value that is not a number (NaN, infinity, None).
_NOT_A_NUMBER: Mapping[str, str] = {"en": "n/a", "fr": "n.d."}

#: Decimal mark and thousands separator per language.
_MARKS: Mapping[str, tuple[str, str]] = {"en": (".", ","), "fr": (",", FRENCH_SPACE)}

#: Symbols written before the amount in English; the others follow it after a space.
_SYMBOL_FIRST_IN_ENGLISH = frozenset({"$", "€", "£", "¥", "CA$"})


def check_language(lang: str) -> str:
    """``lang`` lower-cased if clv-xl writes it, else ``ValueError`` naming the choices.

    Examples
    --------
    >>> check_language("FR")
    'fr'
    """
    code = str(lang).strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    return code


def not_a_number_text(lang: str = "en") -> str:
    """What a missing or infinite number is written as: ``n/a`` or ``n.d.`` (non disponible).

    Examples
    --------
    >>> not_a_number_text("fr")
    'n.d.'
    """
    return _NOT_A_NUMBER[check_language(lang)]


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]  # any object may be tried; failures are caught below
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_number(value: float, lang: str = "en", decimals: int = 2) -> str:
    """``value`` with ``decimals`` decimals and grouped thousands, in ``lang``'s style.

    Parameters
    ----------
    value : float
        The number; NaN, infinity and ``None`` give :func:`not_a_number_text`.
    lang : {"en", "fr"}, default "en"
        ``"fr"`` writes a decimal comma and groups thousands with :data:`FRENCH_SPACE`.
    decimals : int, default 2
        Digits after the decimal mark.

    Returns
    -------
    str
        The number written out, ``-`` first when negative.

    Examples
    --------
    >>> format_number(1234.5, "en", 1), format_number(-1234.5, "fr", 1)
    ('1,234.5', '-1\\xa0234,5')
    >>> format_number(float("nan"), "fr")
    'n.d.'
    """
    code = check_language(lang)
    number = _finite(value)
    if number is None:
        return _NOT_A_NUMBER[code]
    text = f"{number:,.{max(int(decimals), 0)}f}"
    if text.startswith("-") and _finite(text.replace(",", "")) == 0:
        text = text[1:]  # -0.00 is written 0.00
    decimal_mark, group = _MARKS[code]
    return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", group)


def format_integer(value: float, lang: str = "en") -> str:
    """``value`` rounded to a whole number with grouped thousands: ``3,000`` / ``3 000``.

    Examples
    --------
    >>> format_integer(3000, "en"), format_integer(3000, "fr") == "3\\u00a0000", format_integer(12, "fr")
    ('3,000', True, '12')
    """
    return format_number(value, lang, 0)


def format_percent(fraction: float, lang: str = "en", decimals: int = 1) -> str:
    """``fraction`` (0.1 for ten percent) as a percentage: ``10.0%`` / ``10,0 %`` (no-break space before ``%``).

    Examples
    --------
    >>> format_percent(0.1, "en"), format_percent(0.1, "fr") == "10,0\\u00a0%", format_percent(0.125, "fr", 0)
    ('10.0%', True, '12\\xa0%')
    """
    code = check_language(lang)
    number = _finite(fraction)
    if number is None:
        return _NOT_A_NUMBER[code]
    digits = format_number(number * 100, code, decimals)
    return f"{digits}%" if code == "en" else f"{digits}{FRENCH_SPACE}%"


def currency_symbol(currency: str | None) -> str:
    """The symbol written for an ISO 4217 code (``EUR`` → ``€``); other codes are written as they are.

    Examples
    --------
    >>> currency_symbol("eur"), currency_symbol("SEK"), currency_symbol(None)
    ('€', 'SEK', '')
    """
    code = (currency or "").strip().upper()
    return CURRENCY_SYMBOLS.get(code, code)


def format_money(value: float, currency: str | None = "USD", lang: str = "en", decimals: int = 2) -> str:
    """An amount with its currency, placed where ``lang`` puts it.

    English writes ``$``, ``€``, ``£``, ``¥`` before the amount (``€1,234.56``) and other codes before it with a
    space (``CHF 1,234.56``); French writes every symbol after the amount and a no-break space
    (``1 234,56 €``, ``1 234,56 $``). Without a currency the plain number is written.

    Parameters
    ----------
    value : float
        The amount.
    currency : str or None, default "USD"
        ISO 4217 code.
    lang : {"en", "fr"}, default "en"
        Where the symbol goes, and the number's style (:func:`format_number`).
    decimals : int, default 2
        Digits of the amount after the decimal mark.

    Returns
    -------
    str
        The amount with its symbol or code.

    Examples
    --------
    >>> format_money(1234.56, "USD", "en"), format_money(-1234.56, "EUR", "en"), format_money(5, "CHF", "en", 0)
    ('$1,234.56', '-€1,234.56', 'CHF 5')
    >>> format_money(1234.56, "EUR", "fr").replace("\\u00a0", " ")
    '1 234,56 €'
    >>> format_money(3, None, "fr")
    '3,00'
    """
    code = check_language(lang)
    digits = format_number(value, code, decimals)
    symbol = currency_symbol(currency)
    if not symbol or _finite(value) is None:
        return digits
    if code == "fr":
        return f"{digits}{FRENCH_SPACE}{symbol}"
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    return f"{sign}{symbol}{digits}" if symbol in _SYMBOL_FIRST_IN_ENGLISH else f"{sign}{symbol} {digits}"


def _as_date(value: object) -> _dt.date | None:
    to_timestamp = getattr(value, "to_timestamp", None)  # a pandas.Period: its first day
    if callable(to_timestamp) and not isinstance(value, _dt.date):
        value = to_timestamp()
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        value = value.astype("datetime64[D]").item()
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    if isinstance(value, _dt.datetime):  # also pandas.Timestamp; NaT is a datetime whose year is not an int
        return None if value != value else value.date()
    return value if isinstance(value, _dt.date) else None


def format_date(value: object, lang: str = "en") -> str:
    """A calendar date: ISO ``2024-01-31`` in English (never ambiguous), ``31/01/2024`` in French.

    Parameters
    ----------
    value : date, datetime, pandas.Timestamp, numpy.datetime64 or ISO text
        The date; the time of day is dropped. Missing values give :func:`not_a_number_text`.
    lang : {"en", "fr"}, default "en"
        ``"en"`` writes ISO ``yyyy-mm-dd``, ``"fr"`` ``dd/mm/yyyy``.

    Returns
    -------
    str
        The date written out.

    Examples
    --------
    >>> import datetime
    >>> format_date(datetime.date(2024, 1, 31), "en"), format_date("2024-01-31", "fr")
    ('2024-01-31', '31/01/2024')
    >>> format_date(np.datetime64("2024-03-05T10:00"), "fr"), format_date(None, "fr")
    ('05/03/2024', 'n.d.')
    """
    code = check_language(lang)
    day = _as_date(value)
    if day is None:
        return _NOT_A_NUMBER[code]
    return day.isoformat() if code == "en" else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_month(value: object, lang: str = "en") -> str:
    """A month as a short axis label that does not wrap: ``Jan 2024`` / ``janv. 2024``.

    Examples
    --------
    >>> format_month("2024-01-15", "en"), format_month("2024-02-01", "fr"), format_month("2024-08-01", "fr")
    ('Jan 2024', 'févr. 2024', 'août 2024')
    >>> import pandas as pd
    >>> format_month(pd.Period("2024-12", "M"), "fr")
    'déc. 2024'

    """
    code = check_language(lang)
    day = _as_date(value)
    if day is None:
        return _NOT_A_NUMBER[code]
    return f"{MONTHS_SHORT[code][day.month - 1]} {day.year}"
