"""The Forecast sheet's data: BG/NBD + Gamma-Gamma predictions, or the reason there are none."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clv_xl.errors import ClvXlError
from clv_xl.report.options import ReportOptions

__all__ = ["ForecastContent", "build_forecast", "HORIZON_DAYS"]

#: Forecast horizon, in days (one year).
HORIZON_DAYS = 365
#: Penalizer of the fallback fit, used (and said) when the plain fit fails.
FALLBACK_PENALIZER = 0.001


@dataclass
class ForecastContent:
    """Per-customer forecast and fitted parameters, or why the models could not be fitted.

    Attributes
    ----------
    table : DataFrame or None
        customer_id, expected_purchases, p_alive, expected_spend, predicted_clv.
    params : dict
        Fitted parameters by name.
    reason : str or None
        Why there is no forecast (``table`` is then None).
    horizon : int
        Horizon in ``time_unit``.
    time_unit : str
        ``"D"``.
    calibration : DataFrame or None
        Mean holdout repeat purchases, actual and model, by calibration repeat purchases (see
        :func:`calibration_table`), when the history allows a holdout.
    note : str or None
        A caveat about the fit (a degenerate BG/NBD), shown on the sheet.
    """

    table: pd.DataFrame | None = None
    params: dict[str, float] = field(default_factory=dict)
    reason: str | None = None
    horizon: float = HORIZON_DAYS
    time_unit: str = "D"
    calibration: pd.DataFrame | None = None
    note: str | None = None


#: Customers sampled (seeded) to fit the calibration model, to bound its cost.
CALIBRATION_SAMPLE = 20_000


def calibration_table(orders: pd.DataFrame) -> pd.DataFrame | None:
    """Repeat purchases in a holdout period, actual vs BG/NBD, by repeat purchases in the calibration period.

    The history is split at two thirds of its span: the model is fitted on the first part (on at most
    :data:`CALIBRATION_SAMPLE` customers, seeded) and predicts each customer's repeat purchases in the rest.
    Customers are grouped by their calibration repeat purchases (0, 1, ..., 6+), as in Fader, Hardie & Lee (2005),
    figure 2.

    Parameters
    ----------
    orders : DataFrame
        Cleaned orders.

    Returns
    -------
    DataFrame or None
        Columns group (text), actual, model; None when the history is shorter than 180 days or the model cannot be
        fitted on the calibration part.

    Examples
    --------
    >>> calibration_table(pd.DataFrame({"customer_id": ["a"], "order_date": [pd.Timestamp("2024-01-01")],
    ...                                 "amount": [1.0]})) is None
    True
    """
    import numpy as np

    from clv_xl.customers import summarize

    start, end = orders["order_date"].min(), orders["order_date"].max()
    span = (end.normalize() - start.normalize()).days
    if span < 180:
        return None
    cut = (start.normalize() + pd.Timedelta(days=span * 2 // 3)).normalize()
    before = orders[orders["order_date"] < cut + pd.Timedelta(days=1)]
    try:
        from clv_xl.models import BetaGeo

        calibration = summarize(before, observation_end=cut, time_unit="D")
        if len(calibration) > CALIBRATION_SAMPLE:
            calibration = calibration.sample(CALIBRATION_SAMPLE, random_state=0)
        model = BetaGeo().fit(calibration["frequency"], calibration["recency"], calibration["T"])
        horizon = (end.normalize() - cut).days
        predicted = np.asarray(model.expected_purchases(horizon, calibration["frequency"], calibration["recency"],
                                                        calibration["T"]), dtype=float)
    except (ImportError, ClvXlError, ValueError, ArithmeticError):
        return None
    after = orders[orders["order_date"] >= cut + pd.Timedelta(days=1)]
    days = after.assign(day=after["order_date"].dt.normalize()).drop_duplicates(["customer_id", "day"])
    actual = days.groupby("customer_id").size().reindex(calibration.index, fill_value=0).to_numpy(dtype=float)
    group = np.minimum(calibration["frequency"].to_numpy(dtype=int), 6)
    frame = pd.DataFrame({"group": group, "actual": actual, "model": predicted})
    frame = frame[np.isfinite(frame["model"])]
    table = frame.groupby("group").mean().reset_index()
    table["group"] = [f"{g}+" if g == 6 else str(g) for g in table["group"]]
    return table if len(table) > 1 else None


def build_forecast(summary: pd.DataFrame, options: ReportOptions,
                   orders: pd.DataFrame | None = None) -> ForecastContent:
    """Fit the models on a customer summary and predict; never raises for data the models cannot fit.

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`clv_xl.customers.summarize` with ``time_unit="D"``.
    options : ReportOptions
        Gives margin and discount rate.
    orders : DataFrame, optional
        The orders, for the calibration-vs-holdout check.

    Returns
    -------
    ForecastContent
        The forecast, or a ``reason``.

    Examples
    --------
    >>> build_forecast(pd.DataFrame(), ReportOptions()).reason is not None
    True
    """
    try:
        from clv_xl.models import forecast_table
    except ImportError:
        return ForecastContent(reason="the forecast models are not available in this version of clv-xl")
    if summary.empty:
        return ForecastContent(reason="there are no customers")
    horizon = options.horizon_months * 365.25 / 12
    fallback = None
    try:
        table, params = forecast_table(summary, horizon, "D", options.discount_rate, options.margin)
    except (ClvXlError, ValueError, ArithmeticError) as exc:
        reason = str(exc) or type(exc).__name__
        try:  # the documented fallback: the same models with a small penalty that keeps the parameters finite
            table, params = forecast_table(summary, horizon, "D", options.discount_rate, options.margin,
                                           penalizer=FALLBACK_PENALIZER)
        except (ClvXlError, ValueError, ArithmeticError):
            return ForecastContent(reason=reason)
        fallback = (f"The plain model fit failed ({reason.split(':')[0]}); the forecast uses the fallback, the "
                    f"same models fitted with a small penalty (penalizer {FALLBACK_PENALIZER}), which pulls "
                    "the parameters towards moderate values.")
    table = table.reset_index()
    if "customer_id" not in table.columns:
        table = table.rename(columns={table.columns[0]: "customer_id"})
    table["customer_id"] = table["customer_id"].astype(str)
    return ForecastContent(table=table, horizon=horizon, params={str(k): float(v) for k, v in dict(params).items()
                                                if isinstance(v, (int, float))},
                           calibration=None if orders is None else calibration_table(orders),
                           note=" ".join(n for n in (fallback, str(params.get("bgnbd_note") or "")) if n) or None)
