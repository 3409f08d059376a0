"""Calibration / holdout split: fit on the past, check the forecast on what happened next.

The calibration summary follows :func:`clv_xl.customers.summarize` (lifetimes' conventions: several orders of
a customer on one day are one transaction; ``frequency`` = transactions - 1, ``recency`` = first to last
transaction, ``T`` = first transaction to ``calibration_end``, ``monetary_value`` = mean of the repeat
transactions), computed on the orders up to and including ``calibration_end``. Only customers whose first
order falls in the calibration period are kept (the BG/NBD cohort). The holdout period is the days after
``calibration_end`` up to and including ``observation_end``; ``frequency_holdout`` counts the customer's
transactions (purchase days) in it and ``duration_holdout`` is its length in ``time_unit``.

This is the split of Fader, Hardie & Lee (2005), section 4: CDNOW, calibration to 1997-09-30 (39 weeks), holdout
to 1998-06-30 (the following 39 weeks).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clv_xl.customers import summarize
from clv_xl.errors import InvalidArgumentError
from clv_xl.models.bgnbd import BetaGeo
from clv_xl.orders import read_orders
from clv_xl.validation import TIME_UNITS, check_summary, check_time_unit, is_canonical_orders, parse_date

__all__ = ["CALIBRATION_HOLDOUT_COLUMNS", "calibration_holdout", "holdout_comparison"]

#: Columns of :func:`calibration_holdout`, in order.
CALIBRATION_HOLDOUT_COLUMNS: tuple[str, ...] = (
    "frequency_cal",
    "recency_cal",
    "T_cal",
    "monetary_value_cal",
    "frequency_holdout",
    "monetary_value_holdout",
    "duration_holdout",
)


def calibration_holdout(
    orders: Any,
    calibration_end: Any,
    observation_end: Any,
    time_unit: str = "W",
) -> pd.DataFrame:
    """Per-customer calibration summary and holdout counts.

    Parameters
    ----------
    orders : pandas.DataFrame or path
        Canonical orders from :func:`clv_xl.orders.read_orders`, or anything it reads (file or raw frame).
        Not modified.
    calibration_end : date-like
        Last day of the calibration period (its orders count in calibration).
    observation_end : date-like
        Last day of the holdout period; must be after ``calibration_end``.
    time_unit : {"D", "W", "M", "Y"}, default "W"
        Unit of recency, T and duration (days, weeks = days / 7, months, years).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, with the columns of :data:`CALIBRATION_HOLDOUT_COLUMNS`; ``attrs`` records
        ``time_unit``, ``calibration_end`` and ``observation_end``.

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b"],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08", "2024-03-04"]),
    ...     "amount": [10.0, 20.0, 30.0, 7.0, 8.0],
    ... })
    >>> calibration_holdout(orders, "2024-01-29", "2024-03-25")[["frequency_cal", "T_cal", "frequency_holdout",
    ...                                                          "duration_holdout"]]
                 frequency_cal  T_cal  frequency_holdout  duration_holdout
    customer_id
    a                        1    4.0                  1               8.0
    b                        0    3.0                  1               8.0
    """
    time_unit = check_time_unit(time_unit)
    unit = TIME_UNITS[time_unit]
    canonical = orders if is_canonical_orders(orders) else read_orders(orders)
    cal_end = parse_date(calibration_end, "calibration_end").normalize()
    obs_end = parse_date(observation_end, "observation_end").normalize()
    if obs_end <= cal_end:
        raise InvalidArgumentError(
            "observation_end",
            f"observation_end must be after calibration_end ({cal_end:%Y-%m-%d}); got {obs_end:%Y-%m-%d}",
        )
    dates = canonical["order_date"]
    cal_mask = dates < cal_end + pd.Timedelta(days=1)
    if not cal_mask.any():
        raise InvalidArgumentError(
            "calibration_end",
            f"calibration_end must be on or after the first order ({dates.min():%Y-%m-%d}); got {cal_end:%Y-%m-%d}",
        )
    calibration = summarize(canonical[cal_mask], observation_end=cal_end, time_unit=time_unit)
    result = pd.DataFrame(
        {
            "frequency_cal": calibration["frequency"],
            "recency_cal": calibration["recency"],
            "T_cal": calibration["T"],
            "monetary_value_cal": calibration["monetary_value"],
        },
        index=calibration.index,
    )
    hold_mask = ~cal_mask & (dates < obs_end + pd.Timedelta(days=1))
    holdout = canonical.loc[hold_mask, ["customer_id", "order_date", "amount"]]
    holdout = holdout[result.index.get_indexer(holdout["customer_id"]) >= 0]  # (isin on text is 15x slower)
    # one transaction per customer and day, as in the calibration summary
    days = (
        holdout.assign(day=holdout["order_date"].dt.normalize())
        .groupby(["customer_id", "day"], sort=False)["amount"]
        .sum()
        .groupby(level="customer_id", sort=False)
        .agg(["size", "mean"])
    )
    result["frequency_holdout"] = days["size"].reindex(result.index, fill_value=0).astype("int64")
    result["monetary_value_holdout"] = days["mean"].reindex(result.index, fill_value=0.0).astype("float64")
    result["duration_holdout"] = float((obs_end - cal_end).days) / unit
    result.attrs.update({"time_unit": time_unit, "calibration_end": cal_end, "observation_end": obs_end})
    return result


def holdout_comparison(bg: BetaGeo, cal_holdout: pd.DataFrame, max_frequency: int = 7) -> pd.DataFrame:
    """Actual vs predicted holdout purchases by calibration frequency (the check of FHL 2005, Figure 4).

    Parameters
    ----------
    bg : BetaGeo
        BG/NBD fitted on the calibration columns (``frequency_cal``, ``recency_cal``, ``T_cal``).
    cal_holdout : pandas.DataFrame
        Output of :func:`calibration_holdout`.
    max_frequency : int, default 7
        Customers with ``frequency_cal >= max_frequency`` are pooled in the last row.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``frequency_cal`` (0 .. max_frequency; the last means "or more"), with ``n_customers``,
        ``actual`` (mean ``frequency_holdout``) and ``predicted`` (mean conditional expectation, eq. 10, over
        ``duration_holdout``).

    Examples
    --------
    >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
    >>> ch = pd.DataFrame({"frequency_cal": [0, 2], "recency_cal": [0.0, 30.43], "T_cal": [38.86, 38.86],
    ...                    "frequency_holdout": [0, 2], "duration_holdout": [39.0, 39.0]})
    >>> holdout_comparison(bg, ch, max_frequency=2).round(3)
                   n_customers  actual  predicted
    frequency_cal
    0                        1     0.0      0.195
    1                        0     NaN        NaN
    2                        1     2.0      1.226
    """
    if not isinstance(bg, BetaGeo):
        raise InvalidArgumentError("bg", f"bg must be a fitted BetaGeo model; got {type(bg).__name__}")
    needed = ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]
    check_summary(cal_holdout, needed, argument="cal_holdout")
    if isinstance(max_frequency, bool) or not isinstance(max_frequency, int | np.integer) or max_frequency < 1:
        raise InvalidArgumentError("max_frequency", f"max_frequency must be a whole number >= 1; got {max_frequency!r}")
    predicted = np.asarray(
        bg.expected_purchases(
            cal_holdout["duration_holdout"].to_numpy(float),
            cal_holdout["frequency_cal"].to_numpy(float),
            cal_holdout["recency_cal"].to_numpy(float),
            cal_holdout["T_cal"].to_numpy(float),
        )
    )
    bucket = np.minimum(cal_holdout["frequency_cal"].to_numpy(), max_frequency)
    frame = pd.DataFrame(
        {"bucket": bucket, "actual": cal_holdout["frequency_holdout"].to_numpy(float), "predicted": predicted}
    )
    grouped = frame.groupby("bucket").agg(
        n_customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    grouped = grouped.reindex(range(max_frequency + 1))
    grouped["n_customers"] = grouped["n_customers"].fillna(0).astype("int64")
    grouped.index.name = "frequency_cal"
    return grouped
