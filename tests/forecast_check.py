"""The Forecast sheet's calibration-vs-holdout block, read back, and its "actual" column counted by hand."""

from __future__ import annotations

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from clv_xl.report.labels import label

__all__ = ["holdout_means_by_hand", "read_calibration_block", "cut_day"]


def cut_day(dates: pd.Series) -> pd.Timestamp:
    """Where the Forecast sheet splits a history: two thirds of its span in whole days, from the first day.

    Orders on the cut day belong to the calibration period; the holdout starts the day after.
    """
    start, end = dates.min().normalize(), dates.max().normalize()
    return start + pd.Timedelta(days=(end - start).days * 2 // 3)


def holdout_means_by_hand(customers: pd.Series, dates: pd.Series, cut: pd.Timestamp) -> dict[str, float]:
    """Mean purchase days after ``cut`` by purchase days up to ``cut`` minus one ("0" .. "5", "6+"), in pandas.

    A purchase day is a (customer, calendar day) pair; customers are those who bought by the cut day.
    """
    days = pd.DataFrame({"customer": customers.to_numpy(), "day": dates.dt.normalize().to_numpy()}).drop_duplicates()
    calibration = days[days["day"] <= cut].groupby("customer").size() - 1
    holdout = days[days["day"] > cut].groupby("customer").size().reindex(calibration.index, fill_value=0)
    group = calibration.clip(upper=6).map(lambda g: "6+" if g == 6 else str(g))
    return holdout.groupby(group).mean().to_dict()


def read_calibration_block(sheet: Worksheet, lang: str = "en") -> tuple[dict[str, float], dict[str, float]]:
    """The Actual and Model columns of the Forecast sheet, by group, found by their headers."""
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    header = cells[label("f.actual", lang)]
    assert sheet.cell(header.row, header.column - 1).value == label("f.period", lang)
    assert sheet.cell(header.row, header.column + 1).value == label("f.model", lang)
    actual: dict[str, float] = {}
    model: dict[str, float] = {}
    for r in range(header.row + 1, header.row + 8):
        group = sheet.cell(r, header.column - 1).value
        if group is None:
            break
        actual[group] = sheet.cell(r, header.column).value
        model[group] = sheet.cell(r, header.column + 1).value
    return actual, model
