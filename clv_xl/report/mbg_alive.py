"""MBG/NBD's P(alive) of every customer, for the Customers sheet's churn-risk bands (see :mod:`clv_xl.report.risk`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl.errors import ClvXlError
from clv_xl.models import ModifiedBetaGeo

__all__ = ["mbg_p_alive", "p_alive_of"]


def p_alive_of(model: ModifiedBetaGeo, summary: pd.DataFrame) -> np.ndarray | None:
    """P(alive) of every row of ``summary`` under a fitted ``model``; None when a value is not finite.

    Examples
    --------
    >>> model = ModifiedBetaGeo.from_params(0.525, 6.183, 0.891, 1.614)  # CDNOW, weeks
    >>> summary = pd.DataFrame({"frequency": [0, 2], "recency": [0.0, 30.43], "T": [38.86, 38.86]})
    >>> once, regular = p_alive_of(model, summary)  # a one-time buyer 39 weeks on, and a repeat buyer
    >>> bool(0 < once < regular < 1)
    True
    """
    try:
        alive = np.asarray(model.p_alive(summary["frequency"].to_numpy(), summary["recency"].to_numpy(),
                                         summary["T"].to_numpy()), dtype=float)
    except (ClvXlError, ValueError, ArithmeticError):
        return None
    return alive if np.isfinite(alive).all() else None


def mbg_p_alive(summary: pd.DataFrame) -> np.ndarray | None:
    """P(alive) of every customer under MBG/NBD fitted on ``summary``; None when the model cannot be fitted.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`clv_xl.customers.summarize` (frequency, recency, T in one time unit).

    Returns
    -------
    ndarray of float or None
        One probability per row.

    Examples
    --------
    >>> from clv_xl.customers import summarize
    >>> from clv_xl.sample_shop import sample_orders
    >>> summary = summarize(sample_orders(n_customers=500, seed=1))
    >>> alive = mbg_p_alive(summary)
    >>> once = summary["frequency"].to_numpy() == 0
    >>> bool(alive[once].max() < 1), bool(alive[once][summary["T"].to_numpy()[once].argmax()] < alive[once].max())
    (True, True)
    """
    try:
        model = ModifiedBetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    except (ClvXlError, ValueError, ArithmeticError):
        return None
    return p_alive_of(model, summary)
