"""sBG: the shifted-beta-geometric model of contractual retention (Fader & Hardie 2007).

Each customer of a contractual business (a subscription) renews at the end of every period with their own
probability ``1 - theta`` and, once they leave, never comes back: their lifetime ``T`` (in periods) is geometric,
``P(T = t | theta) = theta (1 - theta)^(t - 1)``. Across customers ``theta ~ Beta(alpha, beta)``. Mixing gives

- ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)`` (eq. 5 of the 2007 paper),
- survival ``S(t) = P(T > t) = B(alpha, beta + t) / B(alpha, beta)``: the share of a cohort still subscribed after
  ``t`` renewal opportunities (eq. 6), with ``S(0) = 1``,
- retention rate ``r(t) = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)``, which *rises* with ``t``:
  heterogeneity alone, with no customer changing, makes a cohort's retention grow (eq. 8).

Periods are whatever the data is counted in (years in the paper, months for a monthly plan).

References
----------
P. S. Fader and B. G. S. Hardie (2007), "How to Project Customer Retention", Journal of Interactive Marketing
21(1), 76-90. P. S. Fader and B. G. S. Hardie (2010), "Customer-Base Valuation in a Contractual Setting: The
Perils of Ignoring Heterogeneity", Marketing Science 29(1), 85-93 (DEL and DERL, eqs. 4 and 6).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import betaln, digamma, hyp2f1

from clv_xl.errors import InvalidArgumentError
from clv_xl.models._base import FittedModel
from clv_xl.models._common import as_float_array, check_fitted, wrap_result
from clv_xl.models._optimize import RunAwayError, minimize_multistart

__all__ = ["ShiftedBetaGeometric"]

#: alpha and beta both above this: the fit runs along the ridge of a homogeneous churn probability
_RIDGE = 1e5
#: alpha + beta reported for the homogeneous limit (the Beta's spread is then ~1e-4 of theta)
_BOUNDARY_SIZE = 1e7
_ADVICE = (
    "Check that the survival shares fall period after period and that some customers left, or fit on more "
    "periods or customers."
)


def _lifetime_counts(tenure: np.ndarray, churned: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                          np.ndarray]:
    """Aggregate per-customer (tenure, churned) into distinct churn periods and censoring points with weights."""
    lost_t, lost_w = np.unique(tenure[churned], return_counts=True)
    alive_t, alive_w = np.unique(tenure[~churned], return_counts=True)
    return (lost_t.astype(float), lost_w.astype(float), alive_t.astype(float), alive_w.astype(float))


class ShiftedBetaGeometric(FittedModel):
    """The shifted-beta-geometric (sBG) model, fitted by maximum likelihood.

    Fit it either on a cohort's survival curve (:meth:`fit_survival`: the share still subscribed after each
    period) or on one row per customer (:meth:`fit`: periods paid for and whether they left).

    Attributes
    ----------
    params : dict of str to float
        Fitted ``alpha`` and ``beta`` of the Beta distribution of the churn probability ``theta``.
    log_likelihood : float
        Log-likelihood at the estimates (with a survival curve and no cohort size: per customer of the cohort).
    standard_errors : dict of str to float
        Asymptotic standard errors (inverse Hessian); empty when fitted on shares without a cohort size.
    n_customers : float
        Customers the fit counts (the cohort size, or the number of rows of :meth:`fit`).
    degenerate : bool
        True when the data show no heterogeneity: the likelihood keeps rising as alpha and beta grow together,
        towards one churn probability ``theta = alpha / (alpha + beta)`` for everyone. The fit then returns that
        limit (``theta`` = customers lost ÷ renewal opportunities, with ``alpha + beta = 1e7``), without standard
        errors, and :attr:`note` says so.
    note : str
        Empty, or why the fit is degenerate.

    Examples
    --------
    The "Regular" segment of Fader & Hardie (2007), % still subscribed at the start of years 0..7:

    >>> sbg = ShiftedBetaGeometric().fit_survival([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1])
    >>> {k: round(v, 3) for k, v in sbg.params.items()}
    {'alpha': 0.704, 'beta': 1.182}
    >>> round(float(sbg.survival(12)), 3)  # the paper's year 12: 17.3 %
    0.17
    >>> round(float(sbg.retention_rate(1)), 3)
    0.627
    """

    param_names = ("alpha", "beta")
    degenerate: bool = False
    note: str = ""

    @classmethod
    def from_params(cls, alpha: float, beta: float) -> ShiftedBetaGeometric:
        """Build a model from known ``alpha`` and ``beta``, without fitting.

        Examples
        --------
        >>> ShiftedBetaGeometric.from_params(0.668, 3.806)
        ShiftedBetaGeometric(alpha=0.668, beta=3.806)
        """
        return cls._from_values((alpha, beta))

    # ------------------------------------------------------------------ fitting

    def fit_survival(self, survival: Any, cohort_size: float | None = None) -> ShiftedBetaGeometric:
        """Fit on one cohort's survival curve.

        Parameters
        ----------
        survival : array-like of float
            The cohort at the start of periods 0, 1, 2, ...: shares (1, 0.63, ...), percentages (100, 63.1, ...) or
            head counts (1000, 631, ...). Everything is divided by the first value, which must be the largest;
            the curve may not rise.
        cohort_size : float, optional
            Customers in the cohort, for the standard errors (counts passed as ``survival`` give it too: when
            the first value is above 100 and every value is whole, it is taken as the cohort size).

        Returns
        -------
        ShiftedBetaGeometric
            ``self``, fitted.

        Notes
        -----
        The likelihood is that of the paper's Excel sheet: customers lost in period ``t`` (``S(t-1) - S(t)``)
        contribute ``P(T = t)``, those still there at the last period ``n`` contribute ``S(n)``.

        Examples
        --------
        >>> sbg = ShiftedBetaGeometric().fit_survival([1000, 869, 743, 653, 593, 551, 517, 491])
        >>> {k: round(v, 3) for k, v in sbg.params.items()}, sbg.n_customers
        ({'alpha': 0.668, 'beta': 3.806}, 1000.0)
        """
        curve = as_float_array("survival", survival)
        if curve.size < 2:
            raise InvalidArgumentError("survival", "survival needs at least two values: the cohort at the start "
                                       "and after one period")
        if curve[0] <= 0:
            raise InvalidArgumentError("survival", f"survival must start with the cohort at period 0 (> 0); "
                                       f"got {curve[0]:g}")
        rises = np.flatnonzero(np.diff(curve) > 1e-12)
        if rises.size:
            i = int(rises[0]) + 1
            raise InvalidArgumentError("survival", f"survival may not rise: value {i + 1} ({curve[i]:g}) is above "
                                       f"value {i} ({curve[i - 1]:g}); a cohort only loses customers")
        if cohort_size is None and curve[0] > 100 and np.all(curve == np.round(curve)):
            cohort_size = float(curve[0])
        shares = curve / curve[0]
        lost_w = -np.diff(shares)
        lost_t = np.arange(1, shares.size, dtype=float)
        keep = lost_w > 0
        if not keep.any():
            raise InvalidArgumentError("survival", "survival never falls: with no customer lost, churn cannot be "
                                       "estimated")
        alive_t = np.array([float(shares.size - 1)])
        alive_w = np.array([shares[-1]])
        n_total = 1.0
        if cohort_size is not None:
            try:
                n_total = float(cohort_size)
            except (TypeError, ValueError):
                raise InvalidArgumentError("cohort_size", f"cohort_size must be a number > 0; got {cohort_size!r}") \
                    from None
            if not np.isfinite(n_total) or n_total <= 0:
                raise InvalidArgumentError("cohort_size", f"cohort_size must be a number > 0; got {cohort_size!r}")
        # shares alone do not say how precise the estimates are: standard errors only with a cohort size
        self._fit_counts(lost_t[keep], lost_w[keep], alive_t, alive_w, n_total, with_errors=cohort_size is not None)
        return self

    def fit(self, tenure: Any, churned: Any) -> ShiftedBetaGeometric:
        """Fit on one row per customer: periods paid for so far and whether they left (right-censoring).

        Parameters
        ----------
        tenure : array-like of int
            Periods each customer has paid for (>= 1): a customer in their first period has tenure 1.
        churned : array-like of bool
            True for a customer who left after their last paid period (lifetime ``T = tenure``), False for one
            still subscribed (they survived ``tenure - 1`` renewals: ``T > tenure - 1``).

        Returns
        -------
        ShiftedBetaGeometric
            ``self``, fitted.

        Examples
        --------
        >>> sbg = ShiftedBetaGeometric().fit([1, 1, 2, 3, 3, 5, 6, 8], [True, True, True, False, True, False,
        ...                                                              True, False])
        >>> sorted(sbg.params)
        ['alpha', 'beta']
        """
        periods = as_float_array("tenure", tenure)
        if np.any(periods < 1) or np.any(periods != np.round(periods)):
            raise InvalidArgumentError("tenure", "tenure must be whole numbers of periods paid, each >= 1")
        left = np.asarray(churned).reshape(-1)
        if left.size != periods.size:
            raise InvalidArgumentError("churned", f"churned must have one value per customer: got {left.size} "
                                       f"values for {periods.size} tenures")
        try:
            left = left.astype(bool)
        except (TypeError, ValueError):
            raise InvalidArgumentError("churned", "churned must be TRUE/FALSE (or 1/0) per customer") from None
        if not left.any():
            raise InvalidArgumentError("churned", "no customer has churned: churn cannot be estimated yet")
        lost_t, lost_w, alive_t, alive_w = _lifetime_counts(periods, left)
        self._fit_counts(lost_t, lost_w, alive_t - 1, alive_w, float(periods.size))
        return self

    def _fit_counts(self, lost_t: np.ndarray, lost_w: np.ndarray, alive_t: np.ndarray, alive_w: np.ndarray,
                    n_total: float, *, with_errors: bool = True) -> None:
        """Maximise sum(lost_w log P(T = lost_t)) + sum(alive_w log S(alive_t)), weights summing to 1 per customer.

        The gradient in log-parameters is analytic (``d betaln(a, b) / da = digamma(a) - digamma(a + b)``).
        """
        total = float(lost_w.sum() + alive_w.sum())
        lw, aw = lost_w / total, alive_w / total
        penalizer = self.penalizer

        def fun(logp: np.ndarray) -> tuple[float, np.ndarray]:
            a, b = np.exp(logp)
            base = betaln(a, b)
            ll = np.sum(lw * (betaln(a + 1, b + lost_t - 1) - base)) + np.sum(aw * (betaln(a, b + alive_t) - base))
            d_base_a, d_base_b = digamma(a) - digamma(a + b), digamma(b) - digamma(a + b)
            ga = np.sum(lw * (digamma(a + 1) - digamma(a + b + lost_t) - d_base_a)) \
                + np.sum(aw * (digamma(a) - digamma(a + b + alive_t) - d_base_a))
            gb = np.sum(lw * (digamma(b + lost_t - 1) - digamma(a + b + lost_t) - d_base_b)) \
                + np.sum(aw * (digamma(b + alive_t) - digamma(a + b + alive_t) - d_base_b))
            value = -float(ll) + penalizer * (a * a + b * b)
            grad = -np.array([ga * a, gb * b]) + penalizer * 2 * np.array([a * a, b * b])
            return value, grad

        starts = [np.log([1.0, 1.0]), np.log([0.5, 3.0]), np.log([2.0, 10.0])]
        self.degenerate, self.note = False, ""
        try:
            res = minimize_multistart(fun, starts, model_name="sBG", advice=_ADVICE,
                                      runaway=lambda logp: bool(min(logp) > np.log(_RIDGE)))
        except RunAwayError:
            theta = float(lost_w.sum() / (np.sum(lost_w * lost_t) + np.sum(alive_w * alive_t)))
            limit = np.log([theta * _BOUNDARY_SIZE, (1 - theta) * _BOUNDARY_SIZE])
            self._store_fit(limit, fun(limit)[0], lambda v: fun(v)[1], n_total)
            self._set_state(np.exp(limit), log_likelihood=self.log_likelihood, n_customers=n_total)  # no errors
            self.degenerate = True
            self.note = (f"no heterogeneity in churn could be seen: every customer is taken to churn with the same "
                         f"probability {theta:.1%} a period (alpha and beta grow without limit)")
            return
        self._store_fit(res.x, res.fun, lambda v: fun(v)[1], n_total)
        if not with_errors:
            self._set_state(np.exp(res.x), log_likelihood=self.log_likelihood, n_customers=n_total)

    # ------------------------------------------------------------------ predictions

    def _ab(self) -> tuple[float, float]:
        check_fitted(self, "ShiftedBetaGeometric")
        assert self._params is not None
        return float(self._params[0]), float(self._params[1])

    def survival(self, t: Any) -> Any:
        """Share of a new cohort still subscribed after ``t`` periods: ``S(t) = B(alpha, beta + t) / B(alpha, beta)``.

        Examples
        --------
        >>> ShiftedBetaGeometric.from_params(1, 1).survival([0, 1, 3]).tolist()  # S(t) = 1 / (t + 1)
        [1.0, 0.5, 0.25]
        """
        a, b = self._ab()
        periods = _periods("t", t, minimum=0)
        return wrap_result(np.exp(betaln(a, b + periods) - betaln(a, b)), t)

    def retention_rate(self, t: Any) -> Any:
        """Share of those still there after ``t - 1`` periods who renew at ``t`` (eq. 8).

        ``r(t) = (beta + t - 1) / (alpha + beta + t - 1)`` for ``t >= 1``.

        Examples
        --------
        >>> ShiftedBetaGeometric.from_params(1, 1).retention_rate([1, 2, 9]).tolist()
        [0.5, 0.6666666666666666, 0.9]
        """
        a, b = self._ab()
        periods = _periods("t", t, minimum=1)
        return wrap_result((b + periods - 1) / (a + b + periods - 1), t)

    def churn_probability(self, t: Any) -> Any:
        """``P(T = t)``: the share of a new cohort lost exactly at period ``t`` (>= 1), eq. (5).

        Examples
        --------
        >>> round(float(ShiftedBetaGeometric.from_params(1, 1).churn_probability(1)), 3)
        0.5
        """
        a, b = self._ab()
        periods = _periods("t", t, minimum=1)
        return wrap_result(np.exp(betaln(a + 1, b + periods - 1) - betaln(a, b)), t)

    def expected_lifetime(self, horizon: float | None = None) -> float:
        """Expected periods a new customer stays, ``E[T] = sum over t >= 0 of S(t)``.

        Without a horizon this is ``(alpha + beta - 1) / (alpha - 1)`` when ``alpha > 1`` (the Gauss sum of
        ``2F1(1, beta; alpha + beta; 1)``), and infinite when ``alpha <= 1``: the customers least likely to churn
        then stay so long that the mean does not exist (both segments of the 2007 paper). With a horizon of ``H``
        periods, the expected number of periods paid among the first ``H``: ``sum of S(t) for t < H``.

        Examples
        --------
        >>> ShiftedBetaGeometric.from_params(3, 2).expected_lifetime()
        2.0
        >>> round(ShiftedBetaGeometric.from_params(1, 1).expected_lifetime(horizon=3), 4)  # 1 + 1/2 + 1/3
        1.8333
        """
        a, b = self._ab()
        if horizon is None:
            return float("inf") if a <= 1 else (a + b - 1) / (a - 1)
        h = _periods("horizon", horizon, minimum=1)
        return float(np.sum(np.exp(betaln(a, b + np.arange(int(h.max()))) - betaln(a, b))))

    def derl(self, discount_rate: Any, renewals: Any = 0) -> Any:
        """Discounted expected residual lifetime of a customer who has made ``renewals`` renewals (F&H 2010, eq. 6).

        With ``n = renewals + 1`` periods paid so far, the customer's future payments come at the next renewals
        ``n, n+1, ...``, each only if still there, discounted one period per period:

        ``DERL = sum over t >= n of S(t) / S(n - 1) / (1 + d)^(t - n + 1)
        = B(alpha, beta + n) / (B(alpha, beta + n - 1) (1 + d)) * 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d))``.

        Multiply by the margin per period to get the customer's expected residual value. ``renewals`` carries the
        conditioning on tenure: long-standing customers are mostly low-churn ones, so DERL grows with it.

        Parameters
        ----------
        discount_rate : float or array-like
            Discount rate per period (> 0), e.g. 0.1 a year for yearly periods.
        renewals : int or array-like, default 0
            Renewals made so far (0 for a customer in their first period).

        Examples
        --------
        >>> sbg = ShiftedBetaGeometric.from_params(0.704, 1.182)
        >>> [round(float(v), 2) for v in sbg.derl(0.1, [0, 4])]
        [2.7, 5.36]
        """
        a, b = self._ab()
        d = as_float_array("discount_rate", discount_rate)
        if np.any(d <= 0):
            raise InvalidArgumentError("discount_rate", "discount_rate must be > 0 per period (without "
                                       "discounting a lifetime can be infinite)")
        n = _periods("renewals", renewals, minimum=0) + 1
        d, n = np.broadcast_arrays(d, n)
        ratio = np.exp(betaln(a, b + n) - betaln(a, b + n - 1))
        value = ratio / (1 + d) * hyp2f1(1.0, b + n, a + b + n, 1.0 / (1 + d))
        return wrap_result(value, discount_rate, renewals)


def _periods(name: str, values: Any, *, minimum: int) -> np.ndarray:
    """Whole numbers of periods >= ``minimum`` as a float array, or one short error naming ``name``."""
    arr = as_float_array(name, values, allow_negative=True)
    bad = (arr < minimum) | (arr != np.round(arr))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidArgumentError(name, f"{name} must be whole numbers of periods >= {minimum}; got {arr[i]:g}")
    return arr

