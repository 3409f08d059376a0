"""Sheet tabs in the report's language, and renaming a template's tabs so every reference follows.

The template contract (:data:`clv_xl.report.template.REQUIRED_SHEETS`) names the sheets in English. A report in
another language renames them right after the template is loaded and before anything is written, with
:func:`rename_sheets`: the defined names (assumption cells and anchors), print areas and any formula the template
itself carries are rewritten to the new names, and the sheet writers then take every sheet name from the sheets
themselves (``ws.title``), so the formulas, Excel Tables, charts and defined names they add point at the renamed
tabs. The names are label records (``sheet.<name>`` in :data:`clv_xl.report.labels.LABELS`), not branches.
"""

from __future__ import annotations

import re

from openpyxl.workbook.workbook import Workbook

from clv_xl.report.labels import label
from clv_xl.report.sheets._context import sheet_ref

__all__ = ["SHEET_KEYS", "sheet_name", "rename_sheets", "rename_in_formula"]

#: The report's sheets by their English (template) name, with the label key of their tab.
SHEET_KEYS: dict[str, str] = {
    "Dashboard": "sheet.dashboard",
    "Subscriptions": "sheet.subscriptions",
    "Customers": "sheet.customers",
    "Segments": "sheet.segments",
    "Cohorts": "sheet.cohorts",
    "Churn": "sheet.churn",
    "Forecast": "sheet.forecast",
    "Orders": "sheet.orders",
    "Definitions": "sheet.definitions",
    "Data": "sheet.data",
}


def sheet_name(english: str, lang: str) -> str:
    """The tab name of the report's sheet ``english`` in ``lang`` (unknown sheets keep their name).

    Examples
    --------
    >>> sheet_name("Dashboard", "fr"), sheet_name("Dashboard", "en"), sheet_name("Notes", "fr")
    ('Tableau de bord', 'Dashboard', 'Notes')
    """
    key = SHEET_KEYS.get(english)
    return english if key is None else label(key, lang)


def rename_in_formula(text: str, renames: dict[str, str]) -> str:
    """``text`` (a formula or a defined name's reference) with its sheet references renamed.

    A reference is ``Sheet!`` or ``'Sheet name'!``; text inside double quotes (a string constant) is left alone.

    Examples
    --------
    >>> rename_in_formula("=SUM(Customers!$D$2:$D$9)+'Churn'!A1", {"Customers": "Clients", "Churn": "Attrition"})
    '=SUM(Clients!$D$2:$D$9)+Attrition!A1'
    >>> renames = {"Customers": "Clients", "Dashboard": "Tableau de bord"}
    >>> rename_in_formula('=IF(A1="Customers!",Dashboard!$C$5,0)', renames)
    '=IF(A1="Customers!",\\'Tableau de bord\\'!$C$5,0)'
    """
    if not renames:
        return text

    def one(match: re.Match[str]) -> str:
        if match.group("string") is not None:
            return match.group(0)
        name = match.group("quoted")
        name = name.replace("''", "'") if name is not None else match.group("bare")
        return f"{sheet_ref(renames[name])}!" if name in renames else match.group(0)

    pattern = re.compile(r'(?P<string>"(?:[^"]|"")*")|\'(?P<quoted>(?:[^\']|\'\')+)\'!'
                         r"|(?<![A-Za-z0-9_.])(?P<bare>[A-Za-z_][A-Za-z0-9_.]*)!")
    return pattern.sub(one, text)


def rename_sheets(wb: Workbook, lang: str) -> dict[str, str]:
    """Give the report's sheets of ``wb`` their names in ``lang``; rewrite every reference the template holds.

    Parameters
    ----------
    wb : openpyxl.Workbook
        A template that honours the contract, before it is filled.
    lang : str
        The report's language.

    Returns
    -------
    dict
        Old name to new name, for the sheets renamed.

    Examples
    --------
    >>> from clv_xl.report.template import anchors, load_template
    >>> wb = load_template()
    >>> renamed = rename_sheets(wb, "fr")
    >>> wb.sheetnames[:2], anchors(wb)["margin"].sheet, wb.defined_names["margin"].attr_text
    (['Tableau de bord', 'Clients'], 'Tableau de bord', "'Tableau de bord'!$C$5")
    """
    taken = set(wb.sheetnames)
    renames: dict[str, str] = {}
    for ws in wb.worksheets:
        new = sheet_name(ws.title, lang)
        if new != ws.title and new not in taken:
            renames[ws.title] = new
            taken.add(new)
    if not renames:
        return renames
    for ws in wb.worksheets:
        if ws.title in renames:
            ws.title = renames[ws.title]
        for name in list(ws.defined_names):
            ws.defined_names[name].attr_text = rename_in_formula(ws.defined_names[name].attr_text, renames)
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.value = rename_in_formula(cell.value, renames)
    for defined in wb.defined_names.values():
        defined.attr_text = rename_in_formula(defined.attr_text, renames)
    return renames
