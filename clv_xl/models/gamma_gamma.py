"""Gamma-Gamma: the spend model of repeat buyers (Fader, Hardie & Lee 2005; Fader & Hardie 2013).

A customer's transactions are worth ``z_i ~ Gamma(p, nu)`` (shape p, rate nu) around a personal mean ``p / nu``,
and ``nu ~ Gamma(q, gamma)`` across customers. The data of one customer are ``frequency`` (x, the number of
repeat purchases) and ``monetary_value`` (the mean value of those x purchases, z-bar). The model assumes that a
customer's spend is independent of how often they buy; :attr:`GammaGamma.frequency_spend_correlation` reports
how far the data are from that assumption.

References
----------
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
Analysis", Journal of Marketing Research 42(4), 415-430.
P. S. Fader and B. G. S. Hardie (2013), "The Gamma-Gamma Model of Monetary Value", note
(http://brucehardie.com/notes/025/). Equation numbers below refer to this note.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from clv_xl.errors import ConvergenceError, InvalidArgumentError
from clv_xl.models._base import FittedModel
from clv_xl.models._common import as_float_array, check_fitted, check_weights, check_whole_frequency
from clv_xl.models._compress import compress_rows
from clv_xl.models._compress import dot as _dot
from clv_xl.models._optimize import search_compressed

__all__ = ["GammaGamma"]

_PARAM_NAMES = ("p", "q", "gamma")
_MIN_CUSTOMERS = 5
_ADVICE = (
    "When q and gamma run to their limit together, the customers' average spends differ no more than chance "
    "would make them: the data support one spend level for everybody (use the overall mean), or fit on more "
    "repeat buyers, drop refunds and zero-value orders, or add a small penalizer (GammaGamma(penalizer=0.001))."
)


def _check_frequency_spend(frequency: Any, monetary_value: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_float_array("frequency", frequency)
    m = as_float_array("monetary_value", monetary_value)
    try:
        x, m = np.broadcast_arrays(x, m)
    except ValueError:
        raise InvalidArgumentError(
            "monetary_value",
            f"frequency and monetary_value must have the same length; got {x.size} and {m.size}",
        ) from None
    check_whole_frequency(x)
    return np.round(x), m


class GammaGamma(FittedModel):
    """The Gamma-Gamma model of average transaction value, fitted by maximum likelihood on repeat buyers.

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty ``penalizer * (p**2 + q**2 + gamma**2)`` added to the mean negative log-likelihood.

    Attributes
    ----------
    params : dict of str to float
        Fitted ``p``, ``q``, ``gamma`` (``gamma`` is in money units).
    log_likelihood : float
        Sum over repeat buyers of the log of the marginal density of their mean spend (2013 note).
    standard_errors : dict of str to float
        Asymptotic standard errors from the inverse Hessian.
    frequency_spend_correlation : float
        Pearson correlation between frequency and monetary_value among the repeat buyers used in the fit. The
        model assumes it is 0; Fader & Hardie find 0.11 on CDNOW and treat values that small as harmless. A
        strong correlation (say beyond +/-0.3) means the spend forecasts are biased for heavy or light buyers.
    n_customers : float
        Repeat buyers the model was fitted on.

    Examples
    --------
    >>> gg = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)  # CDNOW, dollars
    >>> round(gg.expected_spend(frequency=2, monetary_value=22.35), 2)
    24.66
    >>> round(gg.mean_spend, 2)  # the population mean p * gamma / (q - 1)
    35.22
    """

    param_names = _PARAM_NAMES

    def __init__(self, penalizer: float = 0.0) -> None:
        super().__init__(penalizer)
        self.frequency_spend_correlation: float = float("nan")

    @classmethod
    def from_params(cls, p: float, q: float, gamma: float) -> GammaGamma:
        """Build a model from known parameters, without fitting.

        Examples
        --------
        >>> GammaGamma.from_params(6.25, 3.74, 15.44)
        GammaGamma(p=6.25, q=3.74, gamma=15.44)
        """
        return cls._from_values((p, q, gamma))

    @property
    def mean_spend(self) -> float:
        """Population mean transaction value ``p * gamma / (q - 1)`` (infinite when q <= 1)."""
        check_fitted(self, "GammaGamma")
        assert self._params is not None
        p, q, gamma = self._params
        return float(p * gamma / (q - 1)) if q > 1 else float("inf")

    @staticmethod
    def _row_log_likelihood(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
        """Log marginal density of the mean spend z-bar = m of x transactions (nu integrated out; 2013 note).

        ``f(m | p, q, gamma, x) = Gamma(px+q) / (Gamma(px) Gamma(q)) * gamma**q * x**(px) * m**(px-1)
        / (gamma + x m)**(px+q)``.
        """
        p, q, gamma = params
        px = p * x
        return (
            gammaln(px + q)
            - gammaln(px)
            - gammaln(q)
            + q * np.log(gamma)
            + px * np.log(x)
            + (px - 1) * np.log(m)
            - (px + q) * np.log(gamma + x * m)
        )

    @staticmethod
    def _objective_factory(x: np.ndarray, m: np.ndarray, w: np.ndarray, penalizer: float) -> tuple[Any, Any]:
        """f(log params) -> (mean negative log-likelihood + penalty, gradient), summing :meth:`_row_log_likelihood`.

        The terms of x alone (``gammaln(px + q)``, ``gammaln(px)``, ``px log x`` and their digammas) are computed
        once per distinct frequency, and ``(px - 1) log m`` through the per-frequency sums of ``w log m``; per row
        remain ``log(gamma + x m)`` and ``1 / (gamma + x m)``.
        """
        n = float(w.sum())
        ux, level = np.unique(x, return_inverse=True)
        wx = np.bincount(level, weights=w, minlength=ux.size)  # customers per distinct frequency
        log_m_x = np.bincount(level, weights=w * np.log(m), minlength=ux.size)  # sum of w log m per frequency
        log_ux = np.log(ux)
        xm, wxr = x * m, w * x

        def full(logp: np.ndarray) -> tuple[float, np.ndarray]:
            p, q, gamma = np.exp(logp)
            pu = p * ux
            log_den = np.log(gamma + xm)
            inv_den = 1.0 / (gamma + xm)
            sum_log_den, sum_x_log_den = float(_dot(w, log_den)), float(_dot(wxr, log_den))
            dg_puq = digamma(pu + q)
            ll = (
                float(_dot(wx, gammaln(pu + q) - gammaln(pu) + pu * log_ux))
                + n * (q * np.log(gamma) - gammaln(q))
                + float(_dot(pu - 1.0, log_m_x))
                - p * sum_x_log_den
                - q * sum_log_den
            )
            g_p = float(_dot(wx * ux, dg_puq - digamma(pu) + log_ux)) + float(_dot(ux, log_m_x)) - sum_x_log_den
            g_q = float(_dot(wx, dg_puq)) - sum_log_den + n * (np.log(gamma) - digamma(q))
            g_gamma = n * q / gamma - p * float(_dot(wxr, inv_den)) - q * float(_dot(w, inv_den))
            theta = np.array([p, q, gamma])
            value = -ll / n + penalizer * float(np.sum(theta**2))
            grad = -np.array([g_p, g_q, g_gamma]) * theta / n + 2 * penalizer * theta**2
            return value, grad

        return full, (lambda logp: full(logp)[1])

    def fit(self, frequency: Any, monetary_value: Any, weights: Any = None) -> GammaGamma:
        """Fit p, q, gamma on the repeat buyers (frequency > 0) by maximum likelihood (marginal density of z-bar).

        Rows with frequency 0 are ignored (their monetary_value carries no repeat spend). Repeat buyers must have
        monetary_value > 0.

        Parameters
        ----------
        frequency : array-like
            Repeat purchases per customer (whole numbers >= 0).
        monetary_value : array-like
            Mean value of each customer's repeat purchases.
        weights : array-like, optional
            Number of customers each row stands for.

        Returns
        -------
        GammaGamma
            ``self``, fitted.

        Raises
        ------
        InvalidArgumentError
            Negative frequency, non-finite values, or a repeat buyer with monetary_value <= 0.
        ConvergenceError
            Fewer than 5 repeat buyers, or no starting point converged.

        Examples
        --------
        3,000 simulated repeat buyers (plain numpy) with true p = 6, q = 4, gamma = 20: each estimate lies within
        two of its standard errors of the truth (a p of 6.2 +- 0.8 here; the errors are what a sample of this size
        allows, not bias):

        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> counts = rng.integers(1, 6, size=3000)             # repeat purchases of each customer
        >>> nu = rng.gamma(4.0, 1 / 20.0, size=3000)           # spend rate of each customer: Gamma(q, gamma)
        >>> mean = rng.gamma(6.0 * counts, 1 / (nu * counts))  # mean of `counts` spends, each Gamma(p, nu)
        >>> gg = GammaGamma().fit(counts, mean)
        >>> truth = {"p": 6.0, "q": 4.0, "gamma": 20.0}
        >>> {k: bool(abs(v - truth[k]) < 2 * gg.standard_errors[k]) for k, v in gg.params.items()}
        {'p': True, 'q': True, 'gamma': True}

        Eight repeat buyers whose average spends differ no more than chance cannot pin down q and gamma (they run
        off together towards a single spend level for everybody); a small penalizer keeps them finite:

        >>> GammaGamma(penalizer=0.001).fit([1, 2, 1, 3, 1, 4, 2, 1], [20.0, 31.5, 12, 25, 48, 22, 18.5, 35])
        GammaGamma(p=10.55, q=4.445, gamma=9.443)
        """
        x, m = _check_frequency_spend(frequency, monetary_value)
        w = check_weights(weights, x.size)
        if (x < 0).any():  # pragma: no cover - as_float_array already rejects negatives
            raise InvalidArgumentError("frequency", "frequency must be >= 0")
        repeat = (x > 0) & (w > 0)
        bad = repeat & (m <= 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InvalidArgumentError(
                "monetary_value",
                f"monetary_value must be > 0 for repeat buyers (frequency > 0); got {m[i]!r} at position {i} "
                f"({int(bad.sum())} such customers). Drop them or remove zero-value orders before fitting.",
            )
        x, m, w = x[repeat], m[repeat], w[repeat]
        n_total = float(w.sum())
        if n_total < _MIN_CUSTOMERS:
            raise ConvergenceError(
                f"Gamma-Gamma needs at least {_MIN_CUSTOMERS} repeat buyers (frequency > 0); got {n_total:g}. "
                "Use a longer history so that more customers buy twice."
            )
        (xu, mu), wu = compress_rows(x, m, weights=w)
        penalizer = self.penalizer

        def factory(xs: np.ndarray, ms: np.ndarray, ws: np.ndarray) -> tuple[Any, Any, float]:
            return (*self._objective_factory(xs, ms, ws, penalizer), float(ws.sum()))

        mean_m = float(_dot(w, m) / n_total)
        # starts whose implied population mean p * gamma / (q - 1) matches the observed mean spend
        starts = [
            np.log([2.0, 3.0, mean_m]),
            np.log([6.0, 4.0, 0.5 * mean_m]),
            np.log([1.0, 1.0, 1.0]),
            np.log([10.0, 5.0, 0.4 * mean_m]),
        ]
        # spends are continuous, so few rows merge: above 40,000 the starts run on a subset and the best is polished
        # on all rows (700,000 repeat buyers: 34 evaluations of every row before, a handful now)
        res, _, grad = search_compressed(factory, (xu, mu), wu, starts, model_name="Gamma-Gamma", advice=_ADVICE)
        if res is None:  # pragma: no cover - no ridge is watched: search_compressed raises when nothing converges
            raise ConvergenceError(f"Gamma-Gamma could not be fitted. {_ADVICE}")
        self._store_fit(res.x, res.fun, grad, n_total)
        self.frequency_spend_correlation = _weighted_corr(x, m, w)
        return self

    def expected_spend(self, frequency: Any, monetary_value: Any) -> Any:
        """Expected average transaction value of a customer given their history, eq. (5) of the 2013 note.

        ``E[Z | p, q, gamma, m, x] = p * (gamma + x m) / (p x + q - 1)``, a weighted mean of the population mean
        ``p gamma / (q - 1)`` and the customer's own mean ``m``. Customers without repeat purchases (x = 0) get
        the population mean whatever their monetary_value.

        Parameters
        ----------
        frequency : array-like or scalar
            Repeat purchases (whole numbers >= 0).
        monetary_value : array-like or scalar
            Mean value of the repeat purchases (ignored where frequency is 0).

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Same shape conventions as :meth:`clv_xl.models.BetaGeo.expected_purchases`.

        Examples
        --------
        >>> gg = GammaGamma.from_params(6.25, 3.74, 15.44)
        >>> gg.expected_spend([0, 1, 10], [0.0, 50.0, 50.0]).round(2).tolist()
        [35.22, 45.49, 49.38]
        """
        check_fitted(self, "GammaGamma")
        assert self._params is not None
        p, q, gamma = self._params
        if q <= 1:
            raise ConvergenceError(
                f"Gamma-Gamma q = {q:.4g} <= 1: the fitted spend distribution has no mean, so expected spend is "
                f"undefined. {_ADVICE}"
            )
        x, m = _check_frequency_spend(frequency, monetary_value)
        m = np.where(x > 0, m, 0.0)
        result = p * (gamma + x * m) / (p * x + q - 1)
        for value in (frequency, monetary_value):
            if isinstance(value, pd.Series) and len(value) == result.size:
                return pd.Series(result, index=value.index)
        if np.ndim(frequency) == 0 and np.ndim(monetary_value) == 0:
            return float(result[0])
        return result


def _weighted_corr(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Weighted Pearson correlation; NaN when either variable is constant."""
    wx = _dot(w, x) / w.sum()
    wy = _dot(w, y) / w.sum()
    cov = _dot(w, (x - wx) * (y - wy))
    var_x = _dot(w, (x - wx) ** 2)
    var_y = _dot(w, (y - wy) ** 2)
    if var_x <= 0 or var_y <= 0:
        return float("nan")
    return float(cov / np.sqrt(var_x * var_y))
