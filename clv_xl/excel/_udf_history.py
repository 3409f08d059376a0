"""What the purchase-model Excel functions share: the customer-history arguments and the fit-and-spill step.

A customer's history is three columns in the lifetimes convention (frequency, recency, T), plus the mean
spend for Gamma-Gamma; a fit function reads them as flat columns and spills one row: the parameters and the
log-likelihood.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import pandas as pd

from clv_xl.excel._cells import Numbers
from clv_xl.excel._udf_support import Arg

__all__ = ["Age", "Frequency", "MonetaryValue", "Penalizer", "Recency", "column", "fit_and_spill"]

Frequency = Annotated[Numbers, Arg("Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).")]
Recency = Annotated[Numbers, Arg("Time from first to last purchase of each customer (same unit as T).")]
Age = Annotated[Numbers, Arg("Time from first purchase to the end of observation of each customer (age).")]
MonetaryValue = Annotated[
    Numbers, Arg("Mean value of each customer's repeat purchases (CLV_SUMMARY's monetary_value).")
]
Penalizer = Annotated[float, Arg("L2 penalty on the parameters, 0 or more (0 = plain maximum likelihood).")]


def column(values: Numbers) -> np.ndarray:
    """The cells of ``values`` as one flat column of floats.

    Examples
    --------
    >>> column([[1, 2], [3, 4]]).tolist()
    [1.0, 2.0, 3.0, 4.0]
    """
    return np.asarray(values, dtype=np.float64).reshape(-1)


def fit_and_spill(model: Any, frequency: Numbers, recency: Numbers, periods: Numbers,
                  weights: np.ndarray | None = None) -> pd.DataFrame:
    """Fit a purchase model on the three columns; the row its *_FIT function spills: parameters, log-likelihood."""
    model.fit(column(frequency), column(recency), column(periods), weights=weights)
    return pd.DataFrame([{**model.params, "log_likelihood": model.log_likelihood}])
