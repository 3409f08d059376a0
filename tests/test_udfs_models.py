"""The model functions in cells: BGNBD_FIT, GG_FIT, BGNBD_PURCHASES, P_ALIVE, GG_SPEND, CLV_PREDICTED.

Checked against the published CDNOW results (Fader, Hardie & Lee 2005; see tests/data/cdnow/README.md).
"""

from __future__ import annotations

import pandas as pd
import pytest

from clv_xl.excel import udfs
from clv_xl.models import BetaGeo, GammaGamma, predicted_clv

PUBLISHED_BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


def column(values) -> list[list[float]]:
    return [[float(v)] for v in values]


@pytest.fixture(scope="module")
def cdnow(cdnow_dir) -> pd.DataFrame:
    return pd.read_csv(cdnow_dir / "cdnow_customers_summary_with_transactions.csv")


@pytest.fixture(scope="module")
def bg_fit(cdnow) -> list[list]:
    return udfs.BGNBD_FIT(column(cdnow["x"]), column(cdnow["t_x"]), column(cdnow["T"]))


def test_bgnbd_fit_in_a_cell_reproduces_the_published_parameters(bg_fit):
    header, values = bg_fit
    assert header == ["r", "alpha", "a", "b", "log_likelihood"]
    fitted = dict(zip(header, values, strict=True))
    for name, published in PUBLISHED_BG.items():
        assert fitted[name] == pytest.approx(published, rel=5e-3)
    assert fitted["log_likelihood"] == pytest.approx(-9582.4, abs=0.5)


def test_conditional_expectation_and_p_alive_of_the_published_customer(bg_fit):
    r, alpha, a, b, _ = bg_fit[1]
    # Fader, Hardie & Lee (2005): x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks
    assert udfs.BGNBD_PURCHASES(r, alpha, a, b, 39, 2, 30.43, 38.86)[0][0] == pytest.approx(1.226, abs=5e-4)
    alive = udfs.P_ALIVE(r, alpha, a, b, [[2], [0], [10]], [[30.43], [0], [5]], 38.86)
    assert [len(row) for row in alive] == [1, 1, 1]
    assert alive[1][0] == 1.0  # BG/NBD: a customer with no repeat purchase has not dropped out
    assert 0 < alive[2][0] < alive[0][0] < 1  # ten purchases, the last long ago: very likely gone


def test_gamma_gamma_in_cells(cdnow):
    header, values = udfs.GG_FIT(column(cdnow["x"]), column(cdnow["zbar"]))
    assert header == ["p", "q", "gamma"]
    for name, value in zip(header, values, strict=True):
        assert value == pytest.approx(PUBLISHED_GG[name], rel=1e-2)
    spend = udfs.GG_SPEND(*values, [[2], [0]], [[22.35], [0]])
    model = GammaGamma.from_params(*values)
    assert spend[0][0] == pytest.approx(float(model.expected_spend(2, 22.35)))
    assert spend[1][0] == pytest.approx(model.mean_spend)  # no repeat purchase: the population mean


def test_clv_predicted_matches_the_library_and_keeps_the_unit_explicit():
    bg = (0.2426, 4.4136, 0.7929, 2.4259)
    gg = (6.25, 3.74, 15.44)
    cells = udfs.CLV_PREDICTED(*bg, *gg, [[2], [0]], [[30.43], [0]], 38.86, [[22.35], [0]], 52, "W", 0.1, 0.3)
    summary = pd.DataFrame({"frequency": [2, 0], "recency": [30.43, 0], "T": [38.86, 38.86],
                            "monetary_value": [22.35, 0]})
    expected = predicted_clv(BetaGeo.from_params(*bg), GammaGamma.from_params(*gg), summary, 52, "W", 0.1, 0.3)
    assert [row[0] for row in cells] == pytest.approx(expected.tolist(), rel=1e-12)
    missing_unit = udfs.CLV_PREDICTED(*bg, *gg, 2, 30.43, 38.86, 22.35, 52, None)
    assert missing_unit == [["CLV_PREDICTED: time_unit is empty: enter a value in the cell"]]


def test_model_functions_show_short_errors():
    assert udfs.BGNBD_PURCHASES([[0.2], [0.3]], 4, 0.8, 2.4, 39, 2, 30, 38)[0][0] == (
        "BGNBD_PURCHASES: r must be a single cell; got a range of 2 cells"
    )
    too_few = udfs.BGNBD_FIT([[0], [1]], [[0], [3]], [[5], [5]])[0][0]
    assert too_few.startswith("BGNBD_FIT: ") and "\n" not in too_few
    bad = udfs.P_ALIVE(0.24, 4.4, 0.79, 2.4, 2, 40, 38.86)[0][0]  # recency after T
    assert bad.startswith("P_ALIVE: recency")


def test_bgnbd_fit_penalizer_shrinks_the_parameters(cdnow, bg_fit):
    header, plain = bg_fit
    cells = udfs.BGNBD_FIT(column(cdnow["x"]), column(cdnow["t_x"]), column(cdnow["T"]), 0.01)
    assert cells[0] == header
    penalised = dict(zip(header, cells[1], strict=True))
    plain = dict(zip(header, plain, strict=True))
    # an L2 penalty on the parameters pulls them towards 0 and can only lower the (unpenalised) likelihood
    assert sum(penalised[k] ** 2 for k in "r alpha a b".split()) < sum(plain[k] ** 2 for k in "r alpha a b".split())
    assert penalised["log_likelihood"] < plain["log_likelihood"]
    assert udfs.BGNBD_FIT(column(cdnow["x"]), column(cdnow["t_x"]), column(cdnow["T"]), -1)[0][0] == (
        "BGNBD_FIT: penalizer must be a number >= 0; got -1.0"
    )
