"""The closed-form Excel functions: ``=CLV(50, 2, 3)``, ``=LTV_CAC(...)``, ``=CHURN_RATE(...)`` and the rest.

Each is a thin call of one :mod:`clv_xl.formulas` metric; ranges broadcast like numpy arrays. Imported (and
registered) through :mod:`clv_xl.excel.udfs`.
"""

from __future__ import annotations

from typing import Annotated

from clv_xl import formulas
from clv_xl.excel._cells import Numbers
from clv_xl.excel._udf_support import Arg, excel_function

__all__ = ["CAC", "CAC_PAYBACK", "CHURN_RATE", "CLV", "CLV_RETENTION", "LIFESPAN", "LTV_CAC", "LTV_SUBSCRIPTION",
           "RETENTION_RATE"]

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

