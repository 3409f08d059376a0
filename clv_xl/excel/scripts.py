"""The **CLV > Generate report** button, for every Excel host.

:func:`generate_report` takes the order data in front of the user (the selection, the Excel Table or
block of cells under the active cell, or the first sheet whose columns :func:`clv_xl.orders.read_orders`
recognises) and

- in classic Excel (the ``clv_xl_addin.xlam`` ribbon, through RunPython and :mod:`clv_xl.excel.ribbon`) builds
  the report workbook next to the active workbook and opens it;
- in Office.js Excel (xlwings Server) and xlwings Lite writes the report sheets into the open workbook.

Bad data ends in a one-line message box (``book.app.alert``), never a traceback. The function is marked
with ``xlwings.script`` so xlwings Server and xlwings Lite list it as a script; in classic Excel and on
Linux that marker leaves it a plain function.

The order data is found by :mod:`clv_xl.excel.orders_in_book` and the sheets are written by
:mod:`clv_xl.excel.sheet_writing`; their public functions are importable from here as before.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import xlwings as xw

from clv_xl.errors import ClvXlError
from clv_xl.excel.lite_sheets import REPORT_SHEETS, FormattedSheet, report_sheets
from clv_xl.excel.orders_in_book import current_region, find_orders, values_to_frame
from clv_xl.excel.sheet_writing import report_path_for, write_report_sheets
from clv_xl.report.options import ReportOptions

__all__ = [
    "REPORT_TITLE",
    "REPORT_SHEETS",
    "report_sheets",
    "generate_report",
    "run_report",
    "find_orders",
    "current_region",
    "values_to_frame",
    "report_path_for",
    "write_report_sheets",
    "FormattedSheet",
]

logger = logging.getLogger(__name__)

#: Title of the message boxes shown by the button.
REPORT_TITLE = "CLV report"


def _is_remote(book: xw.Book) -> bool:
    """Tell whether ``book`` lives in Office.js/xlwings Lite (remote engine) rather than desktop Excel."""
    return getattr(book.app.engine, "type", "") == "remote"


def run_report(book: xw.Book, *, whole_workbook: bool = False, overrides: Mapping[str, Any] | None = None) -> None:
    """Build the CLV report from the orders in ``book``; what the **Generate report** button does.

    Classic Excel: saves ``<workbook> CLV report <date>.xlsx`` next to the workbook and opens it.
    Office.js / xlwings Lite (a remote book): writes the report sheets (``CLV Summary``,
    ``CLV Customers``, ...) into ``book``. Any problem with the data is shown as a one-line message box.

    A plain function in every host (unlike :func:`generate_report`, which xlwings Server and xlwings Lite
    wrap), so other scripts can call it.

    The assumptions (margin, discount rate, CAC, currency, language...) are read from the workbook's
    **CLV settings** sheet, created with the defaults on first use (:mod:`clv_xl.excel.settings`).

    Parameters
    ----------
    book : xlwings.Book
        The calling workbook.
    whole_workbook : bool, default False
        In a remote book, send the full report workbook for clv-xl's Office.js script to insert
        (:mod:`clv_xl.excel.whole_workbook`) instead of writing value sheets (what xlwings Lite can do).
    overrides : mapping, optional
        Options typed in the script's form fields (xlwings Lite), which win over the settings sheet when
        not blank (:func:`clv_xl.excel.settings.read_settings`).
    """
    from clv_xl.excel.settings import read_settings

    try:
        orders = find_orders(book)  # before the settings sheet may be added (it would become the active one)
        options = read_settings(book, overrides)
        if _is_remote(book) and whole_workbook:
            from clv_xl.excel.whole_workbook import send_report

            send_report(book, orders, options)
        elif _is_remote(book):
            from clv_xl.report.from_engine import report_currency  # blank setting: the data's currency, as the CLI

            currency = report_currency(orders.attrs.get("cleaning_report"), options.get("currency"))
            chosen = ReportOptions(**(options | {"currency": currency}))
            write_report_sheets(book, report_sheets(orders, options=chosen))
        else:
            from clv_xl.report import build_report

            path = build_report(orders, report_path_for(book.fullname), **options)
            book.app.books.open(str(path))
    except ClvXlError as exc:
        book.app.alert(str(exc), title=REPORT_TITLE)
    except Exception as exc:  # the user gets one line; the traceback goes to the log
        logger.exception("Generate report failed")
        book.app.alert(f"Could not build the report ({type(exc).__name__}: {exc}).", title=REPORT_TITLE)


@xw.script
def generate_report(book: xw.Book) -> None:
    """The **Generate report** button: :func:`run_report` on the calling workbook.

    Marked with ``xlwings.script``, so xlwings Server and xlwings Lite list it as a script (they pass
    ``book``); on Linux it stays a plain function, and classic Excel's ribbon calls
    :func:`clv_xl.excel.ribbon.main` instead. In Office.js (xlwings Server) it sends the full report
    workbook, which clv-xl's ribbon script inserts.

    Parameters
    ----------
    book : xlwings.Book
        The calling workbook (``xw.Book.caller()`` in classic Excel; injected by xlwings Server).
    """
    run_report(book, whole_workbook=True)
