"""The BG/NBD and Gamma-Gamma Excel functions: fit, predict purchases, P(alive), spend and predicted CLV.

Parameters travel between cells as plain numbers (the row a *_FIT function spilled). Imported (and registered)
through :mod:`clv_xl.excel.udfs`.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
import pandas as pd

from clv_xl.excel._cells import Numbers
from clv_xl.excel._udf_history import Age, Frequency, MonetaryValue, Penalizer, Recency, column, fit_and_spill
from clv_xl.excel._udf_support import Arg, excel_function
from clv_xl.models import BetaGeo, GammaGamma, predicted_clv

__all__ = ["BGNBD_FIT", "BGNBD_PURCHASES", "CLV_PREDICTED", "GG_FIT", "GG_SPEND", "P_ALIVE"]

BG_R = Annotated[float, Arg("BG/NBD shape r of the purchase-rate gamma (from BGNBD_FIT).")]
BG_ALPHA = Annotated[float, Arg("BG/NBD scale alpha of the purchase-rate gamma (from BGNBD_FIT).")]
BG_A = Annotated[float, Arg("BG/NBD drop-out beta parameter a (from BGNBD_FIT).")]
BG_B = Annotated[float, Arg("BG/NBD drop-out beta parameter b (from BGNBD_FIT).")]
GG_P = Annotated[float, Arg("Gamma-Gamma shape p (from GG_FIT).")]
GG_Q = Annotated[float, Arg("Gamma-Gamma shape q (from GG_FIT).")]
GG_GAMMA = Annotated[float, Arg("Gamma-Gamma scale gamma (from GG_FIT).")]




@excel_function(definition="maximum likelihood (Fader, Hardie & Lee 2005)")
def BGNBD_FIT(  # noqa: N802
    frequency: Frequency, recency: Recency, T: Age,  # noqa: N803
    penalizer: Penalizer = 0.0,
) -> object:
    """Fit the BG/NBD purchase model (Fader, Hardie & Lee 2005): spills r, alpha, a, b and the log-likelihood."""
    return fit_and_spill(BetaGeo(penalizer=penalizer), frequency, recency, T)


@excel_function(definition="BG/NBD conditional expectation (FHL 2005, eq. 10)")
def BGNBD_PURCHASES(  # noqa: N802
    r: BG_R, alpha: BG_ALPHA, a: BG_A, b: BG_B,
    t: Annotated[Numbers, Arg("Length of the future period, in the unit of recency and T (e.g. 39 weeks).")],
    frequency: Frequency, recency: Recency, T: Age,  # noqa: N803
) -> object:
    """Expected purchases of each customer in the next t periods, given their history (BG/NBD)."""
    return BetaGeo.from_params(r, alpha, a, b).expected_purchases(t, frequency, recency, T)


@excel_function(definition="BG/NBD")
def P_ALIVE(  # noqa: N802
    r: BG_R, alpha: BG_ALPHA, a: BG_A, b: BG_B, frequency: Frequency, recency: Recency, T: Age,  # noqa: N803
) -> object:
    """Probability that each customer is still active (BG/NBD)."""
    return BetaGeo.from_params(r, alpha, a, b).p_alive(frequency, recency, T)


@excel_function(definition="maximum likelihood on repeat buyers (Fader & Hardie 2013)")
def GG_FIT(frequency: Frequency, monetary_value: MonetaryValue) -> object:  # noqa: N802
    """Fit the Gamma-Gamma spend model on repeat buyers (Fader, Hardie & Lee 2005): spills p, q, gamma."""
    return pd.DataFrame([GammaGamma().fit(column(frequency), column(monetary_value)).params])


@excel_function(definition="Gamma-Gamma conditional expectation")
def GG_SPEND(  # noqa: N802
    p: GG_P, q: GG_Q, gamma: GG_GAMMA, frequency: Frequency, monetary_value: MonetaryValue,
) -> object:
    """Expected average order value of each customer (Gamma-Gamma)."""
    return GammaGamma.from_params(p, q, gamma).expected_spend(frequency, monetary_value)


@excel_function(definition="expected purchases × expected spend × margin, discounted per period; `time_unit` is "
                "required")
def CLV_PREDICTED(  # noqa: N802
    r: BG_R, alpha: BG_ALPHA, a: BG_A, b: BG_B, p: GG_P, q: GG_Q, gamma: GG_GAMMA,
    frequency: Frequency, recency: Recency, T: Age, monetary_value: MonetaryValue,  # noqa: N803
    horizon: Annotated[float, Arg("Forecast length, in time_unit (e.g. 52 with weeks = one year).")],
    time_unit: Annotated[
        str, Arg("Unit of recency, T, horizon and of the fitted BG/NBD: D, W, M or Y (required: no hidden unit).")
    ],
    discount_rate: Annotated[float, Arg("YEARLY discount rate, 0 to 1, converted to time_unit.")]
    = 0.0,
    margin: Annotated[float, Arg("Gross margin fraction, 0 to 1 (1 = revenue).")] = 1.0,
) -> object:
    """Predicted CLV of each customer: expected purchases × expected spend × margin, discounted (BG/NBD + GG)."""
    shape = np.broadcast_shapes(*(np.shape(v) for v in (frequency, recency, T, monetary_value)))
    columns = {"frequency": frequency, "recency": recency, "T": T, "monetary_value": monetary_value}
    summary = pd.DataFrame({name: np.broadcast_to(v, shape).reshape(-1) for name, v in columns.items()})
    values = predicted_clv(BetaGeo.from_params(r, alpha, a, b), GammaGamma.from_params(p, q, gamma), summary,
                           horizon=horizon, time_unit=time_unit, discount_rate=discount_rate, margin=margin)
    return values.to_numpy().reshape(shape)

