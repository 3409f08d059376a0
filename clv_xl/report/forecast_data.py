"""The Forecast sheet's data: BG/NBD + Gamma-Gamma predictions, or the reason there are none."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clv_xl.errors import ClvXlError
from clv_xl.report.options import ReportOptions

__all__ = ["ForecastContent", "build_forecast", "HORIZON_DAYS"]

#: Forecast horizon, in days (one year).
HORIZON_DAYS = 365


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
        Period, actual and model cumulative repeat purchases, when history allows a holdout.
    """

    table: pd.DataFrame | None = None
    params: dict[str, float] = field(default_factory=dict)
    reason: str | None = None
    horizon: int = HORIZON_DAYS
    time_unit: str = "D"
    calibration: pd.DataFrame | None = None


def build_forecast(summary: pd.DataFrame, options: ReportOptions) -> ForecastContent:
    """Fit the models on a customer summary and predict; never raises for data the models cannot fit.

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`clv_xl.customers.summarize` with ``time_unit="D"``.
    options : ReportOptions
        Gives margin and discount rate.

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
        from clv_xl.models import forecast_table  # type: ignore[attr-defined]
    except ImportError:
        return ForecastContent(reason="the forecast models are not available in this version of clv-xl")
    if summary.empty:
        return ForecastContent(reason="there are no customers")
    try:
        table, params = forecast_table(summary, HORIZON_DAYS, "D", options.discount_rate, options.margin)
    except (ClvXlError, ValueError, ArithmeticError) as exc:
        return ForecastContent(reason=str(exc) or type(exc).__name__)
    table = table.reset_index()
    if "customer_id" not in table.columns:
        table = table.rename(columns={table.columns[0]: "customer_id"})
    table["customer_id"] = table["customer_id"].astype(str)
    return ForecastContent(table=table, params={str(k): float(v) for k, v in dict(params).items()
                                                if isinstance(v, (int, float))})
