"""Time read_orders + summarize on a 1,000,000-order CSV against bare pandas read_csv + groupby, in one run.

The CSV (seeded, written to a temporary folder and deleted afterwards) looks like a shop export: order id,
customer id, ISO order timestamp, amount with two decimals, rows in date order as shops export them. The same
rows shuffled are timed too: read_orders then has to sort them (its output is sorted by date and customer),
which the baseline never does. Both sides start from the file on disk and end with one row per customer. Each
is run three times; the medians and their ratio are printed (goal: ratio <= 1.5).

    python benchmarks/summary_1m.py [--orders 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from clv_xl.customers import summarize
from clv_xl.orders import read_orders


def write_orders(path: Path, n_orders: int, seed: int = 20261122, shuffled: bool = False) -> None:
    rng = np.random.default_rng(seed)
    n_customers = max(1, n_orders // 10)
    customers = rng.integers(0, n_customers, n_orders)
    start = np.datetime64("2023-01-01T00:00:00", "s")
    seconds = rng.integers(0, 2 * 365 * 86400, n_orders)
    frame = pd.DataFrame(
        {
            "order_id": np.arange(100_000, 100_000 + n_orders),
            "customer_id": pd.Series(customers).map("C{:07d}".format),
            "order_date": (start + seconds.astype("timedelta64[s]")).astype("datetime64[s]"),
            "amount": np.round(rng.gamma(2.0, 25.0, n_orders), 2),
        }
    )
    frame = frame.sort_values("order_date", kind="stable") if not shuffled else frame
    frame = frame.assign(order_id=np.arange(100_000, 100_000 + n_orders))  # order numbers follow time
    frame.to_csv(path, index=False, date_format="%Y-%m-%d %H:%M:%S")


def baseline(path: Path) -> pd.DataFrame:
    orders = pd.read_csv(path, parse_dates=["order_date"], dtype={"customer_id": str})
    return orders.groupby("customer_id").agg(
        orders=("amount", "size"),
        revenue=("amount", "sum"),
        first_order=("order_date", "min"),
        last_order=("order_date", "max"),
    )


def clv_xl_summary(path: Path) -> pd.DataFrame:
    return summarize(read_orders(path))


def timed(function, path: Path, repeat: int) -> tuple[float, pd.DataFrame]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function(path)
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for shuffled in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "orders.csv"
            write_orders(path, args.orders, shuffled=shuffled)
            size_mb = path.stat().st_size / 1e6
            base_time, base = timed(baseline, path, args.repeat)
            ours_time, ours = timed(clv_xl_summary, path, args.repeat)
        assert len(ours) == len(base) and np.allclose(ours["revenue"].to_numpy(), base["revenue"].to_numpy())
        kind = "rows shuffled" if shuffled else "rows in date order (as exported)"
        print(f"{args.orders:,} orders, {len(ours):,} customers, CSV {size_mb:.1f} MB, {kind}; "
              f"median of {args.repeat} runs")
        print(f"  pandas read_csv + groupby : {base_time:6.2f} s")
        print(f"  read_orders + summarize   : {ours_time:6.2f} s")
        print(f"  ratio                     : {ours_time / base_time:6.2f}x  (goal <= 1.5x)")

if __name__ == "__main__":
    main()
