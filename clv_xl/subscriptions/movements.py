"""Stage 3: MRR movements month by month, and each customer's first subscription spell.

Definitions (ChartMogul, "MRR movements"; Baremetrics uses the same five), for a month ``m`` and a customer whose
MRR was ``p`` in ``m - 1`` and is ``c`` in ``m``:

- **new**: ``p = 0``, ``c > 0``, and the customer never had MRR before: ``+c``;
- **reactivation**: ``p = 0``, ``c > 0``, and the customer had MRR in some earlier month: ``+c``;
- **expansion**: ``0 < p < c``: ``+(c - p)``;
- **contraction**: ``0 < c < p``: ``-(p - c)``;
- **churn**: ``p > 0``, ``c = 0``: ``-p``, counted in the first month without MRR.

So ``MRR(m) = MRR(m - 1) + new + reactivation + expansion - contraction - churn`` exactly. Every customer with
MRR in the first month of the data counts as new in that month (nothing earlier is known).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MOVEMENTS", "mrr_movements", "first_spells"]

#: Movement columns of :func:`mrr_movements`, with their sign in the MRR bridge.
MOVEMENTS: dict[str, int] = {"new": 1, "reactivation": 1, "expansion": 1, "contraction": -1, "churn": -1}

#: Changes smaller than this (in currency) are rounding, not movements.
_TOLERANCE = 1e-6


def mrr_movements(mrr: pd.DataFrame) -> pd.DataFrame:
    """The MRR bridge per month: starting MRR, the five movements, ending MRR, and customer counts.

    Parameters
    ----------
    mrr : DataFrame
        Output of :func:`clv_xl.subscriptions.monthly_mrr` (customers × months).

    Returns
    -------
    DataFrame
        One row per month (index ``month``, ``pandas.Period``) with ``mrr_start``, ``new``, ``reactivation``,
        ``expansion``, ``contraction``, ``churn`` (contraction and churn as positive amounts), ``mrr_end``,
        ``customers_start``, ``new_customers``, ``reactivated_customers``, ``churned_customers``,
        ``customers_end`` and ``arpa`` (``mrr_end / customers_end``, 0 without customers).

    Examples
    --------
    >>> months = pd.period_range("2024-01", periods=4, freq="M")
    >>> mrr = pd.DataFrame([[10, 10, 15, 15], [20, 0, 0, 20], [0, 30, 25, 0]], index=list("abc"),
    ...                    columns=months, dtype=float)
    >>> mrr_movements(mrr)[["mrr_start", "new", "reactivation", "expansion", "contraction", "churn",
    ...                      "mrr_end", "churned_customers"]].to_numpy().tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[0.0, 30.0, 0.0, 0.0, 0.0, 0.0, 30.0, 0.0], [30.0, 30.0, 0.0, 0.0, 0.0, 20.0, 40.0, 1.0],
     [40.0, 0.0, 0.0, 5.0, 5.0, 0.0, 40.0, 0.0], [40.0, 0.0, 20.0, 0.0, 0.0, 25.0, 35.0, 1.0]]
    """
    cur = mrr.to_numpy(dtype=np.float64)
    prev = np.hstack([np.zeros((cur.shape[0], 1)), cur[:, :-1]])
    was, now = prev > _TOLERANCE, cur > _TOLERANCE
    seen_before = np.hstack([np.zeros((cur.shape[0], 1), dtype=bool),
                             np.logical_or.accumulate(now, axis=1)[:, :-1]])
    starts = now & ~was
    new = starts & ~seen_before
    back = starts & seen_before
    up = was & now & (cur - prev > _TOLERANCE)
    down = was & now & (prev - cur > _TOLERANCE)
    lost = was & ~now
    frame = pd.DataFrame({
        "mrr_start": prev.sum(axis=0),
        "new": np.where(new, cur, 0).sum(axis=0),
        "reactivation": np.where(back, cur, 0).sum(axis=0),
        "expansion": np.where(up, cur - prev, 0).sum(axis=0),
        "contraction": np.where(down, prev - cur, 0).sum(axis=0),
        "churn": np.where(lost, prev, 0).sum(axis=0),
        "mrr_end": cur.sum(axis=0),
        "customers_start": was.sum(axis=0),
        "new_customers": new.sum(axis=0),
        "reactivated_customers": back.sum(axis=0),
        "churned_customers": lost.sum(axis=0),
        "customers_end": now.sum(axis=0),
    }, index=pd.Index(mrr.columns, name="month"))
    counts = ["customers_start", "new_customers", "reactivated_customers", "churned_customers", "customers_end"]
    frame[counts] = frame[counts].astype("int64")
    frame["arpa"] = np.where(frame["customers_end"] > 0, frame["mrr_end"] / frame["customers_end"].clip(lower=1),
                             0.0)
    return frame


def first_spells(mrr: pd.DataFrame) -> pd.DataFrame:
    """Each customer's first subscription spell: start month, months paid, and whether it ended.

    The spell runs from the first month with MRR through the consecutive months with MRR; a return after a gap
    (a reactivation) is not part of it. It *ended* when a month without MRR follows it inside the data. This is
    the per-customer input of :meth:`clv_xl.models.ShiftedBetaGeometric.fit` (``tenure``, ``churned``).

    Parameters
    ----------
    mrr : DataFrame
        Output of :func:`clv_xl.subscriptions.monthly_mrr`.

    Returns
    -------
    DataFrame
        Index ``customer_id``; columns ``start`` (Period), ``tenure`` (months, >= 1), ``churned`` (bool),
        ``start_mrr`` (MRR in the first month).

    Examples
    --------
    >>> months = pd.period_range("2024-01", periods=4, freq="M")
    >>> mrr = pd.DataFrame([[10, 10, 0, 10], [0, 5, 5, 5]], index=["a", "b"], columns=months, dtype=float)
    >>> first_spells(mrr)[["tenure", "churned"]].to_dict("index")
    {'a': {'tenure': 2, 'churned': True}, 'b': {'tenure': 3, 'churned': False}}
    """
    active = mrr.to_numpy(dtype=np.float64) > _TOLERANCE
    has = active.any(axis=1)
    first = np.argmax(active, axis=1)
    n = active.shape[1]
    cols = np.arange(n)
    after = (cols[None, :] >= first[:, None]) & ~active
    ended = after.any(axis=1)
    stop = np.where(ended, np.argmax(after, axis=1), n)
    frame = pd.DataFrame({
        "start": mrr.columns[first],
        "tenure": (stop - first).astype("int64"),
        "churned": ended,
        "start_mrr": mrr.to_numpy()[np.arange(len(first)), first],
    }, index=mrr.index)
    return frame[has]
