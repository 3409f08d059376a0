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

Plain order files read by the engine itself have a second view under the orders view, ``clv_raw_orders``: the same
rows with the ids as they are in the file (:func:`plain_view_statements`). Cleaning an id (stripped, blank left
out, e-mail lower-cased: :mod:`~clv_xl.engines.id_rules`) costs as much per row as the summary's
grouping, so the summary aggregates the raw ids and cleans each once (:func:`raw_summary_query`); the few raw ids
that clean to one customer are aggregated again from their orders (:func:`clv_xl.engines.run.raw_aggregates`).
"""

from __future__ import annotations

from clv_xl.engines.id_rules import email_rule_sql, trimmed_sql
from clv_xl.orders.limits import LIMITS

__all__ = ["ORDERS_VIEW", "SOURCE_VIEW", "RAW_VIEW", "DIALECTS", "summary_query",
           "raw_summary_query", "histories_query", "bounds_query", "cleaned_orders_sql", "uncleaned_view_sql",
           "plain_view_statements", "typed_sql", "quoted_name", "READABLE", "READABLE_DATE",
           "READABLE_AMOUNT"]

#: Name of the view of cleaned orders the queries read.
ORDERS_VIEW = "clv_orders"
#: Name of the table of raw rows of plain order files, under the orders view.
SOURCE_VIEW = "clv_source"
#: Name of the view of plain files' orders typed and filtered, their customer ids not cleaned yet.
RAW_VIEW = "clv_raw_orders"

_AGGREGATES = """
WITH transactions AS (
    SELECT customer_id, day, SUM(amount) AS amount, COUNT(*) AS orders, MIN(stamp) AS first_stamp,
           MAX(stamp) AS last_stamp
    FROM {view} {where} GROUP BY customer_id, day
)
SELECT customer_id, COUNT(*) AS transactions, MIN(day) AS first_day, MAX(day) AS last_day,
       min_by(amount, day) AS first_amount, SUM(orders) AS orders, SUM(amount) AS revenue,
       MIN(first_stamp) AS first_order, MAX(last_stamp) AS last_order
FROM transactions GROUP BY customer_id
"""
_AGGREGATE_NAMES = "transactions, first_day, last_day, first_amount, orders, revenue, first_order, last_order"


def _where(end_day: int | None) -> str:
    return "" if end_day is None else f"WHERE day <= {int(end_day)}"


def summary_query(end_day: int | None, view: str = ORDERS_VIEW) -> str:
    """The aggregates query for orders up to ``end_day`` (a day number, included; None: all orders).

    One pass: orders grouped into transactions (customer, day), transactions into customers; ``min_by`` (DuckDB
    and Spark SQL alike) takes the first transaction's amount. Sorted by customer id (byte order in both).
    ``view`` is a view's name or a parenthesised query with an alias.

    Examples
    --------
    >>> "WHERE day <= 19723" in summary_query(19723), "WHERE" in summary_query(None)
    (True, False)
    """
    return _AGGREGATES.format(view=view, where=_where(end_day)) + "ORDER BY customer_id\n"


_RAW_SUMMARY = """
SELECT customer_id, CASE WHEN raw_id <> customer_id THEN raw_id END AS raw_id, {names}
FROM (
    SELECT {email_rule} AS customer_id, raw_id, {names}
    FROM (
        SELECT {trimmed} AS trimmed_id, raw_id, {names}
        FROM (SELECT customer_id AS raw_id, {names} FROM ({aggregates}) AS per_raw_id) AS raw_customers
    ) AS trimmed
) AS cleaned
ORDER BY customer_id
"""


def raw_summary_query(dialect: str, end_day: int | None, view: str = RAW_VIEW) -> str:
    """:func:`summary_query` over plain files' raw rows, each raw id's aggregates then cleaned once (``raw_id``).

    The ids are cleaned per customer instead of per order (:mod:`clv_xl.engines.id_rules`): at 10M
    orders of 1M customers that is 1M cleanings instead of 10M, about 1 CPU s of 8. Two raw ids that clean to one
    customer (``" a"`` and ``"a"``, ``"Ann@x.fr"`` and ``"ann@x.fr"``) come as two rows with the same
    ``customer_id``, next to each other: :func:`clv_xl.engines.run.raw_aggregates` recomputes those customers from
    their orders. ``raw_id`` is the id as in the file where cleaning changed it, NULL where it is the
    ``customer_id`` itself. Raw ids that clean to nothing (blank) come first, with ``customer_id`` ``''``: the
    caller leaves them out, as the orders view leaves their orders out.

    Examples
    --------
    >>> sql = raw_summary_query("duckdb", 19723)
    >>> "AS raw_id" in sql and "FROM clv_raw_orders WHERE day <= 19723" in sql
    True
    """
    return _RAW_SUMMARY.format(aggregates=_AGGREGATES.format(view=view, where=_where(end_day)),
                               names=_AGGREGATE_NAMES, trimmed=trimmed_sql(dialect, "raw_id"),
                               email_rule=email_rule_sql(dialect, "trimmed_id"))


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
    },
    "spark": {
        "quote": "`",
        "day": "CAST(datediff(CAST(stamp AS DATE), DATE '1970-01-01') AS BIGINT)",
    },
}

# NaN is no amount (NULL): SQL keeps it through "IS NOT NULL" and ">= 0" (NaN sorts above every number), and one
# NaN would make every sum NaN
_TYPED = """
SELECT CAST({customer} AS STRING) AS customer_id, CAST({date} AS TIMESTAMP) AS stamp,
       CASE WHEN isnan(CAST({amount} AS DOUBLE)) THEN NULL ELSE CAST({amount} AS DOUBLE) END AS amount
FROM {source}
"""

#: A row's date and amount are readable values in :func:`clv_xl.orders.read_orders`' bounds (``VALUE_RULES``):
#: dates from 1900-01-01 to 2262-04-11 (what nanosecond timestamps hold), finite amounts up to 1e15 either way.
READABLE_DATE = (f"stamp >= TIMESTAMP '{LIMITS.first_date:%Y-%m-%d %H:%M:%S}' "
                 f"AND stamp <= TIMESTAMP '{LIMITS.last_date:%Y-%m-%d %H:%M:%S}'")
READABLE_AMOUNT = f"abs(amount) <= {LIMITS.max_amount:.0f}"
READABLE = f"{READABLE_DATE} AND {READABLE_AMOUNT}"

_TRIMMED = """
SELECT NULLIF({trimmed}, '') AS customer_id, stamp, amount FROM ({typed}) AS typed
"""

_RAW_VIEW = """
CREATE OR REPLACE TEMP VIEW {raw_view} AS
SELECT customer_id, {day} AS day, stamp, amount
FROM ({typed}) AS typed
WHERE customer_id IS NOT NULL AND stamp IS NOT NULL AND amount IS NOT NULL AND amount {lowest} AND {readable}
"""

_CLEANED = """
SELECT {email_rule} AS customer_id, day, stamp, amount
FROM (SELECT {trimmed} AS customer_id, day, stamp, amount FROM {raw_view} {raw_where}) AS trimmed
WHERE customer_id <> ''
"""


def quoted_name(dialect: str, name: str) -> str:
    """A column name as ``dialect`` quotes it (the quote mark doubled inside).

    Examples
    --------
    >>> print(quoted_name("duckdb", 'a"b'), quoted_name("spark", "Order `Date`"))
    "a""b" `Order ``Date```
    """
    mark = DIALECTS[dialect]["quote"]
    return mark + name.replace(mark, mark * 2) + mark


def typed_sql(dialect: str, source: str, customer: str, date: str, amount: str) -> str:
    """SQL reading a plain order table's customer, date and amount columns typed, nothing dropped yet.

    ``customer_id`` (trimmed text, blank = NULL), ``stamp`` (timestamp) and ``amount`` (double), one row per row
    of ``source``.

    Examples
    --------
    >>> "CAST(`Customer ID` AS STRING)" in typed_sql("spark", "src", "Customer ID", "date", "amount")
    True
    """
    return _TRIMMED.format(trimmed=trimmed_sql(dialect, "customer_id"),
                           typed=_raw_typed(dialect, source, customer, date, amount))


def _raw_typed(dialect: str, source: str, customer: str, date: str, amount: str) -> str:
    return _TYPED.format(source=source, customer=quoted_name(dialect, customer), date=quoted_name(dialect, date),
                         amount=quoted_name(dialect, amount))


def cleaned_orders_sql(dialect: str, raw_filter: str = "", raw_view: str = RAW_VIEW) -> str:
    """SQL of the cleaned orders over the raw view: ids cleaned, blank ids left out.

    The ids are cleaned by the rules of :mod:`~clv_xl.engines.id_rules`. ``raw_filter`` (a condition on the raw
    columns) keeps only some raw rows first, so that only those ids are cleaned.

    Examples
    --------
    >>> "FROM clv_raw_orders WHERE customer_id IN (SELECT raw_id FROM m)) AS trimmed" in cleaned_orders_sql(
    ...     "duckdb", "customer_id IN (SELECT raw_id FROM m)")
    True
    """
    return _CLEANED.format(email_rule=email_rule_sql(dialect, "customer_id"),
                           trimmed=trimmed_sql(dialect, "customer_id"), raw_view=raw_view,
                           raw_where=f"WHERE {raw_filter}" if raw_filter else "")


def uncleaned_view_sql(view: str = ORDERS_VIEW, raw_view: str = RAW_VIEW) -> str:
    """SQL making the orders view the raw view itself: for files none of whose ids cleaning changes.

    Examples
    --------
    >>> uncleaned_view_sql()
    'CREATE OR REPLACE TEMP VIEW clv_orders AS SELECT customer_id, day, stamp, amount FROM clv_raw_orders'
    """
    return f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT customer_id, day, stamp, amount FROM {raw_view}"


def plain_view_statements(dialect: str, source: str, customer: str, date: str, amount: str,
                          view: str = ORDERS_VIEW, drop_zero_amounts: bool = False) -> list[str]:
    """SQL statements creating the raw view and the orders view over a plain order table, in ``dialect``.

    The rules of :func:`clv_xl.orders.read_orders` for such a file: ids trimmed (blank = missing), e-mail ids
    lower-cased, rows without customer, date or amount (NaN included) dropped, negative rows dropped (refunds without
    an order id cannot be netted against an order; ``read_orders`` drops them too), rows with a date or amount out
    of bounds (:data:`READABLE`: ``read_orders`` stops at them, or drops them when asked, and so does the engine's
    intake) left out, orders of 0 kept unless ``drop_zero_amounts``. The raw view
    (:data:`RAW_VIEW`) has the same rows but blank ids, and the ids as they are in the file: the customer
    summary cleans them per customer (:func:`raw_summary_query`).

    Examples
    --------
    >>> raw, cleaned = plain_view_statements("spark", "src", "Customer ID", "date", "amount")
    >>> "CAST(`Customer ID` AS STRING)" in raw and "datediff" in raw, "VIEW clv_orders AS" in cleaned
    (True, True)
    """
    raw = _RAW_VIEW.format(raw_view=RAW_VIEW, day=DIALECTS[dialect]["day"],
                           typed=_raw_typed(dialect, source, customer, date, amount),
                           lowest="> 0" if drop_zero_amounts else ">= 0", readable=READABLE)
    return [raw, f"CREATE OR REPLACE TEMP VIEW {view} AS {cleaned_orders_sql(dialect)}"]
