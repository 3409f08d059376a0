"""Find the customer, date, amount and optional columns of an order table by their names.

Names are compared after :func:`normalize_name` (lower case, accents and punctuation removed), first against
an exact list per role (English, French, and the exports of Shopify, WooCommerce, Stripe and CDNOW), then by
keyword. Explicit arguments always win.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Mapping, Sequence

from clv_xl.errors import ColumnNotFoundError, InvalidArgumentError
from clv_xl.orders.open_file import RawTable

__all__ = [
    "ROLES", "AUX_ROLES", "REQUIRED_ROLES", "ARGUMENT", "normalize_name", "detect_columns", "detect_by_content",
    "accepts",
]

#: Canonical column of each role, in output order.
ROLES: tuple[str, ...] = ("customer_id", "order_date", "amount", "order_id", "currency", "quantity")
#: Roles that are read to clean the orders but not returned: an order's status and its refunded amount.
AUX_ROLES: tuple[str, ...] = ("status", "refunded")
#: Roles without which there is no order table.
REQUIRED_ROLES: tuple[str, ...] = ("customer_id", "order_date", "amount")
#: The read_orders keyword that names each role's column.
ARGUMENT: dict[str, str] = {
    "customer_id": "customer",
    "order_date": "date",
    "amount": "amount",
    "order_id": "order_id",
    "currency": "currency",
    "quantity": "quantity",
    "status": "status",
    "refunded": "refunded",
}

# Exact names (after normalize_name), best first.
_EXACT: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer id", "customerid", "customer", "customer number", "customer no",
        "client", "client id", "id client", "n client", "no client", "num client", "numero client",
        "numero de client", "code client", "ref client", "user id", "buyer id", "account id", "member id",
        "email", "e mail", "customer email", "billing email", "email address", "adresse email",
        "adresse e mail", "courriel", "mail", "customer user id",
    ),
    "order_date": (
        "order date", "orderdate", "date de commande", "date commande", "date de la commande", "created at",
        "created", "created utc", "created date utc", "created date", "creation date", "date de creation",
        "order created", "purchase date", "date d achat", "transaction date", "invoice date", "invoicedate",
        "date facture", "date de facture", "paid at", "payment date", "order datetime", "timestamp", "date",
    ),
    "amount": (
        "amount", "order amount", "order total", "order total amount", "total", "total amount", "grand total",
        "montant", "montant ttc", "montant total", "montant total ttc", "total ttc", "montant commande",
        "dollar value", "revenue", "sales", "sale amount", "order value", "value", "net amount", "net sales",
        "gross sales", "price", "prix", "chiffre d affaires", "ca",
    ),
    "order_id": (
        "order id", "orderid", "order", "order number", "order no", "order nr", "order ref", "order reference",
        "numero de commande", "n commande", "no commande", "num commande", "commande", "reference commande",
        "invoice", "invoice id", "invoice no", "invoiceno", "invoice number", "numero de facture",
        "transaction id", "payment id", "charge id",
    ),
    "currency": ("currency", "currency code", "order currency", "devise", "monnaie", "code devise"),
    "quantity": (
        "quantity", "qty", "quantite", "number of cds", "lineitem quantity", "items", "item count",
        "nb articles", "nombre d articles", "units",
    ),
    "status": ("financial status", "status", "order status", "payment status", "statut", "etat", "statut commande"),
    "refunded": ("amount refunded", "refunded amount", "refunded", "montant rembourse", "total refunded"),
}
# Keywords (whole words) for names not in the exact lists; a column whose name has an excluded word is skipped.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "customer_id": ("customer", "client", "email", "buyer"),
    "order_date": ("date", "created", "datetime"),
    "amount": ("amount", "total", "montant", "revenue", "ttc"),
    "order_id": (),
    "currency": ("currency", "devise"),
    "quantity": ("quantity", "qty", "quantite"),
    "status": (),
    "refunded": (),
}
_EXCLUDED = (
    "name", "nom", "prenom", "phone", "telephone", "address", "adresse", "city", "ville", "country", "pays",
    "refund", "refunded", "rembourse", "tax", "taxes", "tva", "shipping", "livraison", "discount", "remise",
    "fee", "fees", "subtotal", "updated", "cancelled", "canceled", "fulfilled", "shipped", "birth", "naissance",
)


def normalize_name(name: object) -> str:
    """Return a column name in the form the detection lists use.

    Parameters
    ----------
    name : object
        A column label.

    Returns
    -------
    str
        Lower case, accents stripped, every run of non-alphanumeric characters a single space.

    Examples
    --------
    >>> normalize_name("N° client")
    'n client'
    >>> normalize_name(" Created (UTC) ")
    'created utc'
    >>> normalize_name("Date_de_Commande")
    'date de commande'
    """
    text = unicodedata.normalize("NFKD", str(name).replace("°", " ").replace("º", " "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"([a-z])([0-9])", r"\1 \2", text)
    return " ".join(re.split(r"[^a-z0-9]+", text)).strip()


def _is_shopify(normalized: set[str]) -> bool:
    return "financial status" in normalized or "lineitem name" in normalized


def _resolve_explicit(role: str, spec: Hashable, columns: Sequence[Hashable]) -> Hashable:
    """Return the column that an explicit argument names (a label, a normalized label or a 0-based position)."""
    if spec in columns:
        return spec
    if isinstance(spec, int) and not isinstance(spec, bool) and 0 <= spec < len(columns):
        return columns[spec]
    wanted = normalize_name(spec)
    for column in columns:
        if normalize_name(column) == wanted:
            return column
    found = ", ".join(repr(str(c)) for c in columns)
    raise ColumnNotFoundError(
        f"{ARGUMENT[role]}={spec!r} is not a column; the columns are {found}; "
        f"pass one of those names (or a 0-based position)"
    )


def detect_columns(
    columns: Sequence[Hashable],
    explicit: Mapping[str, Hashable | None] | None = None,
    *,
    source: str = "the order data",
) -> dict[str, Hashable]:
    """Map each role (``customer_id``, ``order_date``, ``amount``, optional ones) to a column.

    Parameters
    ----------
    columns : sequence of hashable
        Column labels in their order.
    explicit : mapping, optional
        Role -> column label (or 0-based position) given by the caller; these win over detection.
    source : str
        How to name the data in error messages (a file name).

    Returns
    -------
    dict
        Role -> column label, for the required roles and the optional roles that were found (including
        :data:`AUX_ROLES`, read for cleaning only).

    Raises
    ------
    ColumnNotFoundError
        A required role has no column; the message lists the columns and the argument to pass.

    Examples
    --------
    >>> detect_columns(["N° client", "Date de commande", "Montant TTC"])
    {'customer_id': 'N° client', 'order_date': 'Date de commande', 'amount': 'Montant TTC'}
    >>> detect_columns(["Name", "Email", "Financial Status", "Created at", "Total", "Lineitem quantity"])["order_id"]
    'Name'
    """
    columns = list(columns)
    explicit = dict(explicit or {})
    unknown = set(explicit) - set(ROLES + AUX_ROLES)
    if unknown:
        allowed = list(ROLES + AUX_ROLES)
        raise InvalidArgumentError("columns", f"unknown column roles {sorted(unknown)}; allowed: {allowed}")
    found: dict[str, Hashable] = {}
    for role, spec in explicit.items():
        if spec is not None:
            found[role] = _resolve_explicit(role, spec, columns)
    normalized = {column: normalize_name(column) for column in columns}
    exact = dict(_EXACT)
    if _is_shopify(set(normalized.values())):
        exact["order_id"] = ("name", *exact["order_id"])
    for role in ROLES + AUX_ROLES:
        if role in found:
            continue
        taken = set(found.values())
        free = [c for c in columns if c not in taken]
        column = _match(role, free, normalized, exact[role])
        if column is not None:
            found[role] = column
        elif role == "order_id" and "customer_id" in found:
            column = next((c for c in free if normalized[c] == "id"), None)
            if column is not None:
                found[role] = column
    missing = [role for role in REQUIRED_ROLES if role not in found]
    if missing:
        listed = ", ".join(repr(str(c)) for c in columns) or "none"
        what = " and ".join(ARGUMENT[r] for r in missing)
        options = " ".join(f"{ARGUMENT[r]}=<column>" for r in missing)
        raise ColumnNotFoundError(
            f"no {what} column recognised in {source}; columns found: {listed}; "
            f"pass {options} (CLI: " + " ".join(f"--{ARGUMENT[r]} COL" for r in missing) + ")"
        )
    return {role: found[role] for role in ROLES + AUX_ROLES if role in found}


def _match(
    role: str, free: list[Hashable], normalized: Mapping[Hashable, str], exact: tuple[str, ...]
) -> Hashable | None:
    for name in exact:
        for column in free:
            if normalized[column] == name:
                return column
    for column in free:
        words = set(normalized[column].split())
        if words & set(_EXCLUDED):
            continue
        if words & set(_KEYWORDS[role]):
            return column
    return None


def detect_by_content(table: RawTable, explicit: Mapping[str, Hashable | None]) -> dict[str, Hashable]:
    """Return the roles of a table without header: dates are 8-digit or slashed dates, amounts have decimals.

    The customer is the first column that is neither. ``explicit`` roles win; the guess is noted in the table.
    """
    frame = table.frame
    columns = list(frame.columns)
    given = {role: spec for role, spec in explicit.items() if spec is not None}
    if all(role in given for role in REQUIRED_ROLES):
        return detect_columns(columns, given, source=table.name)
    sample = frame.head(500).astype(str).apply(lambda s: s.str.strip())
    guessed: dict[str, Hashable] = {}
    for column in columns:
        values = sample[column]
        if "order_date" not in guessed and values.str.fullmatch(
            r"(19|20)\d{2}(0[1-9]|1[0-2])\d{2}|\d{4}-\d{2}-\d{2}.*|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}.*"
        ).all():
            guessed["order_date"] = column
    for column in reversed(columns):
        values = sample[column]
        if column != guessed.get("order_date") and values.str.fullmatch(r"-?\d+([.,]\d+)?").all() and (
            values.str.contains(r"[.,]\d{2}$").any()
        ):
            guessed["amount"] = column
            break
    for column in columns:
        if column not in guessed.values():
            guessed["customer_id"] = column
            break
    merged = {**guessed, **given}
    missing = [role for role in REQUIRED_ROLES if role not in merged]
    if missing:
        raise ColumnNotFoundError(
            f"{table.name} has no header line and its {' and '.join(ARGUMENT[r] for r in missing)} column "
            f"could not be told from the values; columns found: {', '.join(map(str, columns))}; pass "
            + " ".join(f"{ARGUMENT[r]}=<0-based position>" for r in missing)
        )
    table.notes.append(
        "columns found from their values: "
        + ", ".join(f"{ARGUMENT[r]}={merged[r]!r}" for r in REQUIRED_ROLES if r in guessed and r not in given)
    )
    return detect_columns(columns, merged, source=table.name)


def accepts(columns: list[Hashable], explicit: Mapping[str, Hashable | None]) -> bool:
    """Whether ``columns`` hold the required roles (explicit ones resolved), for choosing a workbook sheet."""
    try:
        detect_columns(columns, explicit)
    except ColumnNotFoundError:
        return False
    return True


# --------------------------------------------------------------------------------------------------- cleaning
