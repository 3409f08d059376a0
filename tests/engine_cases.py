"""Inputs shared by the engine tests: CDNOW as plain files, the export corpus as one frame, the published summary."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from clv_xl.orders import read_orders

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
#: The figures the engines must agree on (issue 15).
FIGURES = ["frequency", "recency", "T", "monetary_value", "revenue", "orders"]


def cdnow_sample_plain(folder: Path) -> Path:
    """CDNOW_sample.txt as a plain Parquet file (sample id, date, dollars), read with pandas alone."""
    raw = pd.read_csv(DATA / "cdnow" / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["master", "customer", "date", "cds", "dollars"], dtype={"date": str})
    plain = pd.DataFrame({"customer": raw["customer"], "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
                          "amount": raw["dollars"]})
    path = folder / "cdnow_sample.parquet"
    plain.to_parquet(path, index=False)
    return path


def assert_published_cdnow(summary: pd.DataFrame) -> None:
    """The summary of CDNOW_sample up to 1997-09-30 in weeks equals Fader & Hardie's published one."""
    published = pd.read_csv(DATA / "cdnow" / "cdnow_customers_summary_with_transactions.csv", index_col="ID")
    assert len(summary) == len(published) == 2_357
    summary = summary.set_axis(summary.index.astype(int)).loc[published.index]
    np.testing.assert_array_equal(summary["frequency"].to_numpy(), published["x"].to_numpy())
    np.testing.assert_array_equal(summary["recency"].round(2).to_numpy(), published["t_x"].to_numpy())
    np.testing.assert_array_equal(summary["T"].round(2).to_numpy(), published["T"].to_numpy())
    np.testing.assert_allclose(summary["monetary_value"], published["zbar"], rtol=0, atol=0.005 + 1e-9)


def export_corpus() -> pd.DataFrame:
    """Every file of the export corpus cleaned by read_orders, customers prefixed by their file, in one frame."""
    expected = {k: v for k, v in json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8")).items()
                if not k.startswith("_")}
    frames = []
    for name in sorted(expected):
        orders = read_orders(EXPORTS / name)
        frames.append(orders[["customer_id", "order_date", "amount"]].assign(
            customer_id=name + "/" + orders["customer_id"].astype(str)))
    return read_orders(pd.concat(frames, ignore_index=True), customer="customer_id", date="order_date",
                       amount="amount")


def export_totals() -> tuple[int, int, float]:
    """Customers, paid orders and revenue of the corpus, summed from the hand counts of expected.json."""
    expected = [v for k, v in json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8")).items()
                if not k.startswith("_")]
    return (sum(e["customers"] for e in expected), sum(e["paid_orders"] for e in expected),
            round(sum(e["revenue"] for e in expected), 2))


def assert_same_summary(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Same customers in the same order, equal figures (integers exactly; sums of amounts to 1e-12 relative, the
    engines adding the same amounts in another order), same dates, segments and attrs."""
    assert left.index.tolist() == right.index.tolist()
    for column in ("frequency", "orders"):
        np.testing.assert_array_equal(left[column].to_numpy(), right[column].to_numpy())
    for column in ("recency", "T", "monetary_value", "revenue", "aov"):
        np.testing.assert_allclose(left[column].to_numpy(), right[column].to_numpy(), rtol=1e-12, atol=1e-9)
    for column in ("first_order", "last_order", "segment"):
        assert left[column].tolist() == right[column].tolist(), column
    assert left.attrs == right.attrs


#: Plain orders whose raw ids clean to shared customers (spaces, e-mail capitals, quotes, a backslash), with
#: orders of different raw ids on one day, and blank ids; the figures each customer must get, counted by hand
#: (last order day, the end: 2024-01-25; recency and T in days; monetary value = mean of the repeat transactions).
COLLIDING_ORDERS = [
    (" d", "2024-01-03", 10.0), ("d", "2024-01-03 16:00", 5.0), ("d", "2024-01-08", 20.0), ("d ", "2024-01-20", 30.0),
    ("Ann@X.fr", "2024-01-02", 40.0), ("ann@x.fr", "2024-01-02 09:00", 2.0), ("ann@x.fr ", "2024-01-09", 8.0),
    (" o'k", "2024-01-04", 1.0), ("o'k", "2024-01-06", 3.0),
    ("back\\slash", "2024-01-05", 4.0), (" back\\slash", "2024-01-05", 6.0),
    ("   ", "2024-01-07", 99.0), ("", "2024-01-07", 99.0), ("e", "2024-01-25", 12.0),
    # white space Python's strip() removes and SQL's trim() does not: a tab, non-breaking and ideographic spaces
    ("\t", "2024-01-07", 99.0), ("\xa0Ann@X.fr", "2024-01-09 12:00", 1.0),
    ("f\xa0", "2024-01-10", 5.0), ("\u3000f", "2024-01-12", 6.0),
    # line ends and separators at either end; a no-break space inside makes an address no e-mail (kept as it is)
    ("g\r\n", "2024-01-15", 2.0), ("\x85g\u2028", "2024-01-15", 3.0), ("\x0bg\x1c", "2024-01-18", 4.0),
    ("X@Y\xa0Z.FR", "2024-01-20", 7.0),
    # capitals whose lower case Python and Java write otherwise (İ -> i + a dot above; a final Σ -> ς): the simple
    # mapping, one character for one, in every engine
    ("\u0130LKER@X.TR", "2024-01-21", 3.0), ("ilker@x.tr", "2024-01-23", 2.0),
    ("\u039f\u0394\u03a5\u03a3\u03a3\u0395\u0391\u03a3@X.GR", "2024-01-22", 5.0),
    ("\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03b1\u03c3@x.gr", "2024-01-22 10:00", 6.0),
]
#: customer -> (frequency, recency, T, monetary value, revenue, orders)
COLLIDING_BY_HAND = {
    "d": (2, 17.0, 22.0, 25.0, 65.0, 4),  # days 01-03 (10 + 5), 01-08, 01-20
    "ann@x.fr": (1, 7.0, 23.0, 9.0, 51.0, 4),  # 01-02 (40 + 2), 01-09 (8 + 1)
    "o'k": (1, 2.0, 21.0, 3.0, 4.0, 2),
    "back\\slash": (0, 0.0, 20.0, 0.0, 10.0, 2),  # one day, two raw ids
    "e": (0, 0.0, 0.0, 0.0, 12.0, 1),
    "f": (1, 2.0, 15.0, 6.0, 11.0, 2),  # 01-10, 01-12
    "g": (1, 3.0, 10.0, 4.0, 9.0, 3),  # 01-15 (2 + 3), 01-18
    "X@Y\xa0Z.FR": (0, 0.0, 5.0, 0.0, 7.0, 1),
    "ilker@x.tr": (1, 2.0, 4.0, 2.0, 5.0, 2),  # 01-21, 01-23
    "\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03b1\u03c3@x.gr": (0, 0.0, 3.0, 0.0, 11.0, 2),  # one day, 01-22
}


#: Local (wall-clock) order times near midnight and across a summer-time change; read_orders keeps each order on the
#: day it was placed in its own zone, whatever the zone and the machine's. Read as UTC instants, "a"'s first two
#: orders would fall on two days in Paris (23:30 and 22:00 UTC) and its last on 06-30.
ZONED_ORDERS = [
    ("a", "2024-01-01 00:30", 10.0), ("a", "2024-01-01 23:00", 20.0), ("a", "2024-03-31 00:30", 5.0),
    ("a", "2024-07-01 00:10", 7.0), ("b", "2024-01-15 12:00", 40.0),
]
#: customer -> (frequency, recency, T, monetary value, revenue, orders), counted by hand on the local days
ZONED_BY_HAND = {
    "a": (2, 182.0, 182.0, 6.0, 42.0, 4),  # days 01-01 (10 + 20), 03-31 (5), 07-01 (7): 31+29+31+30+31+30 days
    "b": (0, 0.0, 168.0, 0.0, 40.0, 1),  # 01-15 to 07-01: 16+29+31+30+31+30+1 days
}


def zoned_plain(folder: Path, zone: str, unit: str = "us") -> Path:
    """:data:`ZONED_ORDERS` as a plain Parquet file whose times carry ``zone`` (a name or an offset), in ``unit``."""
    customers, stamps, amounts = zip(*ZONED_ORDERS, strict=True)
    local = pd.to_datetime(list(stamps))
    if zone.startswith(("+", "-")):
        sign = -1 if zone[0] == "-" else 1
        zoned = local.tz_localize(dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))))
    else:
        zoned = local.tz_localize(zone)
    path = folder / f"zoned_{len(list(folder.iterdir()))}.parquet"
    frame = pd.DataFrame({"customer": list(customers), "date": zoned.as_unit(unit), "amount": list(amounts)})
    frame.to_parquet(path, index=False)
    return path


def _assert_by_hand(summary: pd.DataFrame, by_hand: dict[str, tuple[float, ...]]) -> None:
    """The summary has the hand-counted figures of each customer, and no other customer."""
    assert sorted(summary.index) == sorted(by_hand)
    for customer, figures in by_hand.items():
        assert tuple(summary.loc[customer, FIGURES].tolist()) == figures, customer


def assert_zoned_by_hand(summary: pd.DataFrame) -> None:
    """The summary of :func:`zoned_plain` has the hand-counted figures (and first orders in local time)."""
    _assert_by_hand(summary, ZONED_BY_HAND)
    assert summary.loc["a", "first_order"] == pd.Timestamp("2024-01-01 00:30")


def colliding_plain(folder: Path) -> Path:
    """:data:`COLLIDING_ORDERS` as a plain Parquet file."""
    customers, dates, amounts = zip(*COLLIDING_ORDERS, strict=True)
    plain = pd.DataFrame({"customer": list(customers), "date": pd.to_datetime(list(dates), format="ISO8601"),
                          "amount": list(amounts)})
    path = folder / "colliding.parquet"
    plain.to_parquet(path, index=False)
    return path


def assert_colliding_by_hand(summary: pd.DataFrame) -> None:
    """The summary of :func:`colliding_plain` has the hand-counted figures, and no other customer."""
    _assert_by_hand(summary, COLLIDING_BY_HAND)
