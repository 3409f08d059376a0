"""Excel functions for subscriptions: sBG fitted from a range (the paper's figures), survival, retention, DERL, MRR."""

from __future__ import annotations

import numpy as np
import pytest

from clv_xl.excel import udfs

# Fader & Hardie (2007): % of the Regular segment still subscribed at the start of years 0..7
REGULAR = [[100], [63.1], [46.8], [38.2], [32.6], [28.9], [26.2], [24.1]]


def test_sbg_fit_from_a_range_spills_the_published_estimates() -> None:
    header, values = udfs.SBG_FIT(REGULAR)
    fitted = dict(zip(header, values, strict=True))
    assert fitted["alpha"] == pytest.approx(0.704, abs=5e-4)
    assert fitted["beta"] == pytest.approx(1.182, abs=5e-4)
    header, values = udfs.SBG_FIT(REGULAR, [[1000]])
    assert {"se_alpha", "se_beta"} <= set(header)


def test_survival_and_retention_against_the_paper_and_products_of_rates() -> None:
    survival = udfs.SBG_SURVIVAL(0.704, 1.182, [[8], [12]])
    assert abs(survival[0][0] - 0.223) < 0.01 and abs(survival[1][0] - 0.173) < 0.01
    rates = np.array(udfs.SBG_RETENTION(0.704, 1.182, [[1, 2, 3]])[0])
    expected = (1.182 + np.arange(3)) / (0.704 + 1.182 + np.arange(3))
    np.testing.assert_allclose(rates, expected)


def test_derl_against_a_direct_sum() -> None:
    alpha, beta, d = 0.704, 1.182, 0.1
    t = np.arange(1, 100_000)
    s = np.concatenate([[1.0], np.cumprod((beta + t - 1) / (alpha + beta + t - 1))])
    direct = float(np.sum(s[1:] * (1 / (1 + d)) ** np.arange(1, s.size)))
    assert udfs.SBG_DERL(alpha, beta, d)[0][0] == pytest.approx(direct, rel=1e-6)


def test_bad_arguments_are_short_messages() -> None:
    assert udfs.SBG_DERL(0.7, 1.2, 0)[0][0].startswith("SBG_DERL: discount_rate must be > 0")
    assert "may not rise" in udfs.SBG_FIT([[100], [60], [70]])[0][0]
    assert udfs.SBG_SURVIVAL(-1, 1, 1)[0][0].startswith("SBG_SURVIVAL: alpha")


def test_mrr_table_from_ranges_counted_by_hand() -> None:
    # a: 10 a month Jan-Mar then 15 (expansion +5 in Apr); b: yearly 240 in Jan and again next Jan; c: Jan-Feb only
    ids = [["a"]] * 4 + [["b"], ["b"]] + [["c"]] * 2
    dates = [["2024-01-05"], ["2024-02-05"], ["2024-03-05"], ["2024-04-05"], ["2023-01-10"], ["2024-01-10"],
             ["2024-01-20"], ["2024-02-20"]]
    amounts = [[10], [10], [10], [15], [240], [240], [30], [30]]
    table = udfs.MRR_TABLE(ids, dates, amounts)
    header, rows = table[0], table[1:]
    column = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    assert column["month"][-4:] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert column["mrr_end"][-4:] == [60.0, 60.0, 30.0, 35.0]
    assert column["churn"][-2] == 30.0 and column["expansion"][-1] == 5.0
