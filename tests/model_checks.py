"""Checks every purchase model must pass, shared by its test file (truths come from each test's own simulation)."""

from __future__ import annotations

import numpy as np
import pytest


def assert_recovers(model_class, true, frequency, recency, T) -> None:
    """Fit ``model_class`` on data simulated from ``true`` parameters; each must lie within two standard errors."""
    model = model_class().fit(frequency, recency, T)
    se = model.standard_errors
    for name, value in zip(model.param_names, true, strict=True):
        assert abs(model.params[name] - value) < 2 * se[name], (name, model.params[name], se[name])


def assert_distribution_matches_the_mean(model, windows, counts, tolerance=1e-8) -> None:
    """P(X(t) = n) over ``counts`` sums to one and its mean is the closed-form E[X(t)]."""
    for t in windows:
        probs = model.probability_of_purchases(counts, t)
        assert probs.sum() == pytest.approx(1.0, abs=tolerance)
        assert (np.asarray(counts) * probs).sum() == pytest.approx(model.expected_purchases_new(t), rel=tolerance)


def count_evaluations(monkeypatch, model_class) -> list[int]:
    """Count every objective evaluation of a beta-geometric model's fits (full model and its homogeneous limit)."""
    count = [0]

    def counting(built):
        def counted(theta, _fun=built[0]):
            count[0] += 1
            return _fun(theta)

        return (counted, *built[1:])

    objective, homogeneous = model_class._objective, model_class._homogeneous_factory
    monkeypatch.setattr(model_class, "_objective", lambda self, *args: counting(objective(self, *args)))
    monkeypatch.setattr(model_class, "_homogeneous_factory", staticmethod(lambda *args: counting(homogeneous(*args))))
    return count


def count_evaluations_by_rows(monkeypatch, model_class) -> dict[int, int]:
    """Count a beta-geometric model's objective evaluations by the number of distinct rows each one covers."""
    counts: dict[int, int] = {}
    objective = model_class._objective

    def counting(self, x, tx, T, w):
        fun, grad, n = objective(self, x, tx, T, w)

        def counted(theta):
            counts[x.size] = counts.get(x.size, 0) + 1
            return fun(theta)

        return counted, (lambda theta: counted(theta)[1]), n

    monkeypatch.setattr(model_class, "_objective", counting)
    return counts
