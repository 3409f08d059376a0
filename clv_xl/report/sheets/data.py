"""The Data sheet: the intake summary -- what was read, which columns, what was dropped and why, currency.

It is the :class:`~clv_xl.orders.CleaningReport` that ``clv-xl report``, ``summary`` and ``inspect`` print,
written as (item, value) rows on a sheet of its own, added after the template's sheets.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment

from clv_xl.report.cells import put_text, put_value
from clv_xl.report.intake_labels import french_value
from clv_xl.report.sheet_names import sheet_name
from clv_xl.report.sheets._context import WriteContext

__all__ = ["write_data", "DATA_SHEET"]

#: Name of the sheet in English (:func:`clv_xl.report.sheet_names.sheet_name` gives its tab in each language).
DATA_SHEET = "Data"
_TITLE = {
    "en": "Data read: what was kept, dropped and why",
    "fr": "Données lues : ce qui est gardé, écarté et pourquoi",
}


#: French item labels (the values, decisions written by the reader, stay as written).
_FRENCH = {
    "Source": "Source", "Platform": "Plateforme", "Read as": "Lu comme", "Columns": "Colonnes",
    "Customers identified by": "Clients identifiés par", "Rows read": "Lignes lues",
    "Guest rows identified by e-mail": "Lignes d'invités identifiées par e-mail",
    "Line items folded into their order": "Lignes d'articles regroupées dans leur commande",
    "Rows without customer (dropped)": "Lignes sans client (écartées)",
    "Rows without date (dropped)": "Lignes sans date (écartées)",
    "Rows without amount (dropped)": "Lignes sans montant (écartées)",
    "Rows with unreadable values (dropped)": "Lignes aux valeurs illisibles (écartées)",
    "Not paid: failed, cancelled, pending... (dropped)": "Non payées : échec, annulées, en attente... (écartées)",
    "Refunded in full (dropped)": "Remboursées en totalité (écartées)",
    "Status unknown (kept as sales)": "Statut inconnu (gardées comme ventes)",
    "Authorizations and verification charges (dropped)": "Autorisations et vérifications de carte (écartées)",
    "Transfers, withdrawals, conversions: not sales (dropped)": "Virements, retraits, conversions : pas des ventes "
                                                                "(écartés)",
    "Refunds netted against their order": "Remboursements déduits de leur commande",
    "Refunds and negative amounts dropped": "Remboursements et montants négatifs écartés",
    "Zero-amount orders (kept)": "Commandes à 0 (gardées)", "Zero-amount orders (dropped)": "Commandes à 0 (écartées)",
    "Duplicate order ids (dropped)": "Numéros de commande en double (écartés)",
    "Orders in another currency (dropped)": "Commandes dans une autre devise (écartées)",
    "Same-day orders (one transaction per customer-day in the summary)":
        "Commandes du même jour (une transaction par client et par jour dans le résumé)",
    "Refunded amount taken off": "Montant remboursé déduit", "Zero-amount rule": "Règle des montants à 0",
    "Orders kept": "Commandes gardées", "Customers": "Clients", "First order": "Première commande",
    "Last order": "Dernière commande", "Total amount": "Montant total", "Currencies": "Devises",
    "Warning": "Attention",
}


def _item(label: str, lang: str) -> str:
    """The item label in the report's language (``Status 'paid'`` -> ``Statut 'paid'``)."""
    if lang != "fr":
        return label
    if label in _FRENCH:
        return _FRENCH[label]
    for english, french in (("Status ", "Statut "), ("Transaction type ", "Type d'opération ")):
        if label.startswith(english):
            return french + label[len(english):]
    return label


def write_data(ctx: WriteContext) -> None:
    """Add the Data sheet with the intake summary (a template may bring its own sheet of that name).

    Parameters
    ----------
    ctx : WriteContext
        Shared state; ``ctx.content.cleaning`` holds the (item, value) rows.
    """
    title = sheet_name(DATA_SHEET, ctx.lang)
    ws = ctx.wb[title] if title in ctx.wb.sheetnames else ctx.wb.create_sheet(title)
    put_text(ws.cell(1, 2), _TITLE.get(ctx.lang, _TITLE["en"]), style="clv_title")
    for j, key in enumerate(("d.item", "d.value")):
        put_text(ws.cell(3, 2 + j), ctx.t(key), style="clv_header")
    ws.column_dimensions["B"].width = 52
    ws.column_dimensions["C"].width = 90
    for i, (item, value) in enumerate(ctx.content.cleaning, start=4):
        if isinstance(value, pd.Timestamp):
            value = ctx.date(value) + ("" if value == value.normalize() else f" {value:%H:%M}")
        elif isinstance(value, str) and ctx.lang == "fr":
            value = french_value(value)
        put_text(ws.cell(i, 2), _item(item, ctx.lang), style="clv_label")
        cell = put_value(ws.cell(i, 3), value, style="clv_label")
        cell.alignment = Alignment(wrap_text=isinstance(value, str), vertical="top")
