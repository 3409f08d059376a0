"""Customers by value, with a P(alive) that means something and churn-risk bands.

- **Order.** Customers are listed by value, best first: the model's predicted CLV when there is a forecast, else
  revenue to date (ties by customer id).
- **P(alive).** BG/NBD assumes nobody drops out before their first repeat purchase, so it gives every one-time
  buyer P(alive) = 100 %, even one who bought once two years ago (Fader, Hardie & Lee 2005, section 2). The
  report's P(alive) therefore comes from MBG/NBD (Batislam, Denizel & Filiztekin 2007), fitted on the same
  customers: it lets a customer drop out right after the first purchase too, so a one-time buyer's P(alive) falls
  with the time since that purchase. If MBG/NBD cannot be fitted, BG/NBD's value is shown for repeat buyers and
  one-time buyers get ``NaN`` (written "n/a, bought once"), and a note says so.
- **Churn-risk bands** (:func:`clv_xl.churn.risk_bands`). Repeat buyers by P(alive): *active* from 70 %,
  *at risk* from 30 %, else *lapsed*. One-time buyers, and everyone when there is no forecast, by the time
  since their last order measured in inactivity windows: *active* within half the window, *at risk* within the
  window, *lapsed* beyond it (the churn figures call them lost).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl.churn import InactivityWindow, months_since_last_order, risk_bands
from clv_xl.report.forecast_data import ForecastContent
from clv_xl.report.labels import label
from clv_xl.report.mbg_alive import mbg_p_alive

__all__ = ["add_value_and_risk", "forecast_notes", "mbg_p_alive"]



def add_value_and_risk(summary: pd.DataFrame, forecast: ForecastContent | None, window: InactivityWindow,
                       lang: str = "en") -> tuple[pd.DataFrame, str, list[str]]:
    """The Customers sheet's rows: the summary with predicted CLV, P(alive) and band, sorted by value.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`clv_xl.customers.summarize` (indexed by customer id).
    forecast : ForecastContent or None
        The forecast, if any.
    window : InactivityWindow
        The inactivity window (in months).
    lang : str, default "en"
        Language of the notes.

    Returns
    -------
    (pandas.DataFrame, str, list of str)
        The customers (``customer_id`` a column), the column they are sorted by, and notes (the P(alive)
        fallback when MBG/NBD cannot be fitted).

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 3], "revenue": [50.0, 20.0],
    ...     "last_order": pd.to_datetime(["2024-01-01", "2024-06-01"])}, index=pd.Index(["a", "b"], name="customer_id"))
    >>> summary.attrs["observation_end"] = pd.Timestamp("2024-06-30")
    >>> frame, value, notes = add_value_and_risk(summary, None, InactivityWindow(4))
    >>> frame[["customer_id", "churn_risk"]].values.tolist(), value, notes
    ([['a', 'lapsed'], ['b', 'active']], 'revenue', [])
    """
    customers = summary.reset_index()
    customers["customer_id"] = customers["customer_id"].astype(str)
    p_alive = np.full(len(customers), np.nan)
    value = "revenue"
    notes: list[str] = []
    if forecast is not None and forecast.table is not None:
        found = forecast.table.set_index("customer_id").reindex(customers["customer_id"])
        customers["predicted_clv"] = found["predicted_clv"].to_numpy(dtype=float)
        alive = forecast.mbg_alive  # MBG/NBD's, made with the forecast (build_forecast)
        if alive is not None:
            p_alive = alive
        else:  # BG/NBD's value, where it means something
            notes.append(label("note.p_alive_fallback", lang))
            p_alive = np.where(customers["frequency"].to_numpy() > 0, found["p_alive"].to_numpy(dtype=float),
                               np.nan)
        customers["p_alive"] = p_alive
        value = "predicted_clv"
    customers["churn_risk"] = risk_bands(p_alive, months_since_last_order(summary), window.periods)
    # rounded to a billionth: sums of the same amounts added in another order (by another engine) rank the same
    rank = np.round(customers[value].fillna(-np.inf).to_numpy(dtype=float), 9)
    order = np.lexsort((customers["customer_id"].to_numpy(), -rank))
    return customers.iloc[order].reset_index(drop=True), value, notes


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
