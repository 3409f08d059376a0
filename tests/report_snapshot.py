"""What the golden tests compare: a report read back with openpyxl (meaning, not bytes).

Two goldens per report, both written only on request (see :mod:`tests.goldens`):

- ``<name>.json``: structure - sheet names, defined names, formula text, number formats, tables, conditional
  formats, charts, labels;
- ``<name>_values.json``: the values after a full recalculation in LibreOffice - every formula's result and every
  number Python wrote (first 40 rows of the streamed sheets), so a change that alters figures in Python and in the
  workbook the same way still shows.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from clv_xl.report.labels import LANGS
from clv_xl.report.sheet_names import SHEET_KEYS, sheet_name
from tests.goldens import check_golden

STREAMED_SHEETS = ("Customers", "Orders", "Forecast")
STREAMED_ROWS = 40
#: Relative tolerance on recalculated values: LibreOffice versions and numpy/scipy builds differ in the last bits
#: (and a fitted model's optimiser stops within ~1e-8 of the optimum); every other change is far larger.
VALUE_RTOL = 1e-6
#: English (template) name of each report tab, in every language (the rules below are written for the English names).
_TEMPLATE_NAME = {sheet_name(english, lang): english for english in SHEET_KEYS for lang in LANGS}


def _base(title: str) -> str:
    return _TEMPLATE_NAME.get(title, title)


def _dump(snap: dict) -> str:
    return json.dumps(snap, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _rows(ws: Any, **kwargs: Any) -> Iterator[tuple]:
    """The rows a snapshot reads: all of them, or the first ones of a streamed sheet."""
    streamed = _base(ws.title) in STREAMED_SHEETS
    return ws.iter_rows(max_row=STREAMED_ROWS, **kwargs) if streamed else ws.iter_rows(**kwargs)


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
        for row in _rows(ws):
            for cell in row:
                key = f"{ws.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    snap["formulas"][key] = cell.value
                    snap["number_formats"][key] = cell.number_format
                elif isinstance(cell.value, (int, float)) and cell.number_format != "General":
                    snap["number_formats"][key] = cell.number_format
                elif isinstance(cell.value, str) and _base(ws.title) != "Forecast" and not (
                    _base(ws.title) == "Dashboard" and cell.row == 2
                ):
                    if _base(ws.title) in STREAMED_SHEETS and cell.row > 1:
                        continue
                    if _base(ws.title) in ("Cohorts", "Churn", "Definitions") and cell.row > 3 and cell.column == 2:
                        continue
                    snap["labels"][key] = cell.value
    with zipfile.ZipFile(path) as z:
        snap["charts"] = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
    return snap


def value_snapshot(original: Path, recalculated: Path) -> dict[str, object]:
    """``{"Sheet!A1": value}``: every formula's recalculated result and every number, date or boolean written.

    Text constants are left to the structure golden (and the Dashboard's dated subtitle to nobody).
    """
    formulas = load_workbook(original, read_only=True)
    values = load_workbook(recalculated, data_only=True, read_only=True)
    snap: dict[str, object] = {}
    for ws in formulas.worksheets:
        computed = {
            cell.coordinate: cell.value for row in _rows(values[ws.title]) for cell in row if cell.value is not None
        }
        for row in _rows(ws):
            for cell in row:
                if cell.value is None:
                    continue
                value = computed.get(cell.coordinate)
                if isinstance(value, (dt.datetime, dt.date)):
                    value = value.isoformat()
                elif cell.data_type != "f" and not isinstance(value, (bool, int, float)):
                    continue
                snap[f"{ws.title}!{cell.coordinate}"] = value
    formulas.close()
    values.close()
    return snap


def _same_value(expected: object, actual: object) -> bool:
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        return math.isclose(expected, actual, rel_tol=VALUE_RTOL, abs_tol=1e-12)
    return expected == actual


def compare_with_golden(path: Path, name: str, wb: Workbook | None = None) -> None:
    """Compare the structure of ``path`` with ``tests/golden/<name>.json`` (see :mod:`tests.goldens`)."""

    def compare(expected_text: str, actual_text: str) -> None:
        expected, actual = json.loads(expected_text), json.loads(actual_text)
        assert actual.keys() == expected.keys(), f"{name}: snapshot keys differ"
        for key in expected:
            assert actual[key] == expected[key], f"{name}: {key} differs from tests/golden/{name}.json"

    check_golden(f"{name}.json", _dump(snapshot(path, wb)), __file__.replace("report_snapshot", "test_report_golden"),
                 compare)


def compare_values_with_golden(original: Path, recalculated: Path, name: str) -> None:
    """Compare the recalculated values of a report with ``tests/golden/<name>_values.json``."""

    def compare(expected_text: str, actual_text: str) -> None:
        expected, actual = json.loads(expected_text), json.loads(actual_text)
        missing = sorted(expected.keys() - actual.keys())[:5]
        extra = sorted(actual.keys() - expected.keys())[:5]
        assert not missing and not extra, f"{name}: cells missing {missing}, new {extra}"
        wrong = [(k, expected[k], actual[k]) for k in sorted(expected) if not _same_value(expected[k], actual[k])]
        assert not wrong, f"{name}: {len(wrong)} recalculated values differ, first: {wrong[:5]}"

    check_golden(f"{name}_values.json", _dump(value_snapshot(original, recalculated)),
                 __file__.replace("report_snapshot", "test_report_golden"), compare)
