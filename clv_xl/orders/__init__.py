"""Read order data from files or DataFrames into one canonical frame, and record what was done.

:func:`read_orders` is the one entry point. A source goes through these stages, one module each:

1. :mod:`~clv_xl.orders.open_file` -- open: file kind, encoding, separator, header, sheet (text files:
   :mod:`~clv_xl.orders.text_layout` and :mod:`~clv_xl.orders.read_text_file`; workbooks:
   :mod:`~clv_xl.orders.open_workbook`, which inspects the package before parsing it), each into a
   :class:`~clv_xl.orders.raw_table.RawTable`; files beyond the bounds of :mod:`~clv_xl.orders.limits` are
   refused here;
2. :mod:`~clv_xl.orders.find_columns` -- find each role's column (the roles are the records of
   :mod:`~clv_xl.orders.roles`; the platform is told from the columns by :mod:`~clv_xl.orders.vocabulary`);
3. :mod:`~clv_xl.orders.parse_values` -- parse dates and amounts (:mod:`~clv_xl.orders.date_parsing`,
   :mod:`~clv_xl.orders.amount_parsing`);
4. :mod:`~clv_xl.orders.identify_customers` -- one key per customer: the id, else the e-mail for guests;
5. :mod:`~clv_xl.orders.paid_orders` -- keep paid orders, net refunds, drop non-sales;
6. :mod:`~clv_xl.orders.canonical` -- one currency, duplicates, the canonical frame sorted and counted.

What every stage decided is written in one :class:`CleaningReport` (:mod:`~clv_xl.orders.intake_report`), the
intake summary that the command line prints and the report's Data sheet shows.

The canonical frame has one row per order: ``customer_id`` (str), ``order_date`` (``datetime64[ns]``, tz-naive),
``amount`` (float64), plus ``order_id`` (str), ``currency`` (str) and ``quantity`` (float64) when the source has
them; sorted by ``(order_date, customer_id)`` with a fresh RangeIndex. Its :class:`CleaningReport` rides along in
``frame.attrs["cleaning_report"]``.

Cleaning rules (each one counted in the report; the switchable ones are keyword arguments of read_orders):

1. Line items: when several rows share an order id and only the first carries the order-level fields (Shopify),
   the others fill in from it, their quantities add up, and they fold into one order.
2. Customers: the customer id where it is filled; where it is blank, 0 or a guest marker, the e-mail (or the
   registered customer with that e-mail); guests without e-mail are never merged; an e-mail column wins over a
   column of person names (see :mod:`~clv_xl.orders.identify_customers`).
3. Rows without a customer, a date or an amount are dropped.
4. ``drop_refunds``: only paid orders are kept, refunds are netted and non-sales dropped (statuses, transaction
   types, refunded-amount columns, refund rows; see :mod:`~clv_xl.orders.paid_orders`), with
   ``paid_statuses`` / ``excluded_statuses`` over the platforms' vocabularies.
5. ``zero_amounts``: orders of 0 are verification charges in a file of payments unless they list items bought,
   and free purchases in a file of orders without statuses (the published CDNOW summaries count them).
6. ``keep_currency``: one currency per frame; a mix stops unless one is chosen.
7. ``drop_duplicate_order_ids``: a repeated order id keeps its first row.
8. Several orders of one customer on one day stay separate rows here; :func:`clv_xl.customers.summarize` counts
   them as one transaction (the convention of the published CDNOW summaries). The report counts them.
"""

from clv_xl.orders.intake_report import CleaningReport, cleaning_report
from clv_xl.orders.read import CANONICAL_COLUMNS, read_orders

__all__ = ["CleaningReport", "read_orders", "cleaning_report", "CANONICAL_COLUMNS"]
