"""Which purchase model to trust: fit each on a calibration period, score it on the holdout that followed.

For each model of :data:`clv_xl.models.registry.PURCHASE_MODELS`, fitted on the calibration columns of
:func:`clv_xl.models.holdout.calibration_holdout`:

- **the score**: the holdout log-likelihood, the log of the probability density the model fitted on the calibration
  period gives to what each customer then did in the holdout (how many purchases, and when the last one was), given
  what the customer did before: ``log L(x + x*, t_x*, T + t*) - log L(x, t_x, T)`` with ``L`` the model's
  likelihood of a purchase history (the density of its purchase times), summed over customers. This is the log
  score, a strictly proper scoring rule (Gneiting & Raftery 2007): in expectation no model scores better than
  the one that produced the data, and it uses everything the model says about the holdout (the number of
  purchases, their timing, who has dropped out), where an error on expected counts compares only means that
  differ little between the models (the squared error of the expected purchases is shown beside it);
- **the choice**: the model with the highest score, unless a simpler model (the registry's order) is not
  significantly worse: the difference of the two models' per-customer scores, paired by customer, is tested
  with ``z = sum(d) / (sd(d) * sqrt(n))`` (Vuong 1989's test for non-nested models, out of sample); models with
  ``z <`` :data:`TIE_Z` are tied with the best and the simplest of them wins;
- aggregate holdout repeat purchases, actual vs predicted, and the error in % (``(predicted - actual) / actual``);
  the mean absolute error and root mean squared error per customer (holdout purchases);
- a decile table: customers ranked by predicted holdout value (expected purchases x Gamma-Gamma expected spend,
  or purchases alone when spend cannot be modelled), predicted and actual value per tenth of customers, and the
  normalised Gini of actual value ordered by prediction (1 = perfect ranking, 0 = no better than chance);
- weekly tracking: cumulative holdout repeat purchases of the calibration customers, actual vs each model;
- the calibration-period histogram of repeat purchases (0, 1, ..., 7+), actual vs each model
  (``sum_i P(X(T_i) = n)``).

References
----------
T. Gneiting and A. E. Raftery (2007), "Strictly Proper Scoring Rules, Prediction, and Estimation", JASA 102(477).
Q. H. Vuong (1989), "Likelihood Ratio Tests for Model Selection and Non-Nested Hypotheses", Econometrica 57(2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from clv_xl.background import started
from clv_xl.errors import ClvXlError, InvalidArgumentError
from clv_xl.models._compress import row_codes
from clv_xl.models._purchase import PurchaseModel
from clv_xl.models.gamma_gamma import GammaGamma
from clv_xl.models.registry import PURCHASE_MODELS

__all__ = ["ModelScore", "ModelComparison", "compare_purchase_models", "normalised_gini", "holdout_log_scores",
           "TIE_Z"]

#: A model whose score is below the best's by less than this many standard errors (paired test) is tied with it.
TIE_Z = 2.0
_HISTOGRAM_TOP = 7


@dataclass(frozen=True)
class ModelScore:
    """One model's holdout check.

    ``log_score`` is the mean holdout log-likelihood per customer (the score, higher is better); ``z`` is the
    paired test statistic of the best model's score against this one's (0 for the best).
    """

    key: str
    label: str
    actual: float
    predicted: float
    error: float
    mae: float
    rmse: float
    gini: float
    log_likelihood: float
    log_score: float = float("nan")
    z: float = 0.0
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
        Keys of the other models not significantly apart from the best (z < :data:`TIE_Z`); the chosen one is
        the simplest of them and of the best.
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


def holdout_log_scores(model: Any, x: np.ndarray, tx: np.ndarray, T: np.ndarray, holdout_count: np.ndarray,
                       holdout_last: np.ndarray, duration: float) -> np.ndarray:
    """Each customer's holdout log-likelihood given the calibration history (see the module notes).

    ``model`` is a fitted continuous-time purchase model (one with ``individual_log_likelihood``).

    ``holdout_last`` is the time of the customer's last holdout purchase after the end of calibration (ignored
    without holdout purchases). A history's likelihood is the density of its purchase times, so the ratio of
    the whole history's to the calibration part's is the density of the holdout purchases given the past.

    Examples
    --------
    >>> from clv_xl.models import BetaGeo
    >>> bg = BetaGeo.from_params(0.243, 4.414, 0.793, 2.426)
    >>> one = np.array([1.0])
    >>> nothing = holdout_log_scores(bg, one, one, one * 10, one * 0, one * 0, 39.0)
    >>> by_hand = bg.individual_log_likelihood(1, 1, 49.0) - bg.individual_log_likelihood(1, 1, 10.0)
    >>> bool(np.isclose(nothing[0], by_hand))
    True
    """
    bought = holdout_count > 0
    x_all = x + holdout_count
    tx_all = np.where(bought, T + np.where(bought, holdout_last, 0.0), tx)
    full = np.asarray(model.individual_log_likelihood(x_all, tx_all, T + duration), dtype=np.float64)
    return full - np.asarray(model.individual_log_likelihood(x, tx, T), dtype=np.float64)


def _paired_z(best: np.ndarray, other: np.ndarray) -> float:
    """How many standard errors the best model's total score is above the other's, paired by customer."""
    d = best - other
    spread = float(d.std(ddof=1)) * math.sqrt(d.size) if d.size > 1 else 0.0
    total = float(d.sum())
    if spread == 0.0:
        return 0.0 if total == 0.0 else math.inf
    return total / spread


def _last_holdout_purchase(cal_holdout: pd.DataFrame, holdout_offsets: pd.Series) -> np.ndarray:
    """Time of each customer's last holdout purchase after the calibration end (0 without any)."""
    where = cal_holdout.index.get_indexer(holdout_offsets.index)
    kept = where >= 0
    last = np.zeros(len(cal_holdout))
    np.maximum.at(last, where[kept], holdout_offsets.to_numpy(dtype=float)[kept])
    counted = np.bincount(where[kept], minlength=len(cal_holdout))
    if not np.array_equal(counted, cal_holdout["frequency_holdout"].to_numpy()):
        raise InvalidArgumentError("holdout_offsets", "holdout_offsets must list each holdout purchase day of the "
                                   "customers of cal_holdout once (its counts differ from frequency_holdout)")
    return last


def _spend(x: np.ndarray, money: np.ndarray) -> np.ndarray | None:
    """Gamma-Gamma expected spend of each calibration customer, or None when it cannot be fitted."""
    spenders = (x > 0) & (money > 0)
    try:
        gg = GammaGamma().fit(x[spenders], money[spenders])
    except (ClvXlError, ValueError, ArithmeticError):
        return None
    return np.asarray(gg.expected_spend(x, np.where(x > 0, money, 0.0)), dtype=float)


#: The purchase model :func:`compare_purchase_models` fits on a second thread, beside the others: Pareto/NBD, whose
#: likelihood has no closed-form gradient (about half the holdout check's time on the 1M-order benchmark).
_FITTED_AHEAD = "pareto_nbd"


def compare_purchase_models(
    cal_holdout: pd.DataFrame, holdout_offsets: pd.Series, *, tie_z: float = TIE_Z
) -> ModelComparison:
    """Fit every purchase model on the calibration columns and score it on the holdout (see the module notes).

    Parameters
    ----------
    cal_holdout : pandas.DataFrame
        Output of :func:`clv_xl.models.holdout.calibration_holdout` (its ``attrs`` give the time unit).
    holdout_offsets : pandas.Series
        One row per holdout transaction (purchase day), indexed by customer id: the time from the end of
        calibration to the transaction in the time unit (for the score and the tracking table). Transactions of
        customers not in ``cal_holdout`` are ignored.
    tie_z : float, default 2.0
        Paired test statistic below which a simpler model is tied with the best.

    Returns
    -------
    ModelComparison

    Examples
    --------
    >>> from clv_xl.models.holdout import calibration_holdout
    >>> from clv_xl.sample_shop import sample_orders
    >>> orders = sample_orders(n_customers=600, seed=4)
    >>> end = orders["order_date"].max()
    >>> cut = end - pd.Timedelta(days=182)
    >>> ch = calibration_holdout(orders, cut, end, time_unit="W")
    >>> later = orders[orders["order_date"] > cut].assign(day=lambda o: o["order_date"].dt.normalize())
    >>> later = later.drop_duplicates(["customer_id", "day"])
    >>> offsets = pd.Series(((later["day"] - cut).dt.days / 7).to_numpy(), index=later["customer_id"].to_numpy())
    >>> comparison = compare_purchase_models(ch, offsets)
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
    offsets = holdout_offsets[cal_holdout.index.get_indexer(holdout_offsets.index) >= 0].to_numpy(dtype=float)
    tracking["actual"] = np.searchsorted(np.sort(offsets), np.minimum(weeks, duration), side="right")
    last = _last_holdout_purchase(cal_holdout, holdout_offsets)
    log_scores: dict[str, np.ndarray] = {}
    observed = np.bincount(np.minimum(x, _HISTOGRAM_TOP).astype(int), minlength=_HISTOGRAM_TOP + 1)
    histogram: dict[str, Any] = {"repeat_purchases": [*map(str, range(_HISTOGRAM_TOP)), f"{_HISTOGRAM_TOP}+"],
                                 "actual": observed.astype(float)}
    deciles: dict[str, Any] = {"decile": np.arange(1, 11)}
    def fitted(spec: Any) -> tuple[PurchaseModel, np.ndarray, np.ndarray]:
        model = spec.model_class().fit(x, tx, T)
        predicted = np.asarray(model.expected_purchases(duration, x, tx, T), dtype=float)
        scores = holdout_log_scores(model, x, tx, T, actual, last, duration)
        if not np.all(np.isfinite(scores)):
            raise ArithmeticError("its holdout log-likelihood is not finite for some customers")
        if not np.all(np.isfinite(predicted)):
            raise ArithmeticError("its holdout forecast is not finite for some customers")
        return model, predicted, scores

    # the dearest fit (numeric gradients of hypergeometric terms) on a second core while the others run here; the
    # results are the same, in the registry's order, whichever thread computed them
    ahead = {spec.key: started(fitted, spec) for spec in PURCHASE_MODELS if spec.key == _FITTED_AHEAD}
    for spec in PURCHASE_MODELS:
        try:
            model, predicted, scores = ahead[spec.key]() if spec.key in ahead else fitted(spec)
        except (ClvXlError, ValueError, ArithmeticError) as exc:
            comparison.failures[spec.label] = str(exc) or type(exc).__name__
            continue
        tracking[spec.key] = model.total_expected_purchases(np.minimum(weeks, duration), x, tx, T)
        histogram[spec.key] = _expected_histogram(model, T)
        value = predicted * spend if spend is not None else predicted
        deciles[f"{spec.key}_predicted"], deciles[f"{spec.key}_actual"] = _deciles(actual_value, value)
        total, total_actual = float(predicted.sum()), float(actual.sum())
        comparison.scores.append(ModelScore(
            key=spec.key, label=spec.label, actual=total_actual, predicted=total,
            error=(total - total_actual) / total_actual if total_actual > 0 else float("nan"),
            mae=float(np.abs(predicted - actual).mean()), rmse=float(np.sqrt(np.mean((predicted - actual) ** 2))),
            gini=normalised_gini(actual_value, value),
            log_likelihood=model.log_likelihood, log_score=float(scores.mean()),
            note=str(getattr(model, "note", "")),
        ))
        log_scores[spec.key] = scores
    comparison.tracking = pd.DataFrame(tracking)
    comparison.histogram = pd.DataFrame(histogram)
    comparison.deciles = pd.DataFrame(deciles)
    if comparison.scores:
        best = max(comparison.scores, key=lambda score: score.log_score).key
        z = {s.key: _paired_z(log_scores[best], log_scores[s.key]) for s in comparison.scores}
        comparison.scores = [replace(s, z=z[s.key]) for s in comparison.scores]
        # the registry lists the simplest first; the best is always a candidate (tie_z <= 0: no ties at all)
        tied = [s.key for s in comparison.scores if s.key == best or z[s.key] < tie_z]
        comparison.chosen = tied[0]
        comparison.tied_with = tied[1:]
    return comparison
