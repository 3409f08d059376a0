"""BG/NBD: the beta-geometric / negative binomial model of repeat buying (Fader, Hardie & Lee 2005).

Each customer buys at the times of a Poisson process with rate ``lambda`` while alive and, after each repeat
purchase, drops out for good with probability ``p``. Across customers ``lambda ~ Gamma(r, alpha)`` (shape r,
rate alpha) and ``p ~ Beta(a, b)``.

The data of one customer are ``frequency`` (x, the number of repeat purchases), ``recency`` (t_x, the time from
the first to the last purchase) and ``T`` (the time from the first purchase to the end of observation), all in
one time unit of your choice (usually weeks). ``alpha`` is expressed in that same unit: a model fitted in weeks
predicts in weeks.

References
----------
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the
Pareto/NBD Model", Marketing Science 24(2), 275-284. Equation numbers below refer to this paper.
P. S. Fader, B. G. S. Hardie and K. L. Lee (2008), "Computing P(alive) Using the BG/NBD Model", note
(http://brucehardie.com/notes/021/).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betainc, betaln, digamma, expit, gammaln, hyp2f1

from clv_xl.errors import ConvergenceError, InvalidArgumentError
from clv_xl.models._base import FittedModel
from clv_xl.models._common import (
    RunAwayError,
    as_float_array,
    check_customer_arrays,
    check_fitted,
    check_weights,
    compress_rows,
    minimize_multistart,
    newton_polish,
    numeric_hessian,
    standard_errors_from_hessian,
)
from clv_xl.models._common import (
    dot as _dot,
)

__all__ = ["BetaGeo"]

_PARAM_NAMES = ("r", "alpha", "a", "b")
_MIN_CUSTOMERS = 10
_POLISH_ABOVE = 40_000  # distinct rows above which the starts are explored on a subset first
_SUBSET_ROWS = 20_000
#: a and b both above this: the fit is running along the a, b -> infinity ridge (sd of p < 0.1 %)
_RIDGE = 1e5
#: a + b reported for a boundary (homogeneous drop-out) solution; predictions are then within ~1e-6 of the limit
_BOUNDARY_SIZE = 1e7
_ADVICE = (
    "Check that frequency, recency and T are in the same time unit (e.g. weeks), fit on more customers or a "
    "longer history, or add a small penalizer (BetaGeo(penalizer=0.001))."
)


def _wrap(result: np.ndarray, *inputs: Any) -> Any:
    """Return ``result`` as a float (all inputs scalar), a Series (a Series input of that length) or an array."""
    for value in inputs:
        if isinstance(value, pd.Series) and len(value) == result.size:
            return pd.Series(result, index=value.index)
    if all(np.ndim(value) == 0 for value in inputs):
        return float(result.reshape(-1)[0])
    return result


def _on_ridge(logp: np.ndarray) -> bool:
    """Whether log-parameters (r, alpha, a, b) lie on the a, b -> infinity ridge of degenerate fits."""
    return bool(min(logp[2], logp[3]) > np.log(_RIDGE))


def _a_nudged(a: float) -> float:
    """Move ``a`` off 1, where eqs. (9)-(10) are 0/0 (the limit is continuous; the error is ~1e-7)."""
    return a if abs(a - 1.0) > 1e-7 else 1.0 + 1e-7


class BetaGeo(FittedModel):
    """The BG/NBD model, fitted by maximum likelihood.

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty ``penalizer * (r**2 + alpha**2 + a**2 + b**2)`` added to the *mean* negative log-likelihood
        (the same convention as lifetimes' ``penalizer_coef``). Keep 0 to get the maximum-likelihood estimates;
        a small value (1e-3) tames degenerate fits on thin data.

    Attributes
    ----------
    params : dict of str to float
        Fitted ``r``, ``alpha``, ``a``, ``b``.
    log_likelihood : float
        The full log-likelihood at the estimates, the sum over customers of the log of eq. (6), as published
        (-9582.4 on CDNOW). lifetimes reports a mean instead. The penalty is not included.
    standard_errors : dict of str to float
        Asymptotic standard errors from the inverse Hessian of the (penalised) negative log-likelihood
        (computed on first access).
    n_customers : float
        Number of customers the model was fitted on (the sum of the weights).
    degenerate : bool
        True when the likelihood has no interior maximum and keeps rising as ``a`` and ``b`` grow together:
        drop-out is not heterogeneous in the data. The fit then returns the limiting model (every customer has
        the same drop-out probability ``p = a / (a + b)``), with ``a + b = 1e7``; see :meth:`fit`.
    note : str
        Empty, or why the fit is degenerate and what to do about it.

    Examples
    --------
    >>> from clv_xl.models import BetaGeo
    >>> bg = BetaGeo.from_params(r=0.2426, alpha=4.4136, a=0.7929, b=2.4259)  # CDNOW, weeks
    >>> round(bg.expected_purchases(39, frequency=2, recency=30.43, T=38.86), 3)
    1.226
    >>> round(bg.p_alive(frequency=2, recency=30.43, T=38.86), 3)
    0.727
    >>> bg.expected_purchases_new([1, 3, 32, 78]).round(3).tolist()
    [0.053, 0.151, 1.044, 1.858]
    """

    param_names = _PARAM_NAMES
    degenerate: bool = False
    note: str = ""

    @classmethod
    def from_params(cls, r: float, alpha: float, a: float, b: float) -> BetaGeo:
        """Build a model from known parameters (for example from a previous fit or a paper), without fitting.

        Examples
        --------
        >>> BetaGeo.from_params(0.243, 4.414, 0.793, 2.426)
        BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
        """
        return cls._from_values((r, alpha, a, b))

    # ------------------------------------------------------------------ likelihood

    @staticmethod
    def _row_log_likelihood(params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        """Log of eq. (6) per customer (no de-duplication; used for checks and small inputs)."""
        r, alpha, a, b = params
        first = betaln(a, b + x) - (r + x) * np.log(alpha + T)
        safe_b = np.where(x > 0, b + x - 1, 1.0)
        second = np.where(x > 0, betaln(a + 1, safe_b) - (r + x) * np.log(alpha + tx), -np.inf)
        return gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b) + np.logaddexp(first, second)

    def individual_log_likelihood(self, frequency: Any, recency: Any, T: Any) -> Any:
        """Log-likelihood of each customer's (frequency, recency, T) under the fitted model, eq. (6).

        Examples
        --------
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
        >>> round(bg.individual_log_likelihood(0, 0, 38.86), 4)
        -0.5538
        """
        check_fitted(self, "BetaGeo")
        x, tx, t_obs = check_customer_arrays(frequency, recency, T)
        assert self._params is not None
        return _wrap(self._row_log_likelihood(self._params, x, tx, t_obs), frequency, recency, T)

    @staticmethod
    def _objective_factory(
        x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, penalizer: float
    ) -> tuple[Any, Any, float]:
        """Build f(log params) -> (mean negative log-likelihood + penalty, gradient) on de-duplicated rows.

        Write eq. (6) as ``log L = C(x) + A1 + softplus(d)`` with ``A1 = log B(a, b+x) - (r+x) log(alpha+T)``
        and ``d = A2 - A1`` the log-ratio of its second to its first term (``-inf`` when x = 0). Terms that
        depend on x alone are computed once per distinct frequency and summed with per-frequency weights;
        customers without repeat purchases need no per-row transcendental work at all. The gradient is analytic:
        with ``w2 = expit(d)``, the share of the second term, every partial derivative is a weighted sum of
        digamma functions and of ``log(alpha + .)`` / ``1 / (alpha + .)`` terms.
        """
        n = float(w.sum())
        ux, ix_all = np.unique(x, return_inverse=True)
        wx = np.bincount(ix_all, weights=w, minlength=ux.size)  # weight per distinct frequency
        pos_level = ux > 0
        ux_b = np.where(pos_level, ux - 1, 0.0)
        # customers without repeat purchases: only T matters
        zero = x == 0
        w0, T0 = w[zero], T[zero]
        # repeat buyers
        rep = ~zero
        wp, xp, Tp, txp = w[rep], x[rep], T[rep], tx[rep]
        ixp = ix_all[rep]
        wxp = wp * xp

        def full(logp: np.ndarray) -> tuple[float, np.ndarray]:
            r, alpha, a, b = np.exp(logp)
            bl1 = betaln(a, b + ux)
            bl2 = np.where(pos_level, betaln(a + 1, b + ux_b), 0.0)
            # x = 0 block
            log_t0 = np.log(alpha + T0)
            inv_t0 = 1.0 / (alpha + T0)
            # x > 0 block
            log_tp = np.log(alpha + Tp)
            log_txp = np.log(alpha + txp)
            gap = log_tp - log_txp  # >= 0
            d = (bl2 - bl1)[ixp] + (r + xp) * gap
            soft = np.logaddexp(0.0, d)
            w2 = expit(d)
            ww2 = wp * w2
            wrx_t = r * wp + wxp  # w * (r + x)
            ll = (
                float(_dot(wx, bl1 + gammaln(r + ux)))
                + n * (r * np.log(alpha) - gammaln(r) - betaln(a, b))
                - r * float(_dot(w0, log_t0))
                - float(_dot(wrx_t, log_tp))
                + float(_dot(wp, soft))
            )
            g_r = (
                float(_dot(wx, digamma(r + ux)))
                + n * (np.log(alpha) - digamma(r))
                - float(_dot(w0, log_t0))
                - float(_dot(wp, log_tp))
                + float(_dot(ww2, gap))
            )
            inv_tp = 1.0 / (alpha + Tp)
            inv_txp = 1.0 / (alpha + txp)
            g_alpha = (
                n * r / alpha
                - r * float(_dot(w0, inv_t0))
                - float(_dot(wrx_t, inv_tp))
                - float(_dot(wrx_t * w2, inv_txp - inv_tp))
            )
            s2 = np.bincount(ixp, weights=ww2, minlength=ux.size)  # weight of the second term per frequency
            s1 = wx - s2
            dg_abx = digamma(a + b + ux)
            g_a = (
                -n * (digamma(a) - digamma(a + b))
                + digamma(a) * float(s1.sum())
                + digamma(a + 1) * float(s2.sum())
                - float(_dot(wx, dg_abx))
            )
            dg_b1 = np.where(pos_level, digamma(b + ux_b), 0.0)
            g_b = (
                -n * (digamma(b) - digamma(a + b))
                + float(_dot(s1, digamma(b + ux)))
                + float(_dot(s2, dg_b1))
                - float(_dot(wx, dg_abx))
            )
            theta = np.array([r, alpha, a, b])
            value = -ll / n + penalizer * float(np.sum(theta**2))
            grad = -np.array([g_r, g_alpha, g_a, g_b]) * theta / n + 2 * penalizer * theta**2
            return value, grad

        return full, (lambda logp: full(logp)[1]), n

    @staticmethod
    def _homogeneous_factory(
        x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray
    ) -> tuple[Any, Any]:
        """The limit of eq. (6) as a, b -> infinity with ``p = a / (a + b)`` fixed: drop-out the same for everyone.

        ``L = Gamma(r+x)/Gamma(r) * alpha**r * h(p)`` with
        ``h(p) = (1-p)**x / (alpha+T)**(r+x) + [x > 0] p (1-p)**(x-1) / (alpha+t_x)**(r+x)``.
        Returns ``f(theta) -> (mean negative log-likelihood, gradient)`` with ``theta = (log r, log alpha, logit p)``,
        and ``score(theta)``, the derivative of the total log-likelihood with respect to the variance of p at
        ``Var(p) = 0``: ``E[h(p)] = h(m) + Var(p) h''(m) / 2 + O(Var(p)**2)`` (h is
        a polynomial in p), so the score is ``sum_i h_i''(p) / (2 h_i(p))``; with ``w2`` the share of the second term,
        ``h''/h = (x - 1) / (1-p)**2 * [x (1 - w2) + w2 (x p - 2) / p]``. A score <= 0 at the limit's maximum means
        that no slightly heterogeneous drop-out (large but finite a, b) fits better.
        """
        n = float(w.sum())
        pos = x > 0
        wp, xp = w[pos], x[pos]

        def parts(theta: np.ndarray) -> tuple[float, float, float, float, np.ndarray, np.ndarray]:
            r, alpha = np.exp(theta[:2])
            p = float(expit(theta[2]))
            gap = np.log(alpha + T[pos]) - np.log(alpha + tx[pos])
            d = np.log(p) - np.log1p(-p) + (r + xp) * gap
            return r, alpha, p, 1.0 - p, d, gap

        def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
            r, alpha, p, q, d, gap = parts(theta)
            log_t = np.log(alpha + T)
            w2 = expit(d)
            ll = (
                float(_dot(w, gammaln(r + x) + x * np.log(q) - (r + x) * log_t))
                + n * (r * np.log(alpha) - gammaln(r))
                + float(_dot(wp, np.logaddexp(0.0, d)))
            )
            g_r = (
                float(_dot(w, digamma(r + x) - log_t))
                + n * (np.log(alpha) - digamma(r))
                + float(_dot(wp * w2, gap))
            )
            inv_t = 1.0 / (alpha + T)
            g_alpha = (
                n * r / alpha
                - float(_dot(w, (r + x) * inv_t))
                + float(_dot(wp * w2, (r + xp) * (inv_t[pos] - 1.0 / (alpha + tx[pos]))))
            )
            g_logit = float(_dot(wp, w2)) - p * float(_dot(w, x))
            return -ll / n, -np.array([g_r * r, g_alpha * alpha, g_logit]) / n

        def score(theta: np.ndarray) -> float:
            _, _, p, q, d, _ = parts(theta)
            w2 = expit(d)
            ratio = (xp - 1) / q**2 * (xp * (1 - w2) + w2 * (xp * p - 2) / p)
            return 0.5 * float(_dot(wp, ratio))

        return fun, score

    # ------------------------------------------------------------------ fitting

    def fit(self, frequency: Any, recency: Any, T: Any, weights: Any = None) -> BetaGeo:
        """Fit r, alpha, a, b by maximising the log-likelihood, eq. (6).

        Identical (frequency, recency, T) rows are merged first and weighted by their count, so the cost grows
        with the number of distinct rows rather than customers. The optimiser (SLSQP, then L-BFGS-B, on
        log-parameters with an analytic gradient) starts from several points and keeps the best of the first two
        that converge.

        **Degenerate data.** When drop-out is not heterogeneous (every customer drops out with about the same
        probability), the likelihood has no interior maximum: it keeps rising, ever more slowly, as a and b grow
        together with ``a / (a + b)`` fixed. Left alone, the optimiser crawls along that flat ridge until its
        iteration limit (43 s for 100,000 customers). Instead, a start that stays beyond a, b > 1e5 (a standard
        deviation of p below 0.1 %) for 20 evaluations is abandoned; if no start finds an interior optimum, the
        limiting model (p the same for all customers; :meth:`_homogeneous_factory`) is fitted on all rows, and
        kept only if its score for the variance of p is <= 0, i.e. no large but finite a + b fits better
        (otherwise the full search runs without the watch, as before). The fit then returns that limit, with
        ``a + b = 1e7``, ``degenerate = True`` and an explanatory :attr:`note`, rather than raising: the limit is
        the maximum-likelihood model, a genuine BG/NBD (homogeneous drop-out), and its predictions are sound
        (within ~1e-6 of the exact limit; eq. (10) switches to its published form there). The standard errors of
        r and alpha are those of the limit model; a and b have none (NaN). ``log_likelihood`` is the supremum. Fits
        that reach an interior optimum are unaffected; with a penalizer the ridge cannot occur and is not watched.

        Parameters
        ----------
        frequency : array-like
            Repeat purchases per customer (whole numbers >= 0).
        recency : array-like
            Time from first to last purchase (0 when frequency is 0), in the model's time unit.
        T : array-like
            Time from first purchase to the end of observation, same unit, >= recency.
        weights : array-like, optional
            Number of customers each row stands for (e.g. counts of a pre-aggregated table).

        Returns
        -------
        BetaGeo
            ``self``, fitted.

        Raises
        ------
        InvalidArgumentError
            Negative, non-finite or inconsistent inputs (recency > T, recency > 0 with frequency 0, ...).
        ConvergenceError
            Too few customers, no repeat buyers, or no starting point converged.

        Examples
        --------
        >>> bg = BetaGeo().fit(frequency=[0, 1, 2, 0, 5, 1, 0, 3, 0, 1, 2, 0],
        ...                    recency=[0, 4, 9, 0, 20, 2, 0, 15, 0, 11, 6, 0],
        ...                    T=[30, 25, 30, 12, 28, 30, 22, 30, 5, 18, 30, 26])
        >>> sorted(bg.params)
        ['a', 'alpha', 'b', 'r']
        """
        x, tx, t_obs = check_customer_arrays(frequency, recency, T)
        w = check_weights(weights, x.size)
        n_total = float(w.sum())
        if n_total < _MIN_CUSTOMERS:
            raise ConvergenceError(
                f"BG/NBD needs at least {_MIN_CUSTOMERS} customers to estimate 4 parameters; got {n_total:g}. "
                "Fit on a longer history or more customers."
            )
        n_repeat = float(w[x > 0].sum())
        if n_repeat == 0:
            raise ConvergenceError(
                "BG/NBD cannot be fitted: no customer made a repeat purchase (all frequencies are 0), so the "
                "data say nothing about purchase rates or drop-out. Use a longer observation period."
            )
        (x_u, tx_u, t_u), w_u = compress_rows(x, tx, t_obs, weights=w)
        fun, grad, _ = self._objective_factory(x_u, tx_u, t_u, w_u, self.penalizer)

        rate = float(_dot(w, x) / max(_dot(w, t_obs), 1e-12))  # repeat purchases per unit of time
        rate = rate if rate > 0 else 1.0
        starts = [
            np.log([1.0, 1.0 / rate, 1.0, 1.0]),
            np.log([0.25, 0.25 / rate, 0.8, 2.5]),
            np.log([1.0, 1.0, 1.0, 1.0]),
            np.log([0.5, 0.5 / rate, 2.0, 5.0]),
            np.log([2.0, 2.0 / rate, 0.3, 0.6]),
        ]
        # Without a penalty the likelihood can keep rising as a, b -> infinity (a / (a + b) fixed); watch for it.
        ridge = None if self.penalizer > 0 else _on_ridge
        common: dict[str, Any] = {"model_name": "BG/NBD", "advice": _ADVICE, "runaway": ridge}
        res = None
        ran_away: np.ndarray | None = None
        if w_u.size > _POLISH_ABOVE:
            # Explore the starts on an evenly spaced subset of the distinct rows, then polish the best
            # solution on all rows with Newton steps that reuse the subset's Hessian: the full data only pay
            # for a handful of evaluations.
            take = slice(None, None, -(-w_u.size // _SUBSET_ROWS))
            sub_fun, sub_grad, _ = self._objective_factory(x_u[take], tx_u[take], t_u[take], w_u[take], self.penalizer)
            try:
                rough = minimize_multistart(sub_fun, starts, **common)
            except RunAwayError as exc:
                rough, ran_away = None, exc.x
            except ConvergenceError:
                rough = None
            if rough is not None:
                res = newton_polish(fun, rough.x, numeric_hessian(sub_grad, rough.x))
                if res is None:
                    try:
                        res = minimize_multistart(fun, [rough.x], successes_needed=1, **common)
                    except RunAwayError as exc:
                        ran_away = exc.x
                    except ConvergenceError:
                        res = None
        if res is None and ran_away is None:
            try:
                res = minimize_multistart(fun, starts, **common)
            except RunAwayError as exc:
                ran_away = exc.x
        if res is None and ran_away is not None:
            if self._fit_boundary(x_u, tx_u, t_u, w_u, ran_away):
                return self
            # heterogeneous drop-out does fit better near the limit: search without the watch (slow but exact)
            res = minimize_multistart(fun, starts, model_name="BG/NBD", advice=_ADVICE)
        assert res is not None
        params = np.exp(res.x)
        if not np.all(np.isfinite(params)):  # pragma: no cover - guarded by minimize_multistart
            raise ConvergenceError(f"BG/NBD produced non-finite parameters {params}. {_ADVICE}")
        self._store_fit(res.x, res.fun, grad, n_total)
        self.degenerate = False
        self.note = ""
        return self

    def _fit_boundary(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, near: np.ndarray) -> bool:
        """Fit the limiting model of homogeneous drop-out and keep it if it is the supremum of the likelihood.

        Called when every start ran away along the a, b -> infinity ridge (``near`` is the best point seen there,
        in log-parameters). Fits r, alpha and ``p = a / (a + b)`` of the limit (:meth:`_homogeneous_factory`) on all
        rows, then checks the score for the variance of p: if it is positive, a large but finite a + b fits better
        and the caller falls back to the full search. Returns True when the model was set from the boundary.
        """
        fun, score = self._homogeneous_factory(x, tx, T, w)
        start = np.array([near[0], near[1], near[2] - near[3]])  # logit p = log a - log b
        try:
            res = minimize_multistart(fun, [start], successes_needed=1, model_name="BG/NBD", advice=_ADVICE)
        except ConvergenceError:
            return False
        if score(res.x) > 0:
            return False
        r, alpha = np.exp(res.x[:2])
        p = float(expit(res.x[2]))
        n_total = float(w.sum())
        self._params = np.array([r, alpha, p * _BOUNDARY_SIZE, (1.0 - p) * _BOUNDARY_SIZE])
        self.n_customers = n_total
        self.log_likelihood = -res.fun * n_total  # the supremum, reached in the limit
        # r and alpha have their usual errors (from the limit model); a and b have none: their sum is unidentified
        hess = numeric_hessian(lambda v: fun(v)[1] * n_total, res.x)
        se = standard_errors_from_hessian(hess[:2, :2] - hess[:2, 2:] @ hess[2:, :2] / hess[2, 2], np.exp(res.x[:2]))
        self._standard_errors = {"r": float(se[0]), "alpha": float(se[1]), "a": float("nan"), "b": float("nan")}
        self._hessian_source = None
        self.degenerate = True
        self.note = (
            f"Drop-out is not heterogeneous in these data: the likelihood keeps rising as a and b grow together, "
            f"so the fit is the limiting model in which every customer drops out after a repeat purchase with the "
            f"same probability p = a / (a + b) = {p:.4g}; a and b are only meaningful through p. Predictions are "
            "sound. For finite a and b use a penalizer such as BetaGeo(penalizer=0.001), or a longer history."
        )
        return True

    # ------------------------------------------------------------------ predictions

    def _p(self) -> tuple[float, float, float, float]:
        check_fitted(self, "BetaGeo")
        assert self._params is not None
        r, alpha, a, b = (float(v) for v in self._params)
        return r, alpha, a, b

    def p_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """Probability that a customer is still alive at the end of observation.

        ``P(alive | x, t_x, T) = 1 / (1 + [x > 0] * a / (b + x - 1) * ((alpha + T) / (alpha + t_x))**(r + x))``
        (the P(alive) expression of the FHL 2008 note), computed in log space.

        Examples
        --------
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
        >>> bg.p_alive(frequency=0, recency=0, T=38.86)
        1.0
        """
        r, alpha, a, b = self._p()
        x, tx, t_obs = check_customer_arrays(frequency, recency, T)
        return _wrap(self._p_alive(r, alpha, a, b, x, tx, t_obs), frequency, recency, T)

    @staticmethod
    def _p_alive(
        r: float, alpha: float, a: float, b: float, x: np.ndarray, tx: np.ndarray, t_obs: np.ndarray
    ) -> np.ndarray:
        pos = x > 0
        log_odds = np.where(
            pos,
            np.log(a) - np.log(np.where(pos, b + x - 1, 1.0)) + (r + x) * (np.log(alpha + t_obs) - np.log(alpha + tx)),
            -np.inf,
        )
        return expit(-log_odds)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """Expected purchases in the next ``t`` time units of a customer with history (x, t_x, T), eq. (10).

        ``E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))**(r+x)
        * 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))] * P(alive)``.

        The hypergeometric term is evaluated after Euler's transformation,
        ``(1-z)**(r+x) 2F1(r+x, b+x; c; z) = (1-z)**(a-1) 2F1(a+b-1-r, a-1; c; z)``, whose parameters do not grow
        with x, which keeps it accurate for heavy buyers.

        Parameters
        ----------
        t : float or array-like
            Length of the forecast window, in the model's time unit (>= 0).
        frequency, recency, T : array-like or scalar
            The customers' histories, as in :meth:`fit`.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            A float for scalar inputs, a Series when a Series was passed, otherwise an array.

        Examples
        --------
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
        >>> round(bg.expected_purchases(39, 2, 30.43, 38.86), 3)
        1.226
        """
        r, alpha, a, b = self._p()
        x, tx, t_obs = check_customer_arrays(frequency, recency, T)
        tt = as_float_array("t", t)
        try:
            tt, x, tx, t_obs = np.broadcast_arrays(tt, x, tx, t_obs)
        except ValueError:
            raise InvalidArgumentError(
                "t", f"t must be one number or one per customer ({x.size}); got {tt.size} values"
            ) from None
        result = self._conditional(r, alpha, a, b, tt, x, tx, t_obs)
        return _wrap(result, t, frequency, recency, T)

    @staticmethod
    def _conditional(
        r: float,
        alpha: float,
        a: float,
        b: float,
        t: np.ndarray,
        x: np.ndarray,
        tx: np.ndarray,
        t_obs: np.ndarray,
    ) -> np.ndarray:
        alive = BetaGeo._p_alive(r, alpha, a, b, x, tx, t_obs)
        return BetaGeo._alive_purchases(r, alpha, a, b, t, x, t_obs) * alive

    @staticmethod
    def _alive_purchases(
        r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, t_obs: np.ndarray
    ) -> np.ndarray:
        """Eq. (10) without its P(alive) factor: expected purchases in (T, T+t] of a customer alive at T.

        It depends on x and T only (not on t_x), which lets forecasts over many periods work on the few
        distinct (x, T) pairs.
        """
        a = _a_nudged(a)
        z = t / (alpha + t_obs + t)
        c = a + b + x - 1
        # c = 0 (x = 0 and a + b = 1) is a pole of 2F1 that the factor c cancels; step just off it
        c = np.where(np.abs(c) < 1e-7, 1e-7, c)
        one_minus = (alpha + t_obs) / (alpha + t_obs + t)
        with np.errstate(invalid="ignore", over="ignore"):
            bracket = 1.0 - one_minus ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z)
            broken = ~np.isfinite(bracket)
            if np.any(broken):
                # Very large a and b (drop-out barely heterogeneous) overflow the Euler form; eq. (10) as
                # published stays finite there: 1 - (1 - z)^(r + x) 2F1(r + x, b + x; c; z).
                x_b, c_b, z_b, m_b = np.broadcast_arrays(x, c, z, one_minus)
                plain = 1.0 - m_b[broken] ** (r + x_b[broken]) * hyp2f1(
                    r + x_b[broken], b + x_b[broken], c_b[broken], z_b[broken]
                )
                bracket = np.array(np.broadcast_to(bracket, broken.shape), dtype=np.float64)
                bracket[broken] = plain
        return c / (a - 1) * bracket

    def expected_purchases_new(self, t: Any) -> Any:
        """Expected repeat purchases of a new customer in a window of length ``t`` after the first purchase, eq. (9).

        ``E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))**r * 2F1(r, b; a+b-1; t/(alpha+t))]``.

        Examples
        --------
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
        >>> round(bg.expected_purchases_new(52), 3)
        1.444
        """
        r, alpha, a, b = self._p()
        tt = as_float_array("t", t)
        zeros = np.zeros_like(tt)
        return _wrap(self._conditional(r, alpha, a, b, tt, zeros, zeros, zeros), t)

    def probability_of_purchases(self, n: Any, t: Any) -> Any:
        """Probability that a new customer makes exactly ``n`` repeat purchases in a window of length ``t``, eq. (8).

        ``P(X(t)=n) = B(a, b+n)/B(a, b) * NB(n; r, alpha/(alpha+t))
        + [n > 0] * B(a+1, b+n-1)/B(a, b) * (1 - P(NB(r, alpha/(alpha+t)) <= n-1))``, where NB is the negative
        binomial count of eq. (8)'s first factor; its tail is computed with the regularised incomplete beta
        function.

        Parameters
        ----------
        n : int or array-like of int
            Number of repeat purchases (>= 0).
        t : float or array-like
            Window length in the model's time unit (>= 0). ``n`` and ``t`` broadcast together.

        Examples
        --------
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
        >>> bg.probability_of_purchases([0, 1, 2], 39).round(4).tolist()
        [0.5743, 0.1992, 0.0853]
        """
        r, alpha, a, b = self._p()
        nn = as_float_array("n", n)
        if np.any(np.abs(nn - np.round(nn)) > 1e-9):
            raise InvalidArgumentError("n", f"n must be whole numbers >= 0; got {np.asarray(n)!r}")
        nn = np.round(nn)
        tt = as_float_array("t", t)
        try:
            nn, tt = np.broadcast_arrays(nn, tt)
        except ValueError:
            raise InvalidArgumentError(
                "t", f"n and t must have the same length or be single numbers; got {nn.size} and {tt.size}"
            ) from None
        p_stay = alpha / (alpha + tt)  # the negative binomial "success" probability
        log_nb = (
            gammaln(r + nn)
            - gammaln(r)
            - gammaln(nn + 1)
            + r * np.log(p_stay)
            + nn * np.where(tt > 0, np.log(np.where(tt > 0, tt, 1.0)) - np.log(alpha + tt), 0.0)  # no underflow
        )
        log_nb = np.where((tt == 0) & (nn > 0), -np.inf, log_nb)
        first = np.exp(betaln(a, b + nn) - betaln(a, b) + log_nb)
        pos = nn > 0
        tail = np.where(pos, betainc(np.where(pos, nn, 1.0), r, 1.0 - p_stay), 0.0)
        second = np.where(pos, np.exp(betaln(a + 1, np.where(pos, b + nn - 1, 1.0)) - betaln(a, b)) * tail, 0.0)
        return _wrap(first + second, n, t)
