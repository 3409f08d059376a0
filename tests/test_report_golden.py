"""Generated reports, reloaded with openpyxl, against golden JSON (structure, and values after LibreOffice).

Goldens are never written by a normal run: see tests/goldens.py for how to regenerate one after review.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from clv_xl.report import REQUIRED_NAMES, REQUIRED_SHEETS
from clv_xl.report.kpis import KPIS
from tests.report_snapshot import compare_values_with_golden, compare_with_golden


@pytest.fixture(scope="module")
def cdnow_wb(cdnow_report: tuple[Path, object]) -> Workbook:
    return load_workbook(cdnow_report[0])


def test_cdnow_report_matches_golden(cdnow_report: tuple[Path, object], cdnow_wb: Workbook) -> None:
    compare_with_golden(cdnow_report[0], "report_cdnow", cdnow_wb)


def test_demo_report_fr_matches_golden(demo_report_fr: tuple[Path, object]) -> None:
    compare_with_golden(demo_report_fr[0], "report_demo_fr")


def test_cdnow_recalculated_values_match_golden(cdnow_report: tuple[Path, object], cdnow_recalculated: Path) -> None:
    compare_values_with_golden(cdnow_report[0], cdnow_recalculated, "report_cdnow")


def test_demo_fr_recalculated_values_match_golden(demo_report_fr: tuple[Path, object],
                                                  demo_fr_recalculated: Path) -> None:
    compare_values_with_golden(demo_report_fr[0], demo_fr_recalculated, "report_demo_fr")


def test_cdnow_report_structure(cdnow_report: tuple[Path, object], cdnow_wb: Workbook) -> None:
    content = cdnow_report[1]
    wb = cdnow_wb
    assert wb.sheetnames == [*REQUIRED_SHEETS, "Data"]  # the Data sheet (intake summary) is added after the template's
    assert set(REQUIRED_NAMES) <= set(wb.defined_names)
    assert wb["Dashboard"]["C5"].value == 0.3  # margin
    customers = wb["Customers"]
    assert customers.max_row == 23_570 + 1
    assert list(customers.tables) == ["tblCustomers"] and customers.tables["tblCustomers"].ref == "A1:M23571"
    orders = wb["Orders"]
    assert orders.max_row == len(content.orders) + 1
    assert orders.tables["tblOrders"].ref.endswith(str(len(content.orders) + 1))
    first = [c.value for c in customers[2]]
    best = content.customers.loc[content.customers["revenue"].idxmax(), "customer_id"]  # by value: revenue here
    assert first[0] == best == "07592" and customers["A2"].data_type == "s"  # leading zeros kept, as text
    assert customers["B2"].is_date and customers["B2"].number_format == "yyyy-mm-dd"
    formulas = [c.value for row in wb["Dashboard"].iter_rows() for c in row if c.data_type == "f"]
    assert len(formulas) == len(KPIS) + 36  # key figures + what-if grid
    for banned in ("UNIQUE(", "FILTER(", "LET(", "XLOOKUP(", "SEQUENCE(", "SUMIFS("):
        assert not any(banned in f for f in formulas)


def test_demo_report_fr_labels(demo_report_fr: tuple[Path, object]) -> None:
    wb = load_workbook(demo_report_fr[0])
    assert wb.sheetnames == ["Tableau de bord", "Clients", "Segmentation", "Cohortes", "Attrition", "Prévisions",
                             "Commandes", "Définitions", "Données"]
    dash = wb["Tableau de bord"]
    assert dash["B1"].value == "Rapport de valeur vie client (CLV)"
    assert dash["B19"].value == "Clients" and dash["B5"].value == "Marge brute"
    assert wb["Clients"]["L1"].value == "Segment" and wb["Clients"]["B2"].number_format == "dd/mm/yyyy"
    assert {wb["Segmentation"][f"B{r}"].value for r in (4, 5, 6)} == {"Élevé", "Moyen", "Faible"}
    assert wb["Attrition"]["B4"].value == "janv. 2024" and wb["Cohortes"]["B5"].value == "févr. 2024"
    assert dash["C7"].value is None and dash["C8"].value == 60000 and dash["C9"].value == 1500
    assert "€" in dash["C21"].number_format  # revenue in euros
