"""Excel ranges of orders read in one conversion per column give the figures counted by hand, and bad cells are
still named by their row (the message the cell-by-cell reader gives)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from clv_xl.cell_columns import flatten_column, read_cells
from clv_xl.excel import udfs

IDS = [["a"], ["a"], ["b"], [None]]  # the last row: an empty row of the selection, ignored
AMOUNTS = [[10.0], [25.0], [7.5], [None]]
# a: orders on 1 and 8 January 2024, b: on 3 January; the data end on 8 January
# -> a: frequency 1, recency 7, T 7, revenue 35; b: frequency 0, recency 0, T 5, revenue 7.5 (counted by hand)
DATES = {
    "datetimes (classic Excel)": [[dt.datetime(2024, 1, 1)], [dt.datetime(2024, 1, 8)], [dt.datetime(2024, 1, 3)],
                                  [None]],
    "serial numbers (Office.js)": [[45292.0], [45299.0], [45294.0], [None]],
    "text": [["2024-01-01"], ["2024-01-08"], ["2024-01-03"], [None]],
    "a mix": [[dt.datetime(2024, 1, 1)], [45299], ["2024-01-03"], [None]],
}


@pytest.mark.parametrize("dates", DATES.values(), ids=DATES.keys())
def test_summary_is_the_hand_count_whatever_the_date_cells(dates: list[list[object]]) -> None:
    header, *rows = udfs.CLV_SUMMARY(IDS, dates, AMOUNTS)
    got = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert [(got[c]["frequency"], got[c]["recency"], got[c]["T"], got[c]["revenue"]) for c in "ab"] == [
        (1, 7.0, 7.0, 35.0), (0, 0.0, 5.0, 7.5)]
    assert got["a"]["first_order"] == dt.datetime(2024, 1, 1)


@pytest.mark.parametrize(("dates", "shown"), [
    ([[45292.0], [-5.0], [45293.0]], "row 2 date '-5.0'"),
    ([[dt.datetime(2024, 1, 1)], [dt.datetime(1850, 1, 2)], [dt.datetime(2024, 1, 2)]], "row 2 date '1850-01-02"),
    ([[dt.datetime(2024, 1, 1)], [dt.datetime(2024, 1, 2)], [dt.datetime(1, 1, 2)]], "row 3 date '0001-01-02"),
    ([[dt.datetime(2024, 1, 1)], [dt.datetime(2024, 1, 2)], ["not a date"]], "row 3 date 'not a date'"),
])
def test_a_bad_date_is_named_by_its_row(dates: list[list[object]], shown: str) -> None:
    message = udfs.CLV_SUMMARY([["a"], ["b"], ["c"]], dates, [[1.0], [2.0], [3.0]])[0][0]
    assert message.startswith("CLV_SUMMARY: ") and shown in message


def test_a_half_filled_row_is_named_by_its_row_and_column() -> None:
    message = udfs.CLV_SUMMARY([["a"], ["b"], ["c"]], [[45292.0], [None], [45293.0]], [[1.0], [2.0], [" "]])
    assert message == [["CLV_SUMMARY: order_dates has an empty cell at row 2 of the range: fill it in, or empty "
                        "the whole row"]]


def test_time_zones_keep_the_local_day() -> None:
    paris = [[pd.Timestamp("2024-01-01 23:30", tz="Europe/Paris")], [pd.Timestamp("2024-01-05", tz="Europe/Paris")]]
    header, row = udfs.CLV_SUMMARY([["a"], ["a"]], paris, [[1.0], [2.0]])
    assert dict(zip(header, row, strict=True))["recency"] == 4.0  # 1 to 5 January, wall clock


def test_a_zone_among_plain_datetimes_keeps_its_local_day() -> None:
    # 1 January (no zone), then 5 January 00:30 in Paris = 4 January 23:30 UTC: the wall clock says 4 days
    paris = dt.datetime(2024, 1, 5, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    header, row = udfs.CLV_SUMMARY([["a"], ["a"]], [[dt.datetime(2024, 1, 1)], [paris]], [[1.0], [2.0]])
    assert dict(zip(header, row, strict=True))["recency"] == 4.0


def test_column_helpers() -> None:
    assert flatten_column([["x"], [None]], "ids") == ["x", None]
    assert read_cells(["", "\u3000", "\x1c", "a ", " a", None, 0.0]).empty.tolist() == [
        True, True, True, False, False, True, False]
    assert read_cells([1.0, 2, None]).values.tolist()[:2] == [1.0, 2.0]
    assert read_cells([1.0, "2"]).values == [1.0, "2"]  # a mix stays cells, for the reader to parse one by one
    assert str(read_cells([dt.datetime(2024, 1, 5), None]).values.dtype) == "datetime64[ns]"
    assert read_cells([dt.datetime(2024, 1, 5, 6, 7, 8, 9), None]).values.tolist() == [
        1704434828000009000, None]  # 2024-01-05 06:07:08.000009 in nanoseconds since 1970 (date -d ... +%s)
    assert read_cells([None, dt.datetime(1, 1, 2)]).values[1] == dt.datetime(1, 1, 2)  # beyond: the reader names it
    column = read_cells(["C1", None, " ", "\u00a0x", "é"])
    assert column.values.tolist()[::2] == ["C1", " ", "é"] and column.empty.tolist() == [
        False, True, True, False, False]
