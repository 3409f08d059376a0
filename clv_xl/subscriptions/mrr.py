"""Stage 2: charges spread into monthly recurring revenue (MRR), one row per customer and one column per month.

Definition (ChartMogul, "MRR": annual and quarterly plans are normalised to a monthly amount): a charge of
``amount`` on a plan covering ``k`` months (1 monthly, 3 quarterly, 12 yearly) adds ``amount / k`` to the
customer's MRR in the month it is billed and in the ``k - 1`` following months. A customer's MRR in a month is the
sum of what covers that month.

At the end of the data a renewal may simply not be due yet: a customer whose last charge's next renewal date
(charge date + ``k`` months) falls after the observation end keeps that charge's MRR up to the last month.
Limits: charges are placed by calendar month, so a renewal retried from the 30th into the next month shows as a
churn then a reactivation, and a mid-cycle proration charge counts as MRR of its month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl.errors import DataError, InvalidArgumentError

__all__ = ["monthly_mrr"]

#: Most months an MRR table spans (a century of monthly columns).
MAX_MONTHS = 1200
#: Most customer-month cells of an MRR table (8 bytes each; the movements need a few such arrays at once).
MAX_CELLS = 40_000_000


def monthly_mrr(orders: pd.DataFrame, plan_months: pd.Series | int = 1,
                observation_end: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """Spread each charge over the months its plan covers and sum per customer and month.

    Parameters
    ----------
    orders : DataFrame
        Canonical orders: ``customer_id``, ``order_date``, ``amount`` (the charges).
    plan_months : Series or int, default 1
        Months one charge covers, per customer (a Series indexed by ``customer_id``, e.g.
        :attr:`BillingDecision.plan_months`) or for everyone.
    observation_end : Timestamp or str, optional
        When the data stops; the last charge date when omitted.

    Returns
    -------
    DataFrame
        MRR, index ``customer_id``, one column per month (``pandas.Period``, freq ``M``) from the first charge's
        month to the observation end's month, 0 where a customer pays nothing.

    Examples
    --------
    A yearly plan of 1,200 billed in January is 100 a month; a monthly customer pays 30 then 45:

    >>> orders = pd.DataFrame({"customer_id": ["y", "m", "m"], "amount": [1200.0, 30.0, 45.0],
    ...     "order_date": pd.to_datetime(["2024-01-10", "2024-01-15", "2024-02-15"])})
    >>> table = monthly_mrr(orders, pd.Series({"y": 12, "m": 1}), observation_end="2024-03-31")
    >>> table.to_dict("index")  # doctest: +NORMALIZE_WHITESPACE
    {'m': {Period('2024-01', 'M'): 30.0, Period('2024-02', 'M'): 45.0, Period('2024-03', 'M'): 0.0},
     'y': {Period('2024-01', 'M'): 100.0, Period('2024-02', 'M'): 100.0, Period('2024-03', 'M'): 100.0}}

    With the data stopping on 10 March, m's March renewal (due 15 March) is not due yet: m stays at 45.

    >>> monthly_mrr(orders, pd.Series({"y": 12, "m": 1}), observation_end="2024-03-10").loc["m"].tolist()
    [30.0, 45.0, 45.0]
    """
    if len(orders) == 0:
        raise DataError("no charges to compute MRR from: the order data is empty")
    dates = pd.DatetimeIndex(orders["order_date"])
    end = dates.max() if observation_end is None else pd.Timestamp(observation_end)
    if end < dates.max():
        raise InvalidArgumentError("observation_end", f"observation_end ({end:%Y-%m-%d}) is before the last charge "
                                   f"({dates.max():%Y-%m-%d}); give a later date or leave it out")
    codes, ids = pd.factorize(orders["customer_id"], sort=True)
    ids = pd.Index(ids, name="customer_id")
    if isinstance(plan_months, pd.Series):
        where = plan_months.index.get_indexer(ids)
        if (where < 0).any():
            missing = ids[int(np.flatnonzero(where < 0)[0])]
            raise InvalidArgumentError("plan_months", f"plan_months has no plan for customer {missing!r}")
        k = plan_months.to_numpy(dtype="int64")[where][codes]
    else:
        k = np.full(len(orders), int(plan_months), dtype="int64")
    if (k < 1).any():
        raise InvalidArgumentError("plan_months", "plan_months must be whole numbers of months >= 1")
    first = dates.min().to_period("M")
    month_number = dates.year.to_numpy(dtype="int64") * 12 + dates.month.to_numpy(dtype="int64")
    start = month_number - (first.year * 12 + first.month)
    n_months = (end.year * 12 + end.month) - (first.year * 12 + first.month) + 1
    if n_months > MAX_MONTHS:
        raise DataError(f"the charges span {n_months} months (at most {MAX_MONTHS}): check the dates")
    if len(ids) * n_months > MAX_CELLS:
        raise DataError(f"{len(ids):,} customers over {n_months} months make {len(ids) * n_months:,} MRR cells (at "
                        f"most {MAX_CELLS:,}): analyse fewer months (e.g. the last three years) or a segment at a time")
    table = np.zeros((len(ids), n_months))
    monthly = orders["amount"].to_numpy(dtype=np.float64) / k
    for months in np.unique(k):  # one vectorised pass per plan length
        rows = k == months
        for offset in range(int(months)):
            col = start[rows] + offset
            inside = col < n_months
            np.add.at(table, (codes[rows][inside], col[inside]), monthly[rows][inside])
    _extend_not_yet_due(table, orders, codes, dates, k, monthly, start, end)
    columns = pd.period_range(first, periods=n_months, freq="M")
    return pd.DataFrame(table, index=ids, columns=columns)


def _extend_not_yet_due(table: np.ndarray, orders: pd.DataFrame, codes: np.ndarray, dates: pd.DatetimeIndex,
                        k: np.ndarray, monthly: np.ndarray, start: np.ndarray, end: pd.Timestamp) -> None:
    """Carry each customer's last charge to the last month when its renewal falls after the observation end.

    The renewal is due ``k`` months after the charge, on the same day (the month's last day when it is shorter,
    as ``DateOffset(months=k)``): after the end when it falls in a later month, or in the end's month on a later day.
    """
    n_months = table.shape[1]
    frame = pd.DataFrame({"code": codes, "date": dates.normalize(), "day": dates.day, "k": k, "mrr": monthly,
                          "start": start})
    last_day = frame.groupby("code")["date"].transform("max")
    last = frame[(frame["date"] == last_day).to_numpy()]
    per = last.groupby("code").agg(day=("day", "first"), k=("k", "max"), mrr=("mrr", "sum"), start=("start", "first"))
    due_month = per["start"].to_numpy() + per["k"].to_numpy()  # also the first month the last charge no longer covers
    end_month = n_months - 1
    due_day = np.minimum(per["day"].to_numpy(), end.days_in_month)
    after_end = (due_month > end_month) | ((due_month == end_month) & (due_day > end.day))
    extend = after_end & (due_month < n_months)
    for code, first_col, mrr in zip(per.index[extend], due_month[extend], per["mrr"].to_numpy()[extend],
                                    strict=True):
        table[code, first_col:] += mrr
