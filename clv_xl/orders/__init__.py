"""Read order data from files or DataFrames into one canonical frame, and record what was done.

:func:`read_orders` is the one entry point. A source goes through these stages, one module each:

1. :mod:`~clv_xl.orders.open_file` -- open: file kind, encoding, separator, header, sheet;
2. :mod:`~clv_xl.orders.find_columns` -- find the customer, date, amount and optional columns;
3. :mod:`~clv_xl.orders.parse_values` -- parse dates and amounts;
4. :mod:`~clv_xl.orders.identify_customers` -- customer keys;
5. :mod:`~clv_xl.orders.paid_orders` -- keep paid orders, net refunds;
6. :mod:`~clv_xl.orders.canonical` -- the canonical frame, sorted and counted.

What every stage decided is written in one :class:`CleaningReport` (:mod:`~clv_xl.orders.intake_report`).

The canonical frame has one row per order: ``customer_id`` (str), ``order_date`` (``datetime64[ns]``, tz-naive),
``amount`` (float64), plus ``order_id`` (str), ``currency`` (str) and ``quantity`` (float64) when the source has
them; sorted by ``(order_date, customer_id)`` with a fresh RangeIndex. Its :class:`CleaningReport` rides along in
``frame.attrs["cleaning_report"]``.

Cleaning rules (each one counted in the report; the switchable ones are keyword arguments):

1. Line items: when several rows share an order id and only the first carries the order-level fields (Shopify),
   the others fill in from it, their quantities add up, and they fold into one order.
2. Rows without a customer, a date or an amount are dropped.
3. ``drop_refunds``: orders whose status column (Shopify "Financial Status", WooCommerce "Order Status", Stripe
   "Status") says refunded, voided, failed, cancelled or declined are dropped; a refunded-amount column (Stripe
   "Amount Refunded") is subtracted from its order; a negative amount whose order id matches an order is netted
   against it (an order refunded in full is dropped); other negative amounts are dropped.
4. ``drop_zero_amounts`` (off by default): orders of 0 are dropped. They are kept by default because a free
   order is still a purchase: the published CDNOW summaries count them.
5. ``drop_duplicate_order_ids``: a repeated order id keeps its first row.
6. Several orders of one customer on one day stay separate rows here; :func:`clv_xl.customers.summarize` counts
   them as one transaction (the convention of the published CDNOW summaries). The report counts them.

Customer ids are text with surrounding spaces removed; whole-number ids stored as numbers lose the ``.0``
(``1001.0`` -> ``"1001"``); ids that are e-mail addresses are lower-cased.
"""

from clv_xl.orders.intake_report import CleaningReport, cleaning_report
from clv_xl.orders.read import CANONICAL_COLUMNS, read_orders

__all__ = ["CleaningReport", "read_orders", "cleaning_report", "CANONICAL_COLUMNS"]
