"""Turn canonical orders into customers: the per-customer summary, acquisition cohorts.

Modules, by stage: :mod:`~clv_xl.customers.aggregate` (per-customer aggregates of canonical orders with numpy,
the pandas engine), :mod:`~clv_xl.customers.derived` (the derived columns, defined once for every engine,
whole or chunk by chunk), :mod:`~clv_xl.customers.cohorts` (acquisition cohorts),
:mod:`~clv_xl.customers.from_columns` (the same from columns of Excel cells).

Definitions (written once here, shown in the report's Definitions sheet through :data:`SUMMARY_DEFINITIONS`):

- A *transaction* is a customer's purchase day: several orders of one customer on one day are one transaction
  whose amount is their sum (the convention of Fader & Hardie's published CDNOW summaries and of ``lifetimes``).
- ``frequency`` = transactions - 1 (repeat purchases); ``recency`` = first to last transaction; ``T`` = first
  transaction to ``observation_end``; ``monetary_value`` = mean amount of the repeat transactions (the first one
  left out), 0 for customers without repeat purchases.
- ``time_unit``: ``"D"`` days, ``"W"`` weeks = days / 7, ``"M"`` months = days / 30.4375 (365.25 / 12),
  ``"Y"`` years = days / 365.25; measured continuously between calendar days, never floored.
- ``orders`` = orders (rows) of the customer; ``revenue`` = their amounts' sum; ``aov`` = revenue / orders;
  ``historical_clv`` = revenue to date x ``margin`` (the value the customer has already brought, undiscounted).
- ``segment``: customers sorted by revenue, largest first; "High" while the revenue of the customers before them
  is under the first share of the total (80 % by default), "Mid" under the second (95 %), else "Low" - the ABC
  (Pareto) analysis: High customers bring about 80 % of revenue, Mid the next 15 %, Low the last 5 %.
- Churn by period is in :mod:`clv_xl.churn`.
"""

from __future__ import annotations

from clv_xl.customers.aggregate import summarize, summary_table
from clv_xl.customers.cohorts import PERIODS, cohort_matrix, cohorts
from clv_xl.customers.derived import (
    AGGREGATE_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_DEFINITIONS,
    CustomerSummary,
    customer_summary,
    observation_end_day,
    summary_from_aggregates,
)
from clv_xl.customers.from_columns import cohort_retention_from_columns, summary_from_columns
from clv_xl.validation import TIME_UNITS, parse_date

__all__ = [
    "SUMMARY_COLUMNS",
    "SUMMARY_DEFINITIONS",
    "TIME_UNITS",
    "PERIODS",
    "summarize",
    "summary_table",
    "cohorts",
    "cohort_matrix",
    "summary_from_columns",
    "summary_from_aggregates",
    "customer_summary",
    "CustomerSummary",
    "observation_end_day",
    "AGGREGATE_COLUMNS",
    "cohort_retention_from_columns",
    "parse_date",
]
