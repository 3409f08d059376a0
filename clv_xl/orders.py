"""Read order data from files or DataFrames into one canonical frame, and record what was cleaned.

The canonical frame has one row per order: ``customer_id`` (str), ``order_date`` (``datetime64[ns]``, tz-naive),
``amount`` (float64), plus ``order_id`` (str), ``currency`` (str) and ``quantity`` (float64) when the source has
them; sorted by ``(order_date, customer_id)`` with a fresh RangeIndex. Its :class:`CleaningReport` rides along in
``frame.attrs["cleaning_report"]``.

Cleaning rules (each one counted in the report; the switchable ones are keyword arguments):

1. Line items: when several rows share an order id and only the first carries the order-level fields (Shopify),
   the others fill in from it, their quantities add up, and they fold into one order.
2. Rows without a customer, a date or an amount are dropped.
3. ``drop_refunds``: orders whose status column (Shopify "Financial Status", WooCommerce "Order Status", Stripe
   "Status") says refunded, voided, failed, cancelled or declined are dropped; a refunded-amount column (Stripe
   "Amount Refunded") is subtracted from its order; a negative amount whose order id matches an order is netted
   against it (an order refunded in full is dropped); other negative amounts are dropped.
4. ``drop_zero_amounts`` (off by default): orders of 0 are dropped. They are kept by default because a free
   order is still a purchase: the published CDNOW summaries count them.
5. ``drop_duplicate_order_ids``: a repeated order id keeps its first row.
6. Several orders of one customer on one day stay separate rows here; :func:`clv_xl.customers.summarize` counts
   them as one transaction (the convention of the published CDNOW summaries). The report counts them.

Customer ids are text with surrounding spaces removed; whole-number ids stored as numbers lose the ``.0``
(``1001.0`` -> ``"1001"``); ids that are e-mail addresses are lower-cased.
"""

from __future__ import annotations

import os
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from clv_xl._cleaning import clean
from clv_xl._columns import ARGUMENT, REQUIRED_ROLES, ROLES, detect_columns, normalize_name
from clv_xl._parsing import currency_symbols, parse_amounts, parse_dates
from clv_xl._readers import RawTable, as_path, file_kind, read_excel, read_parquet, read_text, sniff_text
from clv_xl.errors import ColumnNotFoundError, DataError, InvalidArgumentError

__all__ = ["CleaningReport", "read_orders", "cleaning_report", "CANONICAL_COLUMNS"]

#: Columns of the canonical frame, in order (the last three only when the source has them).
CANONICAL_COLUMNS: tuple[str, ...] = ROLES

Source = str | os.PathLike[str] | pd.DataFrame
_PLAIN_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?")
_CANCELLED = ("refunded", "voided", "void", "failed", "cancelled", "canceled", "declined", "rembourse", "annule",
              "remboursee", "annulee", "echoue")
ColumnSpec = Hashable | None


@dataclass
class CleaningReport:
    """What :func:`read_orders` read, decided and cleaned.

    Attributes
    ----------
    source : str
        The file (and sheet) or ``"the DataFrame"``.
    rows_read : int
        Data rows in the source.
    orders : int
        Orders kept.
    customers : int
        Distinct customers among the orders kept.
    columns : dict
        Canonical column -> the source column it came from.
    line_items_folded : int
        Line-item rows folded into their order (rule 1).
    missing_customer, missing_date, missing_amount : int
        Rows dropped for lack of a customer, a date or an amount (rule 2; a row is counted once, under the
        first missing field in that order).
    bad_values_dropped : int
        Rows dropped because a value could not be read (only with ``on_bad_values="drop"``).
    refunds_netted : int
        Negative rows netted against their order (rule 3).
    refunded_orders_dropped : int
        Orders whose refunds cancelled them entirely, plus negative rows without a matching order (rule 3).
    cancelled_dropped : int
        Orders dropped because their status says refunded, voided, failed, cancelled or declined (rule 3).
    zero_amounts : int
        Orders of exactly 0 seen (rule 4).
    zero_amounts_dropped : bool
        Whether those were dropped.
    duplicate_order_ids : int
        Repeated order ids dropped (rule 5).
    same_day_orders : int
        Orders on a day when the same customer already ordered (merged into one transaction by ``summarize``).
    currencies : list of str
        Currencies seen in a currency column or as signs in the amounts.
    first_order, last_order : pandas.Timestamp or None
        Date range of the orders kept.
    total_amount : float
        Sum of the amounts kept.
    notes : list of str
        Decisions taken while reading (encoding, separator, date order, sheet).

    Examples
    --------
    >>> frame = pd.DataFrame({"customer": ["a", "a", "b"], "date": ["2024-01-02"] * 3, "amount": [5, -5, 0]})
    >>> report = cleaning_report(read_orders(frame))
    >>> report.orders, report.refunded_orders_dropped, report.zero_amounts
    (2, 1, 1)
    >>> report.to_rows()[0]
    ('Source', 'the DataFrame')
    """

    source: str
    rows_read: int = 0
    orders: int = 0
    customers: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    line_items_folded: int = 0
    missing_customer: int = 0
    missing_date: int = 0
    missing_amount: int = 0
    bad_values_dropped: int = 0
    refunds_netted: int = 0
    refunded_orders_dropped: int = 0
    cancelled_dropped: int = 0
    zero_amounts: int = 0
    zero_amounts_dropped: bool = False
    duplicate_order_ids: int = 0
    same_day_orders: int = 0
    currencies: list[str] = field(default_factory=list)
    first_order: pd.Timestamp | None = None
    last_order: pd.Timestamp | None = None
    total_amount: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_rows(self) -> list[tuple[str, object]]:
        """Return (label, value) pairs for the report's Definitions sheet.

        Returns
        -------
        list of tuple
            Labels in reading order; values are str, int, float or Timestamp.
        """
        columns = ", ".join(f"{role} <- {name!r}" for role, name in self.columns.items())
        return [
            ("Source", self.source),
            ("Read as", "; ".join(self.notes) or "as given"),
            ("Columns", columns),
            ("Rows read", self.rows_read),
            ("Line items folded into their order", self.line_items_folded),
            ("Rows without customer (dropped)", self.missing_customer),
            ("Rows without date (dropped)", self.missing_date),
            ("Rows without amount (dropped)", self.missing_amount),
            ("Rows with unreadable values (dropped)", self.bad_values_dropped),
            ("Refunds netted against their order", self.refunds_netted),
            ("Refunds and negative amounts dropped", self.refunded_orders_dropped),
            ("Refunded, voided, failed or cancelled orders (dropped)", self.cancelled_dropped),
            ("Zero-amount orders " + ("(dropped)" if self.zero_amounts_dropped else "(kept)"), self.zero_amounts),
            ("Duplicate order ids (dropped)", self.duplicate_order_ids),
            ("Same-day orders (one transaction per customer-day in the summary)", self.same_day_orders),
            ("Orders kept", self.orders),
            ("Customers", self.customers),
            ("First order", self.first_order),
            ("Last order", self.last_order),
            ("Total amount", round(self.total_amount, 2)),
            ("Currencies", ", ".join(self.currencies) or "not stated"),
        ]

    def lines(self) -> list[str]:
        """Return a few human lines for the command line (only non-zero cleaning counts).

        Returns
        -------
        list of str
            One summary line, one line of decisions, then one line per cleaning rule that changed something.
        """
        span = ""
        if self.first_order is not None and self.last_order is not None:
            span = f", {self.first_order:%Y-%m-%d} to {self.last_order:%Y-%m-%d}"
        out = [
            f"{self.source}: {self.rows_read:,} rows read, {self.orders:,} orders of {self.customers:,} customers"
            f"{span}, total {self.total_amount:,.2f}" + (f" {'/'.join(self.currencies)}" if self.currencies else ""),
        ]
        if self.notes:
            out.append("read as: " + "; ".join(self.notes))
        if self.columns:
            out.append("columns: " + ", ".join(f"{role} <- {name!r}" for role, name in self.columns.items()))
        skip = {"Source", "Read as", "Columns", "Rows read", "Orders kept", "Customers", "First order",
                "Last order", "Total amount", "Currencies"}
        for label, value in self.to_rows():
            if label not in skip and value:
                out.append(f"{label}: {value:,}")
        return out


def cleaning_report(orders: pd.DataFrame) -> CleaningReport:
    """Return the :class:`CleaningReport` that :func:`read_orders` attached to ``orders``.

    Parameters
    ----------
    orders : pandas.DataFrame
        A frame returned by :func:`read_orders`.

    Returns
    -------
    CleaningReport
        The report.

    Raises
    ------
    InvalidArgumentError
        ``orders`` carries no report (it did not come from :func:`read_orders`, or an operation dropped attrs).

    Examples
    --------
    >>> frame = read_orders(pd.DataFrame({"client": [1], "date": ["2024-01-02"], "total": ["3,50 €"]}))
    >>> cleaning_report(frame).currencies
    ['EUR']
    """
    report = orders.attrs.get("cleaning_report") if isinstance(orders, pd.DataFrame) else None
    if not isinstance(report, CleaningReport):
        raise InvalidArgumentError(
            "orders", "orders carries no cleaning report; pass the frame that read_orders returned"
        )
    return report


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
        table = read_excel(path, sheet=sheet, accept=lambda columns: _accepts(columns, explicit))
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
        return table, _detect_by_content(table, explicit)
    return table, detect_columns(list(table.frame.columns), explicit, source=table.name)


def _accepts(columns: list[Hashable], explicit: Mapping[str, ColumnSpec]) -> bool:
    try:
        detect_columns(columns, explicit)
    except ColumnNotFoundError:
        return False
    return True


def _detect_by_content(table: RawTable, explicit: dict[str, ColumnSpec]) -> dict[str, Hashable]:
    """Roles of a file without header: dates are 8-digit or slashed dates, amounts have decimals, ids come first."""
    frame = table.frame
    columns = list(frame.columns)
    given = {role: spec for role, spec in explicit.items() if spec is not None}
    if all(role in given for role in REQUIRED_ROLES):
        return detect_columns(columns, given, source=table.name)
    sample = frame.head(500).astype(str).apply(lambda s: s.str.strip())
    guessed: dict[str, Hashable] = {}
    for column in columns:
        values = sample[column]
        if "order_date" not in guessed and values.str.fullmatch(
            r"(19|20)\d{2}(0[1-9]|1[0-2])\d{2}|\d{4}-\d{2}-\d{2}.*|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}.*"
        ).all():
            guessed["order_date"] = column
    for column in reversed(columns):
        values = sample[column]
        if column != guessed.get("order_date") and values.str.fullmatch(r"-?\d+([.,]\d+)?").all() and (
            values.str.contains(r"[.,]\d{2}$").any()
        ):
            guessed["amount"] = column
            break
    for column in columns:
        if column not in guessed.values():
            guessed["customer_id"] = column
            break
    merged = {**guessed, **given}
    missing = [role for role in REQUIRED_ROLES if role not in merged]
    if missing:
        raise ColumnNotFoundError(
            f"{table.name} has no header line and its {' and '.join(ARGUMENT[r] for r in missing)} column "
            f"could not be told from the values; columns found: {', '.join(map(str, columns))}; pass "
            + " ".join(f"{ARGUMENT[r]}=<0-based position>" for r in missing)
        )
    table.notes.append(
        "columns found from their values: "
        + ", ".join(f"{ARGUMENT[r]}={merged[r]!r}" for r in REQUIRED_ROLES if r in guessed and r not in given)
    )
    return detect_columns(columns, merged, source=table.name)


# --------------------------------------------------------------------------------------------------- cleaning


def _clean_ids(raw: pd.Series) -> pd.Series:
    """Customer/order ids as stripped text; whole numbers lose ``.0``; e-mails are lower-cased; blanks missing."""
    if pd.api.types.is_float_dtype(raw.dtype):
        whole = raw.notna() & (raw == np.floor(raw))
        text = raw.astype("str").where(~whole, raw.where(whole).astype("Int64").astype("str"))
    elif raw.dtype == object:
        text = raw.map(
            lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else v, na_action="ignore"
        ).astype("str")
    else:
        text = raw.astype("str")
    text = text.str.strip()
    text = text.where(text.ne("") & raw.notna())
    emails = text.str.contains("@", regex=False, na=False)
    if emails.any():  # an address, not any text with an @ (checked only where there is one: fast on 1M ids)
        emails[emails] = text[emails].str.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", na=False)
    if emails.any():
        text = text.where(~emails, text.str.lower())
    return text


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

    data: dict[str, pd.Series] = {"customer_id": _clean_ids(frame[roles["customer_id"]])}
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
        data["order_id"] = _clean_ids(frame[roles["order_id"]])
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
