"""Labels of what the report says when the data is bigger than a sheet or read by an engine (English, French).

Kept apart from :mod:`clv_xl.report.labels` (which merges them) so that the big-data wording lives in one place.
"""

from __future__ import annotations

__all__ = ["BIG_DATA_LABELS"]

BIG_DATA_LABELS: dict[str, tuple[str, str]] = {
    "note.customers_left_out": (
        "{total} customers do not fit in one sheet: the Customers sheet lists the {shown} most valuable (by "
        "{value}) and leaves out {left}; every other figure covers all {total}. The full table of customers is "
        "beside this workbook: {files}.",
        "{total} clients ne tiennent pas dans une feuille : la feuille Customers liste les {shown} plus précieux "
        "(par {value}) et omet les {left} autres ; tous les autres chiffres couvrent les {total}. La table complète "
        "des clients est à côté de ce classeur : {files}."),
    "note.orders_read_by_engine": (
        "The {n} orders were read by {engine} and not loaded: the Orders sheet is left out; every figure counts "
        "them.",
        "Les {n} commandes ont été lues par {engine} sans être chargées : la feuille Orders est omise ; tous les "
        "chiffres les comptent."),
    "note.subscriptions_by_engine": (
        "The subscription analysis needs the orders in memory: not made with the {engine} engine (use --engine "
        "pandas for the Subscriptions sheet).",
        "L'analyse des abonnements a besoin des commandes en mémoire : non faite avec le moteur {engine} (utilisez "
        "--engine pandas pour la feuille Subscriptions)."),
}
