"""How fast are the order-table Excel functions? =CLV_SUMMARY and =COHORT_RETENTION over 100,000 orders.

Both sides start from what xlwings hands a function (``ndim=2``: a list of one-cell rows per range; dates as
serial numbers from Office.js or as datetimes from classic Excel) and end with the list of rows that spills.
The baseline is plain pandas on the same lists: one DataFrame, dates converted in one call, a group-by giving
first/last order, repeat days, revenue (CLV_SUMMARY) or a cohort-by-month crosstab (COHORT_RETENTION), and
``tolist()``. clv-xl also checks every cell (empty cells, text, bad dates named by row), cleans ids and amounts
and computes every column. Median of ``--repeat`` interleaved runs. Goal (issue 15): ratio <= 2.

    python benchmarks/udf_summary.py [--orders 100000] [--repeat 5]

Figures (2-core machine shared with other jobs; read the ratio, not the seconds):

===========================================  =========  ==========  ========  ======================
function, dates as                           clv-xl s   pandas s    ratio     load average, repeat
===========================================  =========  ==========  ========  ======================
before (main d318c8e): CLV_SUMMARY            0.80       0.05        16       (issue 15, quiet)
before, CLV_SUMMARY, datetimes                10.8 (1)   -           -         ~10 (profiled run)
00c01a7: CLV_SUMMARY, serial numbers          0.619      0.318       1.95      9.4, 5
00c01a7: COHORT_RETENTION, serial numbers     0.554      0.263       2.11      9.4, 5
00c01a7: CLV_SUMMARY, datetimes               0.717      0.351       2.04      9.4, 5
00c01a7: COHORT_RETENTION, datetimes          0.816      0.394       2.07      9.4, 5
main 9158012, same script, quiet machine      0.152-0.255 0.068-0.111 2.19-2.81 0.2, 5
after (2): CLV_SUMMARY, serial numbers        0.123      0.085       1.46      2.1, 11
after: COHORT_RETENTION, serial numbers       0.118      0.083       1.42      2.1, 11
after: CLV_SUMMARY, datetimes                 0.136      0.087       1.57      2.1, 11
after: COHORT_RETENTION, datetimes            0.127      0.080       1.59      2.1, 11
after, two runs at load 3-4.4, repeat 5       -          -           1.20-1.86 3-4.4, 5
===========================================  =========  ==========  ========  ======================

(1) one call under cProfile on the loaded machine, before the change: 0.58 of the issue's 0.80 s (quiet) was
parsing date cells one at a time. 00c01a7: columns of all numbers, all dates or all text are converted in one
call each.

(2) What the profile of main 9158012 showed (CLV_SUMMARY, serial numbers, ~0.25 s quiet), and what changed:
flattening the one-cell rows (three passes a column: types, lengths, chain) -> one type pass and one unpacking
comprehension; the cell types looked at twice a column (blanks, then types) and every text converted to Arrow twice
-> one look and one Arrow array (``cell_columns.read_cells``); classic Excel datetimes through ``pd.to_datetime``
of objects (41 ms) -> Arrow (23 ms) when none carries a zone; the reader's sort: an object comparison of the ids
of same-day orders, a sorted factorize of 100,000 strings and a stable argsort (timsort, 16 ms) -> a hash
factorize, the 10,000 distinct ids ranked, and one plain sort of distinct integer keys (1 ms); numeric dates
placed by label (``.loc`` with index look-ups) -> by position; the person-name check stripped the whole id column
to look at 1,000 -> only its head; the spilled first/last order dates through ``to_pydatetime`` (10 ms) -> numpy's
``astype(object)``. What remains (timers per stage, CLV_SUMMARY on serial numbers, load ~4): the order reader
(ids, amounts, statuses, sort) 28 %, flattening and typing the cells 23 %, the spilled table 18 %, the summary
16 %, argument checks and the rest 15 %; COHORT_RETENTION has no spilled table to speak of and a 25 % cohort table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from clv_xl.excel import udfs

EPOCH = pd.Timestamp("1899-12-30")


def cells(n_orders: int, seed: int = 3) -> dict[str, list[list[object]]]:
    """Ids, amounts, and dates both ways, as one-cell rows (about 10 orders per customer, three years)."""
    rng = np.random.default_rng(seed)
    customers = rng.integers(0, max(1, n_orders // 10), n_orders)
    days = np.sort(rng.integers(0, 3 * 365, n_orders))
    first = dt.datetime(2022, 1, 1)
    return {
        "ids": [[f"C{c:06d}"] for c in customers],
        "amounts": [[float(a)] for a in np.round(rng.gamma(2.0, 30.0, n_orders), 2)],
        "serials": [[float(44562 + d)] for d in days],
        "datetimes": [[first + dt.timedelta(days=int(d))] for d in days],
    }


def pandas_summary(ids: list, dates: list, amounts: list) -> list[list[object]]:
    frame = pd.DataFrame({"customer_id": [r[0] for r in ids], "date": [r[0] for r in dates],
                          "amount": [r[0] for r in amounts]})
    if frame["date"].dtype.kind == "f":
        frame["date"] = EPOCH + pd.to_timedelta(frame["date"], unit="D")
    else:
        frame["date"] = pd.to_datetime(frame["date"])
    end = frame["date"].max()
    per = frame.groupby("customer_id").agg(first=("date", "min"), last=("date", "max"),
                                           days=("date", "nunique"), orders=("amount", "size"),
                                           revenue=("amount", "sum"))
    per["frequency"] = per["days"] - 1
    per["recency"] = (per["last"] - per["first"]).dt.days
    per["T"] = (end - per["first"]).dt.days
    per["aov"] = per["revenue"] / per["orders"]
    table = per.reset_index()
    return [list(table.columns), *table.to_numpy().tolist()]


def pandas_cohorts(ids: list, dates: list) -> list[list[object]]:
    frame = pd.DataFrame({"customer_id": [r[0] for r in ids], "date": [r[0] for r in dates]})
    if frame["date"].dtype.kind == "f":
        frame["date"] = EPOCH + pd.to_timedelta(frame["date"], unit="D")
    month = pd.Series(frame["date"].dt.to_period("M").array.asi8, index=frame.index)  # months since 1970
    cohort = month.groupby(frame["customer_id"]).transform("min")
    age = month - cohort
    active = frame.assign(cohort=cohort, age=age).drop_duplicates(["customer_id", "cohort", "age"])
    table = pd.crosstab(active["cohort"], active["age"])
    shares = table.div(table[0], axis=0).reset_index()
    return [list(map(str, shares.columns)), *shares.to_numpy().tolist()]


def median_time(job: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        job()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = cells(args.orders)
    print(f"{args.orders:,} orders; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    print(f"{'function, dates as':<38}{'clv-xl s':>10}{'pandas s':>10}{'ratio':>8}")
    for label, dates in (("Office.js serial numbers", data["serials"]), ("classic Excel datetimes", data["datetimes"])):
        jobs = {
            "CLV_SUMMARY": (lambda d=dates: udfs.CLV_SUMMARY(data["ids"], d, data["amounts"]),
                            lambda d=dates: pandas_summary(data["ids"], d, data["amounts"])),
            "COHORT_RETENTION": (lambda d=dates: udfs.COHORT_RETENTION(data["ids"], d),
                                 lambda d=dates: pandas_cohorts(data["ids"], d)),
        }
        for name, (ours, baseline) in jobs.items():
            result = ours()
            if not isinstance(result, list) or len(result) < 2:
                raise SystemExit(f"{name} returned {str(result)[:200]}")
            ours_s, base_s = median_time(ours, args.repeat), median_time(baseline, args.repeat)
            print(f"{name + ', ' + label:<38}{ours_s:>10.3f}{base_s:>10.3f}{ours_s / base_s:>8.2f}")
    print("goal: ratio <= 2")


if __name__ == "__main__":
    main()
