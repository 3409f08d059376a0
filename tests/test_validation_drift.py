"""The drift cases of issue 16: a shared check behaves the same through every entry point.

Time units (one spelling rule), dates (the ambiguous "06/01/2024"), horizons and summary frames are checked by
:mod:`clv_xl.validation` only; these tests go through summarize, calibration_holdout, predicted_clv /
forecast_table, the Excel functions and the CLI, and compare what each one says.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from clv_xl.customers import summarize
from clv_xl.errors import InvalidArgumentError
from clv_xl.excel import udfs
from clv_xl.models import BetaGeo, GammaGamma, calibration_holdout, forecast_table, predicted_clv
from clv_xl.sample_shop import sample_orders

BG = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)  # Fader, Hardie & Lee (2005), CDNOW
GG = GammaGamma.from_params(6.25, 3.74, 15.44)


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return sample_orders()


@pytest.fixture(scope="module")
def orders_csv(orders, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("drift") / "orders.csv"
    orders[["customer_id", "order_date", "amount"]].to_csv(path, index=False)
    return str(path)


def message(call) -> str:
    """What an entry point says: the exception's text, or the Excel cell's text without the function name."""
    try:
        result = call()
    except InvalidArgumentError as exc:
        return str(exc)
    text = result[0][0]
    assert isinstance(text, str), f"accepted: {str(result)[:200]}"
    return text.split(": ", 1)[1]


def cli_message(args: list[str]) -> str:
    """What ``clv-xl ARGS`` says: its one error line, exit code 2."""
    done = subprocess.run([sys.executable, "-m", "clv_xl", *args], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    return lines[-1].removeprefix("Error: ")


def excel_columns(orders: pd.DataFrame, n: int = 200) -> tuple[list, list, list]:
    head = orders.head(n)
    return ([[c] for c in head["customer_id"]], [[d.strftime("%Y-%m-%d")] for d in head["order_date"]],
            [[a] for a in head["amount"]])


def test_lower_case_time_unit_is_accepted_by_every_entry_point(orders):
    upper = summarize(orders, time_unit="W")
    lower = summarize(orders, time_unit="w")
    pd.testing.assert_frame_equal(upper, lower)
    assert lower.attrs["time_unit"] == "W"
    # the drift case: forecast_table(summary, 52, "w") used to say "run summarize(time_unit='w')"
    table, _ = forecast_table(upper, 52, "w")
    assert len(table) == len(upper)
    assert predicted_clv(BG, GG, upper, 52, "w").equals(predicted_clv(BG, GG, upper, 52, "W"))
    split = calibration_holdout(orders, "2025-06-30", "2025-12-31", time_unit="w")
    assert split.attrs["time_unit"] == "W"
    ids, dates, amounts = excel_columns(orders)
    assert udfs.CLV_SUMMARY(ids, dates, amounts, None, "w") == udfs.CLV_SUMMARY(ids, dates, amounts, None, "W")
    assert udfs.COHORT_RETENTION(ids, dates, "m") == udfs.COHORT_RETENTION(ids, dates, "M")


def test_a_unit_refused_is_refused_by_every_entry_point_with_one_message(orders, orders_csv):
    summary = summarize(orders, time_unit="W")
    ids, dates, amounts = excel_columns(orders)
    expected = "time_unit must be one of D, W, M, Y; got 'weeks'"
    said = {
        "summarize": message(lambda: summarize(orders, time_unit="weeks")),
        "forecast_table": message(lambda: forecast_table(summary, 52, "weeks")),
        "predicted_clv": message(lambda: predicted_clv(BG, GG, summary, 52, "weeks")),
        "calibration_holdout": message(lambda: calibration_holdout(orders, "2025-06-30", "2025-12-31", "weeks")),
        "CLV_SUMMARY": message(lambda: udfs.CLV_SUMMARY(ids, dates, amounts, None, "weeks")),
        "CLV_PREDICTED": message(lambda: udfs.CLV_PREDICTED(0.24, 4.4, 0.79, 2.4, 6.25, 3.74, 15.44, 2, 30, 38,
                                                             22, 52, "weeks")),
        "clv-xl summary": cli_message(["summary", orders_csv, "-o", "never.csv", "--time-unit", "weeks"]),
    }
    assert said == dict.fromkeys(said, expected)


def test_a_unit_mismatch_suggests_what_summarize_accepts(orders):
    summary = summarize(orders, time_unit="W")
    text = message(lambda: forecast_table(summary, 52, "d"))
    assert "Re-run summarize(..., time_unit='D')" in text
    summarize(orders, time_unit="D")  # the suggestion runs


AMBIGUOUS = "06/01/2024"


def test_the_ambiguous_date_is_refused_the_same_way_everywhere(orders, orders_csv):
    ids, dates, amounts = excel_columns(orders)
    said = {
        "summarize": message(lambda: summarize(orders, observation_end=AMBIGUOUS)),
        "calibration_holdout": message(lambda: calibration_holdout(orders, "2025-06-30", AMBIGUOUS)),
        "CLV_SUMMARY": message(lambda: udfs.CLV_SUMMARY(ids, dates, amounts, AMBIGUOUS)),
        "clv-xl summary": cli_message(["summary", orders_csv, "-o", "never.csv", "--observation-end", AMBIGUOUS]),
    }
    expected = ("observation_end '06/01/2024' could be 6 January or June 1: write it as YYYY-MM-DD "
                "(2024-01-06 or 2024-06-01)")
    assert said == dict.fromkeys(said, expected)
    calibration = message(lambda: calibration_holdout(orders, AMBIGUOUS, "2024-12-31"))
    assert calibration == expected.replace("observation_end", "calibration_end")


def test_an_unambiguous_slashed_date_is_read_the_same_way_everywhere(orders):
    # 13/06/2025 can only be 13 June
    by_summary = summarize(orders, observation_end="13/06/2025").attrs["observation_end"]
    split = calibration_holdout(orders, "13/06/2025", "2025-12-31")
    assert by_summary == split.attrs["calibration_end"] == pd.Timestamp("2025-06-13")


def test_a_number_is_not_a_date_in_python(orders):
    # pandas would read 45292 as nanoseconds after 1970; the Excel functions turn serials into dates themselves
    assert message(lambda: summarize(orders, observation_end=45292)) == (
        "observation_end must be a date like 2024-12-31; got 45292"
    )
    assert message(lambda: calibration_holdout(orders, 45292, "2024-12-31")).startswith("calibration_end must be")


def test_a_horizon_beyond_a_century_is_refused_by_every_entry_point(orders):
    summary = summarize(orders, time_unit="M")
    expected = "horizon must be above 0 and at most 100 years (1200 M); got 5000"
    assert message(lambda: predicted_clv(BG, GG, summary, 5000, "M")) == expected
    assert message(lambda: forecast_table(summary, 5000, "M")) == expected
    assert message(lambda: udfs.CLV_PREDICTED(0.24, 4.4, 0.79, 2.4, 6.25, 3.74, 15.44, 2, 30, 38, 22, 5000,
                                              "M")) == expected
