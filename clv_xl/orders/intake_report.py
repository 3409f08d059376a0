"""The intake summary: what :func:`clv_xl.orders.read_orders` read, decided and dropped, in the analyst's words.

Every stage of reading writes its decisions and counts into one :class:`CleaningReport`, which rides along in
``frame.attrs["cleaning_report"]``. :meth:`CleaningReport.lines` is what ``clv-xl report``, ``summary`` and
``inspect`` print; :meth:`CleaningReport.to_rows` is what the report's Data sheet shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clv_xl.errors import InvalidArgumentError
from clv_xl.orders.roles import ROLE

__all__ = ["CleaningReport", "StatusSeen", "cleaning_report"]


@dataclass
class StatusSeen:
    """One status (or transaction type) value seen in the data and what was done with its rows."""

    value: str
    treatment: str
    source: str
    rows: int

    def text(self) -> str:
        """Return ``'wc-failed' not paid (woocommerce): 3 rows``."""
        return f"{self.value!r} {self.treatment} ({self.source}): {self.rows:,} row{'s' if self.rows != 1 else ''}"


@dataclass
class CleaningReport:
    """What :func:`~clv_xl.orders.read_orders` read, decided and cleaned.

    Attributes
    ----------
    source : str
        The file (and sheet) or ``"the DataFrame"``.
    rows_read : int
        Data rows in the source.
    orders, customers : int
        Orders kept, and distinct customers among them.
    columns : dict
        Role -> the source column it came from.
    column_reasons : dict
        Role -> why that column was taken (``known name``, ``as given``...).
    platform : str or None
        The platform whose export this looks like (from its column names).
    identity : str
        How customers were identified.
    guest_rows_by_email : int
        Rows whose customer id was blank, 0 or a guest marker, identified by their e-mail instead.
    line_items_folded : int
        Line-item rows folded into their order.
    missing_customer, missing_date, missing_amount : int
        Rows dropped for lack of a customer, a date or an amount (a row is counted once, under the first).
    bad_values_dropped : int
        Rows dropped because a value could not be read (only with ``on_bad_values="drop"``).
    statuses : list of StatusSeen
        Each status value seen, its treatment, where the treatment came from, and its rows.
    transaction_types : list of StatusSeen
        Each transaction type seen (sale, refund, verification, unknown) and its rows.
    unpaid_dropped : int
        Rows dropped because their status says not paid (failed, cancelled, pending, voided...).
    cancelled_dropped : int
        Orders dropped because their status says refunded in full (or not paid).
    unknown_status_rows : int
        Rows kept although their status is in no vocabulary.
    verifications_dropped : int
        Authorization / verification transactions dropped (by their transaction type).
    not_sales_dropped : int
        Rows whose transaction type is not a sale (transfers, withdrawals, currency conversions), dropped.
    refunds_netted : int
        Refund rows or refunded amounts netted against their order.
    refunded_amount : float
        Money taken off the revenue by refunds (netted amounts plus orders refunded in full).
    refunded_orders_dropped : int
        Orders whose refunds cancelled them entirely, plus negative rows without a matching order.
    zero_amounts : int
        Orders of exactly 0 seen among the paid orders.
    zero_amounts_dropped : bool
        Whether those were dropped (as verification charges, or because asked).
    zero_rule : str
        Why zero-amount orders were kept or dropped.
    duplicate_order_ids : int
        Repeated order ids dropped.
    other_currency_dropped : int
        Orders in another currency than the one chosen, dropped.
    same_day_orders : int
        Orders on a day when the same customer already ordered (one transaction per customer-day in summaries).
    currencies : list of str
        Currencies of the orders kept (a currency column, or signs and codes in the amounts).
    first_order, last_order : pandas.Timestamp or None
        Date range of the orders kept.
    total_amount : float
        Sum of the amounts kept.
    notes : list of str
        Decisions taken while reading (encoding, separator, date order, sheet).
    warnings : list of str
        Things the analyst must check (a customer key that looks like names, unknown statuses).

    Examples
    --------
    >>> from clv_xl.orders import read_orders
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
    column_reasons: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    identity: str = ""
    guest_rows_by_email: int = 0
    line_items_folded: int = 0
    missing_customer: int = 0
    missing_date: int = 0
    missing_amount: int = 0
    bad_values_dropped: int = 0
    statuses: list[StatusSeen] = field(default_factory=list)
    transaction_types: list[StatusSeen] = field(default_factory=list)
    unpaid_dropped: int = 0
    cancelled_dropped: int = 0
    unknown_status_rows: int = 0
    verifications_dropped: int = 0
    not_sales_dropped: int = 0
    refunds_netted: int = 0
    refunded_amount: float = 0.0
    refunded_orders_dropped: int = 0
    zero_amounts: int = 0
    zero_amounts_dropped: bool = False
    zero_rule: str = ""
    duplicate_order_ids: int = 0
    other_currency_dropped: int = 0
    same_day_orders: int = 0
    currencies: list[str] = field(default_factory=list)
    first_order: pd.Timestamp | None = None
    last_order: pd.Timestamp | None = None
    total_amount: float = 0.0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def currency(self) -> str | None:
        """The one currency of the orders kept, or None when none or several are stated."""
        return self.currencies[0] if len(self.currencies) == 1 else None

    def _columns_text(self) -> str:
        parts = []
        for role, name in self.columns.items():
            why = f" ({self.column_reasons[role]})" if role in self.column_reasons else ""
            parts.append(f"{ROLE[role].keyword if role in ROLE else role} <- {name!r}{why}")
        return "; ".join(parts)

    def _drops(self) -> list[tuple[str, int]]:
        """(label, count) of every cleaning rule, in the order they apply."""
        zero = "Zero-amount orders " + ("(dropped)" if self.zero_amounts_dropped else "(kept)")
        return [
            ("Line items folded into their order", self.line_items_folded),
            ("Rows without customer (dropped)", self.missing_customer),
            ("Rows without date (dropped)", self.missing_date),
            ("Rows without amount (dropped)", self.missing_amount),
            ("Rows with unreadable values (dropped)", self.bad_values_dropped),
            ("Not paid: failed, cancelled, pending... (dropped)", self.unpaid_dropped),
            ("Refunded in full (dropped)", self.cancelled_dropped),
            ("Status unknown (kept as sales)", self.unknown_status_rows),
            ("Authorizations and verification charges (dropped)", self.verifications_dropped),
            ("Transfers, withdrawals, conversions: not sales (dropped)", self.not_sales_dropped),
            ("Refunds netted against their order", self.refunds_netted),
            ("Refunds and negative amounts dropped", self.refunded_orders_dropped),
            (zero, self.zero_amounts),
            ("Duplicate order ids (dropped)", self.duplicate_order_ids),
            ("Orders in another currency (dropped)", self.other_currency_dropped),
            ("Same-day orders (one transaction per customer-day in the summary)", self.same_day_orders),
        ]

    def to_rows(self) -> list[tuple[str, object]]:
        """Return (label, value) pairs for the report's Data sheet.

        Returns
        -------
        list of tuple
            Labels in reading order; values are str, int, float or Timestamp.
        """
        rows: list[tuple[str, object]] = [
            ("Source", self.source),
            ("Platform", self.platform or "not recognised (generic columns)"),
            ("Read as", "; ".join(self.notes) or "as given"),
            ("Columns", self._columns_text()),
            ("Customers identified by", self.identity or "the customer column"),
            ("Rows read", self.rows_read),
            ("Guest rows identified by e-mail", self.guest_rows_by_email),
        ]
        rows += self._drops()
        rows += [(f"Status {s.value!r}", f"{s.treatment} ({s.source}), {s.rows:,} rows") for s in self.statuses]
        rows += [(f"Transaction type {s.value!r}", f"{s.treatment}, {s.rows:,} rows") for s in self.transaction_types]
        rows += [
            ("Refunded amount taken off", round(self.refunded_amount, 2)),
            ("Zero-amount rule", self.zero_rule or "kept"),
            ("Orders kept", self.orders),
            ("Customers", self.customers),
            ("First order", self.first_order),
            ("Last order", self.last_order),
            ("Total amount", round(self.total_amount, 2)),
            ("Currencies", ", ".join(self.currencies) or "not stated"),
        ]
        rows += [("Warning", text) for text in self.warnings]
        return rows

    def lines(self) -> list[str]:
        """Return the intake summary for the command line (cleaning counts only when not zero).

        Returns
        -------
        list of str
            What was read, the decisions, each rule that changed something, statuses, currency, warnings.
        """
        span = ""
        if self.first_order is not None and self.last_order is not None:
            span = f", {self.first_order:%Y-%m-%d} to {self.last_order:%Y-%m-%d}"
        out = [
            f"{self.source}: {self.rows_read:,} rows read, {self.orders:,} orders of {self.customers:,} customers"
            f"{span}, total {self.total_amount:,.2f}" + (f" {'/'.join(self.currencies)}" if self.currencies else ""),
        ]
        if self.platform:
            out.append(f"platform: {self.platform} (recognised from its columns)")
        if self.notes:
            out.append("read as: " + "; ".join(self.notes))
        if self.columns:
            out.append("columns: " + self._columns_text())
        if self.identity:
            out.append("customers: " + self.identity)
        if self.guest_rows_by_email:
            out.append(f"Guest rows identified by e-mail: {self.guest_rows_by_email:,}")
        for label, value in self._drops():
            if value:
                out.append(f"{label}: {value:,}")
        if self.statuses:
            out.append("statuses: " + "; ".join(s.text() for s in self.statuses))
        if self.transaction_types:
            out.append("transaction types: " + "; ".join(s.text() for s in self.transaction_types))
        if self.refunded_amount:
            out.append(f"refunds taken off the revenue: {self.refunded_amount:,.2f}")
        if self.zero_rule and self.zero_amounts:
            out.append("zero amounts: " + self.zero_rule)
        out.append("currency: " + (", ".join(self.currencies) or "not stated in the data"))
        out += [f"warning: {text}" for text in self.warnings]
        return out


def cleaning_report(orders: pd.DataFrame) -> CleaningReport:
    """Return the :class:`CleaningReport` that :func:`~clv_xl.orders.read_orders` attached to ``orders``.

    Parameters
    ----------
    orders : pandas.DataFrame
        A frame returned by :func:`~clv_xl.orders.read_orders`.

    Returns
    -------
    CleaningReport
        The report.

    Raises
    ------
    InvalidArgumentError
        ``orders`` carries no report (it did not come from ``read_orders``, or an operation dropped attrs).

    Examples
    --------
    >>> from clv_xl.orders import read_orders
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
