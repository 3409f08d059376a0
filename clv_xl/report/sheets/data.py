"""The Data sheet: the intake summary -- what was read, which columns, what was dropped and why, currency.

It is the :class:`~clv_xl.orders.CleaningReport` that ``clv-xl report``, ``summary`` and ``inspect`` print,
written as (item, value) rows on a sheet of its own, added after the template's sheets.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment

from clv_xl.report.cells import put_text, put_value
from clv_xl.report.sheets._context import WriteContext

__all__ = ["write_data", "DATA_SHEET"]

#: Title of the sheet.
DATA_SHEET = "Data"
_TITLE = {
    "en": "Data read: what was kept, dropped and why",
    "fr": "Données lues : ce qui est gardé, écarté et pourquoi",
}


def write_data(ctx: WriteContext) -> None:
    """Add the Data sheet with the intake summary (a template may bring its own sheet of that name).

    Parameters
    ----------
    ctx : WriteContext
        Shared state; ``ctx.content.cleaning`` holds the (item, value) rows.
    """
    ws = ctx.wb[DATA_SHEET] if DATA_SHEET in ctx.wb.sheetnames else ctx.wb.create_sheet(DATA_SHEET)
    put_text(ws.cell(1, 2), _TITLE.get(ctx.lang, _TITLE["en"]), style="clv_title")
    for j, key in enumerate(("d.item", "d.value")):
        put_text(ws.cell(3, 2 + j), ctx.t(key), style="clv_header")
    ws.column_dimensions["B"].width = 52
    ws.column_dimensions["C"].width = 90
    for i, (item, value) in enumerate(ctx.content.cleaning, start=4):
        if isinstance(value, pd.Timestamp):
            value = f"{value:%Y-%m-%d %H:%M}".removesuffix(" 00:00")
        put_text(ws.cell(i, 2), item, style="clv_label")
        cell = put_value(ws.cell(i, 3), value, style="clv_label")
        cell.alignment = Alignment(wrap_text=isinstance(value, str), vertical="top")
