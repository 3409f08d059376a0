"""The last iterations of a fit started on a subset of the data: quasi-Newton steps from the subset's Hessian."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from clv_xl.models._multistart import FitResult

__all__ = ["newton_polish"]


def newton_polish(
    fun_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    x0: np.ndarray,
    hessian: np.ndarray,
    *,
    bounds: tuple[float, float] = (-18.0, 18.0),
    gtol: float = 1e-8,
    max_iter: int = 60,
) -> FitResult | None:
    """Refine ``x0`` by quasi-Newton steps that start from an approximate Hessian, with backtracking.

    Meant for the last iterations of a fit started on a subset of the data: the Hessian of the subset's mean
    objective is close to that of the full data, so each step costs one evaluation on all rows; BFGS updates
    correct the directions the subset determines poorly, so the gradient shrinks faster than geometrically.
    Returns None (the caller falls back to a full optimisation) when the
    Hessian is not positive definite, a step cannot decrease the objective, or ``max_iter`` is reached.
    """
    lo, hi = bounds
    try:
        if np.any(np.linalg.eigvalsh(hessian) <= 0):
            return None
        inverse = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return None
    x = np.asarray(x0, dtype=float)
    with np.errstate(all="ignore"):
        f, g = fun_and_grad(x)
        for _ in range(max_iter):
            if not (np.isfinite(f) and np.all(np.isfinite(g))):
                return None
            if float(np.max(np.abs(g))) < gtol:
                return FitResult(x=x, fun=float(f), n_starts_tried=1, message="Newton polish converged")
            step = -(inverse * g).sum(axis=1)
            slope = float((g * step).sum())
            if slope >= 0:
                return None
            t = 1.0
            while True:
                x_new = np.clip(x + t * step, lo, hi)
                f_new, g_new = fun_and_grad(x_new)
                # Armijo, with room for rounding once the objective stops changing in double precision
                if np.isfinite(f_new) and f_new <= f + 1e-4 * t * slope + 1e-13 * abs(f):
                    break
                t /= 2
                if t < 1e-6:
                    # no decrease possible in double precision: accept if already stationary enough
                    if float(np.max(np.abs(g))) < 100 * gtol:
                        return FitResult(x=x, fun=float(f), n_starts_tried=1, message="Newton polish stalled")
                    return None
            # BFGS update of the inverse: fixes the directions where the subset's Hessian differs from the data's
            s_k, y_k = x_new - x, g_new - g
            curvature = float((s_k * y_k).sum())
            if curvature > 1e-12 * float(np.sqrt((s_k * s_k).sum() * (y_k * y_k).sum())):
                rho = 1.0 / curvature
                left = np.eye(x.size) - rho * np.outer(s_k, y_k)
                inverse = left @ inverse @ left.T + rho * np.outer(s_k, s_k)
            x, f, g = x_new, f_new, g_new
    return None
