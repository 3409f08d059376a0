"""Special functions of the purchase models, in forms that neither overflow nor lose precision."""

from __future__ import annotations

import numpy as np
from scipy.special import hyp2f1

__all__ = ["log_pareto_tail"]


def log_pareto_tail(M: np.ndarray, e: np.ndarray, c: float, o: float, t: np.ndarray) -> np.ndarray:
    """``log[(c+t)**-M * 2F1(M, e; M+1; (c-o)/(c+t))]``, the building block of the Pareto/NBD likelihood.

    With ``c = max(alpha, beta)`` and ``o = min(alpha, beta)``, ``M * integral_t^inf (alpha+y)**-(r+x)
    (beta+y)**-(s+1) dy`` equals this function's exponential (``e`` is ``s + 1`` when ``alpha >= beta``, ``r + x``
    otherwise), and the likelihood's ``A_0`` term of Fader & Hardie (2005, note 009) is its difference at ``t_x`` and
    ``T``. Written naively, ``(c+t)**-M`` underflows and ``2F1(M, e; M+1; z)`` overflows for heavy buyers (M grows
    with x). Here the power is taken in log space and the hypergeometric function goes through Euler's
    transformation, ``2F1(M, e; M+1; z) = (1-z)**(1-e) 2F1(1, M+1-e; M+1; z)``, whose series has bounded terms
    (``(M+1-e)_k / (M+1)_k <= 1``) for every ``0 <= z < 1``.

    Examples
    --------
    >>> from scipy.special import hyp2f1
    >>> M, e, c, o, t = np.array([3.2]), np.array([1.6]), 10.6, 9.0, np.array([4.0])
    >>> direct = np.log((c + t) ** -M * hyp2f1(M, e, M + 1, (c - o) / (c + t)))
    >>> bool(np.allclose(log_pareto_tail(M, e, c, o, t), direct, rtol=1e-12))
    True
    """
    log_c = np.log(c + t)
    z = (c - o) / (c + t)
    return -M * log_c + (1.0 - e) * (np.log(o + t) - log_c) + np.log(hyp2f1(1.0, M + 1.0 - e, M + 1.0, z))
