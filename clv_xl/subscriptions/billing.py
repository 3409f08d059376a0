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
        Canonical orders (``customer_id``, ``order_date``).

    Returns
    -------
    DataFrame
        Columns ``customer_id`` and ``gap`` (days), one row per gap.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-02-05", "2024-01-09"])})
    >>> charge_gaps(orders).to_dict("list")
    {'customer_id': ['a'], 'gap': [31]}
    """
    days = pd.DataFrame({
        "customer_id": orders["customer_id"].to_numpy(),
        "day": orders["order_date"].dt.normalize().to_numpy(),
    }).drop_duplicates().sort_values(["customer_id", "day"], kind="stable")
    same = days["customer_id"].to_numpy()[1:] == days["customer_id"].to_numpy()[:-1]
    gaps = (np.diff(days["day"].to_numpy()) / np.timedelta64(1, "D"))[same]
    return pd.DataFrame({"customer_id": days["customer_id"].to_numpy()[1:][same], "gap": gaps.astype("int64")})


def _plan_of_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per customer: number of gaps and the plan most of them fit (``None`` when no plan holds 80 %)."""
    gap = gaps["gap"].to_numpy()
    fits = pd.DataFrame({"customer_id": gaps["customer_id"].to_numpy()})
    for name, (_, low, high) in PLANS.items():
        fits[name] = (gap >= low) & (gap <= high)
    per = fits.groupby("customer_id", sort=False).agg(["sum", "size"]) if len(fits) else None
    if per is None:
        return pd.DataFrame(columns=["gaps", "plan"])
    counts = pd.DataFrame({name: per[(name, "sum")] for name in PLANS})
    total = per[(next(iter(PLANS)), "size")]
    best = counts.idxmax(axis=1)
    share = counts.max(axis=1) / total
    plan = best.where(share >= _REGULAR_GAPS)
    return pd.DataFrame({"gaps": total, "plan": plan})


def _plan_by_price(orders: pd.DataFrame, regular: pd.Series) -> pd.Series:
    """Plans of customers whose gaps do not tell (billed once, or irregularly), from the price points.

    A customer's last charge is compared with what regular customers pay: the same amount as regular customers
    of a plan -> that plan; else 12 or 3 times a monthly price -> yearly or quarterly. Amounts are compared to the
    cent. Customers matching nothing are left out (they get the data's most common plan).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["m", "m", "y", "z", "q"], "amount": [49.0, 49.0, 588.0, 50.0, 147.0],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-03-01", "2024-03-02", "2024-03-03"])})
    >>> _plan_by_price(orders, pd.Series({"m": "monthly"})).to_dict()
    {'q': 3, 'y': 12}
    """
    cents = (orders["amount"].to_numpy(dtype=float) * 100).round().astype("int64")
    last = pd.Series(cents, index=orders["customer_id"].to_numpy()).groupby(level=0).last()
    known = {name: set(last[regular.index[regular == name]].tolist()) for name in PLANS}
    unknown = last[~last.index.isin(regular.index)]
    guess: dict[object, int] = {}
    for customer, amount in unknown.items():
        own = next((PLANS[name][0] for name in PLANS if amount in known[name]), None)
        if own is None:
            own = next((PLANS[name][0] for name in ("yearly", "quarterly")
                        if amount % PLANS[name][0] == 0 and amount // PLANS[name][0] in known["monthly"]), None)
        if own is not None:
            guess[customer] = own
    return pd.Series(guess, dtype="int64").sort_index()


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
    per = _plan_of_gaps(charge_gaps(orders))
    regular = per["plan"].dropna()
    counts = regular.value_counts()
    common = max(PLANS, key=lambda name: int(counts.get(name, 0))) if len(counts) else "monthly"
    months = pd.Series(PLANS[common][0], index=pd.Index(orders["customer_id"].unique(), name="customer_id"),
                       dtype="int64")
    guessed = _plan_by_price(orders, regular)
    months.loc[guessed.index] = guessed
    own = regular.map(lambda name: PLANS[name][0]).astype("int64")
    months.loc[own.index] = own
    voters = per[per["gaps"] >= 2]
    min_charges = 3
    if len(voters) < _MIN_VOTERS:
        voters, min_charges = per, 2
    plans = {name: int((voters["plan"] == name).sum()) for name in PLANS if (voters["plan"] == name).any()}
    facts = {"plan_months": months, "plans": plans, "voters": len(voters),
             "regular": int(voters["plan"].notna().sum()), "min_charges": min_charges}
    breakdown = ", ".join(f"{name} {n}" for name, n in plans.items())
    evidence = (f"{facts['regular']} of the {len(voters)} customers billed {min_charges} times or more were billed "
                f"at regular intervals" + (f" ({breakdown})" if breakdown else ""))
    if business != "auto":
        label = "recurring billing" if business == "subscription" else "a shop"
        return BillingDecision(business, f"treated as {label}: chosen with business=\"{business}\"",  # type: ignore[arg-type]
                               chosen=True, **facts)
    if len(voters) < _MIN_VOTERS:
        reason = (f"treated as a shop: only {len(voters)} customers were billed more than once, too few to "
                  "recognise recurring billing (say business=\"subscription\" if it is)")
        return BillingDecision("shop", reason, **facts)
    if facts["regular"] >= _REGULAR_CUSTOMERS * len(voters):
        return BillingDecision("subscription", f"recurring billing: {evidence}", **facts)
    return BillingDecision("shop", f"treated as a shop: only {evidence}", **facts)
