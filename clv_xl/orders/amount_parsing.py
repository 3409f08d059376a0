"""Parse the money amounts that spreadsheets and shops write, and find the currencies written beside them.

``1 234,56 €``, ``$1,234.56``, ``(12.50)``, ``-3,5``: the decimal mark is decided from the column, amounts beyond
``LIMITS.max_amount`` are bad values. Re-exported by :mod:`clv_xl.orders.parse_values`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from clv_xl.errors import DataError
from clv_xl.orders.limits import LIMITS
from clv_xl.orders.parsed_column import ParseResult, blank_cells

__all__ = ["parse_amounts", "currency_symbols", "row_currencies"]


_CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF", "Fr.": "CHF"}
_CURRENCY_RE = re.compile(r"[€$£¥₹]|\b[A-Z]{3}\b|Fr\.")
_JUNK_RE = re.compile(r"[^0-9,.\-()]")  # everything but digits, separators, sign and parentheses


def parse_amounts(raw: pd.Series, *, decimal_comma: bool | None = None) -> ParseResult:
    """Parse money amounts: plain numbers, ``1 234,56 €``, ``$1,234.56``, ``(12.50)``, ``-3,5``.

    Parameters
    ----------
    raw : pandas.Series
        The column as read (numbers or text).
    decimal_comma : bool, optional
        Whether a lone comma is the decimal mark. None decides from the column: a comma followed by one, two
        or more than three digits at the end of a value (``12,5`` ``3,99``) marks a decimal comma; ``1,234`` alone
        is read as a thousands separator unless the file's other hints (``;`` separator) say otherwise.

    Returns
    -------
    ParseResult
        float64 values.

    Examples
    --------
    >>> r = parse_amounts(pd.Series(["1 234,56 €", "12,5", "", "x"]))
    >>> r.values.tolist()[:2], r.bad.tolist()
    ([1234.56, 12.5], [False, False, False, True])
    >>> parse_amounts(pd.Series(["$1,234.56", "(10.00)", "USD 3"])).values.tolist()
    [1234.56, -10.0, 3.0]
    """
    if pd.api.types.is_bool_dtype(raw.dtype):
        raise DataError("amounts are true/false values, not money; pass amount=<column>")
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return _bound_amounts(raw.astype("float64"), raw.isna())
    nested = _nested_cells(raw)
    if nested.any():
        raw = raw.where(~nested)
    blank = blank_cells(raw) & ~nested
    text = raw.where(~blank).astype(object)
    numeric = pd.to_numeric(text.where(~blank), errors="coerce")
    values = numeric.astype("float64")
    todo = values.isna() & ~blank
    if todo.any():
        strings = text[todo].astype(str)
        if decimal_comma is None:
            decimal_comma = _infer_decimal_comma(_digits(strings.str.strip()))
        if decimal_comma:  # "1.000" next to "89,90" is a thousand, not one: read such values as text too
            dotted = text.astype(str).str.fullmatch(r"\s*-?\d{1,3}(\.\d{3})+\s*") & ~blank
            todo = todo | dotted
            strings = text[todo].astype(str)
        values.loc[todo] = _parse_text_amounts(strings, decimal_comma)
    return _bound_amounts(values, blank)


def _bound_amounts(values: pd.Series, blank: pd.Series) -> ParseResult:
    """Amounts beyond ``LIMITS.max_amount`` or not finite (``inf``, ``1e309``) are bad, like unreadable ones.

    Examples
    --------
    >>> r = _bound_amounts(pd.Series([1.0, float("inf"), 9e307, None]), pd.Series([False, False, False, True]))
    >>> r.values.tolist()[:3], r.bad.tolist()
    ([1.0, nan, nan], [False, True, True, False])
    """
    values = values.where(values.abs().le(LIMITS.max_amount))  # NaN compares False: stays NaN
    return ParseResult(values, values.isna() & ~blank)


def _nested_cells(raw: pd.Series) -> pd.Series:
    """Cells holding a list, record or array (Parquet ``list``/``struct`` columns) rather than one value.

    Examples
    --------
    >>> _nested_cells(pd.Series([[1.0], {"value": 2.0}, "3", None], dtype=object)).tolist()
    [True, True, False, False]
    """
    if raw.dtype != object or pd.api.types.infer_dtype(raw, skipna=True) not in ("mixed", "mixed-integer"):
        return pd.Series(False, index=raw.index)
    containers = (list, tuple, dict, set, np.ndarray)
    return pd.Series([isinstance(v, containers) for v in raw.to_numpy()], index=raw.index)


def _digits(text: pd.Series) -> pd.Series:
    """Amount text without currency signs, spaces, parentheses and minus signs."""
    return text.str.replace(_JUNK_RE, "", regex=True).str.replace(r"[()\-]", "", regex=True)


def _infer_decimal_comma(digits: pd.Series) -> bool:
    """Whether the column writes a comma as its decimal mark (``12,5``, ``3,99``, ``1.234,56``)."""
    return bool(digits.str.contains(r"^\d*,\d{1,2}$|,\d{4,}$|\.\d{3},\d+$", regex=True).any())


def _parse_text_amounts(text: pd.Series, decimal_comma: bool | None) -> pd.Series:
    """Parse amounts written with signs, spaces and separators; the decimal mark is decided per value.

    With both ``,`` and ``.`` the last one is the decimal mark. A single kind of separator is a thousands
    separator when it repeats (``1.234.567``) or when it is a comma before exactly three digits and the column is
    not decimal-comma (``1,234``); otherwise it is the decimal mark (``3,5`` ``12.50``).
    """
    t = text.str.strip()
    negative = t.str.match(r"^\(.*\)$") | t.str.contains(r"^\D*-|-\s*$", regex=True)
    digits = _digits(t)
    if decimal_comma is None:
        decimal_comma = _infer_decimal_comma(digits)
    has_comma = digits.str.contains(",", regex=False)
    has_dot = digits.str.contains(".", regex=False)
    comma_decimal = (has_comma & has_dot & (digits.str.rfind(",") > digits.str.rfind("."))) | (
        has_comma & ~has_dot & ~digits.str.fullmatch(r"\d{1,3}(,\d{3}){2,}")
        & (decimal_comma | ~digits.str.fullmatch(r"\d{1,3},\d{3}"))
    )
    dot_thousands = has_dot & ~has_comma & (
        digits.str.fullmatch(r"\d{1,3}(\.\d{3}){2,}") | (decimal_comma & digits.str.fullmatch(r"\d{1,3}\.\d{3}"))
    )
    as_comma = digits.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    as_dot = digits.str.replace(",", "", regex=False)
    cleaned = as_dot.where(~(comma_decimal | dot_thousands), as_comma.where(comma_decimal, as_dot.str.replace(".", "")))
    number = pd.to_numeric(cleaned.where(cleaned.str.fullmatch(r"\d*\.?\d+|\d+\.")), errors="coerce")
    return number.where(~negative, -number).astype("float64")


def currency_symbols(raw: pd.Series) -> list[str]:
    """Return the currencies named by signs or ISO codes inside text amounts.

    Parameters
    ----------
    raw : pandas.Series
        An amount column as read.

    Returns
    -------
    list of str
        ISO codes, sorted; empty for numeric columns.

    Examples
    --------
    >>> currency_symbols(pd.Series(["1 234,56 €", "EUR 3", "$2"]))
    ['EUR', 'USD']
    """
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return []
    sample = raw.dropna().astype(str)
    if len(sample) > 10_000:
        sample = sample.sample(10_000, random_state=0)
    found = sample.str.findall(_CURRENCY_RE).explode().dropna()
    return sorted({_CURRENCY_SIGNS.get(code, code) for code in found})


def row_currencies(raw: pd.Series) -> pd.Series:
    """Return the currency written in each text amount (ISO code), missing where none is written.

    Examples
    --------
    >>> row_currencies(pd.Series(["12,50 €", "$3", "4"])).tolist()
    ['EUR', 'USD', nan]
    """
    first = raw.astype("str").str.extract(f"({_CURRENCY_RE.pattern})", expand=False)
    return first.map(lambda code: _CURRENCY_SIGNS.get(code, code), na_action="ignore").where(raw.notna())
