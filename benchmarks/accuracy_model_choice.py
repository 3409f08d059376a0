"""Accuracy section "model choice": shops simulated from each purchase model; which model the report chooses.

For each of BG/NBD, MBG/NBD and Pareto/NBD, a shop of 6,000 customers is drawn from that model with the CDNOW
estimates (weeks; first purchases over the first year, two years of orders, purchase days kept to the day) and the
report's holdout check runs on it (clv_xl.report.forecast_data.validate_models: the last third held out). The
table gives the chosen model, its holdout error and each model's root mean squared error per customer (the
score); the model that drew the shop should win, or tie (within 0.1 %) with a simpler one.
Run: python benchmarks/accuracy.py

Measured (2 shared cores, seed 12): BG/NBD shop -> BG/NBD (+7.5 % holdout error); MBG/NBD shop -> BG/NBD, tied
with MBG/NBD (RMSE 1.1678 vs 1.1667); Pareto/NBD shop -> Pareto/NBD (-1.0 %).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from clv_xl.models.simulate import simulate_repeat_purchases
from clv_xl.report.forecast_data import validate_models

START = pd.Timestamp("2023-01-02")
#: (label of the true model, parameters in weeks)
SHOPS = (
    ("BG/NBD", (0.243, 4.414, 0.793, 2.426)),
    ("MBG/NBD", (0.525, 6.183, 0.891, 1.614)),
    ("Pareto/NBD", (0.553, 10.578, 0.606, 11.669)),
)


def _purchase_days(label: str, params: tuple[float, ...], T: np.ndarray, rng: np.random.Generator):
    """Customer positions and purchase times (days after the first purchase) drawn from the model ``label``."""
    r, alpha, c, d = params
    if label == "Pareto/NBD":
        lam = rng.gamma(r, 1 / (alpha * 7), T.size)
        lifetime = rng.exponential(1.0, T.size) / rng.gamma(c, 1 / (d * 7), T.size)
        active = np.minimum(lifetime, T)
        who = np.repeat(np.arange(T.size), rng.poisson(lam * active))
        return who, rng.random(who.size) * active[who]
    return simulate_repeat_purchases(r, alpha * 7, c, d, T, rng, drop_at_start=label == "MBG/NBD")


def shop_orders(label: str, params: tuple[float, ...], n: int = 6000, seed: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 365, n)
    who, when = _purchase_days(label, params, (730 - first).astype(float), rng)
    customers = np.concatenate([np.arange(n), who])
    days = np.concatenate([first, first[who] + np.floor(when).astype(int)])
    return pd.DataFrame({"customer_id": [f"C{i:05d}" for i in customers],
                         "order_date": START + pd.to_timedelta(days, unit="D"),
                         "amount": np.round(rng.gamma(4.0, 10.0, customers.size) + 1, 2)})


def model_choice() -> None:
    """Model choice: for shops simulated from each purchase model, the chosen model and its holdout error."""
    rows = []
    for label, params in SHOPS:
        started = time.perf_counter()
        comparison, why, _ = validate_models(shop_orders(label, params), None)
        if comparison is None:
            rows.append({"shop drawn from": label, "chosen": f"none ({why})"})
            continue
        chosen = comparison.score(comparison.chosen)
        row = {"shop drawn from": label, "chosen": chosen.label,
               "holdout error of the chosen": f"{chosen.error:+.1%}",
               "tied with": ", ".join(comparison.score(k).label for k in comparison.tied_with) or "-"}
        row.update({f"RMSE {s.label}": round(s.rmse, 4) for s in comparison.scores})
        row["seconds"] = round(time.perf_counter() - started, 1)
        rows.append(row)
    print(pd.DataFrame(rows).to_string(index=False))
