"""Customers by value, with a P(alive) that means something and churn-risk bands.

- **Order.** Customers are listed by value, best first: the model's predicted CLV when there is a forecast, else
  revenue to date (ties by customer id).
- **P(alive).** BG/NBD assumes nobody drops out before their first repeat purchase, so it gives every one-time
  buyer P(alive) = 100 %, even one who bought once two years ago (Fader, Hardie & Lee 2005, section 2). That
  number says nothing about the customer, so it is not shown: one-time buyers get ``NaN`` (written
  "n/a, bought once").
- **Churn-risk bands.** Repeat buyers by P(alive): *active* from :data:`ACTIVE_FROM` (70 %), *at risk* from
  :data:`LAPSED_BELOW` (30 %), else *lapsed*. One-time buyers, and everyone when there is no forecast, by the time
  since their last order measured in inactivity windows: *active* within half the window, *at risk* within the
  window, *lapsed* beyond it (the churn figures call them lost).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl.churn import InactivityWindow
from clv_xl.report.forecast_data import ForecastContent
from clv_xl.report.labels import label

__all__ = ["RISK_BANDS", "ACTIVE_FROM", "LAPSED_BELOW", "risk_bands", "add_value_and_risk", "forecast_notes"]

#: Churn-risk bands, best first.
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


def add_value_and_risk(summary: pd.DataFrame, forecast: ForecastContent | None,
                       window: InactivityWindow) -> tuple[pd.DataFrame, str]:
    """The Customers sheet's rows: the summary with predicted CLV, P(alive) and band, sorted by value.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`clv_xl.customers.summarize` (indexed by customer id).
    forecast : ForecastContent or None
        The forecast, if any.
    window : InactivityWindow
        The inactivity window (in months).

    Returns
    -------
    (pandas.DataFrame, str)
        The customers (``customer_id`` a column) and the column they are sorted by.

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 3], "revenue": [50.0, 20.0],
    ...     "last_order": pd.to_datetime(["2024-01-01", "2024-06-01"])}, index=pd.Index(["a", "b"], name="customer_id"))
    >>> summary.attrs["observation_end"] = pd.Timestamp("2024-06-30")
    >>> frame, value = add_value_and_risk(summary, None, InactivityWindow(4))
    >>> frame[["customer_id", "churn_risk"]].values.tolist(), value
    ([['a', 'lapsed'], ['b', 'active']], 'revenue')
    """
    customers = summary.reset_index()
    customers["customer_id"] = customers["customer_id"].astype(str)
    table = forecast.table if forecast is not None else None
    p_alive = np.full(len(customers), np.nan)
    value = "revenue"
    if table is not None:
        found = table.set_index("customer_id").reindex(customers["customer_id"])
        customers["predicted_clv"] = found["predicted_clv"].to_numpy(dtype=float)
        p_alive = np.where(customers["frequency"].to_numpy() > 0, found["p_alive"].to_numpy(dtype=float), np.nan)
        customers["p_alive"] = p_alive
        value = "predicted_clv"
    end = summary.attrs.get("observation_end", customers["last_order"].max())
    months = (pd.Timestamp(end).normalize() - customers["last_order"].dt.normalize()).dt.days / _DAYS_PER_MONTH
    customers["churn_risk"] = risk_bands(p_alive, months.to_numpy(dtype=float), window.periods)
    order = np.lexsort((customers["customer_id"].to_numpy(), -customers[value].fillna(-np.inf).to_numpy()))
    return customers.iloc[order].reset_index(drop=True), value


def forecast_notes(forecast: ForecastContent | None, lang: str) -> list[str]:
    """What the report says about the forecast: why there is none and the fallback, or a caveat of the fit.

    Parameters
    ----------
    forecast : ForecastContent or None
        The forecast (None when not asked for).
    lang : str
        Report language.

    Returns
    -------
    list of str
        Notes for the terminal and the dashboard.

    Examples
    --------
    >>> forecast_notes(ForecastContent(reason="too few repeat buyers"), "en")[0][:46]
    'The forecast model could not be fitted: too fe'
    """
    if forecast is None:
        return []
    if forecast.table is None:
        return [label("note.no_forecast", lang, reason=forecast.reason or "")]
    return [forecast.note] if forecast.note else []
