"""A bundled demo shop: a realistic, synthetic order history generated on the fly.

The history follows the processes the predictive models assume, so that ``clv-xl demo`` shows forecasts that
behave as they would on a healthy shop:

- **Acquisition**: new customers arrive every day of the period, more and more of them as the shop grows
  (the daily rate doubles over the period), with a busier November-December and a quieter January-February.
- **Repeat buying and drop-out** (BG/NBD, Fader, Hardie & Lee 2005): while active, a customer buys at a
  personal Poisson rate ``lambda ~ Gamma(r=0.35, alpha=40 days)`` (about 3 orders a year on average, very
  unequal across customers) and, after each repeat order, leaves for good with a personal probability
  ``p ~ Beta(a=1.0, b=3.0)`` (1 in 4 on average).
- **Spend** (Gamma-Gamma, Fader & Hardie 2013): each order is worth ``Gamma(p=4, nu)`` with a personal
  ``nu ~ Gamma(q=4, gamma=45)``, so the average order is about $60 and customers differ in their basket.
  Amounts are rounded to cents, at least $1.

Everything is drawn from one seeded :class:`numpy.random.Generator`: the same arguments give the same orders.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl.errors import InvalidArgumentError
from clv_xl.models.simulate import simulate_repeat_purchases, simulate_spend

__all__ = ["sample_orders", "SAMPLE_PARAMETERS"]

#: True parameters of the demo shop (BG/NBD ``alpha`` in days, Gamma-Gamma ``gamma`` in dollars).
SAMPLE_PARAMETERS: dict[str, float] = {
    "r": 0.35,
    "alpha": 40.0,
    "a": 1.0,
    "b": 3.0,
    "p": 4.0,
    "q": 4.0,
    "gamma": 45.0,
}

_SEASON = np.array([0.8, 0.85, 1.0, 1.0, 1.0, 0.95, 0.9, 0.9, 1.0, 1.05, 1.4, 1.6])  # Jan..Dec


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidArgumentError(name, f"{name} must be a whole number in [{low}, {high}]; got {value!r}")
    if not low <= int(value) <= high:
        raise InvalidArgumentError(name, f"{name} must be a whole number in [{low}, {high}]; got {value!r}")
    return int(value)


def sample_orders(
    n_customers: int = 3000,
    seed: int = 2024,
    start: str | pd.Timestamp = "2024-01-01",
    months: int = 24,
) -> pd.DataFrame:
    """Generate the demo shop's order history.

    Parameters
    ----------
    n_customers : int, default 3000
        Customers acquired over the period (1 to 1,000,000).
    seed : int, default 2024
        Seed of the random generator; the same seed gives the same orders.
    start : str or pandas.Timestamp, default "2024-01-01"
        First day of the history.
    months : int, default 24
        Length of the history in calendar months (1 to 240); the last day is the day before
        ``start + months``.

    Returns
    -------
    pandas.DataFrame
        One row per order, sorted by date: ``order_id`` (str, "O000001" in date order), ``customer_id`` (str,
        "C00001" in order of acquisition), ``order_date`` (datetime64, midnight), ``amount`` (float, cents).

    Examples
    --------
    >>> orders = sample_orders(n_customers=200, seed=7)
    >>> list(orders.columns)
    ['order_id', 'customer_id', 'order_date', 'amount']
    >>> orders["customer_id"].nunique(), orders["order_date"].min().date().isoformat()
    (200, '2024-01-01')
    >>> bool(orders["order_date"].max() < pd.Timestamp("2026-01-01"))
    True
    """
    n = _check_int("n_customers", n_customers, 1, 1_000_000)
    n_months = _check_int("months", months, 1, 240)
    seed = _check_int("seed", seed, 0, 2**63 - 1)
    try:
        first = pd.Timestamp(start).normalize()
    except (TypeError, ValueError):
        raise InvalidArgumentError("start", f"start must be a date such as '2024-01-01'; got {start!r}") from None
    if first is pd.NaT:
        raise InvalidArgumentError("start", f"start must be a date such as '2024-01-01'; got {start!r}")
    end = first + pd.DateOffset(months=n_months)
    span = int((end - first).days)
    rng = np.random.default_rng(seed)
    params = SAMPLE_PARAMETERS

    # acquisition: the first customer arrives on day 0, the others on days drawn from a growing, seasonal rate
    days = pd.date_range(first, periods=span, freq="D")
    weight = (1.0 + np.arange(span) / span) * _SEASON[days.month.to_numpy() - 1]
    acquired = rng.choice(span, size=n, p=weight / weight.sum())
    acquired[0] = 0
    acquired.sort()
    arrival = acquired + rng.random(n)  # time of day of the first order
    observed = span - arrival

    who, when = simulate_repeat_purchases(params["r"], params["alpha"], params["a"], params["b"], observed, rng)
    customer = np.concatenate([np.arange(n), who])
    at = np.concatenate([arrival, arrival[who] + when])
    n_orders = np.bincount(customer, minlength=n)
    _, values = simulate_spend(params["p"], params["q"], params["gamma"], n_orders, rng)
    # simulate_spend returns values customer by customer; put the orders in the same order
    by_customer = np.argsort(customer, kind="stable")
    amount = np.empty(customer.size)
    amount[by_customer] = np.maximum(np.round(values, 2), 1.0)

    day = np.floor(at).astype(np.int64)
    order = np.lexsort((customer, at))
    width = max(5, len(str(n)))
    order_width = max(6, len(str(customer.size)))
    frame = pd.DataFrame(
        {
            "order_id": [f"O{i:0{order_width}d}" for i in range(1, customer.size + 1)],
            "customer_id": np.char.add("C", np.char.zfill((customer[order] + 1).astype(str), width)),
            "order_date": (first + pd.to_timedelta(day[order], unit="D")).astype("datetime64[ns]"),
            "amount": amount[order],
        }
    )
    frame["customer_id"] = frame["customer_id"].astype(str)
    return frame
