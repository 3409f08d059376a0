"""The Customers sheet: one row per customer, most valuable first, as an Excel Table with conditional formats.

Past a sheet's rows (:data:`MAX_CUSTOMER_ROWS` below the header) the sheet lists the most valuable customers that
fit, with a line beside the table saying how many are left out and where the full table is
(:func:`clv_xl.report.build.build_report` writes it beside the workbook); the figures that read the customers
are then written as values computed over every customer (see :attr:`WriteContext.partial_ranges`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl.formatting.rule import CellIsRule, DataBarRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from clv_xl.churn import RISK_BANDS
from clv_xl.report.cells import put_text
from clv_xl.report.content import MAX_DATA_ROWS
from clv_xl.report.labels import SEGMENT_KEYS
from clv_xl.report.sheets._context import WriteContext
from clv_xl.report.sheets._table import MAX_ROWS, DataColumn, write_data_table
from clv_xl.report.template import Anchor

__all__ = ["write_customers", "CUSTOMER_LAYOUT", "MAX_CUSTOMER_ROWS", "customer_capacity"]

#: Customers the Customers sheet lists at most: Excel's rows below a one-row header (1,048,575).
MAX_CUSTOMER_ROWS = MAX_DATA_ROWS

#: (column, number format kind, width) of the Customers sheet, in order.
CUSTOMER_LAYOUT: tuple[tuple[str, str, float], ...] = (
    ("customer_id", "text", 16),
    ("first_order", "date", 13),
    ("last_order", "date", 13),
    ("orders", "int", 10),
    ("revenue", "money", 14),
    ("aov", "money", 13),
    ("frequency", "int", 14),
    ("recency", "int", 12),
    ("T", "int", 12),
    ("monetary_value", "money", 16),
    ("historical_clv", "money", 14),
    ("segment", "text", 11),
    ("predicted_clv", "money", 15),
    ("p_alive", "pct", 11),
    ("churn_risk", "text", 11),
)

_SEGMENT_FILLS = {"High": "C6EFCE", "Mid": "FFEB9C", "Low": "F2F2F2"}
_RISK_FILLS = {"active": "C6EFCE", "at_risk": "FFEB9C", "lapsed": "FFC7CE"}


def _renamed(values: pd.Series, names: dict[str, str]) -> pd.Series:
    """Text values replaced by their name where ``names`` has one (kept otherwise, missing stays missing).

    Each distinct value is looked up once (a million customers have three segments).

    Examples
    --------
    >>> _renamed(pd.Series(["high", None, "odd", "high"]), {"high": "Haute"}).tolist()
    ['Haute', <NA>, 'odd', 'Haute']
    """
    codes, distinct = pd.factorize(values.astype("string"))
    named = np.array([names.get(value, value) for value in distinct] + [None], dtype=object)
    return pd.Series(named[codes], index=values.index, dtype="string")  # code -1 (missing) takes the last: None


def customer_capacity(anchor: Anchor) -> int:
    """Customers the Customers sheet can list below its header at ``anchor``.

    Examples
    --------
    >>> customer_capacity(Anchor("Customers", 1, 1)), customer_capacity(Anchor("Customers", 4, 1))
    (1048575, 1048572)
    """
    return min(MAX_CUSTOMER_ROWS, MAX_ROWS - anchor.row)


def write_customers(ctx: WriteContext) -> None:
    """Fill the Customers sheet.

    Parameters
    ----------
    ctx : WriteContext
        Shared state; ``ctx.ranges["customers.<column>"]`` are set for the dashboard's formulas.
    """
    anchor = ctx.anchors["anchor_customers"]
    ws = ctx.wb[anchor.sheet]
    frame = ctx.content.customers
    capacity = customer_capacity(anchor)
    if len(frame) > capacity:  # the most valuable first: the content is sorted by value
        frame = frame.head(capacity)
        ctx.partial_ranges.add("customers")
    segment_names = {key: ctx.t(f"seg.{key}") for key in SEGMENT_KEYS}
    band_names = {key: ctx.t(f"risk.{key}") for key in RISK_BANDS}
    horizon = ctx.content.options.horizon_months
    columns = []
    for key, kind, width in CUSTOMER_LAYOUT:
        if key not in frame.columns:
            continue
        values = frame[key]
        fallback = None
        if key == "segment":
            values = _renamed(values, segment_names)
        elif key == "churn_risk":
            values = _renamed(values, band_names)
        elif key == "p_alive":  # BG/NBD says 100 % for every one-time buyer: not shown (see clv_xl.report.risk)
            fallback = ctx.t("c.p_alive_once")
        columns.append(DataColumn(key, ctx.t(f"c.{key}", horizon=horizon), kind, values, width, fallback))
    first, last = write_data_table(ctx, ws, anchor.row, anchor.col, columns, "tblCustomers", "customers")
    if "customers" in ctx.partial_ranges:  # beside the header: the rows below it are all the table's
        note = ctx.content.customers_left_out or ""
        put_text(ws.cell(anchor.row, anchor.col + len(columns) + 1), note, style="clv_note")
    keys = [c.key for c in columns]
    if "historical_clv" in keys:
        letter = get_column_letter(anchor.col + keys.index("historical_clv"))
        ws.conditional_formatting.add(
            f"{letter}{first}:{letter}{last}",
            DataBarRule(start_type="min", end_type="max", color="5B9BD5", showValue=True),
        )
    for column, fills, names in (("segment", _SEGMENT_FILLS, segment_names), ("churn_risk", _RISK_FILLS, band_names)):
        if column not in keys:
            continue
        letter = get_column_letter(anchor.col + keys.index(column))
        for key, colour in fills.items():
            name = names[key].replace('"', '""')
            ws.conditional_formatting.add(
                f"{letter}{first}:{letter}{last}",
                CellIsRule(operator="equal", formula=[f'"{name}"'], fill=PatternFill("solid", bgColor=colour)),
            )
