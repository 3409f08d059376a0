"""The template contract: which sheets and defined names a report template must have.

A template is an ``.xlsx`` workbook. The generator fills it; it never moves what the template placed. What it
needs is listed in :data:`REQUIRED_SHEETS` and :data:`REQUIRED_NAMES` (also written down in
``templates/README.md``); a template that lacks any of them is refused with a :class:`~clv_xl.errors.TemplateError`
that lists everything missing.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook

from clv_xl.errors import TemplateError
from clv_xl.report.assumptions import ASSUMPTION_NAMES
from clv_xl.report.template_safety import MAX_TEMPLATE_BYTES, check_template_package

__all__ = [
    "REQUIRED_SHEETS",
    "ASSUMPTION_NAMES",
    "ANCHOR_NAMES",
    "REQUIRED_NAMES",
    "Anchor",
    "default_template",
    "load_template",
    "check_template",
    "anchors",
    "check_sheet_bounds",
]

#: Sheets every template must contain, in the default order.
REQUIRED_SHEETS: tuple[str, ...] = (
    "Dashboard",
    "Customers",
    "Segments",
    "Cohorts",
    "Churn",
    "Forecast",
    "Orders",
    "Definitions",
)

#: Defined names of single cells where the generator puts each block (top-left cell).
ANCHOR_NAMES: tuple[str, ...] = (
    "anchor_title",
    "anchor_kpis",
    "anchor_whatif",
    "anchor_notes",
    "anchor_chart_revenue",
    "anchor_chart_segments",
    "anchor_customers",
    "anchor_segments",
    "anchor_cohorts",
    "anchor_churn",
    "anchor_chart_churn",
    "anchor_forecast",
    "anchor_orders",
    "anchor_definitions",
)

#: Every defined name a template must have.
REQUIRED_NAMES: tuple[str, ...] = ASSUMPTION_NAMES + ANCHOR_NAMES

#: The least room (rows, columns) each block takes from its anchor, measured on the report the default
#: template makes; data tables and the cohort matrix grow from there (data rows, one column per month).
BLOCK_SIZES: dict[str, tuple[int, int]] = {
    "anchor_title": (2, 1),
    "anchor_kpis": (16, 2),
    "anchor_whatif": (8, 7),
    "anchor_notes": (1, 1),
    "anchor_chart_revenue": (15, 8),
    "anchor_chart_segments": (15, 8),
    "anchor_customers": (2, 12),
    "anchor_segments": (5, 7),
    "anchor_cohorts": (2, 4),
    "anchor_churn": (2, 9),
    "anchor_chart_churn": (15, 8),
    "anchor_forecast": (2, 2),
    "anchor_orders": (2, 3),
    "anchor_definitions": (2, 3),
}

#: Size of a worksheet: rows, columns (XFD).
SHEET_ROWS, SHEET_COLUMNS = 1_048_576, 16_384


@dataclass(frozen=True)
class Anchor:
    """A single cell named in the template.

    Parameters
    ----------
    sheet : str
        Sheet title.
    row : int
        1-based row.
    col : int
        1-based column.

    Examples
    --------
    >>> Anchor("Dashboard", 5, 2).coordinate
    'B5'
    """

    sheet: str
    row: int
    col: int

    @property
    def coordinate(self) -> str:
        """The cell's A1 coordinate, e.g. ``'B5'``."""
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.col)}{self.row}"


def default_template() -> Path:
    """Return the path of the template that ships with clv-xl.

    Returns
    -------
    pathlib.Path
        ``clv_report.xlsx`` inside the ``clv_xl.templates`` package.

    Examples
    --------
    >>> default_template().name
    'clv_report.xlsx'
    """
    return Path(str(files("clv_xl.templates") / "clv_report.xlsx"))


def load_template(template: str | Path | None = None) -> Workbook:
    """Open a report template and check it honours the contract.

    Parameters
    ----------
    template : str or pathlib.Path, optional
        An ``.xlsx`` file; the default template when omitted.

    Returns
    -------
    openpyxl.Workbook
        The template, ready to be filled.

    Raises
    ------
    TemplateError
        The file is missing, is not an ``.xlsx`` workbook, or lacks required sheets or defined names.

    Examples
    --------
    >>> wb = load_template()
    >>> wb.sheetnames[0]
    'Dashboard'
    """
    path = default_template() if template is None else Path(template)
    if not path.is_file():
        raise TemplateError(f"template {str(path)!r} does not exist")
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"template {str(path)!r} is larger than {MAX_TEMPLATE_BYTES // 2**20} MB")
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateError(f"template {str(path)!r} is not an .xlsx workbook")
    check_template_package(data, f"template {str(path)!r}")
    try:
        wb = load_workbook(io.BytesIO(data))
    except Exception as exc:  # openpyxl raises many kinds of errors on broken files
        raise TemplateError(f"template {str(path)!r} cannot be read as an .xlsx workbook: {exc}") from exc
    check_template(wb, name=str(path))
    return wb


#: Excel Tables the generator adds; a template must not hold them already (a report is not a template).
GENERATED_TABLES: tuple[str, ...] = ("tblCustomers", "tblForecast", "tblOrders")


def check_template(wb: Workbook, name: str = "template") -> None:
    """Raise a :class:`TemplateError` listing every required sheet or defined name ``wb`` lacks.

    Parameters
    ----------
    wb : openpyxl.Workbook
        The template.
    name : str, default "template"
        How to call the template in the message.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> check_template(Workbook(), "blank.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clv_xl.errors.TemplateError: blank.xlsx breaks the template contract: missing sheets: Dashboard, ...
    """
    missing_sheets = [s for s in REQUIRED_SHEETS if s not in wb.sheetnames]
    missing_names = []
    for key in REQUIRED_NAMES:
        try:
            _resolve(wb, key)
        except (KeyError, ValueError):
            missing_names.append(key)
    filled = sorted(t for ws in wb.worksheets for t in ws.tables if t in GENERATED_TABLES)
    if filled:
        raise TemplateError(
            f"{name} already holds the data tables of a generated report ({', '.join(filled)}); "
            "pass the template it was made from, or none for the default"
        )
    if missing_sheets or missing_names:
        parts = []
        if missing_sheets:
            parts.append("missing sheets: " + ", ".join(missing_sheets))
        if missing_names:
            parts.append("missing or invalid defined names (single cells): " + ", ".join(missing_names))
        raise TemplateError(f"{name} breaks the template contract: " + "; ".join(parts) + " (see templates/README.md)")
    _check_blocks(anchors(wb), name)


def _check_blocks(found: dict[str, Anchor], name: str) -> None:
    """Refuse anchors whose block would run off the sheet or cover an assumption cell.

    Examples
    --------
    >>> found = anchors(load_template())
    >>> _check_blocks({**found, "anchor_orders": Anchor("Orders", 1, 16_383)}, "t.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clv_xl.errors.TemplateError: t.xlsx: anchor_orders at XFC1 leaves no room for its block (3 columns, ...
    >>> _check_blocks({**found, "anchor_kpis": Anchor("Dashboard", 4, 3)}, "t.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clv_xl.errors.TemplateError: t.xlsx: anchor_kpis at C4 would write over the assumption cell margin (C5)...
    """
    from openpyxl.utils import get_column_letter

    for key, (rows, cols) in BLOCK_SIZES.items():
        anchor = found[key]
        if anchor.col + cols - 1 > SHEET_COLUMNS or anchor.row + rows - 1 > SHEET_ROWS:
            edge = f"column {get_column_letter(SHEET_COLUMNS)}" if anchor.col + cols - 1 > SHEET_COLUMNS else (
                f"row {SHEET_ROWS:,}"
            )
            raise TemplateError(
                f"{name}: {key} at {anchor.coordinate} leaves no room for its block ({cols} columns, {rows} rows) "
                f"before {edge}"
            )
        for assumption in ASSUMPTION_NAMES:
            cell = found[assumption]
            if (
                cell.sheet == anchor.sheet
                and anchor.row <= cell.row < anchor.row + rows
                and anchor.col <= cell.col < anchor.col + cols
            ):
                raise TemplateError(
                    f"{name}: {key} at {anchor.coordinate} would write over the assumption cell {assumption} "
                    f"({cell.coordinate}); move one of them"
                )


def _resolve(wb: Workbook, key: str) -> Anchor:
    defined = wb.defined_names[key]
    destinations = list(defined.destinations)
    if len(destinations) != 1:
        raise ValueError(key)
    sheet, ref = destinations[0]
    if sheet not in wb.sheetnames:
        raise ValueError(key)
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    if (min_col, min_row) != (max_col, max_row) or min_col is None or min_row is None:
        raise ValueError(key)
    coordinate_from_string(ref.replace("$", ""))
    return Anchor(sheet, min_row, min_col)


def anchors(wb: Workbook) -> dict[str, Anchor]:
    """Return every named cell of the contract, by name.

    Parameters
    ----------
    wb : openpyxl.Workbook
        A template that passed :func:`check_template`.

    Returns
    -------
    dict of str to Anchor
        Assumption cells and block anchors.

    Examples
    --------
    >>> anchors(load_template())["margin"].sheet
    'Dashboard'
    """
    return {key: _resolve(wb, key) for key in REQUIRED_NAMES}


def check_sheet_bounds(wb: Workbook) -> None:
    """Refuse a filled workbook with cells past column XFD or the last row (the data outgrew the anchors).

    Parameters
    ----------
    wb : openpyxl.Workbook
        The filled template, before it is saved.

    Raises
    ------
    TemplateError
        Naming the sheet; openpyxl would save such a workbook and Excel would refuse to open it.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> wb.active.title = "Cohorts"
    >>> wb.active.cell(1, 16_385).value = 1
    >>> check_sheet_bounds(wb)
    Traceback (most recent call last):
    ...
    clv_xl.errors.TemplateError: the report's Cohorts sheet would run past column XFD; move its anchor further left
    """
    for ws in wb.worksheets:
        if ws.max_column > SHEET_COLUMNS:
            raise TemplateError(
                f"the report's {ws.title} sheet would run past column XFD; move its anchor further left"
            )
        if ws.max_row > SHEET_ROWS:
            raise TemplateError(f"the report's {ws.title} sheet would run past row {SHEET_ROWS:,}; move its anchor up")
