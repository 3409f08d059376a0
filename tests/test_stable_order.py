"""clv_xl.stable_order against numpy's own stable sort by two keys (np.lexsort), on every path it takes."""

from __future__ import annotations

import numpy as np
import pytest

from clv_xl.stable_order import stable_order


@pytest.mark.parametrize(("major_high", "minor_high"), [
    (50, 30),  # unique keys, one plain sort
    (2**40, 2**10),  # the position no longer fits: combined key sorted stably
    (2**40, 2**40),  # not even the combined key: np.lexsort
])
def test_same_order_as_lexsort(major_high: int, minor_high: int) -> None:
    rng = np.random.default_rng(major_high % 97 + minor_high % 89)
    major = rng.integers(-major_high, major_high, 20_000)
    minor = rng.integers(0, minor_high, 20_000)
    major[::7] = major[0]  # many ties
    minor[::5] = minor[0]
    assert np.array_equal(stable_order(major, minor), np.lexsort((minor, major)))


def test_empty_and_single() -> None:
    assert stable_order(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []
    assert stable_order(np.array([4]), np.array([-3])).tolist() == [0]
