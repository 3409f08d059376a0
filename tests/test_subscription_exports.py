"""Platform billing exports read with no options: MRR per month and logo churn as counted by hand (see README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clv_xl.orders import read_orders
from clv_xl.subscriptions import analyze_subscriptions

DATA = Path(__file__).parent / "data" / "subscriptions"

# (file, MRR per month, customers lost / customers at the start), from tests/data/subscriptions/README.md
HAND_COUNTS = {
    "chargebee_invoices.csv": ([585, 486, 415, 466, 614, 614], (2, 29)),
    "recurly_transactions.csv": ([105, 125, 175, 175, 135, 135, 95, 95, 95, 120, 120, 70, 70, 70, 70], (3, 51)),
    "stripe_invoices.csv": ([140, 180, 160, 160], (1, 15)),
}


@pytest.mark.parametrize("name", sorted(HAND_COUNTS))
def test_export_mrr_and_logo_churn_match_the_hand_count(name: str) -> None:
    mrr, (lost, at_start) = HAND_COUNTS[name]
    result = analyze_subscriptions(read_orders(DATA / name))
    assert result.decision.is_subscription, result.decision.reason
    assert result.movements["mrr_end"].round(2).tolist() == mrr
    assert int(result.movements["churned_customers"].iloc[1:].sum()) == lost
    assert int(result.movements["customers_start"].iloc[1:].sum()) == at_start
    assert result.metrics.logo_churn == pytest.approx(lost / at_start)


def test_stripe_movements_by_hand() -> None:
    moves = analyze_subscriptions(read_orders(DATA / "stripe_invoices.csv")).movements
    assert moves["new"].tolist() == [140, 40, 0, 0]
    assert moves["expansion"].tolist() == [0, 0, 30, 0]
    assert moves["churn"].tolist() == [0, 0, 50, 0]


def test_chargebee_movements_by_hand() -> None:
    moves = analyze_subscriptions(read_orders(DATA / "chargebee_invoices.csv")).movements
    assert moves["new"].tolist() == [585, 0, 29, 0, 49, 0]
    assert moves["reactivation"].tolist() == [0, 0, 0, 0, 99, 0]
    assert moves["expansion"].tolist() == [0, 0, 0, 100, 0, 0]
    assert moves["contraction"].tolist() == [0, 0, 100, 0, 0, 0]
    assert moves["churn"].tolist() == [0, 99, 0, 49, 0, 0]
