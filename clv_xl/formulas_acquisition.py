"""What acquiring a customer costs and how fast it pays back: CAC, LTV/CAC and CAC payback.

Pure functions over scalars or numpy arrays, re-exported by :mod:`clv_xl.formulas` (import them from there);
the argument checks live in :mod:`clv_xl.formula_checks`.
"""

from __future__ import annotations

from clv_xl.formula_checks import ArrayLike, Result
from clv_xl.formula_checks import check as _check
from clv_xl.formula_checks import metric as _metric
from clv_xl.formula_checks import number as _number
from clv_xl.formula_checks import result as _result
from clv_xl.formula_checks import same_shape as _same_shape

__all__ = ["cac", "ltv_cac", "cac_payback"]


@_metric
def cac(spend: ArrayLike, new_customers: ArrayLike) -> Result:
    r"""Customer acquisition cost: sales and marketing spend per new customer.

    .. math:: \mathrm{CAC} = \frac{\text{sales and marketing spend}}{\text{new customers}}

    Spend and new customers over the same period (Skok, "SaaS Metrics 2.0").

    Parameters
    ----------
    spend : float or array_like
        Sales and marketing spend over the period; >= 0.
    new_customers : float or array_like
        Customers acquired over the same period; > 0.

    Returns
    -------
    float or ndarray
        Cost per acquired customer.

    Examples
    --------
    >>> cac(10000, 200)
    50.0
    """
    s = _check("spend", spend, low=0)
    n = _check("new_customers", new_customers, low=0, low_open=True)
    _same_shape(spend=s, new_customers=n)
    return _result(s / n, spend, new_customers)


@_metric
def ltv_cac(ltv: ArrayLike, cac: ArrayLike) -> Result:
    r"""LTV to CAC ratio: lifetime value earned per unit of acquisition cost.

    .. math:: \frac{\mathrm{LTV}}{\mathrm{CAC}}

    3 (a "3:1" ratio) is the usual health line; below 1 a customer costs more than it brings
    (Skok, "SaaS Metrics 2.0").

    Parameters
    ----------
    ltv : float or array_like
        Customer lifetime value (may be negative).
    cac : float or array_like
        Customer acquisition cost; > 0.

    Returns
    -------
    float or ndarray
        The ratio.

    Examples
    --------
    >>> ltv_cac(150, 50)
    3.0
    """
    value = _number("ltv", ltv)
    cost = _check("cac", cac, low=0, low_open=True)
    _same_shape(ltv=value, cac=cost)
    return _result(value / cost, ltv, cac)


@_metric
def cac_payback(cac: ArrayLike, revenue_per_period: ArrayLike, gross_margin: ArrayLike = 1.0) -> Result:
    r"""Periods needed to earn back the acquisition cost from a customer's gross margin.

    .. math:: \text{payback} = \frac{\mathrm{CAC}}{\text{revenue per period} \cdot \text{gross margin}}

    The period is that of ``revenue_per_period`` (monthly revenue gives months). Undiscounted and
    churn-free, as in Skok's "months to recover CAC" ("SaaS Metrics 2.0").

    Parameters
    ----------
    cac : float or array_like
        Customer acquisition cost; >= 0.
    revenue_per_period : float or array_like
        Revenue per customer per period; > 0.
    gross_margin : float or array_like, default 1.0
        Gross margin fraction, in (0, 1].

    Returns
    -------
    float or ndarray
        Number of periods.

    Examples
    --------
    >>> cac_payback(300, 50, gross_margin=0.5)
    12.0
    """
    cost = _check("cac", cac, low=0)
    revenue = _check("revenue_per_period", revenue_per_period, low=0, low_open=True)
    g = _check("gross_margin", gross_margin, low=0, high=1, low_open=True)
    _same_shape(cac=cost, revenue_per_period=revenue, gross_margin=g)
    return _result(cost / (revenue * g), cac, revenue_per_period, gross_margin)
