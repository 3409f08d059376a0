"""Stage 1: is this recurring billing? Recognise plans from the regularity of each customer's charges.

A subscription business bills each customer at a fixed interval (every month, quarter or year); a shop's repeat
customers come back whenever they like. :func:`detect_billing` measures the gaps between each customer's
successive charge days and calls a customer *regular* when most gaps fall in one plan's window
(:data:`PLANS`). The data is recurring billing when most customers billed three times or more are regular.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from clv_xl.errors import InvalidArgumentError
from clv_xl.id_codes import id_codes
from clv_xl.stable_order import stable_order

__all__ = ["PLANS", "BUSINESSES", "BillingDecision", "detect_billing", "charge_gaps"]

#: Billing plans recognised: name -> (months covered by one charge, shortest gap, longest gap in days). The windows
#: leave room for short months, weekends and a few days of payment retries.
PLANS: dict[str, tuple[int, int, int]] = {
    "monthly": (1, 26, 35),
    "quarterly": (3, 84, 98),
    "yearly": (12, 350, 380),
}

#: Values of the ``business`` option: decide from the data, or say which.
BUSINESSES: tuple[str, ...] = ("auto", "subscription", "shop")

#: Share of a customer's gaps that must fall in one plan's window for the customer to count as regular.
_REGULAR_GAPS = 0.8
#: Share of the voting customers that must be regular for the data to count as recurring billing.
_REGULAR_CUSTOMERS = 0.6
#: Fewest voting customers for a decision from the data.
_MIN_VOTERS = 5


@dataclass
class BillingDecision:
    """What :func:`detect_billing` decided, and why.

    Attributes
    ----------
    business : {"subscription", "shop"}
        The decision.
    reason : str
        One sentence in the analyst's words: the evidence, or that the caller chose.
    plan_months : Series
        Months one charge covers, per customer (index ``customer_id``): their own plan when their charges are
        regular, else the most common plan of the data (every customer, subscription or not).
    plans : dict of str to int
        Regular customers per plan, among the voters.
    voters : int
        Customers whose charges were weighed.
    regular : int
        Voters billed at regular intervals.
    min_charges : int
        Charge days a customer needed to vote (3, or 2 when fewer than five customers have three).
    chosen : bool
        Whether the caller chose (``business`` not ``"auto"``) rather than the data.
    """

    business: Literal["subscription", "shop"]
    reason: str
    plan_months: pd.Series = field(repr=False)
    plans: dict[str, int] = field(default_factory=dict)
    voters: int = 0
    regular: int = 0
    min_charges: int = 3
    chosen: bool = False

    @property
    def plan_mix(self) -> dict[str, int]:
        """Customers per plan (from their gaps, their price, or the most common plan), largest first.

        Examples
        --------
        >>> BillingDecision("shop", "", pd.Series([1, 12, 1], index=list("abc"))).plan_mix
        {'monthly': 2, 'yearly': 1}
        """
        names = {months: name for name, (months, _, _) in PLANS.items()}
        counts = self.plan_months.map(names).value_counts()
        return {str(name): int(n) for name, n in counts.items()}

    @property
    def is_subscription(self) -> bool:
        """Whether the data is treated as recurring billing."""
        return self.business == "subscription"


def charge_gaps(orders: pd.DataFrame) -> pd.DataFrame:
    """Days between each customer's successive charge days (several charges on one day count once).

    Parameters
    ----------
    orders : DataFrame
        Canonical orders (``customer_id``, ``order_date``, ``amount``).

    Returns
    -------
    DataFrame
        Columns ``customer_id`` and ``gap`` (days), one row per gap.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "amount": 10.0,
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-02-05", "2024-01-09"])})
    >>> charge_gaps(orders).to_dict("list")
    {'customer_id': ['a'], 'gap': [31]}
    """
    codes, gaps, ids, _ = _gaps(orders)
    return pd.DataFrame({"customer_id": np.asarray(ids)[codes], "gap": gaps})


def _gaps(orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Index, np.ndarray]:
    """Gaps between successive charge days (days, with customer codes), the codes' ids, last charges in cents.

    Several charges on one day count once.
    """
    codes, ids = id_codes(orders["customer_id"])  # integer codes: sorting them is cheap, strings are not
    day = orders["order_date"].to_numpy(dtype="datetime64[D]").astype("int64")
    cents = np.round(orders["amount"].to_numpy(dtype=np.float64) * 100).astype("int64")
    order = stable_order(codes, day)
    codes, day, cents = codes[order], day[order], cents[order]
    last = np.zeros(len(ids), dtype="int64")
    ends = np.flatnonzero(np.append(codes[1:] != codes[:-1], True))
    last[codes[ends]] = cents[ends]
    gaps = np.diff(day)
    keep = (codes[1:] == codes[:-1]) & (gaps > 0)  # several charges on one day count once
    return codes[1:][keep], gaps[keep].astype("int64"), pd.Index(ids, name="customer_id"), last


def _plan_of_gaps(codes: np.ndarray, gaps: np.ndarray, n_customers: int) -> tuple[np.ndarray, np.ndarray]:
    """Per customer code: number of gaps, and the index in :data:`PLANS` most of them fit (-1: none holds 80 %)."""
    n_gaps = np.bincount(codes, minlength=n_customers)
    fits = np.stack([np.bincount(codes, weights=(gaps >= low) & (gaps <= high), minlength=n_customers)
                     for _, low, high in PLANS.values()])
    share = fits.max(axis=0) / np.maximum(n_gaps, 1)
    plan = np.where((n_gaps > 0) & (share >= _REGULAR_GAPS), fits.argmax(axis=0), -1)
    return n_gaps, plan


def _plan_by_price(last_cents: np.ndarray, plan: np.ndarray) -> np.ndarray:
    """Months per charge of customers whose gaps do not tell (billed once, or irregularly), from the price points.

    A customer's last charge is compared with what regular customers pay: the same amount as regular customers
    of a plan -> that plan; else 12 or 3 times a monthly price -> yearly or quarterly. Amounts are compared to the
    cent. Customers matching nothing, and regular customers, get 0.

    Parameters
    ----------
    last_cents : numpy.ndarray
        Each customer's last charge, in cents.
    plan : numpy.ndarray
        Each customer's plan from their gaps: an index in :data:`PLANS`, -1 when the gaps do not tell.

    Examples
    --------
    A monthly customer pays 49.00; others paid 588.00 (12 x 49), 50.00 and 147.00 (3 x 49) once:

    >>> _plan_by_price(np.array([4900, 58800, 5000, 14700]), np.array([0, -1, -1, -1])).tolist()
    [0, 12, 0, 3]
    """
    names = list(PLANS)
    guess = np.zeros(len(plan), dtype="int64")
    unknown = plan < 0
    for i, name in enumerate(names):  # the same price as regular customers of a plan
        known = np.unique(last_cents[plan == i])
        hit = unknown & (guess == 0) & np.isin(last_cents, known)
        guess[hit] = PLANS[name][0]
    monthly = np.unique(last_cents[plan == names.index("monthly")])
    for name in ("yearly", "quarterly"):  # a multiple of a monthly price
        months = PLANS[name][0]
        hit = unknown & (guess == 0) & (last_cents % months == 0) & np.isin(last_cents // months, monthly)
        guess[hit] = months
    return guess


def _plan_months(ids: pd.Index, plan: np.ndarray, last_cents: np.ndarray, *, by_price: bool) -> pd.Series:
    """Months one charge covers, per customer: own plan, else (``by_price``) their price's plan, else the commonest."""
    lengths = np.array([months for months, _, _ in PLANS.values()])
    counts = np.bincount(plan[plan >= 0], minlength=len(lengths))
    months = np.full(len(ids), lengths[int(counts.argmax())] if counts.any() else 1, dtype="int64")
    if by_price:
        guess = _plan_by_price(last_cents, plan)
        months = np.where(guess > 0, guess, months)
    months[plan >= 0] = lengths[plan[plan >= 0]]
    return pd.Series(months, index=ids)


def detect_billing(orders: pd.DataFrame, business: str = "auto") -> BillingDecision:
    """Decide whether orders are recurring billing (monthly, quarterly or yearly plans) or a shop's orders.

    Each customer's plan comes from the gaps between their charges; a customer billed once (or irregularly) gets
    the plan whose price their charge matches (:func:`_plan_by_price`: 588 when regular monthly customers pay 49
    is a yearly plan), else the data's most common plan. Customers with three or more charge days vote (two or
    more when fewer than five customers have three): a voter is regular when at least 80 % of their gaps between
    charges fit one plan of :data:`PLANS`. The data is recurring billing when at least 60 % of voters are
    regular. ``business="subscription"`` or ``"shop"`` skips the vote (the reason says so); customers' plans are
    still read as above.

    Parameters
    ----------
    orders : DataFrame
        Canonical orders (``customer_id``, ``order_date``, ``amount``).
    business : {"auto", "subscription", "shop"}, default "auto"
        Decide from the data, or say which.

    Returns
    -------
    BillingDecision
        The decision, its reason and each customer's plan length in months.

    Examples
    --------
    >>> dates = pd.date_range("2024-01-03", periods=6, freq="MS") + pd.Timedelta(days=2)
    >>> orders = pd.DataFrame({"customer_id": [c for c in "abcdef" for _ in dates],
    ...     "order_date": list(dates) * 6, "amount": 30.0})
    >>> decision = detect_billing(orders)
    >>> decision.business
    'subscription'
    >>> decision.reason
    'recurring billing: 6 of the 6 customers billed 3 times or more were billed at regular intervals (monthly 6)'
    >>> detect_billing(orders, business="shop").reason
    'treated as a shop: chosen with business="shop"'
    """
    if business not in BUSINESSES:
        raise InvalidArgumentError("business", f"business must be one of {', '.join(BUSINESSES)}; got {business!r}")
    codes, gaps, ids, last_cents = _gaps(orders)
    n_gaps, plan = _plan_of_gaps(codes, gaps, len(ids))
    voting = n_gaps >= 2
    min_charges = 3
    if voting.sum() < _MIN_VOTERS:
        voting, min_charges = n_gaps >= 1, 2
    n_voters, n_regular = int(voting.sum()), int((plan[voting] >= 0).sum())
    recurring = business == "subscription" or (
        business == "auto" and n_voters >= _MIN_VOTERS and n_regular >= _REGULAR_CUSTOMERS * n_voters)
    per_plan = np.bincount(plan[voting & (plan >= 0)], minlength=len(PLANS))
    plans = {name: int(n) for name, n in zip(PLANS, per_plan, strict=True) if n}
    facts = {"plan_months": _plan_months(ids, plan, last_cents, by_price=recurring), "plans": plans,
             "voters": n_voters, "regular": n_regular, "min_charges": min_charges}
    breakdown = ", ".join(f"{name} {n}" for name, n in plans.items())
    evidence = (f"{n_regular} of the {n_voters} customers billed {min_charges} times or more were billed "
                f"at regular intervals" + (f" ({breakdown})" if breakdown else ""))
    if business != "auto":
        chosen: Literal["subscription", "shop"] = "subscription" if business == "subscription" else "shop"
        label = "recurring billing" if recurring else "a shop"
        return BillingDecision(chosen, f"treated as {label}: chosen with business=\"{business}\"", chosen=True,
                               **facts)
    if n_voters < _MIN_VOTERS:
        reason = (f"treated as a shop: only {n_voters} customers were billed more than once, too few to "
                  "recognise recurring billing (say business=\"subscription\" if it is)")
        return BillingDecision("shop", reason, **facts)
    if recurring:
        return BillingDecision("subscription", f"recurring billing: {evidence}", **facts)
    return BillingDecision("shop", f"treated as a shop: only {evidence}", **facts)
