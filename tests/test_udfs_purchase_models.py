"""The Excel functions of MBG/NBD, Pareto/NBD and BG/BB, called as Excel calls them, against published figures."""

from __future__ import annotations

import pandas as pd
import pytest

from clv_xl.excel import udfs


def _column(frame: pd.DataFrame, name: str) -> list[list[float]]:
    return [[float(v)] for v in frame[name]]


@pytest.fixture(scope="module")
def cdnow(cdnow_dir) -> pd.DataFrame:
    return pd.read_csv(cdnow_dir / "cdnow_customers_summary.csv")


def test_pareto_fit_spills_the_published_parameters_and_predicts_the_published_customer(cdnow):
    spilled = udfs.PARETO_FIT(_column(cdnow, "frequency"), _column(cdnow, "recency"), _column(cdnow, "T"))
    assert spilled[0] == ["r", "alpha", "s", "beta", "log_likelihood"]
    # Fader, Hardie & Lee (2005): 0.553, 10.578, 0.606, 11.669, LL -9595.0
    assert spilled[1] == pytest.approx([0.553, 10.578, 0.606, 11.669, -9595.0], rel=2e-3)
    # BTYD walkthrough: x 26, t_x 30.86, T 31 expects 25.46 purchases in 52 weeks; the spilled row (with its
    # header) goes straight in as params
    assert udfs.MODEL_PURCHASES("pareto_nbd", spilled, 52, 26, 30.86, 31)[0][0] == pytest.approx(25.46, abs=0.005)


def test_mbgnbd_fit_spills_the_published_parameters(cdnow):
    spilled = udfs.MBGNBD_FIT(_column(cdnow, "frequency"), _column(cdnow, "recency"), _column(cdnow, "T"))
    assert spilled[1][:4] == pytest.approx([0.525, 6.183, 0.891, 1.614], rel=2e-3)  # BTYDplus
    alive = udfs.MODEL_P_ALIVE("mbgnbd", spilled, 0, 0, 38.86)[0][0]
    assert 0 < alive < 1  # a one-time buyer is not surely alive under MBG/NBD


def test_bgbb_fit_and_p_alive_match_the_donations_paper(cdnow_dir):
    data = pd.read_csv(cdnow_dir / "donations.csv")
    spilled = udfs.BGBB_FIT(_column(data, "frequency"), _column(data, "recency"), _column(data, "periods"),
                            _column(data, "weights"))
    assert spilled[1][:4] == pytest.approx([1.204, 0.750, 0.657, 2.783], rel=2e-3)  # Fader, Hardie & Shang 2010
    alive = udfs.MODEL_P_ALIVE("bgbb", spilled, [[0], [2], [6]], [[0], [4], [6]], 6)
    assert [row[0] for row in alive] == pytest.approx([0.11, 0.59, 0.93], abs=0.005)


def test_residual_value_is_more_than_a_year_of_purchases_and_finite():
    params = [[0.553, 10.578, 0.606, 11.669]]
    year = udfs.MODEL_PURCHASES("pareto_nbd", params, 52, 2, 30.43, 38.86)[0][0]
    residual = udfs.MODEL_RESIDUAL("pareto_nbd", params, 2, 30.43, 38.86, 0.0018)[0][0]
    assert year < residual < 100


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: udfs.MODEL_P_ALIVE("nbd", [[1, 1, 1, 1]], 0, 0, 3), "model must be one of bgnbd"),
        (lambda: udfs.MODEL_P_ALIVE("bgnbd", [[1, 2]], 0, 0, 3), "params must hold"),
        (lambda: udfs.MODEL_RESIDUAL("bgnbd", [[1, 2, 1, 2]], 0, 0, 3, 0), "discount_rate must be a number > 0"),
        (lambda: udfs.MODEL_P_ALIVE("bgbb", [[1, 1, 1, 1]], 3, 2, 6), "recency must be >= frequency"),
    ],
)
def test_bad_input_is_one_short_line(call, message):
    cells = call()
    assert len(cells) == 1 and len(cells[0]) == 1
    assert message in cells[0][0] and "Traceback" not in cells[0][0]
