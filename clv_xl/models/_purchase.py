"""What the purchase-count models share: fitting on compressed histories and the public predictions.

A purchase model (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB) describes each customer by ``frequency`` (x, repeat
purchases), ``recency`` (t_x, time of the last purchase) and ``T`` (length of observation), all counted from the
first purchase in one time unit (opportunities for BG/BB). A subclass supplies its likelihood and four formulas:

- ``_objective(x, tx, T, w)``: mean negative log-likelihood (+ penalty) of log-parameters and its gradient;
- ``_p_alive_arrays(x, tx, T)``: P(alive at T | history);
- ``_alive_purchases(t, x, T)``: expected purchases in (T, T + t] of a customer alive at T (it depends on x and T
  only, so forecasts over many periods work on the few distinct (x, T) pairs);
- ``_pmf(n, t)``: P(X(t) = n) for a new customer.

The conditional expectation is then ``P(alive) * _alive_purchases`` (the factorisation holds for all four models:
the purchase process after T depends on the history only through the posterior of the alive customers).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from clv_xl.errors import ConvergenceError, InvalidArgumentError
from clv_xl.models._base import FittedModel
from clv_xl.models._common import as_float_array, check_customer_arrays, check_fitted, check_weights, wrap_result
from clv_xl.models._compress import compress_rows, row_codes
from clv_xl.models._compress import dot as _dot
from clv_xl.models._optimize import search_compressed, with_numeric_gradient
from clv_xl.models._period_sum import discounted_period_sum

__all__ = ["PurchaseModel"]

#: Gauss-Laguerre nodes for the discounted expected residual transactions of the continuous-time models.
_LAGUERRE = np.polynomial.laguerre.laggauss(48)
#: Rows from which a forecast is computed on the distinct (window, x, T) rows (below, finding them costs more)
_COMPRESS_FROM = 256


class PurchaseModel(FittedModel):
    """Base of the purchase-count models: fit on compressed histories, predict per customer.

    Subclasses set :attr:`model_name`, :attr:`param_names`, :attr:`advice` and implement the formulas listed in the
    module notes, plus :meth:`_starts`.
    """

    model_name: ClassVar[str] = ""
    advice: ClassVar[str] = ""
    min_customers: ClassVar[int] = 10
    #: distinct rows above which the starts are explored on a subset first (see ``search_compressed``)
    polish_above: ClassVar[int] = 40_000
    subset_rows: ClassVar[int] = 20_000
    #: recognises log-parameters on a ridge where the likelihood keeps rising towards a degenerate limit (None:
    #: not watched); a fit whose every start runs away along it raises, saying :attr:`ridge_reason`
    ridge: ClassVar[Any] = None
    ridge_reason: ClassVar[str] = ""
    #: consecutive evaluations on :attr:`ridge` after which a start is abandoned (``minimize_multistart``'s
    #: ``patience``)
    ridge_patience: ClassVar[int] = 20

    # ------------------------------------------------------------------ fitting

    def _check_history(self, frequency: Any, recency: Any, T: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return check_customer_arrays(frequency, recency, T)

    def _objective(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> tuple[Any, Any, float]:
        raise NotImplementedError

    def _starts(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray) -> list[np.ndarray]:
        raise NotImplementedError

    def _search(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, starts: list[np.ndarray]) -> None:
        """Maximise the likelihood on distinct rows ``(x, tx, T)`` of weights ``w`` and keep the result."""
        res, _, grad = search_compressed(
            self._objective, (x, tx, T), w, starts, polish_above=self.polish_above, subset_rows=self.subset_rows,
            model_name=self.model_name, advice=self.advice,
            runaway=type(self).ridge if self.penalizer == 0 else None, patience=self.ridge_patience,
        )
        if res is None:  # every start ran away along the ridge (search_compressed raised otherwise)
            raise ConvergenceError(f"{self.model_name} could not be fitted: {self.ridge_reason}. {self.advice}")
        self._store_fit(res.x, res.fun, grad, float(w.sum()))

    def fit(self, frequency: Any, recency: Any, T: Any, weights: Any = None) -> Any:
        """Fit the parameters by maximum likelihood on the customers' (frequency, recency, T).

        Identical rows are merged first and weighted by their count, so the cost grows with the number of distinct
        histories rather than customers. The optimiser (SLSQP, then L-BFGS-B, on log-parameters) starts from
        several points and keeps the best of the first two that converge.

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
        PurchaseModel
            ``self``, fitted.

        Raises
        ------
        InvalidArgumentError
            Negative, non-finite or inconsistent inputs.
        ConvergenceError
            Too few customers, no repeat buyers, or no starting point converged.
        """
        x, tx, t_obs = self._check_history(frequency, recency, T)
        w = check_weights(weights, x.size)
        n_total = float(w.sum())
        if n_total < self.min_customers:
            raise ConvergenceError(
                f"{self.model_name} needs at least {self.min_customers} customers to estimate "
                f"{len(self.param_names)} parameters; got {n_total:g}. Fit on a longer history or more customers."
            )
        if float(w[x > 0].sum()) == 0:
            raise ConvergenceError(
                f"{self.model_name} cannot be fitted: no customer made a repeat purchase (all frequencies are 0), "
                "so the data say nothing about purchase rates or drop-out. Use a longer observation period."
            )
        (x_u, tx_u, t_u), w_u = compress_rows(x, tx, t_obs, weights=w)
        self._search(x_u, tx_u, t_u, w_u, self._starts(x, tx, t_obs, w))
        return self

    def _mean_objective(self, row_log_likelihood: Any, w: np.ndarray) -> tuple[Any, Any, float]:
        """Objective of log-parameters from a per-row log-likelihood: weighted mean, penalty, numeric gradient."""
        total = float(w.sum())
        penalizer = self.penalizer

        def value(logp: np.ndarray) -> float:
            theta = np.exp(logp)
            with np.errstate(all="ignore"):
                ll = row_log_likelihood(theta)
            return -float(_dot(w, ll)) / total + penalizer * float(np.sum(theta**2))

        fun = with_numeric_gradient(value)
        return fun, fun.gradient, total

    @staticmethod
    def _purchase_rate(x: np.ndarray, T: np.ndarray, w: np.ndarray) -> float:
        """Repeat purchases per unit of time over all customers (1 when there are none), to scale the starts."""
        rate = float(_dot(w, x) / max(_dot(w, T), 1e-12))
        return rate if rate > 0 else 1.0

    # ------------------------------------------------------------------ formulas (subclasses)

    def _p_alive_arrays(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _alive_purchases(self, t: np.ndarray, x: np.ndarray, T: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _pmf(self, n: np.ndarray, t: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _residual_arrays(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, rate: float) -> np.ndarray:
        """Discounted expected residual transactions, ``int_0^inf e^(-delta t) dE[Y(t)]`` with ``delta = log(1+rate)``.

        Integrated by parts, ``delta * int_0^inf e^(-delta t) E[Y(t)] dt = int_0^inf e^(-u) E[Y(u / delta)] du``,
        computed with 48-point Gauss-Laguerre quadrature on the distinct (x, T) pairs.
        """
        delta = float(np.log1p(rate))
        (xu, tu), codes = row_codes(x, T)
        nodes, weights = _LAGUERRE
        total = np.zeros(xu.size)
        for u, weight in zip(nodes, weights, strict=True):
            total += weight * self._alive_purchases(np.full(xu.size, u / delta), xu, tu)
        return total[codes] * self._p_alive_arrays(x, tx, T)

    # ------------------------------------------------------------------ public predictions

    def _fitted(self) -> None:
        check_fitted(self, type(self).__name__)

    def p_alive(self, frequency: Any, recency: Any, T: Any) -> Any:
        """Probability that a customer with this history is still alive (has not dropped out) at ``T``."""
        self._fitted()
        x, tx, t_obs = self._check_history(frequency, recency, T)
        return wrap_result(self._p_alive_arrays(x, tx, t_obs), frequency, recency, T)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any) -> Any:
        """Expected purchases in the next ``t`` time units of a customer with history (x, t_x, T).

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
        """
        self._fitted()
        x, tx, t_obs = self._check_history(frequency, recency, T)
        tt = as_float_array("t", t)
        try:
            tt, x, tx, t_obs = np.broadcast_arrays(tt, x, tx, t_obs)
        except ValueError:
            raise InvalidArgumentError(
                "t", f"t must be one number or one per customer ({x.size}); got {tt.size} values"
            ) from None
        return wrap_result(self._alive_on_pairs(tt, x, t_obs) * self._p_alive_arrays(x, tx, t_obs),
                           t, frequency, recency, T)

    def expected_purchases_if_alive(self, t: Any, frequency: Any, T: Any) -> Any:
        """Expected purchases in the next ``t`` time units of a customer still alive at ``T``.

        :meth:`expected_purchases` without its P(alive) factor: once the customer is known to be alive, the
        recency no longer matters.

        Examples
        --------
        >>> from clv_xl.models import BetaGeo
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)  # CDNOW (Fader, Hardie & Lee 2005)
        >>> round(bg.expected_purchases_if_alive(39, 2, 38.86) * bg.p_alive(2, 30.43, 38.86), 3)
        1.226
        """
        self._fitted()
        x, t_obs, tt = (as_float_array(name, v) for name, v in (("frequency", frequency), ("T", T), ("t", t)))
        try:
            tt, x, t_obs = np.broadcast_arrays(tt, x, t_obs)
        except ValueError:
            raise InvalidArgumentError(
                "t", f"t, frequency and T must have the same length (or be single numbers); got {tt.size}, "
                f"{x.size} and {t_obs.size}") from None
        x, _, t_obs = self._check_history(x, np.minimum(x, t_obs), t_obs)  # the model's own rules for x and T
        return wrap_result(self._alive_on_pairs(tt, x, t_obs), t, frequency, T)

    def _alive_on_pairs(self, t: np.ndarray, x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """:meth:`_alive_purchases` of each row, computed once per distinct (t, x, T) row.

        The expectation of a customer alive at T depends on (x, T) and the window, not on the recency: 87,686
        customers of the 1M-order benchmark have 73,932 distinct (x, t_x, T) histories but 27,124 distinct (x, T)
        pairs, and its hypergeometric terms are the dearest part of a forecast.
        """
        if x.size < _COMPRESS_FROM:
            return self._alive_purchases(t, x, T)
        (tu, xu, big_t), codes = row_codes(t, x, T)
        return self._alive_purchases(tu, xu, big_t)[codes]

    def total_expected_purchases(self, windows: Any, frequency: Any, recency: Any, T: Any) -> np.ndarray:
        """Expected purchases of all the customers together in each window ``(T, T + w]`` of ``windows``.

        Computed as ``sum_i P(alive_i) * E[purchases | alive, x_i, T_i]``, the second factor once per distinct
        (x, T) pair and window, so a tracking curve over many windows costs little more than one forecast.

        Examples
        --------
        >>> from clv_xl.models import BetaGeo
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
        >>> each = bg.expected_purchases(39, [0, 2, 2], [0.0, 30.43, 30.43], [38.86, 38.86, 38.86])
        >>> bool(np.isclose(bg.total_expected_purchases([39], [0, 2, 2], [0.0, 30.43, 30.43], [38.86] * 3)[0],
        ...                 each.sum()))
        True
        """
        self._fitted()
        x, tx, t_obs = self._check_history(frequency, recency, T)
        (xu, tu), codes = row_codes(x, t_obs)
        alive = np.bincount(codes, weights=self._p_alive_arrays(x, tx, t_obs), minlength=xu.size)
        return np.array([float(_dot(alive, self._alive_purchases(np.full(xu.size, float(w)), xu, tu)))
                         for w in as_float_array("windows", windows)])

    def expected_purchases_new(self, t: Any) -> Any:
        """Expected repeat purchases of a new customer in a window of length ``t`` after the first purchase."""
        self._fitted()
        tt = as_float_array("t", t)
        zeros = np.zeros_like(tt)
        return wrap_result(self._alive_purchases(tt, zeros, zeros) * self._p_alive_arrays(zeros, zeros, zeros), t)

    def probability_of_purchases(self, n: Any, t: Any) -> Any:
        """Probability that a new customer makes exactly ``n`` repeat purchases in a window of length ``t``.

        Parameters
        ----------
        n : int or array-like of int
            Number of repeat purchases (>= 0).
        t : float or array-like
            Window length in the model's time unit (>= 0). ``n`` and ``t`` broadcast together.
        """
        self._fitted()
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
        return wrap_result(self._pmf(nn, tt), n, t)

    def residual_purchases(self, frequency: Any, recency: Any, T: Any, discount_rate: float) -> Any:
        """Discounted expected residual transactions (DERT): all future purchases, each discounted to ``T``.

        The infinite-horizon counterpart of :meth:`expected_purchases` (Fader, Hardie & Lee 2005, "RFM and CLV",
        eq. 2): multiplied by the margin per purchase it is the customer's residual value.

        Parameters
        ----------
        frequency, recency, T : array-like or scalar
            The customers' histories.
        discount_rate : float
            Discount rate PER TIME UNIT of the model (per opportunity for BG/BB), > 0; a purchase made ``t`` units
            after ``T`` counts ``(1 + discount_rate) ** -t``. :func:`clv_xl.models.discount_rate_per_period`
            converts a yearly rate.
        """
        self._fitted()
        try:
            rate = float(discount_rate)
        except (TypeError, ValueError):
            rate = float("nan")
        if not (np.isfinite(rate) and rate > 0):
            raise InvalidArgumentError(
                "discount_rate", f"discount_rate must be a number > 0 (per time unit); got {discount_rate!r}"
            )
        x, tx, t_obs = self._check_history(frequency, recency, T)
        return wrap_result(self._residual_arrays(x, tx, t_obs, rate), frequency, recency, T)

    def discounted_purchases(
        self, horizon: float, frequency: Any, recency: Any, T: Any, rate_per_period: float = 0.0
    ) -> Any:
        """Expected purchases in the next ``horizon`` time units, each period's discounted at the end of the period.

        The horizon is cut into periods of one time unit (the last one possibly partial); the purchases expected in
        period k count ``(1 + rate_per_period) ** -k``. Undiscounted it is :meth:`expected_purchases`.

        Parameters
        ----------
        horizon : float
            Forecast length in the model's time unit, > 0.
        frequency, recency, T : array-like or scalar
            The customers' histories.
        rate_per_period : float, default 0.0
            Discount rate per time unit, >= 0 (:func:`clv_xl.models.discount_rate_per_period` converts a yearly
            rate).

        Examples
        --------
        >>> from clv_xl.models import BetaGeo
        >>> bg = BetaGeo.from_params(0.2426, 4.4136, 0.7929, 2.4259)
        >>> round(bg.discounted_purchases(39, 2, 30.43, 38.86), 3)  # = expected_purchases: FHL (2005) 1.226
        1.226
        >>> bool(bg.discounted_purchases(39, 2, 30.43, 38.86, 0.01) < 1.226)
        True
        """
        self._fitted()
        h, rate = float(horizon), float(rate_per_period)
        if not (math.isfinite(h) and h > 0 and math.isfinite(rate) and rate >= 0):
            raise InvalidArgumentError(
                "horizon", f"horizon must be > 0 and rate_per_period >= 0; got {horizon!r} and {rate_per_period!r}"
            )
        x, tx, t_obs = self._check_history(frequency, recency, T)
        return wrap_result(self._discounted_arrays(x, tx, t_obs, h, rate), frequency, recency, T)

    def _discounted_arrays(
        self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, horizon: float, rate: float
    ) -> np.ndarray:
        """The sum of :meth:`discounted_purchases` on the distinct (x, T) pairs, times each P(alive).

        The per-period sum is taken on an interpolant of the cumulative expectation at a few nodes per pair, to
        a relative 1e-10 of the exact sum (:func:`clv_xl.models._period_sum.discounted_period_sum`).
        """
        alive = self._p_alive_arrays(x, tx, T)
        (xu, tu), codes = row_codes(x, T)
        if rate == 0.0:
            total = self._alive_purchases(np.full(xu.size, horizon), xu, tu)
            return total[codes] * alive

        def cumulative(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
            return self._alive_purchases(t, xu[rows], tu[rows])

        return discounted_period_sum(cumulative, xu.size, horizon, rate)[codes] * alive
