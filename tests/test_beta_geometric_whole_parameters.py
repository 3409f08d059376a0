"""BG/NBD and MBG/NBD forecasts with whole-number parameters, as typed into ``from_params`` or an Excel function.

When ``r - a`` is a whole number, both forms of eq. (10) (Fader, Hardie & Lee 2005) hand scipy a 2F1 whose
``c - a - b`` is an integer, and scipy's value there was up to 45 % off without a warning. The truth: eq. (10) as
published, in 40-digit arithmetic (mpmath), at the same parameters.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from clv_xl.models import BetaGeo, ModifiedBetaGeo
from tests.test_beta_geometric_overflow import _mp_alive_purchases

#: (r, a, b): r - a whole in each, with the a and b of the cases found (and a small, ordinary pair)
WHOLE = [(1.0, 200.0, 200.0), (0.5, 200.5, 200.0), (2.0, 1000.0, 50.0), (1.0, 3.0, 5.0), (3.0, 30.0, 40.0)]
CASES = list(itertools.product((0.0, 1.0, 10.0), (5.0, 52.0), (26.0, 1000.0)))  # x, T, window


@pytest.mark.parametrize(("model", "shift"), [(BetaGeo, 0), (ModifiedBetaGeo, 1)])
@pytest.mark.parametrize(("r", "a", "b"), WHOLE)
def test_whole_number_parameters_forecast_eq_10(model, shift, r, a, b):
    fitted = model.from_params(r, 3.37, a, b)
    x, T, t = (np.array(v) for v in zip(*CASES, strict=True))
    got = fitted.expected_purchases_if_alive(t, x, T)
    want = np.array([_mp_alive_purchases((r, 3.37, a, b), w, xi, Ti, shift) for xi, Ti, w in CASES])
    np.testing.assert_allclose(got, want, rtol=1e-8)
