"""What every fitted model shares: the penalizer, its parameters, their standard errors, construction from params."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

import numpy as np

from clv_xl.errors import InvalidArgumentError
from clv_xl.models._common import check_fitted
from clv_xl.models._standard_errors import numeric_hessian, standard_errors_from_hessian

__all__ = ["FittedModel"]

_M = TypeVar("_M", bound="FittedModel")


def _positive(name: str, value: object) -> float:
    try:
        v = float(value)  # type: ignore[arg-type]  # any object: a failure is the answer
    except (TypeError, ValueError):
        raise InvalidArgumentError(name, f"{name} must be a number > 0; got {value!r}") from None
    if not np.isfinite(v) or v <= 0:
        raise InvalidArgumentError(name, f"{name} must be a number > 0; got {value!r}")
    return v


class FittedModel:
    """Base of the models: holds positive parameters fitted on log scale by maximum likelihood.

    Subclasses name their parameters in :attr:`param_names` and, after a fit, set ``_params``,
    ``log_likelihood``, ``n_customers`` and ``_hessian_source`` (gradient of the mean negative
    log-likelihood in log-parameters, the optimum, the number of customers).

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty on the parameters (0: plain maximum likelihood).
    """

    param_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, penalizer: float = 0.0) -> None:
        try:
            pen = float(penalizer)
        except (TypeError, ValueError):
            raise InvalidArgumentError("penalizer", f"penalizer must be a number >= 0; got {penalizer!r}") from None
        if not np.isfinite(pen) or pen < 0:
            raise InvalidArgumentError("penalizer", f"penalizer must be a number >= 0; got {penalizer!r}")
        self.penalizer = pen
        self._params: np.ndarray | None = None
        self.log_likelihood: float = float("nan")
        self.n_customers: float = 0.0
        self._standard_errors: dict[str, float] | None = None
        self._hessian_source: tuple[Any, np.ndarray, float] | None = None
        self._hessian_cache: np.ndarray | None = None

    def _set_state(
        self,
        params: np.ndarray,
        *,
        log_likelihood: float = float("nan"),
        n_customers: float = 0.0,
        hessian_source: tuple[Any, np.ndarray, float] | None = None,
        standard_errors: dict[str, float] | None = None,
    ) -> None:
        """The one method that stores a model's fitted state (a fit, a boundary fit or known parameters)."""
        self._params = np.asarray(params, dtype=np.float64)
        self.log_likelihood = float(log_likelihood)
        self.n_customers = float(n_customers)
        self._hessian_source = hessian_source
        self._hessian_cache = None
        self._standard_errors = standard_errors

    def __repr__(self) -> str:
        name = type(self).__name__
        if self._params is None:
            return f"{name}(penalizer={self.penalizer}) <not fitted>"
        inner = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items())
        return f"{name}({inner})"

    @property
    def params(self) -> dict[str, float]:
        """Fitted parameters as a dict of floats, in :attr:`param_names` order."""
        check_fitted(self, type(self).__name__)
        assert self._params is not None
        return dict(zip(self.param_names, (float(v) for v in self._params), strict=True))

    def _values(self) -> tuple[float, ...]:
        """The fitted parameters as plain floats, in :attr:`param_names` order."""
        check_fitted(self, type(self).__name__)
        assert self._params is not None
        return tuple(float(v) for v in self._params)

    @property
    def standard_errors(self) -> dict[str, float]:
        """Asymptotic standard errors of the parameters (computed on first access, then cached).

        They come from the inverse of the Hessian of the (penalised) negative log-likelihood in log-parameters,
        obtained by central differences of the analytic gradient, and the delta method. NaN when the Hessian is
        not positive definite; empty for a model built with :meth:`from_params`.
        """
        if self._standard_errors is None:
            if self._hessian_source is None:
                return {}
            hess = self._log_hessian()
            assert hess is not None and self._params is not None
            se = standard_errors_from_hessian(hess, self._params)
            self._standard_errors = dict(zip(self.param_names, (float(v) for v in se), strict=True))
        return dict(self._standard_errors)

    def _log_hessian(self) -> np.ndarray | None:
        """Hessian of the total negative log-likelihood in log-parameters at the optimum (None without a fit)."""
        if self._hessian_source is None:
            return None
        if self._hessian_cache is None:
            grad, x_opt, n_total = self._hessian_source
            self._hessian_cache = numeric_hessian(lambda v: grad(v) * n_total, x_opt)
        return self._hessian_cache

    def log_covariance(self) -> np.ndarray | None:
        """Asymptotic covariance of the log-parameters (inverse Hessian); None when unknown or not positive definite.

        The basis of the forecast ranges (:mod:`clv_xl.models.ranges`).
        """
        hess = self._log_hessian()
        if hess is None:
            return None
        try:
            if np.any(np.linalg.eigvalsh(hess) <= 0):
                return None
            return np.linalg.inv(hess)
        except np.linalg.LinAlgError:
            return None

    def _store_fit(self, log_params: np.ndarray, objective: float, grad: Any, n_total: float) -> None:
        """Keep a fit's result: parameters, the full (unpenalised) log-likelihood, what standard errors need.

        Parameters
        ----------
        log_params : numpy.ndarray
            The optimum, in log-parameters.
        objective : float
            The penalised mean negative log-likelihood there.
        grad : callable
            Gradient of the mean negative log-likelihood in log-parameters.
        n_total : float
            Number of customers (sum of weights).
        """
        params = np.exp(log_params)
        penalty = self.penalizer * float(np.sum(params**2))
        self._set_state(params, log_likelihood=-(objective - penalty) * n_total, n_customers=n_total,
                        hessian_source=(grad, log_params, n_total))

    @classmethod
    def _from_values(cls: type[_M], values: tuple[object, ...]) -> _M:
        """A model of known parameters (each checked to be a finite number > 0), without fitting."""
        model = cls()
        model._set_state(np.array([_positive(n, v) for n, v in zip(cls.param_names, values, strict=True)]))
        return model
