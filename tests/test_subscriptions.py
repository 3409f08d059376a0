"""Subscription metrics against a simulated business whose churn, upgrades and downgrades we set (plain numpy)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from clv_xl.errors import InvalidArgumentError
from clv_xl.orders import read_orders
from clv_xl.subscriptions import (
    analyze_subscriptions,
    detect_billing,
    first_spells,
    monthly_mrr,
    mrr_movements,
    subscription_metrics,
)

TIERS = np.array([29.0, 49.0, 99.0, 199.0])


@dataclass
class Simulated:
    """The invoices of a simulated business and the truth the simulation knows."""

    invoices: pd.DataFrame
    plan_months: pd.Series
    truth: pd.DataFrame  # per month: new, reactivation, expansion, contraction, churn, mrr_end, counts
    end: pd.Timestamp


def simulate(*, months: int = 36, new_per_month: int = 60, churn: float = 0.06, upgrade: float = 0.04,
             downgrade: float = 0.03, comeback: float = 0.02, yearly_share: float = 0.0, yearly_churn: float = 0.3,
             seed: int = 1) -> Simulated:
    """A subscription business month by month, recording each MRR movement as the event that caused it.

    Monthly customers, at the start of each month after their first: leave with probability ``churn``, else
    move one price tier up with ``upgrade`` or down with ``downgrade`` (no move past the top or bottom tier: then
    nothing changes); customers who left come back at their last tier with ``comeback``. Yearly customers pay 12
    months at once and may leave only at a renewal, with ``yearly_churn``. Each customer is billed on their own
    day of the month (1 to 28).
    """
    rng = np.random.default_rng(seed)
    start = pd.Period("2022-01", "M")
    tier = np.empty(0, dtype=int)
    active = np.empty(0, dtype=bool)
    yearly = np.empty(0, dtype=bool)
    anchor = np.empty(0, dtype=int)  # month of the last (re)start, for yearly renewals
    day = np.empty(0, dtype=int)
    rows: list[tuple[str, pd.Timestamp, float]] = []
    truth = []
    for m in range(months):
        prev = np.where(active, TIERS[tier], 0.0)
        new_tier, new_active = tier.copy(), active.copy()
        u = rng.random(tier.size)
        monthly_on = active & ~yearly
        left = monthly_on & (u < churn)
        up = monthly_on & ~left & (u < churn + upgrade) & (tier < TIERS.size - 1)
        down = monthly_on & ~left & (u >= churn + upgrade) & (u < churn + upgrade + downgrade) & (tier > 0)
        due = active & yearly & ((m - anchor) % 12 == 0) & (m > anchor)
        left |= due & (u < yearly_churn)
        back = ~active & ~yearly & (rng.random(tier.size) < comeback)
        new_active[left] = False
        new_active[back] = True
        new_tier[up] += 1
        new_tier[down] -= 1
        anchor = np.where(back, m, anchor)
        n_new = new_per_month
        tier = np.concatenate([new_tier, rng.integers(0, TIERS.size, n_new)])
        active = np.concatenate([new_active, np.ones(n_new, dtype=bool)])
        yearly = np.concatenate([yearly, rng.random(n_new) < yearly_share])
        anchor = np.concatenate([anchor, np.full(n_new, m)])
        day = np.concatenate([day, rng.integers(1, 29, n_new)])
        cur = np.where(active, TIERS[tier], 0.0)
        prev = np.concatenate([prev, np.zeros(n_new)])
        n_old = prev.size - n_new
        truth.append({
            "new": TIERS[tier[n_old:]].sum(),
            "reactivation": cur[:n_old][back].sum(),
            "expansion": (cur - prev)[:n_old][up].sum(),
            "contraction": (prev - cur)[:n_old][down].sum(),
            "churn": prev[:n_old][left].sum(),
            "mrr_end": cur.sum(),
            "customers_start": int((prev > 0).sum()),
            "churned_customers": int(left.sum()),
            "new_customers": n_new,
            "reactivated_customers": int(back.sum()),
        })
        month = (start + m).to_timestamp()
        billed = active & (~yearly | ((m - anchor) % 12 == 0))
        for i in np.flatnonzero(billed):
            amount = TIERS[tier[i]] * (12 if yearly[i] else 1)
            rows.append((f"cus_{i:05d}", month + pd.Timedelta(days=int(day[i]) - 1), float(amount)))
    invoices = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    plans = pd.Series(np.where(yearly, 12, 1), index=[f"cus_{i:05d}" for i in range(yearly.size)])
    end = (start + months - 1).to_timestamp(how="end").normalize()
    return Simulated(invoices, plans, pd.DataFrame(truth), end)


@pytest.fixture(scope="module")
def monthly_business() -> Simulated:
    return simulate()


def test_detects_recurring_billing_and_monthly_plans(monthly_business: Simulated) -> None:
    decision = detect_billing(monthly_business.invoices)
    assert decision.business == "subscription"
    assert "monthly" in decision.reason
    assert set(decision.plan_months.unique()) == {1}


def test_movements_are_exact(monthly_business: Simulated) -> None:
    sim = monthly_business
    moves = mrr_movements(monthly_mrr(sim.invoices, 1, observation_end=sim.end))
    assert len(moves) == len(sim.truth)
    for column in sim.truth.columns:
        np.testing.assert_allclose(moves[column].to_numpy(), sim.truth[column].to_numpy(), rtol=1e-12,
                                   err_msg=column)
    bridge = moves["mrr_start"] + moves["new"] + moves["reactivation"] + moves["expansion"] \
        - moves["contraction"] - moves["churn"]
    np.testing.assert_allclose(bridge, moves["mrr_end"], rtol=1e-12)


def test_logo_churn_within_one_point_of_the_simulated_rate(monthly_business: Simulated) -> None:
    result = analyze_subscriptions(monthly_business.invoices)
    assert result.decision.is_subscription
    assert abs(result.metrics.logo_churn - 0.06) < 0.01
    truth = monthly_business.truth.iloc[1:]
    realised = truth["churned_customers"].sum() / truth["customers_start"].sum()
    assert result.metrics.logo_churn == pytest.approx(realised, rel=1e-12)


def test_revenue_churn_and_nrr_from_the_simulated_events(monthly_business: Simulated) -> None:
    sim = monthly_business
    metrics = subscription_metrics(mrr_movements(monthly_mrr(sim.invoices, 1, observation_end=sim.end)),
                                   margin=0.8, cac=500)
    truth = sim.truth.iloc[1:]
    start = (sim.truth["mrr_end"].shift(1).iloc[1:]).sum()
    gross = (truth["churn"].sum() + truth["contraction"].sum()) / start
    net = gross - truth["expansion"].sum() / start
    assert metrics.gross_mrr_churn == pytest.approx(gross, rel=1e-12)
    assert metrics.net_mrr_churn == pytest.approx(net, rel=1e-12)
    assert metrics.nrr == pytest.approx(1 - net, rel=1e-12)
    last = sim.truth.iloc[-1]
    arpa = last["mrr_end"] / (last["customers_start"] - last["churned_customers"] + last["new_customers"]
                              + last["reactivated_customers"])
    assert metrics.arpa == pytest.approx(arpa, rel=1e-12)
    assert metrics.ltv == pytest.approx(arpa * 0.8 / metrics.logo_churn, rel=1e-12)
    assert metrics.cac_payback_months == pytest.approx(500 / (arpa * 0.8), rel=1e-12)


def test_yearly_plans_spread_over_twelve_months_and_movements_stay_exact() -> None:
    sim = simulate(months=40, yearly_share=0.3, seed=5)
    moves = mrr_movements(monthly_mrr(sim.invoices, sim.plan_months, observation_end=sim.end))
    for column in sim.truth.columns:
        np.testing.assert_allclose(moves[column].to_numpy(), sim.truth[column].to_numpy(), rtol=1e-12,
                                   err_msg=column)


def test_detection_reads_each_customers_plan_from_their_gaps_or_price() -> None:
    sim = simulate(months=40, yearly_share=0.3, seed=5)
    decision = detect_billing(sim.invoices)
    assert decision.business == "subscription"
    once = sim.invoices.groupby("customer_id").size().pipe(lambda n: n[n == 1].index)
    assert (sim.plan_months.loc[once] == 12).sum() > 50  # many yearly customers were billed only once
    # every customer gets the plan the simulation gave them: from the gaps, or (billed once) from the price
    plans = decision.plan_months.sort_index()
    assert (plans == sim.plan_months.loc[plans.index]).all()
    moves = mrr_movements(monthly_mrr(sim.invoices, plans, observation_end=sim.end))
    np.testing.assert_allclose(moves["mrr_end"].to_numpy(), sim.truth["mrr_end"].to_numpy(), rtol=1e-12)


def test_sbg_on_first_spells_projects_the_simulated_retention(monthly_business: Simulated) -> None:
    """With one churn probability for everyone, survival after t months is 0.94^t; the fit must follow it."""
    sim = simulate(comeback=0.0, upgrade=0.0, downgrade=0.0, seed=3)
    result = analyze_subscriptions(sim.invoices)
    assert result.sbg is not None
    projected = result.sbg.survival(np.arange(1, 25))
    np.testing.assert_allclose(projected, 0.94 ** np.arange(1, 25), atol=0.03)
    observed = result.survival.dropna()
    assert np.abs(observed["actual"] - observed["projected"]).max() < 0.03


def test_cohort_retention_counts_the_simulated_cohorts() -> None:
    sim = simulate(months=6, comeback=0.0, seed=11)
    result = analyze_subscriptions(sim.invoices)
    cohorts = result.cohort_customers
    assert cohorts["size"].tolist() == [60] * 6
    assert cohorts[0].tolist() == [1.0] * 6
    assert np.isnan(cohorts.iloc[-1][1])  # the last cohort has no month 1 yet
    spells = first_spells(result.mrr)
    assert int(spells["churned"].sum()) == int(sim.truth["churned_customers"].sum())


def test_a_shop_is_not_recurring_billing_unless_told() -> None:
    rng = np.random.default_rng(0)
    days = rng.integers(0, 700, 3000)
    shop = pd.DataFrame({"customer_id": rng.integers(0, 600, 3000).astype(str),
                         "order_date": pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D"),
                         "amount": rng.gamma(2, 30, 3000)})
    assert detect_billing(shop).business == "shop"
    forced = detect_billing(shop, business="subscription")
    assert forced.business == "subscription" and "chosen" in forced.reason
    with pytest.raises(InvalidArgumentError, match="auto, subscription, shop"):
        detect_billing(shop, business="saas")


def test_renewal_not_yet_due_is_not_churn() -> None:
    orders = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "amount": [10.0, 10.0, 20.0, 20.0],
                           "order_date": pd.to_datetime(["2024-01-25", "2024-02-25", "2024-01-05", "2024-02-05"])})
    moves = mrr_movements(monthly_mrr(orders, 1, observation_end="2024-03-10"))
    # b's March renewal (5 March) was due and did not come: churned; a's (25 March) is not due yet
    assert moves["churned_customers"].tolist() == [0, 0, 1]
    assert moves["mrr_end"].tolist() == [30.0, 30.0, 10.0]
    with pytest.raises(InvalidArgumentError, match="observation_end"):
        monthly_mrr(orders, 1, observation_end="2024-01-01")


def test_bundled_sample_business_is_recognised_with_its_plans() -> None:
    from clv_xl.subscriptions.sample import sample_subscriptions

    invoices = sample_subscriptions(months=24, new_per_month=80)
    assert invoices.equals(sample_subscriptions(months=24, new_per_month=80))  # seeded
    decision = detect_billing(read_orders(invoices))  # read as any export: invoice_date, amount...
    assert decision.is_subscription
    mix = decision.plan_mix
    assert set(mix) == {"monthly", "yearly"}
    assert 0.10 < mix["yearly"] / sum(mix.values()) < 0.20  # 15 % of customers take the yearly plan


def test_an_mrr_table_too_big_for_memory_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from clv_xl.errors import DataError
    from clv_xl.subscriptions import mrr

    monkeypatch.setattr(mrr, "MAX_CELLS", 10)
    orders = pd.DataFrame({"customer_id": list("abcd"), "amount": 10.0,
                           "order_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"])})
    with pytest.raises(DataError, match="4 customers over 4 months make 16 MRR cells"):
        monthly_mrr(orders)
