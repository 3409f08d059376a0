"""The Forecast sheet's data: each purchase model checked on a holdout, the chosen one's forecast with ranges.

1. The history is split: the last ``holdout_days`` (an assumption the analyst sets; default a third of the
   history) are held out. BG/NBD, MBG/NBD and Pareto/NBD are fitted on the customers who bought before the split
   (on a seeded random :data:`VALIDATION_SAMPLE` of them when there are more, to bound the cost) and scored on what
   those customers bought in the holdout (:func:`clv_xl.models.selection.compare_purchase_models`).
2. The model with the best score is refitted, with Gamma-Gamma, on the whole history and forecasts every customer
   over the horizon the analyst sets (``horizon_months``, default 12); if it cannot be fitted there, BG/NBD is
   used and the sheet says so; if no model can be fitted plainly, the same models with a small penalty are.
3. P10 / P90 of each customer's predicted CLV and of the total come from the parameters' uncertainty by the delta
   method (:mod:`clv_xl.models.ranges`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clv_xl.background import started
from clv_xl.errors import ClvXlError
from clv_xl.i18n.catalogue import translate
from clv_xl.id_codes import id_codes
from clv_xl.models import ModifiedBetaGeo
from clv_xl.report.mbg_alive import mbg_p_alive, p_alive_of
from clv_xl.report.options import ReportOptions

__all__ = ["Checked", "ForecastContent", "HoldoutOrders", "build_forecast", "validate_models", "holdout_split",
           "holdout_sample", "HORIZON_DAYS", "VALIDATION_SAMPLE"]

#: Forecast horizon, in days (one year).
HORIZON_DAYS = 365
#: Penalizer of the fallback fit, used (and said) when the plain fit fails.
FALLBACK_PENALIZER = 0.001
#: Customers sampled (seeded) for the holdout check of the models, to bound its cost.
VALIDATION_SAMPLE = 20_000
#: The shortest calibration period and holdout that make a check, in days.
_MIN_CALIBRATION_DAYS, _MIN_HOLDOUT_DAYS = 90, 28
_FAILURES = (ClvXlError, ValueError, ArithmeticError)
#: What :func:`validate_models` returns: the comparison or None, why there is none, customers checked and available.
Checked = tuple[object | None, str | None, tuple[int, int]]


@dataclass
class ForecastContent:
    """Per-customer forecast, the models' holdout check, or why there is none.

    Attributes
    ----------
    table : DataFrame or None
        customer_id, expected_purchases, p_alive, expected_spend, predicted_clv, clv_p10, clv_p90.
    params : dict
        Fitted parameters by name.
    reason : str or None
        Why there is no forecast (``table`` is then None).
    horizon : int
        Horizon in ``time_unit``.
    time_unit : str
        ``"D"``.
    note : str or None
        A caveat about the fit (a degenerate BG/NBD, a fallback), shown on the sheet.
    model : str
        Label of the purchase model behind the forecast.
    comparison : ModelComparison or None
        The holdout check of every purchase model.
    validation_note : str or None
        Why there is no holdout check.
    sample : tuple of int
        Customers checked and customers who could have been (equal when not sampled).
    total_range : tuple of float or None
        P10, P50, P90 of the total predicted CLV.
    mbg_alive : ndarray or None
        With a table: MBG/NBD's P(alive) of each customer of the summary, in its order (the Customers sheet's, see
        :mod:`clv_xl.report.risk`); None when MBG/NBD cannot be fitted.
    """

    table: pd.DataFrame | None = None
    params: dict[str, float] = field(default_factory=dict)
    reason: str | None = None
    horizon: float = HORIZON_DAYS
    time_unit: str = "D"
    note: str | None = None
    model: str = "BG/NBD"
    comparison: object | None = None
    validation_note: str | None = None
    sample: tuple[int, int] = (0, 0)
    total_range: tuple[float, float, float] | None = None
    mbg_alive: np.ndarray | None = None


@dataclass
class HoldoutOrders:
    """Every order of some customers, to check the models on when the whole history is not in memory (an engine's).

    Attributes
    ----------
    orders : DataFrame
        ``customer_id``, ``order_date``, ``amount`` of the customers :func:`holdout_sample` chose (all their
        orders up to the end of the history).
    bounds : (Timestamp, Timestamp)
        First and last order of the whole history (where the split is made).
    available : int
        Customers who could have been checked (bought before the split).
    """

    orders: pd.DataFrame
    bounds: tuple[pd.Timestamp, pd.Timestamp]
    available: int


def holdout_split(start: pd.Timestamp, end: pd.Timestamp, holdout_days: int | None) -> tuple[pd.Timestamp | None, str]:
    """The last calibration day for a history from ``start`` to ``end``, or None and why there is no check.

    Examples
    --------
    >>> holdout_split(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"), None)
    (Timestamp('2024-09-01 00:00:00'), '')
    >>> holdout_split(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01"), None)[1]
    'the history (60 days) is too short to hold out 28 days after at least 90 days of calibration'
    """
    if holdout_days == 0:
        return None, "no holdout was asked for (holdout of 0 days)"
    start, end = start.normalize(), end.normalize()
    span = (end - start).days
    holdout = span // 3 if holdout_days is None else int(holdout_days)
    if holdout < _MIN_HOLDOUT_DAYS or span - holdout < _MIN_CALIBRATION_DAYS:
        return None, (f"the history ({span} days) is too short to hold out {max(holdout, _MIN_HOLDOUT_DAYS)} days "
                      f"after at least {_MIN_CALIBRATION_DAYS} days of calibration")
    return end - pd.Timedelta(days=holdout), ""


def holdout_sample(first_orders: pd.Series, cut: pd.Timestamp) -> tuple[pd.Index, int]:
    """The customers to check (first order on or before ``cut``; a seeded sample of them past the sample size).

    Returns them and how many could have been checked (:data:`VALIDATION_SAMPLE` at most are kept).
    ``first_orders`` is each customer's first order, indexed by customer id (the sample depends on its order).

    Examples
    --------
    >>> first = pd.Series(pd.to_datetime(["2024-01-05", "2024-03-01"]), index=["a", "b"])
    >>> cohort, available = holdout_sample(first, pd.Timestamp("2024-02-01"))
    >>> cohort.tolist(), available
    (['a'], 1)
    """
    cohort = first_orders.index[(first_orders < cut + pd.Timedelta(days=1)).to_numpy()]
    available = len(cohort)
    if available > VALIDATION_SAMPLE:
        cohort = pd.Index(np.random.default_rng(0).choice(np.asarray(cohort), VALIDATION_SAMPLE, replace=False))
    return pd.Index(cohort), available


def _sampled_orders(orders: pd.DataFrame, cut: pd.Timestamp) -> tuple[pd.Index, int, pd.DataFrame]:
    """:func:`holdout_sample` of ``orders``' customers (in order of first appearance), and those customers' orders.

    The ids are factorized once: the first orders are taken per code and the rows picked through a mask of the
    codes (looking each of a million text ids up in the sample's index took 0.28 s on the 1M-order benchmark).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["b", "a", "b", "c"], "amount": [1.0, 2.0, 3.0, 4.0],
    ...                        "order_date": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-03-01", "2024-05-01"])})
    >>> cohort, available, chosen = _sampled_orders(orders, pd.Timestamp("2024-02-01"))
    >>> cohort.tolist(), available, chosen["amount"].tolist()
    (['b', 'a'], 2, [1.0, 2.0, 3.0])
    """
    codes, ids = id_codes(orders["customer_id"])
    first = orders["order_date"].groupby(codes, sort=True).min().reindex(np.arange(len(ids)))  # (no code -1)
    cohort, available = holdout_sample(pd.Series(first.to_numpy(), index=ids), cut)
    picked = np.zeros(len(ids) + 1, dtype=bool)  # the last for code -1 (no id): never picked
    picked[ids.get_indexer(cohort)] = True
    return cohort, available, orders[picked[codes]]


def validate_models(
    orders: pd.DataFrame, holdout_days: int | None, *, bounds: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    available: int | None = None,
) -> Checked:
    """Split the history and compare the purchase models on the holdout.

    Parameters
    ----------
    orders : DataFrame
        Cleaned orders.
    holdout_days : int or None
        Days held out at the end of the history; None for a third of it, 0 for no check.
    bounds : (Timestamp, Timestamp), optional
        First and last order of the whole history, when ``orders`` are only the chosen customers' (see
        :class:`HoldoutOrders`); default: those of ``orders``.
    available : int, optional
        With ``bounds``: the customers who could have been checked.

    Returns
    -------
    (ModelComparison or None, str or None, (int, int))
        The comparison, or why there is none; customers checked and customers available.

    Examples
    --------
    >>> validate_models(pd.DataFrame({"customer_id": ["a"], "order_date": [pd.Timestamp("2024-01-01")],
    ...                               "amount": [1.0]}), None)[1]
    'the history (0 days) is too short to hold out 28 days after at least 90 days of calibration'
    """
    from clv_xl.models.holdout import calibration_holdout
    from clv_xl.models.selection import compare_purchase_models

    start, end = bounds if bounds is not None else (orders["order_date"].min(), orders["order_date"].max())
    cut, why = holdout_split(pd.Timestamp(start), pd.Timestamp(end), holdout_days)
    if cut is None:
        return None, why, (0, 0)
    end = pd.Timestamp(end).normalize()
    cohort, found, chosen = _sampled_orders(orders, cut)
    try:
        cal_holdout = calibration_holdout(chosen, cut, end, time_unit="W")
        later = chosen[chosen["order_date"] >= cut + pd.Timedelta(days=1)]
        days = later.assign(day=later["order_date"].dt.normalize()).drop_duplicates(["customer_id", "day"])
        offsets = pd.Series(((days["day"] - cut).dt.days / 7.0).to_numpy(), index=days["customer_id"].to_numpy())
        comparison = compare_purchase_models(cal_holdout, offsets)
    except _FAILURES as exc:
        return None, str(exc) or type(exc).__name__, (0, 0)
    if comparison.chosen is None:
        return None, "; ".join(f"{k}: {v}" for k, v in comparison.failures.items()), (0, 0)
    return comparison, None, (len(cohort), found if available is None else int(available))


def build_forecast(summary: pd.DataFrame, options: ReportOptions,
                   orders: pd.DataFrame | HoldoutOrders | None = None) -> ForecastContent:
    """Check the models on a holdout, forecast with the chosen one; never raises for data the models cannot fit.

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`clv_xl.customers.summarize` with ``time_unit="D"``.
    options : ReportOptions
        Gives margin, discount rate and the holdout length.
    orders : DataFrame or HoldoutOrders, optional
        The orders, or a sample of the customers' with the history's bounds, for the holdout check (without them
        BG/NBD is used unchecked).

    Returns
    -------
    ForecastContent
        The forecast, or a ``reason``.

    Examples
    --------
    >>> build_forecast(pd.DataFrame(), ReportOptions()).reason is not None
    True
    """
    from clv_xl.models.clv import fit_models, fit_spend, forecast_with
    from clv_xl.models.ranges import clv_ranges
    from clv_xl.models.registry import purchase_model_spec

    if summary.empty:
        return ForecastContent(reason=translate("there are no customers", options.lang))
    # Gamma-Gamma does not depend on the purchase model: it fits on the second core while the models are checked
    spend = started(fit_spend, summary, "D")
    checked: Checked
    if orders is None:
        checked = None, "the orders were not given", (0, 0)
    elif isinstance(orders, HoldoutOrders):
        checked = validate_models(orders.orders, options.holdout_days, bounds=orders.bounds,
                                  available=orders.available)
    else:
        checked = validate_models(orders, options.holdout_days)
    comparison, validation_note, sample = checked
    key = getattr(comparison, "chosen", None) or "bgnbd"
    # MBG/NBD's P(alive) for the Customers sheet: fitted on the second core while the chosen model fits here, unless
    # the chosen model is MBG/NBD itself (then its own fit, below: the same fit on the same customers)
    alive_apart = None if key == "mbgnbd" else started(mbg_p_alive, summary)
    notes: list[str] = []
    unfitted: list[str] = []  # the chosen model, when its plain fit on the whole history failed
    horizon = options.horizon_months * 365.25 / 12

    def fitted(penalizer: float) -> tuple[Any, Any]:
        """The chosen model (BG/NBD in its place when only BG/NBD fits) and Gamma-Gamma, on the whole history."""
        try:
            return fit_models(summary, "D", model=key, penalizer=penalizer, spend_fit=None if penalizer else spend)
        except _FAILURES as exc:
            if key == "bgnbd" or penalizer:
                raise
            # BG/NBD in its place only when BG/NBD fits: a failure both share (Gamma-Gamma) goes to the fallback
            models = fit_models(summary, "D", model="bgnbd", spend_fit=spend)
            notes.append(f"{purchase_model_spec(key).label} could not be fitted on the whole history ({exc}); "
                         "BG/NBD is used instead.")
            unfitted.append(key)  # its own fit failed (Gamma-Gamma did not: BG/NBD was fitted with it)
            return models

    reason = None
    for penalizer in (0.0, FALLBACK_PENALIZER):  # the documented fallback: a small penalty keeps parameters finite
        try:
            purchase, gg = fitted(penalizer)
            table, params = forecast_with(purchase, gg, summary, horizon, "D", options.discount_rate, options.margin)
            break
        except _FAILURES as exc:
            reason = reason or str(exc) or type(exc).__name__
            del notes[:]
    else:
        return ForecastContent(reason=translate(reason, options.lang), comparison=comparison,
                               validation_note=_translated(validation_note, options.lang), sample=sample)
    if penalizer:
        notes.append(f"The plain model fit failed ({str(reason).split(':')[0]}); the forecast uses the fallback, the "
                     f"same models fitted with a small penalty (penalizer {FALLBACK_PENALIZER}), which pulls the "
                     "parameters towards moderate values.")
    x, tx, t_obs, money = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T", "monetary_value"))
    ranges = clv_ranges(purchase, gg, x, tx, t_obs, money, horizon, table["predicted_clv"])
    if ranges is not None:
        table = table.join(ranges.customers[["clv_p10", "clv_p90"]])
    else:
        notes.append("No P10 / P90 ranges: the fit gives no covariance of its parameters.")
    table = table.reset_index()
    if "customer_id" not in table.columns:
        table = table.rename(columns={table.columns[0]: "customer_id"})
    table["customer_id"] = table["customer_id"].astype(str)
    if params.get("bgnbd_note"):
        notes.insert(0, str(params["bgnbd_note"]))
    if isinstance(purchase, ModifiedBetaGeo) and not penalizer:
        alive = p_alive_of(purchase, summary)
    elif "mbgnbd" in unfitted and not penalizer:  # the same plain fit failed already: not run again
        alive = None
    else:
        alive = alive_apart() if alive_apart is not None else mbg_p_alive(summary)
    return ForecastContent(table=table, horizon=horizon, params={str(k): float(v) for k, v in params.items()
                                                if isinstance(v, (int, float)) and not isinstance(v, bool)},
                           note=" ".join(translate(note, options.lang) for note in notes) or None,
                           model=str(params["purchase_model"]), comparison=comparison,
                           validation_note=_translated(validation_note, options.lang), sample=sample,
                           total_range=None if ranges is None else ranges.total, mbg_alive=alive)


def _translated(text: str | None, lang: str) -> str | None:
    """``text`` (an English note of this module) in the report's language; None stays None.

    Examples
    --------
    >>> print(_translated("the orders were not given", "fr"))
    les commandes n'ont pas été fournies
    >>> _translated(None, "fr") is None
    True
    """
    return None if text is None else translate(text, lang)
