"""read_orders: the one entry point that takes an order file or DataFrame through every stage of reading.

See :mod:`clv_xl.orders` for the canonical frame and the cleaning rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Hashable, Iterable
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

from clv_xl.errors import DataError, InvalidArgumentError
from clv_xl.orders.canonical import clean
from clv_xl.orders.find_columns import accepts, detect_by_content, detect_columns
from clv_xl.orders.identify_customers import clean_emails, clean_ids, identify_customers
from clv_xl.orders.intake_report import CleaningReport
from clv_xl.orders.limits import VALUE_RULES
from clv_xl.orders.open_file import RawTable, as_path, file_kind, read_parquet, read_text, sniff_text
from clv_xl.orders.open_workbook import read_excel
from clv_xl.orders.paid_orders import ZERO_AMOUNT_RULES
from clv_xl.orders.parse_values import ParseResult, currency_symbols, parse_amounts, parse_dates, row_currencies
from clv_xl.orders.roles import KEYWORDS, OUTPUT_COLUMNS, ROLES
from clv_xl.orders.vocabulary import transaction_treatments

__all__ = ["read_orders", "CANONICAL_COLUMNS"]

#: Columns of the canonical frame, in order (those after ``amount`` only when the source has them).
CANONICAL_COLUMNS: tuple[str, ...] = OUTPUT_COLUMNS

Source: TypeAlias = str | os.PathLike[str] | pd.DataFrame
_PLAIN_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?")
ColumnSpec = Hashable | None


def read_orders(
    source: Source,
    *,
    dayfirst: bool | None = None,
    sheet: str | int | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    drop_refunds: bool = True,
    zero_amounts: Literal["auto", "keep", "drop"] = "auto",
    drop_duplicate_order_ids: bool = True,
    paid_statuses: Iterable[str] = (),
    excluded_statuses: Iterable[str] = (),
    keep_currency: str | None = None,
    on_bad_values: Literal["raise", "drop"] = "raise",
    **columns: ColumnSpec,
) -> pd.DataFrame:
    """Read orders from a file or DataFrame into the canonical order frame.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A CSV/TSV/TXT file (separator, encoding and header found from the file), an XLSX workbook, a Parquet
        file (the kind is read from the file's first bytes), or a DataFrame (never modified).
    dayfirst : bool, optional
        Whether ``03/04/2024`` is the 3rd of April. None decides from the data.
    sheet : str or int, optional
        Workbook sheet (name or 0-based position). None takes the first sheet with recognisable order columns.
    sep : str, optional
        Text separator (``","``, ``";"``, ``"\\t"``, ``"|"``, ``"whitespace"``). None detects it.
    encoding : str, optional
        Text encoding. None detects it (BOM, UTF-16, UTF-8, else cp1252).
    drop_refunds : bool
        Keep only paid orders, net refunds and drop non-sales (rule 3 of :mod:`clv_xl.orders`); False keeps
        every row as read.
    zero_amounts : {"auto", "keep", "drop"}
        Orders of 0: ``"auto"`` drops them as verification charges in a file of payments (it has a status or
        transaction type) when the row states no quantity, and keeps them in a file of orders (CDNOW).
    drop_duplicate_order_ids : bool
        Keep only the first row of a repeated order id (rule 5), once refunds are netted.
    paid_statuses, excluded_statuses : iterable of str
        Status values that mean paid / not paid, over the platforms' vocabularies.
    keep_currency : str, optional
        Keep only the orders in this currency (needed when the data mixes currencies).
    on_bad_values : {"raise", "drop"}
        What to do with a date or amount that cannot be read: raise a :class:`~clv_xl.errors.DataError` naming
        the first few (file, row, value), or drop those rows and count them.
    **columns : hashable
        The source column of a role, by the role's keyword (``customer``, ``date``, ``amount``, ``order_id``,
        ``currency``, ``quantity``, ``email``, ``status``, ``transaction_type``, ``refunded``: the records of
        :data:`clv_xl.orders.roles.ROLES`): a label (compared also without case, accents and punctuation) or a
        0-based position. A role not given is found by name; a file without a header line has its customer,
        date and amount columns found from their values.

    Returns
    -------
    pandas.DataFrame
        The canonical order frame; ``attrs["cleaning_report"]`` holds its :class:`CleaningReport`.

    Raises
    ------
    ColumnNotFoundError
        No customer, date or amount column could be found; the message lists the columns and the argument to pass.
    DataError
        The file is missing, empty or binary, values cannot be read, or the data mixes currencies.

    Examples
    --------
    >>> raw = pd.DataFrame({
    ...     "N° client": ["C1", "C2", "C1"],
    ...     "Date de commande": ["31/01/2024", "01/02/2024", "03/02/2024"],
    ...     "Montant TTC": ["1 234,56 €", "10,00 €", "5,5 €"],
    ... })
    >>> orders = read_orders(raw)
    >>> orders
      customer_id order_date   amount
    0          C1 2024-01-31  1234.56
    1          C2 2024-02-01    10.00
    2          C1 2024-02-03     5.50
    >>> orders.dtypes.astype(str).tolist()
    ['str', 'datetime64[ns]', 'float64']
    """
    if on_bad_values not in ("raise", "drop"):
        raise InvalidArgumentError(
            "on_bad_values", f"on_bad_values must be 'raise' or 'drop'; got {on_bad_values!r}"
        )
    if zero_amounts not in ZERO_AMOUNT_RULES:
        raise InvalidArgumentError(
            "zero_amounts", f"zero_amounts must be one of {list(ZERO_AMOUNT_RULES)}; got {zero_amounts!r}"
        )
    unknown = sorted(set(columns) - set(KEYWORDS))
    if unknown:
        raise InvalidArgumentError(
            unknown[0], f"read_orders got an unexpected argument {unknown[0]!r}; the column arguments are "
            + ", ".join(KEYWORDS)
        )
    for name, values in (("paid_statuses", paid_statuses), ("excluded_statuses", excluded_statuses)):
        if isinstance(values, str):
            raise InvalidArgumentError(name, f"{name} must be a list of status values; got the text {values!r}")
    explicit = {KEYWORDS[keyword]: spec for keyword, spec in columns.items()}
    reasons: dict[str, str] = {}
    table, roles = _load(source, explicit, reasons, sheet=sheet, sep=sep, encoding=encoding)
    report, data = _parse(table, roles, reasons, dayfirst=dayfirst, on_bad_values=on_bad_values)
    orders = clean(
        data,
        report,
        source=table.name,
        drop_refunds=drop_refunds,
        drop_duplicate_order_ids=drop_duplicate_order_ids,
        zero_amounts=zero_amounts,
        platform=report.platform,
        paid_statuses=list(paid_statuses),
        excluded_statuses=list(excluded_statuses),
        keep_currency=keep_currency,
    )
    orders.attrs["cleaning_report"] = report
    return orders


# --------------------------------------------------------------------------------------------------- loading


def _load(
    source: Source, explicit: dict[str, ColumnSpec], reasons: dict[str, str], *, sheet: str | int | None,
    sep: str | None, encoding: str | None,
) -> tuple[RawTable, dict[str, Hashable]]:
    """Open the source (stage 1) and find its columns (stage 2)."""
    if isinstance(source, pd.DataFrame):
        if source.empty:
            raise DataError("the DataFrame has no order rows")
        table = RawTable(frame=source, name="the DataFrame", first_row=None)
        if not source.index.is_unique:  # repeated index labels: rows are named by their position instead
            table = RawTable(frame=source.reset_index(drop=True), name="the DataFrame", first_row=0,
                             notes=["index labels repeat: rows are counted from 0"])
        return table, detect_columns(list(source.columns), explicit, source=table.name, reasons=reasons)
    if not isinstance(source, str | os.PathLike):
        raise InvalidArgumentError(
            "source", f"source must be a file path or a pandas DataFrame; got {type(source).__name__}"
        )
    path = as_path(source)
    kind = file_kind(path)
    if kind == "xlsx":
        table = read_excel(path, sheet=sheet, accept=lambda columns: accepts(columns, explicit))
    elif kind == "parquet":
        table = read_parquet(path)
    else:
        layout = sniff_text(path, sep=sep, encoding=encoding)
        if layout.has_header:
            roles = detect_columns(layout.columns, explicit, source=path.name, reasons=reasons)
            text_columns = [roles[r] for r in ("customer_id", "order_id") if r in roles]
            date_column = roles["order_date"]
            iso = all(_PLAIN_ISO.fullmatch(v) for v in layout.sample_values(date_column) if v)
            if iso:
                return read_text(path, layout, text_columns, [date_column]), roles
            return read_text(path, layout, [*text_columns, date_column]), roles
        table = read_text(path, layout, [])
        roles = detect_by_content(table, explicit)
        reasons.update({role: "from its values" for role in roles if role not in explicit})
        return table, roles
    return table, detect_columns(list(table.frame.columns), explicit, source=table.name, reasons=reasons)


def _bad_value_error(table: RawTable, problems: list[tuple[int, str, Hashable, object]]) -> DataError:
    """One line naming the first few unreadable values: (position, what, column, value)."""
    problems = sorted(problems, key=lambda p: p[0])
    shown = ", ".join(
        f"{table.row_label(pos)} {what} {str(value)[:30]!r}" for pos, what, _column, value in problems[:3]
    )
    more = f" and {len(problems) - 3:,} more" if len(problems) > 3 else ""
    columns = " and ".join(dict.fromkeys(repr(str(column)) for _p, _w, column, _v in problems))
    kinds = dict.fromkeys(what for _p, what, _c, _v in problems)
    rules = "".join(f" ({VALUE_RULES[what]})" for what in kinds if what in VALUE_RULES)
    return DataError(
        f"{table.name}: {len(problems):,} value(s) in {columns} cannot be read: {shown}{more}{rules}; "
        "fix them, pass the right column, or skip such rows (--skip-bad-rows; on_bad_values='drop')"
    )


# --------------------------------------------------------------------------------------------------- parsing


def _parse_text(raw: pd.Series) -> ParseResult:
    """Words (statuses, transaction types): stripped text, blanks missing."""
    text = raw.astype("str").str.strip()
    return ParseResult(text.where(raw.notna() & text.ne("")), pd.Series(False, index=raw.index))


def _parse_code(raw: pd.Series) -> ParseResult:
    """Codes (currencies): stripped upper-case text, blanks missing."""
    text = raw.astype("str").str.strip().str.upper()
    return ParseResult(text.where(raw.notna() & text.ne("")), pd.Series(False, index=raw.index))


def _no_bad(parse: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], ParseResult]:
    return lambda raw: ParseResult(parse(raw), pd.Series(False, index=raw.index))


#: Each parser of :attr:`Role.parser <clv_xl.orders.roles.Role.parser>`, given the raw column.
_PARSERS: dict[str, Callable[..., ParseResult]] = {
    "id": _no_bad(clean_ids),
    "email": _no_bad(clean_emails),
    "word": _parse_text,
    "code": _parse_code,
    "number": parse_amounts,
    "amount": parse_amounts,
    "date": parse_dates,
}


def escape_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate written as its escape (``"a\\ud800"``); valid text unchanged.

    Excel cells (and DataFrames) can hold half of a UTF-16 pair, left by a broken paste; no string dtype can, so
    parsing would fail on it. The two halves of a pair that arrive separately are joined first (the character they
    make), so only a truly lone half is escaped. The escape keeps two such ids apart and shows what the cell held
    (it reads like the six characters ``\\ud800`` typed in a cell, the one text it is then confused with).

    Examples
    --------
    >>> escape_lone_surrogates("a\\ud800"), escape_lone_surrogates("x\\ud83d\\ude00") == "x\\U0001f600"
    ('a\\\\ud800', True)
    """
    joined = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    return joined.encode("utf-8", "backslashreplace").decode("utf-8")


def _unicode_safe(frame: pd.DataFrame, columns: Iterable[Hashable]) -> pd.DataFrame:
    """``frame`` with the lone surrogates in the text of ``columns`` escaped (:func:`escape_lone_surrogates`).

    Only object columns can hold one: each is checked with one encode of its texts joined.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["a\\ud800", "a\\udc00", 7], 0: [1, 2, 3]})
    >>> _unicode_safe(frame, ["id", 0])["id"].tolist()
    ['a\\\\ud800', 'a\\\\udc00', 7]
    """
    escaped = {}
    for column in dict.fromkeys(columns):
        values = frame[column]
        if values.dtype != object:
            continue
        try:
            "".join(v for v in values if isinstance(v, str)).encode("utf-8")
        except UnicodeEncodeError:
            escaped[column] = values.map(lambda v: escape_lone_surrogates(v) if isinstance(v, str) else v)
    if not escaped:
        return frame
    frame = frame.copy(deep=False)
    for column, values in escaped.items():  # by label: columns named by numbers stay theirs
        frame[column] = values
    return frame


def _parse(
    table: RawTable, roles: dict[str, Hashable], reasons: dict[str, str], *, dayfirst: bool | None,
    on_bad_values: str,
) -> tuple[CleaningReport, pd.DataFrame]:
    """Parse each role's column (stage 3) and identify customers (stage 4); return the report and the columns."""
    frame = _unicode_safe(table.frame, roles.values())
    report = CleaningReport(source=table.name, rows_read=len(frame), notes=list(table.notes))
    report.platform = reasons.get("platform")
    report.columns = {role: str(column) for role, column in roles.items()}
    report.column_reasons = {role: why for role, why in reasons.items() if role in roles}
    options = {
        "date": {"dayfirst": dayfirst, "dayfirst_hint": table.dayfirst_hint},
        "amount": {"decimal_comma": table.decimal_comma},
    }
    data: dict[str, pd.Series] = {}
    bad = np.zeros(len(frame), dtype=bool)
    problems: list[tuple[int, str, Hashable, object]] = []
    for role in ROLES:
        if role.column not in roles:
            continue
        raw = frame[roles[role.column]]
        parsed = _PARSERS[role.parser](raw, **options.get(role.parser, {}))
        report.notes.extend(parsed.notes)
        if role.required and parsed.bad.any():
            positions = np.flatnonzero(parsed.bad.to_numpy())
            what = "date" if role.parser == "date" else role.parser
            problems.extend((int(p), what, roles[role.column], raw.iloc[p]) for p in positions)
            bad |= parsed.bad.to_numpy()
        data[role.column] = parsed.values
    if problems and on_bad_values == "raise":
        raise _bad_value_error(table, problems)
    identify_customers(frame, roles, data, report)
    _currency_from_amounts(frame[roles["amount"]], data, report)
    if "transaction_type" in data and not _is_transaction_type(data["transaction_type"]):
        del data["transaction_type"]  # a "Type" column of something else (product type, customer type)
        report.columns.pop("transaction_type", None)
        report.column_reasons.pop("transaction_type", None)
    orders = pd.DataFrame({k: v.reset_index(drop=True) for k, v in data.items()})
    if bad.any():
        report.bad_values_dropped = int(bad.sum())
        orders = orders[~bad]
    return report, orders


def _currency_from_amounts(raw: pd.Series, data: dict[str, pd.Series], report: CleaningReport) -> None:
    """Currencies written in the amounts (``€``, ``USD``); per row when they differ and no column says."""
    found = currency_symbols(raw)
    if "currency" in data or not found:
        return
    report.currencies = found
    if len(found) > 1:
        data["_currency"] = row_currencies(raw)


def _is_transaction_type(values: pd.Series) -> bool:
    distinct = values.dropna().unique()
    known = [t for t in transaction_treatments(distinct).values() if t != "unknown"]
    return len(distinct) > 0 and len(known) >= len(distinct) / 2


