"""The full report workbook for Office.js Excel: built in Python, inserted by clv-xl's own JavaScript.

xlwings Server's actions write values and formats cell by cell; they cannot make Excel Tables, charts or
defined names. So the Office.js button builds the very ``.xlsx`` that ``clv-xl report`` writes and hands it,
base64-encoded, to the JavaScript callback :data:`INSERT_CALLBACK` of clv-xl's ribbon script
(``server/static/js/ribbon.js``), which calls ``workbook.insertWorksheetsFromBase64`` (ExcelApi 1.13,
declared in the manifest) after deleting the sheets of an earlier report; where that API is missing it
offers the file as a download.
"""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import xlwings as xw

__all__ = ["INSERT_CALLBACK", "report_bytes", "send_report"]

#: Name of the JavaScript function (``xlwings.registerCallback``) that inserts the workbook.
INSERT_CALLBACK = "clvInsertReport"


def report_bytes(orders: pd.DataFrame, options: Mapping[str, Any]) -> tuple[bytes, list[str]]:
    """The report workbook ``clv-xl report`` would write for ``orders``, as bytes, and its sheet names.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 20.0, 30.0],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-10"])})
    >>> data, names = report_bytes(orders, {"margin": 0.4})
    >>> data[:2], "Customers" in names
    (b'PK', True)
    """
    from openpyxl import load_workbook

    from clv_xl.report import build_report

    with tempfile.TemporaryDirectory(prefix="clv-xl-officejs-") as tmp:
        path = build_report(orders, Path(tmp) / "report.xlsx", **options)
        data = path.read_bytes()
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        names = list(workbook.sheetnames)
    finally:
        workbook.close()
    return data, names


def send_report(book: xw.Book, orders: pd.DataFrame, options: Mapping[str, Any]) -> list[str]:
    """Queue the action that inserts the full report into the Office.js workbook; return its sheet names."""
    data, names = report_bytes(orders, options)
    book.app.macro(INSERT_CALLBACK)(base64.b64encode(data).decode("ascii"), "\t".join(names))
    return names
