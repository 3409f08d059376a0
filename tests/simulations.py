"""Customers simulated from known parameters with plain numpy, written from the papers, not from clv_xl.

BG/NBD (Fader, Hardie & Lee 2005, section 2): while active, a customer buys as a Poisson process of rate
lambda ~ Gamma(r, rate alpha); after each repeat purchase they become inactive with probability p ~ Beta(a, b).
Time 0 is the first purchase. Gamma-Gamma (Fader & Hardie 2013): each spend ~ Gamma(p, rate nu), with
nu ~ Gamma(q, rate gamma) per customer, so the mean of x spends ~ Gamma(p x, rate nu x).
"""

from __future__ import annotations

import numpy as np

__all__ = ["bgnbd_purchases", "bgnbd_histories", "gamma_gamma_mean_spend"]


def bgnbd_purchases(r: float, alpha: float, a: float, b: float, T: np.ndarray,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Repeat purchases of customers observed for ``T``: (customer index, time after the first purchase)."""
    n = T.size
    rate = rng.gamma(r, 1.0 / alpha, n)
    drop = rng.beta(a, b, n)
    now = np.zeros(n)
    who_parts, when_parts = [], []
    active = np.arange(n)
    while active.size:
        now[active] += rng.exponential(1.0, active.size) / rate[active]
        active = active[now[active] <= T[active]]
        who_parts.append(active)
        when_parts.append(now[active].copy())
        active = active[rng.random(active.size) >= drop[active]]
    who, when = np.concatenate(who_parts), np.concatenate(when_parts)
    order = np.lexsort((when, who))
    return who[order], when[order]


def bgnbd_histories(r: float, alpha: float, a: float, b: float, T: np.ndarray,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(frequency, recency) of customers observed for ``T``: repeat purchases and time of the last one."""
    who, when = bgnbd_purchases(r, alpha, a, b, T, rng)
    x = np.bincount(who, minlength=T.size)
    tx = np.zeros(T.size)
    np.maximum.at(tx, who, when)
    return x, tx


def gamma_gamma_mean_spend(p: float, q: float, gamma: float, counts: np.ndarray,
                           rng: np.random.Generator) -> np.ndarray:
    """Mean of ``counts`` spends of each customer."""
    nu = rng.gamma(q, 1.0 / gamma, counts.size)
    return rng.gamma(p * counts, 1.0 / (nu * counts))
