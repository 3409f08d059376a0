"""BG/NBD and Gamma-Gamma against lifetimes, an independent implementation, on the published CDNOW summary.

tests/independent/lifetimes_reference.json was written by tests/independent/lifetimes_reference.py running
lifetimes 0.11.3 in its own venv (see that script). Tolerances:
- same parameters, closed forms (P(alive), E[Y(t)], E[X(t)], E[spend]): 1e-9 relative, both evaluate the same
  equations with scipy's special functions;
- fitted parameters and standard errors: 1e-4 relative; the two optimisers stop at the same maximum within their
  gradient tolerances (observed difference ~1e-6).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from clv_xl.models import BetaGeo, GammaGamma

REFERENCE = json.loads((Path(__file__).parent / "independent" / "lifetimes_reference.json").read_text())
BG_REF, GG_REF = REFERENCE["bgnbd"], REFERENCE["gamma_gamma"]
CLOSED_FORM = 1e-9
FIT = 1e-4


@pytest.fixture(scope="module")
def bg_fit(cdnow_dir: Path) -> BetaGeo:
    summary = pd.read_csv(cdnow_dir / "cdnow_customers_summary.csv")
    assert len(summary) == BG_REF["customers"]
    return BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])


@pytest.fixture(scope="module")
def gg_fit(cdnow_dir: Path) -> GammaGamma:
    spend = pd.read_csv(cdnow_dir / "cdnow_customers_summary_with_transactions.csv")
    repeat = spend[spend["x"] > 0]
    assert len(repeat) == GG_REF["repeat_buyers"]
    return GammaGamma().fit(repeat["x"], repeat["zbar"])


def _histories() -> tuple[list[float], list[float], list[float]]:
    x, tx, T = zip(*BG_REF["histories"], strict=True)
    return list(x), list(tx), list(T)


def test_reference_was_produced_by_lifetimes() -> None:
    assert REFERENCE["produced_by"]["lifetimes"] == "0.11.3"
    assert REFERENCE["produced_by"]["script"] == "tests/independent/lifetimes_reference.py"


def test_bgnbd_fit_equals_lifetimes(bg_fit: BetaGeo) -> None:
    for name, value in BG_REF["params"].items():
        assert bg_fit.params[name] == pytest.approx(value, rel=FIT), name


def test_bgnbd_standard_errors_equal_lifetimes(bg_fit: BetaGeo) -> None:
    # lifetimes: sqrt(diag(params^2 * inverse Hessian of the mean negative log-likelihood in log-parameters / n))
    for name, value in BG_REF["standard_errors"].items():
        assert bg_fit.standard_errors[name] == pytest.approx(value, rel=FIT), name


@pytest.mark.parametrize("params", ["fitted", "mle_4_decimals", "paper_3_decimals"])
def test_bgnbd_predictions_equal_lifetimes_at_the_same_parameters(params: str) -> None:
    ref = BG_REF if params == "fitted" else BG_REF["at_params"][params]
    bg = BetaGeo.from_params(**(BG_REF["params"] if params == "fitted" else ref["params"]))
    x, tx, T = _histories()
    assert bg.p_alive(x, tx, T).tolist() == pytest.approx(ref["p_alive"], rel=CLOSED_FORM)
    for t, expected in ref["expected_purchases"].items():
        assert bg.expected_purchases(float(t), x, tx, T).tolist() == pytest.approx(expected, rel=CLOSED_FORM), t
    for t, expected in ref["expected_purchases_new"].items():
        assert bg.expected_purchases_new(float(t)) == pytest.approx(expected, rel=CLOSED_FORM), t


def test_gamma_gamma_fit_and_standard_errors_equal_lifetimes(gg_fit: GammaGamma) -> None:
    names = {"p": "p", "q": "q", "gamma": "v"}  # lifetimes calls gamma "v"
    for ours, theirs in names.items():
        assert gg_fit.params[ours] == pytest.approx(GG_REF["params"][theirs], rel=FIT), ours
        assert gg_fit.standard_errors[ours] == pytest.approx(GG_REF["standard_errors"][theirs], rel=FIT), ours


def test_gamma_gamma_expected_spend_equals_lifetimes_at_the_same_parameters() -> None:
    frequency, spend = (list(v) for v in zip(*GG_REF["spends"], strict=True))
    for ref in (GG_REF["at_params"]["paper"], {"params": GG_REF["params"], "expected_spend": GG_REF["expected_spend"]}):
        p, q, gamma = ref["params"].values()
        gg = GammaGamma.from_params(p, q, gamma)
        assert gg.expected_spend(frequency, spend).tolist() == pytest.approx(ref["expected_spend"], rel=CLOSED_FORM)
