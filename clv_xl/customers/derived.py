"""The one definition of the summary's derived columns, run on the whole table or chunk by chunk.

Every path ends here: the pandas aggregation of :func:`clv_xl.customers.summarize` and the SQL engines of
:mod:`clv_xl.engines` compute the per-customer aggregates (:data:`AGGREGATE_COLUMNS`) and hand them to
:func:`customer_summary`. The :class:`CustomerSummary` it returns derives frequency, recency, T, monetary value,
AOV, historical CLV and the segment (:func:`derived_columns`, :func:`segment_codes`) either for every customer at
once (:meth:`CustomerSummary.to_frame`) or a million customers at a time (:meth:`CustomerSummary.frames`), so a
file of 10M customers is written without the 10M-row frame ever existing. The segment needs the ranking of all
customers by revenue: it is computed once, as one byte per customer, when the summary is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from clv_xl.errors import InvalidArgumentError
from clv_xl.validation import TIME_UNITS, check_time_unit, parse_date

__all__ = [
    "SUMMARY_COLUMNS", "SUMMARY_DEFINITIONS", "AGGREGATE_COLUMNS", "SEGMENTS", "CHUNK_ROWS",
    "observation_end_day", "derived_columns", "segment_codes", "customer_summary", "CustomerSummary",
    "summary_from_aggregates",
]

#: Columns of :func:`clv_xl.customers.summarize`, in order.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "frequency", "recency", "T", "monetary_value", "orders", "revenue", "first_order", "last_order", "aov",
    "historical_clv", "segment",
)
#: (column, definition) pairs for the report's Definitions sheet.
SUMMARY_DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("transaction", "a customer's purchase day; orders of one customer on one day are summed into one"),
    ("frequency", "repeat purchases: transactions - 1"),
    ("recency", "time from the first to the last transaction, in time_unit"),
    ("T", "time from the first transaction to observation_end, in time_unit"),
    ("monetary_value", "mean amount of the repeat transactions (first left out); 0 without repeat purchases"),
    ("orders", "orders (rows) of the customer up to observation_end"),
    ("revenue", "sum of the customer's order amounts up to observation_end"),
    ("aov", "average order value: revenue / orders"),
    ("historical_clv", "revenue to date x margin, undiscounted"),
    ("segment", "High / Mid / Low: customers by revenue, largest first, until 80 % / 95 % of total revenue"),
    ("time_unit", "D = days, W = days / 7, M = days / 30.4375, Y = days / 365.25, continuous"),
)
#: Columns of the per-customer aggregates every engine computes (:mod:`clv_xl.engines`), one row per customer:
#: transactions (purchase days), first_day / last_day (day numbers of the first and last transaction),
#: first_amount (amount of the first transaction), orders, revenue, first_order / last_order (timestamps).
AGGREGATE_COLUMNS: tuple[str, ...] = (
    "transactions", "first_day", "last_day", "first_amount", "orders", "revenue", "first_order", "last_order",
)
#: Segment labels, by code (:func:`segment_codes`).
SEGMENTS: tuple[str, ...] = ("High", "Mid", "Low")
#: Customers per chunk of :meth:`CustomerSummary.frames` (about 25 MB of derived columns; a Parquet writer derives
#: the next chunk while the last one is written).
CHUNK_ROWS = 250_000


def observation_end_day(observation_end: object, first_day: int, last_day: int) -> int:
    """Return the observation end as a day number (days since 1970-01-01): the given date, else the last order day.

    Parameters
    ----------
    observation_end : date-like or None
        The end asked for; None takes ``last_day``.
    first_day, last_day : int
        Day numbers of the first and last order.

    Examples
    --------
    >>> observation_end_day(None, 19000, 19010), observation_end_day("2024-01-01", 19000, 19010)
    (19010, 19723)
    """
    if observation_end is None:
        return last_day
    end = parse_date(observation_end, "observation_end")
    end_day = int(np.datetime64(end.normalize(), "D").astype("int64"))
    if end_day < first_day:
        raise InvalidArgumentError(
            "observation_end",
            f"observation_end {end:%Y-%m-%d} is before the first order "
            f"({np.datetime64(first_day, 'D')}); pass a later date or None",
        )
    return end_day


def derived_columns(aggregates: Mapping[str, np.ndarray], end_day: int, unit: float,
                    margin: float) -> dict[str, np.ndarray]:
    """Every summary column but the segment, from the aggregates of some customers (all, or a chunk).

    Parameters
    ----------
    aggregates : mapping of str to ndarray
        The :data:`AGGREGATE_COLUMNS`, one value per customer.
    end_day : int
        The observation end as a day number.
    unit : float
        Days per time unit (:data:`clv_xl.validation.TIME_UNITS`).
    margin : float
        Gross margin of ``historical_clv``.

    Examples
    --------
    >>> columns = derived_columns({"transactions": np.array([3]), "first_day": np.array([0]),
    ...     "last_day": np.array([14]), "first_amount": np.array([10.0]), "orders": np.array([4]),
    ...     "revenue": np.array([50.0]), "first_order": np.array(["1970-01-01"], "datetime64[s]"),
    ...     "last_order": np.array(["1970-01-15"], "datetime64[s]")}, 28, 7.0, 0.5)
    >>> {name: columns[name].item() for name in ("frequency", "recency", "T", "monetary_value", "historical_clv")}
    {'frequency': 2, 'recency': 2.0, 'T': 4.0, 'monetary_value': 20.0, 'historical_clv': 25.0}
    """
    frequency = np.asarray(aggregates["transactions"]).astype("int64", copy=False) - 1
    first_day = np.asarray(aggregates["first_day"]).astype("int64", copy=False)
    revenue = np.asarray(aggregates["revenue"]).astype("float64", copy=False)
    n_orders = np.asarray(aggregates["orders"]).astype("int64", copy=False)
    repeat_total = revenue - np.asarray(aggregates["first_amount"]).astype("float64", copy=False)
    return {
        "frequency": frequency,
        "recency": (np.asarray(aggregates["last_day"]).astype("int64", copy=False) - first_day) / unit,
        "T": (end_day - first_day) / unit,
        "monetary_value": np.where(frequency > 0, repeat_total / np.maximum(frequency, 1), 0.0),
        "orders": n_orders,
        "revenue": revenue,
        "first_order": np.asarray(aggregates["first_order"]).astype("datetime64[ns]"),
        "last_order": np.asarray(aggregates["last_order"]).astype("datetime64[ns]"),
        "aov": revenue / n_orders,
        "historical_clv": revenue * margin,
    }


def segment_codes(revenue: np.ndarray, shares: tuple[float, float]) -> np.ndarray:
    """Each customer's segment as a code into :data:`SEGMENTS` (0 High, 1 Mid, 2 Low), over all customers.

    Customers sorted by revenue, largest first (ties keep their order); "High" while the revenue before them is
    under the first share of the total, "Mid" under the second, else "Low".

    Examples
    --------
    >>> segment_codes(np.array([50.0, 30, 10, 5, 3, 2]), (0.8, 0.95)).tolist()
    [0, 0, 1, 1, 2, 2]
    """
    high, mid = shares
    if not 0 < high <= mid <= 1:
        raise InvalidArgumentError(
            "segment_shares", f"segment_shares must be two shares with 0 < high <= mid <= 1; got {shares!r}"
        )
    # rounded to a billionth: the same amounts summed in another order (by another engine, or DuckDB's threads)
    # differ in the last bits, which would reorder equal revenues and move the 80 % / 95 % boundaries
    positive = np.round(np.clip(revenue, 0, None), 9)
    total = positive.sum()
    ranked = -np.sort(-positive)  # largest first; equal values are equal floats, so the order of ties is moot here
    before = np.cumsum(ranked) - ranked
    share = before / total if total > 0 else np.ones_like(positive)
    high_places, mid_places = share < high, share < mid
    n_high, n_mid = int(high_places.sum()), int(mid_places.sum())
    if not (high_places[:n_high].all() and mid_places[:n_mid].all()):  # rounding broke the rising shares
        return _segment_codes_by_rank(positive, before, total, shares)
    codes = np.full(len(positive), 2, dtype="int8")
    codes[_first_places(positive, ranked, n_mid)] = 1
    codes[_first_places(positive, ranked, n_high)] = 0
    return codes


def _first_places(positive: np.ndarray, ranked: np.ndarray, places: int) -> np.ndarray:
    """Mask of the customers in the first ``places`` places by revenue (largest first, ties in customer order).

    The full ranking (a stable argsort, 10 times slower) is not needed: customers above the revenue of the last
    place are in, those below out, and of those equal to it, the first ones in customer order fill the places.
    """
    if places == 0:
        return np.zeros(len(positive), dtype=bool)
    last = ranked[places - 1]
    inside = positive > last
    ties = np.flatnonzero(positive == last)
    inside[ties[:places - int(inside.sum())]] = True
    return inside


def _segment_codes_by_rank(positive: np.ndarray, ranked_before: np.ndarray, total: float,
                           shares: tuple[float, float]) -> np.ndarray:
    """:func:`segment_codes` through the full stable ranking, where the shares do not rise with the rank."""
    order = np.argsort(-positive, kind="stable")
    before = np.empty_like(positive)
    before[order] = ranked_before
    share = before / total if total > 0 else np.ones_like(positive)
    return np.where(share < shares[0], 0, np.where(share < shares[1], 1, 2)).astype("int8")


@dataclass
class CustomerSummary:
    """The customer summary as aggregates and the rule deriving its columns, chunk by chunk or all at once.

    Made by :func:`customer_summary`. Its frames have the columns of :data:`SUMMARY_COLUMNS` (then those of
    :meth:`add_column`), the sorted ``customer_id`` index and :attr:`attrs`.

    Attributes
    ----------
    ids : pandas.Index
        Customer ids, sorted, named ``customer_id``.
    aggregates : dict of str to ndarray
        The :data:`AGGREGATE_COLUMNS`, aligned with ``ids``.
    end_day : int
        The observation end as a day number.
    unit : float
        Days per time unit.
    margin : float
        Gross margin of ``historical_clv``.
    segments : ndarray of int8
        :func:`segment_codes` of every customer.
    attrs : dict
        ``observation_end``, ``time_unit``, ``orders_after_observation_end``: the frames' ``attrs``.
    """

    ids: pd.Index
    aggregates: dict[str, np.ndarray]
    end_day: int
    unit: float
    margin: float
    segments: np.ndarray
    attrs: dict[str, object]
    extra: dict[str, Callable[[pd.DataFrame], np.ndarray]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def columns(self) -> list[str]:
        """The frames' columns, in order."""
        return [*SUMMARY_COLUMNS, *self.extra]

    def whole_days(self) -> bool:
        """Whether every first and last order time is a midnight (the frames' only timestamps), from the aggregates.

        What a CSV writer needs to choose its date format, without deriving every frame first.

        Examples
        --------
        >>> summary = customer_summary(pd.Index(["a"]), {"transactions": np.array([1]), "first_day": np.array([0]),
        ...     "last_day": np.array([0]), "first_amount": np.array([5.0]), "orders": np.array([1]),
        ...     "revenue": np.array([5.0]), "first_order": np.array(["1970-01-01"], "datetime64[s]"),
        ...     "last_order": np.array(["1970-01-01T10:30"], "datetime64[s]")}, end_day=3)
        >>> summary.whole_days()
        False
        """
        for name in ("first_order", "last_order"):
            stamps = np.asarray(self.aggregates[name]).astype("datetime64[ns]")
            known = stamps[~np.isnat(stamps)]
            if np.any(known != known.astype("datetime64[D]")):
                return False
        return True

    def add_column(self, name: str, compute: Callable[[pd.DataFrame], np.ndarray]) -> None:
        """Add a column computed from each frame's own rows (such as ``churn_risk`` from ``last_order``)."""
        self.extra[name] = compute

    def frame(self, rows: slice = slice(None)) -> pd.DataFrame:
        """The summary of the customers at ``rows`` (all by default).

        Examples
        --------
        >>> summary = customer_summary(pd.Index(["a", "b"]), {"transactions": np.array([2, 1]),
        ...     "first_day": np.array([0, 3]), "last_day": np.array([7, 3]), "first_amount": np.array([5.0, 9.0]),
        ...     "orders": np.array([2, 1]), "revenue": np.array([90.0, 9.0]),
        ...     "first_order": np.array([0, 3], "datetime64[D]"), "last_order": np.array([7, 3], "datetime64[D]")},
        ...     end_day=10)
        >>> summary.frame(slice(1, 2))[["frequency", "T", "monetary_value", "segment"]]
                     frequency    T  monetary_value segment
        customer_id
        b                    0  7.0             0.0     Mid
        """
        columns: dict[str, object] = dict(derived_columns(
            {name: values[rows] for name, values in self.aggregates.items()}, self.end_day, self.unit, self.margin))
        # labels taken through Arrow: a tenth of the time of numpy strings turned into pandas text
        columns["segment"] = pd.array(pa.array(SEGMENTS).take(pa.array(self.segments[rows])), dtype="str")
        frame = pd.DataFrame(columns, index=self.ids[rows])
        frame.attrs.update(self.attrs)  # before the extra columns: churn_risk measures to attrs["observation_end"]
        for name, compute in self.extra.items():
            frame[name] = compute(frame)
        return frame

    def frames(self, rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
        """The summary ``rows`` customers at a time, in order (one empty frame when there is no customer)."""
        for start in range(0, max(len(self), 1), rows):
            yield self.frame(slice(start, start + rows))

    def to_frame(self) -> pd.DataFrame:
        """The whole summary as one frame: what :func:`clv_xl.customers.summarize` returns."""
        return self.frame()


def customer_summary(
    ids: pd.Index | object,
    aggregates: Mapping[str, np.ndarray],
    end_day: int,
    *,
    time_unit: str = "D",
    segment_shares: tuple[float, float] = (0.8, 0.95),
    margin: float = 1.0,
    left_out: int = 0,
) -> CustomerSummary:
    """The summary of customers ``ids`` from their aggregates (:data:`AGGREGATE_COLUMNS`), sorted by id.

    Parameters
    ----------
    ids : pandas.Index or array-like of str
        Customer ids, sorted (byte order), one per aggregate row.
    aggregates : mapping of str to ndarray
        The aggregates, in the order of ``ids``.
    end_day : int
        The observation end as a day number.
    time_unit, segment_shares, margin
        As in :func:`clv_xl.customers.summarize`.
    left_out : int
        Orders after the observation end (recorded in ``attrs``).
    """
    time_unit = check_time_unit(time_unit)
    if isinstance(margin, bool) or not (isinstance(margin, int | float) and 0 <= margin <= 1):
        raise InvalidArgumentError("margin", f"margin must be a number from 0 to 1; got {margin!r}")
    columns = {name: np.asarray(aggregates[name]) for name in AGGREGATE_COLUMNS}
    codes = segment_codes(columns["revenue"].astype("float64", copy=False), segment_shares)
    index = pd.Index(ids, name="customer_id", dtype="str")
    attrs: dict[str, object] = {"observation_end": pd.Timestamp(np.datetime64(end_day, "D")),
                                "time_unit": time_unit, "orders_after_observation_end": left_out}
    return CustomerSummary(index, columns, int(end_day), TIME_UNITS[time_unit], margin, codes, attrs)


def summary_from_aggregates(
    aggregates: pd.DataFrame,
    end_day: int,
    *,
    time_unit: str = "D",
    segment_shares: tuple[float, float] = (0.8, 0.95),
    margin: float = 1.0,
    left_out: int = 0,
) -> pd.DataFrame:
    """Turn per-customer aggregates (:data:`AGGREGATE_COLUMNS`, indexed by id) into the summary frame.

    A frame-in, frame-out form of :func:`customer_summary` (which the engines call), kept for library users.

    Examples
    --------
    >>> aggregates = pd.DataFrame({"transactions": [2], "first_day": [19723], "last_day": [19737],
    ...     "first_amount": [15.0], "orders": [3], "revenue": [35.0],
    ...     "first_order": pd.to_datetime(["2024-01-01"]), "last_order": pd.to_datetime(["2024-01-15"])},
    ...     index=pd.Index(["a"], name="customer_id"))
    >>> summary_from_aggregates(aggregates, 19751, time_unit="W")[["frequency", "recency", "T", "monetary_value"]]
                 frequency  recency    T  monetary_value
    customer_id
    a                    1      2.0  4.0            20.0
    """
    return customer_summary(
        aggregates.index.astype("str"), {name: aggregates[name].to_numpy() for name in AGGREGATE_COLUMNS}, end_day,
        time_unit=time_unit, segment_shares=segment_shares, margin=margin, left_out=left_out,
    ).to_frame()
