"""BG/NBD: the beta-geometric / negative binomial model of repeat buying (Fader, Hardie & Lee 2005).

Each customer buys at the times of a Poisson process with rate ``lambda`` while alive and, after each repeat
purchase, drops out for good with probability ``p``. Across customers ``lambda ~ Gamma(r, alpha)`` (shape r,
rate alpha) and ``p ~ Beta(a, b)``.

The data of one customer are ``frequency`` (x, the number of repeat purchases), ``recency`` (t_x, the time from
the first to the last purchase) and ``T`` (the time from the first purchase to the end of observation), all in
one time unit of your choice (usually weeks). ``alpha`` is expressed in that same unit: a model fitted in weeks
predicts in weeks. The formulas shared with MBG/NBD live in :mod:`clv_xl.models._beta_geometric`.

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
from scipy.special import expit

from clv_xl.errors import ConvergenceError
from clv_xl.models import _beta_geometric as family
from clv_xl.models._common import check_customer_arrays, wrap_result
from clv_xl.models._optimize import BoundError, FitResult, RunAwayError, minimize_multistart, search_compressed
from clv_xl.models._purchase import PurchaseModel
from clv_xl.models._standard_errors import numeric_hessian, standard_errors_from_hessian

__all__ = ["BetaGeo"]

#: a and b both above this: the fit is running along the a, b -> infinity ridge (sd of p < 0.1 %)
_RIDGE = 1e5
#: a + b reported for a boundary (homogeneous drop-out) solution; predictions then take eq. (10)'s limit
#: (:func:`clv_xl.models._dropout_limit.at_dropout_limit`)
_BOUNDARY_SIZE = 1e7


#: the optimiser's bound on log-parameters (``minimize_multistart``): alpha of a homogeneous-rate limit
_LOG_BOUND = 18.0
#: r above this: purchase rates Gamma(r, alpha) vary by less than 0.3 % (coefficient of variation 1 / sqrt(r))
_RATE_RIDGE = 1e5


def _on_ridge(logp: np.ndarray) -> bool:
    """Whether log-parameters (r, alpha, a, b) lie on the a, b -> infinity ridge of degenerate fits."""
    return bool(min(logp[2], logp[3]) > np.log(_RIDGE))


def _on_rate_ridge(logp: np.ndarray) -> bool:
    """Whether log-parameters lie on the r, alpha -> infinity ridge: every customer buys at the same rate."""
    return bool(logp[0] > np.log(_RATE_RIDGE))


def _on_either_ridge(logp: np.ndarray) -> bool:
    return _on_ridge(logp) or _on_rate_ridge(logp)


class BetaGeo(PurchaseModel):
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
        True when the likelihood has no interior maximum and keeps rising as ``a`` and ``b`` grow together
        (drop-out is not heterogeneous in the data: the fit returns the limiting model in which every customer has
        the same drop-out probability ``p = a / (a + b)``, with ``a + b = 1e7``), or as ``r`` and ``alpha`` grow
        together (purchase rates are not heterogeneous: every customer buys at the rate ``r / alpha``, the larger
        of r and alpha at the optimiser's bound, exp(18)); see :meth:`_search`. Only a rate above about
        ``1e5 / exp(18)`` (0.0015 per time unit) is recognised as that limit: below it, alpha meets the bound before
        r is large enough to tell, and the fit ends near the bound without the flag, as before.
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
    >>> bg.p_alive(frequency=0, recency=0, T=38.86)
    1.0
    >>> bg.expected_purchases_new([1, 3, 32, 78]).round(3).tolist()
    [0.053, 0.151, 1.044, 1.858]
    >>> round(bg.expected_purchases_new(52), 3)
    1.444
    >>> bg.probability_of_purchases([0, 1, 2], 39).round(4).tolist()
    [0.5743, 0.1992, 0.0853]
    >>> fitted = BetaGeo().fit(frequency=[0, 1, 2, 0, 5, 1, 0, 3, 0, 1, 2, 0],
    ...                        recency=[0, 4, 9, 0, 20, 2, 0, 15, 0, 11, 6, 0],
    ...                        T=[30, 25, 30, 12, 28, 30, 22, 30, 5, 18, 30, 26])
    >>> sorted(fitted.params)
    ['a', 'alpha', 'b', 'r']
    """

    param_names = ("r", "alpha", "a", "b")
    model_name = "BG/NBD"
    advice = (
        "Check that frequency, recency and T are in the same time unit (e.g. weeks), fit on more customers or a "
        "longer history, or add a small penalizer (BetaGeo(penalizer=0.001))."
    )
    #: 0 for BG/NBD (drop-out only after repeat purchases), 1 for MBG/NBD (also right after the first purchase)
    _shift = 0
    degenerate: bool = False
    note: str = ""

    @classmethod
    def from_params(cls, r: float, alpha: float, a: float, b: float) -> Any:
        """Build a model from known parameters (for example from a previous fit or a paper), without fitting.

        Examples
        --------
        >>> BetaGeo.from_params(0.243, 4.414, 0.793, 2.426)
        BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
        """
        return cls._from_values((r, alpha, a, b))

    # ------------------------------------------------------------------ likelihood

    def individual_log_likelihood(self, frequency: Any, recency: Any, T: Any) -> Any:
        """Log-likelihood of each customer's (frequency, recency, T) under the fitted model, eq. (6).

        Examples
        --------
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
        >>> round(bg.individual_log_likelihood(0, 0, 38.86), 4)
        -0.5538
        """
        self._fitted()
        x, tx, t_obs = check_customer_arrays(frequency, recency, T)
        assert self._params is not None
        ll = family.row_log_likelihood(self._params, x, tx, t_obs, self._shift)
        return wrap_result(ll, frequency, recency, T)

    def _objective(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> tuple[Any, Any, float]:
        return family.objective_factory(x, tx, T, w, self.penalizer, self._shift)

    #: the limit of eq. (6) as a, b -> infinity (:func:`clv_xl.models._beta_geometric.homogeneous_factory`)
    _homogeneous_factory = staticmethod(family.homogeneous_factory)

    # ------------------------------------------------------------------ fitting

    def _starts(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> list[np.ndarray]:
        rate = self._purchase_rate(x, T, w)
        return [
            np.log([1.0, 1.0 / rate, 1.0, 1.0]),
            np.log([0.25, 0.25 / rate, 0.8, 2.5]),
            np.log([1.0, 1.0, 1.0, 1.0]),
            np.log([0.5, 0.5 / rate, 2.0, 5.0]),
            np.log([2.0, 2.0 / rate, 0.3, 0.6]),
        ]

    def _search(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, starts: list[np.ndarray]) -> None:
        """Maximise eq. (6); on degenerate data, end at the limiting model of homogeneous drop-out.

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
        (eq. (10) is taken at its limit there, in closed form: ``alive_purchases_at_limit``). The standard errors of
        r and alpha are those of the limit model; a and b have none (NaN). ``log_likelihood`` is the supremum. Fits
        that reach an interior optimum are unaffected; with a penalizer the ridge cannot occur and is not watched.
        MBG/NBD (``_shift = 1``) has the same ridge and the same limit, with drop-out possible after every purchase
        (it used to crawl there: 3,805 evaluations on 1,772 customers of a homogeneous drop-out shop, 1.6 s).

        **One purchase rate.** When every customer buys at about the same rate (the counts are not over-dispersed, as in
        the 10M-order bench data, whose orders are uniform over three years), the likelihood keeps rising as r and alpha
        grow together with ``r / alpha`` fixed. A start that stays beyond r > 1e5 (rates varying by less than 0.3 %) for
        20 evaluations, or ends there, or ends on the optimiser's bound there, is taken to the limit by
        :meth:`_rate_limit`: the larger of r and alpha at the bound, the others fitted on all rows, kept when the score
        for the variance of the rate is <= 0 (otherwise every start runs on all rows, as before, and the fit is not
        flagged); then ``degenerate = True`` with a note. Before, such fits ended wherever the optimiser stopped on the
        flat ridge: on the bench data BG/NBD "converged" at alpha = exp(17.96), MBG/NBD reached the bound and "could not
        be fitted", and which of the two each got depended on the order of the rows (179 evaluations of all 560,044
        distinct rows; now 4).
        """
        # Without a penalty the likelihood can keep rising as a, b -> infinity (a / (a + b) fixed), or as r, alpha ->
        # infinity (r / alpha fixed); watch for both.
        watch = self.penalizer == 0
        common: dict[str, Any] = {"model_name": self.model_name, "advice": self.advice}
        full = self._objective(x, tx, T, w)  # built once: the limits and the fallbacks below evaluate it too
        fun, grad, _ = full
        try:
            res, ran_away, _ = search_compressed(
                self._objective, (x, tx, T), w, starts, polish_above=self.polish_above, subset_rows=self.subset_rows,
                limit=_on_rate_ridge if watch else None, runaway=_on_either_ridge if watch else None, full=full,
                **common,
            )
        except BoundError as exc:
            if not (watch and _on_rate_ridge(exc.x)):
                raise
            res, ran_away = None, exc.x
        if watch and res is not None and _on_rate_ridge(res.x):  # stopped on the rate ridge, where it is flat
            ran_away = res.x
            res = None
        rate_limit = False  # True once the one-rate limit is fitted and its score checked
        if ran_away is not None and _on_rate_ridge(ran_away) and not _on_ridge(ran_away):
            res = self._rate_limit(fun, x, tx, T, w, ran_away)
            ran_away = None
            rate_limit = res is not None
            if res is None:
                # heterogeneous rates fit better near the limit: every start on all rows, watching drop-out only
                try:
                    res = minimize_multistart(fun, starts, runaway=_on_ridge, **common)
                except RunAwayError as exc:
                    ran_away = exc.x
        if res is None and ran_away is not None:
            if self._fit_boundary(x, tx, T, w, ran_away):
                return
            # heterogeneous drop-out does fit better near the limit: search without the watch (slow but exact)
            res = minimize_multistart(fun, starts, model_name=self.model_name, advice=self.advice)
        assert res is not None
        if not np.all(np.isfinite(np.exp(res.x))):  # pragma: no cover - guarded by minimize_multistart
            raise ConvergenceError(f"{self.model_name} produced non-finite parameters. {self.advice}")
        self._store_fit(res.x, res.fun, grad, float(w.sum()))
        self.degenerate = rate_limit
        self.note = self._rate_note() if rate_limit else ""

    def _rate_limit(
        self, fun: Any, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, near: np.ndarray
    ) -> FitResult | None:
        """The homogeneous purchase-rate limit near ``near`` (a point on the r, alpha -> infinity ridge), or None.

        The point slides along the ridge (r / alpha kept) until the larger of r and alpha reaches the optimiser's
        bound, where the others are fitted on all rows (``fun``, the full objective) with it held
        (:meth:`_held_at_bound`); the result is kept if it is on the ridge and the likelihood's score for the
        variance of the rate (:func:`clv_xl.models._beta_geometric.rate_score`) is <= 0, i.e. no large but finite r
        fits better.
        """
        limit = self._held_at_bound(fun, np.array(near, dtype=float))
        if limit is None:
            return None
        if not _on_rate_ridge(limit.x) or family.rate_score(np.exp(limit.x), x, tx, T, w, self._shift) > 0:
            return None
        return limit

    def _held_at_bound(self, fun: Any, near: np.ndarray) -> FitResult | None:
        """Minimise ``fun`` of (log r, log alpha, ...) with the larger of r and alpha held at the optimiser's bound.

        ``near`` slides along the r, alpha -> infinity ridge (r / alpha kept) until the larger of the two reaches
        the bound (alpha when the rate r / alpha is below 1 per time unit, r above); the others are then fitted.
        None if that fails.
        """
        end = np.array(near, dtype=float)
        held_at = 0 if end[0] > end[1] else 1
        end[:2] += _LOG_BOUND - end[held_at]
        free = [i for i in range(end.size) if i != held_at]

        def held(z: np.ndarray) -> tuple[float, np.ndarray]:
            value, gradient = fun(np.insert(z, held_at, _LOG_BOUND))
            return value, gradient[free]

        try:
            limit = minimize_multistart(held, [end[free]], successes_needed=1, margin=0.0,
                                        model_name=self.model_name, advice=self.advice)
        except ConvergenceError:
            return None
        end[free] = limit.x
        return FitResult(x=end, fun=limit.fun, n_starts_tried=0, message="homogeneous purchase-rate limit")

    def _rate_note(self) -> str:
        """Why a fit on the r, alpha -> infinity ridge is the limit of a homogeneous purchase rate."""
        r, alpha = self._values()[:2]
        return (
            f"Purchase rates are not heterogeneous in these data: the likelihood keeps rising as r and alpha grow "
            f"together, so the fit is the limiting model in which every customer buys at the same rate "
            f"r / alpha = {r / alpha:.4g} per time unit while alive; r and alpha are only meaningful through their "
            f"ratio. Predictions are sound. For finite r and alpha use a penalizer such as "
            f"{type(self).__name__}(penalizer=0.001)."
        )

    def _fit_boundary(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, near: np.ndarray) -> bool:
        """Fit the limiting model of homogeneous drop-out and keep it if it is the supremum of the likelihood.

        Called when every start ran away along the a, b -> infinity ridge (``near`` is the best point seen there,
        in log-parameters). Fits r, alpha and ``p = a / (a + b)`` of the limit (:meth:`_homogeneous_factory`) on all
        rows, then checks the score for the variance of p: if it is positive, a large but finite a + b fits better
        and the caller falls back to the full search. Returns True when the model was set from the boundary.
        """
        fun, score = self._homogeneous_factory(x, tx, T, w, self._shift)
        start = np.array([near[0], near[1], near[2] - near[3]])  # logit p = log a - log b
        try:
            res = minimize_multistart(fun, [start], successes_needed=1, model_name=self.model_name, advice=self.advice)
        except ConvergenceError:
            held = self._held_at_bound(fun, start) if _on_rate_ridge(near) else None  # one rate for all customers too
            if held is None:
                return False
            res = held
        one_rate = _on_rate_ridge(res.x)  # both limits at once: one drop-out probability and one purchase rate
        if score(res.x) > 0:
            return False
        r, alpha = np.exp(res.x[:2])
        p = float(expit(res.x[2]))
        values = np.array([r, alpha, p * _BOUNDARY_SIZE, (1.0 - p) * _BOUNDARY_SIZE])
        if one_rate and family.rate_score(values, x, tx, T, w, self._shift) > 0:
            return False
        n_total = float(w.sum())
        if one_rate:  # r and alpha are only meaningful through their ratio: no errors for them either
            se = np.full(2, np.nan)
        else:  # r and alpha have their usual errors (from the limit model); a and b have none (their sum is free)
            hess = numeric_hessian(lambda v: fun(v)[1] * n_total, res.x)
            se = standard_errors_from_hessian(hess[:2, :2] - hess[:2, 2:] @ hess[2:, :2] / hess[2, 2],
                                              np.exp(res.x[:2]))
        self._set_state(
            values,
            log_likelihood=-res.fun * n_total,  # the supremum, reached in the limit
            n_customers=n_total,
            standard_errors={"r": float(se[0]), "alpha": float(se[1]), "a": float("nan"), "b": float("nan")},
        )
        self.degenerate = True
        after = "a repeat purchase" if self._shift == 0 else "each purchase"
        self.note = (
            f"Drop-out is not heterogeneous in these data: the likelihood keeps rising as a and b grow together, "
            f"so the fit is the limiting model in which every customer drops out after {after} with the "
            f"same probability p = a / (a + b) = {p:.4g}; a and b are only meaningful through p. Predictions are "
            f"sound. For finite a and b use a penalizer such as {type(self).__name__}(penalizer=0.001), or a longer "
            "history."
        )
        if one_rate:
            self.note += " " + self._rate_note()
        return True

    # ------------------------------------------------------------------ predictions

    def _p_alive_arrays(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        """``P(alive | x, t_x, T)``, the ratio of eq. (6)'s terms (the FHL 2008 note), computed in log space."""
        return family.p_alive(self._values(), x, tx, T, self._shift)

    def _alive_purchases(self, t: np.ndarray, x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """Eq. (10) without its P(alive) factor (see :func:`clv_xl.models._beta_geometric.alive_purchases`)."""
        return family.alive_purchases(self._values(), t, x, T, self._shift)

    def _pmf(self, n: np.ndarray, t: np.ndarray) -> np.ndarray:
        """P(X(t) = n), eq. (8) (see :func:`clv_xl.models._beta_geometric.pmf`)."""
        return family.pmf(self._values(), n, t, self._shift)
