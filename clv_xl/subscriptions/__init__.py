"""Subscription businesses: recurring-billing detection, MRR and its movements, churn, NRR, cohorts, sBG.

Stages follow the data: :func:`detect_billing` (is it recurring billing, which plan per customer) ->
:func:`monthly_mrr` (charges spread over the months they pay for) -> :func:`mrr_movements` (new, expansion,
contraction, churn, reactivation) -> :func:`subscription_metrics`, :func:`cohort_retention`,
:func:`survival_curve`. :func:`analyze_subscriptions` runs them all.

Examples
--------
>>> from clv_xl.subscriptions import analyze_subscriptions, detect_billing, monthly_mrr, mrr_movements
>>> sorted(MOVEMENTS)
['churn', 'contraction', 'expansion', 'new', 'reactivation']
"""

from __future__ import annotations

from clv_xl.subscriptions.analysis import SubscriptionAnalysis, analyze_subscriptions
from clv_xl.subscriptions.billing import BUSINESSES, PLANS, BillingDecision, detect_billing
from clv_xl.subscriptions.metrics import SubscriptionMetrics, cohort_retention, subscription_metrics, survival_curve
from clv_xl.subscriptions.movements import MOVEMENTS, first_spells, mrr_movements
from clv_xl.subscriptions.mrr import monthly_mrr
from clv_xl.subscriptions.table import MRR_TABLE_COLUMNS, mrr_table, mrr_table_from_columns

__all__ = [
    "BUSINESSES",
    "MOVEMENTS",
    "MRR_TABLE_COLUMNS",
    "PLANS",
    "BillingDecision",
    "SubscriptionAnalysis",
    "SubscriptionMetrics",
    "analyze_subscriptions",
    "cohort_retention",
    "detect_billing",
    "first_spells",
    "monthly_mrr",
    "mrr_movements",
    "mrr_table",
    "mrr_table_from_columns",
    "subscription_metrics",
    "survival_curve",
]
