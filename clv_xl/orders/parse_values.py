"""Parse the amounts and dates that spreadsheets and shops write, column at a time.

Each parser returns the parsed values (missing where the input was blank) and the positions of the values it
could not understand, so the caller can report them with their file and row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clv_xl.errors import DataError
from clv_xl.orders.limits import LIMITS

__all__ = ["ParseResult", "parse_amounts", "parse_dates", "currency_symbols", "row_currencies"]

_CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF", "Fr.": "CHF"}
_CURRENCY_RE = re.compile(r"[€$£¥₹]|\b[A-Z]{3}\b|Fr\.")
_JUNK_RE = re.compile(r"[^0-9,.\-()]")  # everything but digits, separators, sign and parentheses
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_LAST_SERIAL = (LIMITS.last_date - _EXCEL_EPOCH).days  # serials beyond it overflow nanosecond timestamps
# a zone after a clock time: Z, UTC, +01:00, -0500, +01, CEST
_TZ_SUFFIX_RE = r"(\d:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Z]{3,5})$"


@dataclass
class ParseResult:
    """Values parsed from one column.

    Attributes
    ----------
    values : pandas.Series
        Parsed values, missing (NaN / NaT) where the input was blank or unparseable.
    bad : pandas.Series
        Boolean mask: True where a non-blank input could not be parsed.
    notes : list of str
        What was decided about the column (e.g. the date order), for the cleaning report.
    """

    values: pd.Series
    bad: pd.Series
    notes: list[str] = field(default_factory=list)


def _blank(raw: pd.Series) -> pd.Series:
    """Return a mask of missing or whitespace-only values."""
    mask = raw.isna()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        text = raw[~mask].astype(str).str.strip()
        mask.loc[text.index] = text.eq("") | text.str.lower().isin(["nan", "nat", "none", "null", "n/a", "-"])
    return mask


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
    blank = _blank(raw) & ~nested
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


def parse_dates(raw: pd.Series, *, dayfirst: bool | None = None, dayfirst_hint: bool = False) -> ParseResult:
    """Parse order dates: ISO (with or without time and zone), dd/mm/yyyy, mm/dd/yyyy, YYYYMMDD, Excel serials.

    Parameters
    ----------
    raw : pandas.Series
        The column as read: text, numbers (YYYYMMDD or Excel serial days) or datetimes.
    dayfirst : bool, optional
        Whether ``03/04/2024`` is the 3rd of April. None decides from the data: a first part above 12 means
        day first, a second part above 12 means month first; when every date is ambiguous, ``dayfirst_hint``
        decides if set (a French-style file), else a :class:`DataError` asks for ``dayfirst``.
    dayfirst_hint : bool
        The file's other conventions (``;`` separator, decimal comma) suggest day-first dates.

    Returns
    -------
    ParseResult
        Tz-naive ``datetime64[ns]`` values. Timestamps with a zone keep their local wall-clock time (the zone is
        dropped, not converted), so an order at 00:30+01:00 stays on its local day.

    Examples
    --------
    >>> parse_dates(pd.Series(["31/01/2024", "02/03/2024"])).values.dt.strftime("%Y-%m-%d").tolist()
    ['2024-01-31', '2024-03-02']
    >>> parse_dates(pd.Series([19970101, 19970112])).values.dt.day.tolist()
    [1, 12]
    >>> parse_dates(pd.Series(["2024-05-01T23:30:00-05:00"])).values.tolist()
    [Timestamp('2024-05-01 23:30:00')]
    """
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):  # with or without a zone, any unit
        values = _to_ns(raw)
        return ParseResult(values, values.isna() & raw.notna())
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return _parse_numeric_dates(raw)
    blank = _blank(raw)
    objects = raw[~blank]
    if raw.dtype == object and len(objects):
        kinds = objects.map(type)
        is_dt = kinds.map(lambda k: issubclass(k, (pd.Timestamp, np.datetime64)) or k.__name__ in {"datetime", "date"})
        is_num = kinds.map(lambda k: issubclass(k, (int, float, np.number)) and not issubclass(k, bool))
        if is_dt.all() or is_num.any():
            return _parse_mixed_objects(raw, blank, is_dt, is_num, dayfirst, dayfirst_hint)
    text = raw.where(~blank).astype(object).where(~blank)
    values, notes = _parse_text_dates(text[~blank].astype(str).str.strip(), dayfirst, dayfirst_hint)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    out.loc[values.index] = values
    bad = out.isna() & ~blank
    return ParseResult(out, bad, notes)


def _parse_mixed_objects(
    raw: pd.Series,
    blank: pd.Series,
    is_dt: pd.Series,
    is_num: pd.Series,
    dayfirst: bool | None,
    dayfirst_hint: bool,
) -> ParseResult:
    """Parse an object column from a spreadsheet: datetimes, numbers and text side by side."""
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    notes: list[str] = []
    present = raw[~blank]
    if is_dt.any():
        dts = pd.to_datetime(present[is_dt].map(lambda v: pd.Timestamp(v).tz_localize(None)), errors="coerce")
        out.loc[dts.index] = _to_ns(dts)
    if is_num.any():
        nums = _parse_numeric_dates(present[is_num].astype("float64"))
        out.loc[nums.values.index] = nums.values
    rest = present[~is_dt & ~is_num]
    if len(rest):
        values, notes = _parse_text_dates(rest.astype(str).str.strip(), dayfirst, dayfirst_hint)
        out.loc[values.index] = values
    return ParseResult(out, out.isna() & ~blank, notes)


def _parse_numeric_dates(raw: pd.Series) -> ParseResult:
    """YYYYMMDD integers (19000101..21001231) or Excel serial day numbers (1900 date system, days since 1899-12-30)."""
    values = raw.to_numpy(dtype="float64", na_value=np.nan)
    present = ~np.isnan(values)
    ymd = present & (values >= 19000101) & (values <= 21001231) & (values == np.floor(values))
    serial = present & (values >= 0) & (values <= _LAST_SERIAL) & ~ymd  # negative serials are no dates in Excel
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    if ymd.any():
        text = pd.Series(values[ymd].astype("int64").astype(str))
        out[ymd] = _to_ns(pd.to_datetime(text, format="%Y%m%d", errors="coerce")).to_numpy()
    if serial.any():
        days = pd.Series(_EXCEL_EPOCH + pd.to_timedelta(values[serial], unit="D"))
        out[serial] = _to_ns(days).to_numpy()
    return ParseResult(pd.Series(out, index=raw.index), pd.Series(np.isnat(out) & present, index=raw.index))


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:$|[ T])")


def _parse_text_dates(text: pd.Series, dayfirst: bool | None, dayfirst_hint: bool) -> tuple[pd.Series, list[str]]:
    """Parse non-blank date strings; unparseable ones come back as NaT."""
    notes: list[str] = []
    if text.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]"), notes
    sample = text.iloc[:: max(1, len(text) // 5000)]
    if sample.str.fullmatch(r"\d{8}").all():
        values = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
        return _to_ns(values), notes
    if sample.str.fullmatch(r"-?\d+(?:\.\d+)?").all():  # Excel serial day numbers written as text (45293)
        notes.append("dates read as Excel serial day numbers (days since 1899-12-30)")
        return _parse_numeric_dates(pd.to_numeric(text, errors="coerce")).values, notes
    stripped = _strip_zones(text, sample)
    if sample.str.match(r"^\d{4}-\d{2}-\d{2}").all():
        values = pd.to_datetime(stripped, format="ISO8601", errors="coerce")
        if values.isna().any():  # a few odd ones among ISO dates
            rest = values.isna()
            values = _to_ns(values)
            values.loc[rest] = _to_ns(pd.to_datetime(stripped[rest], format="mixed", errors="coerce"))
        return _to_ns(values), notes
    parts = stripped.str.extract(_DMY)
    numeric_like = parts[0].notna()
    if numeric_like.any():
        first = pd.to_numeric(parts[0], errors="coerce")
        second = pd.to_numeric(parts[1], errors="coerce")
        day_first_seen = bool((first > 12).any())
        month_first_seen = bool((second > 12).any())
        if dayfirst is None:
            if day_first_seen and month_first_seen:
                example_a = text[first > 12].iloc[0]
                example_b = text[second > 12].iloc[0]
                raise DataError(
                    f"dates mix day-first ({example_a!r}) and month-first ({example_b!r}) orders; "
                    "fix the column or pass dayfirst=True/False (--dayfirst/--monthfirst)"
                )
            if day_first_seen or month_first_seen:
                dayfirst = day_first_seen
                notes.append(f"dates read as {'dd/mm/yyyy' if dayfirst else 'mm/dd/yyyy'} (decided from the data)")
            elif dayfirst_hint or stripped[numeric_like].str.contains(".", regex=False).any():
                dayfirst = True
                notes.append("dates read as dd/mm/yyyy (every date was ambiguous; the file's style is European)")
            else:
                example = text[numeric_like].iloc[0]
                raise DataError(
                    f"dates like {example!r} could be day/month or month/day and the data does not tell; "
                    "pass dayfirst=True or dayfirst=False (--dayfirst/--monthfirst)"
                )
        else:
            notes.append(f"dates read as {'dd/mm/yyyy' if dayfirst else 'mm/dd/yyyy'} (as asked)")
        normalized = (
            parts[2].where(parts[2].str.len() == 4, "20" + parts[2])
            + "-"
            + (parts[1] if dayfirst else parts[0]).str.zfill(2)
            + "-"
            + (parts[0] if dayfirst else parts[1]).str.zfill(2)
        )
        clock = stripped.str.extract(r"[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)")[0]
        normalized = normalized.where(clock.isna(), normalized + " " + clock)
        values = _to_ns(pd.to_datetime(normalized.where(numeric_like), format="ISO8601", errors="coerce"))
        rest = ~numeric_like
        if rest.any():
            values.loc[rest] = _parse_free(stripped[rest], bool(dayfirst))
        return values, notes
    return _parse_free(stripped, bool(dayfirst) if dayfirst is not None else dayfirst_hint), notes


def _strip_zones(text: pd.Series, sample: pd.Series) -> pd.Series:
    """Drop a zone after a clock time (wall-clock time kept), when the sample shows any."""
    zoned = re.compile(_TZ_SUFFIX_RE)
    if not sample.map(lambda v: bool(zoned.search(v))).any():
        return text
    import pyarrow as pa
    import pyarrow.compute as pc

    stripped = pc.replace_substring_regex(pa.array(text.astype("str")), pattern=_TZ_SUFFIX_RE, replacement=r"\1")
    return pd.Series(stripped.to_numpy(zero_copy_only=False), index=text.index, dtype="str")


def _parse_free(text: pd.Series, dayfirst: bool) -> pd.Series:
    """Last resort: let pandas guess each value (``Jan 5, 2024``, ``5 janv. 2024`` will not parse)."""
    return _to_ns(pd.to_datetime(text, format="mixed", dayfirst=dayfirst, errors="coerce"))


def _to_ns(values: pd.Series) -> pd.Series:
    """Tz-naive ``datetime64[ns]``; dates outside ``LIMITS.first_date .. last_date`` become NaT (bad values).

    pandas reads 9999-12-31 or year 1 in microseconds; casting those to nanoseconds would overflow.

    Examples
    --------
    >>> _to_ns(pd.Series(pd.to_datetime(["9999-12-31", "2024-01-02", "0001-01-01"]))).tolist()
    [NaT, Timestamp('2024-01-02 00:00:00'), NaT]
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    first, last = values.min(), values.max()
    if pd.isna(first) or (first >= LIMITS.first_date and last <= LIMITS.last_date):  # all inside: no mask
        return values.astype("datetime64[ns]")
    inside = values.ge(LIMITS.first_date) & values.le(LIMITS.last_date)
    return values.where(inside).astype("datetime64[ns]")
