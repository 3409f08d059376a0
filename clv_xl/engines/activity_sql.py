"""The report's monthly tables (cohorts, churn, gaps between ordering months) as SQL for DuckDB and Spark SQL.

Like :mod:`clv_xl.engines.summary_sql`, the queries read the orders view ``clv_orders(customer_id, day, stamp,
amount)`` and use only what both dialects read the same way: common table expressions, ``GROUP BY``, ``COUNT``,
``SUM``, ``MIN``, window functions (``MIN``/``LAG``/``LEAD`` ``OVER (PARTITION BY ... ORDER BY ...)``), ``CASE``,
and ``year()`` / ``month()``. A month is numbered as pandas numbers monthly periods: ``(year - 1970) * 12 + month
- 1`` (0 is January 1970). Everything is reduced to one row per month (or per cohort and month) in the engine, so
only a few hundred rows come back whatever the number of orders; :mod:`clv_xl.engines.activity` finishes the
tables with the rules of :func:`clv_xl.customers.cohorts` and :func:`clv_xl.churn.churn_series`.

The one building block is the customer-month: the months in which a customer ordered (at most ``end_day``), with
that month's orders and amounts. Then

- cohorts: each customer's cohort is their first month; per (cohort, month) the customers active and their amounts;
- churn: a customer's *spell* on the books starts at a month that follows their previous ordering month by more
  than ``window`` months (or is their first) and ends ``window`` months after its last month; per month the new
  customers (first month ever), the returning ones (a later spell starts) and the spells whose last month it is;
- gaps: months between a customer's consecutive ordering months, with their counts.
"""

from __future__ import annotations

from clv_xl.engines.summary_sql import ORDERS_VIEW

__all__ = ["cohort_counts_query", "churn_counts_query", "gap_counts_query"]

_MONTHS = """
WITH dated AS (
    SELECT customer_id, (year(stamp) - 1970) * 12 + month(stamp) - 1 AS month, amount
    FROM {view} WHERE day <= {end_day}
),
months AS (
    SELECT customer_id, month, COUNT(*) AS orders, SUM(amount) AS amount FROM dated GROUP BY customer_id, month
),
marked AS (
    SELECT customer_id, month, orders, amount,
           MIN(month) OVER (PARTITION BY customer_id) AS cohort,
           LAG(month) OVER (PARTITION BY customer_id ORDER BY month) AS previous,
           LEAD(month) OVER (PARTITION BY customer_id ORDER BY month) AS following
    FROM months
)
"""

_COHORTS = """
SELECT cohort, month - cohort AS period_number, COUNT(*) AS active_customers, SUM(amount) AS revenue
FROM marked GROUP BY cohort, month ORDER BY cohort, month
"""

_CHURN = """
SELECT month,
       SUM(CASE WHEN previous IS NULL THEN 1 ELSE 0 END) AS new_customers,
       SUM(CASE WHEN month - previous > {window} THEN 1 ELSE 0 END) AS returning_customers,
       SUM(CASE WHEN following IS NULL OR following - month > {window} THEN 1 ELSE 0 END) AS spell_ends,
       SUM(orders) AS orders, SUM(amount) AS revenue
FROM marked GROUP BY month ORDER BY month
"""

_GAPS = """
SELECT month - previous AS gap, COUNT(*) AS gaps
FROM marked WHERE previous IS NOT NULL GROUP BY month - previous ORDER BY gap
"""


def _with_months(body: str, end_day: int, view: str) -> str:
    return _MONTHS.format(view=view, end_day=int(end_day)) + body


def cohort_counts_query(end_day: int, view: str = ORDERS_VIEW) -> str:
    """Customers active and their amounts per (cohort month, months since it), orders up to ``end_day``.

    Examples
    --------
    >>> "GROUP BY cohort, month" in cohort_counts_query(19723)
    True
    """
    return _with_months(_COHORTS, end_day, view)


def churn_counts_query(end_day: int, window: int, view: str = ORDERS_VIEW) -> str:
    """Per month: new customers, returning customers, spells ending, orders and revenue (window in months).

    Examples
    --------
    >>> "month - previous > 6" in churn_counts_query(19723, 6)
    True
    """
    return _with_months(_CHURN.format(window=int(window)), end_day, view)


def gap_counts_query(end_day: int, view: str = ORDERS_VIEW) -> str:
    """Gaps in months between a customer's consecutive ordering months, and how many of each.

    Examples
    --------
    >>> "WHERE previous IS NOT NULL" in gap_counts_query(19723)
    True
    """
    return _with_months(_GAPS, end_day, view)
