"""The xlwings Lite template: ``templates/lite/main.py`` run by xlwings' own Office.js dispatch.

xlwings Lite runs main.py in Pyodide and serves its members with the same xlwings core functions as
xlwings Server (``custom_functions_meta/call``, ``custom_scripts_meta/call``); Pyodide itself cannot run
here, so main.py is loaded as the module ``main`` in a child process with ``XLWINGS_ON_SERVER=true``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import xlwings

LITE = Path(__file__).resolve().parents[1] / "templates" / "lite"

RUNNER = """
import asyncio, importlib.util, json, sys
import xlwings as xw
import xlwings.server

spec = importlib.util.spec_from_file_location("main", sys.argv[1])
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)

call = {"client": "Office.js", "func_name": "CLV", "args": [[[50]], [[2]], [[3]]],
        "caller_address": "[Book1]Sheet1!B2", "session_id": "lite", "culture_info_name": "en-US",
        "date_format": "M/d/yyyy", "version": xw.__version__, "runtime": "1.4"}
book = xw.Book(json=json.loads(sys.argv[2]))
book = asyncio.run(xlwings.server.custom_scripts_call(main, "generate_report", typehint_to_value={xw.Book: book}))
json.dump({
    "functions": [f["name"] for f in xlwings.server.custom_functions_meta(main)["functions"]],
    "clv": asyncio.run(xlwings.server.custom_functions_call(call, main)),
    "scripts": [s["function_name"] for s in xlwings.server.custom_scripts_meta(main)],
    "actions": book.json()["actions"],
}, sys.stdout)
"""


def test_requirements_list_clv_xl_and_not_xlwings() -> None:
    lines = [
        line.strip()
        for line in (LITE / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == ["clv-xl"]


def test_main_is_short_and_only_imports_clv_xl_and_xlwings() -> None:
    tree = ast.parse((LITE / "main.py").read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert {m.split(".")[0] for m in modules} == {"xlwings", "clv_xl"}
    assert "from clv_xl.excel.udfs import *" in (LITE / "main.py").read_text()


def test_lite_main_serves_the_functions_and_the_report_script() -> None:
    rows = [["Customer", "Order date", "Amount"]]
    rows += [
        ["a", "2024-01-05T00:00:00.000Z", 10.0],
        ["a", "2024-03-01T00:00:00.000Z", 20.0],
        ["b", "2024-02-10T00:00:00.000Z", 30.0],
    ]
    book = {
        "client": "Office.js",
        "version": xlwings.__version__,
        "book": {"name": "Book1", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": "Orders", "values": rows, "pictures": [], "tables": []}],
    }
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(LITE / "main.py"), json.dumps(book)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=str(LITE),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert {"CLV", "LTV_CAC", "CHURN_RATE", "LIFESPAN"} <= set(out["functions"])
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", name) for name in out["functions"])
    assert out["clv"] == [[300]]
    assert out["scripts"] == ["generate_report"]
    added = [a["args"][1] for a in out["actions"] if a["func"] == "addSheet"]
    assert added[:3] == ["CLV settings", "CLV Summary", "CLV Customers"]  # settings created on first use
    assert not [a for a in out["actions"] if a["func"] == "alert"]
