"""Run Office.js custom-function calls through xlwings' own server-side dispatch (run as a script).

Reads ``{"module": ..., "calls": [[func_name, [arg, ...]], ...]}`` as JSON on stdin and prints
``{"meta": custom_functions_meta(module), "results": [{"value": ...} | {"error": ...}, ...]}``.
It must run in a fresh interpreter with ``XLWINGS_ON_SERVER=true`` and a licence key set, because xlwings
reads them at import; :func:`run` does that in a subprocess.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def office_js_payload(func_name: str, args: list[Any]) -> dict[str, Any]:
    """The request body Office.js Excel sends for one call; every argument becomes a 2-D list."""
    import xlwings

    return {
        "client": "Office.js",
        "func_name": func_name,
        "args": [a if isinstance(a, list) else [[a]] for a in args],
        "caller_address": "[Book1]Sheet1!B2",
        "session_id": "clv-xl-tests",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "version": xlwings.__version__,
        "runtime": "1.4",
    }


def _main() -> None:
    import xlwings
    import xlwings.server

    request = json.load(sys.stdin)
    module = importlib.import_module(request["module"])
    results = []
    for func_name, args in request["calls"]:
        try:
            value = asyncio.run(xlwings.server.custom_functions_call(office_js_payload(func_name, args), module))
            results.append({"value": value})
        except xlwings.XlwingsError as exc:
            results.append({"error": str(exc), "type": type(exc).__name__})
    json.dump({"on_server": xlwings.on_server, "meta": xlwings.server.custom_functions_meta(module),
               "results": results}, sys.stdout, default=str)


def run(calls: list[tuple[str, list[Any]]], module: str = "clv_xl.excel.udfs") -> dict[str, Any]:
    """Dispatch ``calls`` in a subprocess with ``XLWINGS_ON_SERVER=true`` and the noncommercial key."""
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    done = subprocess.run(
        [sys.executable, str(Path(__file__))],
        input=json.dumps({"module": module, "calls": calls}),
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"Office.js dispatch failed:\n{done.stderr}")
    return json.loads(done.stdout)


if __name__ == "__main__":
    _main()
