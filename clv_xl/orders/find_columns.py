"""Find the customer, date, amount and optional columns of an order table by their names.

Names are compared after :func:`~clv_xl.orders.roles.normalize_name` (lower case, accents and punctuation
removed), first against each role's exact names (:mod:`~clv_xl.orders.roles`: English, French, platforms), then
by keyword. A platform recognised from its columns (:mod:`~clv_xl.orders.vocabulary`) names its own order-id
column. Explicit arguments always win. Why each column was taken is recorded for the intake summary.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from clv_xl.errors import ColumnNotFoundError, InvalidArgumentError
from clv_xl.orders.limits import short_list
from clv_xl.orders.open_file import RawTable
from clv_xl.orders.roles import REQUIRED_ROLES, ROLE, ROLES, normalize_name
from clv_xl.orders.vocabulary import detect_platform, platforms

__all__ = ["normalize_name", "detect_columns", "detect_by_content", "accepts", "EMAIL_KEY"]

# a column whose name has one of these words is never taken by keyword (only by its exact name)
_EXCLUDED = frozenset((
    "name", "nom", "prenom", "phone", "telephone", "address", "adresse", "city", "ville", "country", "pays",
    "refund", "refunded", "rembourse", "tax", "taxes", "tva", "shipping", "livraison", "discount", "remise",
    "fee", "fees", "subtotal", "updated", "cancelled", "canceled", "fulfilled", "shipped", "birth", "naissance",
    "type",
))
# storage keys that are never an order id (MongoDB's _id, a frame's saved index)
_STORAGE_KEYS = frozenset(("_id", "index", "unnamed: 0"))


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
        f"{ROLE[role].keyword}={spec!r} is not a column; the columns are {found}; "
        f"pass one of those names (or a 0-based position)"
    )


#: The reason :func:`detect_columns` gives when the e-mail column is the customer key (no customer id column): its
#: values are then cleaned as e-mails (:func:`clv_xl.orders.identify_customers.identify_customers`).
EMAIL_KEY = "no customer id column: the e-mail is the key"


def detect_columns(
    columns: Sequence[Hashable],
    explicit: Mapping[str, Hashable | None] | None = None,
    *,
    source: str = "the order data",
    reasons: dict[str, str] | None = None,
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
    reasons : dict, optional
        Filled with role -> why its column was taken, and ``"platform"`` -> the platform recognised.

    Returns
    -------
    dict
        Role -> column label, for the required roles and the optional roles that were found, in the order of
        :data:`~clv_xl.orders.roles.ROLES`.

    Raises
    ------
    ColumnNotFoundError
        A required role has no column; the message lists the columns and the argument to pass.

    Examples
    --------
    >>> detect_columns(["N° client", "Date de commande", "Montant TTC"])
    {'customer_id': 'N° client', 'order_date': 'Date de commande', 'amount': 'Montant TTC'}
    >>> why = {}
    >>> found = detect_columns(["Name", "Email", "Financial Status", "Created at", "Total"], reasons=why)
    >>> found["order_id"], found["customer_id"], why["customer_id"], why["platform"]
    ('Name', 'Email', 'no customer id column: the e-mail is the key', 'shopify')
    """
    columns = list(columns)
    explicit = dict(explicit or {})
    why: dict[str, str] = {} if reasons is None else reasons
    unknown = set(explicit) - set(ROLE)
    if unknown:
        raise InvalidArgumentError("columns", f"unknown column roles {sorted(unknown)}; allowed: {list(ROLE)}")
    found: dict[str, Hashable] = {}
    for name, spec in explicit.items():
        if spec is not None:
            found[name] = _resolve_explicit(name, spec, columns)
            why[name] = "as given"
    normalized = {column: normalize_name(column) for column in columns}
    platform = detect_platform(normalized.values())
    if platform is not None:
        why["platform"] = platform
    platform_order_id = next((p.order_id for p in platforms() if p.name == platform and p.order_id), None)
    for role in ROLES:
        if role.column in found:
            continue
        taken = set(found.values())
        free = [c for c in columns if c not in taken]
        names = role.exact_names
        if role.column == "order_id" and platform_order_id:
            names = (platform_order_id, *names)
        column, reason = _match(role.column, free, normalized, names)
        if column is None and role.column == "order_id" and "customer_id" in found:
            column = next((c for c in free if normalized[c] == "id" and str(c).strip() not in _STORAGE_KEYS), None)
            reason = "named 'id' beside a customer column"
        if column is not None:
            found[role.column] = column
            platform_column = role.column == "order_id" and normalized[column] == platform_order_id
            why[role.column] = f"{platform}'s order number" if platform_column else reason
    if "customer_id" not in found and "email" in found:
        found["customer_id"] = found.pop("email")
        why["customer_id"] = EMAIL_KEY
        why.pop("email", None)
    missing = [name for name in REQUIRED_ROLES if name not in found]
    if missing:
        listed = short_list(list(columns)) or "none"
        what = " and ".join(ROLE[r].keyword for r in missing)
        options = " ".join(f"{ROLE[r].keyword}=<column>" for r in missing)
        raise ColumnNotFoundError(
            f"no {what} column recognised in {source}; columns found: {listed}; "
            f"pass {options} (CLI: " + " ".join(f"{ROLE[r].option} COL" for r in missing) + ")"
        )
    return {role.column: found[role.column] for role in ROLES if role.column in found}


def _match(
    role: str, free: list[Hashable], normalized: Mapping[Hashable, str], exact: tuple[str, ...]
) -> tuple[Hashable | None, str]:
    for name in exact:
        for column in free:
            if normalized[column] == name and not (role == "order_id" and str(column).strip() in _STORAGE_KEYS):
                return column, "known name"
    for column in free:
        words = set(normalized[column].split())
        if words & _EXCLUDED:
            continue
        if words & set(ROLE[role].keywords):
            return column, "name has the word " + repr(sorted(words & set(ROLE[role].keywords))[0])
    return None, ""


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
            f"{table.name} has no header line and its {' and '.join(ROLE[r].keyword for r in missing)} column "
            f"could not be told from the values; columns found: {short_list(columns)}; pass "
            + " ".join(f"{ROLE[r].keyword}=<0-based position>" for r in missing)
        )
    table.notes.append(
        "columns found from their values: "
        + ", ".join(f"{ROLE[r].keyword}={merged[r]!r}" for r in REQUIRED_ROLES if r in guessed and r not in given)
    )
    return detect_columns(columns, merged, source=table.name)


def accepts(columns: list[Hashable], explicit: Mapping[str, Hashable | None]) -> bool:
    """Whether ``columns`` hold the required roles (explicit ones resolved), for choosing a workbook sheet."""
    try:
        detect_columns(columns, explicit)
    except ColumnNotFoundError:
        return False
    return True

