"""The CLV settings sheet's margin and language drive the button's report: French tabs, figures that follow the margin.

The button runs as xlwings Server runs it (xlwings' own server-side dispatch, :func:`tests.script_dispatch.run_script`);
its report is the workbook clv-xl's Office.js script inserts. Both reports are recalculated by LibreOffice. The
truth is computed here, not by the report: the revenue summed with plain Python from the cells the book holds,
times the margin typed in the sheet; and a CLV linear in the margin (simple and predicted CLV are margin × a
figure that does not depend on it: see the Definitions sheet) moves by the ratio of the two margins.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from clv_xl.excel.settings import SETTINGS_SHEET, settings_grid
from clv_xl.report.libreoffice import convert
from clv_xl.report.sheet_names import sheet_name
from clv_xl.report.template import REQUIRED_SHEETS
from tests.libreoffice import require_libreoffice
from tests.script_dispatch import office_js_book, run_script
from tests.test_officejs_workbook import inserted_workbook, orders  # noqa: F401  (orders: the fixture)


def _button_report(rows: list[list], tmp_path: Path, **settings: object) -> Path:
    """The button's report for the order ``rows`` with ``settings`` typed in the CLV settings sheet, recalculated."""
    tmp_path.mkdir()
    grid = settings_grid()
    for row in grid:
        if row[2] in settings:
            row[1] = settings[row[2]]
    book = office_js_book([{"name": "Orders", "values": rows}, {"name": SETTINGS_SHEET, "values": grid}])
    path, names = inserted_workbook(run_script(book, tmp_path, host="server"), tmp_path)
    assert load_workbook(path, read_only=True).sheetnames == names
    return convert(path, tmp_path / "lo", "xlsx")


def _named(path: Path, name: str) -> object:
    workbook = load_workbook(path, data_only=True)
    ((sheet, cell),) = workbook.defined_names[name].destinations
    return workbook[sheet][cell.replace("$", "")].value


def test_margin_and_language_set_in_the_sheet_drive_the_buttons_report(orders: list[list],  # noqa: F811
                                                                       tmp_path: Path) -> None:
    require_libreoffice()
    english = _button_report(orders, tmp_path / "en")
    french = _button_report(orders, tmp_path / "fr", margin="45 %", lang="fr")
    names = load_workbook(french, read_only=True).sheetnames
    assert names[:len(REQUIRED_SHEETS)] == [sheet_name(s, "fr") for s in REQUIRED_SHEETS]
    assert names[0] == "Tableau de bord" and "Clients" in names and "Customers" not in names
    assert _named(french, "margin") == pytest.approx(0.45) and _named(french, "lang") == "fr"
    revenue = sum(float(row[2]) for row in orders[1:])  # the amounts in the book's cells, summed here
    assert _named(french, "kpi_revenue") == pytest.approx(revenue, rel=1e-9)
    assert _named(french, "kpi_historical_value") == pytest.approx(revenue * 0.45, rel=1e-9)
    assert _named(english, "kpi_historical_value") == pytest.approx(revenue * 0.30, rel=1e-9)
    for kpi in ("kpi_clv", "kpi_predicted_clv"):
        assert _named(french, kpi) == pytest.approx(_named(english, kpi) * 0.45 / 0.30, rel=1e-9), kpi
