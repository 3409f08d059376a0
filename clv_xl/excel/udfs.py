"""The clv-xl worksheet functions: ``=CLV(50, 2, 3)`` and friends.

Import this module as the UDF module in classic Excel (xlwings add-in, ``UDF Modules: clv_xl.excel.udfs``),
or re-export it from an xlwings Server / xlwings Lite project. Each function takes single cells or ranges;
ranges broadcast like numpy arrays and the result spills into a range of the same shape.
An empty cell for a required argument, text, or an out-of-range value shows a short message naming the
argument (``#VALUE!`` with the message in Office.js), never a traceback and never a silent 0.

The functions are named in capitals because Excel shows the Python name as the function name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl import customers, formulas
from clv_xl.excel._udf_support import EXCEL_FUNCTIONS, apply_cells, excel_function, single_number
from clv_xl.models import BetaGeo, GammaGamma, predicted_clv

__all__ = [
    "EXCEL_FUNCTIONS",
    "BGNBD_FIT",
    "BGNBD_PURCHASES",
    "CLV_PREDICTED",
    "GG_FIT",
    "GG_SPEND",
    "P_ALIVE",
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
]

_MARGIN = "Gross margin as a fraction of revenue, 0 to 1 (optional, default 1 = revenue)."
_CHURN = "Share of customers lost per period, above 0 and at most 1 (e.g. 0.05 for 5%)."


@excel_function(
    avg_order_value="Average order value (AOV), in currency; 0 or more.",
    purchases_per_year="Purchases per customer per year; 0 or more.",
    lifespan_years="Expected customer lifespan, in years; 0 or more.",
    margin=_MARGIN,
    discount_rate="Yearly discount rate, 0 to 1 (optional, default 0 = no discounting).",
)
def CLV(avg_order_value, purchases_per_year, lifespan_years, margin=1.0, discount_rate=0.0):  # noqa: N802
    """Customer lifetime value: AOV × purchases a year × years × margin, discounted at each year's end."""
    return apply_cells(
        "CLV",
        formulas.clv,
        {
            "avg_order_value": avg_order_value,
            "purchases_per_year": purchases_per_year,
            "lifespan_years": lifespan_years,
            "margin": margin,
            "discount_rate": discount_rate,
        },
    )


@excel_function(
    margin="Margin per customer per period, in currency.",
    retention_rate="Share of customers kept from one period to the next, 0 to 1.",
    discount_rate="Discount rate per period, 0 to 1.",
    first_period_counted="TRUE to count this period's margin too (optional, default FALSE).",
)
def CLV_RETENTION(margin, retention_rate, discount_rate, first_period_counted=False):  # noqa: N802
    """Lifetime value with constant margin and retention: m·r / (1 + d − r) (Gupta & Lehmann)."""
    return apply_cells(
        "CLV_RETENTION",
        formulas.clv_retention,
        {
            "margin": margin,
            "retention_rate": retention_rate,
            "discount_rate": discount_rate,
            "first_period_counted": first_period_counted,
        },
        flags=("first_period_counted",),
    )


@excel_function(
    arpa="Average revenue per account per period (e.g. monthly); 0 or more.",
    churn_rate=_CHURN,
    gross_margin=_MARGIN,
)
def LTV_SUBSCRIPTION(arpa, churn_rate, gross_margin=1.0):  # noqa: N802
    """Subscription lifetime value: ARPA × gross margin / churn rate."""
    return apply_cells(
        "LTV_SUBSCRIPTION",
        formulas.ltv_subscription,
        {"arpa": arpa, "churn_rate": churn_rate, "gross_margin": gross_margin},
    )


@excel_function(
    spend="Sales and marketing spend over the period; 0 or more.",
    new_customers="Customers acquired over the same period; more than 0.",
)
def CAC(spend, new_customers):  # noqa: N802
    """Customer acquisition cost: sales and marketing spend / new customers."""
    return apply_cells("CAC", formulas.cac, {"spend": spend, "new_customers": new_customers})


@excel_function(
    ltv="Customer lifetime value, in currency.",
    cac="Customer acquisition cost, in currency; more than 0.",
)
def LTV_CAC(ltv, cac):  # noqa: N802
    """LTV to CAC ratio; 3 or more is the usual health line."""
    return apply_cells("LTV_CAC", formulas.ltv_cac, {"ltv": ltv, "cac": cac})


@excel_function(
    cac="Customer acquisition cost, in currency; 0 or more.",
    revenue_per_period="Revenue per customer per period (e.g. monthly); more than 0.",
    gross_margin="Gross margin fraction, above 0 and at most 1 (optional, default 1).",
)
def CAC_PAYBACK(cac, revenue_per_period, gross_margin=1.0):  # noqa: N802
    """Periods to earn back CAC: CAC / (revenue per period × gross margin)."""
    return apply_cells(
        "CAC_PAYBACK",
        formulas.cac_payback,
        {"cac": cac, "revenue_per_period": revenue_per_period, "gross_margin": gross_margin},
    )


@excel_function(
    customers_at_start="Customers at the start of the period; more than 0.",
    customers_lost="Of those, customers lost during the period.",
)
def CHURN_RATE(customers_at_start, customers_lost):  # noqa: N802
    """Churn rate: customers lost / customers at the start of the period."""
    return apply_cells(
        "CHURN_RATE",
        formulas.churn_rate,
        {"customers_at_start": customers_at_start, "customers_lost": customers_lost},
    )


@excel_function(
    customers_at_start="Customers at the start of the period (S); more than 0.",
    customers_at_end="Customers at the end of the period (E).",
    new_customers="New customers acquired during the period (N).",
)
def RETENTION_RATE(customers_at_start, customers_at_end, new_customers):  # noqa: N802
    """Retention rate: (customers at end − new customers) / customers at start."""
    return apply_cells(
        "RETENTION_RATE",
        formulas.retention_rate,
        {
            "customers_at_start": customers_at_start,
            "customers_at_end": customers_at_end,
            "new_customers": new_customers,
        },
    )


@excel_function(churn_rate=_CHURN)
def LIFESPAN(churn_rate):  # noqa: N802
    """Expected customer lifespan in periods: 1 / churn rate."""
    return apply_cells("LIFESPAN", formulas.lifespan, {"churn_rate": churn_rate})


_IDS = "Customer id of each order (a column: id, email, ...)."
_DATES = "Order date of each order (a column of dates), same length as customer_ids."


@excel_function(
    customer_ids=_IDS,
    order_dates=_DATES,
    amounts="Amount of each order (a column of numbers), same length as customer_ids.",
    observation_end="Last day of the observation period (optional, default the last order date).",
    time_unit="Unit of recency and T: D (days), W (weeks), M (months) or Y (years); optional, default D.",
)
def CLV_SUMMARY(customer_ids, order_dates, amounts, observation_end=None, time_unit="D"):  # noqa: N802
    """Per-customer summary table: frequency, recency, T, monetary value, revenue, AOV, segment (spills)."""
    return apply_cells(
        "CLV_SUMMARY",
        customers.summary_from_columns,
        {
            "customer_ids": customer_ids,
            "order_dates": order_dates,
            "amounts": amounts,
            "observation_end": observation_end,
            "time_unit": time_unit,
        },
        raw=("customer_ids", "order_dates", "amounts"),
        dates=("observation_end",),
        texts=("time_unit",),
    )


@excel_function(
    customer_ids=_IDS,
    order_dates=_DATES,
    period="Cohort period: D, W, M (month), Q or Y; optional, default M.",
)
def COHORT_RETENTION(customer_ids, order_dates, period="M"):  # noqa: N802
    """Cohort retention matrix: share of each acquisition cohort still buying, per period (spills)."""
    return apply_cells(
        "COHORT_RETENTION",
        customers.cohort_retention_from_columns,
        {"customer_ids": customer_ids, "order_dates": order_dates, "period": period},
        raw=("customer_ids", "order_dates"),
        texts=("period",),
    )


# --- probabilistic models (BG/NBD, Gamma-Gamma): parameters travel between cells as plain numbers ---

_FREQUENCY = "Repeat purchases of each customer (a column; CLV_SUMMARY's frequency)."
_RECENCY = "Time from first to last purchase of each customer (same unit as T)."
_T = "Time from first purchase to the end of observation of each customer (age)."
_BG = {
    "r": "BG/NBD shape r of the purchase-rate gamma (from BGNBD_FIT).",
    "alpha": "BG/NBD scale alpha of the purchase-rate gamma (from BGNBD_FIT).",
    "a": "BG/NBD drop-out beta parameter a (from BGNBD_FIT).",
    "b": "BG/NBD drop-out beta parameter b (from BGNBD_FIT).",
}
_GG = {
    "p": "Gamma-Gamma shape p (from GG_FIT).",
    "q": "Gamma-Gamma shape q (from GG_FIT).",
    "gamma": "Gamma-Gamma scale gamma (from GG_FIT).",
}


def _column(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float64).reshape(-1)


def _bgnbd(r: np.ndarray, alpha: np.ndarray, a: np.ndarray, b: np.ndarray) -> BetaGeo:
    return BetaGeo.from_params(
        single_number("r", r), single_number("alpha", alpha), single_number("a", a), single_number("b", b)
    )


def _gamma_gamma(p: np.ndarray, q: np.ndarray, gamma: np.ndarray) -> GammaGamma:
    return GammaGamma.from_params(single_number("p", p), single_number("q", q), single_number("gamma", gamma))


def _fit_bgnbd(frequency: np.ndarray, recency: np.ndarray, T: np.ndarray) -> pd.DataFrame:  # noqa: N803
    model = BetaGeo().fit(_column(frequency), _column(recency), _column(T))
    return pd.DataFrame([{**model.params, "log_likelihood": model.log_likelihood}])


def _fit_gamma_gamma(frequency: np.ndarray, monetary_value: np.ndarray) -> pd.DataFrame:
    model = GammaGamma().fit(_column(frequency), _column(monetary_value))
    return pd.DataFrame([model.params])


def _expected_purchases(r, alpha, a, b, t, frequency, recency, T):  # noqa: N803
    return _bgnbd(r, alpha, a, b).expected_purchases(t, frequency, recency, T)


def _p_alive(r, alpha, a, b, frequency, recency, T):  # noqa: N803
    return _bgnbd(r, alpha, a, b).p_alive(frequency, recency, T)


def _expected_spend(p, q, gamma, frequency, monetary_value):
    return _gamma_gamma(p, q, gamma).expected_spend(frequency, monetary_value)


def _predicted_clv(r, alpha, a, b, p, q, gamma, frequency, recency, T, monetary_value, horizon, time_unit,  # noqa: N803
                   discount_rate=0.0, margin=1.0):
    shape = np.broadcast_shapes(*(np.shape(v) for v in (frequency, recency, T, monetary_value)))
    summary = pd.DataFrame(
        {name: np.broadcast_to(v, shape).reshape(-1) for name, v in
         (("frequency", frequency), ("recency", recency), ("T", T), ("monetary_value", monetary_value))}
    )
    values = predicted_clv(_bgnbd(r, alpha, a, b), _gamma_gamma(p, q, gamma), summary,
                           horizon=single_number("horizon", horizon), time_unit=time_unit,
                           discount_rate=single_number("discount_rate", discount_rate),
                           margin=single_number("margin", margin))
    return values.to_numpy().reshape(shape)


@excel_function(frequency=_FREQUENCY, recency=_RECENCY, T=_T)
def BGNBD_FIT(frequency, recency, T):  # noqa: N802, N803
    """Fit the BG/NBD purchase model (Fader, Hardie & Lee 2005): spills r, alpha, a, b and the log-likelihood."""
    return apply_cells("BGNBD_FIT", _fit_bgnbd, {"frequency": frequency, "recency": recency, "T": T})


@excel_function(
    **_BG,
    t="Length of the future period, in the unit of recency and T (e.g. 39 weeks).",
    frequency=_FREQUENCY,
    recency=_RECENCY,
    T=_T,
)
def BGNBD_PURCHASES(r, alpha, a, b, t, frequency, recency, T):  # noqa: N802, N803
    """Expected purchases of each customer in the next t periods, given their history (BG/NBD)."""
    return apply_cells(
        "BGNBD_PURCHASES",
        _expected_purchases,
        {"r": r, "alpha": alpha, "a": a, "b": b, "t": t, "frequency": frequency, "recency": recency, "T": T},
    )


@excel_function(**_BG, frequency=_FREQUENCY, recency=_RECENCY, T=_T)
def P_ALIVE(r, alpha, a, b, frequency, recency, T):  # noqa: N802, N803
    """Probability that each customer is still active (BG/NBD)."""
    return apply_cells(
        "P_ALIVE",
        _p_alive,
        {"r": r, "alpha": alpha, "a": a, "b": b, "frequency": frequency, "recency": recency, "T": T},
    )


@excel_function(
    frequency=_FREQUENCY,
    monetary_value="Mean value of each customer's repeat purchases (CLV_SUMMARY's monetary_value).",
)
def GG_FIT(frequency, monetary_value):  # noqa: N802
    """Fit the Gamma-Gamma spend model on repeat buyers (Fader, Hardie & Lee 2005): spills p, q, gamma."""
    return apply_cells("GG_FIT", _fit_gamma_gamma, {"frequency": frequency, "monetary_value": monetary_value})


@excel_function(
    **_GG,
    frequency=_FREQUENCY,
    monetary_value="Mean value of each customer's repeat purchases (CLV_SUMMARY's monetary_value).",
)
def GG_SPEND(p, q, gamma, frequency, monetary_value):  # noqa: N802
    """Expected average order value of each customer (Gamma-Gamma)."""
    return apply_cells(
        "GG_SPEND",
        _expected_spend,
        {"p": p, "q": q, "gamma": gamma, "frequency": frequency, "monetary_value": monetary_value},
    )


@excel_function(
    **_BG,
    **_GG,
    frequency=_FREQUENCY,
    recency=_RECENCY,
    T=_T,
    monetary_value="Mean value of each customer's repeat purchases (CLV_SUMMARY's monetary_value).",
    horizon="Forecast length, in time_unit (e.g. 52 with weeks = one year).",
    time_unit="Unit of recency, T, horizon and of the fitted BG/NBD: D, W, M or Y (required: no hidden unit).",
    discount_rate="YEARLY discount rate, 0 to 1 (optional, default 0), converted to time_unit.",
    margin="Gross margin fraction, 0 to 1 (optional, default 1 = revenue).",
)
def CLV_PREDICTED(r, alpha, a, b, p, q, gamma, frequency, recency, T, monetary_value, horizon, time_unit,  # noqa: N802, N803
                  discount_rate=0.0, margin=1.0):
    """Predicted CLV of each customer: expected purchases × expected spend × margin, discounted (BG/NBD + GG)."""
    return apply_cells(
        "CLV_PREDICTED",
        _predicted_clv,
        {"r": r, "alpha": alpha, "a": a, "b": b, "p": p, "q": q, "gamma": gamma, "frequency": frequency,
         "recency": recency, "T": T, "monetary_value": monetary_value, "horizon": horizon,
         "time_unit": time_unit, "discount_rate": discount_rate, "margin": margin},
        texts=("time_unit",),
    )
