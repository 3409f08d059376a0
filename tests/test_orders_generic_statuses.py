"""A table from no known platform: the common "no sale" words are read from the generic vocabulary, and said so.

A word missing from ``generic.csv`` can go unnoticed when some platform's vocabulary happens to know it (British
"cancelled" is in WooCommerce's and PayPal's): the order is still dropped, but the intake summary then tells the
analyst that a plain export's statuses were read with WooCommerce's vocabulary. The truth here is the list of
words typed below, each with what it must mean (no sale) and where that must come from (the generic list).
"""

from __future__ import annotations

import pandas as pd
import pytest

from clv_xl.orders import cleaning_report, read_orders

NO_SALE = ("cancelled", "canceled", "Annulée", "failed", "declined", "void")


@pytest.mark.parametrize("word", NO_SALE)
def test_a_plain_exports_no_sale_word_drops_the_order_by_the_generic_list(word: str) -> None:
    raw = pd.DataFrame({
        "customer": ["a", "b"],
        "date": ["2024-01-01", "2024-01-02"],
        "amount": [10.0, 20.0],
        "status": ["paid", word],
    })
    orders = read_orders(raw)
    assert orders["customer_id"].tolist() == ["a"]
    seen = {s.value: s for s in cleaning_report(orders).statuses}
    assert (seen[word].treatment, seen[word].source, seen[word].rows) == ("not paid", "generic", 1)
    assert f"'{word}' not paid (generic): 1 row" in seen[word].text()
