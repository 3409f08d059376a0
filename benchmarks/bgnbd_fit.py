"""Time clv-xl's BG/NBD fit against lifetimes' BetaGeoFitter on the same rows, in one run.

lifetimes (archived, needs numpy<2 / pandas<2) never enters clv-xl's environment: this script runs it in a
separate virtual environment, created on first use from ``benchmarks/requirements-lifetimes.txt``::

    python benchmarks/bgnbd_fit.py                      # 200,000 customers vs lifetimes, then 1,000,000 alone
    python benchmarks/bgnbd_fit.py --lifetimes-python /path/to/venv/bin/python
    python benchmarks/bgnbd_fit.py --skip-lifetimes     # clv-xl only

Data: customers simulated from the BG/NBD process with the CDNOW parameters (r=0.243, alpha=4.414 weeks,
a=0.793, b=2.426), first purchases spread over two years, purchase days recorded to the day and expressed in
weeks (days / 7), as clv_xl.customers.summarize does. Goals (issue 6): >= 10x faster than lifetimes with the same
parameters to 1e-3, and 1,000,000 customers in under 2 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import numpy as np

from clv_xl.models import BetaGeo
from clv_xl.models.simulate import simulate_bgnbd_summary

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements-lifetimes.txt"
DEFAULT_VENV = Path(tempfile.gettempdir()) / "clv-xl-lifetimes-venv"
NAMES = ("r", "alpha", "a", "b")

LIFETIMES_RUNNER = r"""
import json, sys, time
import numpy as np
from lifetimes import BetaGeoFitter
data = np.load(sys.argv[1])
x, tx, T = data["frequency"], data["recency"], data["T"]
start = time.perf_counter()
model = BetaGeoFitter(penalizer_coef=0.0).fit(x, tx, T)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "params": {k: float(v) for k, v in model.params_.items()}}))
"""


def simulate(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t_days = rng.integers(1, 731, size=n).astype(float)
    x, tx_days = simulate_bgnbd_summary(0.243, 4.414 * 7, 0.793, 2.426, t_days, rng)
    return x, np.floor(tx_days) / 7.0, t_days / 7.0


def lifetimes_python(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    python = DEFAULT_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {DEFAULT_VENV} with {REQUIREMENTS.name} ...", flush=True)
        venv.create(DEFAULT_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True)
    return python


def time_ours(x, tx, T, repeats: int, with_se: bool) -> tuple[float, BetaGeo]:
    times = []
    model = BetaGeo()
    for _ in range(repeats):
        start = time.perf_counter()
        model = BetaGeo().fit(x, tx, T)
        if with_se:
            _ = model.standard_errors
        times.append(time.perf_counter() - start)
    return statistics.median(times), model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200_000, help="customers in the comparison")
    parser.add_argument("--n-large", type=int, default=1_000_000, help="customers in the clv-xl-only run")
    parser.add_argument("--repeats", type=int, default=3, help="clv-xl timings to take the median of")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--lifetimes-python", help="python of an environment with lifetimes installed")
    parser.add_argument("--skip-lifetimes", action="store_true")
    args = parser.parse_args()

    x, tx, T = simulate(args.n, args.seed)
    print(f"{args.n:,} customers, {np.unique(np.c_[x, tx, T], axis=0).shape[0]:,} distinct (x, t_x, T) rows")
    ours_fit, ours = time_ours(x, tx, T, args.repeats, with_se=False)
    ours_full, _ = time_ours(x, tx, T, args.repeats, with_se=True)
    print(f"clv-xl BetaGeo.fit:                       {ours_fit:8.3f} s (median of {args.repeats})")
    print(f"clv-xl BetaGeo.fit + standard errors:     {ours_full:8.3f} s (lifetimes' fit includes its Hessian)")

    if not args.skip_lifetimes:
        python = lifetimes_python(args.lifetimes_python)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "rows.npz"
            np.savez(path, frequency=x, recency=tx, T=T)
            out = subprocess.run(
                [str(python), "-c", LIFETIMES_RUNNER, str(path)], check=True, capture_output=True, text=True
            )
        theirs = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"lifetimes BetaGeoFitter.fit:              {theirs['seconds']:8.3f} s (one run)")
        print(f"ratio lifetimes / clv-xl (fit):           {theirs['seconds'] / ours_fit:8.1f}x  (goal >= 10x)")
        print(f"ratio lifetimes / clv-xl (fit + SE):      {theirs['seconds'] / ours_full:8.1f}x")
        print(f"{'param':>6} {'clv-xl':>12} {'lifetimes':>12} {'abs diff':>10} {'rel diff':>10}")
        for name in NAMES:
            a, b = ours.params[name], theirs["params"][name]
            print(f"{name:>6} {a:12.6f} {b:12.6f} {abs(a - b):10.2e} {abs(a - b) / abs(b):10.2e}")
        ll_theirs = BetaGeo.from_params(**theirs["params"]).individual_log_likelihood(x, tx, T).sum()
        print(f"log-likelihood at clv-xl's estimates {ours.log_likelihood:.4f}, at lifetimes' {ll_theirs:.4f}")

    if args.n_large:
        xl, txl, Tl = simulate(args.n_large, args.seed + 1)
        large_fit, _ = time_ours(xl, txl, Tl, args.repeats, with_se=False)
        large_full, big = time_ours(xl, txl, Tl, args.repeats, with_se=True)
        print(
            f"{args.n_large:,} customers: clv-xl fit {large_fit:.3f} s, fit + SE {large_full:.3f} s "
            f"(median of {args.repeats}; goal < 2 s); {big}"
        )


if __name__ == "__main__":
    sys.exit(main())
