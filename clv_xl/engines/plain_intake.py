"""What an engine read from plain order files, and dropped, as a :class:`~clv_xl.orders.CleaningReport`.

The same record as :func:`clv_xl.orders.read_orders` gives: the same lines on the terminal, the same rows on the
report's Data sheet.

Two queries, both in the SQL that DuckDB and Spark read alike: one over the typed source rows (rows read, rows
without customer, date or amount, negative rows, orders of 0: each row counted once, under the first rule that
drops it, as ``read_orders`` counts), one over the orders view (orders kept, customers, dates, total, same-day
orders). Plain files have no status, order id or refund column, so no status is excluded and no refund is netted:
the report says so in its notes.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd

from clv_xl.engines.run import Query
from clv_xl.engines.summary_sql import ORDERS_VIEW, typed_sql
from clv_xl.orders import CleaningReport

__all__ = ["source_counts_query", "kept_counts_query", "plain_intake"]

_SOURCE_COUNTS = """
SELECT COUNT(*) AS rows_read,
       SUM(CASE WHEN customer_id IS NULL THEN 1 ELSE 0 END) AS missing_customer,
       SUM(CASE WHEN customer_id IS NOT NULL AND stamp IS NULL THEN 1 ELSE 0 END) AS missing_date,
       SUM(CASE WHEN customer_id IS NOT NULL AND stamp IS NOT NULL AND amount IS NULL THEN 1 ELSE 0 END)
           AS missing_amount,
       SUM(CASE WHEN customer_id IS NOT NULL AND stamp IS NOT NULL AND amount < 0 THEN 1 ELSE 0 END) AS negative,
       SUM(CASE WHEN customer_id IS NOT NULL AND stamp IS NOT NULL AND amount = 0 THEN 1 ELSE 0 END) AS zero
FROM ({typed}) AS typed
"""

_KEPT_COUNTS = """
WITH transactions AS (
    SELECT customer_id, COUNT(*) AS orders, SUM(amount) AS amount, MIN(stamp) AS first_stamp,
           MAX(stamp) AS last_stamp
    FROM {view} GROUP BY customer_id, day
)
SELECT SUM(orders) AS orders, COUNT(*) AS transactions, COUNT(DISTINCT customer_id) AS customers,
       MIN(first_stamp) AS first_order, MAX(last_stamp) AS last_order, SUM(amount) AS total_amount
FROM transactions
"""


def source_counts_query(dialect: str, source: str, roles: dict[str, str]) -> str:
    """Rows of the plain source ``source`` and the rows each rule drops.

    Examples
    --------
    >>> sql = source_counts_query("duckdb", "src", {"customer_id": "c", "order_date": "d", "amount": "a"})
    >>> "AS missing_date" in sql and 'CAST("d" AS TIMESTAMP)' in sql
    True
    """
    return _SOURCE_COUNTS.format(typed=typed_sql(dialect, source, roles["customer_id"], roles["order_date"],
                                                 roles["amount"]))


def kept_counts_query(view: str = ORDERS_VIEW) -> str:
    """Orders kept, transactions (customer-days), customers, first and last order and total of the orders view.

    Examples
    --------
    >>> "COUNT(DISTINCT customer_id) AS customers" in kept_counts_query()
    True
    """
    return _KEPT_COUNTS.format(view=view)


def _int(frame: pd.DataFrame, column: str) -> int:
    value = frame[column].iloc[0]
    return 0 if pd.isna(value) else int(value)


def plain_intake(query: Query, dialect: str, source: str, name: str, roles: dict[str, str],
                 engine: str) -> CleaningReport:
    """The cleaning report of plain order files read by an engine.

    Parameters
    ----------
    query : callable
        Runs SQL where the source table ``source`` and the orders view exist.
    dialect : {"duckdb", "spark"}
        The SQL dialect of ``query``.
    source : str
        Name of the table of raw rows in the engine.
    name : str
        The file or glob, as the user gave it.
    roles : dict
        Role (``customer_id``, ``order_date``, ``amount``) -> column.
    engine : str
        Which engine read the files (said in the report's notes).
    """
    raw = query(source_counts_query(dialect, source, roles))
    kept = query(kept_counts_query())
    report = CleaningReport(source=name if glob.has_magic(name) else Path(name).name)
    report.rows_read = _int(raw, "rows_read")
    report.missing_customer = _int(raw, "missing_customer")
    report.missing_date = _int(raw, "missing_date")
    report.missing_amount = _int(raw, "missing_amount")
    report.refunded_orders_dropped = _int(raw, "negative")
    report.zero_amounts = _int(raw, "zero")
    report.zero_rule = ("kept: a free order is a purchase in a file of orders without statuses"
                        if report.zero_amounts else "")
    report.orders = _int(kept, "orders")
    report.customers = _int(kept, "customers")
    report.same_day_orders = report.orders - _int(kept, "transactions")
    if report.orders:
        report.first_order = pd.Timestamp(kept["first_order"].iloc[0])
        report.last_order = pd.Timestamp(kept["last_order"].iloc[0])
        report.total_amount = float(kept["total_amount"].iloc[0])
    report.columns = {role: roles[role] for role in ("customer_id", "order_date", "amount")}
    report.column_reasons = {role: "found by name" for role in report.columns}
    report.identity = f"the customer column {roles['customer_id']!r} (e-mail addresses lower-cased)"
    report.notes = [f"read by {engine} directly, out of core: plain orders (customer, date and amount; no status, "
                    "order id or refund column, so no status is excluded and no refund netted)"]
    return report

