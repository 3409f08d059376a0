"""Probabilistic customer-base models: purchase counts (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB), spend, predicted CLV.

Examples
--------
>>> from clv_xl.models import BetaGeo, GammaGamma, predicted_clv, forecast_table
>>> sorted(BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259).params)
['a', 'alpha', 'b', 'r']
"""

from __future__ import annotations

from clv_xl.models.bgbb import BetaGeoBetaBinom
from clv_xl.models.bgnbd import BetaGeo
from clv_xl.models.clv import discount_rate_per_period, forecast_table, predicted_clv
from clv_xl.models.gamma_gamma import GammaGamma
from clv_xl.models.holdout import calibration_holdout, holdout_comparison
from clv_xl.models.mbgnbd import ModifiedBetaGeo
from clv_xl.models.pareto_nbd import ParetoNBD

__all__ = [
    "BetaGeo",
    "ModifiedBetaGeo",
    "ParetoNBD",
    "BetaGeoBetaBinom",
    "GammaGamma",
    "predicted_clv",
    "forecast_table",
    "discount_rate_per_period",
    "calibration_holdout",
    "holdout_comparison",
]
