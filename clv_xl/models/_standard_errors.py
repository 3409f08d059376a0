"""Standard errors of fitted parameters: numeric Hessian of the negative log-likelihood and the delta method."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["numeric_hessian", "standard_errors_from_hessian"]


def numeric_hessian(grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Central-difference Hessian of a function whose analytic gradient is ``grad``; symmetrised.

    Examples
    --------
    >>> h = numeric_hessian(lambda v: np.array([2 * v[0], 6 * v[1]]), np.array([1.0, 1.0]))
    >>> np.round(h, 6).tolist()
    [[2.0, 0.0], [0.0, 6.0]]
    """
    k = x.size
    h = np.empty((k, k))
    for j in range(k):
        e = np.zeros(k)
        e[j] = step
        h[:, j] = (grad(x + e) - grad(x - e)) / (2 * step)
    return (h + h.T) / 2


def standard_errors_from_hessian(hess_log: np.ndarray, params: np.ndarray) -> np.ndarray:
    """Standard errors of positive parameters from the Hessian of the negative log-likelihood in log-space.

    At the optimum the gradient vanishes, so the delta method gives ``cov(theta) = D cov(log theta) D`` with
    ``D = diag(theta)``. Returns NaN where the Hessian is not positive definite.
    """
    try:
        cov_log = np.linalg.inv(hess_log)
    except np.linalg.LinAlgError:
        return np.full(params.size, np.nan)
    var = np.diag(cov_log) * params**2
    if np.any(~np.isfinite(var)) or np.any(var <= 0) or np.any(np.linalg.eigvalsh(hess_log) <= 0):
        return np.full(params.size, np.nan)
    return np.sqrt(var)
