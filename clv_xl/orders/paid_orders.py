"""Keep paid orders: drop orders whose status says no sale, and net refunds into the orders they refund.

Rule 3 of :mod:`clv_xl.orders`: orders whose status says refunded, voided, failed, cancelled or declined are
dropped; a refunded-amount column is subtracted from its order; a negative amount whose order id matches an
order is netted against it (an order refunded in full is dropped); other negative amounts are dropped.
"""

from __future__ import annotations

import pandas as pd

from clv_xl.orders.intake_report import CleaningReport

__all__ = ["keep_paid", "CANCELLED_STATUSES"]

#: Order statuses (lower case, accents stripped) that mean "no sale": such orders are dropped with refunds.
CANCELLED_STATUSES: tuple[str, ...] = (
    "refunded", "voided", "void", "failed", "cancelled", "canceled", "declined",
    "rembourse", "remboursee", "annule", "annulee", "echoue", "echouee",
)


def keep_paid(orders: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    """Drop unpaid orders and net refunds (rule 3); the ``status`` and ``refunded`` columns are removed.

    Parameters
    ----------
    orders : pandas.DataFrame
        Parsed orders with ``amount`` and, when the source has them, ``order_id``, ``status`` and ``refunded``.
    report : CleaningReport
        Its refund and cancellation counts are filled in place.

    Returns
    -------
    pandas.DataFrame
        The paid orders, net of their refunds.

    Examples
    --------
    >>> report = CleaningReport(source="x")
    >>> frame = pd.DataFrame({"order_id": ["1", "2", "1"], "amount": [10.0, 5.0, -4.0],
    ...                       "status": ["paid", "voided", "paid"]})
    >>> keep_paid(frame, report)["amount"].tolist()
    [6.0]
    >>> report.cancelled_dropped, report.refunds_netted
    (1, 1)
    """
    if "status" in orders:
        cancelled = orders["status"].isin(CANCELLED_STATUSES).to_numpy()
        report.cancelled_dropped = int(cancelled.sum())
        orders = orders[~cancelled]
    if "refunded" in orders:
        refunded = orders["refunded"].fillna(0.0).abs()
        report.refunds_netted += int((refunded > 0).sum())
        orders = orders.assign(amount=orders["amount"] - refunded)
        fully = (orders["amount"] <= 0) & (refunded > 0)
        report.refunded_orders_dropped += int(fully.sum())
        orders = orders[~fully.to_numpy()]
    orders = orders.drop(columns=[c for c in ("status", "refunded") if c in orders])
    negative = orders["amount"] < 0
    if negative.any():
        orders = _net_refunds(orders, negative, report)
    return orders


def _net_refunds(orders: pd.DataFrame, negative: pd.Series, report: CleaningReport) -> pd.DataFrame:
    """Net negative rows into the order with the same id; drop the rest and fully refunded orders."""
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
