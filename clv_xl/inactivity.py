"""The inactivity window: how many periods without an order make a customer lost.

Chosen from the data unless given (:func:`choose_inactivity_window`): a high percentile of the gaps between a
customer's consecutive ordering periods, rounded up to whole periods, so that most customers who are still
buying are not called lost between two orders. Orders at a regular rhythm (a subscription billed monthly) give
a window of that rhythm. :mod:`clv_xl.churn` counts the customers lost with it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd

from clv_xl.customers.aggregate import _as_orders
from clv_xl.customers.cohorts import PERIODS, _check_period, _distinct_pairs, _period_ordinals
from clv_xl.errors import InvalidArgumentError
from clv_xl.id_codes import id_codes

__all__ = [
    "ActivePeriods",
    "GAP_PERCENTILE",
    "REGULAR_SHARE",
    "InactivityWindow",
    "active_periods",
    "choose_inactivity_window",
    "parse_inactive_after",
]

#: Percentile of the gaps between consecutive ordering periods that sets the default inactivity window.
GAP_PERCENTILE = 90
#: Share of gaps that must equal the most common gap for the orders to count as a regular rhythm.
REGULAR_SHARE = 0.9
_UNIT_PERIODS = {"M": 1, "Q": 3, "Y": 12}
_UNIT_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


@dataclass(frozen=True)
class InactivityWindow:
    """How many periods without an order make a customer lost, and how that number was chosen.

    Attributes
    ----------
    periods : int
        The window, in periods.
    period : str
        The period (``"M"`` for months...).
    how : str
        ``"given"``, ``"regular"`` (a regular ordering rhythm), ``"percentile"`` or ``"default"`` (no repeat
        orders to learn from).
    gap_share : float
        For ``"percentile"`` and ``"regular"``: share of the gaps between consecutive ordering periods that are
        at most ``periods`` long.
    gaps : int
        Gaps the choice was made from.

    Examples
    --------
    >>> InactivityWindow(6, "M", "given").describe()
    '6 months, as given'
    """

    periods: int
    period: str = "M"
    how: str = "given"
    gap_share: float = float("nan")
    gaps: int = 0

    def describe(self, lang: str = "en") -> str:
        """Say the window and how it was chosen, in ``"en"`` or ``"fr"``.

        Examples
        --------
        >>> print(InactivityWindow(2, "M", "percentile", 0.93, 1000).describe())
        2 months, chosen from the data: 93% of the 1,000 gaps between a customer's consecutive ordering months are \
at most 2 months (90th percentile, rounded up)
        >>> print(InactivityWindow(1, "M", "regular", 1.0, 50).describe("fr")[:60])
        1 mois, choisie d'après les données : les commandes suivent
        """
        n = self.periods
        unit = _UNIT_NAMES[self.period]
        en_len = f"{n} {unit}{'s' if n != 1 else ''}"
        fr_unit = {"day": "jour", "week": "semaine", "month": "mois", "quarter": "trimestre", "year": "an"}[unit]
        fr_len = f"{n} {fr_unit}{'s' if n != 1 and not fr_unit.endswith('s') else ''}"
        share = f"{self.gap_share:.0%}" if lang == "en" else f"{self.gap_share * 100:.0f}\u00a0%"
        gaps = f"{self.gaps:,}" if lang == "en" else f"{self.gaps:,}".replace(",", "\u202f")
        if self.how == "given":
            return en_len + ", as given" if lang == "en" else fr_len + ", imposée"
        if self.how == "default":
            return (f"{en_len}, the usual one-year line: no customer ordered in two different {unit}s, so the "
                    "data cannot tell" if lang == "en" else
                    f"{fr_len}, la limite usuelle d'un an : aucun client n'a commandé sur deux {fr_unit} "
                    "différents, les données ne permettent pas de choisir")
        if self.how == "regular":
            return (f"{en_len}, chosen from the data: orders come at a regular rhythm ({share} of the "
                    f"{gaps} gaps between consecutive ordering {unit}s are {en_len}, like a subscription)"
                    if lang == "en" else
                    f"{fr_len}, choisie d'après les données : les commandes suivent un rythme régulier "
                    f"({share} des {gaps} écarts entre {fr_unit} de commande consécutifs valent {fr_len}, comme un "
                    "abonnement)")
        return (f"{en_len}, chosen from the data: {share} of the {gaps} gaps between a customer's "
                f"consecutive ordering {unit}s are at most {en_len} ({GAP_PERCENTILE}th percentile, rounded up)"
                if lang == "en" else
                f"{fr_len}, choisie d'après les données : {share} des {gaps} écarts "
                f"entre {fr_unit} de commande consécutifs d'un client valent au plus {fr_len} "
                f"({GAP_PERCENTILE}e centile, arrondi au-dessus)")


#: What :func:`active_periods` returns: customer codes and periods of the distinct pairs, first and last period.
ActivePeriods: TypeAlias = tuple[np.ndarray, np.ndarray, int, int]


def active_periods(orders: pd.DataFrame, period: str) -> ActivePeriods:
    """Distinct (customer, period) pairs sorted by customer then period; first and last period of the data."""
    ordinal = _period_ordinals(orders["order_date"], period)
    codes, _ = id_codes(orders["customer_id"])
    customer, period_of_pair = _distinct_pairs(codes, ordinal)
    return customer, period_of_pair, int(ordinal.min()), int(ordinal.max())


def choose_inactivity_window(orders: pd.DataFrame, period: str = "M", *,
                             active: ActivePeriods | None = None) -> InactivityWindow:
    """Choose the inactivity window from the gaps between each customer's consecutive ordering periods.

    The window is the :data:`GAP_PERCENTILE` th percentile of the gaps, rounded up to whole periods (at least
    one). When at least :data:`REGULAR_SHARE` of the gaps are the same length (billing at a regular rhythm),
    that length is the window. Without any repeat ordering period, the window is the usual year
    (``clv_xl.customers.PERIODS``).

    Parameters
    ----------
    orders : pandas.DataFrame
        Canonical orders from :func:`clv_xl.orders.read_orders`.
    period : {"D", "W", "M", "Q", "Y"}
        Period length.
    active : tuple, optional
        :func:`active_periods` of ``orders`` and ``period``, when the caller has it already.

    Returns
    -------
    InactivityWindow
        The window and how it was chosen.

    Examples
    --------
    >>> from clv_xl.orders import read_orders
    >>> monthly = read_orders(pd.DataFrame({"customer": ["a"] * 6 + ["b"] * 3, "amount": 9.0,
    ...     "date": [f"2024-0{m}-03" for m in range(1, 7)] + ["2024-02-10", "2024-03-10", "2024-04-10"]}))
    >>> choose_inactivity_window(monthly).periods, choose_inactivity_window(monthly).how
    (1, 'regular')
    >>> shop = read_orders(pd.DataFrame({"customer": ["a", "a", "a", "b", "b", "c"], "amount": 9.0,
    ...     "date": ["2024-01-03", "2024-03-03", "2024-04-03", "2024-01-10", "2024-08-10", "2024-02-01"]}))
    >>> window = choose_inactivity_window(shop)  # gaps of 2, 1 and 7 months: 90th percentile 6
    >>> window.periods, window.how, round(window.gap_share, 2), window.gaps
    (6, 'percentile', 0.67, 3)
    """
    _check_period(period)
    orders = _as_orders(orders)
    customer, active_period, _, _ = active or active_periods(orders, period)
    same = customer[1:] == customer[:-1]
    gaps = np.diff(active_period)[same]
    if gaps.size == 0:
        return InactivityWindow(PERIODS[period], period, "default")
    counts = np.bincount(gaps)  # gaps are whole periods >= 1
    mode = int(np.argmax(counts))
    if counts.max() >= REGULAR_SHARE * gaps.size:
        return InactivityWindow(mode, period, "regular", float(counts.max() / gaps.size), int(gaps.size))
    window = max(1, math.ceil(float(np.percentile(gaps, GAP_PERCENTILE)) - 1e-9))
    return InactivityWindow(window, period, "percentile", float(np.mean(gaps <= window)), int(gaps.size))


def parse_inactive_after(value: object, period: str = "M") -> int | None:
    """Read an inactivity window such as ``"6M"``, ``"2Q"``, ``"1Y"`` or ``6`` as whole months.

    Parameters
    ----------
    value : str, int or None
        A number of months, or a number followed by M (months), Q (quarters) or Y (years); None or ``"auto"``
        to choose from the data.
    period : str, default "M"
        The churn period; only months are supported by the report.

    Returns
    -------
    int or None
        Months, or None for "choose from the data".

    Examples
    --------
    >>> parse_inactive_after("6M"), parse_inactive_after("1y"), parse_inactive_after(3), parse_inactive_after("auto")
    (6, 12, 3, None)
    >>> parse_inactive_after("90 days")
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: inactive_after must be whole months like 6M, 2Q or 1Y (or auto); got \
'90 days'
    """
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "auto")):
        return None
    message = f"inactive_after must be whole months like 6M, 2Q or 1Y (or auto); got {value!r}"
    if isinstance(value, bool):
        raise InvalidArgumentError("inactive_after", message)
    if isinstance(value, int | np.integer | float) and float(value).is_integer() and value >= 1:
        return int(value)
    match = re.fullmatch(r"\s*(\d+)\s*([mqyMQY]?)\s*", value) if isinstance(value, str) else None
    if not match or int(match.group(1)) < 1:
        raise InvalidArgumentError("inactive_after", message)
    return int(match.group(1)) * _UNIT_PERIODS[(match.group(2) or "M").upper()]

