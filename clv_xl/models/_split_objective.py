"""An objective of log-parameters whose value and gradient are asked for apart, and a numeric gradient for one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["SplitObjective", "with_numeric_gradient"]


@dataclass(frozen=True)
class SplitObjective:
    """An objective whose value and gradient can be had apart: ``f(x) -> (value(x), gradient(x))``.

    Made by :func:`with_numeric_gradient`, where the gradient costs ``2 * len(x)`` values. SLSQP asks for the value
    alone at the trial points of its line searches and for the gradient only where it accepts a step; given the two
    apart (:func:`clv_xl.models._multistart._minimize_once`), it pays for a gradient only there. The values and
    gradients it receives are the same numbers, so its path is the same. (Given one function returning both, scipy
    computes the gradient at every trial point. Measured on Pareto/NBD fits: 1,674 -> 1,226 evaluations on the
    1M-order report's holdout sample, whose starts all run up the drop-out ridge; 1,035 -> 707 on a converging fit
    of 4,000 simulated customers, with the same estimates to the last bit.)
    """

    value: Callable[[np.ndarray], float]
    gradient: Callable[[np.ndarray], np.ndarray]

    def __call__(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        return self.value(x), self.gradient(x)


def with_numeric_gradient(value: Callable[[np.ndarray], float], step: float = 1e-5) -> SplitObjective:
    """Turn an objective of log-parameters into ``f(x) -> (value, gradient)`` by central differences.

    For likelihoods whose derivatives have no convenient closed form (the Gauss hypergeometric terms of the
    Pareto/NBD, the finite sums of BG/BB). With a step of 1e-5 in log-parameters the gradient is accurate to about
    1e-10 on objectives of order one (truncation ``step**2``, rounding ``1e-16 / step``).

    Examples
    --------
    >>> f = with_numeric_gradient(lambda v: float(v[0] ** 2 + 3 * v[1]))
    >>> value, grad = f(np.array([1.0, 2.0]))
    >>> value, np.round(grad, 6).tolist()
    (7.0, [2.0, 3.0])
    """

    def gradient(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        grad = np.empty(x.size)
        for j in range(x.size):
            e = np.zeros(x.size)
            e[j] = step
            grad[j] = (value(x + e) - value(x - e)) / (2 * step)
        return grad

    return SplitObjective(lambda x: value(np.asarray(x, dtype=float)), gradient)
