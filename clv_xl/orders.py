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

from clv_xl._columns import ARGUMENT, REQUIRED_ROLES, ROLES, detect_columns
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
        "fix them, pass the right column, or on_bad_values='drop'"
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
        data["status"] = frame[roles["status"]].astype("str").str.strip().str.lower().where(
            frame[roles["status"]].notna()
        )
    if "refunded" in roles:
        data["refunded"] = parse_amounts(frame[roles["refunded"]]).values
    report.currencies = sorted(currencies)
    orders = pd.DataFrame(data).reset_index(drop=True)
    bad = bad.reset_index(drop=True)
    if bad.any():
        report.bad_values_dropped = int(bad.sum())
        orders = orders[~bad.to_numpy()]

    repeated_ids = "order_id" in orders and _has_duplicates(orders["order_id"])
    if repeated_ids:
        orders = _fold_line_items(orders, report)
    orders = _drop_missing(orders, report)
    if drop_refunds and "status" in orders:
        cancelled = orders["status"].isin(_CANCELLED).to_numpy()
        report.cancelled_dropped = int(cancelled.sum())
        orders = orders[~cancelled]
    if drop_refunds and "refunded" in orders:
        refunded = orders["refunded"].fillna(0.0).abs()
        report.refunds_netted += int((refunded > 0).sum())
        orders = orders.assign(amount=orders["amount"] - refunded)
        fully = (orders["amount"] <= 0) & (refunded > 0)
        report.refunded_orders_dropped += int(fully.sum())
        orders = orders[~fully.to_numpy()]
    orders = orders.drop(columns=[c for c in ("status", "refunded") if c in orders])
    negative = orders["amount"] < 0
    if drop_refunds and negative.any():
        orders = _net_refunds(orders, negative, report)
    zero = orders["amount"] == 0
    report.zero_amounts = int(zero.sum())
    report.zero_amounts_dropped = drop_zero_amounts
    if drop_zero_amounts and report.zero_amounts:
        orders = orders[~zero.to_numpy()]
    if drop_duplicate_order_ids and repeated_ids:
        duplicated = orders["order_id"].notna() & orders["order_id"].duplicated()
        report.duplicate_order_ids = int(duplicated.sum())
        if report.duplicate_order_ids:
            orders = orders[~duplicated.to_numpy()]
    if orders.empty:
        raise DataError(f"{table.name}: no orders left after cleaning ({report.rows_read:,} rows read)")

    orders, codes = _sort(orders)
    days = orders["order_date"].to_numpy().astype("datetime64[D]").astype("int64")
    key = codes.astype("int64") * (int(days.max() - days.min()) + 1) + (days - days.min())
    report.same_day_orders = int(pd.Series(key).duplicated().sum())
    report.orders = len(orders)
    report.customers = int(codes.max()) + 1
    report.first_order = orders["order_date"].iloc[0]
    report.last_order = orders["order_date"].max()
    report.total_amount = float(orders["amount"].sum())
    orders.attrs["cleaning_report"] = report
    return orders


def _has_duplicates(values: pd.Series) -> bool:
    """Whether non-missing ``values`` repeat; whole-number ids are compared as integers (much cheaper)."""
    present = values.dropna()
    if len(present) == 0:
        return False
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(present.astype("str"))
        if not pc.all(pc.match_substring_regex(text, r"^[1-9][0-9]{0,17}$")).as_py():
            return bool(present.duplicated().any())  # not plain whole numbers ("0012" and "12" differ)
        numbers = np.sort(pc.cast(text, pa.int64()).to_numpy())
    except (ValueError, TypeError, ArithmeticError, NotImplementedError, ImportError):
        return bool(present.duplicated().any())
    return bool((numbers[1:] == numbers[:-1]).any())


def _sort(orders: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Sort by (order_date, customer_id), stably, with a fresh RangeIndex; also return sorted customer codes.

    Customers are ranked once (a sorted factorize); the sort then runs on integers only: one key
    ``date x customers + rank`` when it fits in 64 bits, else two stable passes (rank, then date).
    """
    codes, uniques = pd.factorize(orders["customer_id"], sort=True)
    dates = orders["order_date"].to_numpy().view("int64")
    same_date = dates[1:] == dates[:-1]
    if np.all(dates[1:] >= dates[:-1]) and np.all(codes[1:][same_date] >= codes[:-1][same_date]):
        return orders.reset_index(drop=True), codes  # already in order (exports usually are)
    offset = dates - dates.min()
    step = 1
    for unit in (86_400 * 10**9, 10**9, 10**6, 10**3):  # coarsest resolution that keeps every timestamp
        if not (offset % unit).any():
            step = unit
            break
    scaled = offset // step
    n = max(len(uniques), 1)
    if int(scaled.max()) < (2**62) // n:
        order = np.argsort(scaled * n + codes, kind="stable")
    else:
        by_customer = np.argsort(codes, kind="stable")
        order = by_customer[np.argsort(dates[by_customer], kind="stable")]
    return orders.take(order).reset_index(drop=True), codes[order]


def _fold_line_items(orders: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    """Fold line-item rows (same order id, no amount) into their order's first row (rule 1)."""
    has_id = orders["order_id"].notna()
    groups = orders[has_id].groupby("order_id", sort=False)
    with_amount = groups["amount"].transform("count")
    line_item = pd.Series(False, index=orders.index)
    line_item[has_id] = orders.loc[has_id, "amount"].isna() & (with_amount > 0)
    if not line_item.any():
        return orders
    filled = orders.copy()
    for column in ("customer_id", "order_date", "currency", "status"):
        if column in filled:
            filled.loc[has_id, column] = groups[column].transform("first")
    if "quantity" in filled:
        filled.loc[has_id, "quantity"] = groups["quantity"].transform("sum")
    report.line_items_folded = int(line_item.sum())
    return filled[~line_item.to_numpy()]


def _drop_missing(orders: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    keep = pd.Series(True, index=orders.index)
    for column, attribute in (
        ("customer_id", "missing_customer"), ("order_date", "missing_date"), ("amount", "missing_amount")
    ):
        missing = keep & orders[column].isna()
        setattr(report, attribute, int(missing.sum()))
        keep &= ~missing
    return orders if keep.all() else orders[keep.to_numpy()]


def _net_refunds(orders: pd.DataFrame, negative: pd.Series, report: CleaningReport) -> pd.DataFrame:
    """Net negative rows into the order with the same id; drop the rest and fully refunded orders (rule 3)."""
    orders = orders.copy()
    unmatched = negative.copy()
    cancelled = pd.Series(False, index=orders.index)
    if "order_id" in orders:
        refunds = orders[negative & orders["order_id"].notna()].groupby("order_id")["amount"].sum()
        positive = ~negative & orders["order_id"].notna()
        first_of_order = positive & ~orders["order_id"].where(positive).duplicated()
        target = first_of_order & orders["order_id"].isin(refunds.index)
        if target.any():
            orders.loc[target, "amount"] += orders.loc[target, "order_id"].map(refunds).astype("float64")
            matched = negative & orders["order_id"].isin(orders.loc[target, "order_id"])
            report.refunds_netted += int(matched.sum())
            cancelled = target & (orders["amount"] <= 0)
            unmatched = negative & ~matched
    report.refunded_orders_dropped += int(unmatched.sum() + cancelled.sum())
    dropped = cancelled
    keep = ~(negative | dropped)
    return orders[keep.to_numpy()]

