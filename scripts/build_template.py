"""Build the default report template, templates/clv_report.xlsx.

Run from the repository root:  python scripts/build_template.py
The contract it honours (sheets and defined names) is in templates/README.md and clv_xl/report/template.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from clv_xl.report.assumptions import ASSUMPTIONS
from clv_xl.report.options import ReportOptions
from clv_xl.report.styles import DATE, INT, PCT, YEARS, ensure_styles, money_format
from clv_xl.report.template import REQUIRED_SHEETS, check_template

_FORMATS = {"0%": "0%", "pct": PCT, "money": money_format("USD"), "int": INT, "dec": YEARS, "text": "@", "date": DATE}

OUT = Path(__file__).resolve().parent.parent / "templates" / "clv_report.xlsx"

# name -> (sheet, cell)
ANCHORS = {
    "anchor_title": ("Dashboard", "B1"),
    "anchor_kpis": ("Dashboard", "B18"),
    "anchor_notes": ("Dashboard", "B58"),
    "anchor_whatif": ("Dashboard", "E4"),
    "anchor_chart_revenue": ("Dashboard", "E13"),
    "anchor_chart_segments": ("Dashboard", "E32"),
    "anchor_customers": ("Customers", "A1"),
    "anchor_segments": ("Segments", "B3"),
    "anchor_cohorts": ("Cohorts", "B3"),
    "anchor_churn": ("Churn", "B3"),
    "anchor_chart_churn": ("Churn", "M3"),
    "anchor_forecast": ("Forecast", "B3"),
    "anchor_orders": ("Orders", "A1"),
    "anchor_definitions": ("Definitions", "B3"),
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
    defaults = ReportOptions()
    for assumption in ASSUMPTIONS:
        row = int(assumption.cell[1:])
        dash[f"B{row}"].style = "clv_label"
        target = dash[assumption.cell]
        target.style = "clv_input" if assumption.editable else "clv_value"
        target.number_format = _FORMATS[assumption.kind]
        target.value = getattr(defaults, assumption.name)
        col, number = assumption.cell[0], assumption.cell[1:]
        wb.defined_names[assumption.name] = DefinedName(assumption.name, attr_text=f"Dashboard!${col}${number}")
    dash.freeze_panes = "A4"

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
    for ws in wb.worksheets:  # print each sheet landscape, one page wide (header rows are set by the generator)
        ws.sheet_view.zoomScale = 100
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
