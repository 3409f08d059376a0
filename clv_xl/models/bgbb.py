"""BG/BB: repeat buying at discrete opportunities (Fader, Hardie & Shang 2010).

Some purchases can only happen at fixed occasions: a yearly donation campaign, an annual conference, a weekly
market. At each of ``n`` opportunities after the first purchase, a customer who is alive buys with probability
``p ~ Beta(alpha, beta)``, and before each opportunity drops out for good with probability
``theta ~ Beta(gamma, delta)``. A customer's data are ``frequency`` x (purchases at the n opportunities),
``recency`` t_x (the opportunity of the last one, 0 when x = 0) and ``T`` = n, the number of opportunities.

Formulas (Fader, Hardie & Shang 2010, equation numbers of that paper):

- likelihood (eq. 5): ``L = B(alpha+x, beta+n-x)/B(alpha, beta) * B(gamma, delta+n)/B(gamma, delta) +
  sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha, beta) * B(gamma+1, delta+t_x+i)/B(gamma, delta)``;
- P(X(n) = x) for a new customer (eq. 7);
- E[X(n)] (eq. 8): ``alpha/(alpha+beta) * delta/(gamma-1) * [1 - Gamma(gamma+delta) Gamma(1+delta+n) /
  (Gamma(1+delta) Gamma(gamma+delta+n))]``;
- P(alive at opportunity n+1) (eq. 11): ``B(alpha+x, beta+n-x)/B(alpha, beta) * B(gamma, delta+n+1)/B(gamma, delta)
  / L``;
- E[X(n, n+n*) | x, t_x, n] (eq. 13), the expected purchases at the next n* opportunities;
- discounted expected residual transactions (eq. 14): ``P(alive) * (alpha+x)/(alpha+beta+n) *
  2F1(1, delta+n+1; gamma+delta+n+1; 1/(1+d)) / (1+d)``, d the discount rate per opportunity.

References
----------
P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-Base Analysis in a Discrete-Time Noncontractual
Setting", Marketing Science 29(6), 1086-1108.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import betaln, gammaln, hyp2f1

from clv_xl.errors import InvalidArgumentError
from clv_xl.models._common import check_customer_arrays
from clv_xl.models._purchase import PurchaseModel

__all__ = ["BetaGeoBetaBinom"]


def _whole(name: str, values: np.ndarray) -> None:
    bad = np.abs(values - np.round(values)) > 1e-9
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidArgumentError(
            name, f"{name} must be whole numbers of opportunities for BG/BB; got {values[i]:g} at position {i + 1}"
        )


def _log_likelihood(params: np.ndarray, x: np.ndarray, tx: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Log of eq. (5) per row.

    The finite sum runs over a padded matrix of ``max(n - t_x)`` columns whose terms depend on (x, j = t_x + i)
    and j alone: the beta functions are computed once on the small grid of distinct x by opportunity j, then
    gathered.
    """
    alpha, beta, gamma, delta = (float(v) for v in params)
    base_p, base_t = betaln(alpha, beta), betaln(gamma, delta)
    alive = betaln(alpha + x, beta + n - x) - base_p + betaln(gamma, delta + n) - base_t
    width = int(np.max(n - tx)) if x.size else 0
    if width == 0:
        return alive
    ux, ix = np.unique(x, return_inverse=True)
    j = np.arange(int(np.max(n)) + 1, dtype=float)
    with np.errstate(invalid="ignore"):
        by_x = betaln(alpha + ux[:, None], np.maximum(beta + j[None, :] - ux[:, None], 1e-300)) - base_p
    by_j = betaln(gamma + 1, delta + j) - base_t
    i = np.arange(width)[None, :]
    col = np.minimum(tx[:, None] + i, j.size - 1).astype(np.int64)
    gone = np.where(i < (n - tx)[:, None], by_x[ix[:, None], col] + by_j[col], -np.inf)
    top = np.maximum(alive, gone.max(axis=1))
    return top + np.log(np.exp(alive - top) + np.exp(gone - top[:, None]).sum(axis=1))


class BetaGeoBetaBinom(PurchaseModel):
    """The BG/BB model of purchases at discrete opportunities, fitted by maximum likelihood.

    ``fit``, ``p_alive``, ``expected_purchases`` and the other methods take ``T`` as the number of opportunities
    ``n`` and ``t`` as a number of future opportunities; ``residual_purchases`` takes a discount rate per
    opportunity.

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty on (alpha, beta, gamma, delta) added to the mean negative log-likelihood.

    Examples
    --------
    >>> bgbb = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)  # donations
    >>> bgbb.p_alive(frequency=[0, 2, 6], recency=[0, 4, 6], T=6).round(2).tolist()
    [0.11, 0.59, 0.93]
    """

    param_names = ("alpha", "beta", "gamma", "delta")
    model_name = "BG/BB"
    advice = (
        "Check that recency and T count opportunities (whole numbers, recency <= T), fit on more customers, or add "
        "a small penalizer (BetaGeoBetaBinom(penalizer=0.001))."
    )

    @classmethod
    def from_params(cls, alpha: float, beta: float, gamma: float, delta: float) -> BetaGeoBetaBinom:
        """Build a model from known parameters, without fitting.

        Examples
        --------
        >>> BetaGeoBetaBinom.from_params(1.204, 0.75, 0.657, 2.783)
        BetaGeoBetaBinom(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783)
        """
        return cls._from_values((alpha, beta, gamma, delta))

    def _check_history(self, frequency: Any, recency: Any, T: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x, tx, n = check_customer_arrays(frequency, recency, T)
        _whole("recency", tx)
        _whole("T", n)
        early = tx < x
        if early.any():
            i = int(np.flatnonzero(early)[0])
            raise InvalidArgumentError(
                "recency",
                f"recency must be >= frequency for BG/BB (x purchases need x opportunities); got recency "
                f"{tx[i]:g} < frequency {x[i]:g} at position {i + 1}",
            )
        return x, np.round(tx), np.round(n)

    def _objective(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> tuple[Any, Any, float]:
        return self._mean_objective(lambda theta: _log_likelihood(theta, x, tx, T), w)

    def _starts(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> list[np.ndarray]:
        return [np.log(v) for v in ([1.0, 1.0, 1.0, 1.0], [0.5, 0.5, 0.5, 2.0], [2.0, 1.0, 0.5, 3.0], [1, 2, 2, 1.0])]

    # ------------------------------------------------------------------ predictions

    def _p_alive_arrays(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        alpha, beta, gamma, delta = self._values()
        assert self._params is not None
        log_alive = (
            betaln(alpha + x, beta + T - x) - betaln(alpha, beta) + betaln(gamma, delta + T + 1) - betaln(gamma, delta)
        )
        return np.exp(np.minimum(log_alive - _log_likelihood(self._params, x, tx, T), 0.0))

    def _alive_purchases(self, t: np.ndarray, x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """Eq. (13) divided by P(alive): ``(alpha+x)/(alpha+beta+n) * sum_{k=1}^{n*} E[(1-theta)^(k-1) | alive]``."""
        alpha, beta, gamma, delta = self._values()
        g = gamma if abs(gamma - 1.0) > 1e-7 else 1.0 + 1e-7
        now = np.exp(gammaln(1 + delta + T) - gammaln(g + delta + T))
        later = np.exp(gammaln(1 + delta + T + t) - gammaln(g + delta + T + t))
        scale = delta / (g - 1) * np.exp(gammaln(g + delta) - gammaln(1 + delta))
        alive_next = np.exp(betaln(g, delta + T + 1) - betaln(g, delta))
        return (alpha + x) / (alpha + beta + T) * scale * (now - later) / alive_next

    def _pmf(self, n: np.ndarray, t: np.ndarray) -> np.ndarray:
        """P(X(t) = n) at ``t`` opportunities, eq. (7)."""
        alpha, beta, gamma, delta = self._values()
        _whole("t", t)
        base = betaln(alpha, beta) + betaln(gamma, delta)
        log_choose = gammaln(t + 1) - gammaln(n + 1) - gammaln(np.maximum(t - n, 0) + 1)
        log_first = log_choose + betaln(alpha + n, beta + np.maximum(t - n, 0)) + betaln(gamma, delta + t) - base
        first = np.where(n <= t, np.exp(log_first), 0.0)
        width = int(np.max(t)) if t.size else 0
        if width == 0:
            return first
        i = np.arange(width)[None, :]
        nn, tt = n[:, None], t[:, None]
        keep = (i >= nn) & (i < tt)
        safe_i = np.maximum(i, nn)
        log_terms = (
            gammaln(safe_i + 1) - gammaln(nn + 1) - gammaln(safe_i - nn + 1)
            + betaln(alpha + nn, beta + safe_i - nn) + betaln(gamma + 1, delta + safe_i) - base
        )
        return first + np.where(keep, np.exp(log_terms), 0.0).sum(axis=1)

    def _residual_arrays(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, rate: float) -> np.ndarray:
        """DERT, eq. (14): purchases at opportunity n+k discounted by ``(1 + rate) ** -k``."""
        alpha, beta, gamma, delta = self._values()
        series = hyp2f1(1.0, delta + T + 1, gamma + delta + T + 1, 1.0 / (1.0 + rate)) / (1.0 + rate)
        return self._p_alive_arrays(x, tx, T) * (alpha + x) / (alpha + beta + T) * series
