"""Lifetime value of one customer: the simple CLV, CLV from a retention rate, and subscription LTV.

Pure functions over scalars or numpy arrays, re-exported by :mod:`clv_xl.formulas` (import them from there);
the argument checks live in :mod:`clv_xl.formula_checks`.
"""

from __future__ import annotations

import numpy as np

from clv_xl.formula_checks import ArrayLike, Result
from clv_xl.formula_checks import check as _check
from clv_xl.formula_checks import metric as _metric
from clv_xl.formula_checks import number as _number
from clv_xl.formula_checks import require as _require
from clv_xl.formula_checks import result as _result
from clv_xl.formula_checks import same_shape as _same_shape

__all__ = ["clv", "clv_retention", "ltv_subscription"]


@_metric
def clv(
    avg_order_value: ArrayLike,
    purchases_per_year: ArrayLike,
    lifespan_years: ArrayLike,
    margin: ArrayLike = 1.0,
    discount_rate: ArrayLike = 0.0,
) -> Result:
    r"""Customer lifetime value by the simple formula, optionally discounted.

    Undiscounted, CLV is average order value × purchases per year × lifespan in years × margin:

    .. math:: \mathrm{CLV} = \mathrm{AOV}\cdot f \cdot L \cdot m

    With a discount rate :math:`d`, the yearly value :math:`v = \mathrm{AOV}\cdot f\cdot m` is
    received at the END of each year and discounted there; a final partial year of fraction
    :math:`\phi = L - \lfloor L \rfloor` counts pro rata, discounted at the end of the year it falls in:

    .. math:: \mathrm{CLV} = \sum_{k=1}^{\lfloor L\rfloor} \frac{v}{(1+d)^k}
              + \frac{\phi\, v}{(1+d)^{\lfloor L\rfloor+1}}

    This is the textbook "simple CLV" (e.g. Kumar & Reinartz, *Customer Relationship Management*,
    ch. 5; Shopify's and HubSpot's calculators) with the end-of-period discounting convention of
    Gupta & Lehmann (2003).

    Parameters
    ----------
    avg_order_value : float or array_like
        Average order value (AOV), in currency; >= 0.
    purchases_per_year : float or array_like
        Purchases per customer per year; >= 0.
    lifespan_years : float or array_like
        Expected customer lifespan in years; >= 0.
    margin : float or array_like, default 1.0
        Gross margin as a fraction of revenue, in [0, 1]; 1 gives revenue CLV.
    discount_rate : float or array_like, default 0.0
        Yearly discount rate, in [0, 1]; 0 means no discounting.

    Returns
    -------
    float or ndarray
        The lifetime value, in the currency of ``avg_order_value``.

    Raises
    ------
    InvalidArgumentError
        If an argument is negative, NaN, or a rate lies outside [0, 1].

    Examples
    --------
    >>> clv(50, 2, 3)
    300.0
    >>> clv(50, 2, 3, margin=0.3)
    90.0
    >>> round(clv(50, 2, 3, discount_rate=0.1), 2)  # 100/1.1 + 100/1.1**2 + 100/1.1**3
    248.69
    >>> clv([40, 50], 2, 3)
    array([240., 300.])
    """
    aov = _check("avg_order_value", avg_order_value, low=0)
    freq = _check("purchases_per_year", purchases_per_year, low=0)
    years = _check("lifespan_years", lifespan_years, low=0)
    m = _check("margin", margin, low=0, high=1)
    d = _check("discount_rate", discount_rate, low=0, high=1)
    _same_shape(avg_order_value=aov, purchases_per_year=freq, lifespan_years=years, margin=m, discount_rate=d)

    yearly = aov * freq * m
    if not np.any(d):
        return _result(yearly * years, avg_order_value, purchases_per_year, lifespan_years, margin, discount_rate)
    full_years = np.floor(years)
    partial = years - full_years
    # (1 + d)^-n through log1p/expm1 so that a tiny rate stays accurate (1 + 1e-300 == 1 in floats)
    log_growth = np.log1p(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(d > 0, -np.expm1(-full_years * log_growth) / np.where(d > 0, d, 1.0), full_years)
    factor = annuity + partial * np.exp(-(full_years + 1.0) * log_growth)
    return _result(yearly * factor, avg_order_value, purchases_per_year, lifespan_years, margin, discount_rate)


@_metric
def clv_retention(
    margin: ArrayLike,
    retention_rate: ArrayLike,
    discount_rate: ArrayLike,
    first_period_counted: bool = False,
) -> Result:
    r"""Lifetime value of a customer with a constant margin and retention rate (infinite horizon).

    Gupta & Lehmann (2003, "Customers as assets", *Journal of Interactive Marketing* 17(1), eq. 3):
    a margin :math:`m` per period, kept with probability :math:`r` each period, discounted at
    :math:`d` per period, the first margin received after one period:

    .. math:: \mathrm{CLV} = \frac{m\, r}{1 + d - r}

    With ``first_period_counted=True`` the first margin is received now (Gupta, Hanssens et al. 2006,
    "Modeling customer lifetime value", eq. 2 with an immediate first margin):

    .. math:: \mathrm{CLV} = \frac{m\,(1 + d)}{1 + d - r}

    Parameters
    ----------
    margin : float or array_like
        Margin per customer per period, in currency (may be negative for loss-making customers).
    retention_rate : float or array_like
        Share of customers kept from one period to the next, in [0, 1].
    discount_rate : float or array_like
        Discount rate per period, in [0, 1].
    first_period_counted : bool, default False
        Count the current period's margin (received now) as well.

    Returns
    -------
    float or ndarray
        The lifetime value per customer.

    Raises
    ------
    InvalidArgumentError
        If a rate is outside [0, 1], or retention is 1 with no discount (the value is infinite).

    Examples
    --------
    >>> clv_retention(100, 0.8, 0.1)
    266.6666666666667
    >>> round(clv_retention(100, 0.8, 0.1, first_period_counted=True), 2)
    366.67
    """
    m = _number("margin", margin)
    r = _check("retention_rate", retention_rate, low=0, high=1)
    d = _check("discount_rate", discount_rate, low=0, high=1)
    _same_shape(margin=m, retention_rate=r, discount_rate=d)
    denominator = 1.0 + d - r
    _require(
        denominator > 0,
        "retention_rate",
        "retention_rate must be < 1 + discount_rate (with retention 1 and no discount the value is infinite)",
    )
    numerator = m * (1.0 + d) if first_period_counted else m * r
    return _result(numerator / denominator, margin, retention_rate, discount_rate)


@_metric
def ltv_subscription(arpa: ArrayLike, churn_rate: ArrayLike, gross_margin: ArrayLike = 1.0) -> Result:
    r"""Lifetime value of a subscription customer (SaaS convention).

    .. math:: \mathrm{LTV} = \frac{\mathrm{ARPA} \cdot \text{gross margin}}{\text{churn rate}}

    ARPA and churn are per the same period (monthly ARPA with monthly churn). Source: David Skok,
    "SaaS Metrics 2.0" (For Entrepreneurs, 2013), the customer-lifetime-value definition.

    Parameters
    ----------
    arpa : float or array_like
        Average revenue per account per period; >= 0.
    churn_rate : float or array_like
        Share of customers lost per period, in (0, 1].
    gross_margin : float or array_like, default 1.0
        Gross margin fraction, in [0, 1].

    Returns
    -------
    float or ndarray
        Lifetime value per account.

    Examples
    --------
    >>> ltv_subscription(100, 0.05, gross_margin=0.8)
    1600.0
    """
    a = _check("arpa", arpa, low=0)
    c = _check("churn_rate", churn_rate, low=0, high=1, low_open=True)
    g = _check("gross_margin", gross_margin, low=0, high=1)
    _same_shape(arpa=a, churn_rate=c, gross_margin=g)
    return _result(a * g / c, arpa, churn_rate, gross_margin)
