"""Build the default report template, templates/clv_report.xlsx.

Run from the repository root:  python scripts/build_template.py
The contract it honours (sheets and defined names) is in templates/README.md and clv_xl/report/template.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from clv_xl.report.styles import INT, PCT, YEARS, ensure_styles, money_format
from clv_xl.report.template import REQUIRED_SHEETS, check_template

OUT = Path(__file__).resolve().parent.parent / "templates" / "clv_report.xlsx"

# name -> (sheet, cell)
ANCHORS = {
    "anchor_title": ("Dashboard", "B1"),
    "anchor_kpis": ("Dashboard", "B14"),
    "anchor_notes": ("Dashboard", "B32"),
    "anchor_whatif": ("Dashboard", "E4"),
    "anchor_chart_revenue": ("Dashboard", "E13"),
    "anchor_chart_segments": ("Dashboard", "E32"),
    "anchor_customers": ("Customers", "A1"),
    "anchor_segments": ("Segments", "B3"),
    "anchor_cohorts": ("Cohorts", "B3"),
    "anchor_churn": ("Churn", "B3"),
    "anchor_chart_churn": ("Churn", "L3"),
    "anchor_forecast": ("Forecast", "B3"),
    "anchor_orders": ("Orders", "A1"),
    "anchor_definitions": ("Definitions", "B3"),
}

# name -> (cell, default value, number format)
ASSUMPTIONS = {
    "margin": ("C5", 0.3, "0%"),
    "discount_rate": ("C6", 0.1, PCT),
    "cac_input": ("C7", None, money_format("USD")),
    "marketing_spend": ("C8", None, money_format("USD")),
    "new_customers": ("C9", None, INT),
    "lifespan_override": ("C10", None, YEARS),
    "currency": ("C11", "USD", "@"),
    "report_lang": ("C12", "en", "@"),
}


def build(out: Path = OUT) -> Path:
    wb = Workbook()
    ensure_styles(wb)
    wb.remove(wb.active)
    for title in REQUIRED_SHEETS:
        wb.create_sheet(title)

    dash = wb["Dashboard"]
    dash.sheet_view.showGridLines = False
    widths = {"A": 2, "B": 46, "C": 18, "D": 3, "E": 22}
    for col, width in widths.items():
        dash.column_dimensions[col].width = width
    for col in "FGHIJKLMN":
        dash.column_dimensions[col].width = 13
    dash["B1"].style = "clv_title"
    dash["B2"].style = "clv_subtitle"
    dash["B4"].style = "clv_block"
    dash["C4"].style = "clv_block"
    for row, (name, (cell, value, fmt)) in enumerate(ASSUMPTIONS.items(), start=5):
        dash[f"B{row}"].style = "clv_label"
        target = dash[cell]
        target.style = "clv_input"
        target.number_format = fmt
        target.value = value
        wb.defined_names[name] = DefinedName(name, attr_text=f"Dashboard!${cell[0]}${cell[1:]}")
    rates = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=False,
                           showErrorMessage=True, error="Enter a rate between 0 and 1 (e.g. 30%).")
    rates.add("C5:C6")
    positive = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True,
                              showErrorMessage=True, error="Enter a positive number or leave blank.")
    positive.add("C7:C10")
    dash.add_data_validation(rates)
    dash.add_data_validation(positive)
    dash.freeze_panes = "A4"
    dash.page_setup.orientation = "landscape"
    dash.page_setup.fitToWidth = 1
    dash.page_setup.fitToHeight = 0
    dash.sheet_properties.pageSetUpPr.fitToPage = True

    for name, (sheet, cell) in ANCHORS.items():
        col = "".join(ch for ch in cell if ch.isalpha())
        row = cell[len(col):]
        wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet}!${col}${row}")

    for title, first_width in (("Segments", 24), ("Cohorts", 12), ("Churn", 12), ("Forecast", 16),
                               ("Definitions", 44)):
        ws = wb[title]
        ws.sheet_view.showGridLines = False
        ws.column_dimensions["A"].width = 2
        ws.column_dimensions["B"].width = first_width
        ws["B1"].style = "clv_title"
    wb["Definitions"].column_dimensions["C"].width = 60
    wb["Definitions"].column_dimensions["D"].width = 70
    for title in ("Customers", "Orders"):
        wb[title].freeze_panes = "A2"
    for ws in wb.worksheets:
        ws.sheet_view.zoomScale = 100
        if ws.title not in ("Customers", "Orders"):  # print each report sheet one page wide
            ws.page_setup.orientation = "landscape"
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
    check_template(wb, "generated template")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
