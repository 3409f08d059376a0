"""The Pareto/NBD tail function against independent references: mpmath's hypergeometric function and quadrature.

mpmath evaluates 2F1 in 30-digit arithmetic by its own algorithms (series, transformations, hypercomb), and
``mpmath.quad`` integrates the likelihood's defining integral (tanh-sinh quadrature): neither shares code or method
with :func:`clv_xl.models._special.log_pareto_tail`.
"""

from __future__ import annotations

import itertools

import mpmath as mp
import numpy as np
import pytest
from scipy.special import hyp2f1

from clv_xl.models._special import log_pareto_tail

#: working precision of the references, in decimal digits
_DIGITS = 30

#: M = r + s + x from one-time buyers (x = 0, r + s < 1) to heavy buyers (x in the thousands)
_M = (0.4, 0.95, 1.7, 6.3, 41.2, 168.4, 1203.5, 5000.5)
#: e = s + 1 (alpha >= beta) or r + x (alpha < beta): below, at and near 1 and 2 (where 1 - z connection formulas
#: have poles), and large
_E = (0.03, 0.3, 0.9999, 1.0, 1.0000001, 1.6, 2.0, 3.7, 45.5, 600.2)
#: 1 - z: the series side (z <= 1/2), both sides of the switch, and within 1e-6 of 1 down to 1e-12
_GAP = (0.93, 0.51, 0.5, 0.49, 0.2, 0.03, 1e-3, 1e-5, 1e-6, 3e-7, 1e-9, 1e-12)
_GRID = [(m, e, g) for m, e, g in itertools.product(_M, _E, _GAP) if e < m + 1]


def _mp_log_2f1(M: float, e: float, gap: float) -> float:
    with mp.workdps(_DIGITS):
        return float(mp.log(mp.hyp2f1(M, e, M + 1, 1 - mp.mpf(gap))))


def test_grid_matches_mpmath_to_1e_13() -> None:
    # c + t = 1 and o + t = gap, so 1 - z is exactly the gap; the tail is then log 2F1(M, e; M+1; 1 - gap)
    got = np.array([log_pareto_tail(np.array([m]), np.array([ee]), 1.0, g, np.array([0.0]))[0]
                    for m, ee, g in _GRID])
    want = np.array([_mp_log_2f1(m, ee, g) for m, ee, g in _GRID])
    error = np.abs(got - want) / np.maximum(1.0, np.abs(want))
    worst = int(np.argmax(error))
    assert error[worst] < 1e-13, (_GRID[worst], got[worst], want[worst])
    gaps = np.array([g for _, _, g in _GRID])
    assert len(_GRID) > 700 and np.sum(gaps <= 1e-6) > 250  # the grid reaches z within 1e-6 of 1 often


def _mp_tail(r: float, alpha: float, s: float, beta: float, x: int, t: float) -> float:
    """log of M * integral_t^inf (alpha+y)**-(r+x) (beta+y)**-(s+1) dy, the definition, by mpmath quadrature."""
    with mp.workdps(_DIGITS):
        r, alpha, s, beta = (mp.mpf(v) for v in (r, alpha, s, beta))
        rate = (r + x) / (alpha + t) + (s + 1) / (beta + t)  # the integrand's decay rate at t
        breaks = [t, *(t + 2**k / rate for k in range(-3, 40)), mp.inf]  # geometric: it decays as a power
        integral = mp.quad(lambda y: (alpha + y) ** -(r + x) * (beta + y) ** -(s + 1), breaks)
        return float(mp.log((r + s + x) * integral))


@pytest.mark.parametrize(("r", "alpha", "s", "beta"), [
    (0.553, 10.578, 0.606, 11.669),  # CDNOW (Fader, Hardie & Lee 2005)
    (1.43, 5.45, 166.0, 4700.0),  # where a degenerate fit's search walks (1 - z ~ 1e-3)
    (1.43, 5.45, 2.3e6, 6.6e7),  # further along that ridge (1 - z ~ 1e-7)
    (2.0, 300.0, 0.8, 2.0),  # alpha >= beta, z near 1 for recent customers
    (0.3, 1e-3, 0.2, 40.0),  # alpha << beta: z within 1e-4 of 1 at t = 0
])
def test_tail_is_the_likelihood_integral(r: float, alpha: float, s: float, beta: float) -> None:
    c, o = max(alpha, beta), min(alpha, beta)
    for x, t in itertools.product((0, 7, 150), (0.0, 52.0)):
        e = s + 1 if alpha >= beta else r + x
        got = float(log_pareto_tail(np.array([r + s + x]), np.array([e]), c, o, np.array([t]))[0])
        want = _mp_tail(r, alpha, s, beta, x, t)
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12), (x, t)


def test_many_rows_at_once_equal_one_at_a_time() -> None:
    """Rows on both sides of z = 1/2 in one call: the masks put each value in its place."""
    x = np.arange(40.0)
    t = np.linspace(0.0, 60.0, 40)
    together = log_pareto_tail(1.43 + 20.0 + x, 1.43 + x, 60.0, 5.45, t)
    alone = [log_pareto_tail(np.array([1.43 + 20.0 + xi]), np.array([1.43 + xi]), 60.0, 5.45, np.array([ti]))[0]
             for xi, ti in zip(x, t, strict=True)]
    z = (60.0 - 5.45) / (60.0 + t)
    assert z.min() < 0.5 < z.max()
    np.testing.assert_array_equal(together, alone)


def test_scipy_agrees_where_its_series_is_reliable() -> None:
    """A second reference on the z <= 1/2 side and just above: scipy's 2F1 of the untransformed parameters."""
    M, e = np.array([2.3, 41.0, 7.5]), np.array([1.6, 3.0, 0.4])
    for c, o, t in [(10.6, 9.0, 4.0), (12.0, 2.0, 1.0), (30.0, 1.0, 0.5)]:
        z = (c - o) / (c + t)
        direct = np.log(hyp2f1(M, e, M + 1, z)) - M * np.log(c + t)
        np.testing.assert_allclose(log_pareto_tail(M, e, c, o, np.full(3, t)), direct, rtol=1e-12)


def _mp_log_tail(M: float, e: float, c: float, o: float, t: float) -> float:
    """``log[(c+t)**-M 2F1(M, e; M+1; (c-o)/(c+t))]`` in 30-digit arithmetic."""
    with mp.workdps(_DIGITS):
        M, e, c, o, t = (mp.mpf(v) for v in (M, e, c, o, t))
        return float(-M * mp.log(c + t) + mp.log(mp.hyp2f1(M, e, M + 1, (c - o) / (c + t))))


def test_ridge_rows_with_and_without_a_first_panel_match_mpmath() -> None:
    """One call mixing rows whose first quadrature panel is empty (skipped) with rows that have both panels.

    The rows are a drop-out ridge point of the 1M-order benchmark's Pareto/NBD fit (M in the thousands, e ~ 8,
    1 - z ~ 5e-4, where u**(M-1) cuts the integrand off at once: the first panel is empty) and light buyers
    (M ~ 2, where it is not): if a non-empty panel were skipped, or a value put in another row's place, the
    tail would be off by a large factor.
    """
    from clv_xl.models import _special

    M = np.array([1689.8, 2.2, 845.3, 1.9, 3001.0, 12.4])
    e = np.array([8.39, 1.4, 8.39, 0.7, 30.0, 3.1])
    c, o = 4700.0, 2.3
    t = np.array([0.0, 0.0, 26.0, 52.0, 3.0, 10.0])
    seen: list[np.ndarray] = []
    panel_sums = _special._panel_sums

    def watched(M_, e_, q_, left, half):  # the panels' widths, to check both cases occur
        seen.append(np.array(half))
        return panel_sums(M_, e_, q_, left, half)

    _special._panel_sums = watched
    try:
        got = log_pareto_tail(M, e, c, o, t)
    finally:
        _special._panel_sums = panel_sums
    first = seen[0]
    assert np.any(first == 0) and np.any(first != 0)  # skipped and integrated first panels in one call
    want = np.array([_mp_log_tail(*v, c, o, ti) for *v, ti in zip(M, e, t, strict=True)])
    np.testing.assert_allclose(got, want, rtol=1e-13)


def test_skipping_empty_panels_changes_no_bit() -> None:
    """``_panel_sums`` against integrating every row (the formula as written, no row left out), to the last bit."""
    from clv_xl.models._special import _NODES, _WEIGHTS, _panel_sums

    rng = np.random.default_rng(7)
    n = 257
    M = rng.uniform(0.5, 3000.0, n)
    e = rng.uniform(0.05, 40.0, n)
    q = 10 ** rng.uniform(-9, -0.05, n)
    end = np.log1p(1 / q)  # the panels stay below it, where 1 - q (e**tau - 1) > 0 (u > 0)
    left = rng.uniform(0.0, 0.5, n) * end
    half = np.where(rng.random(n) < 0.6, 0.0, rng.uniform(0.05, 0.45, n) * (end - left))  # most empty, as on the ridge
    tau = left[:, None] + half[:, None] * (_NODES + 1.0)
    every_row = np.exp((M - 1.0)[:, None] * np.log1p(-q[:, None] * np.expm1(tau)) + (1.0 - e)[:, None] * tau) @ _WEIGHTS
    got = _panel_sums(M, e, q, left, half)
    assert np.sum(half == 0) > 100 and np.sum(half > 0) > 50
    np.testing.assert_array_equal(half * got, half * every_row)
    np.testing.assert_array_equal(got[half > 0], every_row[half > 0])
    np.testing.assert_array_equal(got[half == 0], 0.0)
    np.testing.assert_array_equal(_panel_sums(M, e, q, left, np.zeros(n)), 0.0)  # a panel empty in every row


def test_series_left_out_only_where_it_changes_no_bit() -> None:
    """Rows where z > 1/2 and the lower part is below the last bit of the upper (series not summed) and rows where
    it is not, in one call, against the formula summing every series (``logaddexp(lower, upper)``)."""
    from clv_xl.models._special import _log_upper_part, _lower_part_negligible

    rng = np.random.default_rng(11)
    n = 400
    M = np.exp(rng.uniform(0.0, 8.0, n))  # 1 to 3,000: light buyers to a ridge point's heavy ones
    e = np.minimum(rng.uniform(0.05, 40.0, n), M + 0.5)
    c, o = 4700.0, 2.3
    t = rng.uniform(0.0, 60.0, n)
    z = (c - o) / (c + t)
    log_gap = np.log(o + t) - np.log(c + t)
    near = _log_upper_part(M, e, z, log_gap)
    lower = (1.0 - e) * np.log1p(-z / 2) + np.log(hyp2f1(1.0, M + 1.0 - e, M + 1.0, z / 2)) - M * np.log(2.0)
    every_series = -M * np.log(c + t) + np.logaddexp(lower, near)
    negligible = _lower_part_negligible(M, e, z / 2, near)
    assert 50 < negligible.sum() < n - 50 and np.all(z > 0.5)
    assert np.all(lower[negligible] < near[negligible] - 30)  # the bound holds where it is used
    np.testing.assert_array_equal(log_pareto_tail(M, e, c, o, t), every_series)


def test_one_value_gives_one_value() -> None:
    # scalars (no row axis) as before the row selections: the direct 2F1 at z = 1.6 / 14.6
    direct = np.log(hyp2f1(3.2, 1.6, 4.2, 1.6 / 14.6)) - 3.2 * np.log(14.6)
    assert np.isclose(log_pareto_tail(3.2, 1.6, 10.6, 9.0, 4.0), direct, rtol=1e-13)
