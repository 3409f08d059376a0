"""The clv-xl worksheet functions: ``=CLV(50, 2, 3)`` and friends.

Import this module as the UDF module in classic Excel (xlwings add-in, ``UDF Modules: clv_xl.excel.udfs``),
or re-export it from an xlwings Server / xlwings Lite project. Each function takes single cells or ranges;
ranges broadcast like numpy arrays and the result spills into a range of the same shape.
An empty cell for a required argument, text, or an out-of-range value shows a short message naming the
argument (``#VALUE!`` with the message in Office.js), never a traceback and never a silent 0.

Every argument is declared once, in the signature: ``Annotated[type, Arg("help")]`` (the type says how cells are
read, see :mod:`clv_xl.excel._udf_support`), with its default when optional. The body calls one core function.
The functions are named in capitals because Excel shows the Python name as the function name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import numpy as np
import pandas as pd

from clv_xl import customers, formulas
from clv_xl.errors import InvalidArgumentError
from clv_xl.excel._cells import CellRange, Numbers
from clv_xl.excel._udf_support import EXCEL_FUNCTIONS, Arg, excel_function
from clv_xl.models import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    ShiftedBetaGeometric,
    predicted_clv,
)
from clv_xl.models.registry import purchase_model_spec
from clv_xl.subscriptions import mrr_table_from_columns

__all__ = [
    "EXCEL_FUNCTIONS",
    "BGNBD_FIT",
    "BGNBD_PURCHASES",
    "CLV_PREDICTED",
    "GG_FIT",
    "GG_SPEND",
    "P_ALIVE",
    "MBGNBD_FIT",
    "PARETO_FIT",
    "BGBB_FIT",
    "MODEL_PURCHASES",
    "MODEL_P_ALIVE",
    "MODEL_RESIDUAL",
    "CAC",
    "CAC_PAYBACK",
    "CHURN_RATE",
    "CLV",
    "CLV_RETENTION",
    "CLV_SUMMARY",
    "COHORT_RETENTION",
    "LIFESPAN",
    "LTV_CAC",
    "LTV_SUBSCRIPTION",
    "RETENTION_RATE",
    "MRR_TABLE",
    "SBG_FIT",
    "SBG_SURVIVAL",
    "SBG_RETENTION",
    "SBG_DERL",
]

Margin = Annotated[Numbers, Arg("Gross margin as a fraction of revenue, 0 to 1 (1 = revenue).")]
Churn = Annotated[Numbers, Arg("Share of customers lost per period, above 0 and at most 1 (e.g. 0.05 for 5%).")]


@excel_function(
    definition="AOV × purchases a year × years × margin; with a discount rate each year's value is discounted at "
    "the end of that year, a final partial year pro rata",
)
def CLV(  # noqa: N802
    avg_order_value: Annotated[Numbers, Arg("Average order value (AOV), in currency; 0 or more.")],
    purchases_per_year: Annotated[Numbers, Arg("Purchases per customer per year; 0 or more.")],
    lifespan_years: Annotated[Numbers, Arg("Expected customer lifespan, in years; 0 or more.")],
    margin: Margin = 1.0,
    discount_rate: Annotated[Numbers, Arg("Yearly discount rate, 0 to 1 (0 = no discounting).")] = 0.0,
) -> object:
    """Customer lifetime value: AOV × purchases a year × years × margin, discounted at each year's end."""
    return formulas.clv(avg_order_value, purchases_per_year, lifespan_years, margin, discount_rate)


@excel_function(definition="m·r / (1 + d − r); with `first_period_counted` TRUE, m·(1 + d) / (1 + d − r) "
                "(Gupta & Lehmann 2003)")
def CLV_RETENTION(  # noqa: N802
    margin: Annotated[Numbers, Arg("Margin per customer per period, in currency.")],
    retention_rate: Annotated[Numbers, Arg("Share of customers kept from one period to the next, 0 to 1.")],
    discount_rate: Annotated[Numbers, Arg("Discount rate per period, 0 to 1.")],
    first_period_counted: Annotated[bool, Arg("TRUE to count this period's margin too.")]
    = False,
) -> object:
    """Lifetime value with constant margin and retention: m·r / (1 + d − r) (Gupta & Lehmann)."""
    return formulas.clv_retention(margin, retention_rate, discount_rate, first_period_counted)


@excel_function(definition="ARPA × gross margin / churn (Skok, SaaS Metrics 2.0)")
def LTV_SUBSCRIPTION(  # noqa: N802
    arpa: Annotated[Numbers, Arg("Average revenue per account per period (e.g. monthly); 0 or more.")],
    churn_rate: Churn,
    gross_margin: Margin = 1.0,
) -> object:
    """Subscription lifetime value: ARPA × gross margin / churn rate."""
    return formulas.ltv_subscription(arpa, churn_rate, gross_margin)


@excel_function(definition="sales and marketing spend / new customers")
def CAC(  # noqa: N802
    spend: Annotated[Numbers, Arg("Sales and marketing spend over the period; 0 or more.")],
    new_customers: Annotated[Numbers, Arg("Customers acquired over the same period; more than 0.")],
) -> object:
    """Customer acquisition cost: sales and marketing spend / new customers."""
    return formulas.cac(spend, new_customers)


@excel_function(definition="LTV / CAC; 3 or more is the usual health line")
def LTV_CAC(  # noqa: N802
    ltv: Annotated[Numbers, Arg("Customer lifetime value, in currency.")],
    cac: Annotated[Numbers, Arg("Customer acquisition cost, in currency; more than 0.")],
) -> object:
    """LTV to CAC ratio; 3 or more is the usual health line."""
    return formulas.ltv_cac(ltv, cac)


@excel_function(definition="CAC / (revenue per period × gross margin), undiscounted")
def CAC_PAYBACK(  # noqa: N802
    cac: Annotated[Numbers, Arg("Customer acquisition cost, in currency; 0 or more.")],
    revenue_per_period: Annotated[Numbers, Arg("Revenue per customer per period (e.g. monthly); more than 0.")],
    gross_margin: Annotated[Numbers, Arg("Gross margin fraction, above 0 and at most 1.")]
    = 1.0,
) -> object:
    """Periods to earn back CAC: CAC / (revenue per period × gross margin)."""
    return formulas.cac_payback(cac, revenue_per_period, gross_margin)


@excel_function(definition="lost / customers at the start (new customers left out)")
def CHURN_RATE(  # noqa: N802
    customers_at_start: Annotated[Numbers, Arg("Customers at the start of the period; more than 0.")],
    customers_lost: Annotated[Numbers, Arg("Of those, customers lost during the period.")],
) -> object:
    """Churn rate: customers lost / customers at the start of the period."""
    return formulas.churn_rate(customers_at_start, customers_lost)


@excel_function(definition="(E − N) / S")
def RETENTION_RATE(  # noqa: N802
    customers_at_start: Annotated[Numbers, Arg("Customers at the start of the period (S); more than 0.")],
    customers_at_end: Annotated[Numbers, Arg("Customers at the end of the period (E).")],
    new_customers: Annotated[Numbers, Arg("New customers acquired during the period (N).")],
) -> object:
    """Retention rate: (customers at end − new customers) / customers at start."""
    return formulas.retention_rate(customers_at_start, customers_at_end, new_customers)


@excel_function(definition="1 / churn")
def LIFESPAN(churn_rate: Churn) -> object:  # noqa: N802
    """Expected customer lifespan in periods: 1 / churn rate."""
    return formulas.lifespan(churn_rate)


CustomerIds = Annotated[CellRange, Arg("Customer id of each order (a column: id, email, ...).")]
OrderDates = Annotated[CellRange, Arg("Order date of each order (a column of dates), same length as customer_ids.")]


@excel_function(definition="lifetimes / Fader-Hardie conventions; see [Order data](#order-data)")
def CLV_SUMMARY(  # noqa: N802
    customer_ids: CustomerIds,
    order_dates: OrderDates,
    amounts: Annotated[CellRange, Arg("Amount of each order (a column of numbers), same length as customer_ids.")],
    observation_end: Annotated[
        dt.datetime | None, Arg("Last day of the observation period (optional; empty = the last order date).")
    ] = None,
    time_unit: Annotated[
        str, Arg("Unit of recency and T: D (days), W (weeks), M (months) or Y (years).")
    ] = "D",
) -> object:
    """Per-customer summary table: frequency, recency, T, monetary value, revenue, AOV, segment (spills)."""
    return customers.summary_from_columns(customer_ids, order_dates, amounts, observation_end, time_unit)


@excel_function(definition="active customers / cohort size")
def COHORT_RETENTION(  # noqa: N802
    customer_ids: CustomerIds,
    order_dates: OrderDates,
    period: Annotated[str, Arg("Cohort period: D, W, M (month), Q or Y.")] = "M",
) -> object:
    """Cohort retention matrix: share of each acquisition cohort still buying, per period (spills)."""
    return customers.cohort_retention_from_columns(customer_ids, order_dates, period)


# --- probabilistic models (BG/NBD, Gamma-Gamma): parameters travel between cells as plain numbers ---

Frequency = Annotated[Numbers, Arg("Repeat purchases of each customer (a column; CLV_SUMMARY's frequency).")]
Recency = Annotated[Numbers, Arg("Time from first to last purchase of each customer (same unit as T).")]
Age = Annotated[Numbers, Arg("Time from first purchase to the end of observation of each customer (age).")]
MonetaryValue = Annotated[
    Numbers, Arg("Mean value of each customer's repeat purchases (CLV_SUMMARY's monetary_value).")
]
BG_R = Annotated[float, Arg("BG/NBD shape r of the purchase-rate gamma (from BGNBD_FIT).")]
BG_ALPHA = Annotated[float, Arg("BG/NBD scale alpha of the purchase-rate gamma (from BGNBD_FIT).")]
BG_A = Annotated[float, Arg("BG/NBD drop-out beta parameter a (from BGNBD_FIT).")]
BG_B = Annotated[float, Arg("BG/NBD drop-out beta parameter b (from BGNBD_FIT).")]
GG_P = Annotated[float, Arg("Gamma-Gamma shape p (from GG_FIT).")]
GG_Q = Annotated[float, Arg("Gamma-Gamma shape q (from GG_FIT).")]
GG_GAMMA = Annotated[float, Arg("Gamma-Gamma scale gamma (from GG_FIT).")]


def _column(values: Numbers) -> np.ndarray:
    return np.asarray(values, dtype=np.float64).reshape(-1)


@excel_function(definition="maximum likelihood (Fader, Hardie & Lee 2005)")
def BGNBD_FIT(  # noqa: N802
    frequency: Frequency, recency: Recency, T: Age,  # noqa: N803
    penalizer: Annotated[float, Arg("L2 penalty on the parameters, 0 or more (0 = plain maximum likelihood).")] = 0.0,
) -> object:
    """Fit the BG/NBD purchase model (Fader, Hardie & Lee 2005): spills r, alpha, a, b and the log-likelihood."""
    return _fit_and_spill(BetaGeo(penalizer=penalizer), frequency, recency, T)


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
    return pd.DataFrame([GammaGamma().fit(_column(frequency), _column(monetary_value)).params])


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


# --- subscriptions: MRR and the shifted-beta-geometric retention model (Fader & Hardie 2007) ---


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
    model = ShiftedBetaGeometric().fit_survival(_column(survival), cohort_size=cohort_size)
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


# --- more purchase models: a fit spills its parameters; the predictions take the model's name and that row ---

Penalizer = Annotated[float, Arg("L2 penalty on the parameters, 0 or more (0 = plain maximum likelihood).")]
ModelName = Annotated[str, Arg("Purchase model: bgnbd, mbgnbd, pareto_nbd or bgbb.")]
ModelParams = Annotated[CellRange, Arg("The model's four parameters: the row a *_FIT function spilled (its first "
                                       "four numbers are used; headers are skipped).")]


def _fit_and_spill(model: Any, frequency: Numbers, recency: Numbers, periods: Numbers,
                   weights: np.ndarray | None = None) -> pd.DataFrame:
    """Fit a purchase model on the three columns; the row its *_FIT function spills: parameters, log-likelihood."""
    model.fit(_column(frequency), _column(recency), _column(periods), weights=weights)
    return pd.DataFrame([{**model.params, "log_likelihood": model.log_likelihood}])


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
    return _fit_and_spill(ModifiedBetaGeo(penalizer=penalizer), frequency, recency, T)


@excel_function(definition="maximum likelihood (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005 note)")
def PARETO_FIT(  # noqa: N802
    frequency: Frequency, recency: Recency, T: Age, penalizer: Penalizer = 0.0,  # noqa: N803
) -> object:
    """Fit the Pareto/NBD purchase model: spills r, alpha, s, beta and the log-likelihood."""
    return _fit_and_spill(ParetoNBD(penalizer=penalizer), frequency, recency, T)


@excel_function(definition="maximum likelihood (Fader, Hardie & Shang 2010)")
def BGBB_FIT(  # noqa: N802
    frequency: Annotated[Numbers, Arg("Purchases of each customer at the opportunities after the first.")],
    recency: Annotated[Numbers, Arg("Opportunity of each customer's last purchase (0 if none).")],
    opportunities: Annotated[Numbers, Arg("Opportunities each customer had after the first purchase.")],
    customers: Annotated[Numbers, Arg("Customers each row stands for (optional; empty = 1 each).")] = 1.0,
) -> object:
    """Fit the BG/BB model of purchases at discrete opportunities: spills alpha, beta, gamma, delta, log-likelihood."""
    counts, rows = _column(customers), _column(frequency).size
    if counts.size not in (1, rows):
        raise InvalidArgumentError(
            "customers", f"customers must be one number or one per row of frequency ({rows}); got {counts.size}"
        )
    return _fit_and_spill(BetaGeoBetaBinom(), frequency, recency, opportunities,
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
