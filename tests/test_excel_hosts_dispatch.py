"""The Office.js and classic paths, through xlwings' own code (no mocks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clv_xl.excel import udfs
from tests import officejs_dispatch
from tests.goldens import check_golden

GOLDEN_VBA = Path(__file__).parent / "golden" / "udfs_classic.vba"


@pytest.fixture(scope="module")
def office_js():
    return officejs_dispatch.run(
        [
            ["CLV", [50, 2, 3]],
            ["CLV", [[[50], [60]], 2, 3, [[None]], [[None]]]],
            ["LTV_CAC", [150, 50]],
            ["LIFESPAN", [0]],
            ["CLV", [[[None]], 2, 3]],
            ["CLV_SUMMARY", [[["a"], ["b"], ["a"]], [[45292], [45293], [45299]], [[10], [20], [30]], [[None]], "W"]],
            ["CLV_SUMMARY", [[["a"], ["b"]], [[45292], ["not a date"]], [[10], [20]]]],
            ["BGNBD_PURCHASES", [0.2426, 4.4136, 0.7929, 2.4259, 39, [[2], [0]], [[30.43], [0]], 38.86]],
            # ids with a lone surrogate (half of a UTF-16 pair, as a broken paste leaves in a cell; the JSON
            # escape "\ud800" decodes to it): two such ids, a repeat of one, and a plain id
            ["CLV_SUMMARY", [[["a\ud800"], ["a\udc00"], ["a\ud800"], ["b"]], [[45292], [45293], [45299], [45300]],
                             [[10], [20], [30], [40]]]],
        ]
    )


def test_office_js_metadata_lists_every_function_with_parameter_descriptions(office_js):
    assert office_js["on_server"] is True
    functions = {f["name"]: f for f in office_js["meta"]["functions"]}
    assert set(functions) == {f.name for f in udfs.EXCEL_FUNCTIONS}
    for spec in udfs.EXCEL_FUNCTIONS:
        meta = functions[spec.name]
        assert meta["description"].strip() == spec.summary
        params = meta["parameters"]
        assert [p["name"] for p in params] == [a.name for a in spec.arguments]
        for param, argument in zip(params, spec.arguments, strict=True):
            assert param["description"] == argument.doc
            assert param.get("optional", False) == argument.optional


def test_office_js_call_returns_the_value(office_js):
    clv, clv_column, ltv_cac = office_js["results"][:3]
    assert clv == {"value": [[300]]}
    assert clv_column == {"value": [[300], [360]]}
    assert ltv_cac == {"value": [[3]]}


def test_office_js_bad_argument_is_a_short_error_naming_the_argument(office_js):
    lifespan_zero, empty = office_js["results"][3:5]
    assert lifespan_zero["type"] == "XlwingsError"
    assert lifespan_zero["error"] == "LIFESPAN: churn_rate must be > 0 and <= 1; got 0"
    assert empty["error"].startswith("CLV: avg_order_value is empty")


def classic_vba() -> str:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "classic_vba.py")],
        capture_output=True, text=True, timeout=300, check=False, env=dict(os.environ),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_classic_vba_wrappers_match_the_golden_file():
    check_golden(GOLDEN_VBA.name, classic_vba(), __file__)


def test_classic_vba_declares_every_function_with_its_optional_arguments():
    vba = classic_vba()
    for spec in udfs.EXCEL_FUNCTIONS:
        params = ", ".join(("Optional " if a.optional else "") + a.name for a in spec.arguments)
        assert f"Function {spec.name}({params})\n" in vba
        assert f"' {spec.name}: category=CLV;" in vba


def test_office_js_table_function_spills_with_dates_as_excel_dates(office_js):
    table, bad = office_js["results"][5:7]
    header, first, second = table["value"]
    assert header[:4] == ["customer_id", "frequency", "recency", "T"]
    row = dict(zip(header, first, strict=True))
    assert row["customer_id"] == "a" and row["frequency"] == 1 and row["recency"] == 1.0
    assert row["first_order"]["basicValue"] == 45292 and row["last_order"]["basicValue"] == 45299
    assert bad["type"] == "XlwingsError" and bad["error"].startswith("CLV_SUMMARY: ")
    assert "not a date" in bad["error"] and "Traceback" not in bad["error"]


def test_office_js_model_function_spills_per_customer(office_js):
    purchases = office_js["results"][7]["value"]
    assert len(purchases) == 2 and len(purchases[0]) == 1
    assert purchases[0][0] == pytest.approx(1.226, abs=5e-4)  # Fader, Hardie & Lee (2005)


def test_office_js_lone_surrogate_in_an_id_keeps_the_customer_apart_as_its_escape(office_js):
    # before: "CLV_SUMMARY: unexpected error (UnicodeEncodeError: 'utf-8' codec can't encode character '\ud800'...)"
    result = office_js["results"][8]
    assert "error" not in result, result
    header, *rows = result["value"]
    by_id = {row[header.index("customer_id")]: row for row in rows}
    assert set(by_id) == {"a\\ud800", "a\\udc00", "b"}  # the escape as text: two customers, not one
    assert by_id["a\\ud800"][header.index("orders")] == 2
    assert by_id["a\\ud800"][header.index("revenue")] == 40
    assert by_id["a\\udc00"][header.index("revenue")] == 20
