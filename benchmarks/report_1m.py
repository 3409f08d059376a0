"""Benchmark: 1,000,000 orders (~100,000 customers) -> `clv-xl report`, against a floor measured in the same run.

Floor: pandas read_csv + the per-customer groupby + writing the same orders and customers rows with openpyxl
write_only (lxml). Each side runs in its own process; the script prints both times, the ratio and peak RSS.
Goal: ratio <= 1.2 (below 1 with the streamed data sheets), peak RSS <= 1.5 GB.

    python benchmarks/report_1m.py [--orders 1000000] [--customers 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

FLOOR = r"""
import json, resource, sys, time
import pandas as pd
from openpyxl import Workbook
t0 = time.perf_counter()
orders = pd.read_csv(sys.argv[1], parse_dates=["order_date"], dtype={"customer_id": str, "order_id": str})
customers = orders.groupby("customer_id").agg(first_order=("order_date", "min"), last_order=("order_date", "max"),
                                              orders=("amount", "size"), revenue=("amount", "sum"))
customers["aov"] = customers["revenue"] / customers["orders"]
customers["frequency"] = orders.groupby("customer_id")["order_date"].nunique() - 1
customers["recency"] = (customers["last_order"] - customers["first_order"]).dt.days
customers["T"] = (orders["order_date"].max() - customers["first_order"]).dt.days
customers = customers.reset_index()
wb = Workbook(write_only=True)
ws = wb.create_sheet("Orders")
ws.append(list(orders.columns))
for row in orders.itertuples(index=False):
    ws.append([row.order_id, row.customer_id, row.order_date.to_pydatetime(), row.amount])
ws = wb.create_sheet("Customers")
ws.append(list(customers.columns))
for row in customers.itertuples(index=False):
    ws.append([row[0], row[1].to_pydatetime(), row[2].to_pydatetime(), *row[3:]])
wb.save(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

OURS = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from clv_xl.cli import main
try:
    main(["report", sys.argv[1], "-o", sys.argv[2], "--force", "--quiet"] + sys.argv[3:], standalone_mode=False)
finally:
    print(json.dumps({"seconds": time.perf_counter() - t0,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_orders(path: Path, n_orders: int, n_customers: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    weights = rng.gamma(0.8, 1.0, n_customers)
    customer = rng.choice(n_customers, size=n_orders, p=weights / weights.sum())
    start = rng.integers(0, 900, n_customers)
    days = np.minimum(start[customer] + rng.exponential(120, n_orders).astype(int), 1094)
    frame = pd.DataFrame({
        "order_id": [f"O{i:07d}" for i in range(n_orders)],
        "customer_id": [f"C{c:06d}" for c in customer],
        "order_date": (pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
        "amount": np.round(rng.gamma(3.0, 20.0, n_orders) + 1, 2),
    }).sort_values("order_date", kind="stable")
    frame.to_csv(path, index=False)


def run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    parser.add_argument("--no-forecast", action="store_true", help="pass --no-forecast to clv-xl report")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="clv-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / "orders.csv"
    t0 = time.perf_counter()
    make_orders(csv, args.orders, args.customers)
    print(f"data: {args.orders:,} orders in {csv} ({time.perf_counter() - t0:.1f} s to generate)")
    floor = run(FLOOR, str(csv), str(folder / "floor.xlsx"))
    ours = run(OURS, str(csv), str(folder / "report.xlsx"), *(["--no-forecast"] if args.no_forecast else []))
    print(f"floor (read_csv + groupby + openpyxl write_only): {floor['seconds']:.1f} s, "
          f"peak RSS {floor['peak_rss_mb']:.0f} MB")
    print(f"clv-xl report:                                    {ours['seconds']:.1f} s, "
          f"peak RSS {ours['peak_rss_mb']:.0f} MB")
    print(f"ratio report / floor: {ours['seconds'] / floor['seconds']:.2f}  (goal <= 1.2; peak RSS goal <= 1536 MB)")


if __name__ == "__main__":
    main()
