"""Keep paid orders: statuses, transaction types, refunds and zero-amount verification charges.

Rule 3 of :mod:`clv_xl.orders`, in this order:

1. A status that means *not paid* (failed, cancelled, pending, voided, ``wc-on-hold``, "Erreur de paiement"...)
   drops its rows; a status in no vocabulary is kept as a sale and reported. The vocabularies are data
   (:mod:`~clv_xl.orders.vocabulary`); ``paid_statuses`` / ``excluded_statuses`` override them.
2. A transaction type says what a row is: a sale, a refund (its amount is taken off the order with the same
   id -- or the one its ``refund_of`` column names --, whatever its sign), an authorization / verification, or
   not a sale at all (transfers, withdrawals, currency conversions: dropped).
3. A status that means *refunded*: a negative row is a refund line; a positive row with a refunded-amount
   column is netted by that column; otherwise the order was refunded in full and is dropped.
4. A refunded-amount column is subtracted from its order.
5. Negative rows are netted into the order with the same id (an order refunded in full is dropped); negative
   rows without a matching order are dropped.
6. Zero-amount rows: ``zero_amounts="auto"`` drops them as verification charges when the file records payments
   (it has a status or transaction-type column) and the row lists no item bought; a file of orders
   without statuses (CDNOW) keeps them, as the published CDNOW summaries count them. ``"keep"`` and ``"drop"``
   decide for every file.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clv_xl.orders.intake_report import CleaningReport, StatusSeen
from clv_xl.orders.roles import CLEANING_COLUMNS
from clv_xl.orders.vocabulary import status_treatments, transaction_treatments

__all__ = ["keep_paid", "ZERO_AMOUNT_RULES", "ZERO_KEPT_RULE"]

#: Values of ``zero_amounts``.
ZERO_AMOUNT_RULES: tuple[str, ...] = ("auto", "keep", "drop")


def keep_paid(
    orders: pd.DataFrame,
    report: CleaningReport,
    *,
    platform: str | None = None,
    paid_statuses: Iterable[str] = (),
    excluded_statuses: Iterable[str] = (),
    zero_amounts: str = "auto",
) -> pd.DataFrame:
    """Drop unpaid orders and non-sales, net refunds; the ``status``, ``transaction_type``, ``refunded`` go.

    Parameters
    ----------
    orders : pandas.DataFrame
        Parsed orders with ``amount`` and, when the source has them, ``order_id``, ``quantity``, ``status``,
        ``transaction_type`` and ``refunded``.
    report : CleaningReport
        Its status, refund and verification counts are filled in place.
    platform : str, optional
        The platform the data comes from, whose status vocabulary is tried first.
    paid_statuses, excluded_statuses : iterable of str
        Status values to count as paid / not paid whatever the vocabularies say.
    zero_amounts : {"auto", "keep", "drop"}
        What to do with orders of 0 (see the module notes).

    Returns
    -------
    pandas.DataFrame
        The paid orders, net of their refunds.

    Examples
    --------
    >>> report = CleaningReport(source="x")
    >>> frame = pd.DataFrame({"order_id": ["1", "2", "1", "3"], "amount": [10.0, 5.0, -4.0, 0.0],
    ...                       "status": ["paid", "voided", "paid", "paid"]})
    >>> keep_paid(frame, report)["amount"].tolist()
    [6.0]
    >>> report.unpaid_dropped, report.refunds_netted, report.refunded_amount, report.zero_amounts_dropped
    (1, 1, 4.0, True)
    """
    payment_record = "status" in orders or "transaction_type" in orders
    if "status" in orders:
        orders = _apply_statuses(orders, report, platform, paid_statuses, excluded_statuses)
    if "transaction_type" in orders:
        orders = _apply_transaction_types(orders, report)
    if "refund_of" in orders:
        orders = _refunds_point_to_their_order(orders)
    if "refunded" in orders:
        refunded = orders["refunded"].fillna(0.0).abs().clip(upper=orders["amount"].abs())
        report.refunds_netted += int((refunded > 0).sum())
        report.refunded_amount += float(refunded.sum())
        orders = orders.assign(amount=orders["amount"] - refunded)
        fully = (orders["amount"] <= 0) & (refunded > 0)
        report.refunded_orders_dropped += int(fully.sum())
        orders = orders[~fully.to_numpy()]
    orders = orders.drop(columns=[c for c in CLEANING_COLUMNS if c in orders])
    negative = orders["amount"] < 0
    if negative.any():
        orders = _net_refunds(orders, negative, report)
    return _zero_amounts(orders, report, zero_amounts, payment_record)


def _seen(values: pd.Series, treatment: dict[object, tuple[str, str]]) -> list[StatusSeen]:
    counts = values.value_counts(sort=False)
    seen = [StatusSeen(str(value), *treatment[value], int(n)) for value, n in counts.items()]
    order = {"paid": 0, "refunded": 1, "not paid": 2, "unknown": 3}
    return sorted(seen, key=lambda s: (order.get(s.treatment, 9), -s.rows, s.value))


def _apply_statuses(
    orders: pd.DataFrame, report: CleaningReport, platform: str | None, paid: Iterable[str],
    excluded: Iterable[str],
) -> pd.DataFrame:
    status = orders["status"]
    treatment = status_treatments(status.dropna().unique(), platform, paid=paid, excluded=excluded)
    report.statuses = _seen(status.dropna(), treatment)
    meaning = status.map({value: t for value, (t, _s) in treatment.items()})
    unknown = [s for s in report.statuses if s.treatment == "unknown"]
    if unknown:
        report.unknown_status_rows = sum(s.rows for s in unknown)
        listed = ", ".join(repr(s.value) for s in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        report.warnings.append(
            f"status values in no vocabulary, kept as sales: {listed}; say what they mean with "
            "--paid-status / --exclude-status (paid_statuses= / excluded_statuses=)"
        )
    not_paid = meaning.eq("not paid").to_numpy()
    report.unpaid_dropped = int(not_paid.sum())
    refunded = meaning.eq("refunded") & ~not_paid
    stated = orders["refunded"].fillna(0).ne(0) if "refunded" in orders else pd.Series(False, index=orders.index)
    refund_line = refunded & (orders["amount"] < 0)
    partial = refunded & ~refund_line & stated
    full = (refunded & ~refund_line & ~partial).to_numpy()
    report.cancelled_dropped = int(full.sum())
    report.refunded_amount += float(orders.loc[full, "amount"].clip(lower=0).sum())
    return orders[~(not_paid | full)]


def _apply_transaction_types(orders: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    kinds = orders["transaction_type"]
    treatment = transaction_treatments(kinds.dropna().unique())
    counts = kinds.dropna().value_counts(sort=False)
    report.transaction_types = [StatusSeen(str(v), treatment[v], "transaction type", int(n)) for v, n in counts.items()]
    meaning = kinds.map(treatment)
    verification = meaning.eq("verification").to_numpy()
    report.verifications_dropped += int(verification.sum())
    other = meaning.eq("not a sale").to_numpy()
    report.not_sales_dropped += int(other.sum())
    refund = meaning.eq("refund")
    amounts = orders["amount"].where(~refund, -orders["amount"].abs())
    return orders.assign(amount=amounts)[~(verification | other)]


def _refunds_point_to_their_order(orders: pd.DataFrame) -> pd.DataFrame:
    """A refund row (negative) whose ``refund_of`` names the refunded transaction takes that id as its order id."""
    pointer = orders["refund_of"]
    moved = (orders["amount"] < 0) & pointer.notna()
    if not moved.any():
        return orders
    ids = orders["order_id"] if "order_id" in orders else pd.Series(pd.NA, index=orders.index, dtype="str")
    return orders.assign(order_id=ids.where(~moved, pointer))


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
            before = orders.loc[target, "amount"].copy()
            orders.loc[target, "amount"] += orders.loc[target, "order_id"].map(refunds).astype("float64")
            report.refunded_amount += float((before - orders.loc[target, "amount"].clip(lower=0)).sum())
            matched = negative & orders["order_id"].isin(orders.loc[target, "order_id"])
            report.refunds_netted += int(matched.sum())
            cancelled = target & (orders["amount"] <= 0)
            unmatched = negative & ~matched
    report.refunded_orders_dropped += int(unmatched.sum() + cancelled.sum())
    keep = ~(negative | cancelled)
    return orders[keep.to_numpy()]


#: Why orders of 0 are kept in a file of orders without statuses (the default), as the intake says it.
ZERO_KEPT_RULE = ("kept: a free order is a purchase in a file of orders without statuses (as in the published CDNOW "
                  "summaries); zero_amounts='drop' drops them")


def _zero_amounts(orders: pd.DataFrame, report: CleaningReport, rule: str, payment_record: bool) -> pd.DataFrame:
    zero = orders["amount"].eq(0).to_numpy()
    report.zero_amounts = int(zero.sum())
    if rule == "keep" or not report.zero_amounts:
        report.zero_rule = "kept (as asked)" if rule == "keep" else ""
        return orders
    if rule == "drop":
        drop = zero
        report.zero_rule = "dropped (as asked)"
    elif payment_record:
        bought = orders["quantity"].fillna(0).gt(0).to_numpy() if "quantity" in orders else np.zeros(len(zero), bool)
        drop = zero & ~bought
        report.zero_rule = (
            "the file records payments (it has a status or transaction type): orders of 0 are verification "
            f"charges unless they list items bought; {int(drop.sum()):,} dropped, {int((zero & bought).sum()):,} "
            "kept; zero_amounts='keep' (--zero-amounts keep) keeps them all"
        )
    else:
        report.zero_rule = ZERO_KEPT_RULE
        return orders
    report.zero_amounts_dropped = bool(drop.any())
    return orders[~drop]
