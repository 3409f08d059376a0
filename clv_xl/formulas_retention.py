"""Customers kept and lost over a period: churn rate, retention rate and the lifespan churn implies.

Pure functions over scalars or numpy arrays, re-exported by :mod:`clv_xl.formulas` (import them from there);
the argument checks live in :mod:`clv_xl.formula_checks`.
"""

from __future__ import annotations

from clv_xl.formula_checks import ArrayLike, Result
from clv_xl.formula_checks import check as _check
from clv_xl.formula_checks import metric as _metric
from clv_xl.formula_checks import require as _require
from clv_xl.formula_checks import result as _result
from clv_xl.formula_checks import same_shape as _same_shape

__all__ = ["churn_rate", "retention_rate", "lifespan"]


@_metric
def churn_rate(customers_at_start: ArrayLike, customers_lost: ArrayLike) -> Result:
    r"""Churn rate over a period: customers lost as a share of the customers at its start.

    .. math:: \text{churn} = \frac{\text{customers lost}}{\text{customers at start}}

    Customers acquired during the period are left out of both counts (the common "simple churn"
    definition; Skok, "SaaS Metrics 2.0").

    Parameters
    ----------
    customers_at_start : float or array_like
        Customers at the start of the period; > 0.
    customers_lost : float or array_like
        Of those, customers lost during the period; in [0, customers_at_start].

    Returns
    -------
    float or ndarray
        Churn rate in [0, 1].

    Examples
    --------
    >>> churn_rate(200, 10)
    0.05
    """
    start = _check("customers_at_start", customers_at_start, low=0, low_open=True)
    lost = _check("customers_lost", customers_lost, low=0)
    _same_shape(customers_at_start=start, customers_lost=lost)
    _require(
        lost <= start,
        "customers_lost",
        "customers_lost must be <= customers_at_start (only customers present at the start can be lost)",
    )
    return _result(lost / start, customers_at_start, customers_lost)


@_metric
def retention_rate(customers_at_start: ArrayLike, customers_at_end: ArrayLike, new_customers: ArrayLike) -> Result:
    r"""Customer retention rate over a period.

    .. math:: \text{retention} = \frac{E - N}{S}

    with :math:`S` the customers at the start, :math:`E` at the end and :math:`N` the new customers
    acquired during the period (Reichheld's customer retention rate; e.g. Kumar & Reinartz 2018).

    Parameters
    ----------
    customers_at_start : float or array_like
        Customers at the start of the period (S); > 0.
    customers_at_end : float or array_like
        Customers at the end of the period (E); >= 0.
    new_customers : float or array_like
        New customers acquired during the period (N); in [0, E], and E - N <= S.

    Returns
    -------
    float or ndarray
        Retention rate in [0, 1].

    Examples
    --------
    >>> retention_rate(200, 210, 20)
    0.95
    """
    s = _check("customers_at_start", customers_at_start, low=0, low_open=True)
    e = _check("customers_at_end", customers_at_end, low=0)
    n = _check("new_customers", new_customers, low=0)
    _same_shape(customers_at_start=s, customers_at_end=e, new_customers=n)
    _require(n <= e, "new_customers", "new_customers must be <= customers_at_end")
    _require(
        e - n <= s,
        "customers_at_end",
        "customers_at_end - new_customers must be <= customers_at_start (more customers kept than there were)",
    )
    return _result((e - n) / s, customers_at_start, customers_at_end, new_customers)


@_metric
def lifespan(churn_rate: ArrayLike) -> Result:
    r"""Expected customer lifespan in periods, from a constant churn rate.

    .. math:: L = \frac{1}{\text{churn}}

    The mean of a geometric lifetime with per-period churn probability (e.g. Skok, "SaaS Metrics 2.0").

    Parameters
    ----------
    churn_rate : float or array_like
        Churn rate per period, in (0, 1].

    Returns
    -------
    float or ndarray
        Expected lifespan, in the churn rate's periods.

    Examples
    --------
    >>> lifespan(0.25)
    4.0
    """
    c = _check("churn_rate", churn_rate, low=0, high=1, low_open=True)
    return _result(1.0 / c, churn_rate)
