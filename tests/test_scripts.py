"""The Generate report script, run by xlwings' own server-side dispatch (``custom_scripts_call``).

xlwings reads ``XLWINGS_ON_SERVER`` when it is imported, so each call runs in a child process with
``XLWINGS_ON_SERVER=true`` and the non-commercial licence key, on an ``xw.Book(json=...)`` workbook shaped
like the one Office.js sends; the test reads back the actions xlwings would send to Excel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from clv_xl.excel.scripts import REPORT_SHEETS, REPORT_TITLE
from clv_xl.excel.settings import SETTINGS_SHEET, settings_grid
from clv_xl.orders import read_orders
from clv_xl.report import REQUIRED_SHEETS
from clv_xl.report.content import build_content
from tests.script_dispatch import iso, office_js_book, run_script, sheet_values


def test_report_sheets_from_first_sheet_with_orders(cdnow_rows: list[list], tmp_path: Path) -> None:
    book = office_js_book(
        [
            {"name": "Readme", "values": [["My shop"], ["The orders are on the next sheet."]]},
            {"name": "Orders", "values": cdnow_rows},
        ]
    )
    actions = run_script(book, tmp_path)
    assert not [a for a in actions if a["func"] == "alert"], actions
    added = [a["args"] for a in actions if a["func"] == "addSheet"]
    assert added[0] == [2, SETTINGS_SHEET]  # created with the defaults on first use, after the user's sheets
    added = added[1:]
    assert [name for _, name in added] == [s for s in REPORT_SHEETS if s in {n for _, n in added}]
    assert [pos for pos, _ in added] == list(range(3, 3 + len(added)))  # after the user's sheets
    written = sheet_values(actions)
    assert {"CLV Summary", "CLV Customers", "CLV Segments", "CLV Cohorts", "CLV Churn"} <= set(written)

    # KPI values, against the same orders computed here in Python
    summary = {row[0]: row[1] for row in written["CLV Summary"][1:]}
    assert summary["Customers"] == 2357
    assert summary["Orders"] == 6919
    raw = pd.DataFrame(cdnow_rows[1:], columns=cdnow_rows[0])
    assert summary["Revenue"] == pytest.approx(raw["Amount"].sum(), rel=1e-12)
    assert summary["Average order value (AOV)"] == pytest.approx(raw["Amount"].sum() / 6919, rel=1e-12)
    orders = read_orders(raw.assign(**{"Order date": pd.to_datetime(raw["Order date"].str[:10])}))
    content = build_content(orders, forecast=False)
    expected, window = content.kpis, content.window.periods
    simple = "Simple CLV: AOV × purchases a year × lifespan × margin, discounted, whole lifetime"
    assert summary[simple] == pytest.approx(expected["clv"], rel=1e-9)
    churn = f"Monthly churn (lost after {window} months without an order)"
    assert summary[churn] == pytest.approx(expected["churn"], rel=1e-9)

    customers = written["CLV Customers"]
    assert customers[0][:5] == ["Customer", "First order", "Last order", "Orders", "Revenue"]
    assert len(customers) == 1 + 2357
    per_customer = raw.groupby("Customer")["Amount"].sum()
    first = customers[1]
    assert first[0] == "'" + first[0][1:]  # "0001" goes to Excel as text
    assert first[4] == pytest.approx(per_customer[first[0][1:]])


def test_selection_wins(cdnow_rows: list[list], tmp_path: Path) -> None:
    head = cdnow_rows[:11]  # header + 10 orders of the first customers
    other = [["Region", "Sales"], ["North", 10]]
    values = [row + [None] + (other[i] if i < len(other) else [None, None]) for i, row in enumerate(head)]
    book = office_js_book([{"name": "Data", "values": values}], selection="A1:D11")
    written = sheet_values(run_script(book, tmp_path))
    summary = {row[0]: row[1] for row in written["CLV Summary"][1:]}
    assert summary["Orders"] == 10
    assert summary["Customers"] == len({row[0] for row in head[1:]})


def test_excel_table_under_active_cell(cdnow_rows: list[list], tmp_path: Path) -> None:
    # Two blocks side by side; the table B..E holds the orders, the active cell is inside it.
    block = cdnow_rows[:21]
    values = [[None] + row for row in block]
    table = {
        "name": "Orders",
        "range_address": "B1:E21",
        "header_row_range_address": "B1:E1",
        "data_body_range_address": "B2:E21",
        "total_row_range_address": None,
        "show_headers": True,
        "show_totals": False,
        "table_style": "TableStyleMedium2",
        "show_autofilter": True,
    }
    book = office_js_book([{"name": "Sheet1", "values": values, "tables": [table]}], selection="C5")
    written = sheet_values(run_script(book, tmp_path))
    assert {row[0]: row[1] for row in written["CLV Summary"][1:]}["Orders"] == 20


def test_bad_data_is_one_line_alert(tmp_path: Path) -> None:
    values = [
        ["Customer", "Order date", "Amount"],
        ["a", iso(pd.Timestamp("2024-01-05")), "twelve euros"],
        ["b", iso(pd.Timestamp("2024-02-05")), 30.0],
    ]
    actions = run_script(office_js_book([{"name": "Orders", "values": values}], selection="A2"), tmp_path)
    alerts = [a for a in actions if a["func"] == "alert"]
    assert len(alerts) == 1 and not [a for a in actions if a["func"] == "addSheet"]
    prompt, title = alerts[0]["args"][:2]
    assert title == REPORT_TITLE
    assert "\n" not in prompt and "Traceback" not in prompt and len(prompt) < 400
    assert prompt.startswith("sheet Orders: ") and "'twelve euros'" in prompt
    assert "row 2 " in prompt  # the Excel row of the bad value


def test_no_orders_anywhere_says_what_to_do(tmp_path: Path) -> None:
    book = office_js_book([{"name": "Sheet1", "values": [["Region", "Sales"], ["North", 10]]}])
    actions = run_script(book, tmp_path)
    (alert,) = [a for a in actions if a["func"] == "alert"]
    assert "customer, date and amount" in alert["args"][0]


def test_second_click_replaces_the_report_sheets(tmp_path: Path) -> None:
    values = [
        ["Customer", "Order date", "Amount"],
        ["a", iso(pd.Timestamp("2024-01-05")), 10.0],
        ["a", iso(pd.Timestamp("2024-03-05")), 20.0],
        ["b", iso(pd.Timestamp("2024-02-05")), 30.0],
    ]
    sheets = [
        {"name": "Orders", "values": values},
        {"name": "CLV Summary", "values": [["old"]]},
        {"name": SETTINGS_SHEET, "values": settings_grid()},  # made by the first click
    ]
    actions = run_script(office_js_book(sheets, selection="B2"), tmp_path)
    funcs = [a["func"] for a in actions]
    assert funcs.index("sheetDelete") < funcs.index("addSheet")
    assert sheet_values(actions)["CLV Summary"][1] == ["Customers", 2.0]


CLASSIC_RUNNER = """
import json, sys
from pathlib import Path
import xlwings as xw
from clv_xl.excel.scripts import find_orders, report_path_for
from clv_xl.report import build_report

book = xw.Book(json=json.load(open(sys.argv[1])))
path = build_report(find_orders(book), report_path_for(Path(sys.argv[2]) / book.name))
print(path)
"""


def test_classic_branch_builds_the_report_next_to_the_workbook(cdnow_rows: list[list], tmp_path: Path) -> None:
    """What the classic button does before opening the file: same orders, report saved next to the book."""
    import openpyxl

    payload = tmp_path / "book.json"
    payload.write_text(json.dumps(office_js_book([{"name": "Orders", "values": cdnow_rows[:200]}])))
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    proc = subprocess.run(
        [sys.executable, "-c", CLASSIC_RUNNER, str(payload), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    path = Path(proc.stdout.strip().splitlines()[-1])
    assert path.parent == tmp_path and path.name.startswith("Shop CLV report ") and path.suffix == ".xlsx"
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == [*REQUIRED_SHEETS, "Data"]  # the template's sheets, then the intake summary


def test_text_from_the_data_never_becomes_a_formula_number_or_date(tmp_path: Path) -> None:
    hostile = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2", "@SUM(A1)", "\t=1", "0001", "03/04"]
    values = [["Customer", "Order date", "Amount"]]
    for i, customer in enumerate(hostile):
        values.append([customer, iso(pd.Timestamp("2024-01-05") + pd.Timedelta(days=i)), 10.0 + i])
        values.append([customer, iso(pd.Timestamp("2024-03-05") + pd.Timedelta(days=i)), 20.0])
    actions = run_script(office_js_book([{"name": "Orders", "values": values}], selection="A2"), tmp_path)
    assert not [a for a in actions if a["func"] == "alert"], actions
    customers = sheet_values(actions)["CLV Customers"]
    ids = [row[0] for row in customers[1:]]
    # every id reaches Excel with the apostrophe that keeps it text (Excel does not store the apostrophe)
    assert len(ids) == len(hostile)
    assert all(isinstance(i, str) and i.startswith("'") for i in ids)
    for action in actions:
        if action["func"] == "setValues":
            for row in action["values"]:
                for cell in row:
                    assert not (isinstance(cell, str) and cell.startswith(("=", "+", "-", "@")))


def test_lone_surrogate_in_an_id_cell_keeps_the_customer_apart_as_its_escape(tmp_path: Path) -> None:
    # half a UTF-16 pair, as a broken paste leaves in a cell (the JSON escape decodes to it); it used to end in
    # "Could not build the report (UnicodeEncodeError: ...)"
    values = [["Customer", "Order date", "Amount"]]
    for i, customer in enumerate(["a\ud800", "a\udc00", "a\ud800", "b"]):
        values.append([customer, iso(pd.Timestamp("2024-01-05") + pd.Timedelta(days=30 * i)), 10.0 * (i + 1)])
    actions = run_script(office_js_book([{"name": "Orders", "values": values}], selection="A2"), tmp_path)
    assert not [a for a in actions if a["func"] == "alert"], actions
    customers = sheet_values(actions)["CLV Customers"]
    revenue = {row[0]: row[customers[0].index("Revenue")] for row in customers[1:]}
    assert revenue == {"a\\ud800": 40.0, "a\\udc00": 20.0, "b": 40.0}
    server = run_script(office_js_book([{"name": "Orders", "values": values}], selection="A2"), tmp_path, "server")
    assert server and not [a for a in server if a["func"] == "alert"], server  # the whole workbook, built


def test_lone_surrogate_in_a_header_cell_is_read_not_an_encoding_error(tmp_path: Path) -> None:
    # the amount header ends with half a UTF-16 pair: the block is still read (the column found by its values), the
    # ids whose halves arrived separately are one customer with the character they make
    values = [["Customer", "Order date", "Amount\ud800"],
              ["x\ud83d\ude00", iso(pd.Timestamp("2024-01-05")), 10.0],
              ["x\U0001f600", iso(pd.Timestamp("2024-02-05")), 20.0],
              ["b", iso(pd.Timestamp("2024-03-05")), 5.0]]
    actions = run_script(office_js_book([{"name": "Orders", "values": values}], selection="A2"), tmp_path)
    assert not [a for a in actions if a["func"] == "alert"], actions
    customers = sheet_values(actions)["CLV Customers"]
    revenue = {row[0]: row[customers[0].index("Revenue")] for row in customers[1:]}
    assert revenue == {"x\U0001f600": 30.0, "b": 5.0}
