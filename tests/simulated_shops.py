"""Shops whose true behaviour is set here with plain numpy, and the truth the report should find in their orders.

Nothing of clv_xl is used: the truth comes from the simulation itself (each customer's whole life is drawn, also
after the end of the data), so the report's figures can be checked against it.

- :func:`subscription_shop`: a monthly subscription. Each subscriber pays their plan's price every month on the
  day they signed up, and after each payment stops with probability ``churn`` (a geometric life of 1 / churn
  payments on average).
- :func:`repeat_shop`: a shop drawn from BG/NBD (Fader, Hardie & Lee 2005): while alive a customer buys at a
  Poisson rate lambda ~ Gamma(r, alpha) per day; after each repeat purchase they drop out with probability
  p ~ Beta(a, b); each customer's spend per purchase is Gamma(p_spend, nu) with nu ~ Gamma(q, gamma) (the
  Gamma-Gamma model, Fader & Hardie 2013).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.25
START = pd.Timestamp("2021-01-01")


@dataclass
class Shop:
    """A simulated shop: its orders in the data and the truth.

    Attributes
    ----------
    name : str
    orders : DataFrame
        customer_id, order_date, amount: what the report reads.
    churn : float or None
        True monthly churn (None where drop-out is not a monthly rate).
    lifespan : float
        True mean customer lifespan, in years.
    clv_lifetime : float
        Mean value × margin of a customer's whole life (all purchases, also after the data), discounted at
        ``discount_rate`` from the first purchase: what the simple CLV estimates.
    clv_future : float
        Mean over today's customers of their value × margin in the ``horizon_days`` after the end of the data,
        discounted from the end: what the model's predicted CLV estimates.
    margin, discount_rate : float
    horizon_days : float
    """

    name: str
    orders: pd.DataFrame
    churn: float | None
    lifespan: float
    clv_lifetime: float
    clv_future: float
    margin: float
    discount_rate: float
    horizon_days: float


def _orders(customer: list[int], days: list[float], amounts: list[float]) -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": [f"C{c:05d}" for c in customer],
        "order_date": START + pd.to_timedelta(np.floor(days), unit="D"),
        "amount": np.round(amounts, 2),
    })


def _discount(days: np.ndarray, rate: float) -> np.ndarray:
    return (1.0 + rate) ** (-np.asarray(days) / DAYS_PER_YEAR)


def subscription_shop(n: int = 3000, churn: float = 0.06, months: int = 36, margin: float = 0.6,
                      discount_rate: float = 0.0, horizon_months: int = 12, seed: int = 11) -> Shop:
    """A monthly subscription with a known monthly churn; signups spread over the whole history."""
    rng = np.random.default_rng(seed)
    prices = rng.choice([9.0, 19.0, 49.0], size=n, p=[0.5, 0.35, 0.15])
    signup_month = rng.integers(0, months, n)
    day = rng.integers(0, 28, n)  # billing day of the month (1st to 28th)
    payments = rng.geometric(churn, n)  # payments in the whole life (1 / churn on average)
    customer, days, amounts = [], [], []
    lifetime_value = np.zeros(n)
    future_value = np.zeros(n)
    end = START + pd.DateOffset(months=months)
    end_day = (end - START).days
    for i in range(n):
        k = np.arange(payments[i])
        stamps = [START + pd.DateOffset(months=int(signup_month[i] + j), days=int(day[i])) for j in k]
        offsets = np.array([(s - START).days for s in stamps], dtype=float)
        first = offsets[0]
        lifetime_value[i] = margin * prices[i] * _discount(offsets - first, discount_rate).sum()
        seen = offsets < end_day
        ahead = (offsets >= end_day) & (offsets < end_day + horizon_months * DAYS_PER_YEAR / 12)
        future_value[i] = margin * prices[i] * _discount(offsets[ahead] - end_day, discount_rate).sum()
        customer += [i] * int(seen.sum())
        days += offsets[seen].tolist()
        amounts += [prices[i]] * int(seen.sum())
    return Shop("subscription (monthly churn 6 %)", _orders(customer, days, amounts), churn,
                1 / churn / 12, float(lifetime_value.mean()), float(future_value.mean()), margin, discount_rate,
                horizon_months * DAYS_PER_YEAR / 12)


def repeat_shop(n: int = 4000, r: float = 0.243, alpha: float = 4.414 * 7, a: float = 0.793, b: float = 2.426,
                p_spend: float = 6.25, q: float = 3.74, gamma: float = 15.44, acquisition_days: int = 84,
                days: int = 546, margin: float = 0.3, discount_rate: float = 0.1, horizon_days: float = 365.25,
                seed: int = 7) -> Shop:
    """A shop drawn from BG/NBD + Gamma-Gamma with CDNOW's published parameters (alpha converted to days)."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p_drop = rng.beta(a, b, n)
    nu = rng.gamma(q, 1 / gamma, n)
    first = rng.uniform(0, acquisition_days, n)
    customer, stamps, amounts = [], [], []
    lifetime_value = np.zeros(n)
    future_value = np.zeros(n)
    lifespan = np.zeros(n)
    horizon_end = days + horizon_days
    for i in range(n):
        t = first[i]
        times = [t]
        while True:  # the whole life, also after the data (drop-out only after a repeat purchase)
            t += rng.exponential(1 / lam[i]) if lam[i] > 0 else np.inf
            if not np.isfinite(t) or t - first[i] > 200 * DAYS_PER_YEAR:
                break
            times.append(t)
            if rng.random() < p_drop[i]:
                break
        times_arr = np.array(times)
        spend = rng.gamma(p_spend, 1 / nu[i], times_arr.size)
        lifetime_value[i] = margin * (spend * _discount(times_arr - first[i], discount_rate)).sum()
        lifespan[i] = (times_arr[-1] - first[i]) / DAYS_PER_YEAR
        seen = times_arr < days
        ahead = (times_arr >= days) & (times_arr < horizon_end)
        future_value[i] = margin * (spend[ahead] * _discount(times_arr[ahead] - days, discount_rate)).sum()
        customer += [i] * int(seen.sum())
        stamps += times_arr[seen].tolist()
        amounts += spend[seen].tolist()
    return Shop("repeat purchases (BG/NBD, CDNOW parameters)", _orders(customer, stamps, amounts), None,
                float(lifespan.mean()), float(lifetime_value.mean()), float(future_value.mean()), margin,
                discount_rate, horizon_days)
