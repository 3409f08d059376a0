"""The per-customer aggregates as one SQL query, run unchanged by DuckDB and Spark SQL.

The query reads a view ``clv_orders(customer_id VARCHAR, day BIGINT, stamp TIMESTAMP, amount DOUBLE)`` - cleaned
orders, ``day`` being the order's calendar day as days since 1970-01-01 - and returns one row per customer with
the columns of :data:`clv_xl.customers.AGGREGATE_COLUMNS`. It uses only what both dialects read the same way
(common table expressions, ``GROUP BY``, ``COUNT``/``SUM``/``MIN``/``MAX``, an inner join, integer comparisons):
dates are already day numbers, so no date function, whose names differ between dialects, is needed. Each engine
only builds the view (:mod:`clv_xl.engines.duckdb_engine`, :mod:`clv_xl.engines.spark_engine`).

The rules are those of :func:`clv_xl.customers.summarize`: orders after the observation end are left out; a
*transaction* is a customer's purchase day (orders of one day summed); ``first_amount`` is the first
transaction's amount (the one :func:`~clv_xl.customers.customer_summary` leaves out of monetary value).
Besides the portable core, both dialects have ``min_by(value, key)``, used for ``first_amount``.
"""

from __future__ import annotations

__all__ = ["ORDERS_VIEW", "SOURCE_VIEW", "DIALECTS", "TEXT_ESCAPES", "text_literal", "summary_query",
           "histories_query", "bounds_query", "plain_view_sql", "typed_sql"]

#: Name of the view of cleaned orders the queries read.
ORDERS_VIEW = "clv_orders"
#: Name of the table of raw rows of plain order files, under the orders view.
SOURCE_VIEW = "clv_source"

_SUMMARY = """
WITH transactions AS (
    SELECT customer_id, day, SUM(amount) AS amount, COUNT(*) AS orders, MIN(stamp) AS first_stamp,
           MAX(stamp) AS last_stamp
    FROM {view} {where} GROUP BY customer_id, day
)
SELECT customer_id, COUNT(*) AS transactions, MIN(day) AS first_day, MAX(day) AS last_day,
       min_by(amount, day) AS first_amount, SUM(orders) AS orders, SUM(amount) AS revenue,
       MIN(first_stamp) AS first_order, MAX(last_stamp) AS last_order
FROM transactions GROUP BY customer_id ORDER BY customer_id
"""


def summary_query(end_day: int | None, view: str = ORDERS_VIEW) -> str:
    """The aggregates query for orders up to ``end_day`` (a day number, included; None: all orders).

    One pass: orders grouped into transactions (customer, day), transactions into customers; ``min_by`` (DuckDB
    and Spark SQL alike) takes the first transaction's amount. Sorted by customer id (byte order in both).

    Examples
    --------
    >>> "WHERE day <= 19723" in summary_query(19723), "WHERE" in summary_query(None)
    (True, False)
    """
    where = "" if end_day is None else f"WHERE day <= {int(end_day)}"
    return _SUMMARY.format(view=view, where=where)


_HISTORIES = """
WITH transactions AS (
    SELECT customer_id, day FROM {view} WHERE day <= {end_day} GROUP BY customer_id, day
),
histories AS (
    SELECT COUNT(*) - 1 AS frequency, MAX(day) - MIN(day) AS recency_days, {end_day} - MIN(day) AS t_days
    FROM transactions GROUP BY customer_id
)
SELECT frequency, recency_days, t_days, COUNT(*) AS customers
FROM histories GROUP BY frequency, recency_days, t_days
"""


def histories_query(end_day: int, view: str = ORDERS_VIEW) -> str:
    """Distinct (frequency, recency, T) histories in days, with the number of customers of each.

    What the purchase models fit on (their ``weights``): a few thousand rows however many customers there are,
    so a fit never needs the customer table. Same rules as :func:`summary_query`.

    Examples
    --------
    >>> "GROUP BY frequency, recency_days, t_days" in histories_query(19723)
    True
    """
    return _HISTORIES.format(view=view, end_day=int(end_day))


def bounds_query(view: str = ORDERS_VIEW) -> str:
    """First and last order day and the number of orders of the view.

    Examples
    --------
    >>> bounds_query()
    'SELECT MIN(day), MAX(day), COUNT(*) FROM clv_orders'
    """
    return f"SELECT MIN(day), MAX(day), COUNT(*) FROM {view}"


#: How each dialect writes the few things the view of a plain order file needs (data, not branches).
DIALECTS: dict[str, dict[str, str]] = {
    "duckdb": {
        "quote": '"',
        "day": "CAST(CAST(stamp AS DATE) - DATE '1970-01-01' AS BIGINT)",
        "is_email": "regexp_matches(customer_id, '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')",
    },
    "spark": {
        "quote": "`",
        "day": "CAST(datediff(CAST(stamp AS DATE), DATE '1970-01-01') AS BIGINT)",
        "is_email": "customer_id RLIKE '^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$'",
    },
}

#: Per dialect: how a text literal escapes its characters (Spark reads a backslash as an escape and joins 'a''b'
#: into 'ab'; DuckDB doubles the quote and reads backslashes as they are).
TEXT_ESCAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "duckdb": (("'", "''"),),
    "spark": (("\\", "\\\\"), ("'", "\\'")),
}


def text_literal(dialect: str, text: str) -> str:
    """``text`` as an SQL string literal of ``dialect`` (:data:`TEXT_ESCAPES`).

    Examples
    --------
    >>> print(text_literal("duckdb", "o'k"), text_literal("spark", "o'k\\\\"))
    'o''k' 'o\\'k\\\\'
    """
    for find, put in TEXT_ESCAPES[dialect]:
        text = text.replace(find, put)
    return "'" + text + "'"


_TYPED = """
SELECT NULLIF(CASE WHEN CAST({customer} AS STRING) LIKE ' %' OR CAST({customer} AS STRING) LIKE '% '
                   THEN trim(CAST({customer} AS STRING)) ELSE CAST({customer} AS STRING) END, '') AS customer_id,
       CAST({date} AS TIMESTAMP) AS stamp, CAST({amount} AS DOUBLE) AS amount
FROM {source}
"""

_PLAIN_VIEW = """
CREATE OR REPLACE TEMP VIEW {view} AS
SELECT CASE WHEN customer_id LIKE '%@%' AND {is_email} THEN lower(customer_id) ELSE customer_id END
           AS customer_id,
       {day} AS day, stamp, amount
FROM ({typed}) AS typed
WHERE customer_id IS NOT NULL AND stamp IS NOT NULL AND amount IS NOT NULL AND amount >= 0
"""


def typed_sql(dialect: str, source: str, customer: str, date: str, amount: str) -> str:
    """SQL reading a plain order table's customer, date and amount columns typed, nothing dropped yet.

    ``customer_id`` (trimmed text, blank = NULL), ``stamp`` (timestamp) and ``amount`` (double), one row per row
    of ``source``. Only ids starting or ending with a space go through ``trim`` (which removes spaces only, so
    the others are already trimmed): trimming every id cost about 1 s of the 6 s query at 10M orders.

    Examples
    --------
    >>> "CAST(`Customer ID` AS STRING)" in typed_sql("spark", "src", "Customer ID", "date", "amount")
    True
    """
    mark = DIALECTS[dialect]["quote"]

    def quote(name: str) -> str:
        return mark + name.replace(mark, mark * 2) + mark

    return _TYPED.format(source=source, customer=quote(customer), date=quote(date), amount=quote(amount))


def plain_view_sql(dialect: str, source: str, customer: str, date: str, amount: str, view: str = ORDERS_VIEW) -> str:
    """SQL creating the orders view over a plain order table (customer, date, amount columns) in ``dialect``.

    The rules of :func:`clv_xl.orders.read_orders` for such a file: ids trimmed (blank = missing), e-mail ids
    lower-cased, rows without customer, date or amount dropped, negative rows dropped (refunds without an order id
    cannot be netted against an order; ``read_orders`` drops them too), orders of 0 kept.

    Examples
    --------
    >>> sql = plain_view_sql("spark", "src", "Customer ID", "date", "amount")
    >>> "CAST(`Customer ID` AS STRING)" in sql and "datediff" in sql
    True
    """
    words = DIALECTS[dialect]
    return _PLAIN_VIEW.format(view=view, is_email=words["is_email"], day=words["day"],
                              typed=typed_sql(dialect, source, customer, date, amount))
