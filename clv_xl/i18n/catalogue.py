"""The message catalogue: every sentence the command line prints, in English and French, kept as data.

``messages.csv`` beside this module has one row per message: a ``key``, the ``en`` text and the ``fr`` text.
Placeholders name a value and, in the English text, its kind, which says how the value is written in each
language and how it is recognised in an English sentence:

=============== ================================================ =======================================
kind            what                                             French rendering
=============== ================================================ =======================================
(none)          text kept as it is (a file name, a column)       as is
``int``         a whole number, ``3,000``                        ``3 000``
``num``         a decimal number, ``1,234.50``                   ``1 234,50``
``val``         a number if it is one (``1.5``), else text       ``1,5``
``date``        an ISO date, ``2024-01-31``                      ``31/01/2024``
``q``           a quoted value, ``'Paid'``                       as is
``cur``         a currency code, ``EUR``                         its symbol, ``€``
``phrase``      a sentence part, itself looked up                its translation, or as is
``phrases``     sentence parts joined by ``; ``                  each translated
``commas``      sentence parts joined by ``, ``                  each translated
=============== ================================================ =======================================

Two ways in:

- :func:`message` writes a message of the command line by its key, from Python values.
- :func:`translate` turns an English sentence written elsewhere (an error's text, a line of the intake summary)
  into French by finding the catalogue row whose English text it matches, like gettext's message ids; numbers
  and dates inside are rewritten French style. A sentence no row matches stays English: the library's text is
  the fallback, so a new or reworded message is never lost, only untranslated (``tests/test_cli_french.py``
  checks that every error row still matches a sentence of the code).
"""

from __future__ import annotations

import csv
import numbers
import re
import string
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from clv_xl.i18n.text_format import (
    FRENCH_SPACE,
    check_language,
    currency_symbol,
    format_date,
    format_integer,
    format_number,
)

__all__ = ["CATALOGUE_FILE", "Entry", "entries", "message", "translate", "french_spacing"]

#: The catalogue's file.
CATALOGUE_FILE = Path(__file__).with_name("messages.csv")

_INT = r"-?\d{1,3}(?:,\d{3})+|-?\d+"
_NUM = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_PATTERNS = {
    "": ".+?", "int": _INT, "num": _NUM, "val": ".+?", "date": r"\d{4}-\d{2}-\d{2}",
    "q": r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "phrase": ".+?", "phrases": ".+?", "commas": ".+?", "cur": ".+?",
}
_ENGLISH_NUMBER = re.compile(rf"(?:{_NUM})")
_FRENCH_SPACE_BEFORE = re.compile(r" (?=[:;!?%€»])|(?<=«) ")


def french_spacing(text: str) -> str:
    """Put French typography's no-break space before ``: ; ! ? % €`` and inside ``« »``.

    Examples
    --------
    >>> french_spacing("Erreur : « x » ; 10 %") == "Erreur\\u00a0: «\\u00a0x\\u00a0»\\u00a0; 10\\u00a0%"
    True
    """
    return _FRENCH_SPACE_BEFORE.sub(FRENCH_SPACE, text)


@dataclass(frozen=True)
class Entry:
    """One catalogue row: its key, English and French texts (placeholders without kinds) and its placeholders."""

    key: str
    en: str
    fr: str
    kinds: tuple[tuple[str, str], ...]
    regex: str

    def text(self, lang: str) -> str:
        """The template in ``lang``."""
        return self.fr if lang == "fr" else self.en

    @property
    def pattern(self) -> re.Pattern[str]:
        """The English template as a regular expression capturing its placeholders, compiled when first used.

        An English run translates nothing: compiling the catalogue's ~180 patterns took ~40 ms of each start.
        """
        return _compiled(self.regex)


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.DOTALL)


def _entry(key: str, english: str, french: str) -> Entry:
    kinds: list[tuple[str, str]] = []
    plain: list[str] = []
    regex: list[str] = []
    for literal, name, kind, _ in string.Formatter().parse(english):
        plain.append(literal.replace("{", "{{").replace("}", "}}"))
        regex.append(re.escape(literal))
        if name is not None:
            if kind not in _PATTERNS:
                raise ValueError(f"{CATALOGUE_FILE.name}: {key}: unknown kind {kind!r} of {{{name}}}")
            kinds.append((name, kind or ""))
            plain.append("{" + name + "}")
            regex.append(f"(?P<{name}>{_PATTERNS[kind or '']})")
    return Entry(key, "".join(plain), french_spacing(french), tuple(kinds), "".join(regex))


@lru_cache(maxsize=1)
def entries() -> dict[str, Entry]:
    """Every catalogue row by key, in the file's order (the order :func:`translate` tries them).

    Examples
    --------
    >>> entries()["cli.wrote"].fr
    'Fichier écrit\\xa0: {path}'
    """
    with CATALOGUE_FILE.open(encoding="utf-8", newline="") as stream:
        return {row["key"]: _entry(row["key"], row["en"], row["fr"]) for row in csv.DictReader(stream)}


def _render(value: object, kind: str, lang: str) -> str:
    """A value given in Python (``message``) or captured from English text (``translate``), written in ``lang``."""
    if kind in ("phrase", "phrases", "commas"):
        text = str(value)
        if kind == "phrase":
            return translate(text, lang)
        separator = ", " if kind == "commas" else "; "
        joiner = f"{FRENCH_SPACE}; " if lang == "fr" and kind == "phrases" else separator
        return joiner.join(translate(part, lang) for part in text.split(separator))
    if kind == "date":
        return format_date(value, lang)
    if kind == "cur":
        return currency_symbol(str(value)) if lang == "fr" else str(value)
    if isinstance(value, str):
        if kind in ("int", "num", "val") and _ENGLISH_NUMBER.fullmatch(value):
            decimals = len(value.partition(".")[2])
            return format_number(float(value.replace(",", "")), lang, decimals)
        return value
    if kind == "int" and isinstance(value, numbers.Real):
        return format_integer(float(value), lang)
    if kind in ("num", "val") and isinstance(value, int | float):
        return format_number(value, lang, 0 if float(value).is_integer() and kind == "val" else 2)
    return str(value)


def message(key: str, lang: str = "en", **values: object) -> str:
    """The message ``key`` in ``lang``, its placeholders filled with ``values`` written in that language's style.

    Parameters
    ----------
    key : str
        A key of the catalogue (``messages.csv``).
    lang : {"en", "fr"}, default "en"
        Language.
    **values : object
        One value per placeholder.

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> message("cli.summary_wrote", "en", n=3000, path="c.csv")
    'wrote 3,000 customers to c.csv'
    >>> message("cli.summary_wrote", "fr", n=3000, path="c.csv").replace("\\u00a0", " ")
    '3 000 clients écrits dans c.csv'
    """
    entry = entries()[key]
    code = check_language(lang)
    kinds = dict(entry.kinds)
    rendered = {name: _render(value, kinds.get(name, ""), code) for name, value in values.items()}
    return entry.text(code).format_map(rendered)


@lru_cache(maxsize=4096)
def translate(text: str, lang: str = "en") -> str:
    """``text``, an English sentence of clv-xl, in ``lang``; unchanged when no catalogue row matches it.

    Parameters
    ----------
    text : str
        An English message (an error, an intake summary line...).
    lang : {"en", "fr"}, default "en"
        Language wanted; English returns ``text`` itself.

    Returns
    -------
    str
        The translation, numbers and dates in French style, or ``text``.

    Examples
    --------
    >>> print(translate("orders.csv: 3,000 rows read, 2,950 orders of 1,204 customers, 2024-01-01 to "
    ...                 "2024-12-31, total 81,234.50 EUR", "fr").replace("\\u00a0", " "))
    orders.csv : 3 000 lignes lues, 2 950 commandes de 1 204 clients, du 01/01/2024 au 31/12/2024, total 81 234,50 €
    >>> translate("Rows without date (dropped): 12", "fr").replace("\\u00a0", " ")
    'Lignes sans date (écartées) : 12'
    >>> translate("something new", "fr")
    'something new'
    """
    code = check_language(lang)
    if code == "en" or not text:
        return text
    for entry in entries().values():
        match = entry.pattern.fullmatch(text)
        if match is None:
            continue
        kinds = dict(entry.kinds)
        values = {name: _render(found, kinds[name], code) for name, found in match.groupdict().items()}
        return entry.text(code).format_map(values)
    return text
