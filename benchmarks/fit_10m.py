"""Time the report's model fits on the 10M-order bench file's customers: this tree against another git ref, same run.

The customers are summarised once (untimed) with DuckDB, as ``clv-xl report --engine duckdb`` does
(``clv_xl.engines.duckdb_engine.summarize_files``, days), and saved as arrays. Then each tree (this one, and the
baseline ref's ``clv_xl`` unpacked with ``git archive``) fits, in a child process of its own, the three models of the
report: BG/NBD (the forecast), Gamma-Gamma on the repeat buyers with a positive spend (``fit_models``) and MBG/NBD
(P(alive) of the risk sheet, ``report.risk.mbg_p_alive``). For each fit it prints CPU and wall seconds, the
evaluations of the objective on all distinct rows and on the subset, and the outcome::

    python benchmarks/fit_10m.py --data /work/bench-data --baseline main --lock /work/wt/bench.lock

Measured 2026-11-30 05:33 UTC, ``--baseline main`` (5e0ae22) under the shared lock, load average 3.6-4.0 on the
2 shared cores; 999,970 customers, 560,044 distinct BG/NBD rows, 632,753 Gamma-Gamma rows; evaluations of the
objective on all rows (the subset's 19,312-row evaluations cost ~1/30 of one):

    model        main: cpu   evals  outcome                           fits10: cpu  evals  outcome
    BG/NBD           9.55 s    179  fitted, alpha = e^17.96 (*)            0.98 s      4  fitted, degenerate (one rate)
    Gamma-Gamma     11.87 s    162  fitted, q = 9509                       0.98 s    125  fitted, q = 9478
    MBG/NBD         11.18 s    170  "could not be fitted" (*)              0.82 s      4  fitted, degenerate (one rate)

(*) on the flat r, alpha -> infinity ridge, where main's outcome depends on the order of the rows (the same
customers as DuckDB's sorted histories: BG/NBD fails and MBG/NBD fits). Log-likelihoods: BG/NBD -51044984.973
(main) vs -51044984.993, MBG/NBD -51044984.971, Gamma-Gamma -3904069.933 both. A second run (05:50, load 2.8-3.3):
main 9.14 / 10.69 / 8.77 s, fits10 0.95 / 0.95 / 0.86 s. Main's BG/NBD estimate also forecast NaN for every
customer (eq. (10) overflows at r = 5.7e5); ``report.forecast_data.build_forecast`` on these customers took 26.7 s
on main (all forecasts NaN) and 4.7 s on fits10 (forecasts = the one-rate Poisson forecast).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model_fit import timing_lock  # noqa: E402  (the shared-lock helper)

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
import numpy as np
from clv_xl.models import _beta_geometric as family
from clv_xl.models import BetaGeo, GammaGamma, ModifiedBetaGeo

counts = {"full": 0, "subset": 0}
big = int(sys.argv[2])


def counted(build):
    def factory(*args):
        built = build(*args)
        key = "full" if args[0].size >= big else "subset"

        def fun(theta, _f=built[0]):
            counts[key] += 1
            return _f(theta)

        return (fun, lambda theta: fun(theta)[1], *built[2:])
    return factory


family.objective_factory = counted(family.objective_factory)
GammaGamma._objective_factory = staticmethod(counted(GammaGamma._objective_factory))
data = np.load(sys.argv[1])
x, tx, T, m = data["x"], data["tx"], data["T"], data["m"]
spenders = (x > 0) & (m > 0)
jobs = {
    "BG/NBD": lambda: BetaGeo().fit(x, tx, T),
    "Gamma-Gamma": lambda: GammaGamma().fit(x[spenders], m[spenders]),
    "MBG/NBD": lambda: ModifiedBetaGeo().fit(x, tx, T),
}
for name, job in jobs.items():
    counts.update(full=0, subset=0)
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        model = job()
        outcome = ("fitted, degenerate" if getattr(model, "degenerate", False) else "fitted") + f" {model!r}"
        ll = model.log_likelihood
    except Exception as exc:  # the outcome is the figure here
        outcome, ll = f"{type(exc).__name__}: {str(exc)[:60]}", float("nan")
    print(json.dumps({"model": name, "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                      "full": counts["full"], "subset": counts["subset"], "outcome": outcome, "ll": ll}))
"""


def customers(data: Path, cache: Path) -> Path:
    """Summarise the 10M-order file once (untimed) and keep the model inputs as arrays."""
    if not cache.exists():
        from clv_xl.engines.duckdb_engine import summarize_files

        summary = summarize_files(data / "orders_10000000.parquet", time_unit="D")
        if summary is None:
            raise SystemExit(f"{data / 'orders_10000000.parquet'} is not a plain order file")
        np.savez(cache, x=summary["frequency"].to_numpy(float), tx=summary["recency"].to_numpy(float),
                 T=summary["T"].to_numpy(float), m=summary["monetary_value"].to_numpy(float))
    return cache


def fits(tree: Path, arrays: Path) -> list[dict]:
    """Run the three fits with ``tree``'s clv_xl in a child process; one record per model."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(arrays), "100000"], env=env, check=True, cwd=tree,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/bench-data"), help="folder of orders_10000000.parquet")
    parser.add_argument("--baseline", default="main", help="git ref whose clv_xl is the baseline (default main)")
    parser.add_argument("--lock", type=Path, help="flock this file around the timed fits (the shared bench lock)")
    args = parser.parse_args()
    arrays = customers(args.data, args.data / "fit_10m_customers.npz")
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.baseline, "clv_xl"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        with timing_lock(args.lock):
            load = os.getloadavg()
            runs = {args.baseline: fits(Path(tmp), arrays), "this tree": fits(REPO, arrays)}
            load_after = os.getloadavg()
    print(f"load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} {load_after[2]:.2f}")
    base = {r["model"]: r for r in runs[args.baseline]}
    for label, records in runs.items():
        for r in records:
            ratio = base[r["model"]]["cpu"] / r["cpu"] if r["cpu"] > 0 else float("nan")
            print(f"{label:>10}  {r['model']:<12} cpu {r['cpu']:6.2f} s  wall {r['wall']:6.2f} s  "
                  f"evaluations all rows {r['full']:4d}, subset {r['subset']:4d}  ({ratio:.1f}x faster than "
                  f"{args.baseline})  log-lik {r['ll']:.3f}  {r['outcome']}")


if __name__ == "__main__":
    main()
