"""Time the subscription analysis on a million charges, and the recurring-billing check every report now runs.

Baseline in the same run: one pandas ``groupby(customer_id).amount.sum()`` over the same rows (the cheapest
per-customer pass a report makes). Prints seconds and ratios. Run: ``python benchmarks/subscriptions.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from clv_xl.orders import read_orders
from clv_xl.subscriptions import analyze_subscriptions, detect_billing

CDNOW = Path(__file__).resolve().parents[1] / "tests" / "data" / "cdnow" / "CDNOW_master.txt"


def billing_export(customers: int = 100_000, months: int = 36, seed: int = 0) -> pd.DataFrame:
    """Monthly charges of ``customers`` subscribers joining over ``months`` months, 6 % monthly churn."""
    rng = np.random.default_rng(seed)
    start = rng.integers(0, months, customers)
    stop = np.minimum(start + rng.geometric(0.06, customers), months)
    customer = np.repeat(np.arange(customers), stop - start)
    month = np.concatenate([np.arange(a, b) for a, b in zip(start, stop, strict=True)])
    day = rng.integers(0, 28, customers)[customer]
    first = pd.Timestamp("2022-01-01")
    dates = pd.DatetimeIndex([first]).repeat(len(month)) + pd.to_timedelta(month * 30.44 + day, unit="D")
    return pd.DataFrame({"customer_id": pd.Series(customer).astype(str).radd("c"),
                         "order_date": dates.normalize(), "amount": 49.0})


def timed(label: str, job, baseline: float) -> float:  # noqa: ANN001
    begin = time.perf_counter()
    job()
    seconds = time.perf_counter() - begin
    print(f"{label:<52} {seconds:6.2f} s   {seconds / baseline:5.1f} x baseline")
    return seconds


def main() -> None:
    charges = billing_export()
    begin = time.perf_counter()
    charges.groupby("customer_id")["amount"].sum()
    baseline = time.perf_counter() - begin
    print(f"{len(charges):,} charges; baseline groupby-sum {baseline:.2f} s")
    timed("analyze_subscriptions (detect, MRR, movements, sBG)", lambda: analyze_subscriptions(charges), baseline)
    shop = read_orders(CDNOW)
    big = pd.concat([shop.assign(customer_id=shop["customer_id"] + f"_{i}") for i in range(15)], ignore_index=True)
    begin = time.perf_counter()
    big.groupby("customer_id")["amount"].sum()
    shop_baseline = time.perf_counter() - begin
    print(f"{len(big):,} shop orders (CDNOW x 15); baseline groupby-sum {shop_baseline:.2f} s")
    timed("detect_billing on a shop (added to every report)", lambda: detect_billing(big), shop_baseline)


if __name__ == "__main__":
    main()
