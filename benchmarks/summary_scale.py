"""Time ``clv-xl summary --engine duckdb`` on 10M (or 100M) synthetic orders in Parquet against one hand-written
DuckDB query computing the same table, in the same run; print wall time, peak RSS and their ratio.

The orders (seeded; ~10 per customer, timestamps over three years, amounts with two decimals; plain columns
customer_id, order_date, amount) are written in row groups to a temporary folder and deleted afterwards. Each
side runs in its own process, starting from the Parquet file and ending with one row per customer written as
Parquet; peak RSS is the child's ru_maxrss. The hand-written query applies the same rules (same-day orders are
one transaction, monetary value = mean of the repeat transactions, T to the last order day) in the most direct
SQL (arg_min, window-free), as a user would write it. Goals (issue 15): ratio <= 1.2; 100M orders with peak
RSS <= 4 GB on a 2-core / 24 GB machine.

    python benchmarks/summary_scale.py [--orders 10000000] [--data /work/bench-data] [--repeat 5]
                                       [--memory-limit 3GB] [--hand-memory-limit 3GB]

Figures (2-core machine shared with other jobs; one run each; RSS clv-xl/hand):

==============================  ========  ======  =====  ==========  =====  ====================================
version                         orders    clv s   hand   ratio       RSS    load, note
==============================  ========  ======  =====  ==========  =====  ====================================
main d318c8e                    10M       47.8    24.9   1.92        1.46/1.31  ~11
main 9158012 (issue's "today")  10M       10.6    4.2    2.49        -      quiet
summary branch                  10M       7.0     4.2    1.65        1.62/1.33  1.9 (one kept-count pass less, lazy CLI)
summary branch (3GB both)       100M      105.7   137.3  0.77        5.79/3.09  2.1 (before chunked Parquet writing)
summary branch (2GB both)       100M      -       193.1  -           -/2.29     ~3.5: clv-xl out of DuckDB memory
summary2 (3GB both)             100M      103.2   98.0   1.05        4.58/3.07  1.7 (chunked Parquet writing)
summary2 (3GB, clv-xl alone)    100M      108.3   -      -           4.16/-     allocator threads on; 1 of 2 exited 2*
summary2 (3GB both), 5 runs     10M       6.0-7.3 4.6-5.0  1.20-1.57 ~1.5/1.4   1.4-1.9; median ratio 1.44
==============================  ========  ======  =====  ==========  =====  ====================================

A second 100M run at 3GB (after Parquet was written in chunks) ran out of DuckDB memory, and one of two clv-xl
runs on the summary2 branch exited with status 2 (*its message was not kept; DuckDB's memory limit is the error
that exits 2 there): 3GB is at the edge for 10M customers, while the hand query fits in 2GB; why
clv-xl's query needs more (the cleaning view and its aggregates over the same columns were ruled out one by one
at 2GB: raw columns, DATE days, a materialised CTE all ran out) is not found yet.

Where the time goes at 10M (py-spy, summary2): the summary query 69 % (4.3-4.8 s alone against 4.1 s for the
hand query's; trimming every id cost ~1 s of it before only ids with an edge space were trimmed), writing
Parquet 9 %, deriving the columns in pandas 6.5 %, imports 5-8 %; the source-count and zero-amount passes ~1 %.
Where the 100M peak RSS is (summary2, RSS read between the steps): 3.1 GB when DuckDB's result has become pandas
(DuckDB kept freed memory: its allocator's background threads, now on, took the RSS after the 10M-order query
from 0.95 to 0.34 GB, and the 100M peak from 4.58 to 4.16 GB, one run each), +1.7 GB while
``summary_from_aggregates`` builds the 10M-row table beside the aggregates (pandas stacks same-typed columns
into one block, a copy): that step, not DuckDB, is what a run under 4 GB has to change.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from _process import LAST_CPU_SECONDS, run_child  # benchmarks/ is on sys.path when a script runs

HAND_QUERY = """
COPY (
WITH tx AS (
    SELECT customer_id, CAST(order_date AS DATE) AS day, SUM(amount) AS amount, COUNT(*) AS orders,
           MIN(order_date) AS first_stamp, MAX(order_date) AS last_stamp
    FROM read_parquet('{source}') GROUP BY ALL
),
bounds AS (SELECT MAX(day) AS end_day FROM tx)
SELECT customer_id,
       COUNT(*) - 1 AS frequency,
       date_diff('day', MIN(day), MAX(day)) AS recency,
       date_diff('day', MIN(day), ANY_VALUE(end_day)) AS T,
       CASE WHEN COUNT(*) > 1 THEN (SUM(amount) - arg_min(amount, day)) / (COUNT(*) - 1) ELSE 0 END
           AS monetary_value,
       SUM(orders) AS orders, SUM(amount) AS revenue, MIN(first_stamp) AS first_order,
       MAX(last_stamp) AS last_order
FROM tx, bounds GROUP BY customer_id ORDER BY customer_id
) TO '{target}' (FORMAT parquet)
"""


def customer_ids(numbers: np.ndarray) -> pa.Array:
    """C00000042-style ids built as fixed-width bytes (fast for millions), as an Arrow string array."""
    digits = (numbers[:, None] // 10 ** np.arange(7, -1, -1)) % 10 + ord("0")
    chars = np.concatenate([np.full((len(numbers), 1), ord("C")), digits], axis=1).astype(np.uint8)
    offsets = np.arange(0, 9 * len(numbers) + 1, 9, dtype=np.int32)
    return pa.StringArray.from_buffers(len(numbers), pa.py_buffer(offsets), pa.py_buffer(chars.tobytes()))


def write_orders(path: Path, n_orders: int, seed: int = 20261129, chunk: int = 5_000_000) -> None:
    """Write the seeded orders to ``path`` (through a temporary name, so a half-written file is never reused)."""
    partial = path.with_suffix(".partial")
    rng = np.random.default_rng(seed)
    n_customers = max(1, n_orders // 10)
    start = np.datetime64("2023-01-01T00:00:00", "s")
    schema = pa.schema([("customer_id", pa.string()), ("order_date", pa.timestamp("s")), ("amount", pa.float64())])
    with pq.ParquetWriter(partial, schema) as writer:
        for begin in range(0, n_orders, chunk):
            size = min(chunk, n_orders - begin)
            customers = rng.integers(0, n_customers, size)
            ids = customer_ids(customers)
            seconds = rng.integers(0, 3 * 365 * 86400, size)
            writer.write_table(pa.table({
                "customer_id": ids,
                "order_date": pa.array(start + seconds.astype("timedelta64[s]"), pa.timestamp("s")),
                "amount": pa.array(np.round(rng.gamma(2.0, 25.0, size), 2)),
            }, schema=schema))
    partial.replace(path)


def run_gb(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (all threads) and peak RSS in GB of one child process."""
    wall, peak_mb = run_child(command)
    return wall, LAST_CPU_SECONDS[0], peak_mb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, help="folder keeping the orders file between runs (default: a "
                        "temporary one, deleted afterwards); an existing file of the same size is reused")
    parser.add_argument("--generate-only", action="store_true", help="write the orders file and stop")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side, alternating; the median is printed")
    parser.add_argument("--memory-limit", default="3GB", help="clv-xl's --memory-limit (default 3GB, its own)")
    parser.add_argument("--hand-memory-limit", help="DuckDB memory_limit of the hand-written query (default: the "
                        "same as clv-xl's, like for like; 'default' leaves DuckDB's own, 80%% of RAM)")
    args = parser.parse_args()
    hand_limit = args.hand_memory_limit or args.memory_limit
    with tempfile.TemporaryDirectory() as folder:
        source = (args.data or Path(folder)) / f"orders_{args.orders}.parquet"
        if not source.exists():
            source.parent.mkdir(parents=True, exist_ok=True)
            began = time.perf_counter()
            write_orders(source, args.orders)
            print(f"{args.orders:,} orders written ({source.stat().st_size / 1e6:,.0f} MB Parquet) in "
                  f"{time.perf_counter() - began:.1f} s")
        if args.generate_only:
            return
        hand = HAND_QUERY.format(source=source, target=Path(folder) / "hand.parquet")
        setting = "" if hand_limit == "default" else f"SET memory_limit = '{hand_limit}'; "
        setting += f"SET temp_directory = '{Path(folder) / 'hand_spill'}'; "  # DuckDB's default: .tmp in the cwd
        hand_code = f"import duckdb; duckdb.connect().execute({setting + hand!r})"
        target = Path(folder) / "clv.parquet"
        clv_command = [sys.executable, "-m", "clv_xl", "summary", str(source), "-o", str(target), "--force",
                       "--engine", "duckdb", "--memory-limit", args.memory_limit]
        print(f"memory limit: clv-xl {args.memory_limit}, hand query {hand_limit}")
        print(f"{'run':<5}{'clv s':>7}{'hand s':>8}{'ratio':>7}{'clv CPU':>9}{'hand CPU':>10}{'CPU ratio':>11}"
              f"{'clv GB':>8}{'hand GB':>9}{'load':>6}")
        ratios, cpu_ratios = [], []
        for run in range(1, args.repeat + 1):
            hand_wall, hand_cpu, hand_rss = run_gb([sys.executable, "-c", hand_code])
            clv_wall, clv_cpu, clv_rss = run_gb(clv_command)
            ratios.append(clv_wall / hand_wall)
            cpu_ratios.append(clv_cpu / hand_cpu)
            print(f"{run:<5}{clv_wall:>7.1f}{hand_wall:>8.1f}{ratios[-1]:>7.2f}{clv_cpu:>9.1f}{hand_cpu:>10.1f}"
                  f"{cpu_ratios[-1]:>11.2f}{clv_rss:>8.2f}{hand_rss:>9.2f}{os.getloadavg()[0]:>6.1f}", flush=True)
        print(f"median ratio (clv-xl / hand): wall {np.median(ratios):.2f} (goal <= 1.2), "
              f"CPU seconds {np.median(cpu_ratios):.2f}")


if __name__ == "__main__":
    main()
