"""The customer-id rules of plain order files as SQL, for DuckDB and Spark: what :func:`clv_xl.orders.clean_ids` does.

:func:`~clv_xl.orders.clean_ids` strips an id with Python's ``str.strip()``, which removes every character
``str.isspace()`` calls white space (tabs, line breaks, non-breaking and other Unicode spaces, not only ``" "``),
treats an id left empty as missing, and lower-cases an id that is an e-mail address
(``^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$``, ``\\s`` being that same white space). The engines' own ``trim`` and ``\\s``
know fewer characters (spaces only; ASCII white space), so the rules here name the characters themselves
(:data:`WHITESPACE`) in regular expressions that DuckDB (RE2) and Spark (Java) read alike. The patterns hold no
backslash and no quote, so their SQL literal is the same text in both dialects, whatever a Spark session's
``spark.sql.parser.escapedStringLiterals`` says.

A regular expression per id costs about 0.1 CPU s per million ids here: only an id that starts or ends with white
space is stripped, and only one that has an ``@`` is tested as an address.
"""

from __future__ import annotations

from clv_xl.orders.identify_customers import FULL_CASE_EXCEPTIONS

__all__ = ["WHITESPACE", "REGEX_WORDS", "trimmed_sql", "email_rule_sql"]

#: Every character ``str.isspace()`` is true for (Python's ``str.strip()`` and ``\s``), in code point order.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE = f"[{WHITESPACE}]"
_EDGE = f"'^{_SPACE}|{_SPACE}$'"
_STRIP = f"'^{_SPACE}+|{_SPACE}+$'"
_NOT_SPACE_OR_AT = f"[^@{WHITESPACE}]"
_EMAIL = f"'^{_NOT_SPACE_OR_AT}+@{_NOT_SPACE_OR_AT}+[.]{_NOT_SPACE_OR_AT}+$'"

#: How each dialect tests a regular expression and removes its matches (data, not branches).
REGEX_WORDS: dict[str, dict[str, str]] = {
    "duckdb": {"matches": "regexp_matches({text}, {pattern})", "remove": "regexp_replace({text}, {pattern}, '', 'g')"},
    "spark": {"matches": "{text} RLIKE {pattern}", "remove": "regexp_replace({text}, {pattern}, '')"},
}


def trimmed_sql(dialect: str, column: str) -> str:
    """SQL of the id in ``column`` stripped of white space at both ends (``''`` when it was blank).

    Examples
    --------
    >>> "regexp_matches(x, '^[" in trimmed_sql("duckdb", "x"), "x RLIKE '^[" in trimmed_sql("spark", "x")
    (True, True)
    """
    words = REGEX_WORDS[dialect]
    edge = words["matches"].format(text=column, pattern=_EDGE)
    return f"CASE WHEN {edge} THEN {words['remove'].format(text=column, pattern=_STRIP)} ELSE {column} END"


def email_rule_sql(dialect: str, column: str) -> str:
    """SQL of the stripped id in ``column``, lower-cased when it is an e-mail address.

    Lower-cased by Unicode's simple mapping, as :func:`clv_xl.orders.identify_customers.simple_lower`: Spark's
    ``lower`` (Java's) applies the full one, so the characters where the two differ are translated first.

    Examples
    --------
    >>> email_rule_sql("spark", "x").startswith("CASE WHEN x LIKE '%@%' AND x RLIKE '^[^@")
    True
    """
    is_email = REGEX_WORDS[dialect]["matches"].format(text=column, pattern=_EMAIL)
    upper, lower = "".join(FULL_CASE_EXCEPTIONS), "".join(FULL_CASE_EXCEPTIONS.values())
    lowered = f"lower(translate({column}, '{upper}', '{lower}'))"
    return f"CASE WHEN {column} LIKE '%@%' AND {is_email} THEN {lowered} ELSE {column} END"

