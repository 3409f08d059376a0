"""P10 / P50 / P90 ranges of predicted CLV from the parameters' uncertainty, by the delta method.

**Method (chosen over a parametric bootstrap for speed: one extra evaluation per parameter instead of hundreds of
refits or forecasts).** The fitted log-parameters of the purchase model and of Gamma-Gamma are asymptotically
normal with covariance the inverse Hessian of each negative log-likelihood (the two fits are independent, so the
covariance is block-diagonal). For each customer, the log of the undiscounted forecast ``E[Y(H)] * E[spend]`` is
differentiated by central differences in the log-parameters, ``g``; its standard deviation is
``sd = sqrt(g' C g)``, and the predicted CLV (discounted, with margin) is taken to be log-normal around its point
estimate with that spread: ``P50 = CLV``, ``P10 = CLV * exp(-1.2816 sd)``, ``P90 = CLV * exp(1.2816 sd)``. The total
over customers uses the gradient of the log of the summed forecast. The relative spread is computed on the
undiscounted forecast (discounting barely changes it and would cost one forecast per period per parameter).

The ranges say how much the forecast could move if the models were fitted on another sample of customers like
these. They do not include the chance in each customer's own purchases (a customer expected to buy 1.3 times buys
0, 1, 2, ... times), nor the risk that no model of this family describes the shop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clv_xl.models._base import FittedModel
from clv_xl.models._compress import row_codes
from clv_xl.models._purchase import PurchaseModel
from clv_xl.models.gamma_gamma import GammaGamma

__all__ = ["ClvRanges", "clv_ranges", "Z90"]

#: The 90th percentile of the standard normal distribution.
Z90 = 1.2815515655446004
_STEP = 1e-4


@dataclass(frozen=True)
class ClvRanges:
    """Per-customer and total P10 / P50 / P90 of predicted CLV.

    Attributes
    ----------
    customers : pandas.DataFrame
        ``clv_p10``, ``clv_p50``, ``clv_p90``, indexed like the forecast.
    total : tuple of float
        P10, P50, P90 of the summed CLV.
    """

    customers: pd.DataFrame
    total: tuple[float, float, float]


def _perturbed(model: FittedModel, log_params: np.ndarray) -> Any:
    return type(model).from_params(*np.exp(log_params))  # type: ignore[attr-defined]  # every model has one


def clv_ranges(
    purchase: PurchaseModel,
    gg: GammaGamma,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    monetary_value: np.ndarray,
    horizon: float,
    clv: pd.Series,
) -> ClvRanges | None:
    """Delta-method ranges of ``clv`` (see the module notes); None when a covariance is unknown.

    Parameters
    ----------
    purchase, gg : fitted models
        The models behind ``clv``, fitted by maximum likelihood (not built with ``from_params``).
    frequency, recency, T, monetary_value : numpy.ndarray
        The customers' histories, in the purchase model's time unit.
    horizon : float
        The forecast horizon, same unit.
    clv : pandas.Series
        The point forecast (P50), one value per customer.

    Examples
    --------
    >>> from clv_xl.customers import summarize
    >>> from clv_xl.models.clv import fit_models, forecast_with
    >>> from clv_xl.sample_shop import sample_orders
    >>> summary = summarize(sample_orders(n_customers=800, seed=3), time_unit="W")
    >>> pm, gg = fit_models(summary, "W")
    >>> table, _ = forecast_with(pm, gg, summary, 52, "W", 0.1, 0.3)
    >>> cols = [summary[c].to_numpy(float) for c in ("frequency", "recency", "T", "monetary_value")]
    >>> ranges = clv_ranges(pm, gg, *cols, 52, table["predicted_clv"])
    >>> low, mid, high = ranges.total
    >>> bool(low < mid < high), round(mid, 2) == round(float(table["predicted_clv"].sum()), 2)
    (True, True)
    """
    blocks = [purchase.log_covariance(), gg.log_covariance()]
    if any(block is None for block in blocks):
        return None
    k1 = len(purchase.param_names)
    cov = np.zeros((k1 + len(gg.param_names),) * 2)
    cov[:k1, :k1] = blocks[0]
    cov[k1:, k1:] = blocks[1]
    (xu, txu, tu), codes = row_codes(frequency, recency, T)
    (fx, mu), spend_codes = row_codes(frequency, monetary_value)
    theta = np.log(np.r_[list(purchase.params.values()), list(gg.params.values())])

    def log_forecast(vector: np.ndarray) -> np.ndarray:
        pm = _perturbed(purchase, vector[:k1])
        spend_model = _perturbed(gg, vector[k1:])
        assert isinstance(pm, PurchaseModel) and isinstance(spend_model, GammaGamma)
        # (computed once per distinct (x, T) pair: PurchaseModel.expected_purchases compresses them)
        purchases = np.asarray(pm.expected_purchases(horizon, xu, txu, tu), dtype=float)
        spend = np.asarray(spend_model.expected_spend(fx, mu), dtype=float)
        with np.errstate(divide="ignore"):
            return np.log(purchases)[codes] + np.log(spend)[spend_codes]

    base = log_forecast(theta)
    grads = np.empty((base.size, theta.size))
    for j in range(theta.size):
        step = np.zeros(theta.size)
        step[j] = _STEP
        grads[:, j] = (log_forecast(theta + step) - log_forecast(theta - step)) / (2 * _STEP)
    grads = np.nan_to_num(grads)
    sd = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", grads, cov, grads), 0.0))
    point = clv.to_numpy(dtype=float)
    customers = pd.DataFrame(
        {"clv_p10": point * np.exp(-Z90 * sd), "clv_p50": point, "clv_p90": point * np.exp(Z90 * sd)},
        index=clv.index,
    )
    share = np.exp(base - np.max(base))
    share = share / share.sum()
    g_total = share @ grads
    sd_total = float(np.sqrt(max(g_total @ cov @ g_total, 0.0)))
    total = float(point.sum())
    return ClvRanges(customers, (total * np.exp(-Z90 * sd_total), total, total * np.exp(Z90 * sd_total)))
