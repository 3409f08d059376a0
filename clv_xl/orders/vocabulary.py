"""The platforms' vocabularies, kept as data: which export a table comes from, and what its status values mean.

The tables are the CSV files in ``vocabularies/`` beside this module: ``platforms.csv`` (the column names that
give each platform away, and its order-id column), one ``<platform>.csv`` per platform and ``generic.csv``
(status value -> treatment), and ``transaction_types.csv`` (transaction type -> treatment). Values are compared
after :func:`~clv_xl.orders.roles.normalize_name`, so ``wc-on-hold``, ``On hold`` and ``on_hold`` meet.

A status is treated as ``paid`` (kept), ``not paid`` (dropped), ``refunded`` (the order was refunded: dropped,
or netted when a refunded-amount column says how much) or ``unknown`` (kept, and reported).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from clv_xl.orders.roles import normalize_name

__all__ = [
    "Platform", "TREATMENTS", "platforms", "detect_platform", "status_treatments", "transaction_treatments",
]

#: What a status can mean for the orders it marks.
TREATMENTS: tuple[str, ...] = ("paid", "not paid", "refunded", "unknown")
_TYPE_TREATMENTS = ("sale", "refund", "verification", "not a sale")


@dataclass(frozen=True)
class Platform:
    """A platform whose exports are recognised.

    Attributes
    ----------
    name : str
        Its name, which is also the name of its status table.
    signature : tuple of str
        Normalized column names that only its exports have.
    order_id : str
        Normalized name of its order-id column when that name is not one of the usual ones (Shopify ``Name``).
    """

    name: str
    signature: tuple[str, ...]
    order_id: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("clv_xl.orders").joinpath("vocabularies", f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def platforms() -> tuple[Platform, ...]:
    """Return the platforms of ``platforms.csv``, in file order.

    Examples
    --------
    >>> [p.name for p in platforms()][:3]
    ['shopify', 'woocommerce', 'stripe']
    """
    return tuple(
        Platform(row["platform"], tuple(s for s in row["signature"].split("|") if s), row["order_id"])
        for row in _rows("platforms")
    )


@cache
def _table(name: str, allowed: tuple[str, ...] = TREATMENTS) -> dict[str, str]:
    table: dict[str, str] = {}
    for row in _rows(name):
        treatment = row["treatment"].strip()
        if treatment not in allowed:  # pragma: no cover - a broken data file, caught by the tests
            raise ValueError(f"vocabularies/{name}.csv: treatment {treatment!r} is not one of {allowed}")
        table[normalize_name(row["value"])] = treatment
    return table


def detect_platform(columns: Iterable[str], statuses: Iterable[object] = ()) -> str | None:
    """Return the platform whose signature columns (or ``wc-`` status slugs) the table has, else None.

    Parameters
    ----------
    columns : iterable of str
        Normalized column names.
    statuses : iterable, optional
        Distinct status values.

    Returns
    -------
    str or None
        The platform with the most signature columns present.

    Examples
    --------
    >>> detect_platform(["name", "email", "financial status", "total"])
    'shopify'
    >>> detect_platform(["id", "date", "amount"], ["wc-completed"])
    'woocommerce'
    >>> detect_platform(["client", "date", "montant"]) is None
    True
    """
    present = set(columns)
    scores = {p.name: len(present & set(p.signature)) for p in platforms() if p.signature}
    if any(str(value).lower().startswith("wc-") for value in statuses):
        scores["woocommerce"] = scores.get("woocommerce", 0) + 10
    best = max(scores, key=lambda name: scores[name], default=None)
    return best if best is not None and scores[best] > 0 else None


def status_treatments(
    values: Iterable[object],
    platform: str | None = None,
    *,
    paid: Iterable[str] = (),
    excluded: Iterable[str] = (),
) -> dict[object, tuple[str, str]]:
    """Map each status value to its treatment and where that came from.

    Parameters
    ----------
    values : iterable
        Distinct status values as read.
    platform : str, optional
        The platform the table comes from; its vocabulary is tried before the generic one.
    paid, excluded : iterable of str
        Values the caller says mean paid / not paid (``--paid-status`` / ``--exclude-status``); they win.

    Returns
    -------
    dict
        value -> (treatment, source): source is ``"as asked"``, a platform's name, ``"generic"``,
        ``"<platform> vocabulary"`` (no platform recognised, but every vocabulary that knows the value agrees),
        or ``"not in any vocabulary"``.

    Examples
    --------
    >>> status_treatments(["wc-failed", "Completed"], "woocommerce")["wc-failed"]
    ('not paid', 'woocommerce')
    >>> status_treatments(["Erreur de paiement", "processing"])["Erreur de paiement"]
    ('not paid', 'prestashop vocabulary')
    >>> status_treatments(["processing"])["processing"]  # paid for WooCommerce, in progress for Recurly
    ('unknown', 'vocabularies disagree')
    >>> status_treatments(["gift"], paid=["Gift"])["gift"]
    ('paid', 'as asked')
    """
    asked = {normalize_name(v): "paid" for v in paid}
    asked.update({normalize_name(v): "not paid" for v in excluded})
    names = [p.name for p in platforms()]
    out: dict[object, tuple[str, str]] = {}
    for value in values:
        key = normalize_name(value)
        if key in asked:
            out[value] = (asked[key], "as asked")
            continue
        if platform is not None and key in _table(platform):
            out[value] = (_table(platform)[key], platform)
            continue
        if key in _table("generic") and platform is not None:
            out[value] = (_table("generic")[key], "generic")
            continue
        known = {name: _table(name)[key] for name in names if key in _table(name)}
        meanings = set(known.values())
        if len(meanings) == 1:
            source = "generic" if "generic" in known else f"{next(iter(known))} vocabulary"
            out[value] = (meanings.pop(), source)
        elif meanings:
            out[value] = ("unknown", "vocabularies disagree")
        else:
            out[value] = ("unknown", "not in any vocabulary")
    return out


def transaction_treatments(values: Iterable[object]) -> dict[object, str]:
    """Map transaction types to ``sale``, ``refund``, ``verification``, ``not a sale`` or ``unknown``.

    Examples
    --------
    >>> transaction_treatments(["purchase", "Refund", "authorization", "x"])
    {'purchase': 'sale', 'Refund': 'refund', 'authorization': 'verification', 'x': 'unknown'}
    >>> transaction_treatments(["General Withdrawal"])
    {'General Withdrawal': 'not a sale'}
    """
    table = _table("transaction_types", _TYPE_TREATMENTS)
    return {value: table.get(normalize_name(value), "unknown") for value in values}
