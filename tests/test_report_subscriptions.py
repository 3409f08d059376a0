"""The Subscriptions sheet: recalculated by LibreOffice, its live figures equal the hand count of the export."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from clv_xl.report import build_report
from clv_xl.report.sheets.subscriptions import KPI_ROW, SHEET, SUBSCRIPTION_KPIS, TABLE_ROW
from tests.libreoffice import recalculate

DATA = Path(__file__).parent / "data" / "subscriptions"

# tests/data/subscriptions/README.md, chargebee_invoices.csv, counted by hand
MRR = [585, 486, 415, 466, 614, 614]
STARTS = 585 + 486 + 415 + 466 + 614  # MRR at the start of Feb..Jun
CHURNED, CONTRACTION, EXPANSION = 99 + 49, 100, 100
ARPA = 614 / 7
MARGIN, CAC = 0.3, 300.0
EXPECTED = {
    "mrr": 614, "customers": 7, "arpa": ARPA, "logo_churn": 2 / 29,
    "gross_mrr_churn": (CHURNED + CONTRACTION) / STARTS,
    "net_mrr_churn": (CHURNED + CONTRACTION - EXPANSION) / STARTS,
    "nrr": 1 - (CHURNED + CONTRACTION - EXPANSION) / STARTS,
    "margin": MARGIN, "ltv": ARPA * MARGIN / (2 / 29), "cac": CAC, "ltv_cac": ARPA * MARGIN / (2 / 29) / CAC,
    "payback": CAC / (ARPA * MARGIN),
}


@pytest.fixture(scope="module")
def chargebee_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sub") / "chargebee.xlsx"
    return build_report(DATA / "chargebee_invoices.csv", out, margin=MARGIN, cac=CAC, forecast=False)


def test_recalculated_figures_equal_the_hand_count(chargebee_report: Path, tmp_path: Path) -> None:
    ws = load_workbook(recalculate(chargebee_report, tmp_path), data_only=True)[SHEET]
    rows = {kpi.key: KPI_ROW + i for i, kpi in enumerate(SUBSCRIPTION_KPIS)}
    for key, value in EXPECTED.items():
        assert ws.cell(rows[key], 2).value == pytest.approx(value, rel=1e-9), key
    derl = ws.cell(rows["derl"], 2).value
    assert isinstance(derl, float) and derl > ARPA * MARGIN  # at least the first month's margin
    months = [ws.cell(TABLE_ROW + 1 + i, 1).value for i in range(6)]
    assert months == ["Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024", "May 2024", "Jun 2024"]
    assert [ws.cell(TABLE_ROW + 1 + i, 8).value for i in range(6)] == MRR


def test_sheet_says_why_and_has_its_charts_and_definitions(chargebee_report: Path) -> None:
    wb = load_workbook(chargebee_report)
    assert wb.sheetnames[1] == SHEET
    assert wb.active.title == SHEET  # the workbook opens on the subscription figures
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [SHEET]
    ws = wb[SHEET]
    assert ws["A2"].value.startswith("Recurring billing recognised: 5 of the 6 customers")
    assert "sBG" in ws["A3"].value
    definitions = [c.value for row in wb["Definitions"].iter_rows() for c in row if c.value]
    assert "Customer (logo) churn, monthly" in definitions
    with zipfile.ZipFile(chargebee_report) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert any("MRR movements per month" in c for c in charts)
    assert any("actual vs sBG projection" in c for c in charts)


def test_french_report(tmp_path: Path) -> None:
    out = build_report(DATA / "recurly_transactions.csv", tmp_path / "rapport.xlsx", lang="fr",
                       forecast=False)
    ws = load_workbook(out)["Abonnements"]  # the French tab of SHEET
    assert ws["A1"].value == "Abonnements : MRR, attrition et rétention"
    assert ws["A2"].value.startswith("Facturation récurrente reconnue : 5 des 5 clients")
    assert "trimestriel 1" in ws["A2"].value
    assert ws.cell(KPI_ROW + 3, 1).value == "Attrition clients (logos), mensuelle"


def test_a_shop_gets_no_subscription_sheet_unless_told(tmp_path: Path) -> None:
    from clv_xl.sample_shop import sample_orders

    orders = sample_orders().head(3000)
    shop = build_report(orders, tmp_path / "shop.xlsx", forecast=False)
    assert SHEET not in load_workbook(shop).sheetnames
    assert load_workbook(shop).active.title == "Dashboard"
    forced = build_report(orders, tmp_path / "forced.xlsx", forecast=False, business="subscription")
    ws = load_workbook(forced)[SHEET]
    assert "as chosen (--business subscription)" in ws["A2"].value


def test_bad_business_option_is_one_line(tmp_path: Path) -> None:
    orders = pd.read_csv(DATA / "stripe_invoices.csv")
    with pytest.raises(ValueError, match="business must be one of auto, subscription, shop"):
        build_report(orders, tmp_path / "x.xlsx", business="saas")
    assert not (tmp_path / "x.xlsx").exists()


def test_office_js_button_writes_the_mrr_table_for_recurring_billing() -> None:
    from clv_xl.excel.scripts import REPORT_SHEETS, report_sheets
    from clv_xl.orders import read_orders

    sheets = report_sheets(read_orders(DATA / "stripe_invoices.csv"), forecast=False)
    assert list(sheets) == [name for name in REPORT_SHEETS if name in sheets]
    table = sheets["CLV Subscriptions"]
    assert table["mrr_end"].tolist() == [140, 180, 160, 160]  # the hand count of tests/data/subscriptions
    assert table["churned_customers"].tolist() == [0, 0, 1, 0]


def test_dashboard_notes_say_what_was_decided_and_where_the_figures_are(tmp_path: Path) -> None:
    from clv_xl.orders import read_orders
    from clv_xl.report import ReportOptions, build_content

    content = build_content(read_orders(DATA / "stripe_invoices.csv"), ReportOptions(), forecast=False)
    notes = content.all_notes()
    assert any(n.startswith("Recurring billing recognised: 5 of the 5 customers") for n in notes)
    assert any("on the Subscriptions sheet" in n for n in notes)
    printed: list[str] = []
    build_report(DATA / "stripe_invoices.csv", tmp_path / "r.xlsx", forecast=False, notify=printed.append)
    assert any(n.startswith("Recurring billing recognised") for n in printed)  # the terminal gets them too


def test_a_subscription_analysis_too_big_is_left_out_with_a_note(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from clv_xl.subscriptions import mrr

    monkeypatch.setattr(mrr, "MAX_CELLS", 10)
    printed: list[str] = []
    out = build_report(DATA / "stripe_invoices.csv", tmp_path / "r.xlsx", forecast=False, notify=printed.append)
    assert SHEET not in load_workbook(out).sheetnames
    assert any(n.startswith("Recurring billing recognised, but the Subscriptions sheet is left out: 6 customers")
               for n in printed)
