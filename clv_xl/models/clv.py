"""Predicted customer lifetime value: BG/NBD purchases x Gamma-Gamma spend x margin, discounted.

Conventions (written once here; the report's Definitions sheet repeats them):

- **Time unit.** ``summary`` (frequency, recency, T), ``horizon`` and the fitted BG/NBD model all count time in
  the same ``time_unit``: ``"D"`` days, ``"W"`` weeks (7 days), ``"M"`` months (30.4375 days) or ``"Y"`` years
  (365.25 days), as in :func:`clv_xl.customers.summarize`. The unit is a required argument, never a hidden
  default, and it is checked against the unit recorded by ``summarize`` in ``summary.attrs``. (lifetimes
  takes the horizon in months and the model's unit from a ``freq="D"`` default; a model fitted in weeks with
  the default left alone reads one month as 30 weeks, which is how a $36 CLV becomes $140.)
- **Discounting.** ``discount_rate`` is a YEARLY rate, like everywhere in clv-xl (:func:`clv_xl.formulas.clv`).
  It is converted to the equivalent rate per time unit, ``d_u = (1 + discount_rate) ** (days_per_unit / 365.25)
  - 1``, so results do not depend on the unit chosen. The horizon is cut into periods of one time unit; the
  margin earned on the purchases expected in period k (the last one possibly partial) is discounted at the
  END of that period, by ``(1 + d_u) ** -k``:

  ``CLV = margin * E[spend] * sum_k (E[Y(min(k, H))] - E[Y(k-1)]) / (1 + d_u) ** k``, k = 1..ceil(H),

  where ``E[Y(t)]`` is the BG/NBD conditional expectation (Fader, Hardie & Lee 2005, eq. 10) and
  ``E[spend]`` the Gamma-Gamma conditional mean (Fader & Hardie 2013, eq. 5). Undiscounted, it is simply
  ``margin * E[spend] * E[Y(H)]`` (Fader, Hardie & Lee 2005 "RFM and CLV", eq. 2 with d = 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from clv_xl.background import started
from clv_xl.errors import InvalidArgumentError
from clv_xl.models._common import check_customer_arrays
from clv_xl.models._common import check_time_unit as days_per_unit
from clv_xl.models._purchase import PurchaseModel
from clv_xl.models.bgnbd import BetaGeo
from clv_xl.models.gamma_gamma import GammaGamma
from clv_xl.models.registry import PURCHASE_MODELS, purchase_model_spec
from clv_xl.validation import check_horizon, check_summary, check_time_unit

__all__ = [
    "SUMMARY_REQUIRED",
    "FORECAST_COLUMNS",
    "FORECAST_DEFINITIONS",
    "predicted_clv",
    "fit_models",
    "fit_spend",
    "forecast_table",
    "forecast_with",
    "discount_rate_per_period",
]

#: Columns that :func:`predicted_clv` and :func:`forecast_table` read from ``summary``.
SUMMARY_REQUIRED: tuple[str, ...] = ("frequency", "recency", "T", "monetary_value")
#: Columns of the per-customer frame returned by :func:`forecast_table`, in order.
FORECAST_COLUMNS: tuple[str, ...] = ("expected_purchases", "p_alive", "expected_spend", "predicted_clv")
#: (name, definition) pairs for the report's Definitions sheet.
FORECAST_DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("expected_purchases", "BG/NBD expected purchases in the next `horizon` time units (FHL 2005, eq. 10)"),
    ("p_alive", "BG/NBD probability that the customer has not dropped out (FHL 2008 note)"),
    ("expected_spend", "Gamma-Gamma expected value of a future transaction (Fader & Hardie 2013, eq. 5)"),
    (
        "predicted_clv",
        "margin x expected_spend x expected purchases of each period of one time unit, discounted at the end "
        "of the period by the yearly discount_rate converted to the time unit",
    ),
    ("discount_rate", "yearly rate; per time unit: (1 + discount_rate) ^ (days per unit / 365.25) - 1"),
)


def discount_rate_per_period(discount_rate: float, time_unit: str) -> float:
    """Convert a yearly discount rate to the equivalent rate per ``time_unit``.

    Parameters
    ----------
    discount_rate : float
        Yearly rate in [0, 1].
    time_unit : {"D", "W", "M", "Y"}
        The period.

    Returns
    -------
    float
        ``(1 + discount_rate) ** (days_per_unit / 365.25) - 1``.

    Examples
    --------
    >>> round(discount_rate_per_period(0.10, "M"), 6)
    0.007974
    >>> discount_rate_per_period(0.10, "Y")
    0.10000000000000009
    """
    days = days_per_unit(time_unit)
    d = _check_unit_interval("discount_rate", discount_rate)
    return (1.0 + d) ** (days / 365.25) - 1.0


def _check_unit_interval(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InvalidArgumentError(name, f"{name} must be a number in [0, 1]; got {value!r}") from None
    if not (math.isfinite(v) and 0.0 <= v <= 1.0):
        raise InvalidArgumentError(name, f"{name} must be a number in [0, 1]; got {value!r}")
    return v


def _forecast_inputs(
    summary: pd.DataFrame, horizon: float, time_unit: str, discount_rate: float, margin: float
) -> tuple[pd.DataFrame, float, float, float, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Check what a forecast is asked for; return the summary, horizon, rate per period, margin and (x, t_x, T)."""
    time_unit = check_time_unit(time_unit)
    frame = check_summary(summary, SUMMARY_REQUIRED, time_unit)
    h = check_horizon(horizon, time_unit)
    rate = discount_rate_per_period(discount_rate, time_unit)
    m = _check_unit_interval("margin", margin)
    x, tx, t_obs = check_customer_arrays(frame["frequency"], frame["recency"], frame["T"])
    return frame, h, rate, m, (x, tx, t_obs)


def predicted_clv(
    bg: BetaGeo,
    gg: GammaGamma,
    summary: pd.DataFrame,
    horizon: float,
    time_unit: str,
    discount_rate: float = 0.0,
    margin: float = 1.0,
) -> pd.Series:
    """Predicted CLV of each customer over the next ``horizon`` time units (see the module notes).

    Parameters
    ----------
    bg : BetaGeo, ModifiedBetaGeo or ParetoNBD
        Fitted purchase model, fitted on data in ``time_unit``.
    gg : GammaGamma
        Fitted Gamma-Gamma model.
    summary : pandas.DataFrame
        One row per customer with ``frequency``, ``recency``, ``T`` (in ``time_unit``) and ``monetary_value``;
        :func:`clv_xl.customers.summarize` makes it. Not modified.
    horizon : float
        Forecast length, in ``time_unit`` (52 with weeks is one year).
    time_unit : {"D", "W", "M", "Y"}
        Unit of recency, T, horizon and of the BG/NBD model (days, weeks, months, years). Required.
    discount_rate : float, default 0.0
        YEARLY discount rate in [0, 1], converted to the time unit (see :func:`discount_rate_per_period`).
    margin : float, default 1.0
        Gross margin in [0, 1] applied to spend; 1 gives revenue.

    Returns
    -------
    pandas.Series
        ``predicted_clv`` in money units, indexed like ``summary``.

    Examples
    --------
    >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)  # CDNOW, weeks
    >>> gg = GammaGamma.from_params(6.25, 3.74, 15.44)
    >>> summary = pd.DataFrame({"frequency": [2, 0], "recency": [30.43, 0.0], "T": [38.86, 38.86],
    ...                         "monetary_value": [22.35, 0.0]}, index=["C1", "C2"])
    >>> predicted_clv(bg, gg, summary, horizon=52, time_unit="W").round(2)
    C1    38.44
    C2     8.86
    Name: predicted_clv, dtype: float64
    >>> predicted_clv(bg, gg, summary, horizon=52, time_unit="W", discount_rate=0.1, margin=0.3).round(2)
    C1    11.03
    C2     2.54
    Name: predicted_clv, dtype: float64
    """
    if not isinstance(bg, PurchaseModel):
        raise InvalidArgumentError(
            "bg", f"bg must be a fitted BetaGeo model (or ModifiedBetaGeo, ParetoNBD); got {type(bg).__name__}"
        )
    if not isinstance(gg, GammaGamma):
        raise InvalidArgumentError("gg", f"gg must be a fitted GammaGamma model; got {type(gg).__name__}")
    frame, h, rate, m, (x, tx, t_obs) = _forecast_inputs(summary, horizon, time_unit, discount_rate, margin)
    spend = np.asarray(gg.expected_spend(frame["frequency"].to_numpy(), frame["monetary_value"].to_numpy()))
    purchases = bg.discounted_purchases(h, x, tx, t_obs, rate)
    return pd.Series(m * spend * purchases, index=frame.index, name="predicted_clv")


def fit_spend(summary: pd.DataFrame, time_unit: str, penalizer: float = 0.0) -> GammaGamma:
    """Fit Gamma-Gamma on the repeat buyers of ``summary`` with ``monetary_value > 0`` (as :func:`fit_models` does).

    It does not depend on the purchase model, so it can be started before the purchase model is chosen.

    Examples
    --------
    >>> from clv_xl.customers import summarize
    >>> from clv_xl.sample_shop import sample_orders
    >>> sorted(fit_spend(summarize(sample_orders(n_customers=500, seed=1), time_unit="W"), "W").params)
    ['gamma', 'p', 'q']
    """
    frame = check_summary(summary, SUMMARY_REQUIRED, check_time_unit(time_unit))
    x, _, _ = check_customer_arrays(frame["frequency"], frame["recency"], frame["T"])
    return _fit_spend_on(x, frame["monetary_value"].to_numpy(dtype=float), penalizer)


def _fit_spend_on(x: np.ndarray, money: np.ndarray, penalizer: float) -> GammaGamma:
    """Gamma-Gamma on the repeat buyers with a positive mean spend (checked frequencies ``x``)."""
    spenders = (x > 0) & (money > 0)
    return GammaGamma(penalizer=penalizer).fit(x[spenders], money[spenders])


def fit_models(
    summary: pd.DataFrame, time_unit: str, *, model: str = "bgnbd", penalizer: float = 0.0,
    spend_fit: Callable[[], GammaGamma] | None = None,
) -> tuple[PurchaseModel, GammaGamma]:
    """Fit a purchase model (``model``: a key of :data:`clv_xl.models.registry.PURCHASE_MODELS`) and Gamma-Gamma.

    The purchase model is fitted on all customers of ``summary``; Gamma-Gamma (:func:`fit_spend`) at the same time
    on another thread (:func:`clv_xl.background.started`), or ``spend_fit`` gives it (a :func:`fit_spend` of the same
    summary and penalizer, started earlier).

    Examples
    --------
    >>> from clv_xl.customers import summarize
    >>> from clv_xl.sample_shop import sample_orders
    >>> pm, gg = fit_models(summarize(sample_orders(n_customers=500, seed=1), time_unit="W"), "W", model="mbgnbd")
    >>> type(pm).__name__, sorted(gg.params)
    ('ModifiedBetaGeo', ['gamma', 'p', 'q'])
    """
    time_unit = check_time_unit(time_unit)
    frame = check_summary(summary, SUMMARY_REQUIRED, time_unit)
    x, tx, t_obs = check_customer_arrays(frame["frequency"], frame["recency"], frame["T"])
    money = frame["monetary_value"].to_numpy(dtype=float)
    gg = spend_fit or started(_fit_spend_on, x, money, penalizer)  # on the second core
    purchase = purchase_model_spec(model).model_class(penalizer=penalizer).fit(x, tx, t_obs)
    return purchase, gg()


def forecast_table(
    summary: pd.DataFrame,
    horizon: float,
    time_unit: str,
    discount_rate: float = 0.0,
    margin: float = 1.0,
    *,
    penalizer: float = 0.0,
    model: str = "bgnbd",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Fit a purchase model and Gamma-Gamma on a customer summary and forecast every customer.

    The purchase model (BG/NBD unless ``model`` names another, see :func:`fit_models`) is fitted on all
    customers; Gamma-Gamma on the repeat buyers with ``monetary_value > 0``.

    Parameters
    ----------
    summary : pandas.DataFrame
        Per-customer frame with ``frequency``, ``recency``, ``T``, ``monetary_value`` in ``time_unit``
        (from :func:`clv_xl.customers.summarize`). Not modified.
    horizon : float
        Forecast length in ``time_unit``.
    time_unit : {"D", "W", "M", "Y"}
        Unit of the summary and of the horizon.
    discount_rate : float, default 0.0
        YEARLY discount rate in [0, 1].
    margin : float, default 1.0
        Gross margin in [0, 1].
    penalizer : float, default 0.0
        L2 penalizer passed to both models.
    model : str, default "bgnbd"
        ``"bgnbd"``, ``"mbgnbd"`` or ``"pareto_nbd"``.

    Returns
    -------
    (pandas.DataFrame, dict)
        The per-customer frame of :func:`forecast_with` and its dict of plain Python values.

    Raises
    ------
    InvalidArgumentError
        Bad arguments or summary.
    ConvergenceError
        When either model cannot be fitted (too few customers or repeat buyers).

    Examples
    --------
    >>> from clv_xl.customers import summarize
    >>> from clv_xl.sample_shop import sample_orders
    >>> summary = summarize(sample_orders(n_customers=500, seed=1), time_unit="W")
    >>> table, params = forecast_table(summary, horizon=52, time_unit="W", discount_rate=0.1, margin=0.3)
    >>> list(table.columns)
    ['expected_purchases', 'p_alive', 'expected_spend', 'predicted_clv']
    >>> params["time_unit"], params["n_customers"]
    ('W', 500)
    """
    _forecast_inputs(summary, horizon, time_unit, discount_rate, margin)
    purchase, gg = fit_models(summary, time_unit, model=model, penalizer=penalizer)
    return forecast_with(purchase, gg, summary, horizon, time_unit, discount_rate, margin)


def forecast_with(
    purchase: PurchaseModel,
    gg: GammaGamma,
    summary: pd.DataFrame,
    horizon: float,
    time_unit: str,
    discount_rate: float = 0.0,
    margin: float = 1.0,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Forecast every customer of ``summary`` with fitted models.

    Returns
    -------
    (pandas.DataFrame, dict)
        The per-customer frame, indexed like ``summary``, with the columns of :data:`FORECAST_COLUMNS`
        (``expected_purchases`` over the horizon, undiscounted; ``p_alive``; ``expected_spend``;
        ``predicted_clv``), and a dict of plain Python values: the purchase model's parameters (``r``,
        ``alpha``, ``a``, ``b`` for BG/NBD), ``p``, ``q``, ``gamma``, ``<model>_log_likelihood`` (for example
        ``bgnbd_log_likelihood``), ``gamma_gamma_log_likelihood``, ``frequency_spend_correlation``,
        ``n_customers``, ``n_repeat_buyers``, ``horizon``, ``time_unit``, ``discount_rate``,
        ``discount_rate_per_period``, ``margin``, ``purchase_model`` (its label) and ``bgnbd_note``.
    """
    frame, h, rate, m, (x, tx, t_obs) = _forecast_inputs(summary, horizon, time_unit, discount_rate, margin)
    money = frame["monetary_value"].to_numpy(dtype=float)
    alive = np.asarray(purchase.p_alive(x, tx, t_obs), dtype=float)
    expected = np.asarray(purchase.expected_purchases(h, x, tx, t_obs), dtype=float)
    spend = np.asarray(gg.expected_spend(x, money))
    clv = m * spend * np.asarray(purchase.discounted_purchases(h, x, tx, t_obs, rate), dtype=float)
    table = pd.DataFrame(
        {"expected_purchases": expected, "p_alive": alive, "expected_spend": spend, "predicted_clv": clv},
        index=frame.index,
    )
    spec = next(s for s in PURCHASE_MODELS if type(purchase) is s.model_class)
    params: dict[str, Any] = {
        **purchase.params,
        **gg.params,
        f"{spec.key}_log_likelihood": purchase.log_likelihood,
        "gamma_gamma_log_likelihood": gg.log_likelihood,
        "frequency_spend_correlation": gg.frequency_spend_correlation,
        "n_customers": int(x.size),
        "n_repeat_buyers": int(((x > 0) & (money > 0)).sum()),
        "horizon": h,
        "time_unit": time_unit,
        "discount_rate": float(discount_rate),
        "discount_rate_per_period": rate,
        "margin": m,
        "purchase_model": spec.label,
        "bgnbd_note": getattr(purchase, "note", ""),  # empty, or why the BG/NBD fit is degenerate and what to do
    }
    return table, params
