"""Repeated order ids are found by numeric keys (clv_xl.orders.canonical): checked against Python's own set."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clv_xl.orders.canonical import _has_duplicates


def _ids(kind: str, rng: np.random.Generator, n: int) -> list[str]:
    numbers = rng.integers(0, 10**9, n)
    makers = {
        "fixed": lambda: [f"O{x:09d}" for x in numbers],  # one 8-byte word and more, all one length
        "short": lambda: [f"#{x % 10**6}" for x in numbers],  # lengths differ, within 15 bytes
        "uuid": lambda: [f"{x:032x}-{x % 7}" for x in numbers],  # one length, 5 words
        "long": lambda: ["order-" * (1 + x % 12) + str(x) for x in numbers],  # past the key's reach
        "odd": lambda: ["", "a", "a\x00", "é", "\x00", "ab\x00\x00"][: n] * (n // 6 + 1),  # NUL bytes, UTF-8
    }
    return makers[kind]()[:n]


@pytest.mark.parametrize("kind", ["fixed", "short", "uuid", "long", "odd"])
@pytest.mark.parametrize("planted", [False, True])
def test_duplicates_match_a_set(kind: str, planted: bool) -> None:
    rng = np.random.default_rng(len(kind) + planted)
    ids = list(dict.fromkeys(_ids(kind, rng, 5000)))  # distinct ids
    if planted:
        ids.insert(int(rng.integers(0, len(ids))), ids[int(rng.integers(0, len(ids)))])
    series = pd.Series(ids + [None], dtype="str")
    assert _has_duplicates(series) is (len(set(ids)) < len(ids)) is planted


def test_text_equal_but_not_the_same_value_is_not_a_repeat() -> None:
    # object columns keep pandas' comparison: 1 and "1" are two ids
    assert not _has_duplicates(pd.Series([1, "1", None], dtype=object))
    assert _has_duplicates(pd.Series(["a", "b", "a"], dtype=object))
    assert not _has_duplicates(pd.Series(["\ud800", "a"], dtype=object))  # a lone surrogate: pandas decides
