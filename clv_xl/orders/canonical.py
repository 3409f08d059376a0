"""The canonical frame: fold line items, drop incomplete rows, keep paid orders, then sort and count.

The last stage of :func:`clv_xl.orders.read_orders`; see :mod:`clv_xl.orders` for the rules. Each function here
records what it changed in the :class:`~clv_xl.orders.intake_report.CleaningReport`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from clv_xl.arrow_strings import large_string_bytes
from clv_xl.errors import DataError
from clv_xl.id_codes import remember_codes
from clv_xl.orders.intake_report import CleaningReport
from clv_xl.orders.paid_orders import keep_paid
from clv_xl.orders.roles import CLEANING_COLUMNS
from clv_xl.stable_order import stable_order

__all__ = ["clean"]


def clean(
    orders: pd.DataFrame,
    report: CleaningReport,
    *,
    source: str,
    drop_refunds: bool = True,
    drop_duplicate_order_ids: bool = True,
    zero_amounts: str = "auto",
    platform: str | None = None,
    paid_statuses: Iterable[str] = (),
    excluded_statuses: Iterable[str] = (),
    keep_currency: str | None = None,
) -> pd.DataFrame:
    """Apply the cleaning rules in order, sort by (order_date, customer_id), and fill ``report``'s counts.

    Parameters
    ----------
    orders : pandas.DataFrame
        Parsed columns (``customer_id``, ``order_date``, ``amount`` and optional ones, plus ``status``,
        ``transaction_type`` and ``refunded`` when the source has them), in source order.
    report : CleaningReport
        Filled in place.
    source : str
        The source's name, for the error when nothing is left.
    drop_refunds, drop_duplicate_order_ids, zero_amounts, paid_statuses, excluded_statuses, keep_currency
        The options of :func:`clv_xl.orders.read_orders`.
    platform : str, optional
        The platform recognised from the columns.

    Returns
    -------
    pandas.DataFrame
        The canonical frame (without the columns read for cleaning only), sorted, with a fresh RangeIndex.

    Examples
    --------
    >>> report = CleaningReport(source="x")
    >>> frame = pd.DataFrame({"customer_id": ["b", "a", None], "amount": [2.0, 1.0, 3.0],
    ...                       "order_date": pd.to_datetime(["2024-01-01"] * 3)})
    >>> clean(frame, report, source="x")["customer_id"].tolist()
    ['a', 'b']
    >>> report.missing_customer, report.customers
    (1, 2)
    """
    repeated_ids = "order_id" in orders and _has_duplicates(orders["order_id"])
    if repeated_ids:
        orders = _fold_line_items(orders, report)
    orders = _drop_missing(orders, report)
    if drop_refunds:
        orders = keep_paid(orders, report, platform=platform, paid_statuses=paid_statuses,
                           excluded_statuses=excluded_statuses, zero_amounts=zero_amounts)
    else:
        orders = orders.drop(columns=[c for c in CLEANING_COLUMNS if c in orders])
        report.zero_amounts = int(orders["amount"].eq(0).sum())
    orders = _one_currency(orders, report, keep_currency, source)
    if drop_duplicate_order_ids and repeated_ids:
        duplicated = orders["order_id"].notna() & orders["order_id"].duplicated()
        report.duplicate_order_ids = int(duplicated.sum())
        if report.duplicate_order_ids:
            orders = orders[~duplicated.to_numpy()]
    if orders.empty:
        raise DataError(f"{source}: no orders left after cleaning ({report.rows_read:,} rows read)")

    orders, codes = _sort(orders)
    days = orders["order_date"].to_numpy().astype("datetime64[D]").astype("int64")
    key = codes.astype("int64") * (int(days.max() - days.min()) + 1) + (days - days.min())
    stamps = orders["order_date"].to_numpy()
    if stamps.dtype.kind == "M" and np.array_equal(stamps, stamps.astype("datetime64[D]")):
        # dates only: sorted by (day, customer), a customer's orders of one day are neighbours
        report.same_day_orders = int(np.count_nonzero(key[1:] == key[:-1]))
    else:
        report.same_day_orders = int(pd.Series(key).duplicated().sum())
    report.orders = len(orders)
    report.customers = int(codes.max()) + 1
    report.first_order = orders["order_date"].iloc[0]
    report.last_order = orders["order_date"].max()
    report.total_amount = float(orders["amount"].sum())
    return orders


def _one_currency(orders: pd.DataFrame, report: CleaningReport, keep: str | None, source: str) -> pd.DataFrame:
    """Keep one currency: the only one in the data, or the one asked for; a mix without a choice is an error.

    The per-row currency is the ``currency`` column, else ``_currency`` (signs or codes written in the amounts).
    """
    per_row = orders["currency"] if "currency" in orders else orders.get("_currency")
    orders = orders.drop(columns=[c for c in ("_currency",) if c in orders])
    if per_row is None:
        report.currencies = [keep.upper()] if keep and not report.currencies else report.currencies
        return orders
    counts = per_row.dropna().value_counts()
    if keep is not None:
        wanted = keep.strip().upper()
        other = (per_row.notna() & per_row.ne(wanted)).to_numpy()
        if other.all():
            raise DataError(
                f"{source}: no orders in {wanted}; the data's currencies are "
                + ", ".join(f"{code} ({n:,} orders)" for code, n in counts.items())
            )
        report.other_currency_dropped = int(other.sum())
        report.currencies = [wanted]
        return orders[~other]
    if len(counts) > 1:
        listed = ", ".join(f"{code} ({n:,} orders)" for code, n in counts.items())
        raise DataError(
            f"{source} mixes currencies: {listed}; choose one with --currency {counts.index[0]} "
            f"(keep_currency='{counts.index[0]}'), which keeps only the orders in it, or split the file"
        )
    report.currencies = [str(c) for c in counts.index]
    return orders


def _has_duplicates(values: pd.Series) -> bool:
    """Whether non-missing ``values`` repeat; text ids are compared by a numeric key first (much cheaper).

    Text (a string column, as read_orders makes ``order_id``) goes through :func:`_text_keys`: distinct keys prove
    the ids distinct; equal keys (a repeat, or a rare collision of long ids) are settled by pandas, exactly.

    Examples
    --------
    >>> _has_duplicates(pd.Series(["O1", "O2", None, "O10"], dtype="str"))
    False
    >>> _has_duplicates(pd.Series(["#1001", "#1002", "#1001"], dtype="str")), _has_duplicates(pd.Series([1, 2, 1]))
    (True, True)
    """
    present = values.dropna()
    if len(present) < 2:
        return False
    keys = None
    if isinstance(present.dtype, pd.StringDtype):
        try:
            import pyarrow as pa

            text = pa.array(present.array, type=pa.large_string())
            keys = _text_keys(text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text)
        except (ImportError, UnicodeEncodeError, TypeError, ValueError, ArithmeticError):
            keys = None
    if keys is not None:
        keys.sort()
        if not (keys[1:] == keys[:-1]).any():
            return False
    return bool(present.duplicated().any())


#: Odd multipliers of the 8-byte words of a text key (fixed: the keys only need to be the same within a run).
_KEY_WEIGHTS = np.random.default_rng(20261130).integers(0, 2**63, size=8, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


def _text_keys(text: Any) -> np.ndarray | None:
    """One 64-bit key per string of an Arrow (large) string array without nulls: equal texts, equal keys.

    Each text's UTF-8 bytes (and its length, when lengths differ) are laid in a row of 8-byte words; the key is
    the words' weighted sum modulo 2**64, so one word (a text of 8 bytes or fewer) is a one-to-one key. None for
    texts longer than 63 bytes, or 15 when lengths differ (laying them out would cost more than pandas' hashing).

    Examples
    --------
    >>> import pyarrow as pa
    >>> keys = _text_keys(pa.array(["a", "a\\x00", "", "a", "abcdefghi"], pa.large_string()))
    >>> [int(keys[0] == k) for k in keys]
    [1, 0, 0, 1, 0]
    """
    count = len(text)
    offsets, text_bytes = large_string_bytes(text)
    lengths = np.diff(offsets)
    longest, shortest = int(lengths.max()), int(lengths.min())
    if longest > (63 if longest == shortest else 15):
        return None
    data = np.frombuffer(text_bytes, dtype=np.uint8) if longest else None
    width = -(-(longest + (longest != shortest)) // 8) * 8 or 8  # room for a length byte when lengths differ
    cells = np.zeros((count, width), dtype=np.uint8)
    if data is not None and longest == shortest:
        cells[:, :longest] = data.reshape(count, longest)
    elif data is not None:
        shift = np.repeat(np.arange(0, count * width, width) - (offsets[:-1] - offsets[0]), lengths)
        cells.reshape(-1)[shift + np.arange(len(data))] = data  # byte i of text r goes to cells[r, i]
        cells[:, -1] = lengths
    words = cells.view(np.uint64)
    keys = words[:, 0] * _KEY_WEIGHTS[0]
    for column in range(1, words.shape[1]):
        keys += words[:, column] * _KEY_WEIGHTS[column]
    return keys


def _in_order(dates: np.ndarray, codes: np.ndarray) -> bool:
    """Whether rows are sorted by (date, customer code) already: the dates, then the codes among equal dates only.

    Examples
    --------
    >>> _in_order(np.array([1, 2, 2]), np.array([5, 0, 1])), _in_order(np.array([1, 2, 2]), np.array([0, 1, 0]))
    (True, False)
    """
    if not np.all(dates[1:] >= dates[:-1]):
        return False
    same_date = np.flatnonzero(dates[1:] == dates[:-1])
    return bool(np.all(codes[same_date] <= codes[same_date + 1]))


def _sort(orders: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Sort by (order_date, customer_id), stably, with a fresh RangeIndex; also return customer codes.

    Orders already in that order (a shop export in date order) are returned as they are.

    Customers are coded by hashing (a factorize in order of appearance) and ranked by sorting the distinct ids
    only; the sort then runs on integers (:func:`clv_xl.stable_order.stable_order` of date and rank).
    """
    dates = orders["order_date"].to_numpy().view("int64")
    appearance, uniques = pd.factorize(orders["customer_id"])
    by_id = uniques.argsort(kind="stable")
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[by_id] = np.arange(len(uniques))
    codes = rank[appearance]
    if _in_order(dates, codes):  # exports usually come in date order
        ranked, ranked_codes = orders.reset_index(drop=True), codes
    else:
        offset = dates - dates.min()
        step = 1
        for unit in (86_400 * 10**9, 10**9, 10**6, 10**3):  # coarsest resolution that keeps every timestamp
            if not (offset % unit).any():
                step = unit
                break
        order = stable_order(offset // step, codes)
        ranked, ranked_codes = orders.take(order).reset_index(drop=True), codes[order]
    remember_codes(ranked["customer_id"], ranked_codes, pd.Index(uniques[by_id]), sort=True)
    return ranked, ranked_codes


def _fold_line_items(orders: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    """Fold line-item rows (same order id, no amount) into their order's first row (rule 1)."""
    has_id = orders["order_id"].notna()
    groups = orders[has_id].groupby("order_id", sort=False)
    with_amount = groups["amount"].transform("count")
    line_item = pd.Series(False, index=orders.index)
    line_item[has_id] = orders.loc[has_id, "amount"].isna() & (with_amount > 0)
    if not line_item.any():
        return orders
    filled = orders.copy()
    for column in ("customer_id", "order_date", "currency", "status", "transaction_type"):
        if column in filled:  # blanks on line-item rows take the order's value; filled values stay
            filled.loc[has_id, column] = filled.loc[has_id, column].fillna(groups[column].transform("first"))
    if "quantity" in filled:
        filled.loc[has_id, "quantity"] = groups["quantity"].transform("sum")
    report.line_items_folded = int(line_item.sum())
    return filled[~line_item.to_numpy()]


def _drop_missing(orders: pd.DataFrame, report: CleaningReport) -> pd.DataFrame:
    keep = pd.Series(True, index=orders.index)
    for column, attribute in (
        ("customer_id", "missing_customer"), ("order_date", "missing_date"), ("amount", "missing_amount")
    ):
        missing = keep & orders[column].isna()
        setattr(report, attribute, int(missing.sum()))
        keep &= ~missing
    return orders if keep.all() else orders[keep.to_numpy()]
