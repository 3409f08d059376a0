"""Simulate customer histories from the BG/NBD and Gamma-Gamma processes (for tests, benchmarks and demo data).

The processes are those of Fader, Hardie & Lee (2005): while alive, a customer buys at Poisson rate
``lambda ~ Gamma(r, alpha)`` and drops out after each repeat purchase with probability ``p ~ Beta(a, b)``; each
transaction is worth ``Gamma(p_spend, nu)`` with ``nu ~ Gamma(q, gamma)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from clv_xl.errors import InvalidArgumentError
from clv_xl.models._common import as_float_array

__all__ = [
    "simulate_repeat_purchases",
    "simulate_bgnbd_summary",
    "simulate_mbgnbd_summary",
    "simulate_pareto_nbd_summary",
    "simulate_bgbb_summary",
    "simulate_spend",
]


def _positive(name: str, value: float) -> float:
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise InvalidArgumentError(name, f"{name} must be a number > 0; got {value!r}")
    return v


def simulate_repeat_purchases(
    r: float, alpha: float, a: float, b: float, T: Any, rng: np.random.Generator, *, drop_at_start: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Draw the repeat-purchase times of customers observed for ``T`` time units after their first purchase.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters (``alpha`` in the time unit of ``T``).
    T : array-like
        Observation length of each customer (>= 0).
    rng : numpy.random.Generator
        Source of randomness (pass a seeded generator for reproducible draws).
    drop_at_start : bool, default False
        Let customers drop out right after the first purchase too (the MBG/NBD process).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Customer positions (int64) and purchase times (float64, measured from each customer's first
        purchase), sorted by customer then time.

    Examples
    --------
    >>> who, when = simulate_repeat_purchases(0.5, 5.0, 1.0, 3.0, [52.0] * 3, np.random.default_rng(1))
    >>> bool(np.all(when <= 52.0)), who.dtype.name
    (True, 'int64')
    """
    r, alpha, a, b = (_positive(n, v) for n, v in zip("r alpha a b".split(), (r, alpha, a, b), strict=True))
    t_obs = as_float_array("T", T)
    n = t_obs.size
    lam = rng.gamma(r, 1.0 / alpha, size=n)
    drop = rng.beta(a, b, size=n)
    clock = np.zeros(n)
    active = np.flatnonzero(lam > 0)
    if drop_at_start:
        active = active[rng.random(active.size) >= drop[active]]
    who: list[np.ndarray] = []
    when: list[np.ndarray] = []
    while active.size:
        clock[active] += rng.exponential(1.0, size=active.size) / lam[active]
        active = active[clock[active] <= t_obs[active]]
        who.append(active)
        when.append(clock[active].copy())
        active = active[rng.random(active.size) >= drop[active]]
    if not who:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.concatenate(who).astype(np.int64)
    times = np.concatenate(when)
    order = np.lexsort((times, idx))
    return idx[order], times[order]


def simulate_bgnbd_summary(
    r: float, alpha: float, a: float, b: float, T: Any, rng: np.random.Generator, *, drop_at_start: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Draw (frequency, recency) for customers observed for ``T``, from the BG/NBD process.

    Examples
    --------
    >>> x, tx = simulate_bgnbd_summary(0.25, 4.0, 0.8, 2.5, np.full(1000, 39.0), np.random.default_rng(0))
    >>> bool(np.all(tx[x == 0] == 0)), bool(np.all(tx <= 39.0))
    (True, True)
    """
    t_obs = as_float_array("T", T)
    who, when = simulate_repeat_purchases(r, alpha, a, b, t_obs, rng, drop_at_start=drop_at_start)
    frequency = np.bincount(who, minlength=t_obs.size).astype(float)
    recency = np.zeros(t_obs.size)
    np.maximum.at(recency, who, when)
    return frequency, recency


def simulate_mbgnbd_summary(
    r: float, alpha: float, a: float, b: float, T: Any, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw (frequency, recency) from the MBG/NBD process (drop-out possible right after the first purchase).

    Examples
    --------
    >>> x, tx = simulate_mbgnbd_summary(0.5, 6.0, 0.9, 1.6, np.full(1000, 39.0), np.random.default_rng(0))
    >>> bool(np.all(tx[x == 0] == 0))
    True
    """
    return simulate_bgnbd_summary(r, alpha, a, b, T, rng, drop_at_start=True)


def simulate_pareto_nbd_summary(
    r: float, alpha: float, s: float, beta: float, T: Any, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw (frequency, recency) from the Pareto/NBD process: Poisson purchases until an exponential lifetime.

    ``lambda ~ Gamma(r, alpha)``, ``mu ~ Gamma(s, beta)``, lifetime ``~ Exponential(mu)``; the repeat purchases in
    ``[0, min(lifetime, T)]`` are Poisson and, given their number x, the last is the largest of x uniform times.

    Examples
    --------
    >>> x, tx = simulate_pareto_nbd_summary(0.55, 10.6, 0.61, 11.7, np.full(1000, 39.0), np.random.default_rng(0))
    >>> bool(np.all(tx <= 39.0)), bool(np.all(tx[x == 0] == 0))
    (True, True)
    """
    r, alpha, s, beta = (_positive(n, v) for n, v in zip(("r", "alpha", "s", "beta"), (r, alpha, s, beta), strict=True))
    t_obs = as_float_array("T", T)
    n = t_obs.size
    lam = rng.gamma(r, 1.0 / alpha, size=n)
    lifetime = rng.exponential(1.0, size=n) / rng.gamma(s, 1.0 / beta, size=n)
    active = np.minimum(lifetime, t_obs)
    frequency = rng.poisson(lam * active).astype(float)
    recency = np.where(frequency > 0, active * rng.random(n) ** (1.0 / np.maximum(frequency, 1.0)), 0.0)
    return frequency, recency


def simulate_bgbb_summary(
    alpha: float, beta: float, gamma: float, delta: float, n_opportunities: int, n_customers: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw (frequency, recency) of BG/BB customers over ``n_opportunities`` discrete opportunities.

    Examples
    --------
    >>> x, tx = simulate_bgbb_summary(1.2, 0.75, 0.66, 2.8, 6, 1000, np.random.default_rng(0))
    >>> bool(np.all(x <= tx)), bool(np.all(tx <= 6))
    (True, True)
    """
    p = rng.beta(alpha, beta, size=n_customers)
    theta = rng.beta(gamma, delta, size=n_customers)
    alive = np.cumprod(rng.random((n_customers, n_opportunities)) >= theta[:, None], axis=1).astype(bool)
    buys = alive & (rng.random((n_customers, n_opportunities)) < p[:, None])
    frequency = buys.sum(axis=1).astype(float)
    recency = np.where(frequency > 0, n_opportunities - np.argmax(buys[:, ::-1], axis=1), 0).astype(float)
    return frequency, recency


def simulate_spend(
    p: float, q: float, gamma: float, n_transactions: Any, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw transaction values from the Gamma-Gamma process.

    Parameters
    ----------
    p, q, gamma : float
        Gamma-Gamma parameters (``gamma`` in money units).
    n_transactions : array-like of int
        Number of transactions to draw for each customer.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Each customer's mean transaction value (NaN for customers with no transaction) and the flat array of
        all transaction values, customer by customer.

    Examples
    --------
    >>> mean, values = simulate_spend(6.0, 4.0, 15.0, [2, 0, 1], np.random.default_rng(3))
    >>> values.size, bool(np.isnan(mean[1]))
    (3, True)
    """
    p, q, gamma = (_positive(n, v) for n, v in zip(("p", "q", "gamma"), (p, q, gamma), strict=True))
    counts = np.asarray(n_transactions, dtype=np.int64).reshape(-1)
    nu = rng.gamma(q, 1.0 / gamma, size=counts.size)
    owner = np.repeat(np.arange(counts.size), counts)
    values = rng.gamma(p, 1.0, size=owner.size) / nu[owner]
    totals = np.bincount(owner, weights=values, minlength=counts.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, totals / counts, np.nan)
    return mean, values
