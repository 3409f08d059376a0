"""Stage 4: subscription metrics from the MRR bridge, cohort retention, and the survival curve for sBG.

Every rate is monthly and *pooled* over the months measured: the sum of its numerators over the sum of its
denominators (each month weighted by its customers or MRR at the start), so a quiet month does not count as much
as a busy one. The first month of the data is left out (its customers at the start are unknown).

Definitions:

- **ARPA** (average revenue per account, ChartMogul): MRR ÷ customers with MRR, in the last month.
- **Customer (logo) churn rate** (ChartMogul): customers lost in a month ÷ customers at the start of the month.
- **Gross MRR churn rate** (Baremetrics "revenue churn"): (churned MRR + contraction MRR) ÷ MRR at the start.
- **Net MRR churn rate** (Baremetrics): (churned + contraction − expansion MRR) ÷ MRR at the start; negative
  when expansion outgrows losses. (ChartMogul also subtracts reactivation MRR; we do not, so that net churn is
  exactly ``1 − NRR``.)
- **Net revenue retention** (monthly NRR): (MRR at the start + expansion − contraction − churn) ÷ MRR at the start,
  the MRR kept from the customers already there; ``1 − net MRR churn``.
- **LTV** (Skok, SaaS Metrics 2.0): ARPA × gross margin ÷ customer churn rate, as :func:`clv_xl.ltv_subscription`.
- **CAC payback** (months): CAC ÷ (ARPA × gross margin), as :func:`clv_xl.cac_payback`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clv_xl.errors import DataError
from clv_xl.formulas import cac_payback, ltv_subscription

__all__ = ["SubscriptionMetrics", "subscription_metrics", "cohort_retention", "survival_curve"]


@dataclass
class SubscriptionMetrics:
    """Key subscription figures (monthly rates; see the module docstring for each definition).

    Attributes
    ----------
    mrr : float
        MRR in the last month.
    customers : int
        Customers with MRR in the last month.
    arpa : float
        ``mrr / customers``.
    logo_churn, gross_mrr_churn, net_mrr_churn, nrr : float
        Pooled monthly rates; NaN when no month has customers at its start.
    ltv : float
        ARPA × margin ÷ logo churn; NaN without churn.
    cac_payback_months : float
        CAC ÷ (ARPA × margin); NaN without a CAC.
    months_measured : int
        Months pooled in the rates.
    """

    mrr: float
    customers: int
    arpa: float
    logo_churn: float
    gross_mrr_churn: float
    net_mrr_churn: float
    nrr: float
    ltv: float
    cac_payback_months: float
    months_measured: int


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else float("nan")


def subscription_metrics(movements: pd.DataFrame, margin: float = 1.0, cac: float | None = None) -> SubscriptionMetrics:
    """ARPA, logo and revenue churn, NRR, LTV and CAC payback from the MRR bridge.

    Parameters
    ----------
    movements : DataFrame
        Output of :func:`clv_xl.subscriptions.mrr_movements`.
    margin : float, default 1.0
        Gross margin in [0, 1].
    cac : float, optional
        Customer acquisition cost, for the payback.

    Returns
    -------
    SubscriptionMetrics
        The figures.

    Examples
    --------
    Ten customers at 100 a month; in month 2 one leaves and one upgrades by 50:

    >>> bridge = pd.DataFrame({"mrr_start": [0.0, 1000.0], "new": [1000.0, 0.0], "reactivation": 0.0,
    ...     "expansion": [0.0, 50.0], "contraction": 0.0, "churn": [0.0, 100.0], "mrr_end": [1000.0, 950.0],
    ...     "customers_start": [0, 10], "churned_customers": [0, 1], "customers_end": [10, 9]})
    >>> m = subscription_metrics(bridge, margin=0.8, cac=300)
    >>> round(m.arpa, 2), m.logo_churn, m.gross_mrr_churn, m.net_mrr_churn, m.nrr
    (105.56, 0.1, 0.1, 0.05, 0.95)
    >>> round(m.ltv, 2), round(m.cac_payback_months, 2)
    (844.44, 3.55)
    """
    if len(movements) == 0:
        raise DataError("no months to measure: the MRR table is empty")
    measured = movements.iloc[1:]
    last = movements.iloc[-1]
    customers = int(last["customers_end"])
    mrr = float(last["mrr_end"])
    arpa = mrr / customers if customers else 0.0
    start = float(measured["mrr_start"].sum())
    lost = float(measured["churn"].sum() + measured["contraction"].sum())
    logo = _ratio(float(measured["churned_customers"].sum()), float(measured["customers_start"].sum()))
    gross = _ratio(lost, start)
    net = _ratio(lost - float(measured["expansion"].sum()), start)
    ltv = float(ltv_subscription(arpa, logo, margin)) if np.isfinite(logo) and logo > 0 else float("nan")
    payback = float("nan")
    if cac is not None and arpa * margin > 0:
        payback = float(cac_payback(cac, arpa, margin))
    return SubscriptionMetrics(mrr=mrr, customers=customers, arpa=arpa, logo_churn=logo, gross_mrr_churn=gross,
                               net_mrr_churn=net, nrr=1 - net if np.isfinite(net) else float("nan"), ltv=ltv,
                               cac_payback_months=payback, months_measured=len(measured))


def cohort_retention(mrr: pd.DataFrame, spells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cohort retention by start month: share of customers, and of MRR, still there ``k`` months later.

    A cohort is the customers whose first month with MRR is the same. Customer retention at ``k`` counts cohort
    members with MRR in month ``start + k`` (returns included) over the cohort's size; revenue retention is the
    cohort's MRR in that month over its MRR in month 0 (above 100 % when expansion outweighs losses). Months
    after the data ends are left empty.

    Parameters
    ----------
    mrr : DataFrame
        Output of :func:`clv_xl.subscriptions.monthly_mrr`.
    spells : DataFrame
        Output of :func:`clv_xl.subscriptions.first_spells` (gives each customer's start month).

    Returns
    -------
    tuple of DataFrame
        (customers, revenue): index ``cohort`` (Period), column ``size`` (customers) or ``mrr`` (month-0 MRR),
        then columns 0, 1, 2, ... of shares.

    Examples
    --------
    >>> months = pd.period_range("2024-01", periods=3, freq="M")
    >>> mrr = pd.DataFrame([[10, 10, 20], [10, 0, 0], [0, 5, 5]], index=list("abc"), columns=months, dtype=float)
    >>> from clv_xl.subscriptions.movements import first_spells
    >>> customers, revenue = cohort_retention(mrr, first_spells(mrr))
    >>> customers.round(2).to_dict("list")
    {'size': [2, 1], 0: [1.0, 1.0], 1: [0.5, 1.0], 2: [0.5, nan]}
    >>> revenue[[0, 1, 2]].round(2).to_numpy().tolist()
    [[1.0, 0.5, 1.0], [1.0, 1.0, nan]]
    """
    values = mrr.to_numpy(dtype=np.float64)[mrr.index.get_indexer(spells.index)]
    start = mrr.columns.get_indexer(pd.PeriodIndex(spells["start"]))
    n = values.shape[1]
    cols = start[:, None] + np.arange(n)[None, :]  # calendar month of each customer's age 0, 1, ...
    inside = cols < n
    aligned = np.where(inside, values[np.arange(len(start))[:, None], np.minimum(cols, n - 1)], 0.0)
    size = np.bincount(start, minlength=n)
    count = np.zeros((n, n))
    total = np.zeros((n, n))
    np.add.at(count, start, aligned > 1e-6)
    np.add.at(total, start, aligned)
    observed = np.arange(n)[None, :] < (n - np.arange(n))[:, None]  # cohort c is seen for n - c months
    have = size > 0
    index = pd.Index(mrr.columns[have], name="cohort")
    shares = np.where(observed, count / np.maximum(size, 1)[:, None], np.nan)[have]
    month0 = total[:, :1]
    kept = np.where(observed & (month0 > 0), total / np.where(month0 > 0, month0, 1.0), np.nan)[have]
    customers = pd.DataFrame(shares, index=index, columns=range(n))
    revenue = pd.DataFrame(kept, index=index, columns=range(n))
    customers.insert(0, "size", size[have].astype("int64"))
    revenue.insert(0, "mrr", total[have, 0])
    last_age = int((n - 1) - start.min()) if len(start) else -1  # keep the ages some cohort has reached
    keep = ["size", *range(last_age + 1)]
    return customers[keep], revenue[["mrr", *range(last_age + 1)]]


def survival_curve(spells: pd.DataFrame, periods: int | None = None) -> pd.Series:
    """Share of new customers still in their first spell after ``t`` months (Kaplan-Meier, censoring respected).

    A customer whose spell ended after ``n`` months paid survived ``n - 1`` renewals and failed renewal ``n``; one
    still subscribed after ``n`` months paid survived ``n - 1`` renewals and is censored after that.
    ``S(t) = prod over u <= t of (1 - failed at u / at risk at u)``. This is the "actual" curve the sBG is
    compared with.

    Parameters
    ----------
    spells : DataFrame
        Output of :func:`clv_xl.subscriptions.first_spells` (``tenure``, ``churned``).
    periods : int, optional
        Last ``t``; the longest tenure when omitted.

    Returns
    -------
    Series
        ``S(0) = 1, S(1), ...`` indexed by ``t``; NaN where nobody is at risk any more.

    Examples
    --------
    >>> spells = pd.DataFrame({"tenure": [1, 2, 3, 3], "churned": [True, True, False, True]})
    >>> survival_curve(spells).tolist()
    [1.0, 0.75, 0.5, 0.0]
    """
    tenure = spells["tenure"].to_numpy(dtype="int64")
    churned = spells["churned"].to_numpy(dtype=bool)
    survived = tenure - 1  # renewals made
    last = int(tenure.max()) if periods is None else int(periods)
    t = np.arange(1, last + 1)
    failed = np.array([np.sum(churned & (tenure == u)) for u in t], dtype=float)
    at_risk = np.array([np.sum((churned & (tenure >= u)) | (~churned & (survived >= u))) for u in t], dtype=float)
    hazard = np.divide(failed, at_risk, out=np.full(t.size, np.nan), where=at_risk > 0)
    values = np.concatenate([[1.0], np.cumprod(1 - hazard)])
    return pd.Series(values, index=pd.RangeIndex(0, last + 1, name="t"))
