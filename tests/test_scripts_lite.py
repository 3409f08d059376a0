"""The Generate report script of xlwings Lite (its main.py), run by xlwings' own server-side dispatch.

What xlwings Lite gets through the book API: value sheets with labelled headers, number formats, live formulas and
Tables, in the settings' language and the data's currency (see :mod:`tests.script_dispatch`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from clv_xl.excel.settings import SETTINGS_SHEET, settings_grid
from tests.script_dispatch import iso, office_js_book, run_script


def test_lite_sheets_have_labels_number_formats_formulas_and_a_table(tmp_path: Path) -> None:
    """What xlwings Lite gets through the book API: labelled headers, number formats, live totals, a Table."""
    values = [
        ["Customer", "Order date", "Amount"],
        ["a", iso(pd.Timestamp("2024-01-05")), 10.0],
        ["a", iso(pd.Timestamp("2024-03-05")), 20.0],
        ["b", iso(pd.Timestamp("2024-02-05")), 30.5],
    ]
    settings = [row if row[2] != "currency" else [row[0], "EUR", "currency"] for row in settings_grid()]
    book = office_js_book([{"name": "Orders", "values": values}, {"name": SETTINGS_SHEET, "values": settings}])
    actions = run_script(book, tmp_path)
    assert not [a for a in actions if a["func"] == "alert"], actions
    positions = {a["args"][0]: a["args"][1] for a in actions if a["func"] == "addSheet"}
    by_sheet: dict[str, list[dict]] = {}
    for action in actions:
        if "sheet_position" in action and action["sheet_position"] in positions:
            by_sheet.setdefault(positions[action["sheet_position"]], []).append(action)

    def cell(action: dict) -> tuple[int, int]:
        return action["start_row"], action["start_column"]

    customers = by_sheet["CLV Customers"]
    header = next(a["values"][0] for a in customers if a["func"] == "setValues")
    formats = {a["start_column"]: a["args"][0] for a in customers if a["func"] == "setNumberFormat"}
    assert formats[header.index("Revenue")] == '#,##0.00 "€"'  # the settings sheet's currency
    assert formats[header.index("First order")] == "yyyy-mm-dd"
    assert formats[header.index("Orders")] == "#,##0"
    (table,) = [a for a in customers if a["func"] == "addTable"]
    assert "tblCustomers" in json.dumps(table)

    summary = by_sheet["CLV Summary"]
    rows = next(a["values"] for a in summary if a["func"] == "setValues")
    labels = [row[0] for row in rows]
    formulas = {cell(a): a["values"] for a in summary if a["func"] == "setFormula"}
    revenue = labels.index("Revenue")
    assert formulas[(revenue, 1)] in ("=SUM('CLV Customers'!E2:E3)", [["=SUM('CLV Customers'!E2:E3)"]])
    assert rows[revenue][1] == 60.5  # the value Python computed, which the formula recomputes in Excel
    cell_formats = {cell(a): a["args"][0] for a in summary if a["func"] == "setNumberFormat"}
    assert cell_formats[(revenue, 1)] == '#,##0.00 "€"'
    assert "0.0%" in cell_formats.values()  # the churn and retention rates


def test_lite_labels_money_in_the_currency_of_the_data(tmp_path: Path) -> None:
    """Blank Currency setting (a new settings sheet): the data's currency, here a currency column, as the CLI does."""
    values = [
        ["Customer", "Order date", "Amount", "Currency"],
        ["a", iso(pd.Timestamp("2024-01-05")), 10.0, "EUR"],
        ["a", iso(pd.Timestamp("2024-03-05")), 20.0, "EUR"],
        ["b", iso(pd.Timestamp("2024-02-05")), 30.5, "EUR"],
    ]
    actions = run_script(office_js_book([{"name": "Orders", "values": values}]), tmp_path)
    assert not [a for a in actions if a["func"] == "alert"], actions
    positions = {a["args"][0]: a["args"][1] for a in actions if a["func"] == "addSheet"}
    assert SETTINGS_SHEET in positions.values()  # created with a blank currency
    summary = [a for a in actions if a.get("sheet_position") in positions
               and positions[a["sheet_position"]] == "CLV Summary" and a["func"] == "setNumberFormat"]
    money = {a["args"][0] for a in summary if "€" in a["args"][0] or "$" in a["args"][0]}
    assert money and all("€" in f and "$" not in f for f in money), money


def actions_by_sheet(actions: list[dict]) -> dict[str, list[dict]]:
    """The actions on each sheet the script added, by sheet name."""
    positions = {a["args"][0]: a["args"][1] for a in actions if a["func"] == "addSheet"}
    out: dict[str, list[dict]] = {}
    for action in actions:
        if action.get("sheet_position") in positions:
            out.setdefault(positions[action["sheet_position"]], []).append(action)
    return out


def test_lite_tables_have_headers_in_the_settings_language_and_number_formats(
    cdnow_rows: list[list], tmp_path: Path
) -> None:
    """Every table Lite gets is labelled (no snake_case) in the language of the settings sheet, and formatted;
    the settings' margin drives the figures."""
    from clv_xl.report.kpis import KPIS
    from clv_xl.report.labels import label

    chosen = {"lang": "fr", "margin": "50 %"}  # typed the French way
    settings = [[row[0], chosen.get(row[2], row[1]), row[2]] for row in settings_grid()]
    orders = {"name": "Orders", "values": cdnow_rows[:800]}
    book = office_js_book([orders, {"name": SETTINGS_SHEET, "values": settings}])
    sheets = actions_by_sheet(run_script(book, tmp_path))
    assert {"CLV Segments", "CLV Cohorts", "CLV Churn", "CLV Forecast"} <= set(sheets)
    headers = {name: next(a["values"][0] for a in acts if a["func"] == "setValues") for name, acts in sheets.items()}
    for name, header in headers.items():
        if name != SETTINGS_SHEET:
            assert not [h for h in header if isinstance(h, str) and "_" in h], (name, header)
    # French typography, as the French report writes it: a no-break space before %, the symbol after the amount
    money = '#,##0.00 "$"'
    french = {"CLV Churn": ("ch.", "churn_rate", '0.0"\u00a0"%'), "CLV Segments": ("s.", "revenue", money),
              "CLV Forecast": ("f.", "predicted_clv", money), "CLV Customers": ("c.", "revenue", money)}
    for name, (prefix, key, number_format) in french.items():
        column = headers[name].index(label(f"{prefix}{key}", "fr"))
        formats = {a["start_column"]: a["args"][0] for a in sheets[name] if a["func"] == "setNumberFormat"}
        assert formats[column] == number_format, (name, formats)
    assert label("ch.churn_rate", "fr") != label("ch.churn_rate", "en")  # the check above is about French
    cohorts = headers["CLV Cohorts"]
    assert cohorts[:2] == [label("h.cohort", "fr"), label("h.size", "fr")] and label("h.month", "fr", n=1) in cohorts
    cohort_formats = {a["start_column"]: a["args"][0] for a in sheets["CLV Cohorts"] if a["func"] == "setNumberFormat"}
    assert cohort_formats[cohorts.index(label("h.month", "fr", n=1))] == '0.0"\u00a0"%'
    summary = next(a["values"] for a in sheets["CLV Summary"] if a["func"] == "setValues")
    assert summary[0] == [label("d.metric", "fr"), label("d.value", "fr")]
    assert summary[1][0] == KPIS[0].label("fr") != KPIS[0].label("en")
    # the margin cell: historical CLV = revenue x margin, per customer
    customers = next(a["values"] for a in sheets["CLV Customers"] if a["func"] == "setValues")
    revenue, clv = customers[0].index(label("c.revenue", "fr")), customers[0].index(label("c.historical_clv", "fr"))
    assert all(row[clv] == pytest.approx(0.5 * row[revenue], rel=1e-12) for row in customers[1:])
    assert len(customers) > 100


def test_lite_form_fields_win_over_the_settings_sheet(tmp_path: Path) -> None:
    """xlwings Lite's App Mode form fields (margin, language, currency) are passed by xlwings as the script's
    arguments: filled in, they win over the settings sheet; blank, the sheet's values stay."""
    from clv_xl.report.labels import label

    values = [
        ["Customer", "Order date", "Amount"],
        ["a", iso(pd.Timestamp("2024-01-05")), 10.0],
        ["a", iso(pd.Timestamp("2024-03-05")), 20.0],
        ["b", iso(pd.Timestamp("2024-02-05")), 30.0],
    ]
    settings = settings_grid()  # English, margin 30 %, currency blank
    book = office_js_book([{"name": "Orders", "values": values}, {"name": SETTINGS_SHEET, "values": settings}])

    def customers(args: list) -> tuple[list[list], dict[int, str]]:
        acts = actions_by_sheet(run_script(book, tmp_path, args=args))["CLV Customers"]
        formats = {a["start_column"]: a["args"][0] for a in acts if a["func"] == "setNumberFormat"}
        return next(a["values"] for a in acts if a["func"] == "setValues"), formats

    rows, formats = customers(["50 %", "fr", "EUR"])
    revenue, clv = rows[0].index(label("c.revenue", "fr")), rows[0].index(label("c.historical_clv", "fr"))
    assert [row[clv] for row in rows[1:]] == pytest.approx([0.5 * row[revenue] for row in rows[1:]])
    assert formats[revenue] == '#,##0.00 "€"'
    rows, formats = customers(["", "", ""])
    revenue, clv = rows[0].index(label("c.revenue", "en")), rows[0].index(label("c.historical_clv", "en"))
    assert [row[clv] for row in rows[1:]] == pytest.approx([0.3 * row[revenue] for row in rows[1:]])
    assert formats[revenue] == '"$"#,##0.00'
    alert = next(a for a in run_script(book, tmp_path, args=["150 %", "", ""]) if a["func"] == "alert")
    assert "margin" in alert["args"][0] and "\n" not in alert["args"][0]
