"""The MRR table as shown in a sheet: one row per month, the bridge and the customer counts, months as text."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

# the one parser of id/date/amount columns (CLV_SUMMARY's)
from clv_xl.customers.from_columns import _orders_from_columns
from clv_xl.subscriptions.billing import detect_billing
from clv_xl.subscriptions.movements import mrr_movements
from clv_xl.subscriptions.mrr import monthly_mrr

__all__ = ["MRR_TABLE_COLUMNS", "mrr_table", "mrr_table_from_columns"]

#: Columns of :func:`mrr_table`, in order.
MRR_TABLE_COLUMNS: tuple[str, ...] = (
    "month", "mrr_start", "new", "reactivation", "expansion", "contraction", "churn", "mrr_end",
    "customers_start", "new_customers", "reactivated_customers", "churned_customers", "customers_end", "arpa",
)


def mrr_table(movements: pd.DataFrame) -> pd.DataFrame:
    """The bridge of :func:`mrr_movements` with the month as a ``YYYY-MM`` column and a RangeIndex.

    Examples
    --------
    >>> months = pd.period_range("2024-01", periods=2, freq="M")
    >>> mrr = pd.DataFrame([[10.0, 0.0]], index=["a"], columns=months)
    >>> mrr_table(mrr_movements(mrr))[["month", "mrr_end", "churn"]].to_dict("list")
    {'month': ['2024-01', '2024-02'], 'mrr_end': [10.0, 0.0], 'churn': [0.0, 10.0]}
    """
    table = movements.reset_index()
    table["month"] = table["month"].astype(str)
    return table[list(MRR_TABLE_COLUMNS)]


def mrr_table_from_columns(customer_ids: Sequence[object], charge_dates: Sequence[object],
                           amounts: Sequence[object]) -> pd.DataFrame:
    """The MRR table from three equal-length columns of charges (the core of Excel's ``MRR_TABLE``).

    Each customer's plan (monthly, quarterly, yearly) is read from the gaps between their charges
    (:func:`detect_billing`); charges are spread over the months they pay for (:func:`monthly_mrr`).

    Examples
    --------
    >>> table = mrr_table_from_columns(["a", "a", "a", "b"], ["2024-01-05", "2024-02-05", "2024-03-05",
    ...                                                      "2024-01-20"], [10, 10, 15, 30])
    >>> table[["month", "mrr_end", "expansion", "churn"]].to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'month': ['2024-01', '2024-02', '2024-03'], 'mrr_end': [40.0, 10.0, 15.0], 'expansion': [0.0, 0.0, 5.0],
     'churn': [0.0, 30.0, 0.0]}
    """
    orders = _orders_from_columns(customer_ids, charge_dates, amounts)
    decision = detect_billing(orders, business="subscription")
    return mrr_table(mrr_movements(monthly_mrr(orders, decision.plan_months)))
