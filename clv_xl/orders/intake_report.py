"""The record of what :func:`clv_xl.orders.read_orders` read, decided and cleaned.

Every stage of reading writes its decisions and counts into one :class:`CleaningReport`, which rides along in
``frame.attrs["cleaning_report"]`` and is printed by the command line and written in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clv_xl.errors import InvalidArgumentError

__all__ = ["CleaningReport", "cleaning_report"]


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
