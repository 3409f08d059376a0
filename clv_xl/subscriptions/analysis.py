"""All stages in one call: detect recurring billing, MRR, movements, metrics, cohorts and the sBG projection."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clv_xl.errors import ClvXlError
from clv_xl.models.sbg import ShiftedBetaGeometric
from clv_xl.subscriptions.billing import BillingDecision, detect_billing
from clv_xl.subscriptions.metrics import SubscriptionMetrics, cohort_retention, subscription_metrics, survival_curve
from clv_xl.subscriptions.movements import first_spells, mrr_movements
from clv_xl.subscriptions.mrr import monthly_mrr

__all__ = ["SubscriptionAnalysis", "analyze_subscriptions"]


@dataclass
class SubscriptionAnalysis:
    """Everything the subscription sheet shows.

    Attributes
    ----------
    decision : BillingDecision
        Recurring billing or not, and why.
    mrr : DataFrame
        MRR per customer and month (:func:`monthly_mrr`).
    movements : DataFrame
        The monthly MRR bridge (:func:`mrr_movements`).
    spells : DataFrame
        Each customer's first spell (:func:`first_spells`).
    metrics : SubscriptionMetrics
        ARPA, churn, NRR, LTV, payback.
    cohort_customers, cohort_revenue : DataFrame
        Cohort retention by start month (:func:`cohort_retention`).
    survival : DataFrame
        ``t``, ``actual`` (Kaplan-Meier) and ``projected`` (sBG) share still subscribed after ``t`` months.
    sbg : ShiftedBetaGeometric or None
        The fitted model, or None (see ``notes``).
    notes : list of str
        What was decided along the way, in the analyst's words.
    """

    decision: BillingDecision
    mrr: pd.DataFrame
    movements: pd.DataFrame
    spells: pd.DataFrame
    metrics: SubscriptionMetrics
    cohort_customers: pd.DataFrame
    cohort_revenue: pd.DataFrame
    survival: pd.DataFrame
    sbg: ShiftedBetaGeometric | None = None
    notes: list[str] = field(default_factory=list)


def analyze_subscriptions(orders: pd.DataFrame, *, business: str = "auto", margin: float = 1.0,
                          cac: float | None = None, decision: BillingDecision | None = None,
                          horizon: int = 24) -> SubscriptionAnalysis:
    """Run every stage on canonical orders (the charges of a billing export).

    Parameters
    ----------
    orders : DataFrame
        Output of :func:`clv_xl.orders.read_orders`.
    business : {"auto", "subscription", "shop"}, default "auto"
        Passed to :func:`detect_billing` (the analysis runs whatever is decided; callers look at
        ``decision.business`` to choose whether to show it).
    margin : float, default 1.0
        Gross margin, for LTV and payback.
    cac : float, optional
        Customer acquisition cost, for the payback.
    decision : BillingDecision, optional
        A decision already taken (skips detection).
    horizon : int, default 24
        Months of the survival curve (actual where observed, projected by sBG throughout).

    Returns
    -------
    SubscriptionAnalysis
        The tables and figures.

    Examples
    --------
    >>> dates = pd.date_range("2024-01-05", periods=6, freq="MS") + pd.Timedelta(days=4)
    >>> rows = [(c, d, 20.0) for c in "abcdef" for d in dates[: 2 + "abcdef".index(c) % 5]]
    >>> orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    >>> result = analyze_subscriptions(orders)
    >>> result.decision.business, result.movements["mrr_end"].tolist()
    ('subscription', [120.0, 120.0, 80.0, 60.0, 40.0, 20.0])
    >>> round(result.metrics.logo_churn, 3)
    0.238
    """
    decided = decision or detect_billing(orders, business)
    notes = [decided.reason]
    mrr = monthly_mrr(orders, decided.plan_months)
    movements = mrr_movements(mrr)
    spells = first_spells(mrr)
    metrics = subscription_metrics(movements, margin=margin, cac=cac)
    customers, revenue = cohort_retention(mrr, spells)
    actual = survival_curve(spells, periods=horizon)
    survival = pd.DataFrame({"t": actual.index, "actual": actual.to_numpy(), "projected": np.nan})
    sbg: ShiftedBetaGeometric | None = None
    try:
        sbg = ShiftedBetaGeometric().fit(spells["tenure"], spells["churned"])
        survival["projected"] = sbg.survival(survival["t"].to_numpy())
        params = sbg.params
        notes.append(f"sBG fitted on {len(spells)} customers' first spells in months: alpha {params['alpha']:.3f}, "
                     f"beta {params['beta']:.3f}")
    except ClvXlError as exc:  # e.g. nobody has churned yet
        notes.append(f"sBG not fitted: {exc}")
    return SubscriptionAnalysis(decision=decided, mrr=mrr, movements=movements, spells=spells, metrics=metrics,
                                cohort_customers=customers, cohort_revenue=revenue, survival=survival, sbg=sbg,
                                notes=notes)
