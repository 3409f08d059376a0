"""Pareto/NBD: repeat buying with an exponential lifetime (Schmittlein, Morrison & Colombo 1987).

While alive, a customer buys at Poisson rate ``lambda ~ Gamma(r, alpha)``; the lifetime is exponential with rate
``mu ~ Gamma(s, beta)`` across customers (so drop-out can happen at any moment, not only after a purchase as in
BG/NBD). Data and time unit as for :class:`~clv_xl.models.BetaGeo`: ``frequency`` x, ``recency`` t_x, ``T``.

Formulas (Fader & Hardie 2005, note 009, "A Note on Deriving the Pareto/NBD Model and Related Expressions"):

- likelihood: ``L = Gamma(r+x) alpha**r beta**s / Gamma(r) * [(alpha+T)**-(r+x) (beta+T)**-s + s/(r+s+x) A_0]``
  with ``A_0 = G(t_x) - G(T)``, ``G(t) = 2F1(r+s+x, e; r+s+x+1; (c-o)/(c+t)) / (c+t)**(r+s+x)``, ``c, o`` the larger
  and smaller of alpha, beta, and ``e = s+1`` when ``alpha >= beta``, ``r+x`` otherwise. It is evaluated in log
  space (:func:`clv_xl.models._special.log_pareto_tail`: Euler's transformation of 2F1 for z <= 1/2, quadrature of
  Euler's integral above, where the series crawls): the naive form overflows for heavy buyers (lifetimes' fitter
  fails or crawls there);
- ``P(alive) = (alpha+T)**-(r+x) (beta+T)**-s / [(alpha+T)**-(r+x) (beta+T)**-s + s/(r+s+x) A_0]``;
- ``E[Y(t) | x, t_x, T] = (r+x)(beta+T) / ((alpha+T)(s-1)) * [1 - ((beta+T)/(beta+T+t))**(s-1)] * P(alive)``;
- ``E[X(t)] = r beta / (alpha (s-1)) * [1 - (beta/(beta+t))**(s-1)]`` (both with their limits at s = 1);
- ``P(X(t) = n)``: the negative binomial count over the time alive, ``(beta/(beta+t))**s NB(n; t) +
  integral_0^t NB(n; u) s beta**s (beta+u)**-(s+1) du``, the integral by 64-point Gauss-Legendre quadrature in
  the lifetime's distribution function (Fader & Hardie's note 012 gives a closed form; the integral is its
  definition);
- discounted expected residual transactions (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 2), with a continuous
  rate ``delta``: ``DERT = delta**(s-1) (r+x)/(alpha+T) (beta+T)**s U(s, s; delta (beta+T)) * P(alive)``, U the
  confluent hypergeometric function of the second kind.

References
----------
D. C. Schmittlein, D. G. Morrison and R. Colombo (1987), "Counting Your Customers: Who Are They and What Will They
Do Next?", Management Science 33(1), 1-24.
P. S. Fader and B. G. S. Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions",
http://brucehardie.com/notes/009/.
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
Analysis", Journal of Marketing Research 42(4), 415-430.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import gammaln, hyperu, roots_legendre

from clv_xl.models._compress import dot as _dot
from clv_xl.models._compress import row_codes
from clv_xl.models._purchase import PurchaseModel
from clv_xl.models._special import log_pareto_tail

__all__ = ["ParetoNBD"]

_LEGENDRE = roots_legendre(64)


def _log_parts(
    params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, pairs: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """Log-likelihood and log P(alive) of each row. ``pairs`` = distinct (x, t) of ``[t_x; T]`` and their codes."""
    r, alpha, s, beta = (float(v) for v in params)
    if alpha >= beta:
        c, o, e_of = alpha, beta, (lambda xs: np.full(xs.shape, s + 1.0))
    else:
        c, o, e_of = beta, alpha, (lambda xs: r + xs)
    if pairs is None:
        both_x, both_t = np.concatenate([x, x]), np.concatenate([tx, T])
        tails = log_pareto_tail(r + s + both_x, e_of(both_x), c, o, both_t)
    else:
        (px, pt), codes = pairs
        tails = log_pareto_tail(r + s + px, e_of(px), c, o, pt)[codes]
    g_x, g_T = tails[: x.size], tails[x.size :]
    l0 = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    top = np.maximum(l0, g_x)
    with np.errstate(over="ignore", invalid="ignore"):
        a0 = np.exp(g_x - top) * -np.expm1(np.minimum(g_T - g_x, 0.0))  # (e^g_x - e^g_T) / e^top, >= 0
        log_sum = top + np.log(np.exp(l0 - top) + s / (r + s + x) * a0)
    ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta) + log_sum
    return ll, l0 - log_sum


#: Shape beyond which a start is taken to run away along a ridge: the rates' coefficient of variation, 1 / sqrt(s),
#: is then under 10 %.
_RIDGE = 100.0


def _on_ridge(logp: np.ndarray) -> bool:
    """Whether log-parameters (r, alpha, s, beta) run away with s (or r) growing without limit.

    As s, beta -> infinity with s / beta fixed every customer drops out at the same rate; as r, alpha -> infinity
    every customer buys at the same rate. On data with (nearly) no such heterogeneity the likelihood keeps rising
    along that ridge, ever more slowly, without end: the search would crawl to its iteration limits (measured: over
    5 minutes on 20,000 customers simulated from BG/NBD, when the tail's hypergeometric series also slowed down as
    z -> 1 on the ridge; it no longer does). A start is abandoned after :attr:`ParetoNBD.ridge_patience` (5)
    consecutive points here (``minimize_multistart``'s ``patience``; 20 before): a start that reaches the ridge
    does not come back (in the test suite and 40 fits simulated near the ridge, no start that converged ever
    evaluated a point with s or r above 100), and each point costs up to nine evaluations of the tail by
    quadrature, the dearest kind. On the 1M-order report's holdout sample (18,418 distinct histories, every start
    up the ridge) the fit went from 1,674 evaluations to 818 (with SLSQP asking for gradients only at accepted
    points, :class:`clv_xl.models._split_objective.SplitObjective`).

    Examples
    --------
    >>> _on_ridge(np.log([0.5, 10.0, 2e3, 9e4])), _on_ridge(np.log([0.5, 10.0, 0.6, 12.0]))
    (True, False)
    """
    return bool(max(logp[0], logp[2]) > np.log(_RIDGE))


def _lifetime_factor(s: float, log_q: np.ndarray) -> np.ndarray:
    """``[1 - q**(s-1)] / (s-1)`` from ``log q`` (q <= 1), with its limit ``-log q`` at s = 1."""
    if abs(s - 1.0) < 1e-9:
        return -log_q
    return -np.expm1((s - 1.0) * log_q) / (s - 1.0)


class ParetoNBD(PurchaseModel):
    """The Pareto/NBD model, fitted by maximum likelihood on compressed histories.

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty ``penalizer * (r**2 + alpha**2 + s**2 + beta**2)`` added to the mean negative log-likelihood.

    Attributes
    ----------
    params : dict of str to float
        Fitted ``r``, ``alpha`` (purchase rate), ``s``, ``beta`` (lifetime), alpha and beta in the time unit.
    log_likelihood : float
        The full log-likelihood at the estimates (-9595.0 on CDNOW). The penalty is not included.
    standard_errors : dict of str to float
        Asymptotic standard errors from the inverse Hessian (computed on first access).

    Examples
    --------
    >>> pnbd = ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)  # CDNOW, weeks
    >>> round(pnbd.expected_purchases(52, frequency=26, recency=30.86, T=31), 2)
    25.46
    >>> pnbd.expected_purchases_new([1, 2]).round(5).tolist()
    [0.05098, 0.09958]
    >>> round(pnbd.p_alive(frequency=0, recency=0, T=38.86), 3)  # a one-time buyer, 39 weeks on
    0.295
    """

    param_names = ("r", "alpha", "s", "beta")
    model_name = "Pareto/NBD"
    advice = (
        "Check that frequency, recency and T are in the same time unit (e.g. weeks), fit on more customers or a "
        "longer history, or add a small penalizer (ParetoNBD(penalizer=0.001))."
    )
    # each evaluation costs two Gauss hypergeometric functions per distinct (x, t): explore on fewer rows
    polish_above = 3_000
    subset_rows = 1_500
    ridge = staticmethod(_on_ridge)
    ridge_patience = 5  # see _on_ridge
    ridge_reason = ("its likelihood keeps rising as s (or r) grows without limit, i.e. the data show almost no "
                    "spread between customers in how long they stay (or in how often they buy)")

    @classmethod
    def from_params(cls, r: float, alpha: float, s: float, beta: float) -> ParetoNBD:
        """Build a model from known parameters, without fitting.

        Examples
        --------
        >>> ParetoNBD.from_params(0.553, 10.578, 0.606, 11.669)
        ParetoNBD(r=0.553, alpha=10.58, s=0.606, beta=11.67)
        """
        return cls._from_values((r, alpha, s, beta))

    def individual_log_likelihood(self, frequency: Any, recency: Any, T: Any) -> Any:
        """Log-likelihood of each customer's (frequency, recency, T) under the fitted model.

        Examples
        --------
        >>> round(ParetoNBD.from_params(0.553, 10.578, 0.606, 11.669).individual_log_likelihood(0, 0, 38.86), 4)
        -0.521
        """
        from clv_xl.models._common import wrap_result

        self._fitted()
        x, tx, t_obs = self._check_history(frequency, recency, T)
        assert self._params is not None
        return wrap_result(_log_parts(self._params, x, tx, t_obs)[0], frequency, recency, T)

    def _objective(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> tuple[Any, Any, float]:
        pairs = row_codes(np.concatenate([x, x]), np.concatenate([tx, T]))
        return self._mean_objective(lambda theta: _log_parts(theta, x, tx, T, pairs)[0], w)

    def _starts(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> list[np.ndarray]:
        rate = self._purchase_rate(x, T, w)
        span = max(float(_dot(w, T) / w.sum()), 1e-6)
        return [
            np.log([1.0, 1.0 / rate, 1.0, span]),
            np.log([0.5, 0.5 / rate, 0.5, span]),
            np.log([0.3, 0.3 / rate, 1.0, 2 * span]),
            np.log([2.0, 2.0 / rate, 0.3, 0.3 * span]),
            np.log([1.0, 1.0 / rate, 3.0, 3 * span]),
        ]

    # ------------------------------------------------------------------ predictions

    def _p_alive_arrays(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        assert self._params is not None
        self._fitted()
        return np.exp(np.minimum(_log_parts(self._params, x, tx, T)[1], 0.0))

    def _alive_purchases(self, t: np.ndarray, x: np.ndarray, T: np.ndarray) -> np.ndarray:
        r, alpha, s, beta = self._values()
        log_q = -np.log1p(t / (beta + T))
        return (r + x) / (alpha + T) * (beta + T) * _lifetime_factor(s, log_q)

    def _pmf(self, n: np.ndarray, t: np.ndarray) -> np.ndarray:
        r, alpha, s, beta = self._values()
        nodes, weights = _LEGENDRE

        def negative_binomial(count: np.ndarray, u: np.ndarray) -> np.ndarray:
            with np.errstate(divide="ignore", invalid="ignore"):
                log_nb = (
                    gammaln(r + count) - gammaln(r) - gammaln(count + 1)
                    + r * (np.log(alpha) - np.log(alpha + u))
                    + np.where(count > 0, count * (np.log(u) - np.log(alpha + u)), 0.0)
                )
            return np.exp(np.where((u <= 0) & (count > 0), -np.inf, log_nb))

        survive = (beta / (beta + t)) ** s
        v_end = 1.0 - survive  # the lifetime's distribution function at t
        v = (nodes[None, :] + 1.0) / 2.0 * v_end[:, None]
        u = beta * np.expm1(-np.log1p(-v) / s)  # the lifetime whose distribution function is v
        died = (v_end / 2.0) * (weights[None, :] * negative_binomial(n[:, None], u)).sum(axis=1)
        return survive * negative_binomial(n, t) + died

    def _residual_arrays(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, rate: float) -> np.ndarray:
        """DERT in closed form (FHL 2005 "RFM and CLV", eq. 2) with ``delta = log(1 + rate)``."""
        r, alpha, s, beta = self._values()
        delta = float(np.log1p(rate))
        log_u = np.log(hyperu(s, s, delta * (beta + T)))
        log_dert = (s - 1.0) * np.log(delta) + np.log(r + x) - np.log(alpha + T) + s * np.log(beta + T) + log_u
        return np.exp(log_dert) * self._p_alive_arrays(x, tx, T)
