"""``clv-xl serve``: the real xlwings Server on loopback, called as Office.js Excel calls it.

The server is started through the command line on 127.0.0.1 and a free port, waited for with a bound,
and stopped by its process id at the end.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import xlwings

from clv_xl.excel import udfs
from tests.serve_process import free_port, function_call, request, running_server, serve_refusal, server_env

OFFICE_NS = "{http://schemas.microsoft.com/office/taskpaneappversionoverrides}"
BT_NS = "{http://schemas.microsoft.com/office/officeappbasictypes/1.0}"

# Only look the package up: importing xlwings_server sets XLWINGS_ON_SERVER=true in this process.
if importlib.util.find_spec("xlwings_server") is None:
    pytest.skip("xlwings-server is not installed (pip install 'clv-xl[server]')", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Port of a running ``clv-xl serve`` with its defaults (loopback: no token)."""
    with running_server(tmp_path_factory.mktemp("server") / "server.log") as port:
        yield port


def http(method: str, port: int, path: str, body: object | None = None, timeout: float = 60.0) -> tuple[int, str]:
    return request(port, method, path, body, timeout=timeout)


def office_js_call(port: int, func_name: str, *args: object) -> tuple[int, str]:
    return http("POST", port, "/xlwings/custom-functions-call", function_call(func_name, *args))


def test_functions_meta_lists_every_function(server: int) -> None:
    status, body = http("GET", server, "/xlwings/custom-functions-meta")
    assert status == 200
    meta = {f["name"]: f for f in json.loads(body)["functions"]}
    expected = {name for name in udfs.__all__ if name.isupper() and callable(getattr(udfs, name))}
    assert {"CLV", "LTV_CAC", "CHURN_RATE", "LIFESPAN"} <= expected
    assert set(meta) == expected
    assert [p["name"] for p in meta["CLV"]["parameters"]][:3] == [
        "avg_order_value",
        "purchases_per_year",
        "lifespan_years",
    ]


def test_clv_over_office_js(server: int) -> None:
    status, body = office_js_call(server, "CLV", 50, 2, 3)
    assert status == 200, body
    assert json.loads(body)["result"] == [[300]]


def test_bad_argument_is_a_short_error_naming_it(server: int) -> None:
    status, body = office_js_call(server, "LIFESPAN", 0)
    assert status == 400
    assert "churn_rate" in body
    assert "\n" not in body.strip() and "Traceback" not in body and len(body) < 200


def test_report_script_returns_actions(server: int) -> None:
    status, body = http("GET", server, "/xlwings/custom-scripts-meta")
    assert status == 200
    assert [s["function_name"] for s in json.loads(body)] == ["generate_report"]

    rows = [["Customer", "Order date", "Amount"]]
    for customer, day, amount in [
        ("a", "2024-01-05", 10.0),
        ("a", "2024-03-01", 20.0),
        ("b", "2024-02-10", 30.0),
        ("c", "2024-04-02", 5.5),
    ]:
        rows.append([customer, f"{day}T00:00:00.000Z", amount])
    book = {
        "client": "Office.js",
        "version": xlwings.__version__,
        "book": {"name": "Shop.xlsx", "active_sheet_index": 0, "selection": "B3"},
        "names": [],
        "sheets": [{"name": "Orders", "values": rows, "pictures": [], "tables": []}],
    }
    status, body = http("POST", server, "/xlwings/custom-scripts-call/generate_report", book, timeout=300)
    assert status == 200, body
    actions = json.loads(body)["actions"]
    added = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == ["CLV settings"]  # first use: the settings sheet with the defaults
    # the report itself is the whole workbook, for clv-xl's insert callback (tests/test_officejs_workbook.py)
    (call,) = [a["args"] for a in actions if a["func"] == "runMacro"]
    assert call[0] == "clvInsertReport"
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(base64.b64decode(call[1])))
    assert workbook.sheetnames == call[2].split("\t") and "Dashboard" in workbook.sheetnames


def test_manifest_has_clv_tab_button_and_namespace(server: int) -> None:
    status, body = http("GET", server, "/manifest")
    assert status == 200
    root = ET.fromstring(body)  # valid XML
    strings = {s.get("id"): s.get("DefaultValue") for s in root.iter(f"{BT_NS}String")}
    assert strings["ClvTab.Label"] == "CLV"
    assert strings["ClvGenerateReport.Label"] == "Generate report"
    assert strings["Functions.Namespace"] == "CLV"
    function_names = [e.text for e in root.iter(f"{OFFICE_NS}FunctionName")]
    assert function_names == ["clv-generate-report"]
    # ... and the ribbon code served to Excel wires that button to the generate_report script.
    status, js = http("GET", server, "/static/js/ribbon.js")
    assert status == 200
    assert 'Office.actions.associate("clv-generate-report"' in js and 'scriptName: "generate_report"' in js
    # ... and registers the callback that inserts the report workbook (ExcelApi 1.13, required by the manifest)
    assert "xlwings.registerCallback(clvInsertReport)" in js and "insertWorksheetsFromBase64" in js
    sets = {s.get("Name"): s.get("MinVersion") for s in root.iter("{http://schemas.microsoft.com/office/appforoffice/1.1}Set")}
    assert sets["ExcelApi"] == "1.13"
    # clv-xl's own icons, served by the server
    images = [i.get("DefaultValue") for i in root.iter(f"{BT_NS}Image") if i.get("DefaultValue")]
    assert images and all("/images/icons/clv-" in url for url in images)
    for url in images:
        status, _ = http("GET", server, url[url.index("/static/"):])
        assert status == 200, url
    status, html = http("GET", server, "/taskpane.html")
    assert status == 200 and 'xw-click="generate_report"' in html


def test_manifest_is_written_without_a_licence_key_https_with_french_strings(tmp_path: Path) -> None:
    target = tmp_path / "clv-manifest.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "clv_xl", "serve", "--manifest", str(target)],
        env=server_env(), capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(target).getroot()
    urls = {u.get("id"): u.get("DefaultValue") for u in root.iter(f"{BT_NS}Url")}
    assert urls["Taskpane.Url"] == "https://localhost:8000/taskpane.html"
    french = {s.get("id"): o.get("Value") for s in root.iter(f"{BT_NS}String") for o in s.iter(f"{BT_NS}Override")
              if o.get("Locale") == "fr-FR"}
    assert french["ClvGenerateReport.Label"] == "Générer le rapport" and "ClvGenerateReport.Tooltip" in french
    # English (en-US) is the default locale, with the English strings; the icons are clv-xl's own
    assert root.findtext("{http://schemas.microsoft.com/office/appforoffice/1.1}DefaultLocale") == "en-US"
    strings = {s.get("id"): s.get("DefaultValue") for s in root.iter(f"{BT_NS}String")}
    assert strings["ClvGenerateReport.Label"] == "Generate report"
    images = [i.get("DefaultValue") for i in root.iter(f"{BT_NS}Image") if i.get("DefaultValue")]
    assert images and all(url.startswith("https://localhost:8000/") and "/images/icons/clv-" in url for url in images)
    assert all(len(s.get("DefaultValue")) <= 250 for s in root.iter(f"{BT_NS}String"))  # Office's limit
    assert all(len(v) <= 250 for v in french.values())


def test_manifest_option_writes_a_file_to_sideload(tmp_path: Path) -> None:
    target = tmp_path / "clv-manifest.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "clv_xl", "serve", "--manifest", str(target), "--url", "https://clv.example.com"],
        env=server_env(XLWINGS_LICENSE_KEY="noncommercial"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(target).getroot()
    urls = {u.get("id"): u.get("DefaultValue") for u in root.iter(f"{BT_NS}Url")}
    assert urls["Taskpane.Url"] == "https://clv.example.com/taskpane.html"
    assert urls["Functions.Metadata.Url"] == "https://clv.example.com/xlwings/custom-functions-meta.json"


def test_missing_licence_key_is_one_line(tmp_path: Path) -> None:
    line = serve_refusal("--port", str(free_port()), env=server_env())
    assert "XLWINGS_LICENSE_KEY=noncommercial" in line


def test_stopping_the_server_stops_its_worker_processes(tmp_path: Path) -> None:
    # SIGTERM (as Ctrl-C, a service manager or the tests stop it): the worker processes, each with pandas and xlwings
    # loaded, and their resource tracker used to outlive the server
    import os
    import signal
    import time

    port = free_port()
    with (tmp_path / "serve.log").open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "clv_xl", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=server_env(XLWINGS_LICENSE_KEY="noncommercial"), stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        children: list[str] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(children) < 2:  # the resource tracker and a worker
            time.sleep(0.5)
            found = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True, check=False)
            children = found.stdout.split()
        assert len(children) >= 2, (tmp_path / "serve.log").read_text()[-2000:]
        http("GET", port, "/xlwings/custom-functions-meta")
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(os.path.exists(f"/proc/{child}") for child in children):
            time.sleep(0.3)
        left = [child for child in children if os.path.exists(f"/proc/{child}")]
        for child in left:
            os.kill(int(child), signal.SIGKILL)
        assert left == [], "worker processes outlived the server"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=20)
