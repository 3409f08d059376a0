"""Churn by period, measured only where it can be seen, and the inactivity window that defines it.

Definitions (the report's Definitions sheet repeats them):

- A customer is *on the books* from the period of an order until ``inactive_after`` periods have passed without
  one. They are *lost* in the period that makes ``inactive_after`` periods without an order.
- *New* customers are on the books for the first time (their first order ever falls in the period);
  *returning* customers come back after having been lost (reactivated). Both are counted apart from the
  customers at the start: ``customers_at_end = customers_at_start + new + returning - lost``.
- A period's churn (lost / customers at start, Skok's simple churn) is *observable* only once a loss in it can
  be seen: a loss needs ``inactive_after`` periods without an order, so in the first ``inactive_after`` periods
  of the history nobody can be lost yet. Those periods have no churn rate (NaN, a blank cell in the report),
  not 0 %, and are left out of any average.
- The inactivity window is chosen from the data unless given (:func:`choose_inactivity_window`): a high
  percentile of the gaps between a customer's consecutive ordering periods, rounded up to whole periods, so
  that most customers who are still buying are not called lost between two orders. Orders at a regular rhythm
  (a subscription billed monthly) give a window of that rhythm.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clv_xl import formulas
from clv_xl.customers import PERIODS, _as_orders, _check_period, _period_ordinals, _period_start
from clv_xl.errors import InvalidArgumentError

__all__ = [
    "CHURN_COLUMNS",
    "GAP_PERCENTILE",
    "InactivityWindow",
    "choose_inactivity_window",
    "parse_inactive_after",
    "churn_series",
    "series_from_flows",
    "average_churn",
    "RISK_BANDS",
    "ACTIVE_FROM",
    "LAPSED_BELOW",
    "risk_bands",
    "months_since_last_order",
]

#: Columns of :func:`churn_series`, in order.
CHURN_COLUMNS: tuple[str, ...] = (
    "period", "customers_at_start", "new_customers", "returning_customers", "lost_customers", "customers_at_end",
    "churn_rate", "retention_rate",
)
#: Percentile of the gaps between consecutive ordering periods that sets the default inactivity window.
GAP_PERCENTILE = 90
#: Share of gaps that must equal the most common gap for the orders to count as a regular rhythm.
REGULAR_SHARE = 0.9
#: Churn-risk bands, best first.
RISK_BANDS: tuple[str, ...] = ("active", "at_risk", "lapsed")
#: P(alive) from which a repeat buyer is active.
ACTIVE_FROM = 0.7
#: P(alive) under which a repeat buyer is lapsed.
LAPSED_BELOW = 0.3
_DAYS_PER_MONTH = 365.25 / 12
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


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique`` without its hashing pass (a sort and a mask, ~10x faster).

    Examples
    --------
    >>> _distinct(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(keys)
    first = np.empty(ordered.size, dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def _active_periods(orders: pd.DataFrame, period: str) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Distinct (customer, period) pairs sorted by customer then period; first and last period of the data."""
    ordinal = _period_ordinals(orders["order_date"], period)
    codes, _ = pd.factorize(orders["customer_id"])
    low = int(ordinal.min())
    pairs = _distinct(codes.astype("int64") * (1 << 32) + (ordinal - low))
    return pairs >> 32, (pairs & 0xFFFFFFFF) + low, low, int(ordinal.max())


def choose_inactivity_window(orders: pd.DataFrame, period: str = "M") -> InactivityWindow:
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
    customer, active, _, _ = _active_periods(orders, period)
    same = customer[1:] == customer[:-1]
    gaps = np.diff(active)[same]
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


def churn_series(orders: pd.DataFrame, period: str = "M", inactive_after: int | None = None) -> pd.DataFrame:
    """Customers at start, new, returning, lost and at end of each period, with observable churn and retention.

    Parameters
    ----------
    orders : pandas.DataFrame
        Canonical orders from :func:`clv_xl.orders.read_orders`.
    period : {"D", "W", "M", "Q", "Y"}
        Period length (weeks start on Monday).
    inactive_after : int, optional
        Periods without an order after which a customer is lost (see the module notes); None chooses it from
        the data with :func:`choose_inactivity_window`. With 1, a customer counts only in periods when they order.

    Returns
    -------
    pandas.DataFrame
        One row per period from the first order's to the last order's, columns :data:`CHURN_COLUMNS`:
        ``churn_rate`` (:func:`clv_xl.formulas.churn_rate`, lost / start) and ``retention_rate``
        (:func:`clv_xl.formulas.retention_rate`, (end - new - returning) / start) are NaN where churn cannot be
        observed (the first ``inactive_after`` periods) or nobody was on the books at the start.
        ``attrs["inactive_after"]`` holds the :class:`InactivityWindow`.

    Examples
    --------
    >>> from clv_xl.orders import read_orders
    >>> orders = read_orders(pd.DataFrame({
    ...     "customer": ["a", "b", "a", "c", "a"],
    ...     "date": ["2024-01-05", "2024-01-20", "2024-02-02", "2024-03-10", "2024-05-01"],
    ...     "amount": [10.0, 20.0, 5.0, 8.0, 1.0],
    ... }))
    >>> churn = churn_series(orders, inactive_after=1)
    >>> churn.drop(columns=["period", "retention_rate"]).to_numpy().tolist()
    [[0.0, 2.0, 0.0, 0.0, 2.0, nan], [2.0, 0.0, 0.0, 1.0, 1.0, 0.5], [1.0, 1.0, 0.0, 1.0, 1.0, 1.0], \
[1.0, 0.0, 0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0, 1.0, nan]]
    """
    _check_period(period)
    orders = _as_orders(orders)
    if inactive_after is None:
        window = choose_inactivity_window(orders, period)
    else:
        if isinstance(inactive_after, bool) or not isinstance(inactive_after, int | np.integer) or inactive_after < 1:
            raise InvalidArgumentError(
                "inactive_after", f"inactive_after must be a whole number of periods >= 1; got {inactive_after!r}"
            )
        window = InactivityWindow(int(inactive_after), period, "given")
    w = window.periods
    customer, active, first_period, last_period = _active_periods(orders, period)
    # a spell starts at an order that follows the previous one by more than w periods (or is the customer's
    # first) and ends w periods after its last order
    first_ever = np.concatenate(([True], customer[1:] != customer[:-1]))
    gap = np.concatenate(([0], np.diff(active)))
    starts = first_ever | (gap > w)
    ends = np.concatenate((starts[1:], [True]))
    n = last_period - first_period + 1
    new = np.bincount(active[first_ever] - first_period, minlength=n)
    returning = np.bincount(active[starts & ~first_ever] - first_period, minlength=n)
    lost_at = active[ends] + w - first_period
    lost = np.bincount(lost_at[lost_at < n], minlength=n)
    return series_from_flows(new, returning, lost, first_period, window)


def series_from_flows(new: np.ndarray, returning: np.ndarray, lost: np.ndarray, first_period: int,
                      window: InactivityWindow) -> pd.DataFrame:
    """The churn series from each period's new, returning and lost customers (one value a period from the first).

    The one place where customers at start and end, churn and retention are derived: :func:`churn_series` and the
    SQL engines (:mod:`clv_xl.engines.activity`) both end here.

    Examples
    --------
    >>> series = series_from_flows(np.array([2, 0]), np.array([0, 0]), np.array([0, 1]), 648, InactivityWindow(1))
    >>> series["customers_at_end"].tolist(), series["churn_rate"].tolist()
    ([2, 1], [nan, 0.5])
    """
    w, n = window.periods, len(new)
    at_end = np.cumsum(new + returning - lost)
    at_start = np.concatenate(([0], at_end[:-1]))
    churn = np.full(n, np.nan)
    retention = np.full(n, np.nan)
    ok = (at_start > 0) & (np.arange(n) >= w)
    if ok.any():
        churn[ok] = formulas.churn_rate(at_start[ok], lost[ok])
        retention[ok] = formulas.retention_rate(at_start[ok], at_end[ok], (new + returning)[ok])
    frame = pd.DataFrame(
        {
            "period": _period_start(np.arange(first_period, first_period + n), window.period),
            "customers_at_start": at_start.astype("int64"),
            "new_customers": new.astype("int64"),
            "returning_customers": returning.astype("int64"),
            "lost_customers": lost.astype("int64"),
            "customers_at_end": at_end.astype("int64"),
            "churn_rate": churn,
            "retention_rate": retention,
        }
    )
    frame.attrs["inactive_after"] = window
    return frame


def average_churn(series: pd.DataFrame) -> float:
    """Pooled churn over the observable periods: Σ lost ÷ Σ customers at start where a churn rate exists.

    Parameters
    ----------
    series : pandas.DataFrame
        Output of :func:`churn_series`.

    Returns
    -------
    float
        The average churn per period; NaN when no period is observable.

    Examples
    --------
    >>> frame = pd.DataFrame({"customers_at_start": [0, 100, 100, 80], "lost_customers": [0, 0, 20, 8],
    ...                       "churn_rate": [float("nan"), float("nan"), 0.2, 0.1]})
    >>> round(average_churn(frame), 4)
    0.1556
    """
    seen = series["churn_rate"].notna().to_numpy()
    start = float(series["customers_at_start"].to_numpy()[seen].sum())
    return float(series["lost_customers"].to_numpy()[seen].sum()) / start if start > 0 else float("nan")


def risk_bands(p_alive: np.ndarray, months_since: np.ndarray, window_months: int) -> np.ndarray:
    """Band each customer: by P(alive) where it is known, else by the months since the last order.

    Parameters
    ----------
    p_alive : ndarray of float
        P(alive), NaN where it means nothing (one-time buyers) or is unknown.
    months_since : ndarray of float
        Months from the last order to the end of the observation.
    window_months : int
        The inactivity window.

    Returns
    -------
    ndarray of str
        ``"active"``, ``"at_risk"`` or ``"lapsed"``.

    Examples
    --------
    >>> risk_bands(np.array([0.9, 0.5, 0.1, np.nan, np.nan, np.nan]), np.array([1, 1, 1, 2.0, 5.0, 9.0]), 8)
    array(['active', 'at_risk', 'lapsed', 'active', 'at_risk', 'lapsed'], dtype='<U7')
    """
    by_model = np.where(p_alive >= ACTIVE_FROM, "active", np.where(p_alive >= LAPSED_BELOW, "at_risk", "lapsed"))
    by_time = np.where(months_since <= window_months / 2, "active",
                       np.where(months_since <= window_months, "at_risk", "lapsed"))
    return np.where(np.isnan(p_alive), by_time, by_model)


def months_since_last_order(summary: pd.DataFrame) -> np.ndarray:
    """Months (30.4375 days) from each customer's last order to the summary's observation end.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`clv_xl.customers.summarize`.

    Returns
    -------
    ndarray of float
        One value per row.

    Examples
    --------
    >>> summary = pd.DataFrame({"last_order": pd.to_datetime(["2024-01-01", "2024-03-01"])})
    >>> summary.attrs["observation_end"] = pd.Timestamp("2024-03-01")
    >>> months_since_last_order(summary).round(2).tolist()
    [1.97, 0.0]
    """
    end = pd.Timestamp(summary.attrs.get("observation_end", summary["last_order"].max())).normalize()
    return ((end - summary["last_order"].dt.normalize()).dt.days / _DAYS_PER_MONTH).to_numpy(dtype=float)
