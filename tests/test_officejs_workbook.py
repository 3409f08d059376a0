"""The Office.js button sends the same workbook as ``clv-xl report``, and follows the CLV settings sheet.

Run through xlwings' own server-side dispatch (``custom_scripts_call``, see :mod:`tests.script_dispatch`): the
response's ``runMacro`` action for clv-xl's JavaScript carries the report ``.xlsx`` in base64; it is compared
by meaning (sheet names, defined names, formulas, number formats, tables, charts, labels) with the report the
command line writes from the same orders.
"""

from __future__ import annotations

import base64
import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from clv_xl.excel.settings import SETTINGS_SHEET, settings_grid
from clv_xl.excel.whole_workbook import INSERT_CALLBACK
from tests.report_snapshot import snapshot
from tests.script_dispatch import office_js_book, run_script
from tests.test_cli_number_text import named_value

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def orders(cdnow_dir: Path) -> list[list]:
    """The first 400 CDNOW sample orders, header first, dates as Office.js sends them."""
    raw = pd.read_csv(cdnow_dir / "CDNOW_sample.txt", sep=r"\s+", header=None, nrows=400,
                      names=["master_id", "customer", "date", "cds", "dollars"], dtype=str)
    return [["Customer", "Order date", "Amount"]] + [
        [f"C{r.customer}", pd.Timestamp(r.date).strftime("%Y-%m-%dT00:00:00.000Z"), float(r.dollars)]
        for r in raw.itertuples()
    ]


def inserted_workbook(actions: list[dict], tmp_path: Path) -> tuple[Path, list[str]]:
    """The workbook the runMacro action hands to clv-xl's insert callback, saved as a file."""
    assert not [a for a in actions if a["func"] == "alert"], actions
    (call,) = [a["args"] for a in actions if a["func"] == "runMacro"]
    name, data, sheet_names = call
    assert name == INSERT_CALLBACK
    path = tmp_path / "officejs.xlsx"
    path.write_bytes(base64.b64decode(data))
    return path, sheet_names.split("\t")


def cli_report(orders: list[list], tmp_path: Path, *options: str) -> Path:
    """``clv-xl report`` on the same orders, written as a CSV file."""
    source = tmp_path / "orders.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([row[:1] + [row[1][:10]] + row[2:] for row in orders])
    out = tmp_path / "cli.xlsx"
    proc = subprocess.run([sys.executable, "-m", "clv_xl", "report", str(source), "-o", str(out), "-q", *options],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out


#: Provenance items of the cleaning report: the CLI read a CSV file, the button a block of cells (read back by
#: the report as "the DataFrame", already with canonical column names). Everything else must be identical.
PROVENANCE = {"Source", "Read as", "Columns", "Lu comme", "Colonnes"}


def comparable(path: Path) -> dict:
    """The snapshot of a report without the values of the cleaning-report items that say where orders came from."""
    snap = snapshot(path)
    workbook = load_workbook(path, read_only=True)
    skipped = {
        f"{ws.title}!{row[2].coordinate}"
        for ws in workbook.worksheets
        for row in ws.iter_rows(max_col=3)
        if len(row) == 3 and row[1].value in PROVENANCE
    }
    workbook.close()
    assert skipped, "no provenance rows found: has the cleaning report moved?"
    return {**snap, "labels": {k: v for k, v in snap["labels"].items() if k not in skipped}}


def test_officejs_button_sends_the_cli_workbook(orders: list[list], tmp_path: Path) -> None:
    actions = run_script(office_js_book([{"name": "Orders", "values": orders}]), tmp_path, host="server")
    path, names = inserted_workbook(actions, tmp_path)
    cli_path = cli_report(orders, tmp_path)
    cli, officejs = snapshot(cli_path), snapshot(path)
    assert officejs["sheets"] == cli["sheets"] == names
    assert officejs["defined_names"] == cli["defined_names"] and cli["defined_names"]
    assert officejs["formulas"] == cli["formulas"] and cli["formulas"]
    assert officejs["number_formats"] == cli["number_formats"]
    assert officejs["tables"] == cli["tables"] and officejs["charts"] == cli["charts"]
    assert comparable(path) == comparable(cli_path)
    assert named_value(path, "margin") == named_value(cli_path, "margin") == 0.3
    # first use: the settings sheet is added to the user's workbook with the defaults
    added = [a["args"] for a in actions if a["func"] == "addSheet"]
    assert added == [[1, SETTINGS_SHEET]]


def test_settings_sheet_margin_and_language_drive_the_report(orders: list[list], tmp_path: Path) -> None:
    settings = settings_grid()
    for row in settings:
        if row[2] == "margin":
            row[1] = "50 %"  # typed as text, the French way
        elif row[2] == "lang":
            row[1] = "fr"
    book = office_js_book([{"name": "Orders", "values": orders}, {"name": SETTINGS_SHEET, "values": settings}])
    path, _ = inserted_workbook(run_script(book, tmp_path, host="server"), tmp_path)
    cli_path = cli_report(orders, tmp_path, "--margin", "0.5", "--lang", "fr")
    assert comparable(path) == comparable(cli_path)
    french = snapshot(path)
    english = snapshot(cli_report(orders, tmp_path, "--force"))
    assert french["labels"] != english["labels"] and french["sheets"]
    assert named_value(path, "margin") == 0.5 and named_value(path, "lang") == "fr"
    assert [a for a in run_script(book, tmp_path, host="server") if a["func"] == "addSheet"] == []


def test_bad_setting_is_one_line_alert(orders: list[list], tmp_path: Path) -> None:
    settings = [row if row[2] != "margin" else [row[0], "150 %", "margin"] for row in settings_grid()]
    book = office_js_book([{"name": "Orders", "values": orders[:20]}, {"name": SETTINGS_SHEET, "values": settings}])
    actions = run_script(book, tmp_path, host="server")
    (alert,) = [a for a in actions if a["func"] == "alert"]
    assert "margin" in alert["args"][0] and "\n" not in alert["args"][0]
    assert not [a for a in actions if a["func"] == "runMacro"]
