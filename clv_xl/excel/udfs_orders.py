"""The Excel functions that read order rows: the per-customer summary and the cohort retention matrix.

Imported (and registered) through :mod:`clv_xl.excel.udfs`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from clv_xl import customers
from clv_xl.excel._cells import CellRange
from clv_xl.excel._udf_support import Arg, excel_function

__all__ = ["CLV_SUMMARY", "COHORT_RETENTION", "CustomerIds", "OrderDates"]

CustomerIds = Annotated[CellRange, Arg("Customer id of each order (a column: id, email, ...).")]
OrderDates = Annotated[CellRange, Arg("Order date of each order (a column of dates), same length as customer_ids.")]


@excel_function(definition="lifetimes / Fader-Hardie conventions; see [Order data](#order-data)")
def CLV_SUMMARY(  # noqa: N802
    customer_ids: CustomerIds,
    order_dates: OrderDates,
    amounts: Annotated[CellRange, Arg("Amount of each order (a column of numbers), same length as customer_ids.")],
    observation_end: Annotated[
        dt.datetime | None, Arg("Last day of the observation period (optional; empty = the last order date).")
    ] = None,
    time_unit: Annotated[
        str, Arg("Unit of recency and T: D (days), W (weeks), M (months) or Y (years).")
    ] = "D",
) -> object:
    """Per-customer summary table: frequency, recency, T, monetary value, revenue, AOV, segment (spills)."""
    return customers.summary_from_columns(customer_ids, order_dates, amounts, observation_end, time_unit)


@excel_function(definition="active customers / cohort size")
def COHORT_RETENTION(  # noqa: N802
    customer_ids: CustomerIds,
    order_dates: OrderDates,
    period: Annotated[str, Arg("Cohort period: D, W, M (month), Q or Y.")] = "M",
) -> object:
    """Cohort retention matrix: share of each acquisition cohort still buying, per period (spills)."""
    return customers.cohort_retention_from_columns(customer_ids, order_dates, period)


