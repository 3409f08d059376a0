"""Churn by period, measured only where it can be seen, and the inactivity window that defines it.

Definitions (the report's Definitions sheet repeats them):

- A customer is *on the books* from the period of an order until ``inactive_after`` periods have passed without
  one. They are *lost* in the period that makes ``inactive_after`` periods without an order.
- *New* customers are on the books for the first time (their first order ever falls in the period);
  *returning* customers come back after having been lost (reactivated). Both are counted apart from the
  customers at the start: ``customers_at_end = customers_at_start + new + returning - lost``.
- A period's churn (lost / customers at start, Skok's simple churn) is *observable* only once a loss in it can
  be seen: a loss needs ``inactive_after`` periods without an order, so in the first ``inactive_after`` periods
  of the history nobody can be lost yet. Those periods have no churn rate (NaN, a blank cell in the report),
  not 0 %, and are left out of any average.
- The inactivity window is chosen from the data unless given (:func:`choose_inactivity_window`): a high
  percentile of the gaps between a customer's consecutive ordering periods, rounded up to whole periods, so
  that most customers who are still buying are not called lost between two orders. Orders at a regular rhythm
  (a subscription billed monthly) give a window of that rhythm.

The window's choice lives in :mod:`clv_xl.inactivity`, the churn-risk bands in :mod:`clv_xl.churn_risk`; both
are importable from here as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl import formulas
from clv_xl.churn_risk import ACTIVE_FROM, LAPSED_BELOW, RISK_BANDS, months_since_last_order, risk_bands
from clv_xl.customers.aggregate import _as_orders
from clv_xl.customers.cohorts import _check_period, _period_start
from clv_xl.errors import InvalidArgumentError
from clv_xl.inactivity import (
    GAP_PERCENTILE,
    REGULAR_SHARE,  # noqa: F401  (public here too: clv_xl.engines.activity imports it from churn)
    ActivePeriods,
    InactivityWindow,
    active_periods,
    choose_inactivity_window,
    parse_inactive_after,
)

__all__ = [
    "CHURN_COLUMNS",
    "GAP_PERCENTILE",
    "InactivityWindow",
    "choose_inactivity_window",
    "parse_inactive_after",
    "churn_series",
    "series_from_flows",
    "average_churn",
    "RISK_BANDS",
    "ACTIVE_FROM",
    "LAPSED_BELOW",
    "risk_bands",
    "months_since_last_order",
]

#: Columns of :func:`churn_series`, in order.
CHURN_COLUMNS: tuple[str, ...] = (
    "period", "customers_at_start", "new_customers", "returning_customers", "lost_customers", "customers_at_end",
    "churn_rate", "retention_rate",
)


def churn_series(orders: pd.DataFrame, period: str = "M", inactive_after: int | None = None, *,
                 active: ActivePeriods | None = None) -> pd.DataFrame:
    """Customers at start, new, returning, lost and at end of each period, with observable churn and retention.

    Parameters
    ----------
    orders : pandas.DataFrame
        Canonical orders from :func:`clv_xl.orders.read_orders`.
    period : {"D", "W", "M", "Q", "Y"}
        Period length (weeks start on Monday).
    inactive_after : int, optional
        Periods without an order after which a customer is lost (see the module notes); None chooses it from
        the data with :func:`choose_inactivity_window`. With 1, a customer counts only in periods when they order.
    active : tuple, optional
        :func:`clv_xl.inactivity.active_periods` of ``orders`` and ``period``, when the caller has it already.

    Returns
    -------
    pandas.DataFrame
        One row per period from the first order's to the last order's, columns :data:`CHURN_COLUMNS`:
        ``churn_rate`` (:func:`clv_xl.formulas.churn_rate`, lost / start) and ``retention_rate``
        (:func:`clv_xl.formulas.retention_rate`, (end - new - returning) / start) are NaN where churn cannot be
        observed (the first ``inactive_after`` periods) or nobody was on the books at the start.
        ``attrs["inactive_after"]`` holds the :class:`InactivityWindow`.

    Examples
    --------
    >>> from clv_xl.orders import read_orders
    >>> orders = read_orders(pd.DataFrame({
    ...     "customer": ["a", "b", "a", "c", "a"],
    ...     "date": ["2024-01-05", "2024-01-20", "2024-02-02", "2024-03-10", "2024-05-01"],
    ...     "amount": [10.0, 20.0, 5.0, 8.0, 1.0],
    ... }))
    >>> churn = churn_series(orders, inactive_after=1)
    >>> churn.drop(columns=["period", "retention_rate"]).to_numpy().tolist()
    [[0.0, 2.0, 0.0, 0.0, 2.0, nan], [2.0, 0.0, 0.0, 1.0, 1.0, 0.5], [1.0, 1.0, 0.0, 1.0, 1.0, 1.0], \
[1.0, 0.0, 0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0, 1.0, nan]]
    """
    _check_period(period)
    orders = _as_orders(orders)
    if inactive_after is None:
        window = choose_inactivity_window(orders, period, active=active)
    else:
        if isinstance(inactive_after, bool) or not isinstance(inactive_after, int | np.integer) or inactive_after < 1:
            raise InvalidArgumentError(
                "inactive_after", f"inactive_after must be a whole number of periods >= 1; got {inactive_after!r}"
            )
        window = InactivityWindow(int(inactive_after), period, "given")
    w = window.periods
    customer, active_period, first_period, last_period = active or active_periods(orders, period)
    # a spell starts at an order that follows the previous one by more than w periods (or is the customer's
    # first) and ends w periods after its last order
    first_ever = np.concatenate(([True], customer[1:] != customer[:-1]))
    gap = np.concatenate(([0], np.diff(active_period)))
    starts = first_ever | (gap > w)
    ends = np.concatenate((starts[1:], [True]))
    n = last_period - first_period + 1
    new = np.bincount(active_period[first_ever] - first_period, minlength=n)
    returning = np.bincount(active_period[starts & ~first_ever] - first_period, minlength=n)
    lost_at = active_period[ends] + w - first_period
    lost = np.bincount(lost_at[lost_at < n], minlength=n)
    return series_from_flows(new, returning, lost, first_period, window)


def series_from_flows(new: np.ndarray, returning: np.ndarray, lost: np.ndarray, first_period: int,
                      window: InactivityWindow) -> pd.DataFrame:
    """The churn series from each period's new, returning and lost customers (one value a period from the first).

    The one place where customers at start and end, churn and retention are derived: :func:`churn_series` and the
    SQL engines (:mod:`clv_xl.engines.activity`) both end here.

    Examples
    --------
    >>> series = series_from_flows(np.array([2, 0]), np.array([0, 0]), np.array([0, 1]), 648, InactivityWindow(1))
    >>> series["customers_at_end"].tolist(), series["churn_rate"].tolist()
    ([2, 1], [nan, 0.5])
    """
    w, n = window.periods, len(new)
    at_end = np.cumsum(new + returning - lost)
    at_start = np.concatenate(([0], at_end[:-1]))
    churn = np.full(n, np.nan)
    retention = np.full(n, np.nan)
    ok = (at_start > 0) & (np.arange(n) >= w)
    if ok.any():
        churn[ok] = formulas.churn_rate(at_start[ok], lost[ok])
        retention[ok] = formulas.retention_rate(at_start[ok], at_end[ok], (new + returning)[ok])
    frame = pd.DataFrame(
        {
            "period": _period_start(np.arange(first_period, first_period + n), window.period),
            "customers_at_start": at_start.astype("int64"),
            "new_customers": new.astype("int64"),
            "returning_customers": returning.astype("int64"),
            "lost_customers": lost.astype("int64"),
            "customers_at_end": at_end.astype("int64"),
            "churn_rate": churn,
            "retention_rate": retention,
        }
    )
    frame.attrs["inactive_after"] = window
    return frame


def average_churn(series: pd.DataFrame) -> float:
    """Pooled churn over the observable periods: Σ lost ÷ Σ customers at start where a churn rate exists.

    Parameters
    ----------
    series : pandas.DataFrame
        Output of :func:`churn_series`.

    Returns
    -------
    float
        The average churn per period; NaN when no period is observable.

    Examples
    --------
    >>> frame = pd.DataFrame({"customers_at_start": [0, 100, 100, 80], "lost_customers": [0, 0, 20, 8],
    ...                       "churn_rate": [float("nan"), float("nan"), 0.2, 0.1]})
    >>> round(average_churn(frame), 4)
    0.1556
    """
    seen = series["churn_rate"].notna().to_numpy()
    start = float(series["customers_at_start"].to_numpy()[seen].sum())
    return float(series["lost_customers"].to_numpy()[seen].sum()) / start if start > 0 else float("nan")
