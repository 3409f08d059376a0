"""The formulas of the beta-geometric family: BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam et al. 2007).

Both let a customer buy at Poisson rate ``lambda ~ Gamma(r, alpha)`` while alive and drop out with probability
``p ~ Beta(a, b)`` after each repeat purchase; MBG/NBD also lets the customer drop out right after the first
purchase. Every formula of one is the other's with ``b + x`` shifted by ``shift`` (0 for BG/NBD, 1 for MBG/NBD),
and the drop-out term present when ``x + shift > 0``:

``L = B(a, b+x+k)/B(a, b) * G(alpha+T) + [x+k > 0] B(a+1, b+x+k-1)/B(a, b) * G(alpha+t_x)``, with
``G(u) = Gamma(r+x)/Gamma(r) * alpha**r / u**(r+x)`` (FHL 2005 eq. 6 for k = 0; Batislam, Denizel & Filiztekin 2007,
eq. 3 with the correction of Wagner & Hoppe 2008, for k = 1).

References
----------
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the
Pareto/NBD Model", Marketing Science 24(2), 275-284.
E. P. Batislam, M. Denizel and A. Filiztekin (2007), "Empirical validation and comparison of models for customer
base analysis", International Journal of Research in Marketing 24(3), 201-209.
U. Wagner and D. Hoppe (2008), "Erratum on the MBG/NBD model", IJRM 25(3), 225-226.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import betainc, betaln, digamma, expit, gammaln, hyp1f1, hyp2f1

from clv_xl.models._compress import dot as _dot
from clv_xl.models._dropout_limit import alive_purchases_at_limit, at_dropout_limit

__all__ = [
    "row_log_likelihood", "objective_factory", "homogeneous_factory", "rate_score", "p_alive", "alive_purchases", "pmf",
    "surely_overflows",
]


def row_log_likelihood(
    params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, shift: int = 0
) -> np.ndarray:
    """Log-likelihood of each row (no de-duplication; for checks and small inputs)."""
    r, alpha, a, b = params
    first = betaln(a, b + x + shift) - (r + x) * np.log(alpha + T)
    has_second = x + shift > 0
    safe_b = np.where(has_second, b + x + shift - 1, 1.0)
    second = np.where(has_second, betaln(a + 1, safe_b) - (r + x) * np.log(alpha + tx), -np.inf)
    return gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b) + np.logaddexp(first, second)


def _distinct(values: np.ndarray, weights: np.ndarray, *more: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct ``values``, each row's position among them, and the sums of ``weights`` (and ``more``) per value.

    The likelihood needs ``log(alpha + T)`` and ``1 / (alpha + T)`` of every row, but T and t_x take few distinct
    values (days of an observation period): computed once per distinct value, they are gathered for the rows that
    need them and their weighted sums become short dot products.
    """
    levels, index = np.unique(values, return_inverse=True)
    sums = [np.bincount(index, weights=v, minlength=levels.size) for v in (weights, *more)]
    return (levels, index.astype(np.intp), *sums)


def objective_factory(
    x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, penalizer: float, shift: int = 0
) -> tuple[Any, Any, float]:
    """Build f(log params) -> (mean negative log-likelihood + penalty, gradient) on de-duplicated rows.

    Write the likelihood as ``log L = C(x) + A1 + softplus(d)`` with ``A1 = log B(a, b+x+k) - (r+x) log(alpha+T)``
    and ``d = A2 - A1`` the log-ratio of its second to its first term (``-inf`` without a drop-out term). Terms
    that depend on x alone are computed once per distinct frequency and summed with per-frequency weights; those
    of T or t_x alone once per distinct T or t_x (:func:`_distinct`); rows without a drop-out term need no per-row
    work at all. Per row remain ``d``, its softplus and ``expit`` (from one exponential), and a few products. The
    gradient is analytic: with ``w2 = expit(d)``, the share of the second term, every partial derivative is a
    weighted sum of digamma functions and of ``log(alpha + .)`` / ``1 / (alpha + .)`` terms.
    """
    n = float(w.sum())
    ux, ix_all = np.unique(x, return_inverse=True)
    wx = np.bincount(ix_all, weights=w, minlength=ux.size)  # weight per distinct frequency
    uk = ux + shift
    pos_level = uk > 0
    ux_b = np.where(pos_level, uk - 1, 0.0)
    # rows without a drop-out term (BG/NBD customers without repeat purchases): only T matters, per distinct T
    zero = x + shift == 0
    t0_levels, _, w0_t = _distinct(T[zero], w[zero])
    # rows with a drop-out term, ordered by frequency so that per-frequency sums are sums of contiguous runs
    rep = np.flatnonzero(~zero)
    rep = rep[np.argsort(x[rep], kind="stable")]
    wp, xp = w[rep], x[rep]
    ixp = ix_all[rep].astype(np.intp)
    runs = np.flatnonzero(np.r_[True, ixp[1:] != ixp[:-1]]) if ixp.size else np.zeros(0, dtype=np.intp)
    run_level = ixp[runs]
    wxp = wp * xp
    tp_levels, itp, wp_t, wxp_t = _distinct(T[rep], wp, wxp)
    txp_levels, itxp = _distinct(tx[rep], wp)[:2]

    def full(logp: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(logp)
        bl1 = betaln(a, b + uk)
        bl2 = np.where(pos_level, betaln(a + 1, b + ux_b), 0.0)
        log_t0 = np.log(alpha + t0_levels)
        log_tp = np.log(alpha + tp_levels)  # per distinct T of the rows with a drop-out term
        gap = log_tp[itp] - np.log(alpha + txp_levels)[itxp]  # >= 0, per row
        r_x = r + xp
        d = (bl2 - bl1)[ixp] + r_x * gap
        e = np.exp(-np.abs(d))
        soft = np.maximum(d, 0.0) + np.log1p(e)  # log(1 + exp(d)) without overflow
        w2 = np.where(d >= 0, 1.0, e) / (1.0 + e)  # expit(d)
        ww2 = wp * w2
        wrx_t = r * wp_t + wxp_t  # sum of w * (r + x) per distinct T
        ll = (
            float(_dot(wx, bl1 + gammaln(r + ux)))
            + n * (r * np.log(alpha) - gammaln(r) - betaln(a, b))
            - r * float(_dot(w0_t, log_t0))
            - float(_dot(wrx_t, log_tp))
            + float(_dot(wp, soft))
        )
        g_r = (
            float(_dot(wx, digamma(r + ux)))
            + n * (np.log(alpha) - digamma(r))
            - float(_dot(w0_t, log_t0))
            - float(_dot(wp_t, log_tp))
            + float(_dot(ww2, gap))
        )
        inv_tp = 1.0 / (alpha + tp_levels)
        g_alpha = (
            n * r / alpha
            - r * float(_dot(w0_t, 1.0 / (alpha + t0_levels)))
            - float(_dot(wrx_t, inv_tp))
            - float(_dot(ww2 * r_x, (1.0 / (alpha + txp_levels))[itxp] - inv_tp[itp]))
        )
        s2 = np.zeros(ux.size)  # weight of the second term per frequency
        if runs.size:
            s2[run_level] = np.add.reduceat(ww2, runs)
        s1 = wx - s2
        dg_abx = digamma(a + b + uk)
        g_a = (
            -n * (digamma(a) - digamma(a + b))
            + digamma(a) * float(s1.sum())
            + digamma(a + 1) * float(s2.sum())
            - float(_dot(wx, dg_abx))
        )
        dg_b1 = np.where(pos_level, digamma(b + ux_b), 0.0)
        g_b = (
            -n * (digamma(b) - digamma(a + b))
            + float(_dot(s1, digamma(b + uk)))
            + float(_dot(s2, dg_b1))
            - float(_dot(wx, dg_abx))
        )
        theta = np.array([r, alpha, a, b])
        value = -ll / n + penalizer * float(np.sum(theta**2))
        grad = -np.array([g_r, g_alpha, g_a, g_b]) * theta / n + 2 * penalizer * theta**2
        return value, grad

    return full, (lambda logp: full(logp)[1]), n


def homogeneous_factory(
    x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, shift: int = 0
) -> tuple[Any, Any]:
    """The limit of eq. (6) as a, b -> infinity with ``p = a / (a + b)`` fixed: drop-out the same for everyone.

    ``L = Gamma(r+x)/Gamma(r) * alpha**r * h(p)`` with ``n = x + shift`` (the purchases after which the customer
    may drop out: the repeat purchases under BG/NBD, every purchase under MBG/NBD) and
    ``h(p) = (1-p)**n / (alpha+T)**(r+x) + [n > 0] p (1-p)**(n-1) / (alpha+t_x)**(r+x)`` (the Beta-function
    ratios of eq. (6) and of Batislam et al.'s eq. 3 tend to these powers of p).
    Returns ``f(theta) -> (mean negative log-likelihood, gradient)`` with ``theta = (log r, log alpha, logit p)``,
    and ``score(theta)``, the derivative of the total log-likelihood with respect to the variance of p at
    ``Var(p) = 0``: ``E[h(p)] = h(m) + Var(p) h''(m) / 2 + O(Var(p)**2)`` (h is
    a polynomial in p), so the score is ``sum_i h_i''(p) / (2 h_i(p))``; with ``w2`` the share of the second term,
    ``h''/h = (n - 1) / (1-p)**2 * [n (1 - w2) + w2 (n p - 2) / p]``. A score <= 0 at the limit's maximum means
    that no slightly heterogeneous drop-out (large but finite a, b) fits better.
    """
    n_total = float(w.sum())
    steps = x + shift  # the exponent n of (1 - p)
    pos = steps > 0
    wp, xp, np_ = w[pos], x[pos], steps[pos]

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
            float(_dot(w, gammaln(r + x) + steps * np.log(q) - (r + x) * log_t))
            + n_total * (r * np.log(alpha) - gammaln(r))
            + float(_dot(wp, np.logaddexp(0.0, d)))
        )
        g_r = (
            float(_dot(w, digamma(r + x) - log_t))
            + n_total * (np.log(alpha) - digamma(r))
            + float(_dot(wp * w2, gap))
        )
        inv_t = 1.0 / (alpha + T)
        g_alpha = (
            n_total * r / alpha
            - float(_dot(w, (r + x) * inv_t))
            + float(_dot(wp * w2, (r + xp) * (inv_t[pos] - 1.0 / (alpha + tx[pos]))))
        )
        g_logit = float(_dot(wp, w2)) - p * float(_dot(w, steps))
        return -ll / n_total, -np.array([g_r * r, g_alpha * alpha, g_logit]) / n_total

    def score(theta: np.ndarray) -> float:
        _, _, p, q, d, _ = parts(theta)
        w2 = expit(d)
        ratio = (np_ - 1) / q**2 * (np_ * (1 - w2) + w2 * (np_ * p - 2) / p)
        return 0.5 * float(_dot(wp, ratio))

    return fun, score


def rate_score(
    params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, w: np.ndarray, shift: int = 0
) -> float:
    """Derivative of the total log-likelihood with respect to the variance of the purchase rate, at variance 0.

    As r, alpha -> infinity with ``lambda = r / alpha`` fixed, the Gamma(r, alpha) mixing of the rates becomes a
    point mass and each customer's likelihood tends to ``L(lambda) = lambda**x * (A e**(-lambda T) + B
    e**(-lambda t_x))`` (A, B the Beta-function ratios of the two terms). ``E[L(lambda)] = L(m) + Var(lambda)
    L''(m) / 2 + ...``, so the score is ``sum_i w_i L_i''(m) / (2 L_i(m))`` with, for each term ``lambda**x
    e**(-lambda s)``, ``L''/L = (x/lambda - s)**2 - x/lambda**2``, mixed by the terms' shares. A score <= 0 at the
    limit means no slightly heterogeneous rate (large but finite r) fits better.
    """
    r, alpha, a, b = params
    lam = r / alpha
    k = x + shift
    has_second = k > 0
    log_ratio = np.where(has_second, betaln(a + 1, np.where(has_second, k - 1 + b, 1.0)) - betaln(a, b + k), -np.inf)
    w2 = expit(log_ratio + lam * (T - tx))
    first = (x / lam - T) ** 2
    second = (x / lam - tx) ** 2
    return 0.5 * float(_dot(w, (1 - w2) * first + w2 * second - x / lam**2))


def p_alive(
    params: tuple[float, ...], x: np.ndarray, tx: np.ndarray, T: np.ndarray, shift: int = 0
) -> np.ndarray:
    """``1 / (1 + [x+k > 0] a / (b+x+k-1) * ((alpha+T)/(alpha+t_x))**(r+x))``, in log space.

    The ratio of the likelihood's two terms (FHL 2008 note 021 for BG/NBD; Batislam et al. 2007 for MBG/NBD).
    """
    r, alpha, a, b = params
    pos = x + shift > 0
    log_odds = np.where(
        pos,
        np.log(a)
        - np.log(np.where(pos, b + x + shift - 1, 1.0))
        + (r + x) * (np.log(alpha + T) - np.log(alpha + tx)),
        -np.inf,
    )
    return expit(-log_odds)


def _a_nudged(a: float) -> float:
    """Move ``a`` off 1, where the expectations are 0/0 (the limit is continuous; the error is ~1e-7)."""
    return a if abs(a - 1.0) > 1e-7 else 1.0 + 1e-7


def _r_nudged(r: float, a: float) -> float:
    """Move ``r`` off a whole-number distance from ``a``, where scipy's 2F1 goes wrong without a warning.

    Both forms of eq. (10) then have a whole ``c - A - B`` (``x + r - a + 1``, ``a - 1 - r - x``), and scipy's branch
    for it gave 2.0048 purchases where eq. (10) gives 1.8043 (mpmath; r = 1, a = b = 200, 1000 weeks; 45 % off at
    r = 0.5, a = 200.5). Moved by 1e-9 relative, the value moves as little and scipy is exact again
    (``tests/test_beta_geometric_whole_parameters.py``). Typed parameters (``from_params``, Excel) are often whole.

    >>> _r_nudged(1.0, 200.0) > 1.0, _r_nudged(1.3, 200.0) == 1.3
    (True, True)
    """
    gap = r - a
    return r + 1e-9 * max(1.0, abs(r)) if abs(gap - round(gap)) < 1e-12 * max(1.0, abs(a)) else r


#: ``log`` of a number past the largest double (1.8e308 = e**709.78), with a margin for the rounding of the bound
_OVERFLOW_LOG = 720.0


def surely_overflows(A: Any, B: Any, C: np.ndarray, log_one_minus_z: np.ndarray) -> np.ndarray:
    """Where ``2F1(A, B; C; z)`` is certainly beyond the largest double, from a lower bound (no evaluation).

    Euler's transformation (DLMF 15.8.1) gives ``2F1(A, B; C; z) = (1-z)**(C-A-B) 2F1(C-A, C-B; C; z)``; with
    ``C``, ``C-A`` and ``C-B`` positive and ``0 <= z < 1`` every term of the second series (DLMF 15.2.1) is
    positive and its first is 1, so ``log 2F1(A, B; C; z) >= (C-A-B) log(1-z)``. Where that bound exceeds
    :data:`_OVERFLOW_LOG` the value is not a double: scipy's ``hyp2f1`` returns inf (or NaN) there, never a
    number (``tests/test_beta_geometric_overflow.py`` checks the bound against mpmath and scipy's result on it).

    Examples
    --------
    >>> from scipy.special import hyp2f1
    >>> A, B, C, z = 1e7, 5e5, 1e7 + 2.0, np.array([0.02, 1e-9])
    >>> surely_overflows(A, B, C, np.log1p(-z)).tolist(), np.isfinite(hyp2f1(A, B, C, z)).tolist()
    ([True, False], [False, True])
    """
    with np.errstate(invalid="ignore", over="ignore"):
        positive = (C > 0) & (C - A > 0) & (C - B > 0)
        return positive & ((C - A - B) * log_one_minus_z > _OVERFLOW_LOG)


def alive_purchases(
    params: tuple[float, ...], t: np.ndarray, x: np.ndarray, T: np.ndarray, shift: int = 0
) -> np.ndarray:
    """Expected purchases in (T, T+t] of a customer alive at T: FHL 2005 eq. (10) without its P(alive) factor.

    ``(a+b'+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))**(r+x) * 2F1(r+x, b'+x; a+b'+x-1; t/(alpha+T+t))]`` with
    ``b' = b + k`` (a customer alive at T drops out only after purchases, in both models). The hypergeometric term
    is evaluated after Euler's transformation, ``(1-z)**(r+x) 2F1(r+x, b'+x; c; z) = (1-z)**(a-1)
    2F1(a+b'-1-r, a-1; c; z)``, whose parameters do not grow with x, which keeps it accurate for heavy buyers.
    Where a form would overflow (very large a and b, or r too: a fit at a degenerate limit) the next is used, as
    below. A form that :func:`surely_overflows` is not evaluated (its value would be discarded): on such fits
    every customer's Euler form overflows for every window, and skipping it leaves each value as it was.
    At the limit of homogeneous drop-out (:func:`~clv_xl.models._dropout_limit.at_dropout_limit`: a and b both
    large, as degenerate fits end) the limit is taken instead, in closed form
    (:func:`~clv_xl.models._dropout_limit.alive_purchases_at_limit`: the series of the published form took most of a
    degenerate fit's forecasts, 0.3 s of the 1M-order report's holdout check).
    """
    r, alpha, a, b = params
    if at_dropout_limit(a, b):
        return alive_purchases_at_limit(r, alpha, a / (a + b), t, x, T)
    b = b + shift
    a = _a_nudged(a)
    r = _r_nudged(r, a)
    z = t / (alpha + T + t)
    c = a + b + x - 1
    # c = 0 (x = 0 and a + b = 1) is a pole of 2F1 that the factor c cancels; step just off it
    c = np.where(np.abs(c) < 1e-7, 1e-7, c)
    one_minus = (alpha + T) / (alpha + T + t)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        x_b, c_b, z_b, m_b = np.broadcast_arrays(x, c, z, one_minus)
        skipped = surely_overflows(a + b - 1 - r, a - 1, c_b, np.log(m_b))
        if not np.any(skipped):
            bracket = 1.0 - one_minus ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z)
        else:  # NaN stands for the overflow of the forms not evaluated
            bracket = np.full(skipped.shape, np.nan)
            kept = ~skipped
            bracket[kept] = 1.0 - m_b[kept] ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c_b[kept], z_b[kept])
        broken = ~np.isfinite(bracket)
        if np.any(broken):
            # Very large a and b (drop-out barely heterogeneous) overflow the Euler form; eq. (10) as
            # published stays finite there: 1 - (1 - z)^(r + x) 2F1(r + x, b + x; c; z).
            bracket = np.array(np.broadcast_to(bracket, broken.shape), dtype=np.float64)
            bracket[broken] = _plain_bracket(r, b, x_b[broken], c_b[broken], z_b[broken], m_b[broken])
            still = ~np.isfinite(bracket)
            if np.any(still):  # very large r and alpha too (one purchase rate for all): both forms overflow
                # their limit: the posterior rate is a point mass at (r + x) / (alpha + T), and
                # ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; c; z) -> exp(-lam t) 1F1(b+x; c; lam t)
                # = 1F1(a - 1; c; -lam t) (Kummer), whose error is O(1 / r)
                t_b, x_s, big_t = (np.broadcast_to(v, still.shape)[still] for v in (t, x, T))
                bracket[still] = 1.0 - hyp1f1(a - 1, c_b[still], -(r + x_s) / (alpha + big_t) * t_b)
    # the nudge off a = 1 is exact to ~1e-7: at t -> 0 that can leave -1e-10 where the value is 0
    return np.maximum(c / (a - 1) * bracket, 0.0)


def _plain_bracket(r: float, b: float, x: np.ndarray, c: np.ndarray, z: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``1 - m**(r+x) 2F1(r+x, b+x; c; z)``, eq. (10)'s bracket as published; NaN where 2F1 surely overflows."""
    skipped = surely_overflows(r + x, b + x, c, np.log(m))
    if not np.any(skipped):
        return 1.0 - m ** (r + x) * hyp2f1(r + x, b + x, c, z)
    bracket = np.full(x.shape, np.nan)
    kept = ~skipped
    bracket[kept] = 1.0 - m[kept] ** (r + x[kept]) * hyp2f1(r + x[kept], b + x[kept], c[kept], z[kept])
    return bracket


def pmf(params: tuple[float, ...], n: np.ndarray, t: np.ndarray, shift: int = 0) -> np.ndarray:
    """P(X(t) = n) for a new customer: FHL 2005 eq. (8), with ``b + n`` shifted by k for MBG/NBD.

    ``B(a, b+n+k)/B(a, b) * NB(n; r, alpha/(alpha+t)) + [n+k > 0] B(a+1, b+n+k-1)/B(a, b) *
    (1 - P(NB(r, alpha/(alpha+t)) <= n-1))``; the negative binomial tail is the regularised incomplete beta
    function. The Beta-function ratios are taken in log space, so very large ``a`` and ``b`` (drop-out barely
    heterogeneous) neither overflow nor warn.

    Examples
    --------
    >>> pmf((0.5, 5.0, 1e8, 1e8), np.array([0.0, 1.0]), np.array([30.0, 30.0])).round(4).tolist()
    [0.378, 0.392]
    """
    r, alpha, a, b = params
    p_stay = alpha / (alpha + t)  # the negative binomial "success" probability
    log_nb = (
        gammaln(r + n)
        - gammaln(r)
        - gammaln(n + 1)
        + r * np.log(p_stay)
        + n * np.where(t > 0, np.log(np.where(t > 0, t, 1.0)) - np.log(alpha + t), 0.0)  # no underflow
    )
    log_nb = np.where((t == 0) & (n > 0), -np.inf, log_nb)
    first = np.exp(betaln(a, b + n + shift) - betaln(a, b) + log_nb)
    pos = n > 0
    tail = np.where(pos, betainc(np.where(pos, n, 1.0), r, 1.0 - p_stay), 1.0)
    has_second = n + shift > 0
    # the Beta ratio in log space, and -inf where there is no second term: exp(betaln(a + 1, 1) - betaln(a, b))
    # alone overflows for large a and b even though np.where would discard it
    log_ratio = np.where(has_second, betaln(a + 1, np.where(has_second, b + n + shift - 1, 1.0)) - betaln(a, b),
                         -np.inf)
    second = np.exp(log_ratio) * tail
    return first + second
