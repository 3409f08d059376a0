"""What the golden tests compare: a report's structure, read back with openpyxl (meaning, not bytes)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

GOLDEN = Path(__file__).parent / "golden"
STREAMED_SHEETS = ("Customers", "Orders", "Forecast")


def snapshot(path: Path, wb: Workbook | None = None) -> dict:
    """Sheet names, defined names, formulas, number formats, tables, conditional formats, charts, labels."""
    wb = wb or load_workbook(path)
    snap: dict = {
        "sheets": wb.sheetnames,
        "defined_names": {name: dn.attr_text for name, dn in sorted(wb.defined_names.items())},
        "formulas": {},
        "number_formats": {},
        "labels": {},
        "tables": {},
        "conditional_formats": {},
    }
    for ws in wb.worksheets:
        snap["tables"][ws.title] = dict(sorted(ws.tables.items()))
        snap["conditional_formats"][ws.title] = sorted(
            f"{rng.sqref}:{rule.type}" for rng in ws.conditional_formatting for rule in rng.rules
        )
        rows = ws.iter_rows(max_row=40) if ws.title in STREAMED_SHEETS else ws.iter_rows()
        for row in rows:
            for cell in row:
                key = f"{ws.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    snap["formulas"][key] = cell.value
                    snap["number_formats"][key] = cell.number_format
                elif isinstance(cell.value, (int, float)) and cell.number_format != "General":
                    snap["number_formats"][key] = cell.number_format
                elif isinstance(cell.value, str) and ws.title != "Forecast" and not (
                    ws.title == "Dashboard" and cell.row == 2
                ):
                    if ws.title in STREAMED_SHEETS and cell.row > 1:
                        continue
                    if ws.title in ("Cohorts", "Churn", "Definitions") and cell.row > 3 and cell.column == 2:
                        continue
                    snap["labels"][key] = cell.value
    with zipfile.ZipFile(path) as z:
        snap["charts"] = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
    return snap


def compare_with_golden(path: Path, name: str, wb: Workbook | None = None) -> None:
    """Compare ``path`` with ``tests/golden/<name>.json``; rewrite it when CLV_XL_UPDATE_GOLDEN=1."""
    snap = snapshot(path, wb)
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("CLV_XL_UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.write_text(json.dumps(snap, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    for key in expected:
        assert snap[key] == expected[key], f"{name}: {key} differs from {golden.name}"
