"""What an engine read from plain order files, and dropped, as a :class:`~clv_xl.orders.CleaningReport`.

The same record as :func:`clv_xl.orders.read_orders` gives: the same lines on the terminal, the same rows on the
report's Data sheet.

Counted without a pass of its own over the orders where it can (in the SQL that DuckDB and Spark read alike):

- rows read: ``COUNT(*)`` of the source (Parquet's metadata answers it);
- what was kept (orders, customers, same-day orders, first and last order, total): sums of the customer summary
  itself - orders = the sum of ``orders``, transactions (customer-days) = the sum of ``frequency + 1`` - instead
  of grouping the orders by customer and day a second time (4 s of 10 s at 10M orders); when an observation end
  left orders out of the summary, one query over the orders view counts them all;
- the rows each rule drops (a date or amount out of ``read_orders``' bounds; no customer, date or amount, NaN
  being no amount; negative; each row counted once, under the first rule that drops it, as ``read_orders``
  counts): zero when every row was kept, so only the orders of 0 (kept, and said) are counted, on the amount column
  alone; otherwise one query over the typed source rows counts them all. Values out of bounds stop the reading in
  one line, as in ``read_orders``, unless ``on_bad_values="drop"`` (``--skip-bad-rows``) drops them.

Plain files have no status, order id or refund column, so no status is excluded and no refund is netted: the
report says so in its notes.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clv_xl.customers import CustomerSummary
from clv_xl.engines.plain_files import PlainRules
from clv_xl.engines.run import Query
from clv_xl.engines.summary_sql import ORDERS_VIEW, READABLE_AMOUNT, READABLE_DATE, typed_sql
from clv_xl.errors import DataError
from clv_xl.orders import CleaningReport
from clv_xl.orders.limits import VALUE_RULES
from clv_xl.orders.paid_orders import ZERO_KEPT_RULE

__all__ = ["source_counts_query", "kept_counts_query", "zero_counts_query", "PlainIntake", "plain_intake"]

# each row counted once, under the first rule that drops it, as read_orders counts: values out of bounds first (it
# reads them as it parses), then no customer, date or amount, then negative amounts
_SOURCE_COUNTS = """
SELECT COUNT(*) AS rows_read,
       SUM(CASE WHEN bad THEN 1 ELSE 0 END) AS bad_values,
       SUM(CASE WHEN NOT bad AND customer_id IS NULL THEN 1 ELSE 0 END) AS missing_customer,
       SUM(CASE WHEN NOT bad AND customer_id IS NOT NULL AND stamp IS NULL THEN 1 ELSE 0 END) AS missing_date,
       SUM(CASE WHEN NOT bad AND customer_id IS NOT NULL AND stamp IS NOT NULL AND amount IS NULL THEN 1 ELSE 0 END)
           AS missing_amount,
       SUM(CASE WHEN NOT bad AND customer_id IS NOT NULL AND stamp IS NOT NULL AND amount < 0 THEN 1 ELSE 0 END)
           AS negative,
       SUM(CASE WHEN NOT bad AND customer_id IS NOT NULL AND stamp IS NOT NULL AND amount = 0 THEN 1 ELSE 0 END)
           AS zero
FROM (SELECT customer_id, stamp, amount,
             (stamp IS NOT NULL AND NOT ({readable_date})) OR (amount IS NOT NULL AND NOT ({readable_amount})) AS bad
      FROM ({typed}) AS typed) AS flagged
"""

_ZERO_COUNTS = """
SELECT COUNT(*) AS zero FROM ({typed}) AS typed WHERE amount = 0
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
    >>> "AS missing_date" in sql and 'CAST("d" AS TIMESTAMP)' in sql and "AS bad_values" in sql
    True
    """
    return _SOURCE_COUNTS.format(typed=typed_sql(dialect, source, roles["customer_id"], roles["order_date"],
                                                 roles["amount"]),
                                 readable_date=READABLE_DATE, readable_amount=READABLE_AMOUNT)


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


def zero_counts_query(dialect: str, source: str, roles: dict[str, str]) -> str:
    """Rows of the plain source ``source`` whose amount is 0 (only the amount column is read).

    Examples
    --------
    >>> zero_counts_query("duckdb", "src", {"customer_id": "c", "order_date": "d", "amount": "a"}).strip()[-16:]
    'WHERE amount = 0'
    """
    return _ZERO_COUNTS.format(typed=typed_sql(dialect, source, roles["customer_id"], roles["order_date"],
                                               roles["amount"]))


@dataclass
class PlainIntake:
    """The cleaning report of plain order files read by an engine, and how to complete it.

    Attributes
    ----------
    report : CleaningReport
        Rows read, columns and notes at first; :meth:`complete` adds what was kept and dropped.
    query : callable
        Runs SQL where the source table ``source`` and the orders view exist.
    dialect : {"duckdb", "spark"}
        The SQL dialect of ``query``.
    source : str
        Name of the table of raw rows in the engine.
    roles : dict
        Role (``customer_id``, ``order_date``, ``amount``) -> column.
    rules : PlainRules
        The ``read_orders`` options the engine applied (orders of 0 dropped, bad values dropped).
    """

    report: CleaningReport
    query: Query
    dialect: str
    source: str
    roles: dict[str, str]
    rules: PlainRules = field(default_factory=PlainRules)

    def complete(self, summary: CustomerSummary) -> CleaningReport:
        """Add what was kept and dropped, given the customer summary of these orders; return the report.

        ``summary`` is :func:`clv_xl.engines.run.summary_table_with`'s over the same orders view (its ``attrs`` say
        how many orders an observation end left out).
        """
        report = self.report
        _add_kept(report, summary, self.query)
        if report.orders == report.rows_read:  # every row kept: no rule dropped any
            raw = self.query(zero_counts_query(self.dialect, self.source, self.roles))
        else:
            raw = self.query(source_counts_query(self.dialect, self.source, self.roles))
            bad = _int(raw, "bad_values")
            if bad and not self.rules.drop_bad_values:
                raise DataError(f"{report.source}: {bad:,} row(s) with a date or amount that cannot be read "
                                f"({VALUE_RULES['date']}; {VALUE_RULES['amount'].split(',')[0]}); fix them, or skip "
                                "such rows (--skip-bad-rows; on_bad_values='drop')")
            report.bad_values_dropped = bad
            report.missing_customer = _int(raw, "missing_customer")
            report.missing_date = _int(raw, "missing_date")
            report.missing_amount = _int(raw, "missing_amount")
            report.refunded_orders_dropped = _int(raw, "negative")
        report.zero_amounts = _int(raw, "zero")
        rules = self.rules
        report.zero_amounts_dropped = rules.drop_zero_amounts and report.zero_amounts > 0
        report.zero_rule = ("kept (as asked)" if rules.keep_zero_amounts else "" if not report.zero_amounts else
                            "dropped (as asked)" if rules.drop_zero_amounts else ZERO_KEPT_RULE)
        return report


def plain_intake(query: Query, dialect: str, source: str, name: str, roles: dict[str, str],
                 engine: str, rules: PlainRules | None = None) -> PlainIntake:
    """The cleaning report of plain order files read by an engine: rows read now, the rest after the summary.

    Parameters
    ----------
    query, dialect, source, roles
        As the attributes of :class:`PlainIntake`.
    name : str
        The file or glob, as the user gave it.
    engine : str
        Which engine read the files (said in the report's notes).
    rules : PlainRules, optional
        The ``read_orders`` options the engine applied (default: none).
    """
    rules = rules or PlainRules()
    report = CleaningReport(source=name if glob.has_magic(name) else Path(name).name)
    report.rows_read = _int(query(f"SELECT COUNT(*) AS rows_read FROM {source}"), "rows_read")
    report.columns = {role: roles[role] for role in ("customer_id", "order_date", "amount")}
    report.column_reasons = {role: "found by name" for role in report.columns}
    report.identity = f"the customer column {roles['customer_id']!r} (e-mail addresses lower-cased)"
    report.notes = [f"read by {engine} directly, out of core: plain orders (customer, date and amount; no status, "
                    "order id or refund column, so no status is excluded and no refund netted)"]
    if rules.currency is not None:  # plain files state no currency: the one given labels the amounts
        report.currencies = [rules.currency]
    return PlainIntake(report, query, dialect, source, roles, rules)


def _add_kept(report: CleaningReport, summary: CustomerSummary, query: Query | None) -> None:
    """Orders, customers, same-day orders, first and last order and total kept, from the summary when it has them all.

    Examples
    --------
    >>> import numpy as np
    >>> from clv_xl.customers import customer_summary
    >>> summary = customer_summary(["a", "b"], {"transactions": np.array([2, 1]), "first_day": np.array([0, 31]),
    ...     "last_day": np.array([14, 31]), "first_amount": np.array([5.0, 5.0]), "orders": np.array([3, 1]),
    ...     "revenue": np.array([35.0, 5.0]), "first_order": np.array(["2024-01-01", "2024-02-01"], "datetime64[s]"),
    ...     "last_order": np.array(["2024-01-15", "2024-02-01"], "datetime64[s]")}, end_day=31)
    >>> report = CleaningReport(source="x")
    >>> _add_kept(report, summary, query=None)
    >>> report.orders, report.customers, report.same_day_orders, report.total_amount, str(report.last_order)
    (4, 2, 1, 40.0, '2024-02-01 00:00:00')
    """
    if summary.attrs.get("orders_after_observation_end") and query is not None:  # the summary lacks them
        kept = query(kept_counts_query())
        orders, transactions, customers = _int(kept, "orders"), _int(kept, "transactions"), _int(kept, "customers")
        first, last, total = kept["first_order"].iloc[0], kept["last_order"].iloc[0], kept["total_amount"].iloc[0]
    else:
        aggregates = summary.aggregates
        orders = int(aggregates["orders"].astype("int64").sum())
        customers = len(summary)
        transactions = int(aggregates["transactions"].astype("int64").sum())
        first = aggregates["first_order"].astype("datetime64[ns]").min() if customers else None
        last = aggregates["last_order"].astype("datetime64[ns]").max() if customers else None
        total = aggregates["revenue"].astype("float64").sum()
    report.orders, report.customers, report.same_day_orders = orders, customers, orders - transactions
    if orders:
        report.first_order, report.last_order = pd.Timestamp(first), pd.Timestamp(last)
        report.total_amount = float(total)
