"""The subscription Excel functions: the MRR table and the shifted-beta-geometric retention model.

sBG after Fader & Hardie (2007, 2010). Imported (and registered) through :mod:`clv_xl.excel.udfs`.
"""

from __future__ import annotations

from typing import Annotated

import pandas as pd

from clv_xl.excel._cells import CellRange, Numbers
from clv_xl.excel._udf_history import column
from clv_xl.excel._udf_support import Arg, excel_function
from clv_xl.excel.udfs_orders import CustomerIds
from clv_xl.models import ShiftedBetaGeometric
from clv_xl.subscriptions import mrr_table_from_columns

__all__ = ["MRR_TABLE", "SBG_DERL", "SBG_FIT", "SBG_RETENTION", "SBG_SURVIVAL"]

@excel_function(definition="charges spread over the months their plan covers (yearly ÷ 12, quarterly ÷ 3); "
                "movements new, reactivation, expansion, contraction, churn (ChartMogul); ARPA = MRR ÷ customers")
def MRR_TABLE(  # noqa: N802
    customer_ids: CustomerIds,
    charge_dates: Annotated[CellRange, Arg("Date of each charge or paid invoice, same length as customer_ids.")],
    amounts: Annotated[CellRange, Arg("Amount of each charge, same length as customer_ids.")],
) -> object:
    """MRR per month and its movements, from a billing export's charges (spills, with headers)."""
    return mrr_table_from_columns(customer_ids, charge_dates, amounts)


SBG_ALPHA = Annotated[float, Arg("sBG alpha of the churn-probability beta (from SBG_FIT).")]
SBG_BETA = Annotated[float, Arg("sBG beta of the churn-probability beta (from SBG_FIT).")]
Periods = Annotated[Numbers, Arg("Period number t (whole, e.g. 1 for one year or month after the start).")]


@excel_function(definition="maximum likelihood on a cohort's survival curve (Fader & Hardie 2007); standard "
                "errors when the cohort size is known")
def SBG_FIT(  # noqa: N802
    survival: Annotated[Numbers, Arg("The cohort at the start of periods 0, 1, 2, ...: shares, % or head counts "
                                     "(a column; it may not rise).")],
    cohort_size: Annotated[float | None, Arg("Customers in the cohort, for standard errors (optional; empty = "
                                             "none unless survival holds head counts).")] = None,
) -> object:
    """Fit the shifted-beta-geometric retention model on a survival curve: spills alpha, beta (and their errors)."""
    model = ShiftedBetaGeometric().fit_survival(column(survival), cohort_size=cohort_size)
    row = {**model.params, **{f"se_{k}": v for k, v in model.standard_errors.items()},
           "log_likelihood": model.log_likelihood}
    return pd.DataFrame([row])


@excel_function(definition="B(α, β + t) / B(α, β): share of a new cohort still there after t periods")
def SBG_SURVIVAL(alpha: SBG_ALPHA, beta: SBG_BETA, t: Periods) -> object:  # noqa: N802
    """Projected share of a cohort still subscribed after t periods (sBG)."""
    return ShiftedBetaGeometric.from_params(alpha, beta).survival(t)


@excel_function(definition="(β + t − 1) / (α + β + t − 1): share of those there at t − 1 who renew at t")
def SBG_RETENTION(alpha: SBG_ALPHA, beta: SBG_BETA, t: Periods) -> object:  # noqa: N802
    """Projected retention rate at period t (sBG): rises with t as the likeliest churners leave first."""
    return ShiftedBetaGeometric.from_params(alpha, beta).retention_rate(t)


@excel_function(definition="Σ over future renewals of survival ÷ (1 + d)^k (Fader & Hardie 2010, eq. 6); × margin "
                "per period = expected residual value")
def SBG_DERL(  # noqa: N802
    alpha: SBG_ALPHA, beta: SBG_BETA,
    discount_rate: Annotated[Numbers, Arg("Discount rate per period, above 0 (e.g. 0.1 a year).")],
    renewals: Annotated[Numbers, Arg("Renewals each customer has made so far (0 in their first period).")] = 0,
) -> object:
    """Discounted expected residual lifetime of a customer given their renewals so far (sBG, periods)."""
    return ShiftedBetaGeometric.from_params(alpha, beta).derl(discount_rate, renewals)

