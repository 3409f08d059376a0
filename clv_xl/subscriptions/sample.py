"""A bundled demo subscription business: a synthetic billing export (``clv-xl demo --subscriptions``).

- **Acquisition**: ``new_per_month`` new customers a month, 85 % on a monthly plan and 15 % on a yearly plan
  (12 months paid up front), each on one of four price tiers (19, 49, 99, 249 a month).
- **Churn** (sBG, Fader & Hardie 2007): each customer has a personal probability ``theta ~ Beta(alpha=1.2,
  beta=9)`` of leaving at each renewal (about 12 % on average, very unequal), so a cohort's retention rises with
  its age. Monthly customers may renew every month, yearly ones every twelve.
- **Upgrades and downgrades**: at each monthly renewal a customer moves one tier up with probability 4 % or down
  with 2 %.

Each customer is billed on the day of the month they joined (1 to 28). Everything is drawn from one seeded
:class:`numpy.random.Generator`: the same arguments give the same charges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["sample_subscriptions", "TIERS"]

#: Monthly prices of the plan tiers.
TIERS: tuple[float, ...] = (19.0, 49.0, 99.0, 249.0)


def sample_subscriptions(months: int = 24, new_per_month: int = 80, seed: int = 2024,
                         start: str = "2024-01-01") -> pd.DataFrame:
    """Generate the demo subscription business's paid invoices.

    Parameters
    ----------
    months : int, default 24
        Months of billing.
    new_per_month : int, default 80
        New customers a month.
    seed : int, default 2024
        Random seed.
    start : str, default "2024-01-01"
        First month.

    Returns
    -------
    DataFrame
        One row per paid invoice: ``invoice_id``, ``customer_id``, ``invoice_date``, ``amount``, ``currency``.

    Examples
    --------
    >>> invoices = sample_subscriptions(months=6, new_per_month=10)
    >>> list(invoices.columns), invoices["customer_id"].nunique()
    (['invoice_id', 'customer_id', 'invoice_date', 'amount', 'currency'], 60)
    """
    rng = np.random.default_rng(seed)
    prices = np.array(TIERS)
    n = months * new_per_month
    joined = np.repeat(np.arange(months), new_per_month)
    yearly = rng.random(n) < 0.15
    theta = rng.beta(1.2, 9.0, n)
    tier = rng.choice(prices.size, n, p=[0.35, 0.35, 0.2, 0.1])
    day = rng.integers(1, 29, n)
    first = pd.Period(start, "M")
    alive = np.zeros(n, dtype=bool)
    rows: list[tuple[int, int, float]] = []
    for m in range(months):
        age = m - joined
        renewal = alive & ((age % 12 == 0) | ~yearly) & (age > 0)
        leave = renewal & (rng.random(n) < theta)
        alive &= ~leave
        move = rng.random(n)
        monthly = renewal & ~leave & ~yearly
        tier = np.where(monthly & (move < 0.04), np.minimum(tier + 1, prices.size - 1), tier)
        tier = np.where(monthly & (move > 0.98), np.maximum(tier - 1, 0), tier)
        alive |= joined == m
        billed = alive & ((age % 12 == 0) | ~yearly)
        for i in np.flatnonzero(billed):
            rows.append((int(i), m, float(prices[tier[i]] * (12 if yearly[i] else 1))))
    index = np.array([r[0] for r in rows])
    month = np.array([r[1] for r in rows])
    dates = [(first + int(mm)).to_timestamp() + pd.Timedelta(days=int(day[i]) - 1) for i, mm in zip(index, month,
                                                                                                  strict=True)]
    frame = pd.DataFrame({"customer_id": [f"cus_{i + 1:05d}" for i in index], "invoice_date": dates,
                          "amount": [r[2] for r in rows], "currency": "USD"})
    frame = frame.sort_values(["invoice_date", "customer_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "invoice_id", [f"INV-{k + 1:06d}" for k in range(len(frame))])
    return frame
