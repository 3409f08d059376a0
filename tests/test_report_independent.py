"""The CDNOW report's figures, recalculated by LibreOffice, against a plain-pandas reading of the raw file.

tests/independent/cdnow_dashboard.py computes the figures from CDNOW_master.txt without importing clv_xl; a change
that moves a figure in Python and in the workbook the same way (or a golden regenerated over it) fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from tests.independent import cdnow_dashboard
from tests.test_report_libreoffice import Recalculated

SCRIPT = Path(cdnow_dashboard.__file__)


@pytest.fixture(scope="module")
def raw_orders() -> pd.DataFrame:
    return cdnow_dashboard.read_master()


@pytest.fixture(scope="module")
def cdnow_lo(cdnow_recalculated: Path) -> Recalculated:
    return Recalculated(cdnow_recalculated)


def test_the_independent_script_does_not_use_the_package() -> None:
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "collections", "pathlib", "pandas", "numpy"}, imported


def test_hand_counted_totals_of_the_raw_file(raw_orders: pd.DataFrame) -> None:
    # tests/data/cdnow/README.md: 69,659 orders of 23,570 customers, 80 of them $0.00
    assert len(raw_orders) == 69_659 and raw_orders["customer"].nunique() == 23_570
    assert (raw_orders["amount"] == 0).sum() == 80


@pytest.mark.parametrize("key", list(cdnow_dashboard.FIGURES))
def test_dashboard_figure_equals_the_independent_figure(key: str, cdnow_lo: Recalculated,
                                                        raw_orders: pd.DataFrame) -> None:
    expected = cdnow_dashboard.FIGURES[key](raw_orders)
    assert cdnow_lo.named(f"kpi_{key}") == pytest.approx(expected, rel=1e-12), key


def test_segments_equal_the_independent_segments(cdnow_lo: Recalculated, raw_orders: pd.DataFrame) -> None:
    table = cdnow_dashboard.segments(raw_orders)
    for row, (name, seg) in enumerate(table.iterrows(), start=4):  # Segments!B4:B6 = High, Mid, Low
        assert cdnow_lo.cell("Segments", row, 2) == name
        assert cdnow_lo.cell("Segments", row, 3) == seg["customers"], name
        assert cdnow_lo.cell("Segments", row, 5) == pytest.approx(seg["revenue"], rel=1e-12), name
        assert cdnow_lo.cell("Segments", row, 7) == pytest.approx(seg["mean_historical_clv"], rel=1e-12), name
        assert cdnow_lo.cell("Segments", row, 8) == seg["orders"], name
