"""The report's monthly tables (cohorts, churn, gaps between ordering months) as SQL for DuckDB and Spark SQL.

Like :mod:`clv_xl.engines.summary_sql`, the queries read the orders view ``clv_orders(customer_id, day, stamp,
amount)`` and use only what both dialects read the same way: common table expressions, ``GROUP BY``, ``COUNT``,
``SUM``, ``MIN``, window functions (``MIN``/``LAG``/``LEAD`` ``OVER (PARTITION BY ... ORDER BY ...)``), ``CASE``,
and ``year()`` / ``month()``; the one statement the dialects write differently, keeping a query's result as a table
for the next queries, is data (:data:`MATERIALIZE`). A month is numbered as pandas numbers monthly periods: ``(year
- 1970) * 12 + month - 1`` (0 is January 1970). Everything is reduced to one row per month (or per cohort and month)
in the engine, so only a few hundred rows come back whatever the number of orders; :mod:`clv_xl.engines.activity`
finishes the tables with the rules of :func:`clv_xl.customers.cohorts` and :func:`clv_xl.churn.churn_series`.

The one building block is the customer-month: the months in which a customer ordered (at most ``end_day``), each
with the customer's first month and their previous and next ordering months. It is the costly part (every order
sorted by customer and month: at 10M orders the scan and the sort are each several seconds), so it is computed
once, as every order marked with its month, the customer's first month and the months of the customer's previous
and next orders, kept by the engine as the table :data:`MARKED_TABLE` (a DuckDB temporary table, a cached Spark
view); the three small queries read it:

- cohorts: each customer's cohort is their first month; per (cohort, month) the customers active and their amounts;
- churn: a customer's *spell* on the books starts at a month that follows their previous ordering month by more
  than ``window`` months (or is their first) and ends ``window`` months after its last month; per month the new
  customers (first month ever), the returning ones (a later spell starts) and the spells whose last month it is;
- gaps: months between a customer's consecutive ordering months, with their counts.
"""

from __future__ import annotations

from clv_xl.engines.summary_sql import ORDERS_VIEW

__all__ = ["MARKED_TABLE", "MATERIALIZE", "HASHED_KEY", "CUSTOMER_IDS", "marked_statements", "distinct_hashes_query",
           "cohort_counts_query",
           "churn_counts_query", "gap_counts_query", "orders_of_query", "SAMPLE_IDS"]

#: Name of the table of marked orders the three queries read.
MARKED_TABLE = "clv_marked"

#: Per dialect: how to keep a query's result as a table, and how to let it go afterwards (data, not branches).
#: Spark's ``CACHE TABLE name AS query`` is a temporary view computed once and kept in memory (spilled to disk).
#: DuckDB keeps the rows of ``CREATE TABLE ... AS`` in the order its query made them unless told not to, and then
#: runs the window on one thread (10M orders: 7.6 s against 5.7 s on two cores, the same CPU); the three queries
#: reading the table group it, so its row order never matters.
MATERIALIZE: dict[str, dict[str, tuple[str, ...]]] = {
    "duckdb": {"create": ("SET preserve_insertion_order = false", "CREATE OR REPLACE TEMP TABLE {table} AS {query}",
                          "RESET preserve_insertion_order"),
               "drop": ("DROP TABLE IF EXISTS {table}",)},
    "spark": {"create": ("CACHE TABLE {table} AS {query}",),
              "drop": ("UNCACHE TABLE IF EXISTS {table}", "DROP VIEW IF EXISTS {table}")},
}


# One window (the same PARTITION BY and ORDER BY for the three functions, so the engine sorts once) over the orders
# themselves: grouping them by customer and month first cost as much as the sort (10M orders are ~8M customer-months)
# and kept more in memory. Orders of one month are ties of the sort, in any order; every rule below reads months only,
# so the ties never matter: the order whose previous order is in an earlier month (or none) opens its customer-month,
# the one whose next order is in a later month (or none) closes it. With the months in order, the running MIN is the
# first month. The customer id is not kept: the queries below never need it. The partition key is the id, or a 64-bit
# hash of it where the hashes of the customers were checked to differ (:data:`HASHED_KEY`).
_MARKED = """
WITH dated AS (
    SELECT {key} AS customer_key, (year(stamp) - 1970) * 12 + month(stamp) - 1 AS month, amount
    FROM {view} WHERE day <= {end_day}
)
SELECT month, amount,
       MIN(month) OVER (PARTITION BY customer_key ORDER BY month) AS cohort,
       LAG(month) OVER (PARTITION BY customer_key ORDER BY month) AS previous,
       LEAD(month) OVER (PARTITION BY customer_key ORDER BY month) AS following
FROM dated
"""

#: Per dialect: a 64-bit hash of the customer id that the marked orders may be partitioned by instead of the id, once
#: :func:`distinct_hashes_query` found no two customers sharing one (sorting 10M orders by a number rather than by
#: text: 7.0 -> 5.3 CPU s in DuckDB). Spark partitions by the id (its check would be one more job).
HASHED_KEY: dict[str, str] = {"duckdb": "hash(customer_id)"}

_COHORTS = """
SELECT cohort, month - cohort AS period_number,
       SUM(CASE WHEN previous IS NULL OR previous < month THEN 1 ELSE 0 END) AS active_customers,
       SUM(amount) AS revenue
FROM {table} GROUP BY cohort, month ORDER BY cohort, month
"""

_CHURN = """
SELECT month,
       SUM(CASE WHEN previous IS NULL THEN 1 ELSE 0 END) AS new_customers,
       SUM(CASE WHEN month - previous > {window} THEN 1 ELSE 0 END) AS returning_customers,
       SUM(CASE WHEN following IS NULL OR following - month > {window} THEN 1 ELSE 0 END) AS spell_ends,
       COUNT(*) AS orders, SUM(amount) AS revenue
FROM {table} GROUP BY month ORDER BY month
"""

_GAPS = """
SELECT month - previous AS gap, COUNT(*) AS gaps
FROM {table} WHERE previous < month GROUP BY month - previous ORDER BY gap
"""


def marked_statements(dialect: str, end_day: int, view: str = ORDERS_VIEW, table: str = MARKED_TABLE,
                      key: str = "customer_id") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The statements keeping the marked orders up to ``end_day`` as ``table``, and dropping it.

    Parameters
    ----------
    dialect : {"duckdb", "spark"}
        The engine's dialect (a key of :data:`MATERIALIZE`).
    end_day : int
        Last day counted (days since 1970-01-01).
    view, table : str
        The orders view read, the table made.
    key : str
        SQL of each order's customer key: the id, or its hash (:data:`HASHED_KEY`) when no two customers share one.

    Returns
    -------
    (tuple of str, tuple of str)
        What to run before the queries, and after them.

    Examples
    --------
    >>> create, drop = marked_statements("spark", 19723)
    >>> create[0].startswith("CACHE TABLE clv_marked AS"), "day <= 19723" in create[0], drop[-1]
    (True, True, 'DROP VIEW IF EXISTS clv_marked')
    """
    statements = MATERIALIZE[dialect]
    query = _MARKED.format(view=view, end_day=int(end_day), key=key)
    return (tuple(s.format(table=table, query=query) for s in statements["create"]),
            tuple(s.format(table=table) for s in statements["drop"]))


#: Name of the temporary table of every customer's id that :func:`distinct_hashes_query` reads (``customer_id``).
CUSTOMER_IDS = "clv_customer_ids"


def distinct_hashes_query(dialect: str, customers: str = CUSTOMER_IDS) -> str:
    """Whether the :data:`HASHED_KEY` of the ids in ``customers`` are all different (one row, one boolean).

    Examples
    --------
    >>> distinct_hashes_query("duckdb")
    'SELECT COUNT(DISTINCT hash(customer_id)) = COUNT(*) AS distinct_hashes FROM clv_customer_ids'
    """
    return f"SELECT COUNT(DISTINCT {HASHED_KEY[dialect]}) = COUNT(*) AS distinct_hashes FROM {customers}"


def cohort_counts_query(table: str = MARKED_TABLE) -> str:
    """Customers active and their amounts per (cohort month, months since it), from the marked orders.

    Examples
    --------
    >>> "GROUP BY cohort, month" in cohort_counts_query()
    True
    """
    return _COHORTS.format(table=table)


def churn_counts_query(window: int, table: str = MARKED_TABLE) -> str:
    """Per month: new customers, returning customers, spells ending, orders and revenue (window in months).

    Examples
    --------
    >>> "month - previous > 6" in churn_counts_query(6)
    True
    """
    return _CHURN.format(window=int(window), table=table)


def gap_counts_query(table: str = MARKED_TABLE) -> str:
    """Gaps in months between a customer's consecutive ordering months, and how many of each.

    Examples
    --------
    >>> "WHERE previous < month" in gap_counts_query()
    True
    """
    return _GAPS.format(table=table)


#: Name of the temporary table of the customers whose orders :func:`orders_of_query` returns (``customer_id``).
SAMPLE_IDS = "clv_sample_ids"


def orders_of_query(end_day: int, view: str = ORDERS_VIEW, customers: str = SAMPLE_IDS) -> str:
    """Every order up to ``end_day`` (``customer_id``, ``order_date``, ``amount``) of the customers in ``customers``.

    For the forecast's holdout check, which needs a sample of customers' whole histories (20,000 at most); the ids
    reach the engine as a table (:meth:`clv_xl.engines.run.Query.registered`), not as text literals.

    Examples
    --------
    >>> print(orders_of_query(19723).split("AND ")[1])
    customer_id IN (SELECT customer_id FROM clv_sample_ids)
    """
    return (f"SELECT customer_id, stamp AS order_date, amount FROM {view} "
            f"WHERE day <= {int(end_day)} AND customer_id IN (SELECT customer_id FROM {customers})")
