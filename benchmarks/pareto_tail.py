"""Pareto/NBD on regular buyers: the likelihood's tail function near z = 1, and the fit, against scipy's 2F1.

A shop whose customers all drop out alike (2,000 customers who buy at Poisson rates from Gamma(0.8, 20 days) and
stop after each purchase with the same probability 0.1, drawn here with plain numpy, seen as the report's holdout
check sees them) has no spread in lifetimes, so the Pareto/NBD search walks along s, beta -> infinity, where the
argument z of the tail's hypergeometric function tends to 1. The baseline is the tail as it was: scipy's hyp2f1
after Euler's transformation (DLMF 15.8.1), for every z; the job is :func:`clv_xl.models._special.log_pareto_tail`
(the same below z = 1/2, quadrature above). Both fits end the same way: on the ridge, "could not be fitted".

Run: flock /work/wt/bench.lock python benchmarks/pareto_tail.py [--no-fit]

Measured 2026-11-30 (2 cores shared with four other engineers, load 3.4):

    tail, the distinct (x, t) at s = 166, beta = 4,700 (1 - z ~ 1e-3): 1.61 ms, scipy 22.8 ms, ratio 14.2x
    Pareto/NBD fit on regular buyers: 4.3 s -> not fitted (Pareto/NBD could not be fitted: its likelihood ...)
      with scipy's tail: 58.5 s -> not fitted (Pareto/NBD could not be fitted: its likelihood ...)
      ratio 13.5x

On the report's own data the holdout check's Pareto/NBD fit went from 88 s to 6 s
(tests/test_report_forecast.py's degenerate shop) and from 164 s to 7 s (tests/test_honest_clv.py's subscription
shop).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np
from scipy.special import hyp2f1

import clv_xl.models.pareto_nbd as pareto_module
from clv_xl.errors import ConvergenceError
from clv_xl.models import ParetoNBD
from clv_xl.models._special import log_pareto_tail


def scipy_tail(M: np.ndarray, e: np.ndarray, c: float, o: float, t: np.ndarray) -> np.ndarray:
    """The baseline: the tail before this change, scipy's 2F1 after Euler's transformation for every z."""
    log_c = np.log(c + t)
    z = (c - o) / (c + t)
    return -M * log_c + (1.0 - e) * (np.log(o + t) - log_c) + np.log(hyp2f1(1.0, M + 1.0 - e, M + 1.0, z))


def regular_buyers(n: int = 2000, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frequency, recency, T) in weeks of customers who all stop after a purchase with probability 0.1.

    As the report's holdout check sees them: first purchases over 300 days, calibration up to day 267, purchase
    days whole.
    """
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 300, n)
    first = first[first <= 267]
    span = (267 - first).astype(float)
    rate = rng.gamma(0.8, 1 / 20.0, span.size)
    x, tx, clock = np.zeros(span.size), np.zeros(span.size), np.zeros(span.size)
    alive = np.ones(span.size, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        clock[idx] += rng.exponential(1 / rate[idx])
        seen = clock[idx] <= span[idx]
        x[idx[seen]] += 1
        tx[idx[seen]] = np.floor(clock[idx[seen]])
        alive[idx[~seen]] = False
        alive[idx[seen]] = rng.random(int(seen.sum())) >= 0.1
    return x, tx / 7, span / 7


def per_call(tail: Callable[..., np.ndarray], repeat: int) -> float:
    """Seconds per call on the distinct (x, t) of the regular buyers, at a point the fit's search reaches."""
    x, tx, T = regular_buyers()
    pairs = np.unique(np.column_stack([np.concatenate([x, x]), np.concatenate([tx, T])]), axis=0)
    r, alpha, s, beta = 1.43, 5.45, 166.0, 4700.0  # alpha < beta: e = r + x
    start = time.perf_counter()
    for _ in range(repeat):
        tail(r + s + pairs[:, 0], r + pairs[:, 0], beta, alpha, pairs[:, 1])
    return (time.perf_counter() - start) / repeat


def fit_seconds(tail: Callable[..., np.ndarray]) -> tuple[float, str]:
    x, tx, T = regular_buyers()
    pareto_module.log_pareto_tail = tail  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        try:
            outcome = repr(ParetoNBD().fit(x, tx, T))
        except ConvergenceError as exc:
            outcome = f"not fitted ({str(exc)[:60]}...)"
        return time.perf_counter() - start, outcome
    finally:
        pareto_module.log_pareto_tail = log_pareto_tail


def main() -> None:
    new, old = per_call(log_pareto_tail, 50), per_call(scipy_tail, 5)
    print(f"tail, the distinct (x, t) at s = 166, beta = 4,700 (1 - z ~ 1e-3): {new * 1e3:.2f} ms, "
          f"scipy {old * 1e3:.1f} ms, ratio {old / new:.1f}x")
    if "--no-fit" in sys.argv:
        return
    new_fit, new_outcome = fit_seconds(log_pareto_tail)
    print(f"Pareto/NBD fit on regular buyers: {new_fit:.1f} s -> {new_outcome}", flush=True)
    old_fit, old_outcome = fit_seconds(scipy_tail)
    print(f"  with scipy's tail: {old_fit:.1f} s -> {old_outcome}")
    print(f"  ratio {old_fit / new_fit:.1f}x")


if __name__ == "__main__":
    main()
