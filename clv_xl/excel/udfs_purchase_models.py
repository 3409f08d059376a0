"""The other purchase-model Excel functions: MBG/NBD, Pareto/NBD and BG/BB fits, and predictions by model name.

A fit spills its parameters; a prediction takes the model's name and that row. Imported (and registered)
through :mod:`clv_xl.excel.udfs`.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from clv_xl.errors import InvalidArgumentError
from clv_xl.excel._cells import CellRange, Numbers
from clv_xl.excel._udf_history import Age, Frequency, Penalizer, Recency, column, fit_and_spill
from clv_xl.excel._udf_support import Arg, excel_function
from clv_xl.models import BetaGeoBetaBinom, ModifiedBetaGeo, ParetoNBD
from clv_xl.models.registry import purchase_model_spec

__all__ = ["BGBB_FIT", "MBGNBD_FIT", "MODEL_PURCHASES", "MODEL_P_ALIVE", "MODEL_RESIDUAL", "PARETO_FIT"]

ModelName = Annotated[str, Arg("Purchase model: bgnbd, mbgnbd, pareto_nbd or bgbb.")]
ModelParams = Annotated[CellRange, Arg("The model's four parameters: the row a *_FIT function spilled (its first "
                                       "four numbers are used; headers are skipped).")]


def _model(name: str, params: CellRange) -> object:
    """The model ``name`` with the first four numbers of ``params``."""
    spec = purchase_model_spec(name)
    numbers = [float(v) for row in params for v in row if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) < 4:
        raise InvalidArgumentError(
            "params", f"params must hold the {spec.label} model's 4 parameters (the row its fit spilled); "
            f"got {len(numbers)} numbers"
        )
    return spec.model_class.from_params(*numbers[:4])  # type: ignore[attr-defined]  # every model has one


@excel_function(definition="maximum likelihood (Batislam, Denizel & Filiztekin 2007)")
def MBGNBD_FIT(  # noqa: N802
    frequency: Frequency, recency: Recency, T: Age, penalizer: Penalizer = 0.0,  # noqa: N803
) -> object:
    """Fit the MBG/NBD purchase model: spills r, alpha, a, b and the log-likelihood."""
    return fit_and_spill(ModifiedBetaGeo(penalizer=penalizer), frequency, recency, T)


@excel_function(definition="maximum likelihood (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005 note)")
def PARETO_FIT(  # noqa: N802
    frequency: Frequency, recency: Recency, T: Age, penalizer: Penalizer = 0.0,  # noqa: N803
) -> object:
    """Fit the Pareto/NBD purchase model: spills r, alpha, s, beta and the log-likelihood."""
    return fit_and_spill(ParetoNBD(penalizer=penalizer), frequency, recency, T)


@excel_function(definition="maximum likelihood (Fader, Hardie & Shang 2010)")
def BGBB_FIT(  # noqa: N802
    frequency: Annotated[Numbers, Arg("Purchases of each customer at the opportunities after the first.")],
    recency: Annotated[Numbers, Arg("Opportunity of each customer's last purchase (0 if none).")],
    opportunities: Annotated[Numbers, Arg("Opportunities each customer had after the first purchase.")],
    customers: Annotated[Numbers, Arg("Customers each row stands for (optional; empty = 1 each).")] = 1.0,
) -> object:
    """Fit the BG/BB model of purchases at discrete opportunities: spills alpha, beta, gamma, delta, log-likelihood."""
    counts, rows = column(customers), column(frequency).size
    if counts.size not in (1, rows):
        raise InvalidArgumentError(
            "customers", f"customers must be one number or one per row of frequency ({rows}); got {counts.size}"
        )
    return fit_and_spill(BetaGeoBetaBinom(), frequency, recency, opportunities,
                          weights=np.broadcast_to(counts, (rows,)))


@excel_function(definition="conditional expectation of the named model (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB)")
def MODEL_PURCHASES(  # noqa: N802
    model: ModelName, params: ModelParams,
    t: Annotated[Numbers, Arg("Length of the future period in the model's unit (opportunities for bgbb).")],
    frequency: Frequency, recency: Recency, T: Age,  # noqa: N803
) -> object:
    """Expected purchases of each customer in the next t periods under the named model."""
    return _model(model, params).expected_purchases(t, frequency, recency, T)  # type: ignore[attr-defined]  # every purchase model has it


@excel_function(definition="probability that the customer has not dropped out, under the named model")
def MODEL_P_ALIVE(  # noqa: N802
    model: ModelName, params: ModelParams, frequency: Frequency, recency: Recency, T: Age,  # noqa: N803
) -> object:
    """Probability that each customer is still active, under the named model."""
    return _model(model, params).p_alive(frequency, recency, T)  # type: ignore[attr-defined]  # every purchase model has it


@excel_function(definition="discounted expected residual transactions: all future purchases, each discounted "
                "(Fader, Hardie & Lee 2005, RFM and CLV)")
def MODEL_RESIDUAL(  # noqa: N802
    model: ModelName, params: ModelParams, frequency: Frequency, recency: Recency, T: Age,  # noqa: N803
    discount_rate: Annotated[float, Arg("Discount rate PER PERIOD of the model's unit (per opportunity for "
                                        "bgbb), above 0.")],
) -> object:
    """All of each customer's future purchases, each discounted to today (an infinite horizon)."""
    return _model(model, params).residual_purchases(frequency, recency, T, discount_rate)  # type: ignore[attr-defined]  # every purchase model has it
