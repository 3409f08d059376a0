"""Which purchase model to trust: fit each on a calibration period, score it on the holdout that followed.

For each model of :data:`clv_xl.models.registry.PURCHASE_MODELS`, fitted on the calibration columns of
:func:`clv_xl.models.holdout.calibration_holdout`:

- aggregate holdout repeat purchases, actual vs predicted, and the error in % (``(predicted - actual) / actual``);
- the mean absolute error per customer (holdout purchases), shown, and the root mean squared error per customer,
  **the score**: the model with the smallest wins, and models within 0.1 % of the best score count as tied, the
  simplest of them winning (the registry's order). The squared error is the score because the models forecast
  expected purchases, and the expectation is what minimises it (the absolute error is minimised by the median,
  and would favour whichever model predicts least for the many customers who buy nothing);
- a decile table: customers ranked by predicted holdout value (expected purchases x Gamma-Gamma expected spend,
  or purchases alone when spend cannot be modelled), predicted and actual value per tenth of customers, and the
  normalised Gini of actual value ordered by prediction (1 = perfect ranking, 0 = no better than chance);
- weekly tracking: cumulative holdout repeat purchases of the calibration customers, actual vs each model;
- the calibration-period histogram of repeat purchases (0, 1, ..., 7+), actual vs each model
  (``sum_i P(X(T_i) = n)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clv_xl.errors import ClvXlError
from clv_xl.models._compress import row_codes
from clv_xl.models._purchase import PurchaseModel
from clv_xl.models.gamma_gamma import GammaGamma
from clv_xl.models.registry import PURCHASE_MODELS

__all__ = ["ModelScore", "ModelComparison", "compare_purchase_models", "normalised_gini", "TIE"]

#: Scores within this fraction of the best are a tie, won by the simplest model.
TIE = 0.001
_HISTOGRAM_TOP = 7


@dataclass(frozen=True)
class ModelScore:
    """One model's holdout check."""

    key: str
    label: str
    actual: float
    predicted: float
    error: float
    mae: float
    rmse: float
    gini: float
    log_likelihood: float
    note: str = ""


@dataclass
class ModelComparison:
    """The holdout check of every purchase model and the choice it leads to.

    Attributes
    ----------
    scores : list of ModelScore
        One per model fitted (in the registry's order); models that could not be fitted are in ``failures``.
    chosen : str or None
        Key of the chosen model.
    tied_with : list of str
        Keys of the models whose score was within :data:`TIE` of the chosen one's (the chosen one being simpler).
    tracking, histogram, deciles : pandas.DataFrame
        Weekly cumulative holdout purchases; calibration repeat-purchase histogram; decile table.
    holdout_length : float
        Length of the holdout period in the time unit.
    time_unit : str
        The unit.
    failures : dict of str to str
        Model label -> why it could not be fitted.
    """

    scores: list[ModelScore] = field(default_factory=list)
    chosen: str | None = None
    tied_with: list[str] = field(default_factory=list)
    tracking: pd.DataFrame = field(default_factory=pd.DataFrame)
    histogram: pd.DataFrame = field(default_factory=pd.DataFrame)
    deciles: pd.DataFrame = field(default_factory=pd.DataFrame)
    holdout_length: float = 0.0
    time_unit: str = "W"
    failures: dict[str, str] = field(default_factory=dict)

    def score(self, key: str) -> ModelScore:
        """The score of model ``key``."""
        return next(s for s in self.scores if s.key == key)


def normalised_gini(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Gini of ``actual`` ordered by ``predicted``, divided by its Gini ordered by itself (1 = perfect ranking).

    Examples
    --------
    >>> normalised_gini(np.array([0.0, 1, 2, 3]), np.array([0.1, 0.2, 0.3, 0.4]))
    1.0
    >>> normalised_gini(np.array([0.0, 1, 2, 3]), np.array([0.4, 0.3, 0.2, 0.1]))
    -1.0
    """

    def gini(order_by: np.ndarray) -> float:
        order = np.lexsort((np.arange(order_by.size), -order_by))
        shares = np.cumsum(actual[order]) / actual.sum()
        return float(shares.sum() / actual.size - (actual.size + 1) / (2 * actual.size))

    if actual.size == 0 or actual.sum() <= 0:
        return float("nan")
    best = gini(actual)
    return gini(predicted) / best if best != 0 else float("nan")


def _deciles(actual: np.ndarray, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((np.arange(predicted.size), -predicted))
    groups = np.array_split(order, 10)
    return (np.array([predicted[g].sum() for g in groups]), np.array([actual[g].sum() for g in groups]))


def _expected_histogram(model: PurchaseModel, T: np.ndarray) -> np.ndarray:
    (tu,), codes = row_codes(T)
    weight = np.bincount(codes, minlength=tu.size).astype(float)
    counts = np.arange(_HISTOGRAM_TOP)
    probs = np.asarray(model.probability_of_purchases(np.repeat(counts, tu.size), np.tile(tu, counts.size)))
    expected = probs.reshape(counts.size, tu.size) @ weight
    return np.append(expected, weight.sum() - expected.sum())


def _spend(x: np.ndarray, money: np.ndarray) -> np.ndarray | None:
    """Gamma-Gamma expected spend of each calibration customer, or None when it cannot be fitted."""
    spenders = (x > 0) & (money > 0)
    try:
        gg = GammaGamma().fit(x[spenders], money[spenders])
    except (ClvXlError, ValueError, ArithmeticError):
        return None
    return np.asarray(gg.expected_spend(x, np.where(x > 0, money, 0.0)), dtype=float)


def compare_purchase_models(
    cal_holdout: pd.DataFrame, holdout_offsets: pd.Series | None = None, *, tie: float = TIE
) -> ModelComparison:
    """Fit every purchase model on the calibration columns and score it on the holdout (see the module notes).

    Parameters
    ----------
    cal_holdout : pandas.DataFrame
        Output of :func:`clv_xl.models.holdout.calibration_holdout` (its ``attrs`` give the time unit).
    holdout_offsets : pandas.Series, optional
        For the tracking table: one row per holdout transaction, indexed by customer id, the time from the end of
        calibration to the transaction in the time unit. Without it the tracking table has no actual column.
    tie : float, default 0.001
        Relative score difference below which models are tied.

    Returns
    -------
    ModelComparison

    Examples
    --------
    >>> from clv_xl.models.holdout import calibration_holdout
    >>> from clv_xl.sample_shop import sample_orders
    >>> orders = sample_orders(n_customers=600, seed=4)
    >>> end = orders["order_date"].max()
    >>> ch = calibration_holdout(orders, end - pd.Timedelta(days=182), end, time_unit="W")
    >>> comparison = compare_purchase_models(ch)
    >>> [s.label for s in comparison.scores]
    ['BG/NBD', 'MBG/NBD', 'Pareto/NBD']
    >>> comparison.chosen in {"bgnbd", "mbgnbd", "pareto_nbd"}
    True
    """
    x = cal_holdout["frequency_cal"].to_numpy(dtype=float)
    tx = cal_holdout["recency_cal"].to_numpy(dtype=float)
    T = cal_holdout["T_cal"].to_numpy(dtype=float)
    actual = cal_holdout["frequency_holdout"].to_numpy(dtype=float)
    duration = float(cal_holdout["duration_holdout"].iloc[0])
    spend = _spend(x, cal_holdout["monetary_value_cal"].to_numpy(dtype=float))
    actual_value = actual * (cal_holdout["monetary_value_holdout"].to_numpy(dtype=float) if spend is not None else 1.0)
    weeks = np.arange(1, max(1, math.ceil(duration - 1e-9)) + 1, dtype=float)
    comparison = ModelComparison(holdout_length=duration, time_unit=str(cal_holdout.attrs.get("time_unit", "W")))
    tracking: dict[str, Any] = {"period": weeks}
    if holdout_offsets is not None:
        offsets = holdout_offsets[cal_holdout.index.get_indexer(holdout_offsets.index) >= 0].to_numpy(dtype=float)
        tracking["actual"] = np.searchsorted(np.sort(offsets), np.minimum(weeks, duration), side="right")
    observed = np.bincount(np.minimum(x, _HISTOGRAM_TOP).astype(int), minlength=_HISTOGRAM_TOP + 1)
    histogram: dict[str, Any] = {"repeat_purchases": [*map(str, range(_HISTOGRAM_TOP)), f"{_HISTOGRAM_TOP}+"],
                                 "actual": observed.astype(float)}
    deciles: dict[str, Any] = {"decile": np.arange(1, 11)}
    (xu, txu, tu), codes = row_codes(x, tx, T)
    for spec in PURCHASE_MODELS:
        try:
            model = spec.model_class().fit(x, tx, T)
            predicted = np.asarray(model.expected_purchases(duration, x, tx, T), dtype=float)
        except (ClvXlError, ValueError, ArithmeticError) as exc:
            comparison.failures[spec.label] = str(exc) or type(exc).__name__
            continue
        weight = np.bincount(codes, minlength=xu.size)
        tracking[spec.key] = [float(np.asarray(model.expected_purchases(min(w, duration), xu, txu, tu)) @ weight)
                              for w in weeks]
        histogram[spec.key] = _expected_histogram(model, T)
        value = predicted * spend if spend is not None else predicted
        deciles[f"{spec.key}_predicted"], deciles[f"{spec.key}_actual"] = _deciles(actual_value, value)
        total, total_actual = float(predicted.sum()), float(actual.sum())
        comparison.scores.append(ModelScore(
            key=spec.key, label=spec.label, actual=total_actual, predicted=total,
            error=(total - total_actual) / total_actual if total_actual > 0 else float("nan"),
            mae=float(np.abs(predicted - actual).mean()), rmse=float(np.sqrt(np.mean((predicted - actual) ** 2))),
            gini=normalised_gini(actual_value, value),
            log_likelihood=model.log_likelihood, note=str(getattr(model, "note", "")),
        ))
    comparison.tracking = pd.DataFrame(tracking)
    comparison.histogram = pd.DataFrame(histogram)
    comparison.deciles = pd.DataFrame(deciles)
    if comparison.scores:
        best = min(s.rmse for s in comparison.scores)
        tied = [s.key for s in comparison.scores if s.rmse <= best * (1 + tie) + 1e-12]
        comparison.chosen = tied[0]  # the registry lists the simplest first
        comparison.tied_with = [k for k in tied[1:] if k != tied[0]]
    return comparison
