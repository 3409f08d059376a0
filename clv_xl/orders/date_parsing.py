"""Parse the order dates that spreadsheets and shops write: ISO, dd/mm/yyyy, mm/dd/yyyy, YYYYMMDD, Excel serials.

The day/month order is decided from the data (or asked for), a zone after a clock time is dropped (the wall-clock
time kept), dates outside ``LIMITS.first_date .. last_date`` are bad values. Re-exported by
:mod:`clv_xl.orders.parse_values`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from clv_xl.errors import DataError
from clv_xl.orders.limits import LIMITS
from clv_xl.orders.parsed_column import ParseResult, blank_cells

__all__ = ["parse_dates"]


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_LAST_SERIAL = (LIMITS.last_date - _EXCEL_EPOCH).days  # serials beyond it overflow nanosecond timestamps
# a zone after a clock time: Z, UTC, +01:00, -0500, +01, CEST
_TZ_SUFFIX_RE = r"(\d:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Z]{3,5})$"


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
    blank = blank_cells(raw)
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
