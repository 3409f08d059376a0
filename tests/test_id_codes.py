"""Customer codes computed once per column: always pandas' own ``factorize`` of the column as it is now.

The truth is ``pd.factorize`` itself, called on the column at the moment of the question: the kept codes must
equal it after the cleaning ranked the ids, and must never outlive a change to the column.
"""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clv_xl import id_codes as module
from clv_xl.customers import summarize
from clv_xl.id_codes import id_codes
from clv_xl.orders import read_orders

DATA = Path(__file__).parent / "data"


def _same_as_pandas(ids: pd.Series, sort: bool) -> None:
    codes, distinct = id_codes(ids, sort=sort)
    want_codes, want_distinct = pd.factorize(ids, sort=sort)
    np.testing.assert_array_equal(codes, want_codes)
    assert distinct.tolist() == pd.Index(want_distinct).tolist()


@pytest.mark.parametrize("sort", [False, True])
def test_cleaned_orders_codes_are_pandas_factorize(sort):
    orders = read_orders(DATA / "cdnow" / "CDNOW_sample.txt")
    _same_as_pandas(orders["customer_id"], sort)
    _same_as_pandas(orders["customer_id"], sort)  # the kept answer too


def test_orders_already_in_date_order_keep_each_customers_codes():
    """A shop export in date order is not re-sorted by the cleaning (its other branch): ids b, a, c first appear
    out of order; each customer's revenue is counted here by hand."""
    raw = pd.DataFrame({"customer_id": ["b", "a", "c", "a"], "amount": [10.0, 20.0, 30.0, 5.0],
                        "order_date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]})
    orders = read_orders(raw)
    assert orders["customer_id"].tolist() == ["b", "a", "c", "a"]  # kept in their order
    for sort in (True, False):
        _same_as_pandas(orders["customer_id"], sort)
    assert summarize(orders)["revenue"].to_dict() == {"a": 25.0, "b": 10.0, "c": 30.0}


def test_a_changed_column_is_coded_again():
    frame = pd.DataFrame({"customer_id": pd.array(["b", "a", "b"], dtype="string[pyarrow]")})
    before = id_codes(frame["customer_id"])[0].tolist()
    frame.loc[1, "customer_id"] = "b"
    assert before == [0, 1, 0]
    assert id_codes(frame["customer_id"])[0].tolist() == [0, 0, 0]
    _same_as_pandas(frame["customer_id"], False)


def test_object_columns_are_coded_at_every_call():
    ids = pd.Series(["b", "a", "b"], dtype=object)
    first = id_codes(ids)[0]
    ids.iloc[1] = "b"  # an in-place change of the numpy-held values
    assert first.tolist() == [0, 1, 0]
    assert id_codes(ids)[0].tolist() == [0, 0, 0]


def test_kept_codes_are_read_only_and_let_go_with_their_column():
    frame = pd.DataFrame({"customer_id": pd.array(["x", "y"], dtype="string[pyarrow]")})
    codes, _ = id_codes(frame["customer_id"])
    with pytest.raises(ValueError):
        codes[0] = 5
    key = (id(frame["customer_id"].array._pa_array), False)
    assert key in module._CODES
    del frame
    gc.collect()
    assert key not in module._CODES
