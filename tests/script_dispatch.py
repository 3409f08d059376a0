"""Running the Generate report script through xlwings' own server-side dispatch (``custom_scripts_call``).

xlwings reads ``XLWINGS_ON_SERVER`` when it is imported, so each call runs in a child process with
``XLWINGS_ON_SERVER=true`` and the non-commercial licence key, on an ``xw.Book(json=...)`` workbook shaped
like the one Office.js sends; the caller reads back the actions xlwings would send to Excel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import xlwings

RUNNER = """
import asyncio, importlib.util, json, sys
import xlwings as xw
import xlwings.server

if sys.argv[2] == "server":
    from clv_xl.excel.server import custom_scripts as scripts
else:  # the xlwings Lite main.py
    spec = importlib.util.spec_from_file_location("main", sys.argv[2])
    scripts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scripts)
book = xw.Book(json=json.load(open(sys.argv[1])))
args = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None  # the script's form fields, if any
book = asyncio.run(
    xlwings.server.custom_scripts_call(scripts, "generate_report", typehint_to_value={xw.Book: book}, args=args)
)
json.dump(book.json()["actions"], sys.stdout)
"""

LITE_MAIN = Path(__file__).resolve().parents[1] / "templates" / "lite" / "main.py"


def run_script(book_json: dict, tmp_path: Path, host: str = "lite", args: list | None = None) -> list[dict]:
    """Run generate_report through xlwings' server dispatch; return the actions for Excel.

    ``host="lite"`` runs the xlwings Lite main.py (value sheets written through the book API),
    ``host="server"`` the xlwings Server script (the whole workbook sent to clv-xl's JavaScript);
    ``args`` are the values of the script's form fields, as xlwings passes them.
    """
    payload = tmp_path / "book.json"
    payload.write_text(json.dumps(book_json))
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    target = "server" if host == "server" else str(LITE_MAIN)
    extra = [json.dumps(args)] if args is not None else []
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(payload), target, *extra],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def office_js_book(sheets: list[dict], active: int = 0, selection: str | None = "A1") -> dict:
    """A workbook as the Office.js client sends it."""
    for sheet in sheets:
        sheet.setdefault("pictures", [])
        sheet.setdefault("tables", [])
    return {
        "client": "Office.js",
        "version": xlwings.__version__,
        "book": {"name": "Shop.xlsx", "active_sheet_index": active, "selection": selection},
        "names": [],
        "sheets": sheets,
    }


def iso(date: pd.Timestamp) -> str:
    """A date cell as Office.js sends it."""
    return date.strftime("%Y-%m-%dT00:00:00.000Z")


def cdnow_sample_rows(cdnow_dir: Path) -> list[list]:
    """The 6,919 CDNOW sample orders as a header row plus one row per order, Office.js style."""
    raw = pd.read_csv(
        cdnow_dir / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master_id", "customer", "date", "cds", "dollars"],
        dtype={"master_id": str, "customer": str, "date": str},
    )
    rows: list[list] = [["Customer", "Order date", "Amount", "CDs"]]
    for r in raw.itertuples():
        rows.append([r.customer, iso(pd.Timestamp(r.date)), float(r.dollars), int(r.cds)])
    return rows


def sheet_values(actions: list[dict]) -> dict[str, list[list]]:
    """Sheet name -> values written to it (from the addSheet/setValues actions)."""
    names: dict[int, str] = {}
    written: dict[str, list[list]] = {}
    for action in actions:
        if action["func"] == "addSheet":
            names[action["args"][0]] = action["args"][1]
        elif action["func"] == "setValues":
            assert (action["start_row"], action["start_column"]) == (0, 0)
            written[names[action["sheet_position"]]] = action["values"]
    return written
