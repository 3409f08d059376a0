"""Issue 10, Excel functions: hostile or careless arguments get one short message, never infinity or a traceback.

Every case runs twice: as a plain call (classic Excel's path: the message is the cell's text) and through
xlwings' own Office.js server-side dispatch (the message travels in an ``XlwingsError``, shown as ``#VALUE!``).
"""

from __future__ import annotations

import math

import pytest

from clv_xl.excel import udfs
from clv_xl.excel._udf_support import MESSAGE_LIMIT
from tests import officejs_dispatch

LONG = "x" * 100_000
BG = [0.2426, 4.4136, 0.7929, 2.4259]  # Fader, Hardie & Lee (2005), CDNOW
GG = [6.25, 3.74, 15.44]
IDS, DATES, AMOUNTS = [["a"], ["b"], ["a"]], [[45292], [45293], [45299]], [[10], [20], [30]]
HISTORY = ([[2], [0]], [[30.43], [0]], [[38.86], [38.86]], [[22.35], [0]])

# (function, arguments, what the message must say)
CASES = [
    # a 100,000-character text is never echoed whole
    ("CLV", [LONG, 2, 3], "avg_order_value must be a number; got text 'xxx"),
    ("CLV_RETENTION", [100, 0.8, 0.1, LONG], "first_period_counted must be TRUE or FALSE"),
    ("CLV_SUMMARY", [IDS, DATES, AMOUNTS, None, LONG], "time_unit must be one of D, W, M, Y; got 'xxx"),
    ("CLV_SUMMARY", [IDS, DATES, AMOUNTS, LONG], "observation_end must be a date like 2024-12-31; got 'xxx"),
    ("CLV_SUMMARY", [IDS, [[45292], [LONG], [45299]], AMOUNTS], ""),
    ("COHORT_RETENTION", [IDS, DATES, LONG], "period must be one of D, W, M, Q, Y; got 'xxx"),
    ("CLV_PREDICTED", [*BG, *GG, *HISTORY, 52, LONG], "time_unit must be one of D, W, M, Y; got 'xxx"),
    # integers beyond a float, non-finite dates
    ("CLV", [10**400, 2, 3], "avg_order_value is too large"),
    ("P_ALIVE", [10**400, *BG[1:], *HISTORY[:3]], "r is too large"),
    ("CLV_SUMMARY", [IDS, DATES, AMOUNTS, math.nan], "observation_end must be a date"),
    ("CLV_SUMMARY", [IDS, DATES, AMOUNTS, math.inf], "observation_end must be a date"),
    ("CLV_SUMMARY", [IDS, DATES, AMOUNTS, -math.inf], "observation_end must be a date"),
    # results beyond the largest number: a domain error, never infinity
    ("CLV", [1e308, 10, 10], "the result is beyond the largest number"),
    ("LIFESPAN", [1e-320], "the result is beyond the largest number"),
    # an empty required range names it
    ("CLV_SUMMARY", [IDS, DATES, [[None]]], "amounts is empty"),
    # a horizon past what makes sense fails fast, saying the bound
    ("CLV_PREDICTED", [*BG, *GG, *HISTORY, 1e6, "W"], "horizon must be above 0 and at most 100 years (5217 W)"),
    ("CLV_PREDICTED", [*BG, *GG, *HISTORY, 40_000, "D"], "horizon must be above 0 and at most 100 years"),
]


def assert_short(function: str, message: str, expected: str) -> None:
    assert message.startswith(f"{function}: "), message[:300]
    assert expected in message, message[:300]
    assert len(message) <= MESSAGE_LIMIT and "\n" not in message
    assert "x" * 100 not in message and "Traceback" not in message and "unexpected error" not in message


@pytest.mark.parametrize(("function", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_plain_call_shows_a_short_message(function, args, expected):
    result = getattr(udfs, function)(*args)
    assert len(result) == 1 and len(result[0]) == 1, result[:3]
    assert_short(function, result[0][0], expected)


@pytest.fixture(scope="module")
def office_js():
    return officejs_dispatch.run([[function, args] for function, args, _ in CASES])


def test_office_js_dispatch_shows_the_same_short_messages(office_js):
    for (function, _, expected), result in zip(CASES, office_js["results"], strict=True):
        assert result.get("type") == "XlwingsError", (function, str(result)[:300])
        assert_short(function, result["error"], expected)


def test_an_empty_amounts_argument_is_not_a_table_of_zeros():
    # omitted entirely (a plain call) as well as one empty cell
    assert udfs.CLV_SUMMARY(IDS, DATES, None) == [["CLV_SUMMARY: amounts is empty: select the range that holds it"]]


def test_the_largest_horizon_still_computes():
    # 100 years in weeks: the bound is not in the way of a real forecast
    cells = udfs.CLV_PREDICTED(*BG, *GG, *HISTORY, 5217, "W")
    assert all(isinstance(row[0], float) and math.isfinite(row[0]) and row[0] >= 0 for row in cells)


VALID = {
    "CLV": [50, 2, 3, 0.5, 0.1], "CLV_RETENTION": [100, 0.8, 0.1, True], "LTV_SUBSCRIPTION": [100, 0.05, 0.8],
    "CAC": [1000, 20], "LTV_CAC": [150, 50], "CAC_PAYBACK": [300, 50, 0.5], "CHURN_RATE": [200, 10],
    "RETENTION_RATE": [200, 210, 20], "LIFESPAN": [0.25], "CLV_SUMMARY": [IDS, DATES, AMOUNTS, 45300, "W"],
    "COHORT_RETENTION": [IDS, [[45292], [45293], [45330]], "M"],
    "BGNBD_FIT": [[[x] for x in (2, 0, 5, 1, 0, 3, 1, 0, 4, 2, 0, 1)],
                  [[x] for x in (30, 0, 20, 3, 0, 12, 5, 0, 25, 8, 0, 2)], 38.86],
    "BGNBD_PURCHASES": [*BG, 39, *HISTORY[:3]], "P_ALIVE": [*BG, *HISTORY[:3]],
    "GG_FIT": [[[x] for x in (2, 1, 3, 4, 1, 2, 5, 1, 2, 3, 1)], [[x] for x in (22, 10, 30, 15, 8, 12, 40, 9, 11,
                                                                               25, 14)]],
    "GG_SPEND": [*GG, HISTORY[0], HISTORY[3]], "CLV_PREDICTED": [*BG, *GG, *HISTORY, 52, "W", 0.1, 0.5],
    "MRR_TABLE": [IDS, DATES, AMOUNTS], "SBG_FIT": [[[100], [63.1], [46.8], [38.2]], 1000],
    "SBG_SURVIVAL": [0.704, 1.182, 8], "SBG_RETENTION": [0.704, 1.182, 8], "SBG_DERL": [0.704, 1.182, 0.1, 3],
    "MBGNBD_FIT": [[[x] for x in (2, 0, 5, 1, 0, 3, 1, 0, 4, 2, 0, 1)],
                   [[x] for x in (30, 0, 20, 3, 0, 12, 5, 0, 25, 8, 0, 2)], 38.86, 0.01],
    "PARETO_FIT": [[[x] for x in (2, 0, 5, 1, 0, 3, 1, 0, 4, 2, 0, 1)],
                   [[x] for x in (30, 0, 20, 3, 0, 12, 5, 0, 25, 8, 0, 2)], 38.86, 0.01],
    "BGBB_FIT": [[[0], [1], [2], [3], [4], [6]], [[0], [2], [4], [5], [6], [6]], 6,
                 [[300], [90], [60], [40], [30], [50]]],
    "MODEL_PURCHASES": ["bgnbd", [BG], 39, *HISTORY[:3]], "MODEL_P_ALIVE": ["bgnbd", [BG], *HISTORY[:3]],
    "MODEL_RESIDUAL": ["bgnbd", [BG], *HISTORY[:3], 0.01],
}
HOSTILE = [LONG, None, 10**400, 1e308, 1e-320, -1, [[1, 2], [3, 4]], [["a"], [None]]]


def test_every_function_every_argument_bad_input_is_one_short_line_and_never_non_finite():
    assert set(VALID) == {f.name for f in udfs.EXCEL_FUNCTIONS}
    calls = 0
    for function, good in VALID.items():
        call = getattr(udfs, function)
        assert not str(call(*good)[0][0]).startswith(f"{function}:"), call(*good)  # the valid call works
        for position in range(len(good)):
            for bad in HOSTILE:
                args = [*good[:position], bad, *good[position + 1:]]
                cells = call(*args)
                calls += 1
                values = [v for row in cells for v in row]
                assert not any(isinstance(v, float) and not math.isfinite(v) for v in values), (function, position)
                text = values[0]
                if isinstance(text, str) and text.startswith(f"{function}: "):
                    assert len(text) <= MESSAGE_LIMIT and "\n" not in text, text
                    assert "unexpected error" not in text and "x" * 100 not in text, text
    assert calls > 400
