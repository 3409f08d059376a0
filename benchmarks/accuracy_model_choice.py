"""Accuracy section "model choice": shops simulated from each purchase model; which model the report chooses.

For each of BG/NBD, MBG/NBD and Pareto/NBD, shops of 20,000 customers (the report's validation sample) are drawn
here with plain numpy from that model, with true parameters set so that the models really differ (weeks):

- BG/NBD (r 0.5, alpha 5, a 1.5, b 4): a customer may drop out only after a repeat purchase (27 % on average
  each time), so one-time buyers all stay alive and keep buying, slowly;
- MBG/NBD (the same parameters): the customer may also drop out right after the first purchase, so about 27 %
  of customers never come back;
- Pareto/NBD (r 0.8, alpha 8, s 1, beta 20): a customer's lifetime runs in calendar time, whatever the purchases
  (heavy buyers do not drop out faster, as they do under the beta-geometric models).

First purchases are spread over the first year, orders run for two years, purchase days are kept to the day (as
in real order files), and the report's own check runs on the orders (clv_xl.report.forecast_data.validate_models:
the last third, 243 days, held out). The score is the holdout log-likelihood per customer (why, see
clv_xl.models.selection: it is a proper scoring rule and uses the timing and number of the holdout purchases, not
only their mean); a simpler model wins when the best is not significantly above it (paired test, z < 2). The
model that drew the shop should be chosen, or tied with a simpler one. BG/BB is left out: it models discrete
opportunities and the report does not compare it on order dates.
Run: python benchmarks/accuracy.py

Measured 2026-11-30 at 5aba8af (after the fast Pareto/NBD tail and the MBG/NBD ridge stop of branch ``tail``):
seeds 1-3, all nine shops, this section alone (model_choice()) under the benchmark lock, 2 cores shared with four
other engineers, load 1.8 at the end. The model that drew the shop was chosen for 9 of 9 shops, as on 2026-11-29
(before ``tail``, load 11), and every score, z, RMSE and holdout error below is the same to the digits shown.
Score = mean holdout log-likelihood per customer; z = paired test of the best against each; the RMSE of expected
holdout purchases is shown for comparison: on the MBG/NBD shops it cannot tell BG/NBD from MBG/NBD (seed 3: it
would pick BG/NBD), the score sets them 5-6 standard errors apart. "-": Pareto/NBD could not be fitted on that
shop (its likelihood keeps rising as s grows: no spread in lifetimes; the comparison says so), still so after
``tail``. Seconds per shop (data drawn, the fits, the scores), before -> after: those two rows 420 and 664 s ->
3.8 and 3.5 s (the failed Pareto/NBD fit was all of it); the other rows 6-9 s -> 0.8-2.1 s (the before figures
were taken at load 11, so part of that gain is the quieter machine).

    drawn from  seed chosen      holdout  score (mean log-lik.)     z against the best   RMSE                     s
                                 error    BG      MBG     Pareto    BG    MBG   Pareto   BG      MBG     Pareto   after
    BG/NBD      1    BG/NBD      +3.4 %   -2.7497 -2.7641 -2.8103   0.0   10.4  20.2     1.2991  1.3132  1.3158   2.1
    BG/NBD      2    BG/NBD      -0.3 %   -2.8316 -2.8473 -         0.0   11.1  -        1.3613  1.3720  -        3.8
    BG/NBD      3    BG/NBD      +1.9 %   -2.8289 -2.8447 -         0.0   11.5  -        1.3860  1.3884  -        3.5
    MBG/NBD     1    MBG/NBD     +2.4 %   -2.2723 -2.2700 -2.2874   5.0   0.0   12.0     1.2205  1.2205  1.2405   0.8
    MBG/NBD     2    MBG/NBD     -1.3 %   -2.3308 -2.3281 -2.3445   5.4   0.0   11.5     1.3145  1.3124  1.3174   1.0
    MBG/NBD     3    MBG/NBD     +0.3 %   -2.3200 -2.3170 -2.3333   6.0   0.0   11.4     1.2732  1.2734  1.2906   1.5
    Pareto/NBD  1    Pareto/NBD  +0.9 %   -2.8434 -2.8083 -2.8064   22.5  3.8   0.0      1.6892  1.6912  1.6854   1.2
    Pareto/NBD  2    Pareto/NBD  -1.5 %   -2.8977 -2.8619 -2.8605   22.9  3.3   0.0      1.7018  1.7006  1.6976   0.9
    Pareto/NBD  3    Pareto/NBD  +0.4 %   -2.8248 -2.7891 -2.7874   23.2  3.7   0.0      1.6828  1.6838  1.6756   1.1
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from clv_xl.report.forecast_data import validate_models

START = pd.Timestamp("2023-01-02")
#: (label of the true model, parameters in weeks: r, alpha and a, b or s, beta)
SHOPS = (
    ("BG/NBD", (0.5, 5.0, 1.5, 4.0)),
    ("MBG/NBD", (0.5, 5.0, 1.5, 4.0)),
    ("Pareto/NBD", (0.8, 8.0, 1.0, 20.0)),
)
SEEDS = (1, 2, 3)
CUSTOMERS = 20_000
DAYS = 730


def _beta_geometric_days(params: tuple[float, ...], span: np.ndarray, rng: np.random.Generator,
                         drop_at_start: bool) -> tuple[np.ndarray, np.ndarray]:
    """Repeat-purchase days after the first purchase: Poisson purchases, a coin of probability p after each."""
    r, alpha, a, b = params
    lam = rng.gamma(r, 1.0 / (alpha * 7), span.size)  # per day
    p = rng.beta(a, b, span.size)
    alive = rng.random(span.size) >= p if drop_at_start else np.ones(span.size, dtype=bool)
    clock = np.zeros(span.size)
    who, when = [], []
    while alive.any():
        clock[alive] += rng.exponential(1.0, alive.sum()) / lam[alive]
        alive &= clock <= span
        who.append(np.flatnonzero(alive))
        when.append(clock[alive])
        alive &= rng.random(span.size) >= p
    return np.concatenate(who), np.concatenate(when)


def _pareto_days(params: tuple[float, ...], span: np.ndarray,
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Repeat-purchase days: Poisson purchases until an exponential lifetime of Gamma(s, beta) distributed rate."""
    r, alpha, s, beta = params
    lam = rng.gamma(r, 1.0 / (alpha * 7), span.size)
    life = rng.exponential(1.0, span.size) / rng.gamma(s, 1.0 / (beta * 7), span.size)
    active = np.minimum(life, span)
    who = np.repeat(np.arange(span.size), rng.poisson(lam * active))
    return who, rng.random(who.size) * active[who]


def shop_orders(label: str, params: tuple[float, ...], n: int = CUSTOMERS, seed: int = 1) -> pd.DataFrame:
    """Orders of ``n`` customers drawn from the model ``label``: first purchases over the first year."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 365, n)
    span = (DAYS - first).astype(float)
    if label == "Pareto/NBD":
        who, when = _pareto_days(params, span, rng)
    else:
        who, when = _beta_geometric_days(params, span, rng, drop_at_start=label == "MBG/NBD")
    customers = np.concatenate([np.arange(n), who])
    days = np.concatenate([first, first[who] + np.floor(when).astype(int)])
    return pd.DataFrame({"customer_id": [f"C{i:05d}" for i in customers],
                         "order_date": START + pd.to_timedelta(days, unit="D"),
                         "amount": np.round(rng.gamma(4.0, 10.0, customers.size) + 1, 2)})


def model_choice() -> None:
    """Model choice: for shops simulated from each purchase model, the chosen model and its holdout error."""
    rows = []
    for label, params in SHOPS:
        for seed in SEEDS:
            started = time.perf_counter()
            comparison, why, _ = validate_models(shop_orders(label, params, seed=seed), None)
            if comparison is None:
                rows.append({"drawn from": label, "seed": seed, "chosen": f"none ({why})"})
                continue
            chosen = comparison.score(comparison.chosen)
            row = {"drawn from": label, "seed": seed, "chosen": chosen.label,
                   "right": "yes" if chosen.label == label else "no",
                   "holdout error": f"{chosen.error:+.1%}",
                   "tied with": ", ".join(comparison.score(k).label for k in comparison.tied_with) or "-"}
            row.update({f"score {s.label}": round(s.log_score, 4) for s in comparison.scores})
            row.update({f"z {s.label}": round(s.z, 1) for s in comparison.scores})
            row.update({f"RMSE {s.label}": round(s.rmse, 4) for s in comparison.scores})
            row["s"] = round(time.perf_counter() - started, 1)
            rows.append(row)
            print(f"  {label} seed {seed}: {chosen.label}", flush=True)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(table.to_string(index=False))
    right = int((table["right"] == "yes").sum()) if "right" in table else 0
    print(f"the model that drew the shop was chosen for {right} of {len(table)} shops")
