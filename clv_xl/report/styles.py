"""Named cell styles and number formats of the report.

The default template carries these named styles; when a user's template lacks one, the generator adds it,
so a template only has to honour the contract in ``templates/README.md`` (sheets and defined names).
"""

from __future__ import annotations

import re

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.workbook.workbook import Workbook

from clv_xl.errors import InvalidArgumentError

__all__ = [
    "STYLE_NAMES",
    "named_styles",
    "ensure_styles",
    "money_format",
    "number_format",
    "check_currency",
    "INT",
    "DEC",
    "PCT",
    "DATE",
    "YEARS",
    "RATIO",
]

INT = "#,##0"
DEC = "#,##0.00"
PCT = "0.0%"
#: Percent formats of each language, one decimal (``pct``) and whole (``0%``). French typography puts a no-break
#: space before ``%`` (``12,3 %``, as clv_xl.i18n writes percents in text); LibreOffice's own fr-FR percent format
#: carries a space too (``0,00" "%``). The space is quoted: a literal every spreadsheet accepts.
PERCENT_FORMATS: dict[str, dict[str, str]] = {
    "pct": {"en": PCT, "fr": '0.0"\u00a0"%'},
    "0%": {"en": "0%", "fr": '0"\u00a0"%'},
}
DATE = "yyyy-mm-dd"
#: Date format of each language: ISO in English (never ambiguous), day first in French.
DATE_FORMATS: dict[str, str] = {"en": DATE, "fr": "dd/mm/yyyy"}
YEARS = "0.00"
RATIO = "0.00"

_ACCENT = "1F4E79"
_THIN = Side(style="thin", color="BFBFBF")

#: Names of the styles the generator uses.
STYLE_NAMES: tuple[str, ...] = (
    "clv_title",
    "clv_subtitle",
    "clv_block",
    "clv_header",
    "clv_input",
    "clv_label",
    "clv_value",
    "clv_note",
)

_SYMBOLS = {"USD": '"$"', "EUR": '"€"', "GBP": '"£"', "JPY": '"¥"', "CHF": '"CHF "', "CAD": '"CA$"'}


def check_currency(currency: str) -> str:
    """Return a currency code if it is three letters, else raise.

    Parameters
    ----------
    currency : str
        An ISO 4217 code such as ``"EUR"``.

    Returns
    -------
    str
        The code in upper case.

    Examples
    --------
    >>> check_currency("eur")
    'EUR'
    """
    code = str(currency).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidArgumentError("currency", f"currency must be a 3-letter code such as USD or EUR; got {currency!r}")
    return code


def number_format(kind: str, currency: str, lang: str = "en") -> str:
    """The Excel number format of a kind of figure: int, dec, pct, 0% (whole), date, money (in ``currency``) or text.

    Excel and LibreOffice show the separators of the reader's locale for ``#,##0.00``; the date order, where the
    currency symbol goes and the space before ``%`` are written in the format, so they follow ``lang``.

    Examples
    --------
    >>> number_format("pct", "USD"), number_format("money", "EUR"), number_format("date", "EUR", "fr")
    ('0.0%', '#,##0.00 "€"', 'dd/mm/yyyy')
    >>> number_format("pct", "EUR", "fr") == '0.0"\\u00a0"%', number_format("0%", "EUR", "fr") == '0"\\u00a0"%'
    (True, True)
    """
    if kind == "money":
        return money_format(currency, lang)
    if kind == "date":
        return DATE_FORMATS.get(lang, DATE)
    if kind in PERCENT_FORMATS:
        return PERCENT_FORMATS[kind].get(lang, PERCENT_FORMATS[kind]["en"])
    return {"int": INT, "dec": DEC, "text": "@"}[kind]


def money_format(currency: str, lang: str = "en") -> str:
    """Return the Excel number format for amounts in ``currency``.

    Parameters
    ----------
    currency : str
        An ISO 4217 code.
    lang : str, default "en"
        In French every symbol follows the amount (``1 234,56 $``).

    Returns
    -------
    str
        A number format: in English, symbol in front for $, £, ¥; after the amount for € and other codes.

    Examples
    --------
    >>> money_format("USD")
    '"$"#,##0.00'
    >>> money_format("EUR")
    '#,##0.00 "€"'
    >>> money_format("SEK")
    '#,##0.00 "SEK"'
    >>> money_format("USD", "fr")
    '#,##0.00 "$"'
    """
    code = check_currency(currency)
    if code == "EUR" or (lang == "fr" and code in _SYMBOLS):
        return f"{DEC} {_SYMBOLS[code]}"
    if code in _SYMBOLS:
        return f"{_SYMBOLS[code]}{DEC}"
    return f'{DEC} "{code}"'


def named_styles() -> list[NamedStyle]:
    """Return fresh copies of the report's named styles.

    Returns
    -------
    list of openpyxl.styles.NamedStyle
        One style per name of :data:`STYLE_NAMES`.

    Examples
    --------
    >>> [s.name for s in named_styles()] == list(STYLE_NAMES)
    True
    """
    box = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    return [
        NamedStyle("clv_title", font=Font(size=18, bold=True, color=_ACCENT)),
        NamedStyle("clv_subtitle", font=Font(size=10, italic=True, color="595959")),
        NamedStyle("clv_block", font=Font(size=12, bold=True, color=_ACCENT),
                   border=Border(bottom=Side(style="medium", color=_ACCENT))),
        NamedStyle("clv_header", font=Font(bold=True, color="FFFFFF"),
                   fill=PatternFill("solid", fgColor=_ACCENT),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True), border=box),
        NamedStyle("clv_input", font=Font(bold=True, color="1F3864"),
                   fill=PatternFill("solid", fgColor="FFF2CC"), border=box),
        NamedStyle("clv_label", font=Font(color="262626"), border=Border(bottom=_THIN)),
        NamedStyle("clv_value", font=Font(bold=True, color="262626"),
                   alignment=Alignment(horizontal="right"), border=Border(bottom=_THIN)),
        NamedStyle("clv_note", font=Font(size=9, italic=True, color="7F7F7F")),
    ]


def ensure_styles(wb: Workbook) -> None:
    """Add the report's named styles that ``wb`` does not have yet.

    Parameters
    ----------
    wb : openpyxl.Workbook
        The workbook being filled.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> ensure_styles(wb)
    >>> "clv_input" in wb.named_styles
    True
    """
    have = set(wb.named_styles)
    for style in named_styles():
        if style.name not in have:
            wb.add_named_style(style)
