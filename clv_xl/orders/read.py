"""read_orders: the one entry point that takes an order file or DataFrame through every stage of reading.

See :mod:`clv_xl.orders` for the canonical frame and the cleaning rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Hashable
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

from clv_xl.errors import DataError, InvalidArgumentError
from clv_xl.orders.canonical import clean
from clv_xl.orders.find_columns import ROLES, accepts, detect_by_content, detect_columns, normalize_name
from clv_xl.orders.identify_customers import clean_ids
from clv_xl.orders.intake_report import CleaningReport
from clv_xl.orders.open_file import RawTable, as_path, file_kind, read_excel, read_parquet, read_text, sniff_text
from clv_xl.orders.parse_values import currency_symbols, parse_amounts, parse_dates

__all__ = ["read_orders", "CANONICAL_COLUMNS"]

#: Columns of the canonical frame, in order (the last three only when the source has them).
CANONICAL_COLUMNS: tuple[str, ...] = ROLES

Source: TypeAlias = str | os.PathLike[str] | pd.DataFrame
_PLAIN_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?")
ColumnSpec = Hashable | None


def read_orders(
    source: Source,
    *,
    customer: ColumnSpec = None,
    date: ColumnSpec = None,
    amount: ColumnSpec = None,
    order_id: ColumnSpec = None,
    currency: ColumnSpec = None,
    quantity: ColumnSpec = None,
    dayfirst: bool | None = None,
    sheet: str | int | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    drop_refunds: bool = True,
    drop_zero_amounts: bool = False,
    drop_duplicate_order_ids: bool = True,
    on_bad_values: Literal["raise", "drop"] = "raise",
) -> pd.DataFrame:
    """Read orders from a file or DataFrame into the canonical order frame.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A CSV/TSV/TXT file (separator, encoding and header found from the file), an XLSX workbook, a Parquet
        file (the kind is read from the file's first bytes), or a DataFrame (never modified).
    customer, date, amount, order_id, currency, quantity : hashable, optional
        The source column for each field: a label (compared also without case, accents and punctuation) or a
        0-based position. None finds it by name (English, French, Shopify, WooCommerce, Stripe, CDNOW); a file
        without a header line has its customer, date and amount columns found from their values.
    dayfirst : bool, optional
        Whether ``03/04/2024`` is the 3rd of April. None decides from the data.
    sheet : str or int, optional
        Workbook sheet (name or 0-based position). None takes the first sheet with recognisable order columns.
    sep : str, optional
        Text separator (``","``, ``";"``, ``"\\t"``, ``"|"``, ``"whitespace"``). None detects it.
    encoding : str, optional
        Text encoding. None detects it (BOM, UTF-16, UTF-8, else cp1252).
    drop_refunds : bool
        Net refunds against their order and drop other negative amounts (rule 3 of the module notes).
    drop_zero_amounts : bool
        Drop orders of 0 (rule 4; off by default, as the CDNOW conventions count them).
    drop_duplicate_order_ids : bool
        Keep only the first row of a repeated order id (rule 5).
    on_bad_values : {"raise", "drop"}
        What to do with a date or amount that cannot be read: raise a :class:`~clv_xl.errors.DataError` naming
        the first few (file, row, value), or drop those rows and count them.

    Returns
    -------
    pandas.DataFrame
        The canonical order frame; ``attrs["cleaning_report"]`` holds its :class:`CleaningReport`.

    Raises
    ------
    ColumnNotFoundError
        No customer, date or amount column could be found; the message lists the columns and the argument to pass.
    DataError
        The file is missing, empty or binary, or values cannot be read.

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
    explicit = {
        "customer_id": customer, "order_date": date, "amount": amount,
        "order_id": order_id, "currency": currency, "quantity": quantity,
    }
    table, roles = _load(source, explicit, sheet=sheet, sep=sep, encoding=encoding)
    return _canonical(
        table,
        roles,
        dayfirst=dayfirst,
        drop_refunds=drop_refunds,
        drop_zero_amounts=drop_zero_amounts,
        drop_duplicate_order_ids=drop_duplicate_order_ids,
        on_bad_values=on_bad_values,
    )


# --------------------------------------------------------------------------------------------------- loading


def _load(
    source: Source, explicit: dict[str, ColumnSpec], *, sheet: str | int | None, sep: str | None,
    encoding: str | None,
) -> tuple[RawTable, dict[str, Hashable]]:
    if isinstance(source, pd.DataFrame):
        if source.empty:
            raise DataError("the DataFrame has no order rows")
        table = RawTable(frame=source, name="the DataFrame", first_row=None)
        return table, detect_columns(list(source.columns), explicit, source=table.name)
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
            roles = detect_columns(layout.columns, explicit, source=path.name)
            text_columns = [roles[r] for r in ("customer_id", "order_id") if r in roles]
            date_column = roles["order_date"]
            iso = all(_PLAIN_ISO.fullmatch(v) for v in layout.sample_values(date_column) if v)
            if iso:
                return read_text(path, layout, text_columns, [date_column]), roles
            return read_text(path, layout, [*text_columns, date_column]), roles
        table = read_text(path, layout, [])
        return table, detect_by_content(table, explicit)
    return table, detect_columns(list(table.frame.columns), explicit, source=table.name)


def _bad_value_error(table: RawTable, problems: list[tuple[int, str, Hashable, object]]) -> DataError:
    """One line naming the first few unreadable values: (position, what, column, value)."""
    problems = sorted(problems, key=lambda p: p[0])
    shown = ", ".join(
        f"{table.row_label(pos)} {what} {str(value)[:30]!r}" for pos, what, _column, value in problems[:3]
    )
    more = f" and {len(problems) - 3:,} more" if len(problems) > 3 else ""
    columns = " and ".join(dict.fromkeys(repr(str(column)) for _p, _w, column, _v in problems))
    return DataError(
        f"{table.name}: {len(problems):,} value(s) in {columns} cannot be read: {shown}{more}; "
        "fix them, pass the right column, or skip such rows (--skip-bad-rows; on_bad_values='drop')"
    )


def _canonical(
    table: RawTable,
    roles: dict[str, Hashable],
    *,
    dayfirst: bool | None,
    drop_refunds: bool,
    drop_zero_amounts: bool,
    drop_duplicate_order_ids: bool,
    on_bad_values: str,
) -> pd.DataFrame:
    frame = table.frame
    report = CleaningReport(source=table.name, rows_read=len(frame), notes=list(table.notes))
    report.columns = {role: str(column) for role, column in roles.items()}

    data: dict[str, pd.Series] = {"customer_id": clean_ids(frame[roles["customer_id"]])}
    dates = parse_dates(frame[roles["order_date"]], dayfirst=dayfirst, dayfirst_hint=table.dayfirst_hint)
    amounts = parse_amounts(frame[roles["amount"]], decimal_comma=table.decimal_comma)
    report.notes.extend(dates.notes)
    bad = pd.Series(False, index=frame.index)
    problems: list[tuple[int, str, Hashable, object]] = []
    for what, role, parsed in (("date", "order_date", dates), ("amount", "amount", amounts)):
        if parsed.bad.any():
            positions = np.flatnonzero(parsed.bad.to_numpy())
            raw = frame[roles[role]]
            problems.extend((int(p), what, roles[role], raw.iloc[p]) for p in positions)
            bad |= parsed.bad.to_numpy()
    if problems and on_bad_values == "raise":
        raise _bad_value_error(table, problems)
    data["order_date"] = dates.values
    data["amount"] = amounts.values
    currencies = set(currency_symbols(frame[roles["amount"]]))
    if "order_id" in roles:
        data["order_id"] = clean_ids(frame[roles["order_id"]])
    if "currency" in roles:
        cur = frame[roles["currency"]].astype("str").str.strip().str.upper()
        data["currency"] = cur.where(frame[roles["currency"]].notna() & cur.ne(""))
        currencies |= set(data["currency"].dropna().unique())
    if "quantity" in roles:
        qty = parse_amounts(frame[roles["quantity"]])
        data["quantity"] = qty.values
    if "status" in roles:
        status = frame[roles["status"]]
        words = {value: normalize_name(value) for value in status.dropna().unique()}
        data["status"] = status.map(words, na_action="ignore").astype("str")
    if "refunded" in roles:
        data["refunded"] = parse_amounts(frame[roles["refunded"]]).values
    report.currencies = sorted(currencies)
    orders = pd.DataFrame(data).reset_index(drop=True)
    bad = bad.reset_index(drop=True)
    if bad.any():
        report.bad_values_dropped = int(bad.sum())
        orders = orders[~bad.to_numpy()]

    orders = clean(
        orders,
        report,
        source=table.name,
        drop_refunds=drop_refunds,
        drop_zero_amounts=drop_zero_amounts,
        drop_duplicate_order_ids=drop_duplicate_order_ids,
    )
    orders.attrs["cleaning_report"] = report
    return orders
