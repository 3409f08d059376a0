"""Identify customers: one stable text key per customer.

Ids are text with surrounding spaces removed; whole-number ids stored as numbers lose the ``.0``
(``1001.0`` -> ``"1001"``); ids that are e-mail addresses are lower-cased; blanks are missing.

The key is decided per file and per row (:func:`customer_keys`): the customer id where it is filled; where it is
blank, 0 or a guest marker, the e-mail (lower case, spaces stripped) -- or the id of the registered customer with
that e-mail. Guests without e-mail are left without key (dropped and counted), never merged into one customer.
A customer column that holds person names is not trusted when an e-mail column stands beside it.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

import numpy as np
import pandas as pd

from clv_xl.orders.find_columns import EMAIL_KEY
from clv_xl.orders.intake_report import CleaningReport

__all__ = ["clean_ids", "clean_emails", "simple_lower", "FULL_CASE_EXCEPTIONS", "looks_like_names", "customer_keys",
           "identify_customers", "GUEST_IDS"]

#: Customer ids that mean "no account" (compared in lower case): the row is a guest's.
GUEST_IDS: frozenset[str] = frozenset((
    "0", "-", "guest", "guest user", "invite", "invité", "anonymous", "anonyme", "visitor", "visiteur",
    "n/a", "na", "none", "null",
))
_NAME = re.compile(r"^[^\W\d_]+\.?(?:[ '’-]+[^\W\d_]+\.?)+$")


#: The characters whose lower case differs between Unicode's full mapping (Python's ``str.lower``, pandas 2's object
#: strings, Java and so Spark) and its simple one (Arrow, DuckDB, pandas 3's strings): ``İ`` is ``i̇`` (two characters)
#: in the first, ``i`` in the second; a final ``Σ`` is ``ς`` in the first, ``σ`` in the second. Replaced before
#: lower-casing, they leave one rule, the simple mapping, whatever the library (:func:`simple_lower`).
FULL_CASE_EXCEPTIONS = {"\u0130": "i", "\u03a3": "\u03c3"}


def simple_lower(text: pd.Series) -> pd.Series:
    """Lower-case text by Unicode's simple case mapping, one character for one, whatever pandas' string type.

    Examples
    --------
    >>> simple_lower(pd.Series(["\u0130LKER@X.TR", "ODYSSEAS\u03a3@X.GR", "Ann@X.fr"], dtype=object)).tolist()
    ['ilker@x.tr', 'odysseasσ@x.gr', 'ann@x.fr']
    """
    for upper, lower in FULL_CASE_EXCEPTIONS.items():
        text = text.str.replace(upper, lower, regex=False)
    return text.str.lower()


def clean_ids(raw: pd.Series) -> pd.Series:
    """Return customer or order ids as stripped text; whole numbers lose ``.0``; e-mails are lower-cased.

    Lower-cased by :func:`simple_lower`, as every engine does.

    Parameters
    ----------
    raw : pandas.Series
        The id column as read (numbers, text or both).

    Returns
    -------
    pandas.Series
        Text ids, missing where the input was blank.

    Examples
    --------
    >>> clean_ids(pd.Series([1001.0, None, 7.5])).tolist()
    ['1001', nan, '7.5']
    >>> clean_ids(pd.Series([" Ann@Example.COM ", "", "C-1"])).tolist()
    ['ann@example.com', nan, 'C-1']
    """
    if pd.api.types.is_float_dtype(raw.dtype):
        whole = raw.notna() & (raw == np.floor(raw))
        text = raw.astype("str").where(~whole, raw.where(whole).astype("Int64").astype("str"))
    elif raw.dtype == object:
        text = raw.map(
            lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else v, na_action="ignore"
        ).astype("str")
    else:
        text = raw.astype("str")
    text = text.str.strip()
    text = text.where(text.ne("") & raw.notna())
    emails = text.str.contains("@", regex=False, na=False)
    if emails.any():  # an address, not any text with an @ (checked only where there is one: fast on 1M ids)
        emails[emails] = text[emails].str.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", na=False)
    if emails.any():
        text = text.where(~emails, simple_lower(text))
    return text


def clean_emails(raw: pd.Series) -> pd.Series:
    """Return e-mail addresses stripped and lower-cased; values without ``@`` are missing.

    Examples
    --------
    >>> clean_emails(pd.Series([" Ann@Example.COM ", "", None, "n/a"])).tolist()
    ['ann@example.com', nan, nan, nan]
    """
    text = simple_lower(raw.astype("str").str.strip())
    return text.where(raw.notna() & text.str.contains("@", regex=False))


def looks_like_names(raw: pd.Series) -> bool:
    """Whether most values look like person names (two or more words of letters, no digit, no ``@``).

    Examples
    --------
    >>> looks_like_names(pd.Series(["J. MICHEL", "Jean Dupont", "Ann Lee"]))
    True
    >>> looks_like_names(pd.Series(["C001", "ann@example.com", "cus_123"]))
    False
    """
    present = raw.dropna()
    for head in (2000, len(present)):  # the first 1,000 non-blank values; a long column is not stripped whole
        values = present.head(head).astype("str").str.strip()
        values = values[values.ne("")].head(1000)
        if len(values) == 1000 or head >= len(present):
            break
    if values.empty:
        return False
    return bool(values.str.fullmatch(_NAME).mean() >= 0.8)


def customer_keys(ids: pd.Series, emails: pd.Series | None, report: CleaningReport) -> pd.Series:
    """Return one customer key per row: the id, else the e-mail (or the id registered with that e-mail).

    Parameters
    ----------
    ids : pandas.Series
        The customer column as read.
    emails : pandas.Series, optional
        The e-mail column as read, when there is one besides the customer column.
    report : CleaningReport
        ``guest_rows_by_email`` is filled in place.

    Returns
    -------
    pandas.Series
        Text keys; missing for rows with neither (dropped later as rows without customer).

    Examples
    --------
    >>> report = CleaningReport(source="x")
    >>> ids = pd.Series([7, 0, 0, 0, None])
    >>> mails = pd.Series(["a@x.org", "A@x.org ", "b@x.org", None, "c@x.org"])
    >>> customer_keys(ids, mails, report).tolist()
    ['7', '7', 'b@x.org', nan, 'c@x.org']
    >>> report.guest_rows_by_email
    3
    """
    keys = clean_ids(ids)
    guest = keys.isna() | keys.str.lower().isin(GUEST_IDS)
    keys = keys.where(~guest)
    if emails is None or not guest.any():
        return keys
    mails = clean_emails(emails)
    registered = pd.Series(keys[~guest].to_numpy(), index=mails[~guest].to_numpy())
    registered = registered[registered.index.notna() & ~registered.index.duplicated()]
    fallback = mails[guest]
    keys[guest] = fallback.map(registered).fillna(fallback)
    report.guest_rows_by_email = int(fallback.notna().sum())
    return keys


def identify_customers(
    frame: pd.DataFrame, roles: dict[str, Hashable], data: dict[str, pd.Series], report: CleaningReport
) -> None:
    """Decide the customer key of every row, in ``data["customer_id"]``, and say how in ``report``.

    The id, else per row the e-mail (:func:`customer_keys`); the e-mail column alone when the customer column
    holds person names; a warning when person names are the only key. ``data["email"]`` is consumed.

    Parameters
    ----------
    frame : pandas.DataFrame
        The raw table.
    roles : dict
        Role -> column of ``frame``.
    data : dict
        Parsed columns by role; ``customer_id`` is replaced, ``email`` removed.
    report : CleaningReport
        ``identity``, ``warnings`` and ``guest_rows_by_email`` are filled.
    """
    customer = roles["customer_id"]
    emails = data.pop("email", None)
    if report.column_reasons.get("customer_id") == EMAIL_KEY:
        report.identity = f"the e-mail in {str(customer)!r} (lower case, spaces stripped)"
        data["customer_id"] = clean_emails(frame[customer]).fillna(data["customer_id"])
        return
    names = looks_like_names(frame[customer])
    if names and emails is not None:
        report.identity = (
            f"the e-mail in {report.columns['email']!r}: {str(customer)!r} holds person names, which two "
            "customers can share"
        )
        data["customer_id"] = emails
        return
    if names:
        report.warnings.append(
            f"the customer column {str(customer)!r} looks like person names: two customers with the same name "
            "count as one, and one customer written two ways counts twice; export a customer id or e-mail "
            "column if there is one (--customer / --email)"
        )
    if emails is None:
        report.identity = f"the customer column {str(customer)!r}"
        return
    data["customer_id"] = customer_keys(frame[customer], frame[roles["email"]], report)
    report.identity = (
        f"{str(customer)!r}; where it is blank, 0 or a guest marker, the e-mail in {report.columns['email']!r} "
        "(or the registered customer with that e-mail)"
    )
