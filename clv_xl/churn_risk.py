"""Churn-risk bands: each customer active, at risk or lapsed, by P(alive) or by the time since their last order.

The thresholds (:data:`ACTIVE_FROM`, :data:`LAPSED_BELOW`) and the bands are written in the report's
Definitions sheet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ACTIVE_FROM", "LAPSED_BELOW", "RISK_BANDS", "months_since_last_order", "risk_bands"]

RISK_BANDS: tuple[str, ...] = ("active", "at_risk", "lapsed")
#: P(alive) from which a repeat buyer is active.
ACTIVE_FROM = 0.7
#: P(alive) under which a repeat buyer is lapsed.
LAPSED_BELOW = 0.3
_DAYS_PER_MONTH = 365.25 / 12


def risk_bands(p_alive: np.ndarray, months_since: np.ndarray, window_months: int) -> np.ndarray:
    """Band each customer: by P(alive) where it is known, else by the months since the last order.

    Parameters
    ----------
    p_alive : ndarray of float
        P(alive), NaN where it means nothing (one-time buyers) or is unknown.
    months_since : ndarray of float
        Months from the last order to the end of the observation.
    window_months : int
        The inactivity window.

    Returns
    -------
    ndarray of str
        ``"active"``, ``"at_risk"`` or ``"lapsed"``.

    Examples
    --------
    >>> risk_bands(np.array([0.9, 0.5, 0.1, np.nan, np.nan, np.nan]), np.array([1, 1, 1, 2.0, 5.0, 9.0]), 8)
    array(['active', 'at_risk', 'lapsed', 'active', 'at_risk', 'lapsed'], dtype='<U7')
    """
    by_model = np.where(p_alive >= ACTIVE_FROM, "active", np.where(p_alive >= LAPSED_BELOW, "at_risk", "lapsed"))
    by_time = np.where(months_since <= window_months / 2, "active",
                       np.where(months_since <= window_months, "at_risk", "lapsed"))
    return np.where(np.isnan(p_alive), by_time, by_model)


def months_since_last_order(summary: pd.DataFrame) -> np.ndarray:
    """Months (30.4375 days) from each customer's last order to the summary's observation end.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`clv_xl.customers.summarize`.

    Returns
    -------
    ndarray of float
        One value per row.

    Examples
    --------
    >>> summary = pd.DataFrame({"last_order": pd.to_datetime(["2024-01-01", "2024-03-01"])})
    >>> summary.attrs["observation_end"] = pd.Timestamp("2024-03-01")
    >>> months_since_last_order(summary).round(2).tolist()
    [1.97, 0.0]
    """
    end = pd.Timestamp(summary.attrs.get("observation_end", summary["last_order"].max())).normalize()
    return ((end - summary["last_order"].dt.normalize()).dt.days / _DAYS_PER_MONTH).to_numpy(dtype=float)
