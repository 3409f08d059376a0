"""Which order files an engine may read itself: plain orders (customer, date, amount) in Parquet or CSV.

A file with a status, order id, refund, e-mail or currency column needs the cleaning rules of
:mod:`clv_xl.orders` (statuses, line items, refunds netted against their order, identity, one currency), so it
goes through :func:`clv_xl.orders.read_orders` and the engine receives the canonical frame. A plain file - only
customer, date and amount (and quantity, which changes nothing there) - has no such rule beyond what
:func:`~clv_xl.engines.summary_sql.plain_view_statements` applies, so an engine reads it (or a glob of such files)
directly, out of core.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from clv_xl.errors import DataError
from clv_xl.orders.find_columns import EMAIL_KEY, detect_columns
from clv_xl.orders.roles import ROLES

__all__ = [
    "PLAIN_ROLES", "DIRECT_SUFFIXES", "matching_files", "input_bytes", "parquet_rows",
    "plain_columns", "explicit_roles", "refuse_glob", "ACCEPTED_TYPES", "type_problems", "PlainRules", "plain_rules",
    "reader_only_options",
]

#: Roles a file may have and still be read by an engine directly.
PLAIN_ROLES = frozenset(("customer_id", "order_date", "amount", "quantity"))
#: File endings an engine reads directly.
DIRECT_SUFFIXES = (".parquet", ".csv")


def matching_files(source: str | os.PathLike[str]) -> list[Path]:
    """The files a path or a glob (``orders/*.parquet``) names, sorted.

    Examples
    --------
    >>> matching_files("no/such/*.parquet")
    []
    """
    text = os.fspath(source)
    if glob.has_magic(text):
        return sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
    return [Path(text)] if Path(text).is_file() else []


def input_bytes(source: str | os.PathLike[str]) -> int:
    """Total size of the files ``source`` names (0 when none).

    Examples
    --------
    >>> input_bytes("no/such/file.csv")
    0
    """
    return sum(path.stat().st_size for path in matching_files(source))


def parquet_rows(source: str | os.PathLike[str]) -> int:
    """Rows of a Parquet file, from its metadata (0 for anything else or an unreadable file).

    Examples
    --------
    >>> parquet_rows("no/such/file.parquet")
    0
    """
    path = Path(os.fspath(source))
    if path.suffix.lower() != ".parquet" or not path.is_file():
        return 0
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:
            return int(parquet.metadata.num_rows)
    except (OSError, ValueError):
        return 0


def explicit_roles(read_kwargs: Mapping[str, object]) -> dict[str, object]:
    """``read_orders`` column keywords (``customer=...``) as role -> column, for :func:`detect_columns`.

    Examples
    --------
    >>> explicit_roles({"customer": "client", "dayfirst": True})
    {'customer_id': 'client'}
    """
    return {role.column: read_kwargs[role.keyword] for role in ROLES if read_kwargs.get(role.keyword) is not None}


@dataclass(frozen=True)
class PlainRules:
    """The ``read_orders`` options an engine applies itself to plain order files (:func:`plain_rules`).

    Attributes
    ----------
    drop_zero_amounts : bool
        ``zero_amounts="drop"``: orders of 0 are dropped (kept otherwise, as ``read_orders`` keeps them in a file
        without statuses).
    drop_bad_values : bool
        ``on_bad_values="drop"``: rows whose date or amount is out of :data:`~clv_xl.orders.limits.VALUE_RULES`' bounds
        are dropped and counted (else they stop the reading in one line).
    currency : str or None
        ``keep_currency``: the amounts' currency (plain files state none).
    keep_zero_amounts : bool
        ``zero_amounts="keep"``: orders of 0 kept as asked (as by default, said otherwise).
    """

    drop_zero_amounts: bool = False
    drop_bad_values: bool = False
    currency: str | None = None
    keep_zero_amounts: bool = False


#: ``read_orders`` options an engine applies to plain files itself (:class:`PlainRules`), and those that change
#: nothing in a plain file (it has no status, order id or currency column); the column options name the roles.
_PLAIN_OPTIONS = frozenset((*(role.keyword for role in ROLES), "zero_amounts", "on_bad_values", "keep_currency",
                            "paid_statuses", "excluded_statuses", "drop_duplicate_order_ids"))


def reader_only_options(read_kwargs: Mapping[str, object]) -> list[str]:
    """The options of ``read_kwargs`` that only ``read_orders`` applies (reading text, sheets, refunds kept).

    Examples
    --------
    >>> reader_only_options({"customer": "client", "dayfirst": True, "drop_refunds": True, "sheet": None})
    ['dayfirst']
    >>> reader_only_options({"drop_refunds": False})
    ['drop_refunds']
    """
    return [key for key, value in read_kwargs.items()
            if value is not None and key not in _PLAIN_OPTIONS and not (key == "drop_refunds" and value is True)]


def plain_rules(read_kwargs: Mapping[str, object]) -> PlainRules | None:
    """The options of ``read_kwargs`` an engine applies to plain files; None when one needs ``read_orders``.

    Column options name the roles (:func:`explicit_roles`); options about reading text (``sep``, ``encoding``,
    ``dayfirst``, ``sheet``) or keeping refunds (``drop_refunds=False``) are ``read_orders``' own.

    Examples
    --------
    >>> plain_rules({"customer": "client", "zero_amounts": "drop", "keep_currency": "eur"})
    PlainRules(drop_zero_amounts=True, drop_bad_values=False, currency='EUR', keep_zero_amounts=False)
    >>> plain_rules({"dayfirst": True}) is None
    True
    """
    if reader_only_options(read_kwargs):
        return None
    currency = read_kwargs.get("keep_currency")
    return PlainRules(drop_zero_amounts=read_kwargs.get("zero_amounts") == "drop",
                      drop_bad_values=read_kwargs.get("on_bad_values") == "drop",
                      currency=str(currency).strip().upper() if currency is not None else None,
                      keep_zero_amounts=read_kwargs.get("zero_amounts") == "keep")


def plain_columns(columns: Sequence[str], explicit: Mapping[str, object], source: str) -> dict[str, str] | None:
    """Role -> column when the columns are those of plain orders, else None (the file needs ``read_orders``).

    Examples
    --------
    >>> plain_columns(["customer_id", "date", "amount"], {}, "x.parquet")
    {'customer_id': 'customer_id', 'order_date': 'date', 'amount': 'amount'}
    >>> plain_columns(["Customer ID", "Created at", "Total", "Financial Status"], {}, "x.csv") is None
    True
    >>> plain_columns(["email", "date", "amount"], {}, "x.csv") is None  # the e-mail is the key: read_orders' rule
    True
    """
    reasons: dict[str, str] = {}
    found = detect_columns(list(columns), dict(explicit), source=source, reasons=reasons)
    if set(found) - PLAIN_ROLES:
        return None
    if reasons.get("customer_id") == EMAIL_KEY:
        # an e-mail column as the key: read_orders lower-cases every value with an @ in it, not only addresses
        return None
    return {role: str(found[role]) for role in ("customer_id", "order_date", "amount")}


def refuse_glob(source: str, read_kwargs: Mapping[str, object] | None = None) -> DataError:
    """The error for a glob no engine reads directly (``read_orders`` reads one file at a time).

    Examples
    --------
    >>> str(refuse_glob("orders/*.xlsx")).split(":")[0]
    'orders/*.xlsx'
    >>> str(refuse_glob("o/*.csv", {"dayfirst": True})).split("; ")[0]
    "o/*.csv: an option only the order reader applies was given ('dayfirst')"
    """
    only_reader = reader_only_options(read_kwargs or {})
    if only_reader:
        options = ", ".join(map(repr, only_reader))
        return DataError(f"{source}: an option only the order reader applies was given ({options}); it reads one "
                         "file at a time: pass the files one by one, or leave the option out")
    return DataError(
        f"{source}: an engine reads a glob of files only when they are plain orders (customer, date and amount "
        "columns; with an e-mail column as the key, name it with --customer) in Parquet or CSV, with --engine duckdb "
        "(or spark, Parquet only); pass one file at a time otherwise"
    )


_WHOLE = {"duckdb": ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                     "UBIGINT"),
          "spark": ("tinyint", "smallint", "int", "bigint")}
#: Per engine and role: the column types (base names of the engine's type names) its plain-file rules read as
#: :func:`clv_xl.orders.read_orders` does. Ids must be text or whole numbers: a float id (``1001.0``) would become
#: ``"1001.0"`` in SQL where ``read_orders`` writes ``"1001"``, so such a file goes through ``read_orders``.
ACCEPTED_TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "duckdb": {"customer_id": ("VARCHAR", *_WHOLE["duckdb"]), "order_date": ("DATE", "TIMESTAMP"),
               "amount": (*_WHOLE["duckdb"], "FLOAT", "DOUBLE", "DECIMAL")},
    "spark": {"customer_id": ("string", *_WHOLE["spark"]), "order_date": ("date", "timestamp"),
              "amount": (*_WHOLE["spark"], "float", "double", "decimal")},
}
#: What may follow a base type name in an engine's type text: parameters (``DECIMAL(18,3)``), a unit or zone
#: (``TIMESTAMP_NS``, ``TIMESTAMPTZ_NS``, ``timestamp_ntz``, ``TIMESTAMP WITH TIME ZONE``). Not a list (``INTEGER[]``)
#: nor a longer name (``interval`` is not ``int``).
_TYPE_SUFFIX = r"(\([0-9, ]*\)|(tz)?(_[a-z]+)?|\s+with\s+time\s+zone)"
_NEEDED = {"customer_id": ("customer", "text or whole numbers needed"),
           "order_date": ("date", "it could not be read as dates"),
           "amount": ("amount", "it could not be read as numbers")}


def type_problems(engine: str, types: Mapping[str, str], roles: Mapping[str, str]) -> list[str]:
    """What is wrong with the types of the role columns for ``engine`` (:data:`ACCEPTED_TYPES`); empty when nothing.

    Examples
    --------
    >>> roles = {"customer_id": "c", "order_date": "d", "amount": "a"}
    >>> type_problems("spark", {"c": "double", "d": "timestamp", "a": "decimal(10,2)"}, roles)
    ["customer column 'c' is double (text or whole numbers needed)"]
    >>> type_problems("duckdb", {"c": "BIGINT", "d": "TIMESTAMPTZ_NS", "a": "DECIMAL(18,3)"}, roles)
    []
    >>> type_problems("spark", {"c": "interval day", "d": "date", "a": "double"}, roles)
    ["customer column 'c' is interval day (text or whole numbers needed)"]
    """
    problems = []
    for role, accepted in ACCEPTED_TYPES[engine].items():
        found = types[roles[role]]
        if not any(re.fullmatch(re.escape(name) + _TYPE_SUFFIX, found, re.IGNORECASE) for name in accepted):
            what, needed = _NEEDED[role]
            problems.append(f"{what} column {roles[role]!r} is {found} ({needed})")
    return problems
